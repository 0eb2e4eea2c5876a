package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"testing"
)

// Each kind of error gets its exit status, and is printed only if the
// program has not shown it already.
func TestReport(t *testing.T) {
	badFlag := Parse(NewFlagSet("prog", io.Discard, "Does things."), []string{"-nope"})
	for _, tc := range []struct {
		name string
		err  error
		code int
		out  string
	}{
		{"nil", nil, 0, ""},
		{"-h", flag.ErrHelp, 0, ""},
		{"bad flag", badFlag, 2, ""},
		{"bad value", Usagef("-n must be positive, not %d", -1), 2, "prog: -n must be positive, not -1 (prog -h lists the flags)\n"},
		{"exit 3", fmt.Errorf("wrapped: %w", Exit(3, errors.New("findings"))), 3, ""},
		{"other", errors.New("boom"), 1, "prog: boom\n"},
	} {
		var out bytes.Buffer
		if code := Report(&out, "prog", tc.err); code != tc.code || out.String() != tc.out {
			t.Errorf("%s: status %d, printed %q; want %d, %q", tc.name, code, out.String(), tc.code, tc.out)
		}
	}
}

func TestParse(t *testing.T) {
	var out bytes.Buffer
	fs := NewFlagSet("prog", &out, "Does things.")
	fs.Bool("x", false, "the x flag")
	if err := Parse(fs, []string{"-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: err = %v", err)
	}
	if !strings.HasPrefix(out.String(), "Usage: prog [flags]\n\nDoes things.\n") || !strings.Contains(out.String(), "GITLAB_TOKEN") || !strings.HasSuffix(out.String(), "  -x\tthe x flag\n") {
		t.Errorf("usage:\n%s", out.String())
	}
	if err := Parse(fs, []string{"-x", "stray"}); ExitCode(err) != 2 || !strings.Contains(err.Error(), `unexpected arguments ["stray"]`) {
		t.Errorf("stray argument: err = %v", err)
	}
}

func TestNewClientNeedsToken(t *testing.T) {
	for _, token := range []string{"", " \n"} {
		env := map[string]string{"GITLAB_URL": "https://gitlab.example.com", "GITLAB_TOKEN": token}
		c, err := NewClient(func(k string) string { return env[k] })
		if c != nil || err == nil || !strings.Contains(err.Error(), "GITLAB_TOKEN is empty") {
			t.Errorf("token %q: client %v, err %v", token, c, err)
		}
	}
	env := map[string]string{"GITLAB_URL": "https://gitlab.example.com", "GITLAB_TOKEN": "t"}
	if c, err := NewClient(func(k string) string { return env[k] }); err != nil || c.BaseURL() != "https://gitlab.example.com/api/v4/" {
		t.Errorf("with a token: err %v", err)
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0 keys", 1: "1 key", 2: "2 keys"} {
		if got := Count(n, "key"); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}
