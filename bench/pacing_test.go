package bench

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	ours "github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// BenchmarkPacing: 2,000 calls from 16 goroutines against gitlabtest's
// rate limit of 600 requests per window (GitLab.com's 600 per minute,
// scaled down to a 1 s window). The floor is the time the limit allows:
// 2,000 / 600 windows. Reported per run: seconds/floor (the goal is at
// most 1.2 with pacing) and the requests answered 429 (the goal is 0 with
// pacing). Without pacing the client retries each 429 after Retry-After.
func BenchmarkPacing(b *testing.B) {
	const calls, workers, limit = 2000, 16, 600
	const window = time.Second
	floor := window * calls / limit
	for _, pacing := range []bool{true, false} {
		name := "pacing=on"
		opts := []ours.ClientOption{ours.WithRateLimitPacing()}
		if !pacing {
			name, opts = "pacing=off", nil
		}
		b.Run(name, func(b *testing.B) {
			var elapsed time.Duration
			var limited int
			for b.Loop() {
				srv := gitlabtest.NewServer(gitlabtest.WithRateLimit(limit, window, 0))
				client := srv.Client(append(opts, ours.WithRetryWait(10*time.Millisecond, 2*time.Second), ours.WithRetryMax(10))...)
				var next atomic.Int64
				var wg sync.WaitGroup
				var failed error
				var mu sync.Mutex
				start := time.Now()
				for range workers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for next.Add(1) <= calls {
							if _, _, err := client.Users.Get(context.Background(), 1, nil); err != nil {
								mu.Lock()
								failed = errors.Join(failed, err)
								mu.Unlock()
							}
						}
					}()
				}
				wg.Wait()
				elapsed += time.Since(start)
				limited += srv.RateLimitedCount()
				srv.Close()
				if failed != nil {
					b.Fatal(failed)
				}
			}
			b.ReportMetric(float64(elapsed)/float64(b.N)/float64(floor), "x-floor")
			b.ReportMetric(float64(limited)/float64(b.N), "429s")
		})
	}
}
