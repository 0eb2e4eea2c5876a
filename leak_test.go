package gitlab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// The tests in this file check that no goroutine outlives a call that
// was cancelled or failed, or an iterator the caller abandoned. Each
// test snapshots the goroutines that exist before it (other tests leave
// idle connections behind), runs the calls on a client with its own
// transport, closes that transport's idle connections and the server,
// and then asks goleak for anything new.

// leakSetup starts a server with h and a client on its own transport
// with fast retries. verify closes everything and checks for leaks.
func leakSetup(t *testing.T, h http.HandlerFunc, opts ...ClientOption) (c *Client, stop <-chan struct{}, verify func()) {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	stopCh := make(chan struct{})
	srv := newRecordingServer(t, h)
	tr := &http.Transport{}
	all := append([]ClientOption{
		WithBaseURL(srv.URL), WithHTTPClient(&http.Client{Transport: tr}),
		WithRetryMax(2), WithRetryWait(time.Millisecond, 5*time.Millisecond),
	}, opts...)
	c, err := NewClient(testToken, all...)
	require.NoError(t, err)
	closed := false
	verify = func() {
		t.Helper()
		if closed {
			return
		}
		closed = true
		close(stopCh)
		tr.CloseIdleConnections()
		srv.CloseClientConnections()
		srv.Close()
		goleak.VerifyNone(t, ignore)
	}
	t.Cleanup(func() {
		if !closed {
			close(stopCh)
			tr.CloseIdleConnections()
			srv.Close()
		}
	})
	return c, stopCh, verify
}

// leakPages serves GET /users as an endless list of pages (with
// X-Total-Pages 1000, so WithPageConcurrency fetches ahead), each page
// taking delay.
func leakPages(delay time.Duration, stop <-chan struct{}) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		case <-stop:
			return
		}
		p := 1
		_, _ = fmt.Sscan(r.URL.Query().Get("page"), &p)
		w.Header().Set("X-Page", fmt.Sprint(p))
		w.Header().Set("X-Next-Page", fmt.Sprint(p+1))
		w.Header().Set("X-Total-Pages", "1000")
		w.Header().Set("X-Total", "2000")
		_, _ = fmt.Fprintf(w, `[{"id":%d},{"id":%d}]`, 2*p-1, 2*p)
	}
}

// leakHandler lets a test pick its handler after leakSetup has made the
// stop channel.
type leakHandler struct{ h http.HandlerFunc }

func (l *leakHandler) serve(w http.ResponseWriter, r *http.Request) { l.h(w, r) }

// TestLeakCancelledCalls: calls cancelled while waiting for headers,
// while reading a body, and while waiting to retry leave no goroutine.
func TestLeakCancelledCalls(t *testing.T) {
	lh := &leakHandler{}
	// Retry waits of up to 5 s (and the default retry count), so that
	// user 3's Retry-After: 1 is waited for.
	c, stop, verify := leakSetup(t, lh.serve, WithRetryMax(4), WithRetryWait(time.Millisecond, 5*time.Second))
	lh.h = func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v4/users/1": // never answers
		case "/api/v4/users/2": // half a body, then nothing
			w.WriteHeader(200)
			_, _ = io.WriteString(w, `{"id":`)
			_ = http.NewResponseController(w).Flush()
		case "/api/v4/users/3": // asks for a 1 s wait before a retry
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}
	for _, id := range []int64{1, 2, 3} {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		_, _, err := c.Users.Get(ctx, id, nil)
		require.ErrorIs(t, err, context.Canceled, "user %d", id)
		ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
		_, _, err = c.Users.Get(ctx, id, nil)
		cancel()
		require.ErrorIs(t, err, context.DeadlineExceeded, "user %d", id)
	}
	verify()
}

// TestLeakFailedCalls: calls that fail after retries (5xx, dropped
// connections, bodies cut short, undecodable bodies, a redirect loop)
// leave no goroutine.
func TestLeakFailedCalls(t *testing.T) {
	c, _, verify := leakSetup(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v4/users/1":
			w.WriteHeader(http.StatusBadGateway)
		case "/api/v4/users/2":
			resetConn(w)
		case "/api/v4/users/3":
			w.Header().Set("Content-Length", "1000")
			_, _ = io.WriteString(w, `{"id":`)
			flushThenReset(w)
		case "/api/v4/users/4":
			_, _ = io.WriteString(w, `not json`)
		case "/api/v4/users/5":
			http.Redirect(w, r, r.URL.Path, http.StatusFound)
		case "/api/v4/users":
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	})
	ctx := context.Background()
	for id := int64(1); id <= 5; id++ {
		_, _, err := c.Users.Get(ctx, id, nil)
		require.Error(t, err, "user %d", id)
	}
	_, _, err := c.SSHKeys.Create(ctx, &CreateSSHKeyOptions{Title: Ptr("t"), Key: Ptr("k")})
	require.Error(t, err)
	require.Error(t, firstErr(c.Users.ListIter(ctx, nil)))
	verify()
}

// TestLeakAbandonedIterators: an iterator the caller leaves by break,
// by a cancelled ctx, by a pull iterator's stop, or after an error on a
// later page, stops every fetch it started, with and without
// WithPageConcurrency.
func TestLeakAbandonedIterators(t *testing.T) {
	for _, conc := range []int{1, 8} {
		t.Run(fmt.Sprintf("concurrency %d", conc), func(t *testing.T) {
			lh := &leakHandler{}
			c, stop, verify := leakSetup(t, lh.serve, WithPageConcurrency(conc))
			lh.h = leakPages(20*time.Millisecond, stop)

			// Break after the first item, while the next pages are in flight.
			n := 0
			for _, err := range c.Users.ListIter(context.Background(), nil) {
				require.NoError(t, err)
				n++
				if n == 1 {
					break
				}
			}
			// Break deep into the list.
			n = 0
			for _, err := range c.Users.ListIter(context.Background(), &ListUsersOptions{ListOptions: ListOptions{PerPage: 2}}) {
				require.NoError(t, err)
				if n++; n == 7 {
					break
				}
			}
			// The ctx ends mid-iteration.
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			err := firstErr(c.Users.ListIter(ctx, nil))
			cancel()
			require.ErrorIs(t, err, context.DeadlineExceeded)
			// A pull iterator stopped after one item.
			next, stopPull := iter.Pull2(c.Users.ListIter(context.Background(), nil))
			u, err, ok := next()
			require.True(t, ok)
			require.NoError(t, err)
			assert.Equal(t, int64(1), u.ID)
			stopPull()
			// An iterator created and never ranged over starts nothing.
			_ = c.Users.ListIter(context.Background(), nil)
			verify()
		})
	}
}

// TestLeakIteratorErrorMidway: a page failing after retries ends the
// iteration with one error and no goroutine left behind, even while
// later pages were being fetched ahead.
func TestLeakIteratorErrorMidway(t *testing.T) {
	for _, conc := range []int{1, 4} {
		lh := &leakHandler{}
		c, stop, verify := leakSetup(t, lh.serve, WithPageConcurrency(conc))
		pages := leakPages(5*time.Millisecond, stop)
		lh.h = func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("page") == "3" {
				w.WriteHeader(http.StatusInternalServerError)
				return
			}
			pages(w, r)
		}
		var errs []error
		n := 0
		for _, err := range c.Users.ListIter(context.Background(), nil) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			n++
		}
		require.Len(t, errs, 1)
		var er *ErrorResponse
		require.True(t, errors.As(errs[0], &er))
		assert.Equal(t, 500, er.StatusCode)
		assert.Equal(t, 4, n, "pages 1 and 2 were delivered")
		verify()
	}
}
