package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gitlabusers/gitlab/examples/internal/cli"
	"github.com/gitlabusers/gitlab/examples/internal/clitest"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// exportUsersProxy puts a reverse proxy in front of srv that records the
// query of every GET /api/v4/users, so a test can see which pagination
// the program asked for.
func exportUsersProxy(t *testing.T, srv *gitlabtest.Server) (string, func() []url.Values) {
	t.Helper()
	target, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var queries []url.Values
	rp := httputil.NewSingleHostReverseProxy(target)
	var proxy *httptest.Server
	// GitLab writes its external URL into pagination links; behind this
	// proxy that is the proxy's URL.
	rp.ModifyResponse = func(resp *http.Response) error {
		if l := resp.Header.Get("Link"); l != "" {
			resp.Header.Set("Link", strings.ReplaceAll(l, srv.URL, proxy.URL))
		}
		return nil
	}
	proxy = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/api/v4/users" {
			mu.Lock()
			queries = append(queries, r.URL.Query())
			mu.Unlock()
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)
	return proxy.URL, func() []url.Values {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(queries)
	}
}

// The embedded run writes a header and one CSV row per user, IDs
// ascending, every user exactly once, with quoting intact; progress goes
// to stderr only.
func TestExportUsersEmbeddedCSV(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), &out, &errOut, clitest.Env(nil), nil); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatalf("stdout is not CSV: %v", err)
	}
	if !slices.Equal(rows[0], header) {
		t.Fatalf("header = %q", rows[0])
	}
	rows = rows[1:]
	if len(rows) != 251 {
		t.Fatalf("%d rows, want 251 (root + 250 seeded)", len(rows))
	}
	for i, row := range rows {
		if row[0] != strconv.Itoa(i+1) {
			t.Fatalf("row %d has id %s: users missing, repeated or out of order", i, row[0])
		}
	}
	want := []string{"2", "ada", `Ada "Countess" Lovelace, FRS`, "ada@example.com", "active", "false", "false", "false", "true"}
	if got := rows[1][:len(want)]; !slices.Equal(got, want) {
		t.Errorf("ada's row = %q, want prefix %q", rows[1], want)
	}
	if rows[1][10] == "" || rows[2][10] != "" {
		t.Errorf("last_activity_on: ada %q (want a date), former %q (want empty)", rows[1][10], rows[2][10])
	}
	if rows[2][4] != "blocked" || rows[3][6] != "true" {
		t.Errorf("former's state %q, ci-bot's bot %q", rows[2][4], rows[3][6])
	}
	if !strings.HasPrefix(rows[0][9], "20") || !strings.HasSuffix(rows[0][9], "Z") {
		t.Errorf("root's created_at = %q, want RFC 3339 UTC", rows[0][9])
	}

	progress := errOut.String()
	for _, want := range []string{"Using an embedded in-memory GitLab", "exported 100 users...\n", "exported 200 users...\n", "exported 251 users in "} {
		if !strings.Contains(progress, want) {
			t.Errorf("stderr lacks %q:\n%s", want, progress)
		}
	}
}

// JSON lines: every line is one object with the same keys as the CSV
// header, in the same order.
func TestExportUsersEmbeddedJSONL(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), &out, &errOut, clitest.Env(nil), []string{"-format", "jsonl"}); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	sc := bufio.NewScanner(&out)
	n := 0
	for sc.Scan() {
		n++
		var r record
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("line %d: %v: %s", n, err, sc.Text())
		}
		if r.ID != int64(n) {
			t.Fatalf("line %d has id %d", n, r.ID)
		}
		if n == 2 && (r.Name != `Ada "Countess" Lovelace, FRS` || !r.TwoFactorEnabled) {
			t.Errorf("ada = %+v", r)
		}
		if n == 1 {
			// The values are all scalars, so the tokens after "{"
			// alternate key, value.
			var keys []string
			dec := json.NewDecoder(strings.NewReader(sc.Text()))
			dec.Token() // {
			for dec.More() {
				k, _ := dec.Token()
				keys = append(keys, k.(string))
				dec.Token()
			}
			if !slices.Equal(keys, header) {
				t.Errorf("keys %q, want %q", keys, header)
			}
		}
	}
	if n != 251 {
		t.Errorf("%d lines, want 251", n)
	}
}

// Against a "real" instance the program asks for keyset pagination
// ordered by ID and follows the cursor; with -pagination offset it asks
// for numbered pages and still writes every user once, in order, though
// the pages are fetched concurrently.
func TestExportUsersPagination(t *testing.T) {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	srv.GenerateUsers(120) // 121 users: two pages of 100
	proxyURL, queries := exportUsersProxy(t, srv)
	vars := clitest.Env(map[string]string{"GITLAB_URL": proxyURL, "GITLAB_TOKEN": srv.AdminToken()})

	var out, errOut bytes.Buffer
	if err := run(context.Background(), &out, &errOut, vars, nil); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	if n := strings.Count(out.String(), "\n"); n != 122 {
		t.Errorf("%d lines, want header + 121", n)
	}
	if strings.Contains(errOut.String(), "embedded") {
		t.Errorf("used the embedded GitLab despite GITLAB_URL:\n%s", errOut.String())
	}
	qs := queries()
	if len(qs) != 2 {
		t.Fatalf("%d list requests, want 2: %v", len(qs), qs)
	}
	for i, q := range qs {
		if q.Get("pagination") != "keyset" || q.Get("order_by") != "id" || q.Get("sort") != "asc" || q.Get("per_page") != "100" {
			t.Errorf("request %d query %v, want keyset by id asc, 100 per page", i, q)
		}
		if (q.Get("cursor") != "") != (i == 1) || q.Get("page") != "" {
			t.Errorf("request %d query %v: only the second should carry a cursor, none a page", i, q)
		}
	}

	srv.GenerateUsers(280) // 401 users
	before := len(queries())
	out.Reset()
	errOut.Reset()
	if err := run(context.Background(), &out, &errOut, vars, []string{"-pagination", "offset", "-per-page", "50", "-format", "jsonl"}); err != nil {
		t.Fatalf("run offset: %v\n%s", err, errOut.String())
	}
	qs = queries()[before:]
	if len(qs) != 9 {
		t.Errorf("%d list requests, want 9 pages of 50", len(qs))
	}
	var pages []string
	for _, q := range qs {
		if q.Get("pagination") != "" || q.Get("per_page") != "50" {
			t.Errorf("offset query %v", q)
		}
		pages = append(pages, q.Get("page"))
	}
	slices.Sort(pages)
	if want := []string{"", "2", "3", "4", "5", "6", "7", "8", "9"}; !slices.Equal(pages, want) {
		t.Errorf("pages requested %q, want each of %q once", pages, want)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 401 {
		t.Fatalf("%d lines, want 401", len(lines))
	}
	for i, line := range lines {
		if !strings.HasPrefix(line, `{"id":`+strconv.Itoa(i+1)+`,`) {
			t.Fatalf("line %d = %s: out of order", i+1, line)
		}
	}
}

// Bad flags fail with exit status 2 before any request.
func TestExportUsersBadFlags(t *testing.T) {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	vars := clitest.EnvFor(srv, srv.AdminToken())
	for _, args := range [][]string{
		{"-format", "xml"},
		{"-pagination", "cursor"},
		{"-per-page", "0"},
		{"-per-page", "101"},
		{"extra"},
		{"-fromat", "csv"},
	} {
		var out, errOut bytes.Buffer
		if err := run(context.Background(), &out, &errOut, vars, args); cli.ExitCode(err) != 2 {
			t.Errorf("%q: err = %v, exit status %d, want 2", args, err, cli.ExitCode(err))
		}
		if out.Len() != 0 {
			t.Errorf("%q wrote to stdout: %q", args, out.String())
		}
	}
	if n := srv.RequestCount(); n != 0 {
		t.Errorf("bad flags sent %d requests", n)
	}
}

// -h prints the usage on stderr, nothing on stdout, and exits 0.
func TestExportUsersHelp(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), &out, &errOut, clitest.Env(nil), []string{"-h"})
	if code := cli.ExitCode(err); code != 0 {
		t.Errorf("exit status %d (err %v), want 0", code, err)
	}
	if out.Len() != 0 || !strings.HasPrefix(errOut.String(), "Usage: export-users [flags]\n") || !strings.Contains(errOut.String(), "  -format string\n") {
		t.Errorf("stdout %q, stderr:\n%s", out.String(), errOut.String())
	}
}

// GITLAB_URL without GITLAB_TOKEN stops before any request, saying so.
func TestExportUsersNoToken(t *testing.T) {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	var out, errOut bytes.Buffer
	err := run(context.Background(), &out, &errOut, clitest.EnvFor(srv, " "), nil)
	if cli.ExitCode(err) == 0 || err == nil || !strings.Contains(err.Error(), "GITLAB_URL is set but GITLAB_TOKEN is empty") {
		t.Errorf("err = %v, want the missing token named", err)
	}
	if n := srv.RequestCount(); n != 0 || out.Len() != 0 {
		t.Errorf("%d requests sent, stdout %q", n, out.String())
	}
}

// One user is "1 user".
func TestExportUsersOneUser(t *testing.T) {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	var out, errOut bytes.Buffer
	if err := run(context.Background(), &out, &errOut, clitest.EnvFor(srv, srv.AdminToken()), nil); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(errOut.String(), "exported 1 user in ") {
		t.Errorf("stderr: %q", errOut.String())
	}
}

// A token GitLab refuses ends the export with a 401 error.
func TestExportUsersUnauthorized(t *testing.T) {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	var out, errOut bytes.Buffer
	err := run(context.Background(), &out, &errOut, clitest.EnvFor(srv, "wrong"), nil)
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("err = %v, want a 401", err)
	}
}
