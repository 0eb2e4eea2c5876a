package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	ours "github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// The BenchmarkFake… benchmarks measure gitlabtest itself at 100 to
// 100,000 users (issue 14), through its public API only (NewServer,
// GenerateUsers, CreateUser and the SDK client), so that the same code
// runs against the fake before and after a change. See fake.sh.

// fakeSizes are the numbers of generated users (plus root).
var fakeSizes = []int{100, 10_000, 100_000}

// fakePerPage is the page size of the page benchmarks: GitLab's default,
// so that 100 users still have a start, a middle and an end page.
const fakePerPage = 20

// fakeFixture is a server with n generated users, shared by the
// benchmarks of one process (generating 100,000 users is not free).
type fakeFixture struct {
	s     *gitlabtest.Server
	ids   []int64
	admin *ours.Client
	// member is a plain user's client: its lists render UserBasic, which
	// costs the fake little, so it walks to the keyset cursors quickly.
	member  *ours.Client
	cursors map[string]string // keyset position name -> cursor
}

var (
	fixturesMu sync.Mutex
	fixtures   = map[int]*fakeFixture{}
)

func fakeServer(b *testing.B, n int) *fakeFixture {
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if f := fixtures[n]; f != nil {
		return f
	}
	s := gitlabtest.NewServer()
	f := &fakeFixture{s: s, ids: s.GenerateUsers(n), admin: s.Client()}
	_, tok := s.CreateUser(gitlabtest.UserSpec{Username: "bench-member"})
	f.member = s.ClientFor(tok)
	fixtures[n] = f
	return f
}

// keysetPositions are the rows a keyset page starts after, by name:
// start, middle and the last page of fakePerPage rows (default order,
// newest first).
func keysetPositions(n int) map[string]int {
	total := n + 2 // root and bench-member
	return map[string]int{"start": 0, "middle": total / 2, "end": total - fakePerPage}
}

// offsetPages are the offset pages by name: the first, the middle one
// and the last one, where GitLab stops at an offset of 50,000 for
// /users (so at 100,000 users the middle and end pages are both the
// last page GitLab serves: page 2,500 of 20).
func offsetPages(n int) map[string]int {
	total := n + 2
	last := min(total/fakePerPage, 50_000/fakePerPage) // the last full page
	return map[string]int{"start": 1, "middle": min(max(1, total/2/fakePerPage), last), "end": last}
}

// cursor returns the keyset cursor that starts a page after `after`
// rows, found by walking the list as the plain member (cursors are
// positions in the order, the same for every viewer who sees every
// user, as on GitLab).
func (f *fakeFixture) cursor(b *testing.B, n int, pos string) string {
	after := keysetPositions(n)[pos]
	if after == 0 {
		return ""
	}
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if c, ok := f.cursors[pos]; ok {
		return c
	}
	cur, done := "", 0
	for done < after {
		opt := &ours.ListUsersOptions{ListOptions: ours.ListOptions{PerPage: min(100, after-done)},
			Pagination: ours.Ptr(ours.PaginationKeyset)}
		if cur != "" {
			opt.Cursor = ours.Ptr(cur)
		}
		us, resp, err := f.member.Users.List(context.Background(), opt)
		if err != nil {
			b.Fatal(err)
		}
		done += len(us)
		lu, err := url.Parse(resp.NextLink)
		if err != nil || resp.NextLink == "" {
			b.Fatalf("no next link after %d rows", done)
		}
		cur = lu.Query().Get("cursor")
	}
	if f.cursors == nil {
		f.cursors = map[string]string{}
	}
	f.cursors[pos] = cur
	return cur
}

// BenchmarkFakeGenerate: GenerateUsers(n) on a new server. heap-B/user
// is the live heap the server keeps per generated user (after a GC).
func BenchmarkFakeGenerate(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run("users="+strconv.Itoa(n), func(b *testing.B) {
			var heap uint64
			for b.Loop() {
				b.StopTimer()
				s := gitlabtest.NewServer()
				settle()
				before := liveHeap()
				b.StartTimer()
				ids := s.GenerateUsers(n)
				b.StopTimer()
				settle()
				heap += liveHeap() - before
				if len(ids) != n {
					b.Fatalf("generated %d users, want %d", len(ids), n)
				}
				runtime.KeepAlive(s)
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(heap)/float64(b.N)/float64(n), "heap-B/user")
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "users/s")
		})
	}
}

func liveHeap() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkFakeGetUser: Users.Get of a user in the middle of the fake,
// as the administrator (UserDetailsWithAdmin, with follower counts).
func BenchmarkFakeGetUser(b *testing.B) {
	for _, n := range fakeSizes {
		b.Run("users="+strconv.Itoa(n), func(b *testing.B) {
			f := fakeServer(b, n)
			id := f.ids[len(f.ids)/2]
			ctx := context.Background()
			if _, _, err := f.admin.Users.Get(ctx, id, nil); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			m := startCPU(b)
			for b.Loop() {
				if _, _, err := f.admin.Users.Get(ctx, id, nil); err != nil {
					b.Fatal(err)
				}
			}
			m.report(b)
		})
	}
}

// BenchmarkFakeListPage: one page of 20 users of GET /users as the
// administrator, default order, with offset or keyset pagination, at the
// start, the middle and the end of the list (see offsetPages and
// keysetPositions).
func BenchmarkFakeListPage(b *testing.B) {
	for _, pag := range []string{"offset", "keyset"} {
		for _, n := range fakeSizes {
			for _, pos := range []string{"start", "middle", "end"} {
				b.Run(fmt.Sprintf("pagination=%s/users=%d/pos=%s", pag, n, pos), func(b *testing.B) {
					f := fakeServer(b, n)
					opt := &ours.ListUsersOptions{ListOptions: ours.ListOptions{PerPage: fakePerPage}}
					if pag == "keyset" {
						opt.Pagination = ours.Ptr(ours.PaginationKeyset)
						if c := f.cursor(b, n, pos); c != "" {
							opt.Cursor = ours.Ptr(c)
						}
					} else {
						opt.Page = offsetPages(n)[pos]
					}
					ctx := context.Background()
					call := func() {
						us, _, err := f.admin.Users.List(ctx, opt)
						if err != nil {
							b.Fatal(err)
						}
						if len(us) != fakePerPage {
							b.Fatalf("page of %d users, want %d", len(us), fakePerPage)
						}
					}
					call()
					b.ReportAllocs()
					m := startCPU(b)
					for b.Loop() {
						call()
					}
					m.report(b)
				})
			}
		}
	}
}

// BenchmarkFakeExport: every user, 100 per page, with keyset pagination.
// client=sdk is Users.ListIter as the administrator; client=raw fetches
// the same pages with net/http and discards the bodies, so its
// cpu-ns/op is what the fake (and HTTP) cost without the SDK's
// decoding: raw/sdk is an upper bound of the fake's share of the CPU.
func BenchmarkFakeExport(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		for _, client := range []string{"sdk", "raw"} {
			b.Run(fmt.Sprintf("users=%d/client=%s", n, client), func(b *testing.B) {
				f := fakeServer(b, n)
				want := n + 2
				export := exportSDK(f)
				if client == "raw" {
					export = exportRaw(f)
				}
				m := startCPU(b)
				for b.Loop() {
					got, err := export()
					if err != nil {
						b.Fatal(err)
					}
					if got != want {
						b.Fatalf("exported %d users, want %d", got, want)
					}
				}
				m.report(b)
				b.ReportMetric(float64(want)*float64(b.N)/b.Elapsed().Seconds(), "users/s")
			})
		}
	}
}

func exportSDK(f *fakeFixture) func() (int, error) {
	opt := &ours.ListUsersOptions{ListOptions: ours.ListOptions{PerPage: 100}, Pagination: ours.Ptr(ours.PaginationKeyset)}
	return func() (int, error) {
		n := 0
		for u, err := range f.admin.Users.ListIter(context.Background(), opt) {
			if err != nil {
				return n, err
			}
			sinkID += u.ID
			n++
		}
		return n, nil
	}
}

func exportRaw(f *fakeFixture) func() (int, error) {
	hc := &http.Client{}
	return func() (int, error) {
		n := 0
		next := f.s.URL + "/api/v4/users?pagination=keyset&per_page=100"
		for next != "" {
			req, _ := http.NewRequest(http.MethodGet, next, nil)
			req.Header.Set("PRIVATE-TOKEN", f.s.AdminToken())
			resp, err := hc.Do(req)
			if err != nil {
				return n, err
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK {
				return n, fmt.Errorf("after %d users: %d %v", n, resp.StatusCode, err)
			}
			// Each user is an object starting with its id (generated
			// users have no nested created_by).
			n += bytes.Count(body, []byte(`{"id":`))
			next = rawNextLink(resp.Header.Values("Link"))
		}
		return n, nil
	}
}

// rawNextLink picks the rel="next" URL of GitLab's keyset Link header
// (one entry: <url>; rel="next").
func rawNextLink(links []string) string {
	for _, l := range links {
		if u, rest, ok := strings.Cut(l, ">"); ok && strings.HasPrefix(u, "<") && strings.Contains(rest, `rel="next"`) {
			return u[1:]
		}
	}
	return ""
}

// BenchmarkFakeParallel: Users.Get of varying users and a first page of
// 20 users, alternately, from 1 or 16 goroutines at once, as the
// administrator. ns/op is per call, so the throughput gained by 16
// goroutines is ns/op(1) / ns/op(16).
func BenchmarkFakeParallel(b *testing.B) {
	for _, n := range []int{100_000} {
		for _, workers := range []int{1, 16} {
			b.Run(fmt.Sprintf("users=%d/goroutines=%d", n, workers), func(b *testing.B) {
				f := fakeServer(b, n)
				ctx := context.Background()
				opt := &ours.ListUsersOptions{ListOptions: ours.ListOptions{PerPage: fakePerPage}}
				var seq sync.Mutex
				k := 0
				call := func() error {
					seq.Lock()
					k++
					i := k
					seq.Unlock()
					if i%2 == 0 {
						_, _, err := f.admin.Users.List(ctx, opt)
						return err
					}
					_, _, err := f.admin.Users.Get(ctx, f.ids[(i*7919)%len(f.ids)], nil)
					return err
				}
				if err := runCalls(2*workers, workers, call); err != nil { // warm the connections
					b.Fatal(err)
				}
				m := startCPU(b)
				if err := runCalls(b.N, workers, call); err != nil {
					b.Fatal(err)
				}
				m.report(b)
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
			})
		}
	}
}

// memberFixtures holds, per fake size, the group platform/infra of
// BenchmarkFakeMembers: 20 generated users are Developers of platform
// and 20 others Maintainers of infra, spread over the whole ID range.
var memberFixtures = map[int]int64{}

func fakeMembers(b *testing.B, f *fakeFixture, n int) (sub int64, member int64) {
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	step := len(f.ids) / 40
	if id, ok := memberFixtures[n]; ok {
		return id, f.ids[0]
	}
	top := f.s.CreateGroup(gitlabtest.GroupSpec{Path: "platform"})
	sub = f.s.CreateGroup(gitlabtest.GroupSpec{Path: "infra", ParentID: top})
	for i := range 40 {
		g, level := top, gitlabtest.AccessDeveloper
		if i%2 == 1 {
			g, level = sub, gitlabtest.AccessMaintainer
		}
		f.s.AddGroupMember(g, f.ids[i*step], level)
	}
	memberFixtures[n] = sub
	return sub, f.ids[0]
}

// BenchmarkFakeMembers: the member lists of a subgroup with 20 direct
// members whose parent has 20 more, as the administrator: direct
// members (GET /groups/:id/members), effective members
// (GET /groups/:id/members/all, 40 rows) and one member's memberships
// (GET /users/:id/memberships). The fake keeps member rows by source and
// by user, so none of them should grow with the number of users.
func BenchmarkFakeMembers(b *testing.B) {
	for _, n := range fakeSizes {
		f := fakeServer(b, n)
		sub, member := fakeMembers(b, f, n)
		ctx := context.Background()
		calls := map[string]func() (int, error){
			"direct": func() (int, error) {
				ms, _, err := f.admin.Members.List(ctx, ours.GroupID(sub), &ours.ListMembersOptions{ListOptions: ours.ListOptions{PerPage: 100}})
				return len(ms), err
			},
			"effective": func() (int, error) {
				ms, _, err := f.admin.Members.ListAll(ctx, ours.GroupID(sub), &ours.ListAllMembersOptions{ListOptions: ours.ListOptions{PerPage: 100}})
				return len(ms), err
			},
			"memberships": func() (int, error) {
				ms, _, err := f.admin.Users.ListMemberships(ctx, member, nil)
				return len(ms), err
			},
		}
		benchLists(b, n, calls, []string{"direct", "effective", "memberships"},
			map[string]int{"direct": 20, "effective": 40, "memberships": 1})
	}
}

// benchLists runs one sub-benchmark per list of order, named
// list=<name>/users=<n>: each call must return want[name] rows.
func benchLists(b *testing.B, n int, calls map[string]func() (int, error), order []string, want map[string]int) {
	for _, list := range order {
		b.Run(fmt.Sprintf("list=%s/users=%d", list, n), func(b *testing.B) {
			call := func() {
				got, err := calls[list]()
				if err != nil {
					b.Fatal(err)
				}
				if got != want[list] {
					b.Fatalf("%d rows, want %d", got, want[list])
				}
			}
			call()
			b.ReportAllocs()
			m := startCPU(b)
			for b.Loop() {
				call()
			}
			m.report(b)
		})
	}
}

// tokenFixtures records the sizes whose users already have a token.
var tokenFixtures = map[int]bool{}

// BenchmarkFakeUserCredentials: one user's personal access tokens
// (GET /personal_access_tokens?user_id=), emails (GET /users/:id/emails)
// and a project's access tokens (GET /projects/:id/access_tokens), as
// the administrator, when every user has a token and an email. The fake
// indexes tokens, keys and emails by owner, so none of them should grow
// with the number of users: an access review asks for them once per
// user.
func BenchmarkFakeUserCredentials(b *testing.B) {
	for _, n := range fakeSizes {
		f := fakeServer(b, n)
		fixturesMu.Lock()
		if !tokenFixtures[n] {
			for _, id := range f.ids {
				f.s.CreatePersonalToken(id, "read_api")
			}
			tokenFixtures[n] = true
		}
		fixturesMu.Unlock()
		proj := f.s.CreateProject(gitlabtest.ProjectSpec{Path: fmt.Sprintf("creds%d", n), OwnerID: f.ids[0]})
		f.s.AddAccessToken(gitlabtest.ProjectSource(proj), gitlabtest.AccessTokenSpec{Name: "deploy"})
		user := f.ids[len(f.ids)/2]
		ctx := context.Background()
		calls := map[string]func() (int, error){
			"tokens": func() (int, error) {
				ts, _, err := f.admin.PersonalAccessTokens.List(ctx, &ours.ListPersonalAccessTokensOptions{UserID: &user})
				return len(ts), err
			},
			"emails": func() (int, error) {
				es, _, err := f.admin.Emails.ListForUser(ctx, user, nil)
				return len(es), err
			},
			"access_tokens": func() (int, error) {
				ts, _, err := f.admin.AccessTokens.List(ctx, ours.ProjectID(proj), nil)
				return len(ts), err
			},
		}
		benchLists(b, n, calls, []string{"tokens", "emails", "access_tokens"},
			map[string]int{"tokens": 1, "emails": 1, "access_tokens": 1})
	}
}
