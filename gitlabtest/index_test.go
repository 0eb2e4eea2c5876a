package gitlabtest_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab/gitlabtest"
)

// TestServerListIndexMatchesScan compares the answers of GET /users
// served from the store's ID order (a page costs the same at any size)
// with those of a full scan and sort of every user, across the offset
// count limit, with users hidden from non-administrators, filters,
// both directions and keyset walks.
func TestServerListIndexMatchesScan(t *testing.T) {
	t.Parallel()
	// pair returns two servers with the same n users, the second
	// scanning, and a function that asserts they answer alike.
	pair := func(n int) func(t *testing.T, who, query string) (next string) {
		clock := gitlabtest.WithClock(func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) })
		idx, scan := gitlabtest.NewServer(clock), gitlabtest.NewServer(clock)
		t.Cleanup(idx.Close)
		t.Cleanup(scan.Close)
		gitlabtest.ScanLists(scan)
		tokens := map[string][2]string{"admin": {idx.AdminToken(), scan.AdminToken()}}
		member := [2]string{}
		for i, s := range []*gitlabtest.Server{idx, scan} {
			for j, id := range s.GenerateUsers(n) {
				switch j % 7 {
				case 1:
					s.UpdateUser(id, func(u *gitlabtest.UserSnapshot) { u.State = gitlabtest.StateBlocked })
				case 3:
					s.UpdateUser(id, func(u *gitlabtest.UserSnapshot) { u.Bot = true })
				case 5:
					s.UpdateUser(id, func(u *gitlabtest.UserSnapshot) { u.External = true; u.State = gitlabtest.StateBanned })
				}
			}
			_, member[i] = s.CreateUser(gitlabtest.UserSpec{Username: "member"})
		}
		tokens["member"] = member
		return func(t *testing.T, who, query string) (next string) {
			t.Helper()
			a := fakeCall(t, idx, tokens[who][0], "GET", "/users?"+query, nil)
			b := fakeCall(t, scan, tokens[who][1], "GET", "/users?"+query, nil)
			require.NoError(t, a.err)
			require.Equal(t, b.code, a.code, "%s %s", who, query)
			if want := replaceAll(b.body, scan.URL, idx.URL); want != a.body {
				require.Failf(t, "bodies differ", "%s %s:\n got %.300s...\nwant %.300s...", who, query, a.body, want)
			}
			for _, h := range []string{"X-Total", "X-Total-Pages", "X-Page", "X-Per-Page", "X-Next-Page", "X-Prev-Page", "Link"} {
				want := b.hdr.Values(h)
				for i := range want {
					want[i] = replaceAll(want[i], scan.URL, idx.URL)
				}
				require.Equal(t, want, a.hdr.Values(h), "%s %s: %s", who, query, h)
			}
			if a.code == http.StatusOK {
				return cursorOf(a.hdr.Get("Link"))
			}
			return ""
		}
	}
	filters := []string{"", "active=true", "blocked=true", "humans=true", "exclude_humans=true", "external=true",
		"exclude_external=true", "exclude_active=true", "without_project_bots=true", "admins=true", "order_by=created_at",
		"public_email=nobody@example.com"}
	sorts := []string{"", "sort=asc", "sort=desc"}

	// Offset pages across the count limit (10,000) and the offset limit.
	same := pair(10_050)
	for _, who := range []string{"admin", "member"} {
		for _, f := range filters {
			for _, sort := range sorts[:2] {
				for _, p := range []string{"page=1", "page=2&per_page=7", "page=101&per_page=100", "page=501&per_page=20",
					"page=503&per_page=20", "page=2500&per_page=20", "page=2501&per_page=20"} {
					same(t, who, f+"&"+sort+"&"+p)
				}
			}
		}
	}
	same(t, "admin", "pagination=keyset&cursor=bogus")
	same(t, "admin", "pagination=keyset&cursor=")

	// Whole keyset walks.
	same = pair(1_050)
	for _, who := range []string{"admin", "member"} {
		for _, f := range filters {
			for _, sort := range sorts {
				cur := ""
				for {
					q := f + "&" + sort + "&pagination=keyset&per_page=100"
					if cur != "" {
						q += "&cursor=" + url.QueryEscape(cur)
					}
					if cur = same(t, who, q); cur == "" {
						break
					}
				}
			}
		}
	}
}

func cursorOf(link string) string {
	if link == "" {
		return ""
	}
	var u string
	if _, err := fmt.Sscanf(link, "<%s", &u); err != nil {
		return ""
	}
	pu, err := url.Parse(u[:len(u)-2]) // drop ">;"
	if err != nil {
		return ""
	}
	return pu.Query().Get("cursor")
}

func replaceAll(s, old, new string) string {
	out := ""
	for {
		i := indexOf(s, old)
		if i < 0 {
			return out + s
		}
		out += s[:i] + new
		s = s[i+len(old):]
	}
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
