package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/gitlabusers/gitlab/gitlabtest"
)

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

// With nothing configured the quickstart runs every step against the
// embedded GitLab and says so first.
func TestQuickstartEmbedded(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out, env(nil), nil); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	got := out.String()
	if !strings.HasPrefix(got, "Using an embedded in-memory GitLab at http://127.0.0.1:") {
		t.Errorf("first line does not say the GitLab is embedded:\n%s", got)
	}
	for _, want := range []string{
		"1. Signed in as @root (ID 1, admin: true).",
		"2. The first users:\n   - @",
		"3. Created @quickstart-",
		`4. Added SSH key "laptop"`,
		"   Added email quickstart-",
		":coffee: Trying the Go SDK",
		"6. @root now follows @quickstart-",
		"   Following again: 304 Not Modified (already following).",
		`7. Impersonation token "quickstart" (scopes [read_user]) signs in as @quickstart-`,
		"   Revoked it; using it now fails with 401: true.",
		`state is now "blocked".`,
		"fetching it now gives ErrNotFound: true.",
		"Done.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "\n   - @"); n != 5 {
		t.Errorf("listed %d users, want the first 5:\n%s", n, got)
	}
}

// With GITLAB_URL the quickstart is read-only unless -write is given.
func TestQuickstartRealInstance(t *testing.T) {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	srv.GenerateUsers(2)
	vars := env(map[string]string{"GITLAB_URL": srv.URL, "GITLAB_TOKEN": srv.AdminToken()})

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
