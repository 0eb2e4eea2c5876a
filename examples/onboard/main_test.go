package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/examples/internal/clitest"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// setup starts a server seeded like the embedded mode, with opts, and
// returns it with the seed's IDs and an administrator's environment
// pointing at it.
func setup(t *testing.T, opts ...gitlabtest.Option) (*gitlabtest.Server, seeded, func(string) string) {
	t.Helper()
	srv := gitlabtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	s := seed(srv)
	srv.ResetCounters()
	return srv, s, clitest.EnvFor(srv, srv.AdminToken())
}

// onboard runs the program and returns its output and error.
func onboard(vars func(string) string, args ...string) (string, error) {
	var out bytes.Buffer
	err := run(context.Background(), &out, vars, args)
	return out.String(), err
}

// runOnboard runs the program as clitest drives it.
func runOnboard(out io.Writer, vars func(string) string, args []string) error {
	return run(context.Background(), out, vars, args)
}

// writes lists the requests that were not GETs, by route.
func writes(srv *gitlabtest.Server) map[string]int {
	w := map[string]int{}
	for route, n := range srv.RequestCounts() {
		if !strings.HasPrefix(route, "GET ") {
			w[route] = n
		}
	}
	return w
}

// state is the direct members of the sample's groups and project, one
// "source @user Level until" line each, sorted.
func state(t *testing.T, srv *gitlabtest.Server, s seeded) []string {
	t.Helper()
	var lines []string
	for _, src := range []struct {
		name string
		src  gitlabtest.MemberSource
	}{
		{"platform", gitlabtest.GroupSource(s.Platform)},
		{"platform/infra", gitlabtest.GroupSource(s.Infra)},
		{"platform/api", gitlabtest.ProjectSource(s.API)},
	} {
		for _, m := range srv.Members(src.src) {
			u, ok := srv.User(m.UserID)
			require.True(t, ok, "member %d has no user", m.UserID)
			line := fmt.Sprintf("%s @%s %d", src.name, u.Username, m.AccessLevel)
			if m.ExpiresAt != nil {
				line += " until " + m.ExpiresAt.Format(time.DateOnly)
			}
			lines = append(lines, line)
		}
	}
	slices.Sort(lines)
	return lines
}

// intended is the state the sample team.json asks for, @dave kept.
var intended = []string{
	"platform @bob 40",
	"platform @carol 30 until 2099-12-31",
	"platform @olivia 50",
	"platform/api @alice 30",
	"platform/api @carol 40",
	"platform/infra @alice 40",
	"platform/infra @dave 30",
}

// The plan shows every change, in order (users to create, then groups
// before projects), and the member the file does not list; a dry run
// sends only GETs and changes nothing.
func TestOnboardPlan(t *testing.T) {
	srv, s, vars := setup(t)
	before := state(t, srv, s)

	out, err := onboard(vars, "-file", "team.json")
	require.NoError(t, err, out)
	assert.Equal(t, `Dry run of team.json (4 users, 2 groups, 1 project); pass -apply to make these changes:
  would create user @carol <carol@example.com> (Carol Danvers)
  would change @bob in group platform: level Reporter to Maintainer
  would add @carol to group platform as Developer, until 2099-12-31
  would add @alice to group platform/infra as Maintainer
  keeping @dave in group platform/infra (Developer): not in the file; -prune removes
  would change @alice in project platform/api: expiry 2099-06-30 to none
  would add @carol to project platform/api as Maintainer
Would change 6 things.
`, out)
	assert.Empty(t, writes(srv), "a dry run sent writes")
	assert.Equal(t, before, state(t, srv, s), "a dry run changed the members")
	_, ok := srv.UserByUsername("carol")
	assert.False(t, ok, "a dry run created @carol")
}

// -apply makes the plan's changes, each with one request; the second
// run finds nothing to do and sends no write.
func TestOnboardApplyThenNothingToDo(t *testing.T) {
	srv, s, vars := setup(t)

	out, err := onboard(vars, "-file", "team.json", "-apply")
	require.NoError(t, err, out)
	assert.Equal(t, `Onboarding from team.json (4 users, 2 groups, 1 project):
  created user @carol <carol@example.com> (Carol Danvers)
  changed @bob in group platform: level Reporter to Maintainer
  added @carol to group platform as Developer, until 2099-12-31
  added @alice to group platform/infra as Maintainer
  keeping @dave in group platform/infra (Developer): not in the file; -prune removes
  changed @alice in project platform/api: expiry 2099-06-30 to none
  added @carol to project platform/api as Maintainer
Changed 6 things.
`, out)
	assert.Equal(t, intended, state(t, srv, s))
	assert.Equal(t, map[string]int{
		"POST /users":                         1,
		"POST /groups/:ref/members":           2,
		"POST /projects/:ref/members":         1,
		"PUT /groups/:ref/members/:user_id":   1,
		"PUT /projects/:ref/members/:user_id": 1,
	}, writes(srv))
	carol, ok := srv.UserByUsername("carol")
	require.True(t, ok)
	assert.Equal(t, "carol@example.com", carol.Email)
	assert.Equal(t, "Carol Danvers", carol.Name)

	srv.ResetCounters()
	out, err = onboard(vars, "-file", "team.json", "-apply")
	require.NoError(t, err, out)
	assert.Equal(t, `Onboarding from team.json (4 users, 2 groups, 1 project):
  keeping @dave in group platform/infra (Developer): not in the file; -prune removes
Nothing to do: GitLab matches team.json.
`, out)
	assert.Empty(t, writes(srv), "the second run sent writes")
	assert.Equal(t, intended, state(t, srv, s))
}

// -prune removes the direct members the file does not list, from that
// group only; a second run has nothing to do.
func TestOnboardPrune(t *testing.T) {
	srv, s, vars := setup(t)
	srv.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.GroupSource(s.Platform), UserID: s.Dave, AccessLevel: gitlabtest.AccessGuest,
		ExpiresAt: gitlab.Ptr(time.Date(2099, 1, 31, 0, 0, 0, 0, time.UTC))})

	out, err := onboard(vars, "-file", "team.json", "-prune")
	require.NoError(t, err, out)
	assert.Contains(t, out, "  would change @bob in group platform: level Reporter to Maintainer\n  would add @carol to group platform as Developer, until 2099-12-31\n  would remove @dave from group platform (Guest, until 2099-01-31)\n")
	assert.Contains(t, out, "  would add @alice to group platform/infra as Maintainer\n  would remove @dave from group platform/infra (Developer)\n")
	assert.Contains(t, out, "Would change 8 things.\n")
	assert.Empty(t, writes(srv))

	out, err = onboard(vars, "-file", "team.json", "-prune", "-apply")
	require.NoError(t, err, out)
	assert.Contains(t, out, "  removed @dave from group platform (Guest, until 2099-01-31)\n")
	assert.Contains(t, out, "Changed 8 things.\n")
	assert.Equal(t, slices.DeleteFunc(slices.Clone(intended), func(l string) bool { return strings.Contains(l, "@dave") }), state(t, srv, s))
	assert.Equal(t, 2, srv.RouteCount("DELETE", "/groups/:ref/members/:user_id"))

	srv.ResetCounters()
	out, err = onboard(vars, "-file", "team.json", "-prune", "-apply")
	require.NoError(t, err, out)
	assert.Contains(t, out, "Nothing to do: GitLab matches team.json.\n")
	assert.Empty(t, writes(srv))
}

// The user the token belongs to is neither listed nor pruned: a group
// Owner may prune the group without removing themself.
func TestOnboardNeverPrunesTheCaller(t *testing.T) {
	srv, s, _ := setup(t)
	_, token := srv.CreateUser(gitlabtest.UserSpec{Username: "lead"})
	lead, _ := srv.UserByUsername("lead")
	srv.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.GroupSource(s.Platform), UserID: lead.ID, AccessLevel: gitlabtest.AccessOwner})
	file := writeFile(t, `{"users": [{"username": "bob", "groups": [{"path": "platform", "level": "reporter"}]}]}`)

	out, err := onboard(clitest.EnvFor(srv, token), "-file", file, "-prune", "-apply")
	require.NoError(t, err, out)
	assert.Equal(t, fmt.Sprintf(`Onboarding from %s (1 user, 1 group, 0 projects):
  removed @olivia from group platform (Owner)
Changed 1 thing.
`, file), out)
	var left []int64
	for _, m := range srv.Members(gitlabtest.GroupSource(s.Platform)) {
		left = append(left, m.UserID)
	}
	assert.ElementsMatch(t, []int64{s.Bob, lead.ID}, left)
}

// A run broken by faults that hit after GitLab applied the write (the
// answer lost) is finished by the next runs, and nothing is done twice:
// each user is created and each member added by exactly one request.
func TestOnboardFaultsAfterApplyNothingTwice(t *testing.T) {
	srv, s, vars := setup(t, gitlabtest.WithFaults(0.3, 7, gitlabtest.FaultDropAfterApply, gitlabtest.FaultStatus502AfterApply))

	out, err := onboard(vars, "-file", "team.json", "-apply")
	require.Error(t, err, "no fault broke the first run; pick another seed:\n%s", out)
	assert.Contains(t, out, "run again to finish.\n")
	finish(t, srv, vars)

	assert.Equal(t, intended, state(t, srv, s))
	assert.Equal(t, 1, srv.RouteCount("POST", "/users"), "users created")
	assert.Equal(t, 3, srv.RouteCount("POST", "/groups/:ref/members")+srv.RouteCount("POST", "/projects/:ref/members"), "member adds sent")
}

// A run broken by faults that hit before GitLab handled the request is
// finished by the next runs: no add is refused as a repeat (GitLab would
// answer 409 "Member already exists", or that the email is taken), and
// the members are those the file asks for, each once.
func TestOnboardFaultsBeforeApplyFinishOnRerun(t *testing.T) {
	srv, s, vars := setup(t, gitlabtest.WithFaults(0.3, 3))

	out, err := onboard(vars, "-file", "team.json", "-apply")
	require.Error(t, err, "no fault broke the first run; pick another seed:\n%s", out)
	all := out + finish(t, srv, vars)
	assert.NotContains(t, all, "already")
	assert.NotContains(t, all, "taken")
	assert.Equal(t, intended, state(t, srv, s))
}

// finish runs onboard again, faults still on, until a run succeeds (at
// most 10 runs), then with faults off once more, which must find
// nothing to do and send no write. It returns the outputs of the runs
// before that last one, and keeps the server's counters.
func finish(t *testing.T, srv *gitlabtest.Server, vars func(string) string) string {
	t.Helper()
	var all strings.Builder
	for i := 0; ; i++ {
		require.Less(t, i, 10, "still failing after 10 runs:\n%s", all.String())
		out, err := onboard(vars, "-file", "team.json", "-apply")
		all.WriteString(out)
		if err == nil {
			break
		}
	}
	srv.Configure(gitlabtest.WithFaults(0, 0))
	before := writes(srv)
	out, err := onboard(vars, "-file", "team.json", "-apply")
	require.NoError(t, err, out)
	assert.Contains(t, out, "Nothing to do: GitLab matches team.json.\n")
	assert.Equal(t, before, writes(srv), "a run after the finishing one sent writes")
	return all.String()
}

// Mistakes in the file, users or sources that cannot be found, and a
// token that cannot create users are refused before any write.
func TestOnboardRefuses(t *testing.T) {
	srv, s, vars := setup(t)
	_, plain := srv.CreateUser(gitlabtest.UserSpec{Username: "plain"})
	srv.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.GroupSource(s.Platform), UserID: mustID(t, srv, "plain"), AccessLevel: gitlabtest.AccessOwner})
	srv.ResetCounters()
	file := func(users string) string { return writeFile(t, `{"users": [`+users+`]}`) }
	clitest.Check(t, runOnboard, []clitest.Case{
		{Name: "no -file", Vars: vars, Args: []string{"-apply"}, Code: 2, Err: "-file is required"},
		{Name: "missing file", Vars: vars, Args: []string{"-file", "nope.json"}, Code: 1, Err: "nope.json"},
		{Name: "unknown field", Vars: vars, Args: []string{"-file", file(`{"username": "bob", "group": []}`)}, Code: 1, Err: `unknown field "group"`},
		{Name: "bad level", Vars: vars, Args: []string{"-file", file(`{"username": "bob", "groups": [{"path": "platform", "level": "admin"}]}`)}, Code: 1,
			Err: `@bob: platform: level "admin" is not one of guest, planner, reporter, developer, maintainer, owner`},
		{Name: "past expiry", Vars: vars, Args: []string{"-file", file(`{"username": "bob", "groups": [{"path": "platform", "level": "guest", "expires_at": "2001-02-03"}]}`)}, Code: 1,
			Err: "@bob: platform: expires_at 2001-02-03 is in the past"},
		{Name: "bad date", Vars: vars, Args: []string{"-file", file(`{"username": "bob", "groups": [{"path": "platform", "level": "guest", "expires_at": "31/12/2099"}]}`)}, Code: 1,
			Err: `expires_at "31/12/2099" is not a date`},
		{Name: "user twice", Vars: vars, Args: []string{"-file", file(`{"username": "bob"}, {"username": "@Bob"}`)}, Code: 1, Err: "@bob is listed twice"},
		{Name: "source twice", Vars: vars, Args: []string{"-file", file(`{"username": "bob", "projects": [{"path": "platform/api", "level": "guest"}, {"path": "platform/api/", "level": "owner"}]}`)}, Code: 1,
			Err: "@bob: project platform/api is listed twice"},
		{Name: "email without name", Vars: vars, Args: []string{"-file", file(`{"username": "new", "email": "new@example.com"}`)}, Code: 1, Err: "give both email and name"},
		{Name: "no username", Vars: vars, Args: []string{"-file", file(`{"name": "Anon"}`)}, Code: 1, Err: "user 1 has no username"},
		{Name: "unknown user", Vars: vars, Args: []string{"-file", file(`{"username": "ghost", "groups": [{"path": "platform", "level": "guest"}]}`), "-apply"}, Code: 1,
			Err: "no user named @ghost (give an email and a name in the file to create them)"},
		{Name: "unknown group", Vars: vars, Args: []string{"-file", file(`{"username": "bob", "groups": [{"path": "platform/nope", "level": "guest"}]}`), "-apply"}, Code: 1,
			Err: "group platform/nope not found (onboard does not create groups or projects)"},
		{Name: "unknown project", Vars: vars, Args: []string{"-file", file(`{"username": "bob", "projects": [{"path": "nope/api", "level": "guest"}]}`), "-apply"}, Code: 1,
			Err: "project nope/api not found"},
		{Name: "create without admin", Vars: clitest.EnvFor(srv, plain), Args: []string{"-file", "team.json", "-apply"}, Code: 1,
			Err: "@plain is not an administrator: creating users (@carol) needs an administrator's token"},
		{Name: "unknown token", Vars: clitest.EnvFor(srv, "wrong"), Args: []string{"-file", "team.json", "-apply"}, Code: 1, Err: "401"},
		{Name: "stray argument", Vars: vars, Args: []string{"-file", "team.json", "apply"}, Code: 2, Err: "unexpected arguments"},
		{Name: "bad flag", Vars: vars, Args: []string{"-aply"}, Code: 2, Out: "flag provided but not defined: -aply"},
		{Name: "-h", Vars: vars, Args: []string{"-h"}, Code: 0, Out: "  -prune\n"},
		{Name: "no token", Vars: clitest.Env(map[string]string{"GITLAB_URL": srv.URL}), Args: []string{"-file", "team.json"}, Code: 1, Err: "GITLAB_TOKEN is empty"},
	})
	assert.Empty(t, writes(srv), "writes sent")
}

// A failed step does not stop the others; the run says so and returns
// an error naming it, and the next run plans only what is left. Here
// GitLab refuses @carol's add below her inherited level (GitLab's
// access_level_inheritance rule) while the rest is done.
func TestOnboardContinuesPastARefusal(t *testing.T) {
	srv, s, vars := setup(t)
	file := writeFile(t, `{"users": [
		{"username": "bob", "groups": [{"path": "platform", "level": "maintainer"}, {"path": "platform/infra", "level": "guest"}]},
		{"username": "alice", "groups": [{"path": "platform/infra", "level": "developer"}]}]}`)

	out, err := onboard(vars, "-file", file, "-apply")
	require.Error(t, err, out)
	assert.Contains(t, err.Error(), "1 step failed: add @bob to group platform/infra as Guest: ")
	assert.Contains(t, out, "  FAILED to add @bob to group platform/infra as Guest: ")
	assert.Contains(t, out, "  added @alice to group platform/infra as Developer\n")
	assert.Contains(t, out, "Changed 2 of 3 things; run again to finish.\n")
	assert.Contains(t, state(t, srv, s), "platform/infra @alice 30")

	out, err = onboard(vars, "-file", file)
	require.NoError(t, err, out)
	assert.Contains(t, out, "  would add @bob to group platform/infra as Guest\n")
	assert.Contains(t, out, "Would change 1 thing.\n")
}

// Without GITLAB_URL the program seeds its own GitLab and runs the
// sample team.json against it.
func TestOnboardEmbedded(t *testing.T) {
	got := clitest.Embedded(t, runOnboard)
	assert.True(t, strings.HasSuffix(got, "  would add @carol to project platform/api as Maintainer\nWould change 6 things.\n"), got)
	got = clitest.Embedded(t, runOnboard, "-apply")
	assert.True(t, strings.HasSuffix(got, "  added @carol to project platform/api as Maintainer\nChanged 6 things.\n"), got)
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "team.json")
	require.NoError(t, os.WriteFile(name, []byte(content), 0o600))
	return name
}

func mustID(t *testing.T, srv *gitlabtest.Server, username string) int64 {
	t.Helper()
	u, ok := srv.UserByUsername(username)
	require.True(t, ok, username)
	return u.ID
}
