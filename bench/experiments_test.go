package bench

// Experiments behind the recommendations in BENCHMARKS.md: variations of
// the library's defaults that can be tried from outside the library.
// (Changes inside the library are measured by run.sh on patched copies,
// see experiments/.)

import (
	"net/http"
	"testing"

	ours "github.com/gitlabusers/gitlab"
)

// BenchmarkExptConns is BenchmarkConns for ours on a transport that also
// caps connections per host (MaxConnsPerHost 16): extra dials during a
// burst wait for a free connection instead of opening more.
func BenchmarkExptConns(b *testing.B) {
	s := routeServer(b, getUserRoute)
	newCapped := func() caller {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConns = 100
		t.MaxIdleConnsPerHost = 16
		t.MaxConnsPerHost = 16
		return newCaller("ours", s.URL, &http.Client{Transport: t})
	}
	for _, cc := range connCases {
		b.Run("case="+cc.name+"/impl=ours-maxconns16", func(b *testing.B) {
			var conns int64
			for b.Loop() {
				b.StopTimer()
				c := newCapped()
				before := s.conns.Load()
				b.StartTimer()
				err := runCalls(connCalls, cc.workers, func() error { return cc.call(c) })
				b.StopTimer()
				conns += s.conns.Load() - before
				s.CloseClientConnections()
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(conns)/float64(b.N), "conns")
		})
	}
}

// BenchmarkExptListIter10k is BenchmarkListIter10k for ours with two
// pages in flight (WithPageConcurrency(2)): what a default iterator that
// keeps two pages ahead would cost and gain.
func BenchmarkExptListIter10k(b *testing.B) {
	saved := iterators
	defer func() { iterators = saved }()
	iterators = iterators[:0:0]
	iterators = append(iterators, struct {
		name string
		run  func(base string) func() (int, error)
	}{"ours-conc2", oursIter(ours.WithPageConcurrency(2))})
	BenchmarkListIter10k(b)
}
