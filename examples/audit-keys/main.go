// Command audit-keys reports two kinds of weak spots in a GitLab's user
// accounts: SSH keys that expire within -days days (or have expired, or
// never expire), and users who have not turned on two-factor
// authentication. It reads only, and needs an administrator's token
// (GitLab ignores the two-factor filter for anyone else).
//
//	go run ./examples/audit-keys              # embedded GitLab with sample users
//	go run ./examples/audit-keys -days 90
//
// With no GITLAB_URL it starts an in-memory GitLab (package gitlabtest)
// seeded with a few users and keys. With GITLAB_URL and GITLAB_TOKEN it
// audits that instance:
//
//	GITLAB_URL=https://gitlab.example.com GITLAB_TOKEN=glpat-... go run ./examples/audit-keys -days 30
//
// Only active human users are audited: blocked and deactivated accounts
// cannot sign in, and bots do not use two-factor authentication. GitLab
// has no endpoint listing every SSH key, so the keys are read user by
// user, -workers users at a time; the report is sorted all the same.
// -fail makes the program exit with status 3 when it found anything, for
// use in a scheduled job. Run a built binary for that: go run reports
// every non-zero status as 1.
package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/examples/internal/cli"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// errFindings is returned with -fail when the report is not empty: the
// program exits with status 3, and prints nothing more than the report.
var errFindings = cli.Exit(3, errors.New("findings reported"))

func main() {
	cli.Main("audit-keys", func(ctx context.Context) error {
		return run(ctx, os.Stdout, os.Getenv, os.Args[1:], time.Now())
	})
}

// finding is one SSH key worth reporting.
type finding struct {
	user    *gitlab.User
	key     *gitlab.SSHKey
	expires string // "never", "in 5 days", "expired 3 days ago"
}

// run is the whole program, with its environment and the current time
// passed in so that a test can drive it.
func run(ctx context.Context, out io.Writer, getenv func(string) string, args []string, now time.Time) error {
	fs := cli.NewFlagSet("audit-keys", out, "Reports SSH keys that expired, expire within -days or never expire, and users without\ntwo-factor authentication. Reads only; needs an administrator's token.")
	days := fs.Int("days", 30, "report SSH keys that expire within this many days")
	workers := fs.Int("workers", 8, "users whose keys are read at once")
	failOnFindings := fs.Bool("fail", false, "exit with status 3 when anything is reported")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *days < 0 {
		return cli.Usagef("-days must not be negative, not %d", *days)
	}
	if *workers < 1 {
		return cli.Usagef("-workers must be at least 1, not %d", *workers)
	}

	var client *gitlab.Client
	if getenv("GITLAB_URL") == "" {
		srv := gitlabtest.NewServer()
		defer srv.Close()
		client = srv.Client()
		if err := seed(ctx, srv, client, now); err != nil {
			return fmt.Errorf("seeding the embedded GitLab: %w", err)
		}
		fmt.Fprintf(out, "Using an embedded in-memory GitLab at %s with sample users (set GITLAB_URL and GITLAB_TOKEN to use a real one).\n\n", srv.URL)
	} else {
		var err error
		client, err = cli.NewClient(getenv)
		if err != nil {
			return err
		}
	}

	if _, err := cli.Admin(ctx, client, "GitLab ignores the two-factor filter for other users, so the report would be wrong"); err != nil {
		return err
	}

	audited := &gitlab.ListUsersOptions{
		ListOptions: gitlab.ListOptions{PerPage: 100},
		Active:      gitlab.Ptr(true),
		Humans:      gitlab.Ptr(true),
	}

	// 1. SSH keys, user by user.
	keys, users, err := expiringKeys(ctx, client, audited, now, *days, *workers)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "SSH keys expired, expiring within %s or never expiring (%s, as of %s):\n", cli.Count(*days, "day"), cli.Count(users, "active user"), now.UTC().Format(time.DateOnly))
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	for _, f := range keys {
		fmt.Fprintf(tw, "  @%s\t%q\t%s\n", f.user.Username, f.key.Title, f.expires)
	}
	tw.Flush()
	if len(keys) == 0 {
		fmt.Fprintln(out, "  none")
	}

	// 2. Users without two-factor authentication: GitLab filters them.
	no2FA := *audited
	no2FA.TwoFactor = gitlab.Ptr(gitlab.TwoFactorFilterDisabled)
	no2FA.OrderBy, no2FA.Sort = gitlab.Ptr(gitlab.UserOrderByUsername), gitlab.Ptr(gitlab.SortOrderAsc)
	fmt.Fprintln(out, "\nUsers without two-factor authentication:")
	n := 0
	tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	for u, err := range client.Users.ListIter(ctx, &no2FA) {
		if err != nil {
			return fmt.Errorf("list users without 2FA: %w", err)
		}
		if u.TwoFactorEnabled { // a GitLab that ignored the filter
			continue
		}
		n++
		fmt.Fprintf(tw, "  @%s\t%s\t%s\n", u.Username, u.Name, lastSeen(u))
	}
	tw.Flush()
	if n == 0 {
		fmt.Fprintln(out, "  none")
	}
	fmt.Fprintf(out, "\n%s and %s to follow up.\n", cli.Count(len(keys), "key"), cli.Count(n, "user"))
	if *failOnFindings && len(keys)+n > 0 {
		return errFindings
	}
	return nil
}

// expiringKeys reads every audited user's SSH keys, workers users at a
// time, and returns the keys to report sorted by expiry (never-expiring
// keys last), then username, then title, with the number of users read.
func expiringKeys(ctx context.Context, client *gitlab.Client, opt *gitlab.ListUsersOptions, now time.Time, days, workers int) ([]finding, int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	limit := now.AddDate(0, 0, days)

	var (
		mu       sync.Mutex
		found    []finding
		firstErr error
		wg       sync.WaitGroup
		users    int
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr == nil {
			firstErr = err
			cancel()
		}
	}
	todo := make(chan *gitlab.User)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range todo {
				for k, err := range client.SSHKeys.ListForUserIter(ctx, gitlab.UserID(u.ID), nil) {
					if err != nil {
						fail(fmt.Errorf("SSH keys of @%s: %w", u.Username, err))
						break
					}
					var expires string
					switch {
					case k.ExpiresAt == nil:
						expires = "never expires"
					case k.ExpiresAt.After(limit):
						continue
					case k.ExpiresAt.Before(now):
						expires = fmt.Sprintf("expired %s (%s ago)", k.ExpiresAt.UTC().Format(time.DateOnly), ago(now.Sub(*k.ExpiresAt)))
					default:
						expires = fmt.Sprintf("expires %s (in %s)", k.ExpiresAt.UTC().Format(time.DateOnly), ago(k.ExpiresAt.Sub(now)))
					}
					mu.Lock()
					found = append(found, finding{u, k, expires})
					mu.Unlock()
				}
			}
		}()
	}
	for u, err := range client.Users.ListIter(ctx, opt) {
		if err != nil {
			fail(fmt.Errorf("list users: %w", err))
			break
		}
		users++
		select {
		case todo <- u:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(todo)
	wg.Wait()
	if firstErr != nil {
		return nil, 0, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}

	far := time.Unix(1<<40, 0) // "never" sorts after any date
	slices.SortFunc(found, func(a, b finding) int {
		ea, eb := far, far
		if a.key.ExpiresAt != nil {
			ea = *a.key.ExpiresAt
		}
		if b.key.ExpiresAt != nil {
			eb = *b.key.ExpiresAt
		}
		return cmp.Or(ea.Compare(eb), cmp.Compare(a.user.Username, b.user.Username), cmp.Compare(a.key.Title, b.key.Title), cmp.Compare(a.key.ID, b.key.ID))
	})
	return found, users, nil
}

// ago writes a duration in days, rounded, or in hours under a day.
func ago(d time.Duration) string {
	if d < 24*time.Hour {
		return cli.Count(int(d.Hours()), "hour")
	}
	return cli.Count(int((d+12*time.Hour)/(24*time.Hour)), "day")
}

// lastSeen says when the user was last active, as far as GitLab knows.
func lastSeen(u *gitlab.User) string {
	if u.LastActivityOn == nil {
		return "never active"
	}
	return "last active " + u.LastActivityOn.String()
}

// seed fills the embedded GitLab with users whose keys and two-factor
// settings cover every line of the report.
func seed(ctx context.Context, srv *gitlabtest.Server, client *gitlab.Client, now time.Time) error {
	day := 24 * time.Hour
	alice, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "alice", Name: "Alice Admin", TwoFactorEnabled: true, LastActivityOn: now})
	bob, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "bob", Name: "Bob Builder", LastActivityOn: now.AddDate(0, 0, -2)})
	carol, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "carol", Name: "Carol Contractor", External: true})
	gone, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "gone", Name: "Gone Away", State: gitlabtest.StateBlocked})
	srv.CreateUser(gitlabtest.UserSpec{Username: "deploy-bot", Name: "Deploy Bot", Bot: true})

	for _, k := range []struct {
		user    int64
		title   string
		expires time.Duration // 0: never
	}{
		{alice, "laptop", 365 * day},
		{alice, "yubikey", 12 * day},
		{bob, "workstation", 0},
		{bob, "ci runner", 3 * day},
		{carol, "contract laptop", 45 * day},
		{gone, "old laptop", 0}, // blocked: not audited
	} {
		opt := &gitlab.CreateSSHKeyOptions{Title: gitlab.Ptr(k.title), Key: gitlab.Ptr(gitlabtest.FakeSSHKey(k.title))}
		if k.expires > 0 {
			opt.ExpiresAt = gitlab.Ptr(now.Add(k.expires).UTC().Truncate(time.Second))
		}
		if _, _, err := client.SSHKeys.CreateForUser(ctx, k.user, opt); err != nil {
			return err
		}
	}
	// GitLab refuses keys that have already expired, so this one is
	// made while the server's clock is two weeks behind; then the clock
	// stops at now, the time of the report.
	srv.Configure(gitlabtest.WithClock(func() time.Time { return now.Add(-14 * day) }))
	defer srv.Configure(gitlabtest.WithClock(func() time.Time { return now }))
	_, _, err := client.SSHKeys.CreateForUser(ctx, carol, &gitlab.CreateSSHKeyOptions{
		Title: gitlab.Ptr("forgotten"), Key: gitlab.Ptr(gitlabtest.FakeSSHKey("forgotten")),
		ExpiresAt: gitlab.Ptr(now.Add(-5 * day).UTC().Truncate(time.Second)),
	})
	return err
}
