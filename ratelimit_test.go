package gitlab_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// With WithRateLimitPacing, 16 goroutines share GitLab's budget and
// meet no 429; without it the same calls do. (How long pacing takes
// against the limit's floor is measured by BenchmarkPacing in bench/.)
func TestRateLimitPacing(t *testing.T) {
	const limit, calls, workers = 40, 100, 16
	run := func(opts ...gitlab.ClientOption) (rateLimited int, errs int64) {
		srv := gitlabtest.NewServer(gitlabtest.WithRateLimit(limit, time.Second, 0))
		defer srv.Close()
		client := srv.Client(append([]gitlab.ClientOption{gitlab.WithoutRetries()}, opts...)...)
		var next, failed atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for next.Add(1) <= calls {
					if _, _, err := client.Users.Get(context.Background(), 1, nil); err != nil {
						if !errors.Is(err, gitlab.ErrRateLimited) {
							t.Errorf("unexpected error: %v", err)
						}
						failed.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		return srv.RateLimitedCount(), failed.Load()
	}
	if n, errs := run(gitlab.WithRateLimitPacing()); n != 0 || errs != 0 {
		t.Errorf("with pacing: %d requests answered 429, %d calls failed", n, errs)
	}
	if n, _ := run(); n == 0 {
		t.Errorf("without pacing no request met the limit: the scenario tests nothing")
	}
}

// Defect 1 against gitlabtest: with a budget of 2 a window, the margin
// spends the next window's budget at once and no answer is on its way to
// tell its reset; the third call in a row never went out. (It takes up to
// a second: the third call waits for the end of the fake's window.)
func TestPacingStallsWithoutResetAgainstGitlabtest(t *testing.T) {
	srv := gitlabtest.NewServer(gitlabtest.WithRateLimit(2, time.Second, 0))
	defer srv.Close()
	client := srv.Client(gitlab.WithRateLimitPacing())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i := range 3 {
		if _, _, err := client.Users.Get(ctx, 1, nil); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
}
