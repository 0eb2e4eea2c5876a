package gitlab

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRetrySafeMethodsOnGatewayErrors(t *testing.T) {
	for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete} {
		srv := newRecordingServer(t, inTurn(reply(500, `{}`), reply(502, `{}`), reply(503, `{}`), reply(504, `{}`), reply(200, `{"id":1}`)))
		c := fastClient(t, srv.URL)
		_, err := doNoValue(context.Background(), c, method, at("users", int64(1)), nil, nil)
		require.NoError(t, err, method)
		assert.Equal(t, 5, srv.count(), method)
	}
}

func TestRetryGivesUpAfterRetryMax(t *testing.T) {
	srv := newRecordingServer(t, reply(503, `{"message":"503 Service Unavailable"}`))
	c := fastClient(t, srv.URL, WithRetryMax(2))
	_, err := doNoValue(context.Background(), c, http.MethodGet, at("user"), nil, nil)
	var er *ErrorResponse
	require.ErrorAs(t, err, &er)
	assert.Equal(t, 503, er.StatusCode)
	assert.Equal(t, "503 Service Unavailable", er.Message)
	assert.Equal(t, 3, srv.count())
}

func TestRetryNotOnClientErrors(t *testing.T) {
	for _, code := range []int{400, 401, 403, 404, 409, 422, 501} {
		srv := newRecordingServer(t, reply(code, `{"message":"no"}`))
		c := fastClient(t, srv.URL)
		_, err := doNoValue(context.Background(), c, http.MethodGet, at("user"), nil, nil)
		require.Error(t, err)
		assert.Equal(t, 1, srv.count(), code)
	}
}

// A POST that may have been applied is never sent twice.
func TestRetryPOSTNeverDuplicated(t *testing.T) {
	for _, step := range []http.HandlerFunc{reply(500, `{}`), reply(502, `{}`), reply(503, `{}`), reply(504, `{}`), hangUp} {
		srv := newRecordingServer(t, inTurn(step, reply(201, `{"id":1}`)))
		c := fastClient(t, srv.URL)
		_, _, err := do[map[string]int](context.Background(), c, http.MethodPost, at("users"), nil, nil)
		require.Error(t, err)
		assert.Equal(t, 1, srv.count(), "the POST reached the server once")
	}
}

func TestRetryPOSTOn429(t *testing.T) {
	srv := newRecordingServer(t, inTurn(reply(429, `{"message":{"error":"slow down"}}`, "Retry-After", "0"), reply(201, `{"id":7}`)))
	c := fastClient(t, srv.URL)
	v, resp, err := do[map[string]int](context.Background(), c, http.MethodPost, at("users"), nil, nil)
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, 7, v["id"])
	assert.Equal(t, 2, srv.count())
}

func TestRetryIdempotentPOST(t *testing.T) {
	srv := newRecordingServer(t, inTurn(reply(502, `{}`), hangUp, reply(201, `true`)))
	c := fastClient(t, srv.URL)
	_, err := doNoValue(context.Background(), c, http.MethodPost, at("users", int64(3), "block").markIdempotent(), nil, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, srv.count())
}

// flakyDial fails the first n dials the way a refused connection does,
// then dials for real.
type flakyDial struct {
	fails atomic.Int32
	calls atomic.Int32
}

func (f *flakyDial) transport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	d := &net.Dialer{}
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		f.calls.Add(1)
		if f.fails.Add(-1) >= 0 {
			return nil, &net.OpError{Op: "dial", Net: network, Err: &net.AddrError{Err: "connection refused", Addr: addr}}
		}
		return d.DialContext(ctx, network, addr)
	}
	return t
}

// A POST whose connection was refused never left, so it is retried.
func TestRetryPOSTWhenConnectionRefused(t *testing.T) {
	srv := newRecordingServer(t, reply(201, `{"id":1}`))
	f := &flakyDial{}
	f.fails.Store(2)
	c := fastClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: f.transport()}))
	_, _, err := do[map[string]int](context.Background(), c, http.MethodPost, at("users"), nil, nil)
	require.NoError(t, err)
	assert.Equal(t, int32(3), f.calls.Load())
	assert.Equal(t, 1, srv.count())

	// A real refused port: every attempt fails, and the error says why.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	attempts := &recorder{}
	c = fastClient(t, "http://"+addr, WithRetryMax(2), WithLogger(slog.New(attempts)))
	_, _, err = do[map[string]int](context.Background(), c, http.MethodPost, at("users"), nil, nil)
	require.Error(t, err)
	assert.True(t, errors.Is(err, syscall.ECONNREFUSED), err.Error())
	assert.Len(t, attempts.at(slog.LevelDebug), 3)
	assert.Len(t, attempts.at(slog.LevelWarn), 2)
}

func TestRetryAfterIsHonoured(t *testing.T) {
	srv := newRecordingServer(t, inTurn(reply(429, `Retry later`, "Retry-After", "1"), reply(200, `{"id":1}`)))
	rec := &recorder{}
	c := fastClient(t, srv.URL, WithLogger(slog.New(rec)), WithRetryWait(time.Millisecond, 2*time.Second))
	start := time.Now()
	_, err := doNoValue(context.Background(), c, http.MethodGet, at("user"), nil, nil)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), time.Second)
	assert.Equal(t, 2, srv.count())
	warns := rec.at(slog.LevelWarn)
	require.Len(t, warns, 1)
	assert.Equal(t, time.Second, warns[0]["wait"])
	assert.Equal(t, "429 Too Many Requests", warns[0]["reason"])
}

func TestServerWait(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	cases := []struct {
		h    http.Header
		want time.Duration
		ok   bool
	}{
		{h("Retry-After", "7"), 7 * time.Second, true},
		{h("Retry-After", "0"), 0, true},
		{h("Retry-After", now.Add(90*time.Second).Format(http.TimeFormat)), 90 * time.Second, true},
		{h("Retry-After", now.Add(-time.Hour).Format(http.TimeFormat)), 0, true},
		{h("RateLimit-Reset", "1767268830"), 30 * time.Second, true},
		{h("Retry-After", "5", "RateLimit-Reset", "1767268830"), 5 * time.Second, true},
		{h("Retry-After", "soon", "RateLimit-Reset", "1767268810"), 10 * time.Second, true},
		{h("Retry-After", "-3"), 0, false},
		{h("RateLimit-Reset", "x"), 0, false},
		{h("Retry-After", "99999999999999999999"), 0, false},
		{h(), 0, false},
	}
	for _, tc := range cases {
		got, ok := serverWait(tc.h, now)
		assert.Equal(t, tc.ok, ok, tc.h)
		assert.Equal(t, tc.want, got, tc.h)
	}
}

func TestBackoffBounds(t *testing.T) {
	waitMin, waitMax := 100*time.Millisecond, time.Second
	for attempt, ceiling := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond, 4: 800 * time.Millisecond, 5: time.Second, 30: time.Second} {
		for range 50 {
			d := backoff(waitMin, waitMax, attempt-1, nil) // retryablehttp counts attempts from 0
			assert.GreaterOrEqual(t, d, ceiling/2, attempt)
			assert.LessOrEqual(t, d, ceiling, attempt)
		}
	}
	assert.Equal(t, time.Duration(0), backoff(0, 0, 2, nil))
}

// A server asking for longer than the max wait gets no sleep: its 429
// comes back at once and says how long it asked for.
func TestRetryAfterLongerThanMax(t *testing.T) {
	srv := newRecordingServer(t, reply(429, `Retry later`, "Retry-After", "99999"))
	c := fastClient(t, srv.URL, WithRetryWait(time.Millisecond, time.Second))
	start := time.Now()
	_, err := doNoValue(context.Background(), c, http.MethodGet, at("user"), nil, nil)
	assert.Less(t, time.Since(start), 5*time.Second)
	var er *ErrorResponse
	require.ErrorAs(t, err, &er)
	assert.ErrorIs(t, err, ErrRateLimited)
	assert.Equal(t, 99999*time.Second, er.RetryAfter)
	assert.Contains(t, er.Error(), "server asked to wait 27h46m39s")
	assert.Equal(t, 1, srv.count())
}

// Every wait ends as soon as ctx is done, with ctx's error.
func TestRetryWaitEndsWithContext(t *testing.T) {
	srv := newRecordingServer(t, reply(503, `{}`, "Retry-After", "30"))
	c := fastClient(t, srv.URL, WithRetryWait(time.Millisecond, time.Minute))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := doNoValue(ctx, c, http.MethodGet, at("user"), nil, nil)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 10*time.Second)
	assert.Equal(t, 1, srv.count())

	ctx, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	_, err = doNoValue(ctx, c, http.MethodGet, at("user"), nil, nil)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

// recorder is a slog.Handler that keeps every record's attributes.
type recorder struct {
	mu      sync.Mutex
	records []map[string]any
	levels  []slog.Level
	texts   []string
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *recorder) WithGroup(string) slog.Handler            { return r }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	attrs := map[string]any{"msg": rec.Message}
	var b strings.Builder
	b.WriteString(rec.Message)
	rec.Attrs(func(a slog.Attr) bool {
		attrs[a.Key] = a.Value.Any()
		b.WriteString(" " + a.String())
		return true
	})
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, attrs)
	r.levels = append(r.levels, rec.Level)
	r.texts = append(r.texts, b.String())
	return nil
}

func (r *recorder) at(level slog.Level) []map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []map[string]any
	for i, rec := range r.records {
		if r.levels[i] == level {
			out = append(out, rec)
		}
	}
	return out
}

// One debug record per attempt, one warning per retry, never the
// token; nothing at all without WithLogger.
func TestLogging(t *testing.T) {
	srv := newRecordingServer(t, inTurn(reply(502, `{}`), reply(200, `{"id":1}`)))
	rec := &recorder{}
	c := fastClient(t, srv.URL, WithLogger(slog.New(rec)))
	_, err := doNoValue(context.Background(), c, http.MethodGet, at("users", int64(5)), nil, []RequestOption{WithSudo(Username("root"))})
	require.NoError(t, err)

	debug := rec.at(slog.LevelDebug)
	require.Len(t, debug, 2)
	for i, d := range debug {
		assert.Equal(t, "GET", d["method"])
		assert.Equal(t, srv.URL+"/api/v4/users/5", d["url"])
		assert.Equal(t, int64(i+1), d["attempt"])
		assert.IsType(t, time.Duration(0), d["duration"])
	}
	assert.Equal(t, int64(502), debug[0]["status"])
	assert.Equal(t, int64(200), debug[1]["status"])
	warn := rec.at(slog.LevelWarn)
	require.Len(t, warn, 1)
	assert.Equal(t, "502 Bad Gateway", warn[0]["reason"])
	for _, text := range rec.texts {
		assert.NotContains(t, text, testToken)
	}

	// Silent by default, even with a default slog logger installed.
	def := &recorder{}
	old := slog.Default()
	slog.SetDefault(slog.New(def))
	defer slog.SetDefault(old)
	srv2 := newRecordingServer(t, inTurn(reply(502, `{}`), reply(200, `{}`)))
	_, err = doNoValue(context.Background(), fastClient(t, srv2.URL), http.MethodGet, at("user"), nil, nil)
	require.NoError(t, err)
	assert.Empty(t, def.texts)
}

// Transport errors never carry the token either, even when the URL does.
func TestTransportErrorRedacted(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	rec := &recorder{}
	c := fastClient(t, "http://"+addr, WithoutRetries(), WithLogger(slog.New(rec)))
	_, err = c.send(context.Background(), http.MethodGet, endpoint{next: "http://" + addr + "/api/v4/users?private_token=" + testToken}, nil, nil, nil)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), testToken)
	assert.Contains(t, err.Error(), "private_token=REDACTED")
	for _, text := range rec.texts {
		assert.NotContains(t, text, testToken)
	}
}
