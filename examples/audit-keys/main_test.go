package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

// auditNow is the fixed time of the tests' reports.
var auditNow = time.Date(2030, time.March, 1, 12, 0, 0, 0, time.UTC)

// auditSetup starts a server whose clock stands at auditNow, seeded like
// the embedded mode, and returns it with an environment pointing at it.
func auditSetup(t *testing.T) (*gitlabtest.Server, func(string) string) {
	t.Helper()
	srv := gitlabtest.NewServer(gitlabtest.WithClock(func() time.Time { return auditNow }))
	t.Cleanup(srv.Close)
	if err := seed(context.Background(), srv, srv.Client(), auditNow); err != nil {
		t.Fatalf("seed: %v", err)
	}
	return srv, env(map[string]string{"GITLAB_URL": srv.URL, "GITLAB_TOKEN": srv.AdminToken()})
}

// The whole report, checked line by line: expired, soon-expiring and
// never-expiring keys of active humans only (not the blocked user's,
// not keys beyond 30 days), and the users without 2FA (not alice, who
// has it, nor the blocked user or the bot).
func TestAuditKeysReport(t *testing.T) {
	_, vars := auditSetup(t)
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
	_, vars := auditSetup(t)
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
	_, vars := auditSetup(t)
	var out bytes.Buffer
	if err := run(context.Background(), &out, vars, []string{"-fail"}, auditNow); !errors.Is(err, errFindings) {
		t.Errorf("with findings: err = %v, want errFindings", err)
	}

	// Everyone has 2FA, and the only key expires in 100 days.
	clean := gitlabtest.NewServer()
	defer clean.Close()
	clean.UpdateUser(1, func(u *gitlabtest.UserState) { u.TwoFactorEnabled = true })
	id, _ := clean.CreateUser(gitlabtest.UserSpec{Username: "careful", TwoFactorEnabled: true})
	if _, _, err := clean.Client().SSHKeys.CreateForUser(context.Background(), id, &gitlab.CreateSSHKeyOptions{
		Title: gitlab.Ptr("laptop"), Key: gitlab.Ptr(gitlabtest.FakeSSHKey("careful")),
		ExpiresAt: gitlab.Ptr(time.Now().AddDate(0, 0, 100)),
	}); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(context.Background(), &out, env(map[string]string{"GITLAB_URL": clean.URL, "GITLAB_TOKEN": clean.AdminToken()}), []string{"-fail"}, time.Now()); err != nil {
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
	if err := run(context.Background(), &out, env(map[string]string{"GITLAB_URL": srv.URL, "GITLAB_TOKEN": srv.AdminToken()}), []string{"-workers", "16"}, time.Now()); err != nil {
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

// Wrong flags and a non-administrator's token are refused.
func TestAuditKeysRefuses(t *testing.T) {
	srv, vars := auditSetup(t)
	_, plain := srv.CreateUser(gitlabtest.UserSpec{Username: "plain"})
	for _, tc := range []struct {
		vars func(string) string
		args []string
		want string
	}{
		{vars, []string{"-days", "-1"}, "-days must not be negative"},
		{vars, []string{"-workers", "0"}, "-workers must be at least 1"},
		{vars, []string{"extra"}, "unexpected arguments"},
		{env(map[string]string{"GITLAB_URL": srv.URL, "GITLAB_TOKEN": plain}), nil, "@plain is not an administrator"},
		{env(map[string]string{"GITLAB_URL": srv.URL, "GITLAB_TOKEN": "wrong"}), nil, "401"},
	} {
		var out bytes.Buffer
		if err := run(context.Background(), &out, tc.vars, tc.args, auditNow); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want %q", tc.args, err, tc.want)
		}
	}
}

// Without GITLAB_URL the program seeds its own GitLab and reports on it.
func TestAuditKeysEmbedded(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out, env(nil), nil, time.Now()); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	got := out.String()
	if !strings.HasPrefix(got, "Using an embedded in-memory GitLab at http://127.0.0.1:") ||
		!strings.Contains(got, `@carol  "forgotten"    expired `) ||
		!strings.HasSuffix(got, "4 keys and 3 users to follow up.\n") {
		t.Errorf("output:\n%s", got)
	}
}
