package gitlab

// The pacer's tests run on a fake clock (fakeClock): time moves only when
// every goroutine of a test is asleep in the pacer, and then straight to
// the earliest wake-up. What they assert is therefore the same on an idle
// machine and on a loaded one.

import (
	"context"
	"errors"
	"fmt"
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
	// latency is how long a request takes to reach the server, and its
	// answer to come back; jitter(i), when set, adds to the i-th trip.
	latency time.Duration
	jitter  func(i int) time.Duration
	trips   int

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
	if err := f.clk.sleep(r.Context(), f.delay()); err != nil {
		return nil, err
	}
	defer f.clk.sleep(r.Context(), f.delay()) // the answer takes a while too
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

// delay is how long the next trip takes.
func (f *fakeGitLab) delay() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.trips++
	if f.jitter == nil {
		return f.latency
	}
	return f.latency + f.jitter(f.trips)
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

// newFakeClient is a Client sending to srv through a pacer on srv's clock,
// without retries (go-retryablehttp would wait on the real clock).
func newFakeClient(t *testing.T, srv *fakeGitLab, opts ...ClientOption) *Client {
	t.Helper()
	opts = append([]ClientOption{
		WithBaseURL("https://gitlab.example.com"), WithHTTPClient(&http.Client{Transport: srv}),
		WithRateLimitPacing(), WithoutRetries(),
	}, opts...)
	c, err := NewClient("glpat-pacer-test-token", opts...)
	if err != nil {
		t.Fatal(err)
	}
	p := c.httpClient.Transport.(*pacer)
	p.now, p.sleep = srv.clk.now, srv.clk.sleep
	return c
}

// Defect 2: the pacer slept until a RateLimit-Reset an hour or a year
// ahead, and spaced requests by (time to reset / budget left) without a
// cap, where the same answer as a 429 returns at once with RetryAfter.
// A request is now held at most WithRetryWait's max.
func TestPacingWaitsAsLongAsServerAsks(t *testing.T) {
	t.Run("budget spent until an hour ahead", func(t *testing.T) {
		clk := newFakeClock()
		srv := &fakeGitLab{clk: clk, n: 1, window: time.Hour}
		client := newFakeClient(t, srv)
		var errs [2]error
		stalled := clk.run(1, time.Minute, func(ctx context.Context, _ int) {
			for i := range errs {
				_, _, errs[i] = client.Users.Get(ctx, 1, nil)
			}
		})
		if stalled {
			t.Fatal("the second call waited for the reset an hour ahead")
		}
		if errs[0] != nil {
			t.Fatal(errs[0])
		}
		// As without pacing: GitLab's 429 asks for longer than the maximum
		// wait, so it comes back at once with RetryAfter.
		var er *ErrorResponse
		if !errors.As(errs[1], &er) || er.StatusCode != http.StatusTooManyRequests || er.RetryAfter != time.Hour {
			t.Errorf("second call: %v; want the 429 with RetryAfter 1h", errs[1])
		}
		if s := srv.sends(); !s[1].Equal(s[0]) {
			t.Errorf("the second call was held %v", s[1].Sub(s[0]))
		}
	})
	t.Run("spacing to a reset a year ahead", func(t *testing.T) {
		clk := newFakeClock()
		srv := &fakeGitLab{clk: clk, headers: rateHeaders("1", "100", strconv.FormatInt(math.MaxInt64, 10))}
		sequential(t, newFakePacer(srv), clk, 5, 10*time.Minute)
		s := srv.sends()
		for i := 1; i < len(s); i++ {
			if d := s[i].Sub(s[i-1]); d > 30*time.Second {
				t.Errorf("request %d held %v after the one before; want at most 30s", i+1, d)
			}
		}
	})
	t.Run("WithRetryWait's max bounds the wait", func(t *testing.T) {
		clk := newFakeClock()
		srv := &fakeGitLab{clk: clk, n: 1, window: 10 * time.Second}
		client := newFakeClient(t, srv, WithRetryWait(0, 5*time.Second))
		var errs [2]error
		if clk.run(1, time.Minute, func(ctx context.Context, _ int) {
			for i := range errs {
				_, _, errs[i] = client.Users.Get(ctx, 1, nil)
			}
		}) {
			t.Fatal("stalled")
		}
		if s := srv.sends(); !s[1].Equal(s[0]) || !errors.Is(errs[1], ErrRateLimited) {
			t.Errorf("second call held %v, error %v; want sent at once and 429 (the reset is 10s ahead, the max wait 5s)", s[1].Sub(s[0]), errs[1])
		}
	})
	t.Run("a reset within the max wait is waited for", func(t *testing.T) {
		clk := newFakeClock()
		srv := &fakeGitLab{clk: clk, n: 1, window: 10 * time.Second}
		client := newFakeClient(t, srv)
		var errs [2]error
		if clk.run(1, time.Minute, func(ctx context.Context, _ int) {
			for i := range errs {
				_, _, errs[i] = client.Users.Get(ctx, 1, nil)
			}
		}) {
			t.Fatal("stalled")
		}
		if s := srv.sends(); s[1].Sub(s[0]) != 10*time.Second || errs[1] != nil {
			t.Errorf("second call held %v, error %v; want held 10s to the reset, then answered", s[1].Sub(s[0]), errs[1])
		}
	})
}

// With WithRateLimitPacing, 16 goroutines share GitLab's budget and meet
// no 429, and take at most 1.2 times the limit's floor; without it the
// same calls do meet 429s. Requests and answers take a while (each trip
// its own), so some sent before a window's end are counted in the next,
// and some answers of a window come after its end.
func TestRateLimitPacing(t *testing.T) {
	const limit, calls, workers = 40, 200, 16
	for _, latency := range []time.Duration{0, 10 * time.Millisecond, 30 * time.Millisecond} {
		run := func(pacing bool) (rateLimited int, errs int, took time.Duration) {
			clk := newFakeClock()
			srv := &fakeGitLab{clk: clk, n: limit, window: time.Second, latency: latency}
			if latency > 0 {
				srv.jitter = func(i int) time.Duration { return time.Duration(i*7919%10) * latency / 2 }
			}
			client := newFakeClient(t, srv)
			if !pacing {
				client.httpClient.Transport = srv
			}
			var mu sync.Mutex
			next := 0
			start := clk.now()
			if clk.run(workers, time.Hour, func(ctx context.Context, _ int) {
				for {
					mu.Lock()
					next++
					i := next
					mu.Unlock()
					if i > calls {
						return
					}
					if _, _, err := client.Users.Get(ctx, 1, nil); err != nil {
						if !errors.Is(err, ErrRateLimited) {
							t.Errorf("unexpected error: %v", err)
						}
						mu.Lock()
						errs++
						mu.Unlock()
					}
				}
			}) {
				t.Fatal("stalled")
			}
			return srv.rateLimited(), errs, clk.now().Sub(start)
		}
		n, errs, took := run(true)
		if n != 0 || errs != 0 {
			t.Errorf("latency %v, with pacing: %d requests answered 429, %d calls failed", latency, n, errs)
		}
		if floor := time.Duration(calls/limit) * time.Second; took > floor*6/5 {
			t.Errorf("latency %v, with pacing: %d calls took %v; want at most 1.2 times the floor of %v", latency, calls, took, floor)
		}
		if n, _, _ := run(false); n == 0 {
			t.Errorf("latency %v, without pacing no request met the limit: the scenario tests nothing", latency)
		}
	}
}

// --- the pacer's guarantees ---------------------------------------------

// paced is a pacer in front of a server whose i-th answer carries the
// RateLimit-* headers answer(i) gives, holding requests up to an hour, on
// a fake clock starting at t0.
func paced(answer func(i int) (observed, remaining, reset string)) (p *pacer, srv *fakeGitLab, t0 time.Time) {
	clk := newFakeClock()
	srv = &fakeGitLab{clk: clk, headers: func(i int, h http.Header) {
		observed, remaining, reset := answer(i)
		setRate(h, observed, remaining, reset)
	}}
	p = newFakePacer(srv)
	p.maxWait = time.Hour
	return p, srv, clk.now()
}

// atOnce counts the requests p lets start at once from now on, none of
// them answered.
func atOnce(p *pacer) int {
	now := p.now()
	n := 0
	for ; n < 1000; n++ {
		if at, final := p.reserve(now, now.Add(p.maxWait)); !final || at.After(now) {
			break
		}
	}
	return n
}

// A negative RateLimit-Remaining is ignored: it does not spend the budget.
func TestPacingIgnoresNegativeRemaining(t *testing.T) {
	var reset string
	p, srv, t0 := paced(func(i int) (string, string, string) {
		if i == 0 {
			return "1", "9", reset
		}
		return "1", "-1", reset
	})
	reset = unix(t0.Add(10 * time.Second))
	sequential(t, p, srv.clk, 2, time.Minute)
	if at, final := p.reserve(t0, t0.Add(time.Hour)); !final || !at.Before(t0.Add(10*time.Second)) {
		t.Errorf("after RateLimit-Remaining -1 the next request goes at %v (final %v); want its slot, before the reset", at.Sub(t0), final)
	}
}

// When a window ends, the next starts with the full budget less a margin
// (2 and 2 %) for requests that reach GitLab only after the reset.
func TestPacingMarginAtWindowStart(t *testing.T) {
	var reset string
	p, srv, t0 := paced(func(int) (string, string, string) { return "1", "99", reset })
	reset = unix(t0.Add(time.Second))
	sequential(t, p, srv.clk, 1, time.Minute)
	srv.clk.set(t0.Add(time.Second))
	if n := atOnce(p); n != 96 {
		t.Errorf("%d requests go at once at the window's start; want 96 (100 less 2 less 2 %%)", n)
	}
}

// A request cancelled while it waits for its slot gives its reservation
// back: the pacer does not count it in flight (else, with the next
// window's budget spent by the margin, requests would wait for its
// answer).
func TestPacingReleasesCancelledReservation(t *testing.T) {
	var reset string
	p, srv, t0 := paced(func(int) (string, string, string) { return "0", "2", reset })
	reset = unix(t0.Add(10 * time.Second))
	sequential(t, p, srv.clk, 2, time.Minute) // the budget of 2: the second has the first slot
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := get(ctx, p); !errors.Is(err, context.Canceled) {
		t.Fatalf("a request waiting for its slot, cancelled: %v", err)
	}
	srv.clk.set(t0.Add(11 * time.Second)) // the next window: 2 less the margin, 0
	sequential(t, p, srv.clk, 1, time.Minute)
	if s := srv.sends(); len(s) != 3 || !s[2].Equal(t0.Add(11*time.Second)) {
		t.Errorf("requests sent at %v; want the third at once at 11s", s)
	}
}

// Goroutines sharing a client share its slots: their requests start an
// interval apart, not together.
func TestPacingSpacesAcrossGoroutines(t *testing.T) {
	var reset string
	p, srv, t0 := paced(func(int) (string, string, string) { return "0", "10", reset })
	reset = unix(t0.Add(10 * time.Second))
	sequential(t, p, srv.clk, 1, time.Minute)
	if srv.clk.run(8, time.Minute, func(ctx context.Context, _ int) {
		if err := get(ctx, p); err != nil {
			t.Error(err)
		}
	}) {
		t.Fatal("stalled")
	}
	s := srv.sends()[1:]
	slices.SortFunc(s, time.Time.Compare)
	for i := 1; i < len(s); i++ {
		if d := s[i].Sub(s[i-1]); d < time.Second {
			t.Errorf("requests %d and %d of 8 goroutines started %v apart; want the interval, 1s (10s for 10)", i, i+1, d)
		}
	}
}

// The budget is the highest RateLimit-Observed plus RateLimit-Remaining
// seen, not the last.
func TestPacingFollowsHighestBudget(t *testing.T) {
	var reset string
	p, srv, t0 := paced(func(i int) (string, string, string) {
		if i == 0 {
			return "1", "99", reset
		}
		return "5", "5", reset
	})
	reset = unix(t0.Add(time.Second))
	sequential(t, p, srv.clk, 2, time.Minute)
	srv.clk.set(t0.Add(time.Second))
	if n := atOnce(p); n != 96 {
		t.Errorf("%d requests go at once at the next window's start; want 96, of the budget of 100 seen first", n)
	}
}

// A lower RateLimit-Remaining in the same window lowers the budget left:
// GitLab counted requests this client did not send.
func TestPacingLowerRemainingSameWindow(t *testing.T) {
	var reset string
	p, srv, t0 := paced(func(i int) (string, string, string) {
		if i == 0 {
			return "1", "9", reset
		}
		return "9", "1", reset
	})
	end := t0.Add(10 * time.Second)
	reset = unix(end)
	sequential(t, p, srv.clk, 2, time.Minute)
	p.reserve(t0, t0.Add(time.Hour)) // the 1 left
	if at, final := p.reserve(t0, t0.Add(time.Hour)); final || !at.Equal(end) {
		t.Errorf("with 1 left, the second request goes at %v (final %v); want to wait for the reset at 10s", at.Sub(t0), final)
	}
}

// Whatever RateLimit-* headers a server sends, every request goes within
// WithRetryWait's max (30s here), from one goroutine or from eight, and
// the pacer ends with nothing counted in flight.
func TestPacingHostileHeaders(t *testing.T) {
	big := strconv.FormatInt(math.MaxInt64, 10)
	cases := map[string]func(t0 time.Time) (observed, remaining, reset string){
		"remaining not a number": func(t0 time.Time) (string, string, string) { return "1", "abc", unix(t0.Add(time.Hour)) },
		"remaining negative":     func(t0 time.Time) (string, string, string) { return "1", "-5", unix(t0.Add(time.Hour)) },
		"remaining overflows": func(t0 time.Time) (string, string, string) {
			return "1", "99999999999999999999", unix(t0.Add(time.Hour))
		},
		"remaining huge":      func(t0 time.Time) (string, string, string) { return "1", big, unix(t0.Add(time.Hour)) },
		"observed huge":       func(t0 time.Time) (string, string, string) { return big, "10", unix(t0.Add(time.Hour)) },
		"observed negative":   func(t0 time.Time) (string, string, string) { return "-100", "1", unix(t0.Add(time.Hour)) },
		"no remaining":        func(t0 time.Time) (string, string, string) { return "1", "", unix(t0.Add(time.Hour)) },
		"no reset":            func(t0 time.Time) (string, string, string) { return "1", "0", "" },
		"reset zero":          func(t0 time.Time) (string, string, string) { return "1", "0", "0" },
		"reset negative":      func(t0 time.Time) (string, string, string) { return "1", "0", "-1" },
		"reset minimum":       func(t0 time.Time) (string, string, string) { return "1", "1", strconv.FormatInt(math.MinInt64, 10) },
		"reset maximum":       func(t0 time.Time) (string, string, string) { return "1", "1", big },
		"reset in the past":   func(t0 time.Time) (string, string, string) { return "1", "0", unix(t0.Add(-time.Hour)) },
		"reset a year ahead":  func(t0 time.Time) (string, string, string) { return "1", "0", unix(t0.Add(366 * 24 * time.Hour)) },
		"reset not a number":  func(t0 time.Time) (string, string, string) { return "1", "0", "soon" },
		"spent until an hour": func(t0 time.Time) (string, string, string) { return "5", "0", unix(t0.Add(time.Hour)) },
		"budget of 1":         func(t0 time.Time) (string, string, string) { return "1", "0", unix(t0.Add(time.Second)) },
	}
	const maxWait = 30 * time.Second
	for name, answer := range cases {
		for _, workers := range []int{1, 8} {
			t.Run(fmt.Sprintf("%s/%d goroutines", name, workers), func(t *testing.T) {
				clk := newFakeClock()
				t0 := clk.now()
				srv := &fakeGitLab{clk: clk, headers: func(_ int, h http.Header) {
					o, r, s := answer(t0)
					setRate(h, o, r, s)
				}}
				p := newFakePacer(srv)
				p.maxWait = maxWait
				const calls = 5
				var mu sync.Mutex
				var errs []error
				if clk.run(workers, time.Duration(workers*calls)*maxWait+time.Second, func(ctx context.Context, _ int) {
					for range calls {
						if err := get(ctx, p); err != nil {
							mu.Lock()
							errs = append(errs, err)
							mu.Unlock()
						}
					}
				}) || len(errs) > 0 {
					t.Fatalf("did not all go in time: %v", errs)
				}
				if p.inflight != 0 {
					t.Errorf("%d requests still counted in flight", p.inflight)
				}
			})
		}
	}
}

// Cancelling ctx ends the wait of every goroutine at once, sends nothing
// more, and leaves nothing counted in flight: requests waiting for the
// reset, for their slot, or for an answer to tell the reset.
func TestPacingCancel(t *testing.T) {
	cases := map[string]func(t0 time.Time) (observed, remaining, reset string){
		"waiting for the reset": func(t0 time.Time) (string, string, string) { return "10", "0", unix(t0.Add(20 * time.Second)) },
		"waiting for a slot":    func(t0 time.Time) (string, string, string) { return "0", "10", unix(t0.Add(20 * time.Second)) },
	}
	for name, answer := range cases {
		t.Run(name, func(t *testing.T) {
			clk := newFakeClock()
			t0 := clk.now()
			srv := &fakeGitLab{clk: clk, headers: func(_ int, h http.Header) {
				o, r, s := answer(t0)
				setRate(h, o, r, s)
			}}
			p := newFakePacer(srv)
			sequential(t, p, clk, 1, time.Minute)
			ctx, cancel := context.WithCancel(context.Background())
			const workers = 16
			errs := make(chan error, workers)
			for range workers {
				go func() { errs <- get(ctx, p) }()
			}
			sent := 0
			clk.mu.Lock()
			for {
				sent = len(srv.sends()) - 1
				if len(clk.sleepers)+sent == workers {
					break
				}
				clk.mu.Unlock()
				time.Sleep(time.Millisecond) // for the goroutines to reach the pacer, not a timing assertion
				clk.mu.Lock()
			}
			clk.mu.Unlock()
			cancel()
			for range workers - sent {
				if err := <-errs; err != nil && !errors.Is(err, context.Canceled) {
					t.Errorf("got %v, want context.Canceled", err)
				}
			}
			for range sent {
				<-errs
			}
			if !clk.now().Equal(t0) || len(srv.sends()) != 1+sent {
				t.Errorf("the clock moved %v; %d requests sent after the cancel", clk.now().Sub(t0), len(srv.sends())-1-sent)
			}
			if p.inflight != 0 {
				t.Errorf("%d requests still counted in flight", p.inflight)
			}
		})
	}
}
