// Command gitlabfake runs gitlabtest's in-memory GitLab as a standalone
// server, so that tests written in any language, with any GitLab client
// (python-gitlab, gitbeaker, client-go, Terraform's GitLab provider,
// curl), can run against it instead of a GitLab instance. Install it
// with
//
//	go install github.com/gitlabusers/gitlab/cmd/gitlabfake@latest
//
// and start it:
//
//	gitlabfake -seed seed.json -json
//
// It serves GitLab's REST API under /api/v4 until it gets SIGINT or
// SIGTERM; the state lives in memory and is lost on exit. The flags:
//
//	-addr host:port  address to listen on (default 127.0.0.1:0, a free port)
//	-token secret    the administrator root's token (default: a random one)
//	-seed file       a seed file to load (below)
//	-users n         n more users, named user<ID>, after the seed's
//	-json            print one JSON line when ready, and nothing else on stdout
//	-gitlab-com      answer as GitLab.com does (gitlabtest.WithGitLabCom), not
//	                 as a self-managed instance
//
// # Seed files
//
// A seed file is a JSON object describing users, groups and projects.
// Users are named by username, groups by full path; a token's "token" is
// the secret the fake accepts for it, so a test in any language knows
// it:
//
//	{
//	  "users": [
//	    {"username": "alice", "name": "Alice", "email": "alice@example.com",
//	     "password": "wonderland-rabbit-hole-42", "state": "active",
//	     "admin": false, "bot": false, "external": false,
//	     "token": "glpat-alice-seed-0001",
//	     "identities": [{"provider": "ldapmain", "extern_uid": "uid=alice,ou=people"}],
//	     "custom_attributes": {"team": "platform"},
//	     "ssh_keys": [{"title": "laptop", "key": "ssh-ed25519 AAAA... alice@laptop"}],
//	     "gpg_keys": [{"key": "-----BEGIN PGP PUBLIC KEY BLOCK-----\n...\n-----END PGP PUBLIC KEY BLOCK-----"}],
//	     "emails": [{"email": "alice@corp.example", "confirmed": true}],
//	     "tokens": [{"name": "ci", "token": "glpat-alice-ci-0002", "scopes": ["read_api"],
//	                 "expires_at": "2027-01-31", "impersonation": false, "revoked": false}]}
//	  ],
//	  "groups": [{"path": "platform", "name": "Platform", "parent": "", "visibility": "private",
//	              "members": [{"username": "alice", "access_level": 50}]}],
//	  "projects": [{"path": "api", "name": "API", "group": "platform", "visibility": "private",
//	                "members": [{"username": "alice", "access_level": 40}]}],
//	  "deploy_keys": [{"title": "ci", "key": "ssh-ed25519 AAAA... ci", "usage_type": "auth_and_signing",
//	                   "user": "alice", "public": false, "expires_at": "2027-01-31",
//	                   "projects": [{"project": "platform/api", "can_push": true}]}]
//	}
//
// Only a user's username, a group's and a project's path and a project's
// group are required. Leaving out the rest gives GitLab's defaults: an
// email of username@example.com, state active, visibility private, a
// token named "personal" with the api scope that never expires. A user's
// own "token" is a token named "seed" with the scopes api, read_api and
// read_user (and sudo and admin_mode for an administrator) that never
// expires; a user without one has no token. A state is one of active,
// blocked, ldap_blocked, deactivated, banned and blocked_pending_approval;
// an access level one of 10 (guest), 15 (planner), 20 (reporter), 30
// (developer), 40 (maintainer) and 50 (owner). A group's parent, and a
// project's group, is the full path of a group listed before it. A deploy
// key needs a title and a key whose fingerprint no other key has; its
// user (its creator) is a username, its projects full paths of projects
// the key is enabled in, with write access when can_push. The
// administrator root (ID 1), with the -token secret, always exists; the
// seed's users follow it, in order, then the -users ones.
// testdata/seed.json in this command's directory is a complete example.
//
// A bad seed file (not JSON, a field the format does not know, a value
// of the wrong type, a taken username, email, key or secret, a group
// that is not listed before) is refused with an error naming its line
// and field, such as
//
//	gitlabfake: -seed seed.json: line 12: users[0].tokens[1].expires_at: is not a date (YYYY-MM-DD)
//
// and exit status 2; nothing is served. gitlabtest.Server.LoadSeed loads
// the same files in Go tests.
//
// # Ready line
//
// With -json, gitlabfake prints exactly one line on stdout once it
// answers requests, for a test harness to read:
//
//	{"url":"http://127.0.0.1:41234","api_url":"http://127.0.0.1:41234/api/v4","admin_token":"glpat-admin-...","pid":12345}
//
// Without it, it prints the same for a person to read.
//
// # Reset between tests
//
// POST /-/gitlabfake/reset with the administrator's token in a
// PRIVATE-TOKEN header puts the server back into the state it was in
// when it became ready (the seed and the -users loaded again, IDs
// counting from the same numbers) and answers 204:
//
//	curl -X POST -H "PRIVATE-TOKEN: $ADMIN_TOKEN" http://127.0.0.1:41234/-/gitlabfake/reset
//
// A missing or wrong token gets 401 {"message":"401 Unauthorized"}, and
// any other request under /-/gitlabfake/ gets 404.
//
// # Stopping
//
// SIGINT or SIGTERM stops it: it stops listening, lets the requests in
// flight finish (for at most half a second) and exits with status 0.
// Errors (a bad flag, a bad seed, an address in use) exit with status 2.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil)
	switch {
	case errors.Is(err, flag.ErrHelp): // -h: the usage is printed, and asking is no error
	case err != nil:
		fmt.Fprintln(os.Stderr, "gitlabfake:", err)
		os.Exit(2)
	}
}

// closeWait is how long a stop waits for the requests in flight.
const closeWait = 500 * time.Millisecond

// run parses args, starts the server, loads its seed and serves until
// ctx ends. The ready line goes to stdout, the usage to stderr. When
// ready is not nil it receives the server once it answers requests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready chan<- *gitlabtest.Server) error {
	fs := flag.NewFlagSet("gitlabfake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on (port 0 picks a free port)")
	users := fs.Int("users", 0, "number of users to generate besides root and the seed's")
	token := fs.String("token", "", "administrator token (random when empty)")
	seedPath := fs.String("seed", "", "seed file (JSON) of users, groups and projects to load")
	jsonLine := fs.Bool("json", false, "print one JSON line (url, api_url, admin_token, pid) when ready")
	gitlabCom := fs.Bool("gitlab-com", false, "answer as GitLab.com does, not as a self-managed instance (enterprise users, LDAP sync, ...)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *users < 0 {
		return fmt.Errorf("-users must not be negative")
	}
	var seed []byte
	if *seedPath != "" {
		var err error
		if seed, err = os.ReadFile(*seedPath); err != nil {
			return err
		}
	}
	// setup makes the state a start and every reset begin with.
	setup := func(s *gitlabtest.Server) error {
		if seed != nil {
			if err := s.LoadSeed(bytes.NewReader(seed)); err != nil {
				return fmt.Errorf("-seed %s: %w", *seedPath, err)
			}
		}
		s.GenerateUsers(*users)
		return nil
	}

	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	g := &gate{Listener: l, opened: make(chan struct{}), closed: make(chan struct{})}
	opts := []gitlabtest.Option{gitlabtest.WithListener(g), gitlabtest.WithResetRoute(setup)}
	if *token != "" {
		opts = append(opts, gitlabtest.WithAdminToken(*token))
	}
	if *gitlabCom {
		opts = append(opts, gitlabtest.WithGitLabCom())
	}
	s := gitlabtest.NewServer(opts...)
	if err := s.Reset(setup); err != nil {
		s.Close()
		return err
	}
	close(g.opened)

	if *jsonLine {
		line, _ := json.Marshal(struct {
			URL        string `json:"url"`
			APIURL     string `json:"api_url"`
			AdminToken string `json:"admin_token"`
			PID        int    `json:"pid"`
		}{s.URL, s.URL + "/api/v4", s.AdminToken(), os.Getpid()})
		fmt.Fprintf(stdout, "%s\n", line)
	} else {
		fmt.Fprintf(stdout, "GitLab fake serving at %s (API %s/api/v4)\n", s.URL, s.URL)
		fmt.Fprintf(stdout, "admin token: %s\n", s.AdminToken())
		fmt.Fprintf(stdout, "users: %d (root is ID 1)\n", s.UserCount())
		fmt.Fprintf(stdout, "reset: POST %s/-/gitlabfake/reset with the admin token\n", s.URL)
	}
	if ready != nil {
		ready <- s
	}
	<-ctx.Done()

	// Close stops listening, closes idle connections and waits for the
	// requests in flight; one that a client keeps open (a body sent
	// slowly) does not hold up the exit for long.
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(closeWait):
	}
	return nil
}

// gate holds back a listener's connections until opened is closed, so
// that the server answers nothing before its seed is loaded: a bad seed
// is refused before any request is served.
type gate struct {
	net.Listener
	opened, closed chan struct{}
	once           sync.Once
}

// Accept waits for the gate to open, then accepts a connection.
func (g *gate) Accept() (net.Conn, error) {
	select {
	case <-g.opened:
		return g.Listener.Accept()
	case <-g.closed:
		return nil, net.ErrClosed
	}
}

// Close closes the listener, also for an Accept waiting at the gate.
func (g *gate) Close() error {
	g.once.Do(func() { close(g.closed) })
	return g.Listener.Close()
}
