package bench

import (
	"context"
	"net/http"
	"testing"

	ours "github.com/gitlabusers/gitlab"
	clientgo "gitlab.com/gitlab-org/api/client-go"
	clientgo2 "gitlab.com/gitlab-org/api/client-go/v2"
)

// transports are the two ways the A and B calls reach the canned answer:
// a real HTTP/1.1 server on loopback (each implementation on its default
// HTTP client) and an in-memory http.RoundTripper given to each
// implementation as its *http.Client.
var transports = []string{"loopback", "mem"}

// callerFor returns implementation name answering with rt over transport.
func callerFor(b *testing.B, name, transport string, rt func(base string) route) caller {
	if transport == "mem" {
		return newCaller(name, memBaseURL, &http.Client{Transport: &memTransport{route: rt(memBaseURL)}})
	}
	s := routeServer(b, rt)
	return newCaller(name, s.URL, nil)
}

func benchCall(b *testing.B, rt func(base string) route, call func(caller) error) {
	for _, tr := range transports {
		for _, name := range impls {
			b.Run("impl="+name+"/transport="+tr, func(b *testing.B) {
				c := callerFor(b, name, tr, rt)
				if err := call(c); err != nil { // warm up: connection, pools
					b.Fatal(err)
				}
				b.ReportAllocs()
				m := startCPU(b)
				for b.Loop() {
					if err := call(c); err != nil {
						b.Fatal(err)
					}
				}
				m.report(b)
			})
		}
	}
}

// A: GET /users/1 answered with the full admin user.
func BenchmarkGetUser(b *testing.B) {
	benchCall(b, getUserRoute, caller.getUser)
}

// B: GET /users?per_page=100 answered with 100 admin users.
func BenchmarkListUsers(b *testing.B) {
	benchCall(b, listUsersRoute, caller.listUsers)
}

// C: iterate 10,000 users (100 pages of 100) from a server that waits
// 5 ms before each page. ns/op is the wall time of one full iteration;
// peak-heap-MB is the highest HeapInuse seen while iterating (from a
// settled heap), peak-live-MB the highest live heap after a GC.
const (
	iterPages   = 100
	iterPerPage = 100
	iterDelay   = 5e6 // 5 ms
)

// iterators are the ways to walk every user; each returns the count.
var iterators = []struct {
	name string
	run  func(base string) func() (int, error)
}{
	{"ours", oursIter()},
	{"ours-conc8", oursIter(ours.WithPageConcurrency(8))},
	{"clientgo", func(base string) func() (int, error) {
		c, err := clientgo.NewClient(testToken, clientgo.WithBaseURL(base))
		if err != nil {
			panic(err)
		}
		opt := &clientgo.ListUsersOptions{ListOptions: clientgo.ListOptions{PerPage: iterPerPage}}
		return func() (int, error) {
			n := 0
			for u, err := range clientgo.Scan2(func(p clientgo.PaginationOptionFunc) ([]*clientgo.User, *clientgo.Response, error) {
				return c.Users.ListUsers(opt, p)
			}) {
				if err != nil {
					return n, err
				}
				sinkID += u.ID
				n++
			}
			return n, nil
		}
	}},
	{"clientgo2", func(base string) func() (int, error) {
		c, err := clientgo2.NewClient(testToken, clientgo2.WithBaseURL(base))
		if err != nil {
			panic(err)
		}
		opt := &clientgo2.ListUsersOptions{ListOptions: clientgo2.ListOptions{PerPage: iterPerPage}}
		return func() (int, error) {
			n := 0
			for u, err := range clientgo2.Scan2(func(p clientgo2.PaginationOptionFunc) ([]*clientgo2.User, *clientgo2.Response, error) {
				return c.Users.ListUsers(opt, p)
			}) {
				if err != nil {
					return n, err
				}
				sinkID += u.ID
				n++
			}
			return n, nil
		}
	}},
}

var sinkID int64

func oursIter(extra ...ours.ClientOption) func(base string) func() (int, error) {
	return func(base string) func() (int, error) {
		c, err := ours.NewClient(testToken, append([]ours.ClientOption{ours.WithBaseURL(base)}, extra...)...)
		if err != nil {
			panic(err)
		}
		opt := &ours.ListUsersOptions{ListOptions: ours.ListOptions{PerPage: iterPerPage}}
		return func() (int, error) {
			n := 0
			for u, err := range c.Users.ListIter(context.Background(), opt) {
				if err != nil {
					return n, err
				}
				sinkID += u.ID
				n++
			}
			return n, nil
		}
	}
}

func BenchmarkListIter10k(b *testing.B) {
	s := pagedServer(b, iterPages, iterPerPage, iterDelay)
	for _, it := range iterators {
		b.Run("impl="+it.name, func(b *testing.B) {
			iterate := it.run(s.URL)
			var peakInuse, peakLive uint64
			b.ResetTimer()
			for b.Loop() {
				b.StopTimer()
				settle()
				h := startHeapSampler()
				b.StartTimer()
				n, err := iterate()
				b.StopTimer()
				inuse, live := h.finish()
				if err != nil {
					b.Fatal(err)
				}
				if n != iterPages*iterPerPage {
					b.Fatalf("iterated %d users, want %d", n, iterPages*iterPerPage)
				}
				peakInuse, peakLive = max(peakInuse, inuse), max(peakLive, live)
				b.StartTimer()
			}
			b.ReportMetric(float64(peakInuse)/mb, "peak-heap-MB")
			b.ReportMetric(float64(peakLive)/mb, "peak-live-MB")
		})
	}
}

// D: TCP connections opened for 1,000 calls on a fresh client with the
// implementation's default HTTP client: sequential, over 16 goroutines,
// and sequential calls all answered 404. "conns" is per op (1,000 calls).
const connCalls = 1000

var connCases = []struct {
	name    string
	workers int
	call    func(caller) error
}{
	{"sequential", 1, caller.getUser},
	{"parallel16", 16, caller.getUser},
	{"notfound", 1, caller.getMissing},
}

func BenchmarkConns(b *testing.B) {
	s := routeServer(b, getUserRoute)
	for _, cc := range connCases {
		for _, name := range impls {
			b.Run("case="+cc.name+"/impl="+name, func(b *testing.B) {
				var conns int64
				for b.Loop() {
					b.StopTimer()
					c := newCaller(name, s.URL, nil)
					before := s.conns.Load()
					b.StartTimer()
					err := runCalls(connCalls, cc.workers, func() error { return cc.call(c) })
					b.StopTimer()
					conns += s.conns.Load() - before
					s.CloseClientConnections() // the next op starts cold
					if err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				b.ReportMetric(float64(conns)/float64(b.N), "conns")
			})
		}
	}
}
