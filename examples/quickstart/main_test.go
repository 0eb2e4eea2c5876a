package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/gitlabusers/gitlab/examples/internal/cli"
	"github.com/gitlabusers/gitlab/examples/internal/clitest"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// With nothing configured the quickstart runs every step against the
// embedded GitLab and says so first.
func TestQuickstartEmbedded(t *testing.T) {
	got := clitest.Embedded(t, func(out io.Writer, vars func(string) string, args []string) error {
		return run(context.Background(), out, vars, args)
	})
	for _, want := range []string{
		"1. Signed in as @root (ID 1), an administrator.",
		"2. The five newest users:\n   - @user5 (User 5, active)\n   - @user4 ",
		"3. Created @quickstart-",
		`4. Added SSH key "laptop"`,
		"   Added email quickstart-",
		":coffee: Trying the Go SDK",
		"6. @root now follows @quickstart-",
		"   Following again: 304 Not Modified (already following).",
		`7. Impersonation token "quickstart" (scopes [read_user]) signs in as @quickstart-`,
		"   Revoked it: signing in with it now fails with 401 Unauthorized.",
		`state is now "blocked".`,
		": fetching it now fails with 404 Not Found.",
		"Done.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "\n   - @"); n != 5 {
		t.Errorf("listed %d users, want the newest 5:\n%s", n, got)
	}
	if strings.Contains(got, ": true") || strings.Contains(got, ": false") {
		t.Errorf("output prints a bare boolean:\n%s", got)
	}
}

// -h prints the usage and succeeds; a bad flag fails with status 2;
// neither sends a request.
func TestQuickstartFlags(t *testing.T) {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	vars := clitest.EnvFor(srv, srv.AdminToken())

	var out bytes.Buffer
	err := run(context.Background(), &out, vars, []string{"-h"})
	if code := cli.ExitCode(err); code != 0 {
		t.Errorf("-h: exit status %d (err %v), want 0", code, err)
	}
	if !strings.HasPrefix(out.String(), "Usage: quickstart [flags]\n") || !strings.Contains(out.String(), "  -write\n") {
		t.Errorf("-h output:\n%s", out.String())
	}

	out.Reset()
	err = run(context.Background(), &out, vars, []string{"-writ"})
	if code := cli.ExitCode(err); code != 2 {
		t.Errorf("-writ: exit status %d (err %v), want 2", code, err)
	}
	if !strings.Contains(out.String(), "flag provided but not defined: -writ") {
		t.Errorf("-writ output:\n%s", out.String())
	}
	if n := srv.RequestCount(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// GITLAB_URL without GITLAB_TOKEN stops before any request, saying what
// is missing, instead of running anonymously into a 401.
func TestQuickstartNoToken(t *testing.T) {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	var out bytes.Buffer
	err := run(context.Background(), &out, clitest.Env(map[string]string{"GITLAB_URL": srv.URL}), nil)
	if code := cli.ExitCode(err); code == 0 || err == nil || !strings.Contains(err.Error(), "GITLAB_URL is set but GITLAB_TOKEN is empty") {
		t.Errorf("err = %v (exit status %d), want the missing token named", err, code)
	}
	if n := srv.RequestCount(); n != 0 {
		t.Errorf("%d requests sent without a token", n)
	}
}

// With GITLAB_URL the quickstart is read-only unless -write is given.
func TestQuickstartRealInstance(t *testing.T) {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	srv.GenerateUsers(2)
	vars := clitest.EnvFor(srv, srv.AdminToken())

	var out bytes.Buffer
	if err := run(context.Background(), &out, vars, nil); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "read-only") || !strings.HasSuffix(out.String(), "Done (read-only).\n") {
		t.Errorf("read-only run:\n%s", out.String())
	}
	if n := srv.UserCount(); n != 3 {
		t.Errorf("a read-only run changed the users: %d, want 3", n)
	}

	out.Reset()
	if err := run(context.Background(), &out, vars, []string{"-write"}); err != nil {
		t.Fatalf("run -write: %v\n%s", err, out.String())
	}
	if !strings.HasSuffix(out.String(), "Done.\n") {
		t.Errorf("write run:\n%s", out.String())
	}
	if n := srv.UserCount(); n != 3 {
		t.Errorf("the throwaway user was not deleted: %d users, want 3", n)
	}
}
