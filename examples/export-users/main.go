// Command export-users streams every user of a GitLab instance to stdout,
// as CSV or as JSON lines, with progress on stderr:
//
//	go run ./examples/export-users                  # CSV, embedded GitLab
//	go run ./examples/export-users -format jsonl > users.jsonl
//
// With no GITLAB_URL it starts an in-memory GitLab (package gitlabtest)
// seeded with a few hundred users and exports those. With GITLAB_URL and
// GITLAB_TOKEN it exports that instance's users (an administrator's token
// sees every user and their email addresses; any other token sees the
// public fields of active users):
//
//	GITLAB_URL=https://gitlab.example.com GITLAB_TOKEN=glpat-... go run ./examples/export-users > users.csv
//
// Users are read with UsersService.ListIter, which follows the pages by
// itself. By default it asks for keyset pagination ordered by ID, which
// has no offset limit (offset pagination of /users stops at 50,000 rows)
// and stays consistent while users are added. -pagination offset uses
// offset pages instead, fetched -concurrency at a time
// (gitlab.WithPageConcurrency).
package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/examples/internal/cli"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

func main() {
	cli.Main("export-users", func(ctx context.Context) error {
		return run(ctx, os.Stdout, os.Stderr, os.Getenv, os.Args[1:])
	})
}

// record is one exported user: the columns of the CSV and the keys of a
// JSON line, in this order.
type record struct {
	ID               int64  `json:"id"`
	Username         string `json:"username"`
	Name             string `json:"name"`
	Email            string `json:"email"`
	State            string `json:"state"`
	Admin            bool   `json:"is_admin"`
	Bot              bool   `json:"bot"`
	External         bool   `json:"external"`
	TwoFactorEnabled bool   `json:"two_factor_enabled"`
	CreatedAt        string `json:"created_at"`
	LastActivityOn   string `json:"last_activity_on"`
}

// header names the CSV columns; it matches record's JSON keys.
var header = []string{"id", "username", "name", "email", "state", "is_admin", "bot", "external", "two_factor_enabled", "created_at", "last_activity_on"}

func newRecord(u *gitlab.User) record {
	r := record{
		ID:               u.ID,
		Username:         u.Username,
		Name:             u.Name,
		Email:            u.Email,
		State:            string(u.State),
		Admin:            u.IsAdmin,
		Bot:              u.Bot,
		External:         u.External,
		TwoFactorEnabled: u.TwoFactorEnabled,
	}
	if u.CreatedAt != nil {
		r.CreatedAt = u.CreatedAt.UTC().Format(time.RFC3339)
	}
	if u.LastActivityOn != nil {
		r.LastActivityOn = u.LastActivityOn.String()
	}
	return r
}

func (r record) fields() []string {
	return []string{
		strconv.FormatInt(r.ID, 10), r.Username, r.Name, r.Email, r.State,
		strconv.FormatBool(r.Admin), strconv.FormatBool(r.Bot), strconv.FormatBool(r.External),
		strconv.FormatBool(r.TwoFactorEnabled), r.CreatedAt, r.LastActivityOn,
	}
}

// run is the whole program, with its environment passed in so that a
// test can drive it. Users go to stdout, progress and notes to stderr.
func run(ctx context.Context, stdout, stderr io.Writer, getenv func(string) string, args []string) error {
	// The usage goes to stderr too: stdout is for users only.
	fs := cli.NewFlagSet("export-users", stderr, "Writes every user to stdout as CSV or JSON lines, with progress on stderr.")
	format := fs.String("format", "csv", "output format: csv or jsonl (one JSON object per line)")
	pagination := fs.String("pagination", "keyset", "keyset (no offset limit) or offset")
	perPage := fs.Int("per-page", 100, "users per request (GitLab caps it at 100)")
	concurrency := fs.Int("concurrency", 4, "with -pagination offset: pages fetched at once")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *format != "csv" && *format != "jsonl" {
		return cli.Usagef("-format must be csv or jsonl, not %q", *format)
	}
	if *pagination != "keyset" && *pagination != "offset" {
		return cli.Usagef("-pagination must be keyset or offset, not %q", *pagination)
	}
	if *perPage < 1 || *perPage > 100 {
		return cli.Usagef("-per-page must be between 1 and 100, not %d", *perPage)
	}

	// Page concurrency only helps offset pagination: keyset pages can
	// only be reached one after the other.
	opts := []gitlab.ClientOption{gitlab.WithPageConcurrency(*concurrency)}
	var client *gitlab.Client
	if getenv("GITLAB_URL") == "" {
		srv := gitlabtest.NewServer()
		defer srv.Close()
		seed(srv)
		fmt.Fprintf(stderr, "Using an embedded in-memory GitLab at %s with %s (set GITLAB_URL and GITLAB_TOKEN to use a real one).\n", srv.URL, cli.Count(srv.UserCount(), "user"))
		client = srv.Client(opts...)
	} else {
		var err error
		client, err = cli.NewClient(getenv, opts...)
		if err != nil {
			return err
		}
	}

	opt := &gitlab.ListUsersOptions{
		ListOptions: gitlab.ListOptions{PerPage: *perPage},
		OrderBy:     gitlab.Ptr(gitlab.UserOrderByID),
		Sort:        gitlab.Ptr(gitlab.SortOrderAsc),
	}
	if *pagination == "keyset" {
		opt.Pagination = gitlab.Ptr(gitlab.PaginationKeyset)
	}

	var write func(record) error
	var flush func() error
	switch *format {
	case "csv":
		w := csv.NewWriter(stdout)
		if err := w.Write(header); err != nil {
			return err
		}
		write = func(r record) error { return w.Write(r.fields()) }
		flush = func() error { w.Flush(); return w.Error() }
	case "jsonl":
		enc := json.NewEncoder(stdout) // Encode ends each value with a newline
		write = func(r record) error { return enc.Encode(r) }
		flush = func() error { return nil }
	}

	start := time.Now()
	n := 0
	for u, err := range client.Users.ListIter(ctx, opt) {
		if err != nil {
			_ = flush()
			return fmt.Errorf("after %s: %w", cli.Count(n, "user"), keysetHint(err, *pagination))
		}
		if err := write(newRecord(u)); err != nil {
			return err
		}
		if n++; n%*perPage == 0 {
			fmt.Fprintf(stderr, "exported %s...\n", cli.Count(n, "user"))
		}
	}
	if err := flush(); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "exported %s in %s\n", cli.Count(n, "user"), time.Since(start).Round(time.Millisecond))
	return nil
}

// keysetHint explains the two errors a GitLab gives about pagination
// modes: 405 for keyset on versions without it, and 405 for offset
// pages past the 50,000th user.
func keysetHint(err error, pagination string) error {
	var er *gitlab.ErrorResponse
	if !errors.As(err, &er) || er.StatusCode != http.StatusMethodNotAllowed {
		return err
	}
	if pagination == "keyset" {
		return fmt.Errorf("%w (this GitLab may not offer keyset pagination for users: try -pagination offset)", err)
	}
	return fmt.Errorf("%w (offset pagination stops at 50,000 users: use -pagination keyset)", err)
}

// seed fills the embedded GitLab: a few hundred plain users, and a few
// whose fields show what the export does with blocked users, bots, 2FA,
// and names that need quoting in CSV.
func seed(srv *gitlabtest.Server) {
	srv.CreateUser(gitlabtest.UserSpec{Username: "ada", Name: `Ada "Countess" Lovelace, FRS`, TwoFactorEnabled: true,
		LastActivityOn: time.Now().AddDate(0, 0, -3)})
	srv.CreateUser(gitlabtest.UserSpec{Username: "former", Name: "Former Employee", State: gitlabtest.StateBlocked})
	srv.CreateUser(gitlabtest.UserSpec{Username: "ci-bot", Name: "CI Bot", Bot: true})
	srv.GenerateUsers(247)
}
