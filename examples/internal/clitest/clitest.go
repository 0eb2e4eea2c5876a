// Package clitest holds what the example programs' tests share: the
// environment a program reads, and the check of runs that must end with
// a given exit status, output and error.
package clitest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/examples/internal/cli"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// Env is an environment holding exactly kv, for a program's getenv.
func Env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

// EnvFor is the environment of a program working on srv with token.
func EnvFor(srv *gitlabtest.Server, token string) func(string) string {
	return Env(map[string]string{"GITLAB_URL": srv.URL, "GITLAB_TOKEN": token})
}

// Case is one run of a program and what it must end with.
type Case struct {
	Name string              // what the case is; its arguments when empty
	Vars func(string) string // the environment
	Args []string
	Code int    // the exit status (cli.ExitCode)
	Out  string // in the output
	Err  string // in the error, which must then not be nil
}

// Check runs each case with run, which writes the program's output to
// out, and reports every status, output and error that is not the
// case's.
func Check(t *testing.T, run func(out io.Writer, vars func(string) string, args []string) error, cases []Case) {
	t.Helper()
	for _, tc := range cases {
		name := tc.Name
		if name == "" {
			name = fmt.Sprintf("%q", tc.Args)
		}
		var out bytes.Buffer
		err := run(&out, tc.Vars, tc.Args)
		if code := cli.ExitCode(err); code != tc.Code {
			t.Errorf("%s: exit status %d (err %v), want %d", name, code, err, tc.Code)
		}
		if !strings.Contains(out.String(), tc.Out) {
			t.Errorf("%s: output lacks %q:\n%s", name, tc.Out, out.String())
		}
		if tc.Err != "" && (err == nil || !strings.Contains(err.Error(), tc.Err)) {
			t.Errorf("%s: err = %v, want %q", name, err, tc.Err)
		}
	}
}

// NoRequests reports the requests srv has counted since its counters
// were last reset, for runs that must send none.
func NoRequests(t *testing.T, srv *gitlabtest.Server) {
	t.Helper()
	if n := srv.RequestCount(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// Seeded starts a server whose clock stands at now, seeded by seed as
// the program's embedded mode seeds it, and returns it with an
// administrator's environment pointing at it.
func Seeded(t *testing.T, now time.Time, seed func(context.Context, *gitlabtest.Server, *gitlab.Client, time.Time) error) (*gitlabtest.Server, func(string) string) {
	t.Helper()
	srv := gitlabtest.NewServer(gitlabtest.WithClock(func() time.Time { return now }))
	t.Cleanup(srv.Close)
	if err := seed(context.Background(), srv, srv.Client(), now); err != nil {
		t.Fatalf("seed: %v", err)
	}
	return srv, EnvFor(srv, srv.AdminToken())
}

// Embedded runs a program without GITLAB_URL, which must succeed and
// say first that it works on an embedded GitLab, and returns its output.
func Embedded(t *testing.T, run func(out io.Writer, vars func(string) string, args []string) error, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	if err := run(&out, Env(nil), args); err != nil {
		t.Fatalf("run %q: %v\n%s", args, err, out.String())
	}
	if !strings.HasPrefix(out.String(), "Using an embedded in-memory GitLab at http://127.0.0.1:") {
		t.Errorf("first line does not say the GitLab is embedded:\n%s", out.String())
	}
	return out.String()
}

// Refusals are the runs, with args, of a program for administrators
// whose token cannot serve: a user's who is not an administrator (the
// user @plain, made here) and one GitLab does not know.
func Refusals(srv *gitlabtest.Server, args ...string) []Case {
	_, plain := srv.CreateUser(gitlabtest.UserSpec{Username: "plain"})
	return []Case{
		{Name: "not an admin", Vars: EnvFor(srv, plain), Args: args, Code: 1, Err: "@plain is not an administrator"},
		{Name: "unknown token", Vars: EnvFor(srv, "wrong"), Args: args, Code: 1, Err: "401"},
	}
}
