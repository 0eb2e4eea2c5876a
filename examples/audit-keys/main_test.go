package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/examples/internal/cli"
	"github.com/gitlabusers/gitlab/examples/internal/clitest"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// auditNow is the fixed time of the tests' reports.
var auditNow = time.Date(2030, time.March, 1, 12, 0, 0, 0, time.UTC)

// runAt runs the program at auditNow.
func runAt(out io.Writer, vars func(string) string, args []string) error {
	return run(context.Background(), out, vars, args, auditNow)
}

// The whole report, checked line by line: expired, soon-expiring and
// never-expiring keys of active humans only (not the blocked user's,
// not keys beyond 30 days), and the users without 2FA (not alice, who
// has it, nor the blocked user or the bot).
func TestAuditKeysReport(t *testing.T) {
	_, vars := clitest.Seeded(t, auditNow, seed)
	var out bytes.Buffer
	if err := run(context.Background(), &out, vars, nil, auditNow); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	want := `SSH keys expired, expiring within 30 days or never expiring (4 active users, as of 2030-03-01):
  @carol  "forgotten"    expired 2030-02-24 (5 days ago)
  @bob    "ci runner"    expires 2030-03-04 (in 3 days)
  @alice  "yubikey"      expires 2030-03-13 (in 12 days)
  @bob    "workstation"  never expires

Users without two-factor authentication:
  @bob    Bob Builder       last active 2030-02-27
  @carol  Carol Contractor  never active
  @root   Administrator     last active 2030-03-01

4 keys and 3 users to follow up.
`
	if out.String() != want {
		t.Errorf("report:\n%s\nwant:\n%s", out.String(), want)
	}
}

// -days moves the horizon: 60 days takes in carol's contract laptop,
// 0 days leaves only the expired and the never-expiring keys.
func TestAuditKeysDays(t *testing.T) {
	_, vars := clitest.Seeded(t, auditNow, seed)
	for _, tc := range []struct {
		days string
		want []string
	}{
		{"60", []string{"forgotten", "ci runner", "yubikey", "contract laptop", "workstation"}},
		{"0", []string{"forgotten", "workstation"}},
		{"400", []string{"forgotten", "ci runner", "yubikey", "contract laptop", "laptop", "workstation"}},
	} {
		var out bytes.Buffer
		if err := run(context.Background(), &out, vars, []string{"-days", tc.days}, auditNow); err != nil {
			t.Fatalf("-days %s: %v", tc.days, err)
		}
		if got := auditKeyTitles(out.String()); !slices.Equal(got, tc.want) {
			t.Errorf("-days %s: keys %q, want %q\n%s", tc.days, got, tc.want, out.String())
		}
	}
}

// auditKeyTitles picks the quoted key titles out of a report, in order.
func auditKeyTitles(report string) []string {
	var titles []string
	for _, line := range strings.Split(report, "\n") {
		if _, rest, ok := strings.Cut(line, `"`); ok {
			title, _, _ := strings.Cut(rest, `"`)
			titles = append(titles, title)
		}
	}
	return titles
}

// -fail turns findings into errFindings (exit status 3), and a clean
// instance into success with "none" in both sections.
func TestAuditKeysFail(t *testing.T) {
	_, vars := clitest.Seeded(t, auditNow, seed)
	var out bytes.Buffer
	err := run(context.Background(), &out, vars, []string{"-fail"}, auditNow)
	if !errors.Is(err, errFindings) || cli.ExitCode(err) != 3 {
		t.Errorf("with findings: err = %v (exit status %d), want errFindings and 3", err, cli.ExitCode(err))
	}
	var stderr bytes.Buffer
	if code := cli.Report(&stderr, "audit-keys", err); code != 3 || stderr.Len() != 0 {
		t.Errorf("with findings: status %d, stderr %q; want 3 and nothing beyond the report", code, stderr.String())
	}

	// Everyone has 2FA, and the only key expires in 100 days.
	clean := gitlabtest.NewServer()
	defer clean.Close()
	clean.UpdateUser(1, func(u *gitlabtest.UserSnapshot) { u.TwoFactorEnabled = true })
	id, _ := clean.CreateUser(gitlabtest.UserSpec{Username: "careful", TwoFactorEnabled: true})
	if _, _, err := clean.Client().SSHKeys.CreateForUser(context.Background(), id, &gitlab.CreateSSHKeyOptions{
		Title: gitlab.Ptr("laptop"), Key: gitlab.Ptr(gitlabtest.FakeSSHKey("careful")),
		ExpiresAt: gitlab.Ptr(time.Now().AddDate(0, 0, 100)),
	}); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(context.Background(), &out, clitest.EnvFor(clean, clean.AdminToken()), []string{"-fail"}, time.Now()); err != nil {
		t.Errorf("clean instance: %v\n%s", err, out.String())
	}
	if strings.Count(out.String(), "\n  none\n") != 2 || !strings.HasSuffix(out.String(), "0 keys and 0 users to follow up.\n") {
		t.Errorf("clean report:\n%s", out.String())
	}
}

// With many users the keys are read concurrently, one request per
// audited user, and the report is still complete and sorted.
func TestAuditKeysManyUsers(t *testing.T) {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	ids := srv.GenerateUsers(150)
	for _, id := range ids {
		srv.AddSSHKey(id, fmt.Sprintf("key-%d", id), gitlabtest.FakeSSHKey(fmt.Sprint(id)))
	}
	var out bytes.Buffer
	if err := run(context.Background(), &out, clitest.EnvFor(srv, srv.AdminToken()), []string{"-workers", "16"}, time.Now()); err != nil {
		t.Fatalf("run: %v", err)
	}
	titles := auditKeyTitles(out.String())
	if len(titles) != 150 {
		t.Fatalf("%d keys reported, want 150", len(titles))
	}
	var users []string
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.Contains(line, "never expires") {
			users = append(users, strings.Fields(line)[0])
		}
	}
	if !slices.IsSorted(users) {
		t.Errorf("keys not sorted by username: %q", users)
	}
	if n := srv.RouteCount("GET", "/users/:user_id/keys"); n != 151 {
		t.Errorf("%d key list requests, want 151 (one per active user, root included)", n)
	}
	if !strings.Contains(out.String(), "(151 active users, as of ") {
		t.Errorf("header: %s", strings.SplitN(out.String(), "\n", 2)[0])
	}
}

// A non-administrator's token and an unknown one are refused.
func TestAuditKeysRefuses(t *testing.T) {
	srv, _ := clitest.Seeded(t, auditNow, seed)
	clitest.Check(t, runAt, clitest.Refusals(srv))
}

// -h prints the usage and exits 0; a bad flag, a bad value and a stray
// argument exit 2; GITLAB_URL without GITLAB_TOKEN stops with a message.
// None of them sends a request.
func TestAuditKeysFlagsAndToken(t *testing.T) {
	srv, vars := clitest.Seeded(t, auditNow, seed)
	srv.ResetCounters()
	clitest.Check(t, runAt, []clitest.Case{
		{Vars: vars, Args: []string{"-h"}, Code: 0, Out: "Usage: audit-keys [flags]\n"},
		{Vars: vars, Args: []string{"-h", "-days", "x"}, Code: 0, Out: "  -fail\n"},
		{Vars: vars, Args: []string{"-dayz", "3"}, Code: 2, Out: "flag provided but not defined: -dayz"},
		{Vars: vars, Args: []string{"-days", "x"}, Code: 2, Out: `invalid value "x" for flag -days`},
		{Vars: vars, Args: []string{"-days", "-1"}, Code: 2, Err: "-days must not be negative"},
		{Vars: vars, Args: []string{"-workers", "0"}, Code: 2, Err: "-workers must be at least 1"},
		{Vars: vars, Args: []string{"extra"}, Code: 2, Err: "unexpected arguments"},
		{Vars: clitest.Env(map[string]string{"GITLAB_URL": srv.URL}), Code: 1, Err: "GITLAB_URL is set but GITLAB_TOKEN is empty"},
	})
	clitest.NoRequests(t, srv)
}

// One of a kind is counted in the singular.
func TestAuditKeysSingular(t *testing.T) {
	srv := gitlabtest.NewServer(gitlabtest.WithClock(func() time.Time { return auditNow }))
	defer srv.Close()
	srv.UpdateUser(1, func(u *gitlabtest.UserSnapshot) { u.TwoFactorEnabled = true })
	id, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "solo"})
	srv.AddSSHKey(id, "laptop", gitlabtest.FakeSSHKey("solo"))
	var out bytes.Buffer
	if err := run(context.Background(), &out, clitest.EnvFor(srv, srv.AdminToken()), []string{"-days", "1"}, auditNow); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if !strings.HasPrefix(out.String(), "SSH keys expired, expiring within 1 day or never expiring (2 active users, ") ||
		!strings.HasSuffix(out.String(), "\n1 key and 1 user to follow up.\n") {
		t.Errorf("report:\n%s", out.String())
	}
	for d, want := range map[time.Duration]string{
		time.Hour:      "1 hour",
		5 * time.Hour:  "5 hours",
		30 * time.Hour: "1 day",
		40 * time.Hour: "2 days",
	} {
		if got := ago(d); got != want {
			t.Errorf("ago(%s) = %q, want %q", d, got, want)
		}
	}
}

// Without GITLAB_URL the program seeds its own GitLab and reports on it.
func TestAuditKeysEmbedded(t *testing.T) {
	got := clitest.Embedded(t, func(out io.Writer, vars func(string) string, args []string) error {
		return run(context.Background(), out, vars, args, time.Now())
	})
	if !strings.Contains(got, `@carol  "forgotten"    expired `) ||
		!strings.HasSuffix(got, "4 keys and 3 users to follow up.\n") {
		t.Errorf("output:\n%s", got)
	}
}
