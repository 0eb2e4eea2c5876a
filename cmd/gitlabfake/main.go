// Command gitlabfake runs gitlabtest's in-memory GitLab as a standalone
// server, for trying the SDK or a script without a GitLab instance:
//
//	go run github.com/gitlabusers/gitlab/cmd/gitlabfake -addr 127.0.0.1:8080 -users 50
//
// It prints the URL and the administrator's token and serves until it is
// interrupted. The state lives in memory and is lost on exit.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/gitlabusers/gitlab/gitlabtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, nil)
	switch {
	case errors.Is(err, flag.ErrHelp): // -h: the usage is printed, and asking is no error
	case err != nil:
		fmt.Fprintln(os.Stderr, "gitlabfake:", err)
		os.Exit(2)
	}
}

// run parses args, starts the server and serves until ctx ends. When
// ready is not nil it receives the server once it is listening.
func run(ctx context.Context, args []string, out io.Writer, ready chan<- *gitlabtest.Server) error {
	fs := flag.NewFlagSet("gitlabfake", flag.ContinueOnError)
	fs.SetOutput(out)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on (port 0 picks a free port)")
	users := fs.Int("users", 0, "number of users to generate besides root")
	token := fs.String("token", "", "administrator token (random when empty)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *users < 0 {
		return fmt.Errorf("-users must not be negative")
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	opts := []gitlabtest.Option{gitlabtest.WithListener(l)}
	if *token != "" {
		opts = append(opts, gitlabtest.WithAdminToken(*token))
	}
	s := gitlabtest.NewServer(opts...)
	defer s.Close()
	s.GenerateUsers(*users)
	fmt.Fprintf(out, "GitLab fake serving at %s (API %s/api/v4)\n", s.URL, s.URL)
	fmt.Fprintf(out, "admin token: %s\n", s.AdminToken())
	fmt.Fprintf(out, "users: %d (root is ID 1)\n", s.UserCount())
	if ready != nil {
		ready <- s
	}
	<-ctx.Done()
	return nil
}
