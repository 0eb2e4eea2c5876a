package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gitlabusers/gitlab/examples/internal/clitest"
)

// reviewNow is the fixed time of the tests.
var reviewNow = time.Date(2030, time.March, 1, 12, 0, 0, 0, time.UTC)

// runAt runs the program at reviewNow, its progress discarded.
func runAt(out io.Writer, vars func(string) string, args []string) error {
	return run(context.Background(), out, io.Discard, vars, args, reviewNow)
}

// botName matches a group's or project's bot user, whose name ends at
// random.
var botName = regexp.MustCompile(`^(group|project)_[0-9]+_bot_[0-9a-f]+$`)

// rowsOf runs the program with -format jsonl and args, and returns its
// rows by "username access target" (a bot user as "bot" and its
// group's or project's path, "bot:platform").
func rowsOf(t *testing.T, vars func(string) string, args ...string) map[string]row {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), &out, io.Discard, vars, append([]string{"-format", "jsonl"}, args...), reviewNow); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	rows := map[string]row{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var r row
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		name := r.Username
		if m := botName.FindStringSubmatch(name); m != nil {
			name = "bot:" + m[1]
		}
		k := name + " " + r.Access + " " + r.Target
		if _, dup := rows[k]; dup {
			t.Errorf("two rows for %s", k)
		}
		rows[k] = r
	}
	return rows
}

// want is what a test expects of a row: its level, via, expiry and
// scopes ("" for none).
type want struct{ level, via, expires, scopes string }

func check(t *testing.T, rows map[string]row, wants map[string]want) {
	t.Helper()
	for k, w := range wants {
		r, ok := rows[k]
		if !ok {
			t.Errorf("no row %q", k)
			continue
		}
		if got := (want{r.Level, r.Via, r.ExpiresAt, r.Scopes}); got != w {
			t.Errorf("%s: %+v, want %+v", k, got, w)
		}
	}
}

// Every membership is there with its role and where it comes from:
// direct, inherited from a parent group, shared through an invited
// group (at the lower role); an expired one is gone; the expiry of an
// expiring one is shown. Tokens of every kind, keys and identities
// follow, each user's rows together.
func TestEveryAccessWithItsOrigin(t *testing.T) {
	_, vars := clitest.Seeded(t, reviewNow, seed)
	rows := rowsOf(t, vars)
	check(t, rows, map[string]want{
		"alice membership platform":                 {"Owner", "direct", "", ""},
		"alice membership platform/infra":           {"Owner", "inherited from platform", "", ""},
		"alice membership platform/infra/app":       {"Owner", "inherited from platform", "", ""},
		"bob membership platform/infra":             {"Developer", "direct", "", ""},
		"bob membership platform/infra/app":         {"Developer", "inherited from platform/infra", "", ""},
		"carol membership security":                 {"Maintainer", "direct", "", ""},
		"carol membership security/scanner":         {"Maintainer", "inherited from security", "", ""},
		"carol membership platform/infra":           {"Reporter", "shared through security", "", ""},
		"carol membership platform/infra/app":       {"Reporter", "shared through security (into platform/infra)", "", ""},
		"dave membership platform/infra/app":        {"Developer", "direct", "2030-03-11", ""},
		"bot:project membership platform/infra/app": {"Reporter", "direct", "", ""},
		"bot:group membership platform":             {"Maintainer", "direct", "", ""},
		"bot:group membership platform/infra/app":   {"Maintainer", "inherited from platform", "", ""},
		"bot:group access_token renovate":           {"", "", "2030-03-21", "api"},
		"alice personal_access_token laptop":        {"", "", "2030-04-30", "api"},
		"bob impersonation_token support":           {"", "", "2030-03-06", "read_api"},
		"bot:project access_token deploy":           {"", "", "2030-03-31", "read_repository"},
		"bob ssh_key bob@laptop":                    {"", "", "", ""},
		"carol identity ldapmain":                   {"", "", "", ""},
		"carol identity group_saml":                 {"", "", "", ""},
		"dave identity scim security":               {"", "", "", ""},
		"bob membership security":                   {"Developer", "direct", "", ""},
		"bob audit_event member_created":            {"", "", "", ""},
		"bob audit_event member_updated":            {"", "", "", ""},
	})
	for k, detail := range map[string]string{
		"carol identity group_saml":      "extern_uid carol@idp.example, SAML provider ",
		"dave identity scim security":    "extern_uid dave@idp.example",
		"bob audit_event member_created": "2030-03-01T12:00:00Z by Administrator on group security: Membership created",
		"bob audit_event member_updated": "2030-03-01T12:00:00Z by Administrator on group security: Membership updated",
	} {
		if !strings.HasPrefix(rows[k].Detail, detail) {
			t.Errorf("%s: detail %q, want %q", k, rows[k].Detail, detail)
		}
	}
	for _, gone := range []string{
		"dave membership security",          // expired yesterday
		"bob personal_access_token support", // an impersonation token, listed once as such
		"alice membership security",         // no way in
		"dave audit_event user_blocked",     // 120 days ago, before -days 90
	} {
		if _, ok := rows[gone]; ok {
			t.Errorf("row %q should not be there", gone)
		}
	}
	if r := rows["alice membership platform"]; r.LastActivity != "2030-02-28" || r.State != "active" || r.UserID == 0 {
		t.Errorf("user columns of alice's row: %+v", r)
	}
	if r := rows["carol identity ldapmain"]; r.Detail != "extern_uid uid=carol,ou=people,dc=example,dc=com" {
		t.Errorf("carol's identity: %+v", r)
	}
}

// -days reaches back further in the audit log.
func TestDays(t *testing.T) {
	_, vars := clitest.Seeded(t, reviewNow, seed)
	if r, ok := rowsOf(t, vars, "-days", "200")["dave audit_event user_blocked"]; !ok || !strings.HasPrefix(r.Detail, "2029-11-01T12:00:00Z by (System) on user: Blocked user") {
		t.Errorf("the 120-day-old event: %+v (found %v)", r, ok)
	}
	if _, ok := rowsOf(t, vars, "-days", "0")["bob audit_event member_created"]; !ok {
		t.Error("-days 0 lost today's events")
	}
}

// -group reviews one top-level group: its groups and projects only, and
// the users who reach them, including through a group invited into it.
func TestGroupScope(t *testing.T) {
	_, vars := clitest.Seeded(t, reviewNow, seed)
	rows := rowsOf(t, vars, "-group", "platform")
	check(t, rows, map[string]want{
		"carol membership platform/infra": {"Reporter", "shared through security", "", ""},
		"bob membership platform/infra":   {"Developer", "direct", "", ""},
	})
	for k := range rows {
		if strings.Contains(k, " membership security") || strings.HasPrefix(k, "root ") {
			t.Errorf("row %q is outside -group platform", k)
		}
	}
}

// The CSV has a header and one record per row, each of the same width.
func TestCSV(t *testing.T) {
	_, vars := clitest.Seeded(t, reviewNow, seed)
	var out bytes.Buffer
	if err := runAt(&out, vars, nil); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) < 20 || strings.Join(recs[0], ",") != strings.Join(header, ",") {
		t.Fatalf("%d records, header %q", len(recs), recs[0])
	}
	jsonRows := rowsOf(t, vars)
	if len(recs)-1 != len(jsonRows) {
		t.Errorf("CSV has %d rows, JSON lines %d", len(recs)-1, len(jsonRows))
	}
}

// Progress goes to stderr, never into the report.
func TestProgressOnStderr(t *testing.T) {
	_, vars := clitest.Seeded(t, reviewNow, seed)
	var out, progress bytes.Buffer
	if err := run(context.Background(), &out, &progress, vars, []string{"-format", "jsonl"}, reviewNow); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(progress.String(), "users reviewed") || strings.Contains(out.String(), "reviewed") {
		t.Errorf("progress:\n%s\nreport:\n%s", progress.String(), out.String())
	}
}

// Non-administrators, bad tokens and bad flags are refused.
func TestRefusals(t *testing.T) {
	srv, vars := clitest.Seeded(t, reviewNow, seed)
	clitest.Check(t, runAt, append(clitest.Refusals(srv),
		clitest.Case{Vars: vars, Args: []string{"-format", "xml"}, Code: 2, Err: "-format must be csv or jsonl"},
		clitest.Case{Vars: vars, Args: []string{"-days", "-1"}, Code: 2, Err: "-days must not be negative"},
		clitest.Case{Vars: vars, Args: []string{"-group", "platform/infra"}, Code: 2, Err: "must be a top-level group"},
		clitest.Case{Vars: vars, Args: []string{"-group", "nope"}, Code: 1, Err: `no top-level group "nope"`},
	))
}

// Without GITLAB_URL the program reviews its own sample GitLab.
func TestEmbedded(t *testing.T) {
	var out, progress bytes.Buffer
	if err := run(context.Background(), &out, &progress, clitest.Env(nil), nil, reviewNow); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(progress.String(), "Using an embedded in-memory GitLab") || !strings.Contains(out.String(), "carol,active") {
		t.Errorf("progress:\n%s\nreport:\n%s", progress.String(), out.String())
	}
}
