// Command audit-tokens lists every active personal access token of a
// GitLab instance with its owner, and flags the ones that need
// attention. Group and project access tokens are personal access tokens
// of bot users, so they are listed too, with the group or project the
// bot belongs to and its role there; a service account's tokens are
// listed as its own. It flags tokens that expire within -days days,
// tokens never used or not used for -unused days, and tokens with
// powerful scopes (api, sudo, admin_mode; see -scopes). It needs an administrator's token: GitLab
// shows anyone else only their own tokens.
//
//	go run ./examples/audit-tokens                    # embedded GitLab with sample tokens
//	go run ./examples/audit-tokens -days 14 -format jsonl
//	go run ./examples/audit-tokens -rotate            # dry run: what would be rotated
//	go run ./examples/audit-tokens -rotate -apply -out new-tokens.jsonl
//
// With no GITLAB_URL it starts an in-memory GitLab (package gitlabtest)
// seeded with a few users, a service account and their tokens. With
// GITLAB_URL and GITLAB_TOKEN it audits that instance.
//
// -rotate rotates the flagged tokens that expire within -days days
// (never the token the program runs with; an access token through its
// group's or project's API, which checks the caller's role there); the new tokens expire
// -lifetime days from now. It is a dry run unless -apply is given. With
// -apply, each new secret is written to the file named by -out, created
// with mode 0600 (it must not exist yet), as one JSON object per line,
// and synced to disk as soon as GitLab answers, before anything else is
// done with the answer (a new token that does not expire has no
// expires_at); secrets never go to stdout or stderr. A rotation that fails without an
// answer from GitLab is not retried (it may have happened): the program
// reports it and says how to check.
//
// -fail makes the program exit with status 3 when it flagged anything,
// for use in a scheduled job. Run a built binary for that: go run
// reports every non-zero status as 1.
package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/examples/internal/cli"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// errFindings is returned with -fail when a token was flagged: the
// program exits with status 3, and prints nothing more than the report.
var errFindings = cli.Exit(3, errors.New("tokens flagged"))

func main() {
	cli.Main("audit-tokens", func(ctx context.Context) error {
		return run(ctx, os.Stdout, os.Getenv, os.Args[1:], time.Now())
	})
}

// options are the parsed flags.
type options struct {
	days, unused, lifetime int
	scopes                 []string
	format                 string
	fail, rotate, apply    bool
	out                    string
}

func parseFlags(out io.Writer, args []string) (*options, error) {
	fs := cli.NewFlagSet("audit-tokens", out, "Lists every active personal access token with its owner and flags those that expire soon,\nare unused or carry powerful scopes; -rotate rotates the expiring ones. Needs an administrator's token.")
	o := &options{}
	fs.IntVar(&o.days, "days", 30, "flag tokens that expire within this many days")
	fs.IntVar(&o.unused, "unused", 90, "flag tokens not used for this many days (never-used tokens are always flagged)")
	scopes := fs.String("scopes", "api,sudo,admin_mode", "comma-separated scopes to flag; empty flags none")
	fs.StringVar(&o.format, "format", "table", "output format: table or jsonl")
	fs.BoolVar(&o.fail, "fail", false, "exit with status 3 when a token is flagged")
	fs.BoolVar(&o.rotate, "rotate", false, "rotate the flagged tokens that expire within -days (dry run unless -apply)")
	fs.BoolVar(&o.apply, "apply", false, "with -rotate: really rotate")
	fs.StringVar(&o.out, "out", "", "with -rotate -apply: new file (mode 0600) that receives the new secrets")
	fs.IntVar(&o.lifetime, "lifetime", 90, "with -rotate: days until the new tokens expire")
	if err := cli.Parse(fs, args); err != nil {
		return nil, err
	}
	switch {
	case o.days < 0:
		return nil, cli.Usagef("-days must not be negative, not %d", o.days)
	case o.unused < 1:
		return nil, cli.Usagef("-unused must be at least 1, not %d", o.unused)
	case o.format != "table" && o.format != "jsonl":
		return nil, cli.Usagef("-format must be table or jsonl, not %q", o.format)
	case o.apply && !o.rotate:
		return nil, cli.Usagef("-apply needs -rotate")
	case o.rotate && o.apply && o.out == "":
		return nil, cli.Usagef("-rotate -apply needs -out FILE for the new secrets")
	case o.out != "" && !o.apply:
		return nil, cli.Usagef("-out is only used with -rotate -apply")
	case o.lifetime < 1 || o.lifetime > 365:
		return nil, cli.Usagef("-lifetime must be 1 to 365 days, not %d", o.lifetime)
	}
	for _, s := range strings.Split(*scopes, ",") {
		if s = strings.TrimSpace(s); s != "" {
			o.scopes = append(o.scopes, s)
		}
	}
	return o, nil
}

// row is one token of the report. Kind is "personal", "bot" (a service
// account's or another bot's), "group" or "project" (an access token);
// for the last two, Resource and Level say which group or project the
// token's bot user belongs to and its role there.
type row struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Kind      string     `json:"kind"`
	Resource  string     `json:"resource,omitempty"`
	Level     string     `json:"level,omitempty"`
	UserID    int64      `json:"user_id"`
	Username  string     `json:"username"`
	Scopes    []string   `json:"scopes"`
	ExpiresAt string     `json:"expires_at,omitempty"`
	LastUsed  *time.Time `json:"last_used_at"`
	Flags     []string   `json:"flags"`
	expiring  bool
	src       gitlab.Source // the group or project of an access token
}

// owner is what the report shows of a token's user.
type owner struct {
	username, kind, resource, level string
	src                             gitlab.Source
}

// ownerOf looks up a token's user. A bot user made for a group or
// project access token is named <group|project>_<id>_bot_<hex> and is a
// member of that group or project only: its membership names the
// resource and the token's role.
func ownerOf(ctx context.Context, client *gitlab.Client, userID int64) (owner, error) {
	u, _, err := client.Users.Get(ctx, userID, nil)
	if err != nil {
		return owner{}, err
	}
	o := owner{username: u.Username, kind: "personal"}
	if !u.Bot {
		return o, nil
	}
	o.kind = "bot"
	if !strings.HasPrefix(u.Username, "group_") && !strings.HasPrefix(u.Username, "project_") || !strings.Contains(u.Username, "_bot_") {
		return o, nil
	}
	ms, _, err := client.Users.ListMemberships(ctx, userID, nil)
	if err != nil {
		return owner{}, fmt.Errorf("memberships of bot @%s: %w", u.Username, err)
	}
	if len(ms) != 1 {
		return o, nil
	}
	m := ms[0]
	o.level = m.AccessLevel.String()
	if m.SourceType == gitlab.MembershipTypeProject {
		o.kind, o.resource, o.src = "project", m.SourceName, gitlab.ProjectID(m.SourceID)
	} else {
		o.kind, o.resource, o.src = "group", m.SourceName, gitlab.GroupID(m.SourceID)
	}
	return o, nil
}

// run is the whole program, with its environment and the current time
// passed in so that a test can drive it.
func run(ctx context.Context, out io.Writer, getenv func(string) string, args []string, now time.Time) error {
	o, err := parseFlags(out, args)
	if err != nil {
		return err
	}
	var client *gitlab.Client
	if getenv("GITLAB_URL") == "" {
		srv := gitlabtest.NewServer(gitlabtest.WithClock(func() time.Time { return now }))
		defer srv.Close()
		client = srv.Client()
		if err := seed(ctx, srv, client, now); err != nil {
			return fmt.Errorf("seeding the embedded GitLab: %w", err)
		}
		if o.format == "table" {
			fmt.Fprintf(out, "Using an embedded in-memory GitLab at %s with sample tokens (set GITLAB_URL and GITLAB_TOKEN to use a real one).\n\n", srv.URL)
		}
	} else {
		client, err = cli.NewClient(getenv)
		if err != nil {
			return err
		}
	}

	if _, err := cli.Admin(ctx, client, "GitLab would list only their own tokens"); err != nil {
		return err
	}
	// The token this program runs with is never rotated under its feet.
	var own int64
	if cur, _, err := client.PersonalAccessTokens.Current(ctx); err == nil {
		own = cur.ID
	}

	rows, err := audit(ctx, client, o, now)
	if err != nil {
		return err
	}
	flagged := 0
	for _, r := range rows {
		if len(r.Flags) > 0 {
			flagged++
		}
	}
	if err := report(out, o.format, rows, flagged, now); err != nil {
		return err
	}
	if o.rotate {
		if err := rotate(ctx, out, client, o, rows, own, now); err != nil {
			return err
		}
	}
	if o.fail && flagged > 0 {
		return errFindings
	}
	return nil
}

// audit lists every active token with its owner and flags.
func audit(ctx context.Context, client *gitlab.Client, o *options, now time.Time) ([]*row, error) {
	owners := map[int64]owner{}
	var rows []*row
	opt := &gitlab.ListPersonalAccessTokensOptions{
		ListOptions: gitlab.ListOptions{PerPage: 100},
		State:       gitlab.Ptr(gitlab.TokenStateActive),
	}
	horizon := now.AddDate(0, 0, o.days)
	for t, err := range client.PersonalAccessTokens.ListIter(ctx, opt) {
		if err != nil {
			return nil, fmt.Errorf("listing tokens: %w", err)
		}
		ow, ok := owners[t.UserID]
		if !ok {
			if ow, err = ownerOf(ctx, client, t.UserID); err != nil {
				return nil, fmt.Errorf("owner of token %d: %w", t.ID, err)
			}
			owners[t.UserID] = ow
		}
		r := &row{ID: t.ID, Name: t.Name, Kind: ow.kind, Resource: ow.resource, Level: ow.level, src: ow.src,
			UserID: t.UserID, Username: ow.username, Scopes: t.Scopes, LastUsed: t.LastUsedAt, Flags: []string{}}
		if t.ExpiresAt != nil {
			r.ExpiresAt = t.ExpiresAt.String()
			if t.ExpiresAt.Time().Before(horizon) {
				days := int(t.ExpiresAt.Time().Sub(now).Hours()/24 + 0.999)
				r.Flags = append(r.Flags, "expires in "+cli.Count(max(days, 0), "day"))
				r.expiring = true
			}
		}
		switch {
		case t.LastUsedAt == nil:
			r.Flags = append(r.Flags, "never used")
		case now.Sub(*t.LastUsedAt) > time.Duration(o.unused)*24*time.Hour:
			r.Flags = append(r.Flags, "unused for "+cli.Count(int(now.Sub(*t.LastUsedAt).Hours()/24), "day"))
		}
		for _, s := range o.scopes {
			if slices.Contains(t.Scopes, s) {
				r.Flags = append(r.Flags, "scope "+s)
			}
		}
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b *row) int {
		return cmp.Or(cmp.Compare(a.Username, b.Username), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return rows, nil
}

// report prints every token: a table, or one JSON object per line.
func report(out io.Writer, format string, rows []*row, flagged int, now time.Time) error {
	if format == "jsonl" {
		enc := json.NewEncoder(out)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	}
	fmt.Fprintf(out, "Active personal, group and project access tokens (as of %s):\n", now.UTC().Format(time.DateOnly))
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  ID\tOWNER\tKIND\tNAME\tSCOPES\tEXPIRES\tLAST USED\tFLAGS")
	for _, r := range rows {
		expires, used := cmp.Or(r.ExpiresAt, "never"), "never"
		if r.LastUsed != nil {
			used = r.LastUsed.UTC().Format(time.DateOnly)
		}
		kind := r.Kind
		if r.Resource != "" {
			kind = fmt.Sprintf("%s %s (%s)", r.Kind, r.Resource, r.Level)
		}
		fmt.Fprintf(tw, "  %d\t@%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Username, kind, r.Name, strings.Join(r.Scopes, ","), expires, used, strings.Join(r.Flags, "; "))
	}
	tw.Flush()
	fmt.Fprintf(out, "\n%s, %d flagged.\n", cli.Count(len(rows), "token"), flagged)
	return nil
}

// secretLine is one line of the -out file. ExpiresAt is absent when
// GitLab says the new token does not expire ("expires_at": null).
type secretLine struct {
	OldID     int64  `json:"old_id"`
	ID        int64  `json:"id"`
	Username  string `json:"username"`
	Name      string `json:"name"`
	ExpiresAt string `json:"expires_at,omitempty"`
	Token     string `json:"token"`
}

// writeSecret writes the new token's line to the -out file and syncs
// it, before anything else is done with the answer: GitLab has already
// revoked the old token, so this secret is the only way in. Nothing
// here reads a field that may be missing from GitLab's answer.
func writeSecret(f *os.File, r *row, t *gitlab.PersonalAccessToken) error {
	line := secretLine{OldID: r.ID, ID: t.ID, Username: r.Username, Name: t.Name, Token: t.Token.Value()}
	if t.ExpiresAt != nil {
		line.ExpiresAt = t.ExpiresAt.String()
	}
	b, err := json.Marshal(line)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		return err
	}
	return f.Sync()
}

// rotate rotates the flagged expiring tokens, or says what it would do.
func rotate(ctx context.Context, out io.Writer, client *gitlab.Client, o *options, rows []*row, own int64, now time.Time) error {
	var targets []*row
	for _, r := range rows {
		if r.expiring && r.ID != own {
			targets = append(targets, r)
		}
	}
	// Progress goes to stderr in jsonl mode, so stdout stays JSON.
	msgs := out
	if o.format == "jsonl" {
		msgs = os.Stderr
	}
	if !o.apply {
		for _, r := range targets {
			fmt.Fprintf(msgs, "would rotate token %d %q of @%s\n", r.ID, r.Name, r.Username)
		}
		fmt.Fprintf(msgs, "Dry run: %s would be rotated; add -apply -out FILE to rotate them.\n", cli.Count(len(targets), "token"))
		return nil
	}
	f, err := os.OpenFile(o.out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("secrets file: %w", err)
	}
	defer f.Close()
	expires := gitlab.NewISODate(now.AddDate(0, 0, o.lifetime).Date())
	var failed []error
	for _, r := range targets {
		t, err := rotateOne(ctx, client, r, expires)
		if err != nil {
			// The error never holds the new secret. Without an answer the
			// rotation may have happened: GitLab then revoked the old
			// token, and its successor's secret is lost.
			fmt.Fprintf(msgs, "token %d %q of @%s: rotation failed: %v (check with GET /personal_access_tokens/%d before retrying: if it is revoked, revoke its successor and rotate that instead)\n",
				r.ID, r.Name, r.Username, err, r.ID)
			failed = append(failed, err)
			continue
		}
		if err := writeSecret(f, r, t); err != nil {
			return fmt.Errorf("writing the secret of token %d to %s: %w", t.ID, o.out, err)
		}
		expiry := "does not expire"
		if t.ExpiresAt != nil {
			expiry = "expires " + t.ExpiresAt.String()
		}
		if t.Token.IsZero() {
			// Cannot happen with GitLab; if it does, the old token is
			// revoked and there is no secret to save: say so.
			fmt.Fprintf(msgs, "token %d %q of @%s: rotated, but GitLab's answer holds no secret for new token %d: revoke it and create a new token\n", r.ID, r.Name, r.Username, t.ID)
			failed = append(failed, fmt.Errorf("token %d: no secret in the answer", r.ID))
			continue
		}
		fmt.Fprintf(msgs, "rotated token %d %q of @%s: new token %d %s (secret in %s)\n", r.ID, r.Name, r.Username, t.ID, expiry, o.out)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", o.out, err)
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %s failed", len(failed), cli.Count(len(targets), "rotation"))
	}
	return nil
}

// rotateOne rotates r's token: an access token through its group's or
// project's API, which checks the caller's role there, and any other
// through the personal access tokens API. Both answer the new token.
func rotateOne(ctx context.Context, client *gitlab.Client, r *row, expires gitlab.ISODate) (*gitlab.PersonalAccessToken, error) {
	if r.src == nil {
		t, _, err := client.PersonalAccessTokens.Rotate(ctx, r.ID, &gitlab.RotatePersonalAccessTokenOptions{ExpiresAt: &expires})
		return t, err
	}
	t, _, err := client.AccessTokens.Rotate(ctx, r.src, r.ID, &gitlab.RotateAccessTokenOptions{ExpiresAt: &expires})
	if err != nil {
		return nil, err
	}
	return &gitlab.PersonalAccessToken{ID: t.ID, Name: t.Name, UserID: t.UserID, ExpiresAt: t.ExpiresAt, Token: t.Token}, nil
}

// seed fills the embedded GitLab with tokens that cover every flag.
func seed(ctx context.Context, srv *gitlabtest.Server, client *gitlab.Client, now time.Time) error {
	day := 24 * time.Hour
	alice, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "alice", Name: "Alice Admin"})
	bob, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "bob", Name: "Bob Builder"})
	deploy, _, err := client.ServiceAccounts.Create(ctx, &gitlab.CreateServiceAccountOptions{Name: gitlab.Ptr("Deploy"), Username: gitlab.Ptr("deploy-bot")})
	if err != nil {
		return err
	}
	// The users' sign-in tokens are not part of the story.
	for _, id := range []int64{alice, bob} {
		for _, t := range srv.PersonalTokens(id) {
			if _, err := client.PersonalAccessTokens.Revoke(ctx, t.ID); err != nil {
				return err
			}
		}
	}
	for _, t := range []struct {
		user    int64
		spec    gitlabtest.TokenSpec
		expires time.Duration
	}{
		{alice, gitlabtest.TokenSpec{Name: "laptop", Scopes: []string{"read_api"}, LastUsedAt: now.Add(-2 * day)}, 200 * day},
		{alice, gitlabtest.TokenSpec{Name: "terraform", Scopes: []string{"api"}, LastUsedAt: now.Add(-day)}, 10 * day},
		{bob, gitlabtest.TokenSpec{Name: "ci", Scopes: []string{"read_repository"}, LastUsedAt: now.Add(-3 * day)}, 5 * day},
		{bob, gitlabtest.TokenSpec{Name: "old script", Scopes: []string{"read_user"}, LastUsedAt: now.Add(-120 * day)}, 300 * day},
		{bob, gitlabtest.TokenSpec{Name: "forgotten", Scopes: []string{"read_api"}}, 100 * day},
		{deploy.ID, gitlabtest.TokenSpec{Name: "release", Scopes: []string{"write_repository"}, LastUsedAt: now.Add(-time.Hour)}, 20 * day},
		{deploy.ID, gitlabtest.TokenSpec{Name: "registry", Scopes: []string{"read_registry"}, LastUsedAt: now.Add(-time.Hour)}, 200 * day},
	} {
		t.spec.ExpiresAt = now.Add(t.expires)
		t.spec.CreatedAt = now.Add(-30 * day)
		srv.CreateToken(t.user, t.spec)
	}
	// A group and a project access token, each a bot user's.
	platform := srv.CreateGroup(gitlabtest.GroupSpec{Path: "platform"})
	deployer := srv.CreateProject(gitlabtest.ProjectSpec{Path: "deployer", GroupID: platform})
	srv.AddAccessToken(gitlabtest.GroupSource(platform), gitlabtest.AccessTokenSpec{Name: "renovate", Scopes: []string{"api"},
		AccessLevel: 40, ExpiresAt: now.Add(15 * day), CreatedAt: now.Add(-30 * day), LastUsedAt: now.Add(-time.Hour)})
	srv.AddAccessToken(gitlabtest.ProjectSource(deployer), gitlabtest.AccessTokenSpec{Name: "deploy", Scopes: []string{"read_repository"},
		AccessLevel: 30, ExpiresAt: now.Add(200 * day), CreatedAt: now.Add(-30 * day), LastUsedAt: now.Add(-time.Hour)})
	return nil
}
