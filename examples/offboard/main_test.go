package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/gitlabusers/gitlab/examples/internal/clitest"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// offboardSnapshot is everything offboarding may change, for one user.
type offboardSnapshot struct {
	User   gitlabtest.UserSnapshot
	SSH    []gitlabtest.SSHKeySnapshot
	GPG    []gitlabtest.GPGKeySnapshot
	Emails []gitlabtest.EmailSnapshot
	Tokens []gitlabtest.TokenSnapshot
}

func offboardSnap(t *testing.T, srv *gitlabtest.Server, id int64) offboardSnapshot {
	t.Helper()
	u, ok := srv.User(id)
	if !ok {
		t.Fatalf("user %d is gone", id)
	}
	return offboardSnapshot{u, srv.SSHKeys(id), srv.GPGKeys(id), srv.Emails(id), append(srv.ImpersonationTokens(id), srv.PersonalTokens(id)...)}
}

// offboardSetup starts a server seeded like the embedded mode and
// returns it with the seed's IDs and the environment pointing at it.
func offboardSetup(t *testing.T) (*gitlabtest.Server, departing, func(string) string) {
	t.Helper()
	srv := gitlabtest.NewServer()
	t.Cleanup(srv.Close)
	d, err := seed(context.Background(), srv, srv.Client())
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	srv.ResetCounters()
	return srv, d, clitest.EnvFor(srv, srv.AdminToken())
}

// offboardWrites lists the requests that were not GETs.
func offboardWrites(srv *gitlabtest.Server) map[string]int {
	w := map[string]int{}
	for route, n := range srv.RequestCounts() {
		if !strings.HasPrefix(route, "GET ") {
			w[route] = n
		}
	}
	return w
}

// A dry run prints every step it would take and sends only GETs: the
// server's state is the same afterwards.
func TestOffboardDryRunChangesNothing(t *testing.T) {
	srv, d, vars := offboardSetup(t)
	before := offboardSnap(t, srv, d.UserID)

	var out bytes.Buffer
	if err := run(context.Background(), &out, vars, []string{"-user", "@departing"}); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	want := `Dry run for @departing (ID 2, Dee Parting, state active); pass -apply to make these changes:
  would revoke impersonation token ` + strconv.FormatInt(d.TokenIDs[0], 10) + ` "deploy-script" (scopes api)
  would revoke impersonation token ` + strconv.FormatInt(d.TokenIDs[1], 10) + ` "support-debugging" (scopes read_user,read_repository)
  would revoke personal access token ` + strconv.FormatInt(d.PersonalIDs[0], 10) + ` "seed" (scopes api,read_api,read_user)
  would revoke personal access token ` + strconv.FormatInt(d.PersonalIDs[1], 10) + ` "ci" (scopes read_repository)
  would delete SSH key 1 "laptop"
  would delete SSH key 2 "build server"
  would delete GPG key 1
  would delete email 3 <dee@personal.example.org>
  would delete email 4 <dee.parting@old-team.example.com>
  would remove @departing from group 1 "Platform" (Developer)
  would remove @departing from group 2 "Infra" (Maintainer)
  would remove @departing from group 3 "Docs" (Reporter)
  would remove @departing from project 1 "API" (Developer)
  would block @departing
Would change 14 things.
`
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
	}
	if w := offboardWrites(srv); len(w) != 0 {
		t.Errorf("a dry run sent writes: %v", w)
	}
	if after := offboardSnap(t, srv, d.UserID); !reflect.DeepEqual(before, after) {
		t.Errorf("a dry run changed the user:\nbefore %+v\nafter  %+v", before, after)
	}
}

// -apply revokes the active tokens, deletes the keys and secondary
// emails, blocks the user, and touches nobody else. A second run finds
// nothing to do and sends no writes.
func TestOffboardApply(t *testing.T) {
	srv, d, vars := offboardSetup(t)
	bystander := offboardSnap(t, srv, d.BystanderID)

	var out bytes.Buffer
	if err := run(context.Background(), &out, vars, []string{"-user", strconv.FormatInt(d.UserID, 10), "-apply"}); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, line := range []string{
		"Offboarding @departing (ID 2, Dee Parting, state active):\n",
		`  revoked impersonation token ` + strconv.FormatInt(d.TokenIDs[0], 10) + ` "deploy-script" (scopes api)` + "\n",
		`  deleted SSH key 2 "build server"` + "\n",
		"  deleted GPG key 1\n",
		"  deleted email 4 <dee.parting@old-team.example.com>\n",
		"  removed @departing from group 2 \"Infra\" (Maintainer)\n",
		"  removed @departing from project 1 \"API\" (Developer)\n",
		"  blocked @departing\n",
		"Changed 14 things.\n",
	} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("output lacks %q:\n%s", line, out.String())
		}
	}

	got := offboardSnap(t, srv, d.UserID)
	if got.User.State != gitlabtest.StateBlocked {
		t.Errorf("state = %q, want blocked", got.User.State)
	}
	if len(got.SSH) != 0 || len(got.GPG) != 0 {
		t.Errorf("keys left: SSH %+v, GPG %+v", got.SSH, got.GPG)
	}
	if len(got.Emails) != 1 || !got.Emails[0].Primary || got.Emails[0].Email != "departing@example.com" {
		t.Errorf("emails left: %+v, want only the primary", got.Emails)
	}
	for _, tok := range got.Tokens {
		if !tok.Revoked {
			t.Errorf("token %d %q not revoked", tok.ID, tok.Name)
		}
	}
	if n := memberships(srv, d.UserID, d.Sources); n != 0 {
		t.Errorf("%d memberships left", n)
	}
	if n := memberships(srv, d.BystanderID, d.Sources); n != 2 {
		t.Errorf("the bystander has %d memberships, want 2 (owner of platform and docs)", n)
	}
	wantWrites := map[string]int{
		"DELETE /users/:id/impersonation_tokens/:token_id": 2, // not the one revoked before
		"DELETE /personal_access_tokens/:token_id":         2,
		"DELETE /users/:id/keys/:key_id":                   2,
		"DELETE /users/:id/gpg_keys/:key_id":               1,
		"DELETE /users/:id/emails/:email_id":               2,
		"POST /users/:id/block":                            1,
		"DELETE /groups/:ref/members/:user_id":             3, // one per membership: skip_subresources
		"DELETE /projects/:ref/members/:user_id":           1,
	}
	if w := offboardWrites(srv); !reflect.DeepEqual(w, wantWrites) {
		t.Errorf("writes = %v\nwant     %v", w, wantWrites)
	}
	if after := offboardSnap(t, srv, d.BystanderID); !reflect.DeepEqual(bystander, after) {
		t.Errorf("the bystander changed:\nbefore %+v\nafter  %+v", bystander, after)
	}

	srv.ResetCounters()
	out.Reset()
	if err := run(context.Background(), &out, vars, []string{"-user", "departing", "-apply"}); err != nil {
		t.Fatalf("second run: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "  already blocked: not blocking again\nNothing to do: the user is already offboarded.\n") {
		t.Errorf("second run:\n%s", out.String())
	}
	if w := offboardWrites(srv); len(w) != 0 {
		t.Errorf("second run sent writes: %v", w)
	}
}

// One failing step does not stop the others: the user is still blocked,
// the failure is printed, and run returns an error naming it.
func TestOffboardContinuesPastAFailure(t *testing.T) {
	srv, d, _ := offboardSetup(t)
	target, _ := url.Parse(srv.URL)
	rp := httputil.NewSingleHostReverseProxy(target)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete && r.URL.Path == "/api/v4/users/2/keys/1" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"message":"403 Forbidden"}`))
			return
		}
		rp.ServeHTTP(w, r)
	}))
	defer proxy.Close()

	var out bytes.Buffer
	err := run(context.Background(), &out, clitest.Env(map[string]string{"GITLAB_URL": proxy.URL, "GITLAB_TOKEN": srv.AdminToken()}), []string{"-user", "departing", "-apply"})
	if err == nil || !strings.Contains(err.Error(), `1 step failed: delete SSH key 1 "laptop"`) || !strings.Contains(err.Error(), "403") {
		t.Errorf("err = %v", err)
	}
	if !strings.Contains(out.String(), `  FAILED to delete SSH key 1 "laptop": `) || !strings.Contains(out.String(), "  blocked @departing\n") {
		t.Errorf("output:\n%s", out.String())
	}
	got := offboardSnap(t, srv, d.UserID)
	if got.User.State != gitlabtest.StateBlocked || len(got.SSH) != 1 || got.SSH[0].Title != "laptop" || len(got.GPG) != 0 {
		t.Errorf("after a failed step: state %s, SSH %+v, GPG %+v", got.User.State, got.SSH, got.GPG)
	}
}

// Mistakes are refused before any write.
func TestOffboardRefuses(t *testing.T) {
	srv, d, vars := offboardSetup(t)
	clitest.Check(t, runOffboard, append(clitest.Refusals(srv, "-user", "departing", "-apply"), []clitest.Case{
		{Name: "no -user", Vars: vars, Args: []string{"-apply"}, Code: 2, Err: "-user is required"},
		{Name: "unknown username", Vars: vars, Args: []string{"-user", "nobody", "-apply"}, Code: 1, Err: "no user named @nobody"},
		{Name: "unknown ID", Vars: vars, Args: []string{"-user", "999", "-apply"}, Code: 1, Err: "no user with ID 999"},
		{Name: "self", Vars: vars, Args: []string{"-user", "root", "-apply"}, Code: 1, Err: "@root is the user this token belongs to"},
		{Name: "stray argument", Vars: vars, Args: []string{"-user", "departing", "apply"}, Code: 2, Err: "unexpected arguments"},
	}...))
	if w := offboardWrites(srv); len(w) != 0 {
		t.Errorf("writes sent: %v", w)
	}
	if u, _ := srv.User(d.UserID); u.State != gitlabtest.StateActive {
		t.Errorf("departing is %s", u.State)
	}
}

// One change is "1 thing": a blocked user with one token left (the one
// CreateUser makes).
func TestOffboardCountsOneThing(t *testing.T) {
	srv, _, vars := offboardSetup(t)
	srv.CreateUser(gitlabtest.UserSpec{Username: "lonely", State: gitlabtest.StateBlocked})
	var out bytes.Buffer
	if err := run(context.Background(), &out, vars, []string{"-user", "lonely"}); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if !strings.HasSuffix(out.String(), "  already blocked: not blocking again\nWould change 1 thing.\n") {
		t.Errorf("output:\n%s", out.String())
	}
}

// -h prints the usage and exits 0, a bad flag or argument exits 2, and
// GITLAB_URL without GITLAB_TOKEN stops with a message; none of them
// sends a request.
func TestOffboardFlagsAndToken(t *testing.T) {
	srv, _, vars := offboardSetup(t)
	clitest.Check(t, runOffboard, []clitest.Case{
		{Name: "-h", Vars: vars, Args: []string{"-h"}, Code: 0, Out: "Usage: offboard [flags]\n"},
		{Name: "-help", Vars: vars, Args: []string{"-help"}, Code: 0, Out: "  -apply\n"},
		{Name: "bad flag", Vars: vars, Args: []string{"-aply"}, Code: 2, Out: "flag provided but not defined: -aply", Err: "-aply"},
		{Name: "no -user", Vars: vars, Args: []string{"-apply"}, Code: 2, Err: "-user is required"},
		{Name: "no token", Vars: clitest.Env(map[string]string{"GITLAB_URL": srv.URL}), Args: []string{"-user", "departing"}, Code: 1, Err: "GITLAB_URL is set but GITLAB_TOKEN is empty"},
	})
	clitest.NoRequests(t, srv)
}

// runOffboard runs the program as the tests drive it.
func runOffboard(out io.Writer, vars func(string) string, args []string) error {
	return run(context.Background(), out, vars, args)
}

// Without GITLAB_URL the program seeds its own GitLab and offboards
// @departing from it, reporting the state it left.
func TestOffboardEmbedded(t *testing.T) {
	if got := clitest.Embedded(t, runOffboard); !strings.HasSuffix(got, "Would change 14 things.\n") {
		t.Errorf("dry run:\n%s", got)
	}
	got := clitest.Embedded(t, runOffboard, "-apply")
	if !strings.HasSuffix(got, "Changed 14 things.\nThe embedded GitLab now holds for @departing: state blocked, SSH keys 0, GPG keys 0, secondary emails 0, active impersonation tokens 0, active personal access tokens 0, memberships 0.\n") {
		t.Errorf("apply:\n%s", got)
	}
}

// -billable GROUP removes the user from the top-level group's whole
// hierarchy with one request, and from the groups outside it one by
// one; a dry run shows both and sends no write, and a second run finds
// no seat to free and nothing to do.
func TestOffboardBillable(t *testing.T) {
	srv, d, vars := offboardSetup(t)

	var out bytes.Buffer
	if err := run(context.Background(), &out, vars, []string{"-user", "departing", "-billable", "platform"}); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if want := `  would delete email 4 <dee.parting@old-team.example.com>
  would remove @departing from platform and its subgroups and projects (3 memberships), freeing their seat
  would remove @departing from group 3 "Docs" (Reporter)
  would block @departing
Would change 12 things.
`; !strings.HasSuffix(out.String(), want) {
		t.Errorf("dry run:\n%s\nwant it to end with:\n%s", out.String(), want)
	}
	if w := offboardWrites(srv); len(w) != 0 {
		t.Errorf("a dry run sent writes: %v", w)
	}

	out.Reset()
	if err := run(context.Background(), &out, vars, []string{"-user", "departing", "-billable", "platform", "-apply"}); err != nil {
		t.Fatalf("apply: %v\n%s", err, out.String())
	}
	if want := "  removed @departing from platform and its subgroups and projects (3 memberships), freeing their seat\n  removed @departing from group 3 \"Docs\" (Reporter)\n  blocked @departing\nChanged 12 things.\n"; !strings.HasSuffix(out.String(), want) {
		t.Errorf("apply:\n%s", out.String())
	}
	w := offboardWrites(srv)
	if w["DELETE /groups/:ref/billable_members/:user_id"] != 1 || w["DELETE /groups/:ref/members/:user_id"] != 1 || w["DELETE /projects/:ref/members/:user_id"] != 0 {
		t.Errorf("membership writes: %v", w)
	}
	if n := memberships(srv, d.UserID, d.Sources); n != 0 {
		t.Errorf("%d memberships left", n)
	}
	if n := memberships(srv, d.BystanderID, d.Sources); n != 2 {
		t.Errorf("the bystander has %d memberships, want 2", n)
	}

	srv.ResetCounters()
	out.Reset()
	if err := run(context.Background(), &out, vars, []string{"-user", "departing", "-billable", "platform", "-apply"}); err != nil {
		t.Fatalf("second run: %v\n%s", err, out.String())
	}
	if want := "  not a billable member of platform: no seat to free\n  already blocked: not blocking again\nNothing to do: the user is already offboarded.\n"; !strings.HasSuffix(out.String(), want) {
		t.Errorf("second run:\n%s", out.String())
	}
	if w := offboardWrites(srv); len(w) != 0 {
		t.Errorf("second run sent writes: %v", w)
	}
}

// -billable takes a top-level group: GitLab's refusal of a subgroup is
// shown, the run goes on and fails at the end; an unknown group is an
// error, not "no seat to free".
func TestOffboardBillableNeedsTopLevelGroup(t *testing.T) {
	srv, d, vars := offboardSetup(t)
	for _, tc := range []struct{ group, out string }{
		{"platform/infra", "400 Bad request (-billable takes a top-level group)\n"},
		{"nope", "  FAILED to list billable memberships in nope: "},
	} {
		var out bytes.Buffer
		err := run(context.Background(), &out, vars, []string{"-user", "departing", "-billable", tc.group})
		if err == nil || !strings.Contains(err.Error(), "1 step failed: list billable memberships in "+tc.group) {
			t.Errorf("%s: err = %v", tc.group, err)
		}
		if !strings.Contains(out.String(), tc.out) || !strings.Contains(out.String(), `  would remove @departing from group 2 "Infra" (Maintainer)`) {
			t.Errorf("%s: output:\n%s", tc.group, out.String())
		}
	}
	if w := offboardWrites(srv); len(w) != 0 {
		t.Errorf("dry runs sent writes: %v", w)
	}
	if n := memberships(srv, d.UserID, d.Sources); n != 4 {
		t.Errorf("%d memberships left, want 4", n)
	}
}

// A run broken by faults that hit after GitLab applied a write (the
// answer lost) is finished by the next runs, and nothing is done twice:
// the billable removal, which GitLab refuses to repeat, and the block
// are each sent once.
func TestOffboardFaultsNothingTwice(t *testing.T) {
	srv, d, vars := offboardSetup(t)
	srv.Configure(gitlabtest.WithFaults(0.3, 3, gitlabtest.FaultDropAfterApply, gitlabtest.FaultStatus502AfterApply))
	args := []string{"-user", "departing", "-billable", "platform", "-apply"}

	var out bytes.Buffer
	err := run(context.Background(), &out, vars, args)
	if err == nil || !strings.Contains(out.String(), "  FAILED to remove @departing from platform and its subgroups and projects") {
		t.Fatalf("the faults did not break the billable removal; pick another seed: err %v\n%s", err, out.String())
	}
	for i := 0; err != nil; i++ {
		if i == 10 {
			t.Fatalf("still failing after 10 runs: %v\n%s", err, out.String())
		}
		out.Reset()
		err = run(context.Background(), &out, vars, args)
	}
	srv.Configure(gitlabtest.WithFaults(0, 0))
	before := offboardWrites(srv)
	out.Reset()
	if err := run(context.Background(), &out, vars, args); err != nil || !strings.HasSuffix(out.String(), "Nothing to do: the user is already offboarded.\n") {
		t.Errorf("last run: %v\n%s", err, out.String())
	}
	if after := offboardWrites(srv); !reflect.DeepEqual(before, after) {
		t.Errorf("the last run sent writes: %v, then %v", before, after)
	}
	for _, route := range []string{"DELETE /groups/:ref/billable_members/:user_id", "POST /users/:id/block"} {
		if n := before[route]; n != 1 {
			t.Errorf("%s sent %d times, want once", route, n)
		}
	}
	if n := memberships(srv, d.UserID, d.Sources); n != 0 {
		t.Errorf("%d memberships left", n)
	}
	if u, _ := srv.User(d.UserID); u.State != gitlabtest.StateBlocked {
		t.Errorf("departing is %s", u.State)
	}
}
