package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gitlabusers/gitlab/examples/internal/cli"
	"github.com/gitlabusers/gitlab/examples/internal/clitest"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// auditNow is the fixed time of the tests' reports.
var auditNow = time.Date(2030, time.March, 1, 12, 0, 0, 0, time.UTC)

// runAt runs the program at auditNow.
func runAt(out io.Writer, vars func(string) string, args []string) error {
	return run(context.Background(), out, vars, args, auditNow)
}

// jsonRows runs the program with -format jsonl and decodes its output.
func jsonRows(t *testing.T, vars func(string) string, args ...string) map[string]row {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), &out, vars, append([]string{"-format", "jsonl"}, args...), auditNow); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	rows := map[string]row{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var r row
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		rows[key(r.Username, r.Name)] = r
	}
	return rows
}

// botName matches the username of a group's or project's bot user,
// whose end is random.
var botName = regexp.MustCompile(`^(group|project)_[0-9]+_bot_[0-9a-f]+$`)

// key names a token by its owner and name, a bot user as "bot".
func key(username, name string) string {
	if botName.MatchString(username) {
		username = "bot"
	}
	return username + "/" + name
}

// Every active token is listed with its owner and its flags; revoked
// tokens are not.
func TestAuditTokensFlags(t *testing.T) {
	_, vars := clitest.Seeded(t, auditNow, seed)
	rows := jsonRows(t, vars)
	want := map[string][]string{
		"alice/laptop":        {},
		"alice/terraform":     {"expires in 10 days", "scope api"},
		"bob/ci":              {"expires in 5 days"},
		"bob/old script":      {"unused for 120 days"},
		"bob/forgotten":       {"never used"},
		"deploy-bot/release":  {"expires in 20 days"},
		"deploy-bot/registry": {},
		"root/admin":          {"scope api", "scope sudo", "scope admin_mode"},
		"bot/renovate":        {"expires in 15 days", "scope api"},
		"bot/deploy":          {},
	}
	if len(rows) != len(want) {
		t.Errorf("%d rows, want %d: %v", len(rows), len(want), rows)
	}
	for k, flags := range want {
		r, ok := rows[k]
		if !ok {
			t.Errorf("%s missing", k)
			continue
		}
		if !slices.Equal(r.Flags, flags) {
			t.Errorf("%s: flags %q, want %q", k, r.Flags, flags)
		}
	}

	// Access tokens say whose they are: the group or project, and the
	// bot's role there.
	for k, want := range map[string][3]string{
		"bot/renovate":       {"group", "platform", "Maintainer"},
		"bot/deploy":         {"project", "deployer", "Developer"},
		"deploy-bot/release": {"bot", "", ""},
		"alice/laptop":       {"personal", "", ""},
	} {
		if r := rows[k]; [3]string{r.Kind, r.Resource, r.Level} != want {
			t.Errorf("%s: kind, resource, level = %q, %q, %q, want %q", k, r.Kind, r.Resource, r.Level, want)
		}
	}

	// -days, -unused and -scopes move the thresholds.
	rows = jsonRows(t, vars, "-days", "7", "-unused", "200", "-scopes", "sudo")
	for k, flags := range map[string][]string{
		"alice/terraform": {},
		"bob/ci":          {"expires in 5 days"},
		"bob/old script":  {},
		"bob/forgotten":   {"never used"},
		"root/admin":      {"scope sudo"},
	} {
		if got := rows[k].Flags; !slices.Equal(got, flags) {
			t.Errorf("-days 7 -unused 200 -scopes sudo: %s flags %q, want %q", k, got, flags)
		}
	}
}

func TestAuditTokensTable(t *testing.T) {
	_, vars := clitest.Seeded(t, auditNow, seed)
	var out bytes.Buffer
	if err := run(context.Background(), &out, vars, nil, auditNow); err != nil {
		t.Fatalf("run: %v", err)
	}
	got := out.String()
	for _, want := range []string{
		`Active personal, group and project access tokens \(as of 2030-03-01\):`,
		`@bob +personal +ci +read_repository +2030-03-06 +2030-02-26 +expires in 5 days`,
		`@group_[0-9]+_bot_[0-9a-f]+ +group platform \(Maintainer\) +renovate +api +2030-03-16 `,
		`@project_[0-9]+_bot_[0-9a-f]+ +project deployer \(Developer\) +deploy +read_repository `,
		`10 tokens, 7 flagged.`,
	} {
		if !regexp.MustCompile(want).MatchString(got) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
}

// -fail exits 3 (errFindings) when something is flagged, and not on a
// clean instance.
func TestAuditTokensFail(t *testing.T) {
	_, vars := clitest.Seeded(t, auditNow, seed)
	var out bytes.Buffer
	if err := run(context.Background(), &out, vars, []string{"-fail"}, auditNow); !errors.Is(err, errFindings) || cli.ExitCode(err) != 3 {
		t.Errorf("with findings: err = %v (exit status %d), want errFindings and 3", err, cli.ExitCode(err))
	}
	clean := gitlabtest.NewServer(gitlabtest.WithClock(func() time.Time { return auditNow }))
	defer clean.Close()
	out.Reset()
	// root's token is used and never expires; only its scopes are
	// flagged, so flag no scope.
	if err := run(context.Background(), &out, clitest.EnvFor(clean, clean.AdminToken()),
		[]string{"-fail", "-scopes", ""}, auditNow); err != nil {
		t.Errorf("clean instance: %v\n%s", err, out.String())
	}
}

// -rotate alone is a dry run: nothing changes.
func TestAuditTokensRotateDryRun(t *testing.T) {
	srv, vars := clitest.Seeded(t, auditNow, seed)
	before := rotations(srv)
	var out bytes.Buffer
	if err := run(context.Background(), &out, vars, []string{"-rotate"}, auditNow); err != nil {
		t.Fatalf("run: %v", err)
	}
	if n := rotations(srv); n != before {
		t.Errorf("%d rotations in a dry run", n-before)
	}
	for _, want := range []string{`would rotate token`, `"terraform" of @alice`, `"ci" of @bob`, `"release" of @deploy-bot`, "of @group_", "Dry run: 4 tokens would be rotated"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out.String())
		}
	}
}

// -rotate -apply -out F rotates exactly the flagged expiring tokens,
// writes their new secrets to F (mode 0600) and nowhere else.
func TestAuditTokensRotateApply(t *testing.T) {
	srv, vars := clitest.Seeded(t, auditNow, seed)
	file := filepath.Join(t.TempDir(), "new-tokens.jsonl")
	var out bytes.Buffer
	if err := run(context.Background(), &out, vars, []string{"-rotate", "-apply", "-out", file, "-lifetime", "60"}, auditNow); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if n := srv.RouteCount("POST", "/personal_access_tokens/:token_id/rotate"); n != 3 {
		t.Errorf("%d personal token rotations, want 3", n)
	}
	if n := srv.RouteCount("POST", "/groups/:ref/access_tokens/:token_id/rotate"); n != 1 {
		t.Errorf("%d group token rotations, want 1 (an access token rotates through its group)", n)
	}
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("secrets file mode %v, want 0600", fi.Mode().Perm())
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var s secretLine
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		got = append(got, key(s.Username, s.Name))
		if strings.Contains(out.String(), s.Token) {
			t.Errorf("stdout holds the secret of %s/%s", s.Username, s.Name)
		}
		if s.ExpiresAt != "2030-04-30" {
			t.Errorf("%s/%s expires %s, want 2030-04-30", s.Username, s.Name, s.ExpiresAt)
		}
		// The new secret works; the old token is revoked.
		st, ok := srv.Token(s.ID)
		if !ok || st.Token != s.Token || st.Revoked {
			t.Errorf("%s/%s: new token %d not stored as written", s.Username, s.Name, s.ID)
		}
		if old, _ := srv.Token(s.OldID); !old.Revoked {
			t.Errorf("%s/%s: old token %d not revoked", s.Username, s.Name, s.OldID)
		}
		if _, _, err := srv.ClientFor(s.Token).PersonalAccessTokens.Current(context.Background()); err != nil {
			t.Errorf("%s/%s: new secret does not authenticate: %v", s.Username, s.Name, err)
		}
	}
	slices.Sort(got)
	if want := []string{"alice/terraform", "bob/ci", "bot/renovate", "deploy-bot/release"}; !slices.Equal(got, want) {
		t.Errorf("rotated %q, want %q", got, want)
	}
	if !strings.Contains(out.String(), "rotated token") || strings.Contains(out.String(), "glpat-") {
		t.Errorf("output:\n%s", out.String())
	}
	// The file is never overwritten.
	if err := run(context.Background(), &out, vars, []string{"-rotate", "-apply", "-out", file}, auditNow); err == nil {
		t.Error("an existing secrets file was accepted")
	}
}

// rotations counts the rotations srv served, of personal and of group
// and project access tokens.
func rotations(srv *gitlabtest.Server) int {
	return srv.RouteCount("POST", "/personal_access_tokens/:token_id/rotate") +
		srv.RouteCount("POST", "/groups/:ref/access_tokens/:token_id/rotate") +
		srv.RouteCount("POST", "/projects/:ref/access_tokens/:token_id/rotate")
}

// A non-administrator's token and an unknown one are refused.
func TestAuditTokensRefuses(t *testing.T) {
	srv, _ := clitest.Seeded(t, auditNow, seed)
	clitest.Check(t, runAt, clitest.Refusals(srv))
}

// -h prints the usage and exits 0; a bad flag or value exits 2; GITLAB_URL
// without GITLAB_TOKEN stops with a message. None of them sends a request.
func TestAuditTokensHelpAndToken(t *testing.T) {
	srv, vars := clitest.Seeded(t, auditNow, seed)
	srv.ResetCounters()
	clitest.Check(t, runAt, []clitest.Case{
		{Vars: vars, Args: []string{"-h"}, Code: 0, Out: "Usage: audit-tokens [flags]\n"},
		{Vars: vars, Args: []string{"-rotat"}, Code: 2, Out: "flag provided but not defined: -rotat"},
		{Vars: vars, Args: []string{"-days", "-1"}, Code: 2, Err: "-days must not be negative"},
		{Vars: vars, Args: []string{"-unused", "0"}, Code: 2, Err: "-unused must be at least 1"},
		{Vars: vars, Args: []string{"-format", "csv"}, Code: 2, Err: "-format must be table or jsonl"},
		{Vars: vars, Args: []string{"-apply"}, Code: 2, Err: "-apply needs -rotate"},
		{Vars: vars, Args: []string{"-rotate", "-apply"}, Code: 2, Err: "needs -out FILE"},
		{Vars: vars, Args: []string{"-out", "x"}, Code: 2, Err: "-out is only used with -rotate -apply"},
		{Vars: vars, Args: []string{"extra"}, Code: 2, Err: "unexpected arguments"},
		{Vars: clitest.Env(map[string]string{"GITLAB_URL": srv.URL}), Code: 1, Err: "GITLAB_URL is set but GITLAB_TOKEN is empty"},
	})
	clitest.NoRequests(t, srv)
}

// Without GITLAB_URL the program seeds its own GitLab and reports on it.
func TestAuditTokensEmbedded(t *testing.T) {
	if got := clitest.Embedded(t, runAt); !strings.HasSuffix(got, "10 tokens, 7 flagged.\n") {
		t.Errorf("output:\n%s", got)
	}
}

// Issue 25, defect 10: GitLab may answer a rotation with "expires_at":
// null (a token that does not expire). The program used to dereference
// it after GitLab had rotated and before the new secret was written, so
// the old token was revoked and the new one lost. Every new secret must
// reach the -out file, and the run end without error.
func TestAuditTokensRotateExpiresAtNull(t *testing.T) {
	srv, _ := clitest.Seeded(t, auditNow, seed)
	target, _ := url.Parse(srv.URL)
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ModifyResponse = func(resp *http.Response) error {
		if resp.Request.Method != http.MethodPost || !strings.HasSuffix(resp.Request.URL.Path, "/rotate") || resp.StatusCode != http.StatusOK {
			return nil
		}
		var body map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			return err
		}
		resp.Body.Close()
		body["expires_at"] = nil
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
		resp.ContentLength = int64(len(b))
		resp.Header.Set("Content-Length", strconv.Itoa(len(b)))
		return nil
	}
	proxy := httptest.NewServer(rp)
	defer proxy.Close()

	file := filepath.Join(t.TempDir(), "new-tokens.jsonl")
	var out bytes.Buffer
	vars := clitest.Env(map[string]string{"GITLAB_URL": proxy.URL, "GITLAB_TOKEN": srv.AdminToken()})
	err := func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v", p)
			}
		}()
		return run(context.Background(), &out, vars, []string{"-rotate", "-apply", "-out", file}, auditNow)
	}()
	if err != nil {
		t.Errorf("run: %v\n%s", err, out.String())
	}
	if n := rotations(srv); n != 4 {
		t.Fatalf("%d rotations, want 4", n)
	}
	b, _ := os.ReadFile(file)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 4 || lines[0] == "" {
		t.Fatalf("the secrets file holds %d lines, want 4 (one per rotation):\n%s", len(lines), b)
	}
	for _, line := range lines {
		var s secretLine
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		if s.ExpiresAt != "" {
			t.Errorf("%s/%s: expires_at %q, want none (GitLab sent null)", s.Username, s.Name, s.ExpiresAt)
		}
		if _, _, err := srv.ClientFor(s.Token).PersonalAccessTokens.Current(context.Background()); err != nil {
			t.Errorf("%s/%s: new secret does not authenticate: %v", s.Username, s.Name, err)
		}
	}
	if !strings.Contains(out.String(), "does not expire") || strings.Contains(out.String(), "glpat-") {
		t.Errorf("output:\n%s", out.String())
	}
}
