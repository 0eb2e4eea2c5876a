package main

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/examples/internal/cli"
	"github.com/gitlabusers/gitlab/examples/internal/clitest"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// leakNow is the fixed time of the tests.
var leakNow = time.Date(2030, time.March, 1, 12, 0, 0, 0, time.UTC)

// fixture is a GitLab holding one token of each kind the program tells
// apart, and their secrets.
type fixture struct {
	srv                         *gitlabtest.Server
	vars                        func(string) string
	alice, old, deploy, runner  string
	aliceID, oldID, deployID    int64
	deployBot                   int64
	project                     int64
	unknown, garbage, shortLine string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{srv: gitlabtest.NewServer(gitlabtest.WithClock(func() time.Time { return leakNow }))}
	t.Cleanup(f.srv.Close)
	f.vars = clitest.EnvFor(f.srv, f.srv.AdminToken())
	alice, _ := f.srv.CreateUser(gitlabtest.UserSpec{Username: "alice"})
	bob, _ := f.srv.CreateUser(gitlabtest.UserSpec{Username: "bob"})
	f.aliceID, f.alice = f.srv.CreateToken(alice, gitlabtest.TokenSpec{Name: "ci", Scopes: []string{"api", "read_user"}, ExpiresAt: leakNow.AddDate(0, 1, 0), LastUsedAt: leakNow.Add(-time.Hour)})
	f.oldID, f.old = f.srv.CreateToken(bob, gitlabtest.TokenSpec{Name: "old laptop", Scopes: []string{"read_api"}, Revoked: true})
	grp := f.srv.CreateGroup(gitlabtest.GroupSpec{Path: "platform"})
	f.project = f.srv.CreateProject(gitlabtest.ProjectSpec{Path: "deployer", GroupID: grp, Maintainers: []int64{bob}})
	f.deployID, f.deployBot, f.deploy = f.srv.AddAccessToken(gitlabtest.ProjectSource(f.project),
		gitlabtest.AccessTokenSpec{Name: "deploy", Scopes: []string{"write_repository"}, AccessLevel: 30, ExpiresAt: leakNow.AddDate(0, 2, 0)})
	r, _, err := f.srv.ClientFor(f.srv.CreatePersonalToken(bob, "create_runner")).Users.CreateRunner(context.Background(),
		&gitlab.CreateUserRunnerOptions{RunnerType: gitlab.Ptr(gitlab.RunnerTypeProject), ProjectID: gitlab.Ptr(f.project), Description: gitlab.Ptr("bob's laptop")})
	if err != nil {
		t.Fatal(err)
	}
	f.runner = r.Token.Value()
	f.unknown = "glpat-doesnotexist0000000000"
	f.garbage = "password: hunter2"
	f.shortLine = "glpat-"
	return f
}

// input is the mixed input of the tests: every kind of line.
func (f *fixture) input() string {
	return strings.Join([]string{
		"# found in build.log, 2030-02-28",
		"",
		"  " + f.alice + "  ",             // line 3: surrounding blanks are trimmed
		f.old,                             // 4: revoked already
		f.deploy,                          // 5: a project access token
		f.runner,                          // 6
		f.unknown,                         // 7: a prefix GitLab knows, no such token
		f.garbage,                         // 8: not a token, never sent
		f.shortLine,                       // 9: too short to be one
		"nope-" + strings.Repeat("x", 30), // 10: no prefix GitLab knows
		f.alice,                           // 11: the same as line 3
	}, "\n") + "\n"
}

// secrets are the lines of input that must never be printed.
func (f *fixture) secrets() []string {
	return []string{f.alice, f.old, f.deploy, f.runner, f.unknown, "hunter2", strings.Repeat("x", 30)}
}

// runWith runs the program on input and returns its output and error,
// and the error as cli.Report would print it to stderr.
func runWith(t *testing.T, vars func(string) string, input string, args ...string) (string, string, error) {
	t.Helper()
	var out, stderr bytes.Buffer
	var in io.Reader
	if input != "" {
		in = strings.NewReader(input)
	}
	err := run(context.Background(), in, &out, vars, args, leakNow)
	cli.Report(&stderr, "leaked-tokens", err)
	return out.String(), stderr.String(), err
}

// noSecret fails the test for any secret in any of outputs.
func noSecret(t *testing.T, f *fixture, outputs ...string) {
	t.Helper()
	for _, o := range outputs {
		for _, s := range f.secrets() {
			if strings.Contains(o, s) {
				t.Errorf("output shows a secret (%.8s…):\n%s", s, o)
			}
		}
	}
}

// A dry run identifies every line, says what each is, revokes nothing,
// shows no secret and exits 1 because some lines are not tokens GitLab
// knows.
func TestDryRunMixedInput(t *testing.T) {
	f := newFixture(t)
	out, stderr, err := runWith(t, f.vars, f.input())
	noSecret(t, f, out, stderr)
	if code := cli.ExitCode(err); code != 1 {
		t.Fatalf("exit status %d (err %v), want 1\n%s", code, err, out)
	}
	for _, want := range []string{
		"line 8: not a token (not sent to GitLab)",
		"line 9: not a token (not sent to GitLab)",
		`line 3: glpat-… personal access token ` + itoa(f.aliceID) + ` "ci" of @alice: active, scopes api,read_user, expires 2030-04-01, last used 2030-03-01T11:00:00Z`,
		`line 4: glpat-… personal access token ` + itoa(f.oldID) + ` "old laptop" of @bob: revoked, scopes read_api`,
		`line 5: glpat-… project access token ` + itoa(f.deployID) + ` "deploy" of @project_`,
		`(bot of project "deployer" as Developer): active, scopes write_repository, expires 2030-05-01, never used`,
		`line 6: glrt-… runner authentication token of runner `,
		`"bob's laptop"`,
		"line 7: glpat-… not found: GitLab has no such personal access token",
		"line 10: (no known prefix)… not identified:",
		"Token type not supported.",
		"line 11: glpat-… the same secret as line 3",
		"9 lines read, 4 not identified or not revoked.",
		"Dry run: add -apply to revoke the active ones.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The report follows the input's order.
	for i := 3; i < 11; i++ {
		if strings.Index(out, "line "+strconv.Itoa(i)+":") > strings.Index(out, "line "+strconv.Itoa(i+1)+":") {
			t.Errorf("line %d is reported after line %d:\n%s", i, i+1, out)
		}
	}
	if strings.Contains(out, "revoked\n") || strings.Contains(out, "reset:") {
		t.Errorf("a dry run revoked something:\n%s", out)
	}
	if tok, _ := f.srv.Token(f.aliceID); tok.Revoked {
		t.Error("a dry run revoked alice's token")
	}
	if got := f.srv.ClientFor(f.alice); !works(got) {
		t.Error("alice's token stopped working after a dry run")
	}
}

// -apply revokes each active token, resets the runner's, leaves the
// revoked one alone, keeps the bot user of the project token, and
// still exits 1 for the lines it could not identify.
func TestApplyRevokesActiveTokens(t *testing.T) {
	f := newFixture(t)
	out, stderr, err := runWith(t, f.vars, f.input(), "-apply")
	noSecret(t, f, out, stderr)
	if code := cli.ExitCode(err); code != 1 {
		t.Fatalf("exit status %d (err %v), want 1\n%s", code, err, out)
	}
	for _, want := range []string{
		"line 3: glpat-… revoked",
		"line 5: glpat-… revoked",
		"line 6: glrt-… reset: GitLab issued a new value, the leaked one no longer works",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "line 4: glpat-… revoked") {
		t.Errorf("the revoked token was revoked again:\n%s", out)
	}
	for _, s := range []string{f.alice, f.deploy} {
		if works(f.srv.ClientFor(s)) {
			t.Errorf("token %.8s… still works after -apply", s)
		}
	}
	if tok, _ := f.srv.Token(f.aliceID); !tok.Revoked {
		t.Error("alice's token is not revoked")
	}
	if _, ok := f.srv.User(f.deployBot); !ok {
		t.Error("the project token's bot user is gone")
	}
	for _, r := range f.srv.Runners() {
		if r.Token == f.runner {
			t.Error("the runner still has the leaked token")
		}
	}
	// Line 3 and line 11 are one token: it is revoked once.
	if n := strings.Count(out, "glpat-… revoked"); n != 2 {
		t.Errorf("%d revocations, want 2:\n%s", n, out)
	}
}

// Input in which every line is a token GitLab knows ends with status 0,
// dry run or not.
func TestAllIdentifiedExitsZero(t *testing.T) {
	f := newFixture(t)
	input := strings.Join([]string{f.alice, f.old, f.deploy}, "\n")
	for _, args := range [][]string{nil, {"-apply"}} {
		out, stderr, err := runWith(t, f.vars, input, args...)
		noSecret(t, f, out, stderr)
		if err != nil {
			t.Errorf("%q: %v\n%s", args, err, out)
		}
		if !strings.Contains(out, "3 lines read, 0 not identified or not revoked.") {
			t.Errorf("%q: output:\n%s", args, out)
		}
	}
}

// A revocation GitLab refuses is reported, without the secret, and the
// program exits 1: GitLab does not revoke a service account's token
// through this API.
func TestRevocationRefusedExitsOne(t *testing.T) {
	f := newFixture(t)
	_, sa := f.srv.CreateServiceAccount(gitlabtest.UserSpec{Username: "deployer-sa"})
	out, stderr, err := runWith(t, f.vars, sa+"\n", "-apply")
	if strings.Contains(out+stderr, sa) {
		t.Errorf("output shows the secret:\n%s%s", out, stderr)
	}
	if code := cli.ExitCode(err); code != 1 {
		t.Errorf("exit status %d (err %v), want 1\n%s", code, err, out)
	}
	if !strings.Contains(out, "revocation failed") || !strings.Contains(out, "Unsupported personal access token type") {
		t.Errorf("output:\n%s", out)
	}
}

// The secrets never come from flags, and a real GitLab with nothing
// piped in is a usage error; so are non-administrators and bad tokens.
func TestRefusals(t *testing.T) {
	f := newFixture(t)
	clitest.Check(t, func(out io.Writer, vars func(string) string, args []string) error {
		return run(context.Background(), strings.NewReader(f.alice+"\n"), out, vars, args, leakNow)
	}, append(clitest.Refusals(f.srv),
		clitest.Case{Name: "a secret as a flag", Vars: f.vars, Args: []string{"-token", "glpat-x"}, Code: 2},
		clitest.Case{Name: "a secret as an argument", Vars: f.vars, Args: []string{"glpat-x"}, Code: 2, Err: "unexpected arguments"},
	))
	_, _, err := runWith(t, f.vars, "")
	if code := cli.ExitCode(err); code != 2 || !strings.Contains(err.Error(), "pipe the secrets into stdin") {
		t.Errorf("nothing piped in: status %d, err %v", code, err)
	}
}

// Without GITLAB_URL and with nothing piped in, the program checks the
// embedded GitLab's sample secrets: every kind of line, so it exits 1.
func TestEmbeddedSamples(t *testing.T) {
	out, _, err := runWith(t, clitest.Env(nil), "")
	if code := cli.ExitCode(err); code != 1 {
		t.Errorf("exit status %d (err %v), want 1", code, err)
	}
	for _, want := range []string{
		"Using an embedded in-memory GitLab at http://127.0.0.1:",
		"Nothing piped into stdin: checking the embedded GitLab's sample secrets.",
		`"ci" of @alice: active`,
		`"old laptop" of @bob: revoked`,
		"project access token",
		"runner authentication token",
		"not found",
		"not a token (not sent to GitLab)",
		"the same secret as line 2",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "glpat-") && strings.Contains(out, "glpat-0000000000") {
		t.Errorf("output shows a sample secret:\n%s", out)
	}
}

// works reports whether the client's token still authenticates.
func works(c *gitlab.Client) bool {
	_, _, err := c.Users.Current(context.Background())
	return err == nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
