package gitlab

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// WithRateLimitPacing spaces requests so that GitLab's rate limit is not
// reached: the client reads the RateLimit-Remaining and RateLimit-Reset
// headers of every answer and lets the remaining budget last until the
// reset, across all goroutines using the client, instead of running into
// 429s and backing off. It is off by default. It needs an instance that
// sends these headers on every answer (GitLab.com, and self-managed
// GitLab with the rate_limiting_headers_for_unthrottled_requests
// feature); without them requests are not delayed. A 429 still follows
// the retry rules.
//
// No request is held longer than WithRetryWait's max (30 s by default),
// as no retry waits longer. When the budget is spent until a reset
// further away than that, the request is sent at once and GitLab's 429
// comes back at once with ErrorResponse.RetryAfter, as without pacing.
// When the reset of a new window is not known yet, the request waits for
// an answer on its way to tell it, or goes when none is.
//
// GitLab API docs: https://docs.gitlab.com/administration/settings/user_and_ip_rate_limits/#response-headers
func WithRateLimitPacing() ClientOption {
	return func(c *clientConfig) error {
		c.pacing = true
		return nil
	}
}

// pacer is a RoundTripper that delays each request so that the budget
// GitLab reported lasts until its reset. Within a window whose reset is
// known, requests are given start times an even interval apart: the time
// left to the reset divided by the budget left. Every request sent counts
// against the budget at once; an answer's RateLimit-Remaining lowers it
// further when GitLab counted requests this client did not send. When a
// window ends, the next starts with the full budget (RateLimit-Observed
// plus RateLimit-Remaining), less a margin for requests that reach GitLab
// only after the reset; until an answer tells its reset, requests go out
// at once while that budget lasts, then wait for an answer on its way.
// A late answer from a window that is over tells nothing of the next.
//
// A request is never held for good. When no answer is on its way, or
// none comes within maxWait, it goes: its own answer tells the reset (a
// 429 at worst, which follows the retry rules). An answer from GitLab
// without the headers makes the pacer forget what it knew: the instance
// does not send them (any more), and pacing then changes nothing.
type pacer struct {
	next    http.RoundTripper
	maxWait time.Duration // the longest a request is held: WithRetryWait's max
	// now and sleep are the pacer's clock: time.Now and sleepCtx, or a
	// test's fake clock.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error

	mu        sync.Mutex
	budget    int       // requests per window; 0 until GitLab reported one
	remaining int       // budget left in this window, as far as the client knows
	reset     time.Time // end of this window; zero when not known yet
	ended     time.Time // end of the last window that is over
	slot      time.Time // earliest start of the next request
	inflight  int       // requests sent and not answered yet
}

// answerPoll is how often a request waiting for an answer to tell the
// reset asks again.
const answerPoll = 10 * time.Millisecond

func newPacer(next http.RoundTripper, maxWait time.Duration) *pacer {
	return &pacer{next: next, maxWait: maxWait, now: time.Now, sleep: sleepCtx}
}

func (p *pacer) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := p.wait(r.Context()); err != nil {
		return nil, err
	}
	resp, err := p.next.RoundTrip(r)
	if err != nil {
		resp = nil
	}
	p.observe(resp)
	return resp, err
}

// wait blocks until the request may start, or until ctx is done.
func (p *pacer) wait(ctx context.Context) error {
	deadline := p.now().Add(p.maxWait)
	for {
		now := p.now()
		at, final := p.reserve(now, deadline)
		if err := p.sleep(ctx, at.Sub(now)); err != nil {
			if final {
				p.observe(nil) // the reserved request is not sent
			}
			return err
		}
		if final {
			return nil
		}
	}
}

// sleepCtx waits for d, or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// reserve returns when a request may start; a request that asked first
// at deadline-maxWait is not held beyond deadline. When final, the
// request is counted and must be sent then; otherwise the caller asks
// again then.
func (p *pacer) reserve(now, deadline time.Time) (at time.Time, final bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.reset.IsZero() && !now.Before(p.reset) { // the window is over
		p.ended, p.reset, p.slot = p.reset, time.Time{}, time.Time{}
		p.remaining = p.budget - 2 - p.budget/50
	}
	switch {
	case p.budget == 0: // nothing known: go
	case p.reset.IsZero() && p.remaining > 0:
		p.remaining--
	case p.reset.IsZero() && p.inflight > 0 && now.Before(deadline):
		// The budget is spent; an answer on its way will tell the reset.
		return earliest(now.Add(answerPoll), deadline), false
	case p.reset.IsZero():
		// Spent, and no answer will tell the reset (nothing is in flight,
		// or it is too long coming): this request goes, and its answer
		// will tell.
	case p.remaining <= 0 && !p.reset.After(deadline):
		return p.reset, false
	case p.remaining <= 0:
		// Spent until a reset beyond deadline: the request goes, and
		// GitLab's 429 comes back at once with RetryAfter, as a server
		// that asks for a wait longer than WithRetryWait's max is not
		// waited for.
	default:
		// The next slot, but not beyond deadline: the slots spread the
		// budget, they do not guard it.
		now = latest(now, earliest(p.slot, deadline))
		p.slot = now.Add(p.reset.Sub(now) / time.Duration(p.remaining))
		p.remaining--
	}
	p.inflight++
	return now, true
}

// observe ends a request and reads GitLab's rate-limit headers from its
// answer (resp is nil when there was none). Values that do not parse, or
// are negative, are ignored; a reset is read as at most a year ahead, so
// that no value overflows into the past.
func (p *pacer) observe(resp *http.Response) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inflight--
	if resp == nil {
		return
	}
	h := resp.Header
	if h.Get("RateLimit-Remaining") == "" && h.Get("RateLimit-Reset") == "" {
		// GitLab does not send the headers: forget what it said before.
		// (A 5xx may come from a proxy in front of GitLab and tells nothing.)
		if resp.StatusCode < 500 {
			p.budget, p.remaining, p.reset, p.slot = 0, 0, time.Time{}, time.Time{}
		}
		return
	}
	remaining, err1 := strconv.Atoi(h.Get("RateLimit-Remaining"))
	resetUnix, err2 := strconv.ParseInt(h.Get("RateLimit-Reset"), 10, 64)
	observed, _ := strconv.Atoi(h.Get("RateLimit-Observed"))
	budget := max(observed, 0) + remaining
	if err1 != nil || err2 != nil || remaining < 0 || resetUnix <= 0 || budget < remaining {
		return
	}
	now := p.now()
	reset := time.Unix(min(resetUnix, now.Unix()+int64(year/time.Second)), 0)
	p.budget = max(p.budget, budget)
	switch {
	case !reset.After(p.ended):
		// A late answer from a window that is over: it tells nothing of
		// this one, whose budget must not start again.
	case p.reset.IsZero() && p.remaining == 0 && p.slot.IsZero() && p.budget == budget && reset.After(now):
		// The first news of any window: requests in flight count too.
		p.reset, p.remaining = reset, remaining-p.inflight
	case p.reset.IsZero() || reset.After(p.reset):
		p.reset, p.remaining, p.slot = reset, min(p.remaining, remaining), time.Time{}
	case reset.Equal(p.reset):
		p.remaining = min(p.remaining, remaining)
	}
}

// latest returns the later of a and b.
func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// earliest returns the earlier of a and b.
func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
