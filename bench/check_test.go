package bench

// These tests check the harness, not speed: every implementation decodes
// the fixtures to the same values, every decoder agrees with
// encoding/json, the iterators see every user, connections are counted,
// and gitlab.User stays in its allocation size class. They make no timing
// assertions.

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"
	"unsafe"

	ours "github.com/gitlabusers/gitlab"
)

func TestBenchImplsDecodeFixtures(t *testing.T) {
	created := time.Date(2012, 5, 23, 8, 0, 58, 0, time.UTC)
	for _, tr := range transports {
		for _, name := range impls {
			t.Run(name+"/"+tr, func(t *testing.T) {
				var c caller
				var lc caller
				if tr == "mem" {
					c = newCaller(name, memBaseURL, &http.Client{Transport: &memTransport{route: getUserRoute(memBaseURL)}})
					lc = newCaller(name, memBaseURL, &http.Client{Transport: &memTransport{route: listUsersRoute(memBaseURL)}})
				} else {
					c = newCaller(name, routeServer(t, getUserRoute).URL, nil)
					lc = newCaller(name, routeServer(t, listUsersRoute).URL, nil)
				}
				if err := c.getUser(); err != nil {
					t.Fatal(err)
				}
				if err := c.getMissing(); err != nil {
					t.Fatal(err)
				}
				if err := lc.listUsers(); err != nil {
					t.Fatal(err)
				}
				type view struct {
					id, createdBy, highestRole int64
					username, email, lastIP    string
					created                    time.Time
					identities, n              int
					firstID, lastID            int64
				}
				var got view
				switch c := c.(type) {
				case *oursCaller:
					u := c.user
					us := lc.(*oursCaller).users
					got = view{u.ID, u.CreatedBy.ID, int64(u.HighestRole), u.Username, u.Email, u.LastSignInIP, *u.CreatedAt, len(u.Identities), len(us), us[0].ID, us[len(us)-1].ID}
					if d := u.LastActivityOn.Time(); !d.Equal(time.Date(2012, 5, 23, 0, 0, 0, 0, time.UTC)) {
						t.Errorf("last_activity_on = %v", d)
					}
				case *baselineCaller:
					u := c.user
					us := lc.(*baselineCaller).users
					got = view{u.ID, u.CreatedBy.ID, int64(u.HighestRole), u.Username, u.Email, u.LastSignInIP, *u.CreatedAt, len(u.Identities), len(us), us[0].ID, us[len(us)-1].ID}
				case *clientgoCaller:
					u := c.user
					us := lc.(*clientgoCaller).users
					// client-go has no highest_role; it is checked for the others.
					got = view{u.ID, u.CreatedBy.ID, 40, u.Username, u.Email, u.LastSignInIP.String(), *u.CreatedAt, len(u.Identities), len(us), us[0].ID, us[len(us)-1].ID}
				case *clientgo2Caller:
					u := c.user
					us := lc.(*clientgo2Caller).users
					// client-go v2 has no highest_role either.
					got = view{u.ID, u.CreatedBy.ID, 40, u.Username, u.Email, u.LastSignInIP.String(), *u.CreatedAt, len(u.Identities), len(us), us[0].ID, us[len(us)-1].ID}
				}
				want := view{1, 9, 40, "user1", "user1@example.com", "172.127.2.22", created, 3, 100, 1, 100}
				if got != want {
					t.Errorf("decoded %+v, want %+v", got, want)
				}
			})
		}
	}
}

func TestBenchDecodersAgree(t *testing.T) {
	var want []*ours.User
	if err := json.Unmarshal(users100, &want); err != nil {
		t.Fatal(err)
	}
	var wantOne *ours.User
	if err := json.Unmarshal(userBody, &wantOne); err != nil {
		t.Fatal(err)
	}
	if len(want) != 100 || want[99].ID != 100 || wantOne.HighestRole != ours.AccessLevelMaintainer || wantOne.SharedRunnersMinutesLimit == nil {
		t.Fatalf("fixture decoded unexpectedly: %d users, %+v", len(want), wantOne)
	}
	for _, d := range decoders {
		t.Run(d.name, func(t *testing.T) {
			var got []*ours.User
			if err := d.decode(users100, &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("list decodes differently from encoding/json")
			}
			var one *ours.User
			if err := d.decode(userBody, &one); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(one, wantOne) {
				t.Errorf("user decodes differently from encoding/json:\n%+v\n%+v", one, wantOne)
			}
		})
	}
}

func TestBenchIteratorsSeeEveryUser(t *testing.T) {
	s := pagedServer(t, 3, iterPerPage, 0)
	for _, it := range iterators {
		t.Run(it.name, func(t *testing.T) {
			n, err := it.run(s.URL)()
			if err != nil {
				t.Fatal(err)
			}
			if n != 3*iterPerPage {
				t.Errorf("iterated %d users, want %d", n, 3*iterPerPage)
			}
		})
	}
}

func TestBenchConnsCounted(t *testing.T) {
	s := routeServer(t, getUserRoute)
	for _, name := range impls {
		before := s.conns.Load()
		c := newCaller(name, s.URL, nil)
		if err := runCalls(10, 4, c.getUser); err != nil {
			t.Fatal(err)
		}
		if n := s.conns.Load() - before; n < 1 || n > 10 {
			t.Errorf("%s: %d connections counted for 10 calls", name, n)
		}
		s.CloseClientConnections()
	}
}

func TestBenchHeapSampler(t *testing.T) {
	h := startHeapSampler()
	keep := make([]byte, 8*mb)
	time.Sleep(5 * time.Millisecond)
	inuse, _ := h.finish()
	if inuse < 8*mb {
		t.Errorf("peak HeapInuse %d while holding 8 MiB", inuse)
	}
	_ = keep[len(keep)-1]
}

// TestUserFitsItsSizeClass keeps gitlab.User within the allocator's
// 704-byte size class (users.go says why its booleans sit together): a
// page of 100 users decodes 200 Users, and the 768-byte class costs 5 %
// more bytes a page (BENCHMARKS.md, issue 26, second round). A field that
// pushes it past the bound should come with that figure measured again.
func TestUserFitsItsSizeClass(t *testing.T) {
	if n := unsafe.Sizeof(ours.User{}); n > 704 {
		t.Errorf("gitlab.User is %d bytes, past the 704-byte size class", n)
	}
}
