package gitlabtest_test

import (
	"context"
	"fmt"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// A test seeds users, runs the code under test against the fake through
// the SDK, and asserts on the fake's state.
func Example() {
	s := gitlabtest.NewServer()
	defer s.Close()
	id, _ := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})

	// The code under test: block every user named jane.
	c := s.Client()
	users, _, err := c.Users.List(context.Background(), &gitlab.ListUsersOptions{Username: gitlab.Ptr("jane")})
	if err != nil {
		panic(err)
	}
	for _, u := range users {
		if _, err := c.Users.Block(context.Background(), u.ID); err != nil {
			panic(err)
		}
	}

	u, _ := s.User(id)
	fmt.Println(u.State, s.RouteCount("POST", "/users/:id/block"))
	// Output: blocked 1
}

// Fault injection: a share of requests fails before it is handled, so
// retries of idempotent calls are safe; FaultCount says how many failed.
func ExampleWithFaults() {
	s := gitlabtest.NewServer(gitlabtest.WithFaults(0.3, 1, gitlabtest.FaultStatus503))
	defer s.Close()
	id, _ := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	c := s.Client(gitlab.WithRetryWait(0, 0))
	if _, err := c.Users.Block(context.Background(), id); err != nil {
		panic(err)
	}
	u, _ := s.User(id)
	fmt.Println(u.State, s.RequestCount() == 1+s.FaultCount())
	// Output: blocked true
}
