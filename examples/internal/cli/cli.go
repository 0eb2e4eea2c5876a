// Package cli holds what the example programs share that is not about
// the SDK: flags and their usage text, the client for GITLAB_URL and
// GITLAB_TOKEN, the exit status, and counting in words.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/gitlabusers/gitlab"
)

// Main runs a program's run function with a context that an interrupt
// cancels, prints its error to stderr as "name: error" unless the error
// was already shown, and exits with ExitCode's status.
func Main(name string, run func(ctx context.Context) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx)
	stop()
	os.Exit(Report(os.Stderr, name, err))
}

// Report prints err for the program name to w, unless it is nil, the
// -h request or an error that was shown already, and returns the exit
// status for it.
func Report(w io.Writer, name string, err error) int {
	code := ExitCode(err)
	var e *exitError
	if code == 0 || errors.As(err, &e) && e.shown {
		return code
	}
	if code == 2 {
		fmt.Fprintf(w, "%s: %v (%s -h lists the flags)\n", name, err, name)
	} else {
		fmt.Fprintf(w, "%s: %v\n", name, err)
	}
	return code
}

// ExitCode is the status a program ends with when run returns err, as
// the flag package has it: 0 for nil and for -h (the usage was asked
// for), 2 for a bad flag or argument, the status given to Exit, and 1
// for any other error.
func ExitCode(err error) int {
	var e *exitError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &e):
		return e.code
	default:
		return 1
	}
}

// exitError ends the program with status code; shown says the program
// has already told the user why, so Report prints nothing.
type exitError struct {
	err   error
	code  int
	shown bool
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// Exit makes err end the program with status code, without printing it:
// the program has said what happened in its output.
func Exit(code int, err error) error {
	return &exitError{err: err, code: code, shown: true}
}

// Usagef reports a bad flag value or argument: the program exits with
// status 2, as for a flag the flag package refused.
func Usagef(format string, args ...any) error {
	return &exitError{err: fmt.Errorf(format, args...), code: 2}
}

// NewFlagSet returns a flag set for the program name whose usage text,
// printed to out for -h or a bad flag, starts with summary and says
// which GitLab the program works on.
func NewFlagSet(name string, out io.Writer, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: %s [flags]\n\n%s\n\n", name, summary)
		fmt.Fprintln(out, "Without GITLAB_URL it runs against an embedded in-memory GitLab, seeded with sample data.")
		fmt.Fprintln(out, "With GITLAB_URL and GITLAB_TOKEN (an access token) it works on that GitLab.")
		fmt.Fprintln(out, "\nFlags:")
		fs.PrintDefaults()
	}
	return fs
}

// Parse parses args with fs. It returns flag.ErrHelp for -h, an error
// with status 2 for a flag fs refused (fs has printed why, and the
// usage), and Usagef's error for arguments left after the flags.
func Parse(fs *flag.FlagSet, args []string) error {
	switch err := fs.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		return err
	case err != nil:
		return &exitError{err: err, code: 2, shown: true}
	}
	if fs.NArg() > 0 {
		return Usagef("unexpected arguments %q (flags go before them)", fs.Args())
	}
	return nil
}

// NewClient returns a client for the GitLab at GITLAB_URL, authenticated
// with GITLAB_TOKEN. An empty token is refused before any request: every
// example needs one, and GitLab's answer to its absence (401, or a list
// of public data only) would say less.
func NewClient(getenv func(string) string, opts ...gitlab.ClientOption) (*gitlab.Client, error) {
	token := getenv("GITLAB_TOKEN")
	if strings.TrimSpace(token) == "" {
		return nil, errors.New("GITLAB_URL is set but GITLAB_TOKEN is empty: set GITLAB_TOKEN to an access token for that GitLab, or unset GITLAB_URL to run against an embedded one")
	}
	return gitlab.NewClient(token, append(opts, gitlab.WithBaseURL(getenv("GITLAB_URL")))...)
}

// Count writes n and the noun, in the plural unless n is 1: "1 key",
// "3 keys". The plural adds an "s", which serves every noun the
// examples count.
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Admin returns the user the client signs in as, or, when that user is
// not an administrator, an error that says why the program needs one.
func Admin(ctx context.Context, client *gitlab.Client, why string) (*gitlab.User, error) {
	me, _, err := client.Users.Current(ctx)
	if err != nil {
		return nil, fmt.Errorf("current user: %w", err)
	}
	if !me.IsAdmin {
		return nil, fmt.Errorf("@%s is not an administrator: %s", me.Username, why)
	}
	return me, nil
}
