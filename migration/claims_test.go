package migration

import (
	"errors"
	"net/http"
	"testing"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
	clientgo "gitlab.com/gitlab-org/api/client-go/v2"
)

// TestClientGoErrorClaims runs the claims README's migration section makes
// about client-go v2's errors against gitlabtest, so that a client-go
// upgrade that changes them fails here.
func TestClientGoErrorClaims(t *testing.T) {
	s := gitlabtest.NewServer()
	defer s.Close()
	cg, err := clientgo.NewClient(s.AdminToken(), clientgo.WithBaseURL(s.URL+"/api/v4"))
	if err != nil {
		t.Fatal(err)
	}
	gl := s.Client()
	const missing = 4242

	// Every 404 is the shared ErrNotFound: no request or GitLab message in it.
	_, _, err = cg.Users.GetUser(missing, nil)
	if err != clientgo.ErrNotFound || err.Error() != "404 Not Found" {
		t.Errorf("GetUser(missing) = %v, want the shared ErrNotFound", err)
	}
	// ErrorResponse.Is matches by status code.
	if !errors.Is(err, &clientgo.ErrorResponse{StatusCode: http.StatusNotFound}) {
		t.Errorf("errors.Is by status code does not hold for %v", err)
	}
	// UnblockUser replaces the 404 with ErrUserNotFound, which ErrNotFound does not match.
	_, err = cg.Users.UnblockUser(missing)
	if !errors.Is(err, clientgo.ErrUserNotFound) || errors.Is(err, clientgo.ErrNotFound) {
		t.Errorf("UnblockUser(missing) = %v, want ErrUserNotFound and not ErrNotFound", err)
	}
	// BlockUser passes the 404 through.
	_, err = cg.Users.BlockUser(missing)
	if !errors.Is(err, clientgo.ErrNotFound) {
		t.Errorf("BlockUser(missing) = %v, want ErrNotFound", err)
	}

	// Ours: an *ErrorResponse with the request and GitLab's message.
	_, err = gl.Users.Unblock(t.Context(), missing)
	var er *gitlab.ErrorResponse
	if !errors.Is(err, gitlab.ErrNotFound) || !errors.As(err, &er) {
		t.Errorf("Users.Unblock(missing) = %v, want an *ErrorResponse matching ErrNotFound", err)
	}
	// Each SDK's errors match only its own sentinels.
	if errors.Is(err, clientgo.ErrNotFound) {
		t.Errorf("our 404 matches clientgo.ErrNotFound")
	}
	if _, _, cgErr := cg.Users.GetUser(missing, nil); errors.Is(cgErr, gitlab.ErrNotFound) {
		t.Errorf("client-go's 404 matches gitlab.ErrNotFound")
	}
	t.Logf("client-go: %v; ours: %v", clientgo.ErrNotFound, err)
}
