// Command leaked-tokens finds out what the token secrets found in a leak
// (a log, a paste, a commit) are, and with -apply revokes them, through
// GitLab's token information API. It needs an administrator's token of a
// self-managed GitLab (17.8 or later).
//
//	grep -oE 'gl[a-z]+-[A-Za-z0-9_.-]+' build.log | go run ./examples/leaked-tokens
//	go run ./examples/leaked-tokens -apply < secrets.txt
//	go run ./examples/leaked-tokens                   # embedded GitLab, sample secrets
//
// The secrets are read from stdin, one a line, and never from flags or
// the environment, which land in shell history and process lists.
// Blank lines and lines starting with # are skipped. Every line is sent
// to GitLab (POST /admin/token, the secret in the body) unless it cannot
// be a token (it holds spaces or control characters, or is shorter than
// 8 or longer than 1024 bytes); the same secret twice is looked up once.
//
// For each secret the program prints its line number, the prefix that
// names its type (glpat-…) and no more of it, and what GitLab knows:
// type, owner (for a group or project access token, its bot user and
// the group or project), scopes, state and last use. With -apply it
// revokes each active one (GitLab resets a feed or runner token instead:
// the runner must then be given the new one).
//
// The exit status is 0 when every line was identified (and, with
// -apply, revoked), 1 when a line could not be identified (not a token,
// or one GitLab does not know) or a revocation failed, and 2 for a bad
// flag. Run a built binary to see it: go run reports every non-zero
// status as 1.
//
// With no GITLAB_URL it starts an in-memory GitLab (package gitlabtest)
// with a few tokens and, when stdin is a terminal, reads sample secrets
// of its own: a valid token, a revoked one, a project access token, a
// runner token, an unknown token and a line that is not a token.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/examples/internal/cli"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// errUnresolved ends the program with status 1 when a secret could not
// be identified or revoked; the report has said which.
var errUnresolved = cli.Exit(1, errors.New("secrets not identified or not revoked"))

func main() {
	cli.Main("leaked-tokens", func(ctx context.Context) error {
		var in io.Reader = os.Stdin
		if fi, err := os.Stdin.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			in = nil // a terminal: nothing was piped in
		}
		return run(ctx, in, os.Stdout, os.Getenv, os.Args[1:], time.Now())
	})
}

// maxLine bounds a line: no GitLab token is this long.
const maxLine = 1024

// line is a line of the input that is neither blank nor a comment: a
// secret, or, when bad, something that cannot be a token.
type line struct {
	line  int
	value string
	bad   bool
}

// run is the whole program. in is nil when stdin is a terminal.
func run(ctx context.Context, in io.Reader, out io.Writer, getenv func(string) string, args []string, now time.Time) error {
	fs := cli.NewFlagSet("leaked-tokens", out, "Reads token secrets from stdin, one a line, identifies each with GitLab's token information API\nand with -apply revokes it. Prints no secret. Needs an administrator's token (self-managed GitLab).")
	apply := fs.Bool("apply", false, "revoke every active token found (the default is a dry run)")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}

	var client *gitlab.Client
	if getenv("GITLAB_URL") == "" {
		srv := gitlabtest.NewServer(gitlabtest.WithClock(func() time.Time { return now }))
		defer srv.Close()
		client = srv.Client()
		samples, err := seed(ctx, srv, client, now)
		if err != nil {
			return fmt.Errorf("seeding the embedded GitLab: %w", err)
		}
		fmt.Fprintf(out, "Using an embedded in-memory GitLab at %s (set GITLAB_URL and GITLAB_TOKEN to use a real one).\n", srv.URL)
		if in == nil {
			fmt.Fprintln(out, "Nothing piped into stdin: checking the embedded GitLab's sample secrets.")
			in = strings.NewReader(samples)
		}
		fmt.Fprintln(out)
	} else {
		c, err := cli.NewClient(getenv)
		if err != nil {
			return err
		}
		client = c
		if in == nil {
			return cli.Usagef("pipe the secrets into stdin, one a line (they are never read from flags)")
		}
	}
	if _, err := cli.Admin(ctx, client, "GitLab's token information API is for administrators"); err != nil {
		return err
	}

	lines, err := readLines(in)
	if err != nil {
		return err
	}
	failed := 0
	seen := map[string]int{} // secret -> its first line
	for _, l := range lines {
		if l.bad {
			fmt.Fprintf(out, "line %d: not a token (not sent to GitLab)\n", l.line)
			failed++
			continue
		}
		typ, prefix := gitlab.TokenTypeOf(l.value)
		shown := cmpOr(prefix, "(no known prefix)") + "…"
		if first, ok := seen[l.value]; ok {
			fmt.Fprintf(out, "line %d: %s the same secret as line %d\n", l.line, shown, first)
			continue
		}
		seen[l.value] = l.line
		if !check(ctx, out, client, l, shown, typ, *apply) {
			failed++
		}
	}
	fmt.Fprintf(out, "\n%s read, %d not identified or not revoked.\n", cli.Count(len(lines), "line"), failed)
	if !*apply {
		fmt.Fprintln(out, "Dry run: add -apply to revoke the active ones.")
	}
	if failed > 0 {
		return errUnresolved
	}
	return nil
}

// readLines reads the lines of in that are neither blank nor comments,
// trimmed.
func readLines(in io.Reader) ([]line, error) {
	var lines []line
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for n := 1; sc.Scan(); n++ {
		v := strings.TrimSpace(sc.Text())
		if v == "" || strings.HasPrefix(v, "#") {
			continue
		}
		bad := len(v) < 8 || len(v) > maxLine || strings.ContainsFunc(v, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) })
		lines = append(lines, line{line: n, value: v, bad: bad})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading stdin: %w", err)
	}
	return lines, nil
}

// check identifies one secret, prints what it is, and with apply revokes
// it when it is active. It reports whether all went well.
func check(ctx context.Context, out io.Writer, client *gitlab.Client, s line, shown string, typ gitlab.TokenType, apply bool) bool {
	info, _, err := client.TokenInformation.Get(ctx, s.value)
	switch {
	case errors.Is(err, gitlab.ErrNotFound):
		fmt.Fprintf(out, "line %d: %s not found: GitLab has no such %s (deleted, or not from this instance)\n", s.line, shown, words(typ))
		return false
	case err != nil:
		// The SDK keeps the secret out of its errors.
		fmt.Fprintf(out, "line %d: %s not identified: %v\n", s.line, shown, err)
		return false
	}
	what, active := describe(ctx, client, info)
	fmt.Fprintf(out, "line %d: %s %s\n", s.line, shown, what)
	if !apply || !active {
		return true
	}
	if _, err := client.TokenInformation.Revoke(ctx, s.value); err != nil {
		fmt.Fprintf(out, "line %d: %s revocation failed: %v\n", s.line, shown, err)
		return false
	}
	switch info.Type {
	case gitlab.TokenTypeFeedToken, gitlab.TokenTypeIncomingEmailToken, gitlab.TokenTypeRunnerAuthenticationToken,
		gitlab.TokenTypeOAuthApplicationSecret, gitlab.TokenTypeFeatureFlagsClientToken:
		fmt.Fprintf(out, "line %d: %s reset: GitLab issued a new value, the leaked one no longer works\n", s.line, shown)
	default:
		fmt.Fprintf(out, "line %d: %s revoked\n", s.line, shown)
	}
	return true
}

// describe says what info is, and whether it is active (worth revoking).
func describe(ctx context.Context, client *gitlab.Client, info *gitlab.TokenInformation) (string, bool) {
	switch {
	case info.PersonalAccessToken != nil:
		t := info.PersonalAccessToken
		state := "active"
		switch {
		case t.Revoked:
			state = "revoked"
		case !t.Active:
			state = "expired"
		}
		expires, used := "never expires", "never used"
		if t.ExpiresAt != nil {
			expires = "expires " + t.ExpiresAt.String()
		}
		if t.LastUsedAt != nil {
			used = "last used " + t.LastUsedAt.UTC().Format(time.RFC3339)
		}
		return fmt.Sprintf("%s token %d %q of %s: %s, scopes %s, %s, %s",
			tokenKind(ctx, client, t.UserID), t.ID, t.Name, owner(ctx, client, t.UserID), state,
			strings.Join(t.Scopes, ","), expires, used), state == "active"
	case info.Runner != nil:
		return fmt.Sprintf("runner authentication token of runner %d %q", info.Runner.ID, info.Runner.Description), true
	case info.User != nil:
		return fmt.Sprintf("%s of @%s (user %d)", words(info.Type), info.User.Username, info.User.ID), true
	case info.DeployToken != nil:
		t := info.DeployToken
		return fmt.Sprintf("deploy token %d %q (username %s): revoked %t, expired %t", t.ID, t.Name, t.Username, t.Revoked, t.Expired), !t.Revoked && !t.Expired
	default:
		return words(info.Type) + " (see GitLab's answer for details)", true
	}
}

// tokenKind tells a personal access token by its owner: a person's, a
// service account's, or a group's or project's (its bot user).
func tokenKind(ctx context.Context, client *gitlab.Client, userID int64) string {
	u, _, err := client.Users.Get(ctx, userID, nil)
	switch {
	case err != nil || !u.Bot:
		return "personal access"
	case strings.HasPrefix(u.Username, "group_") && strings.Contains(u.Username, "_bot_"):
		return "group access"
	case strings.HasPrefix(u.Username, "project_") && strings.Contains(u.Username, "_bot_"):
		return "project access"
	default:
		return "bot"
	}
}

// owner names the user userID, and for a bot the groups and projects it
// is a member of.
func owner(ctx context.Context, client *gitlab.Client, userID int64) string {
	u, _, err := client.Users.Get(ctx, userID, nil)
	if err != nil {
		return fmt.Sprintf("user %d (%v)", userID, err)
	}
	name := "@" + u.Username
	if !u.Bot {
		return name
	}
	var in []string
	for m, err := range client.Users.ListMembershipsIter(ctx, userID, nil) {
		if err != nil {
			break
		}
		in = append(in, fmt.Sprintf("%s %q as %s", strings.ToLower(string(m.SourceType)), m.SourceName, m.AccessLevel))
	}
	if len(in) > 0 {
		name += " (bot of " + strings.Join(in, ", ") + ")"
	}
	return name
}

// words names a token type in words: "personal access token".
func words(t gitlab.TokenType) string {
	return strings.ReplaceAll(cmpOr(string(t), "token"), "_", " ")
}

func cmpOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// seed fills the embedded GitLab with tokens of every kind the sample
// input names, and returns that input.
func seed(ctx context.Context, srv *gitlabtest.Server, client *gitlab.Client, now time.Time) (string, error) {
	alice, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "alice", Name: "Alice Liddell"})
	bob, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "bob", Name: "Bob Builder"})
	_, ci := srv.CreateToken(alice, gitlabtest.TokenSpec{Name: "ci", Scopes: []string{"api"}, ExpiresAt: now.AddDate(0, 3, 0), LastUsedAt: now.Add(-time.Hour)})
	_, old := srv.CreateToken(bob, gitlabtest.TokenSpec{Name: "old laptop", Scopes: []string{"read_api"}, Revoked: true})
	grp := srv.CreateGroup(gitlabtest.GroupSpec{Path: "platform"})
	proj := srv.CreateProject(gitlabtest.ProjectSpec{Path: "deployer", GroupID: grp})
	_, _, deploy := srv.AddAccessToken(gitlabtest.ProjectSource(proj), gitlabtest.AccessTokenSpec{Name: "deploy", Scopes: []string{"write_repository"}, ExpiresAt: now.AddDate(0, 6, 0)})
	srv.AddProjectMember(proj, bob, 40)
	runner, _, err := srv.ClientFor(srv.CreatePersonalToken(bob, "create_runner")).Users.CreateRunner(ctx,
		&gitlab.CreateUserRunnerOptions{RunnerType: gitlab.Ptr(gitlab.RunnerTypeProject), ProjectID: gitlab.Ptr(proj), Description: gitlab.Ptr("bob's laptop")})
	if err != nil {
		return "", err
	}
	return strings.Join([]string{
		"# secrets found in build.log",
		ci, old, deploy, runner.Token.Value(),
		"glpat-0000000000000000000000",
		"password: hunter2",
		ci,
	}, "\n") + "\n", nil
}
