package gitlab

// The pacer's tests run on a fake clock (fakeClock): time moves only when
// every goroutine of a test is asleep in the pacer, and then straight to
// the earliest wake-up. What they assert is therefore the same on an idle
// machine and on a loaded one.

import (
	"context"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock for the pacer (its now and sleep) that a test
// moves on.
type fakeClock struct {
	mu       sync.Mutex
	changed  *sync.Cond // a sleeper came or went, or a goroutine of run returned
	t        time.Time
	sleepers []*sleeper
}

type sleeper struct {
	at   time.Time
	wake chan struct{}
}

func newFakeClock() *fakeClock {
	c := &fakeClock{t: time.Unix(1_750_000_000, 0)} // a whole second, as GitLab's windows start
	c.changed = sync.NewCond(&c.mu)
	return c
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// set moves the clock to t (only forwards) without waking anyone: for a
// test that runs one goroutine and calls the pacer itself.
func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.t) {
		c.t = t
	}
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	c.mu.Lock()
	s := &sleeper{at: c.t.Add(d), wake: make(chan struct{})}
	c.sleepers = append(c.sleepers, s)
	c.changed.Broadcast()
	c.mu.Unlock()
	select {
	case <-s.wake:
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		if i := slices.Index(c.sleepers, s); i >= 0 {
			c.sleepers = slices.Delete(c.sleepers, i, i+1)
		}
		c.changed.Broadcast()
		c.mu.Unlock()
		return ctx.Err()
	}
}

// run calls f in n goroutines and moves the clock on whenever all of them
// that have not returned are asleep, to the earliest wake-up. A pacer
// that would keep them waiting beyond horizon (from now) has stalled:
// run then cancels the ctx that f gets, which f must pass to its calls,
// and reports it.
func (c *fakeClock) run(n int, horizon time.Duration, f func(ctx context.Context, i int)) (stalled bool) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := 0
	for i := range n {
		go func() {
			f(ctx, i)
			c.mu.Lock()
			done++
			c.changed.Broadcast()
			c.mu.Unlock()
		}()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	end := c.t.Add(horizon)
	for {
		for done+len(c.sleepers) < n {
			c.changed.Wait()
		}
		if done == n {
			return stalled
		}
		next := c.sleepers[0].at
		for _, s := range c.sleepers {
			if s.at.Before(next) {
				next = s.at
			}
		}
		if next.After(end) && !stalled {
			stalled = true
			c.mu.Unlock()
			cancel()
			c.mu.Lock()
			continue
		}
		if next.After(c.t) {
			c.t = next
		}
		c.sleepers = slices.DeleteFunc(c.sleepers, func(s *sleeper) bool {
			if s.at.After(c.t) {
				return false
			}
			close(s.wake)
			return true
		})
	}
}

// fakeGitLab is a RoundTripper answering every request at once, on a fake
// clock, with GitLab's rate limit: at most n requests in each fixed
// window, which starts on a whole second, and the RateLimit-* headers on
// every answer (as gitlabtest.WithRateLimit sends them). With n <= 0 it
// never refuses and headers decides the headers alone.
type fakeGitLab struct {
	clk    *fakeClock
	n      int
	window time.Duration
	// headers, when set, rewrites the RateLimit-* headers of the i-th
	// answer (from 0): a hostile or forgetful server.
	headers func(i int, h http.Header)

	mu       sync.Mutex
	winStart time.Time
	count    int
	sent     []time.Time // when each request reached the server
	limited  int         // requests answered 429
}

func (f *fakeGitLab) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		r.Body.Close()
	}
	now := f.clk.now()
	f.mu.Lock()
	defer f.mu.Unlock()
	i := len(f.sent)
	f.sent = append(f.sent, now)
	h := http.Header{"Content-Type": {"application/json"}}
	status, body := http.StatusOK, `{"id":1,"username":"root"}`
	if f.n > 0 {
		if f.winStart.IsZero() || now.Sub(f.winStart) >= f.window {
			f.winStart, f.count = now.Truncate(time.Second), 0
		}
		f.count++
		reset := f.winStart.Add(f.window)
		h.Set("RateLimit-Observed", strconv.Itoa(f.count))
		h.Set("RateLimit-Remaining", strconv.Itoa(max(f.n-f.count, 0)))
		h.Set("RateLimit-Reset", strconv.FormatInt(int64(math.Ceil(float64(reset.UnixNano())/1e9)), 10))
		if f.count > f.n {
			f.limited++
			status = http.StatusTooManyRequests
			body = `{"message":{"error":"This endpoint has been requested too many times. Try again later."}}`
			h.Set("Retry-After", strconv.Itoa(int(math.Ceil(reset.Sub(now).Seconds()))))
		}
	}
	if f.headers != nil {
		f.headers(i, h)
	}
	return &http.Response{
		StatusCode: status, Status: strconv.Itoa(status) + " " + http.StatusText(status),
		Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: r,
	}, nil
}

// sends returns when each request reached the server.
func (f *fakeGitLab) sends() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.sent)
}

func (f *fakeGitLab) rateLimited() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.limited
}

// rateHeaders returns a headers func that gives every answer these
// RateLimit-* values (an empty value: no such header).
func rateHeaders(observed, remaining, reset string) func(int, http.Header) {
	return func(_ int, h http.Header) { setRate(h, observed, remaining, reset) }
}

func setRate(h http.Header, observed, remaining, reset string) {
	for k, v := range map[string]string{"RateLimit-Observed": observed, "RateLimit-Remaining": remaining, "RateLimit-Reset": reset} {
		h.Del(k)
		if v != "" {
			h.Set(k, v)
		}
	}
}

// unix is t as RateLimit-Reset writes it.
func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

// newFakePacer is a pacer in front of srv, on srv's clock.
func newFakePacer(srv *fakeGitLab) *pacer {
	p := newPacer(srv, 30*time.Second) // WithRetryWait's default max
	p.now, p.sleep = srv.clk.now, srv.clk.sleep
	return p
}

// get sends one GET through p.
func get(ctx context.Context, p *pacer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://gitlab.example.com/api/v4/user", nil)
	if err != nil {
		return err
	}
	resp, err := p.RoundTrip(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// sequential sends calls requests one after another through p, on the
// fake clock, and fails t when they do not all go within horizon.
func sequential(t *testing.T, p *pacer, clk *fakeClock, calls int, horizon time.Duration) {
	t.Helper()
	var errs []error
	stalled := clk.run(1, horizon, func(ctx context.Context, _ int) {
		for range calls {
			if err := get(ctx, p); err != nil {
				errs = append(errs, err)
				return
			}
		}
	})
	if stalled || len(errs) > 0 {
		t.Fatalf("%d calls in a row did not all go within %v: stalled %v, errors %v", calls, horizon, stalled, errs)
	}
}

// Defect 1: once the budget known is spent and no reset is known, the
// pacer waited for an answer that could not come, as nothing was in
// flight; also when answers stop carrying the headers, and when a huge
// RateLimit-Reset overflowed into the past.
func TestPacingStallsWithoutReset(t *testing.T) {
	t.Run("budget of 2", func(t *testing.T) {
		clk := newFakeClock()
		srv := &fakeGitLab{clk: clk, n: 2, window: time.Second}
		sequential(t, newFakePacer(srv), clk, 7, time.Minute)
		if n := srv.rateLimited(); n != 0 {
			t.Errorf("%d requests answered 429", n)
		}
	})
	t.Run("headers stop mid-job", func(t *testing.T) {
		clk := newFakeClock()
		srv := &fakeGitLab{clk: clk, n: 10, window: time.Second, headers: func(i int, h http.Header) {
			if i >= 3 {
				setRate(h, "", "", "")
			}
		}}
		start := clk.now()
		sequential(t, newFakePacer(srv), clk, 30, time.Minute)
		// Without the headers pacing changes nothing: nothing waits for
		// the end of the window that the last header told.
		if s := srv.sends(); s[len(s)-1].Sub(start) >= time.Second {
			t.Errorf("the last request went %v after the first; without headers nothing should wait", s[len(s)-1].Sub(start))
		}
	})
	t.Run("headers stop mid-job, 8 goroutines", func(t *testing.T) {
		clk := newFakeClock()
		srv := &fakeGitLab{clk: clk, n: 10, window: time.Second, headers: func(i int, h http.Header) {
			if i >= 3 {
				setRate(h, "", "", "")
			}
		}}
		p := newFakePacer(srv)
		var mu sync.Mutex
		var errs []error
		stalled := clk.run(8, time.Minute, func(ctx context.Context, _ int) {
			for range 10 {
				if err := get(ctx, p); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					return
				}
			}
		})
		if stalled || len(errs) > 0 {
			t.Fatalf("stalled %v, errors %v", stalled, errs)
		}
		if n := len(srv.sends()); n != 80 {
			t.Errorf("%d requests sent, want 80", n)
		}
	})
	t.Run("RateLimit-Reset overflows", func(t *testing.T) {
		// time.Unix(MaxInt64, 0) lies in the past: the window would be
		// over at once, and a budget of 2 then spent by the margin. The
		// reset must be read as ahead (at most a year: how long the pacer
		// then waits is TestPacingWaitsAsLongAsServerAsks's).
		clk := newFakeClock()
		srv := &fakeGitLab{clk: clk, headers: rateHeaders("1", "1", strconv.FormatInt(math.MaxInt64, 10))}
		p := newFakePacer(srv)
		sequential(t, p, clk, 1, time.Minute)
		if now := clk.now(); !p.reset.After(now) || p.reset.After(now.Add(365*24*time.Hour)) {
			t.Errorf("RateLimit-Reset %d read as %v, %v from now; want ahead, at most a year", int64(math.MaxInt64), p.reset, p.reset.Sub(now))
		}
	})
}
