package migration

import (
	"context"
	"testing"

	"github.com/gitlabusers/gitlab/gitlabtest"
	clientgo "gitlab.com/gitlab-org/api/client-go/v2"
)

// blockUser is the code under test, written with client-go: it finds a
// user by username and blocks them.
func blockUser(ctx context.Context, cg *clientgo.Client, username string) error {
	users, _, err := cg.Users.ListUsers(&clientgo.ListUsersOptions{Username: clientgo.Ptr(username)}, clientgo.WithContext(ctx))
	if err != nil {
		return err
	}
	for _, u := range users {
		if _, err := cg.Users.BlockUser(u.ID, clientgo.WithContext(ctx)); err != nil {
			return err
		}
	}
	return nil
}

func TestBlockUserWithClientGo(t *testing.T) {
	s := gitlabtest.NewServer()
	defer s.Close()
	jane, _ := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	bob, _ := s.CreateUser(gitlabtest.UserSpec{Username: "bob"})

	cg, err := clientgo.NewClient(s.AdminToken(), clientgo.WithBaseURL(s.URL+"/api/v4"))
	if err != nil {
		t.Fatal(err)
	}
	if err := blockUser(t.Context(), cg, "jane"); err != nil {
		t.Fatal(err)
	}

	if u, _ := s.User(jane); u.State != gitlabtest.StateBlocked {
		t.Errorf("jane is %s, want blocked", u.State)
	}
	if u, _ := s.User(bob); u.State != gitlabtest.StateActive {
		t.Errorf("bob is %s, want active", u.State)
	}
	if n := s.RouteCount("POST", "/users/:id/block"); n != 1 {
		t.Errorf("%d block requests, want 1", n)
	}
}
