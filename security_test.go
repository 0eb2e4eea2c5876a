package gitlab

// Hostile servers and careless callers: each test here failed before the
// fix it names, and each guards a guarantee of SECURITY.md.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A next-page link under the base URL that carries the token in its path
// and in a query parameter of another name is followed, and logged at
// debug and warn level: every log record is redacted as errors are.
func TestSecurityTokenNeverLogged(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) {
		case 1:
			w.Header().Set("Link", fmt.Sprintf(`<http://%s/api/v4/items/%s?page=2&note=%s>; rel="next"`, r.Host, testToken, testToken))
			_, _ = w.Write([]byte(`[{"id":1}]`))
		case 2:
			w.WriteHeader(http.StatusBadGateway)
		default:
			_, _ = w.Write([]byte(`[{"id":2}]`))
		}
	}))
	defer srv.Close()
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := fastClient(t, srv.URL, WithLogger(logger))

	var ids []int64
	for it, err := range iterate[*item](context.Background(), c, at("items"), &ListOptions{}, nil) {
		require.NoError(t, err)
		ids = append(ids, int64(it.ID))
	}
	assert.Equal(t, []int64{1, 2}, ids)
	assert.Equal(t, int32(3), n.Load(), "page 2 was retried once")
	assert.Contains(t, logs.String(), `"level":"WARN"`)
	assert.Contains(t, logs.String(), "items/REDACTED?")
	assert.NotContains(t, logs.String(), testToken)
}

// With the default page concurrency, pages are fetched by number only
// when GitLab could have sent the page count, and the walk stops on the
// same evidence as a sequential one.
func TestSecurityIteratorEnds(t *testing.T) {
	t.Run("huge page count, page ignored", func(t *testing.T) {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			w.Header().Set("X-Total-Pages", "9223372036854775807")
			w.Header().Set("X-Next-Page", "2")
			_, _ = w.Write([]byte(`[{"id":1}]`))
		}))
		defer srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		count := 0
		var errs []error
		for _, err := range iterate[*item](ctx, fastClient(t, srv.URL), at("items"), &ListOptions{}, nil) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			count++
		}
		require.NoError(t, ctx.Err(), "the iterator ended by itself")
		assert.LessOrEqual(t, n.Load(), int32(3))
		// The second answer repeats the first: an error, not a
		// duplicate handed out as the next page (issue 25, defect 8).
		assert.Equal(t, 1, count)
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], ErrUnexpectedResponse)
	})
	t.Run("page 2 of 1,000 says it is the last", func(t *testing.T) {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			page, _ := strconv.Atoi(r.URL.Query().Get("page"))
			page = max(page, 1)
			w.Header().Set("X-Page", strconv.Itoa(page))
			w.Header().Set("X-Total", "10000")
			w.Header().Set("X-Per-Page", "10")
			w.Header().Set("X-Total-Pages", "1000")
			if page == 1 {
				w.Header().Set("X-Next-Page", "2")
			}
			_, _ = fmt.Fprintf(w, `[{"id":%d}]`, page)
		}))
		defer srv.Close()
		var ids []int64
		for it, err := range iterate[*item](context.Background(), fastClient(t, srv.URL), at("items"), &ListOptions{}, nil) {
			require.NoError(t, err)
			ids = append(ids, int64(it.ID))
		}
		assert.Equal(t, []int64{1, 2}, ids)
		assert.LessOrEqual(t, n.Load(), int32(1+defaultPageConcurrency), "page 1, then at most the pages in flight")
	})
	t.Run("a page count above what X-Total allows", func(t *testing.T) {
		r := &Response{TotalItems: 30, ItemsPerPage: 10, TotalPages: 1000}
		assert.False(t, trustedPageCount(r, 10))
		r.TotalPages = 3
		assert.True(t, trustedPageCount(r, 10))
		r.TotalItems, r.TotalPages = 20000, 200 // GitLab counts at most 10,000 rows
		assert.False(t, trustedPageCount(r, 10))
	})
}

// ?page=2 links to ?page=3, which links back to ?page=2: every followed
// link is remembered and a repeat ends the walk with an error.
func TestSecurityLinkCycle(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		page := r.URL.Query().Get("page")
		next := map[string]string{"": "2", "2": "3", "3": "2"}[page]
		w.Header().Set("Link", fmt.Sprintf(`<http://%s/api/v4/items?page=%s>; rel="next"`, r.Host, next))
		_, _ = fmt.Fprintf(w, `[{"id":1%s}]`, page) // distinct pages: only the link repeats
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var errs []error
	for _, err := range iterate[*item](ctx, fastClient(t, srv.URL), at("items"), &ListOptions{}, nil) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	require.NoError(t, ctx.Err(), "the iterator ended by itself")
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrUnexpectedResponse)
	assert.Contains(t, errs[0].Error(), "followed before")
	assert.Equal(t, int32(3), n.Load())
}

// A next link whose path leaves the API root once dot segments are
// resolved (also percent-encoded ones) is not followed.
func TestSecurityLinkLeavingAPIRoot(t *testing.T) {
	for _, tc := range []struct{ root, link string }{
		{"/gitlab", "/gitlab/api/v4/../../other-app/steal"},
		{"", "/api/v4/%2e%2e/%2e%2e/admin/secret"},
		{"", "/api/v4/users/%2E%2E%2F%2E%2E%2Fadmin"},
		{"", `/api/v4/..%5c..%5cadmin`},
	} {
		var seen []string
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			seen = append(seen, r.URL.EscapedPath())
			w.Header().Set("Link", fmt.Sprintf(`<http://%s%s>; rel="next"`, r.Host, tc.link))
			_, _ = w.Write([]byte(`[{"id":1}]`))
		}))
		var errs []error
		for _, err := range iterate[*item](context.Background(), fastClient(t, srv.URL+tc.root), at("items"), &ListOptions{}, nil) {
			if err != nil {
				errs = append(errs, err)
			}
		}
		srv.Close()
		require.Len(t, errs, 1, tc.link)
		assert.ErrorIs(t, errs[0], ErrUnexpectedResponse, tc.link)
		assert.Contains(t, errs[0].Error(), "outside the base URL", tc.link)
		assert.Equal(t, []string{tc.root + "/api/v4/items"}, seen, tc.link)
	}
	c := fastClient(t, "https://gitlab.example.com")
	assert.True(t, c.underBase("https://gitlab.example.com/api/v4/users?page=2"))
	assert.True(t, c.underBase("https://gitlab.example.com/api/v4/projects/a%2Fb/x/../members"))
	assert.False(t, c.underBase("https://gitlab.example.com/api/v4/../v3/users"))
}

// 304 Not Modified is success only where GitLab sends it (follow,
// unfollow); elsewhere it is ErrUnexpectedResponse, never a nil value
// with a nil error, and a create answered 304 does not read as applied.
func TestSecurityNotModifiedOnlyWhereGitLabSendsIt(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") == "2" || !strings.HasSuffix(r.URL.Path, "/keys") || r.Method != http.MethodGet {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("X-Next-Page", "2")
		_, _ = w.Write([]byte(`[{"id":1,"title":"a"}]`))
	}))
	defer srv.Close()
	c := fastClient(t, srv.URL)
	ctx := context.Background()

	u, _, err := c.Users.Get(ctx, 1, nil)
	assert.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.Nil(t, u)
	k, _, err := c.SSHKeys.Create(ctx, &CreateSSHKeyOptions{Title: Ptr("t"), Key: Ptr("ssh-ed25519 AAAA")})
	assert.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.Nil(t, k)
	tok, _, err := c.ImpersonationTokens.Create(ctx, 1, &CreateImpersonationTokenOptions{Name: Ptr("t"), Scopes: []string{ScopeAPI}})
	assert.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.Nil(t, tok)
	_, err = c.Users.Block(ctx, 1)
	assert.ErrorIs(t, err, ErrUnexpectedResponse)

	var keys int
	var errs []error
	for _, err := range c.SSHKeys.ListIter(ctx, nil) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		keys++
	}
	assert.Equal(t, 1, keys)
	require.Len(t, errs, 1, "a page answered 304 is an error, not the end")
	assert.ErrorIs(t, errs[0], ErrUnexpectedResponse)

	followed, resp, err := c.Follows.Follow(ctx, 2)
	require.NoError(t, err)
	assert.Nil(t, followed)
	assert.Equal(t, http.StatusNotModified, resp.StatusCode)
}

// JOB-TOKEN and DEPLOY-TOKEN are credentials like PRIVATE-TOKEN: no
// request option may set them, so they never reach a server, a
// redirect's target or an error.
func TestSecurityJobAndDeployTokensAreCredentials(t *testing.T) {
	c := newTestClient(t)
	ctx := context.Background()
	for _, h := range []string{"JOB-TOKEN", "Job-Token", "job-token", "DEPLOY-TOKEN", "Deploy-Token", "PRIVATE-TOKEN", "Authorization"} {
		_, _, err := c.Users.Current(ctx, WithHeader(h, "secret-value"))
		assert.ErrorIs(t, err, ErrInvalidArgument, h)
		set := func(r *http.Request) error { r.Header.Set(h, "secret-value"); return nil }
		_, _, err = c.Users.Current(ctx, set)
		require.ErrorIs(t, err, ErrInvalidArgument, h)
		assert.NotContains(t, err.Error(), "secret-value")
	}
	for _, h := range credentialHeaders {
		assert.Contains(t, offHostHeaders, h, "stripped on cross-host redirects")
	}
	_, _, err := c.Users.Current(ctx, WithHeader("X-Bad\nName", "v"))
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, _, err = c.Users.Current(ctx, WithHeader("X-Ok", "line\r\nInjected: yes"))
	assert.ErrorIs(t, err, ErrInvalidArgument)
}

// A list answer holds at most maxPageItems items, and a success body is
// bounded: a tiny-item flood is refused before it is decoded whole.
func TestSecurityDecodedSizeBounded(t *testing.T) {
	flood := []byte("[" + strings.Repeat("{},", 1_000_000) + "{}]") // 3 MB, a million users
	huge := append(bytes.Repeat([]byte(" "), maxSuccessBody), []byte(`[{"id":1}]`)...)
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(body) }))
	defer srv.Close()
	c := fastClient(t, srv.URL)

	body = flood // past the bound on objects per answer (nested_bounds_test.go)
	users, _, err := c.Users.List(context.Background(), nil)
	require.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.Nil(t, users)
	body = []byte("[" + strings.Repeat("{},", 5000) + "{}]") // within it, past the list's cap
	users, _, err = c.Users.List(context.Background(), nil)
	require.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.Contains(t, err.Error(), "more than 1000 items")
	assert.Nil(t, users)
	for _, err := range c.Users.ListIter(context.Background(), nil) {
		assert.ErrorIs(t, err, ErrUnexpectedResponse)
	}

	body = huge
	_, _, err = c.Users.List(context.Background(), nil)
	require.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.Contains(t, err.Error(), "larger than")

	body = []byte("[" + strings.Repeat(`{"id":1},`, maxPageItems-1) + `{"id":1}]`)
	users, _, err = c.Users.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Len(t, users, maxPageItems)
}

// The default transport bounds dialling, the TLS handshake and the wait
// for response headers; the whole call is bounded by the caller's ctx,
// and a 404 whose body is cut by the deadline reports the ctx error.
func TestSecurityDeadlines(t *testing.T) {
	tr := defaultTransport()
	assert.Positive(t, tr.TLSHandshakeTimeout)
	assert.Positive(t, tr.ResponseHeaderTimeout)
	c, err := NewClient(testToken)
	require.NoError(t, err)
	assert.Positive(t, c.httpClient.Transport.(*http.Transport).ResponseHeaderTimeout)

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(http.StatusNotFound)
		for i := 0; i < 1000; i++ { // one byte at a time until the client goes
			if _, err := w.Write([]byte("x")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, _, err = fastClient(t, srv.URL).Users.Get(ctx, 1, nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var er *ErrorResponse
	assert.False(t, errors.As(err, &er), "not a 404 with a truncated message: %v", err)
}

// A token the server echoes, as it is or escaped, appears in no field of
// the ErrorResponse and nowhere in %+v of it.
func TestSecurityEchoedTokenRedactedEverywhere(t *testing.T) {
	token := "tok/with+plus&eq=" + testToken
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := r.Header.Get("Private-Token")
		w.Header().Set("X-Request-Id", "req-"+tok)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, `{"message":{"token":["%s is invalid", "%s is escaped", "%s too"]}}`, tok, url.QueryEscape(tok), url.PathEscape(tok))
	}))
	defer srv.Close()
	c, err := NewClient(token, WithBaseURL(srv.URL), WithoutRetries())
	require.NoError(t, err)
	_, _, err = c.Users.Current(context.Background())
	var er *ErrorResponse
	require.ErrorAs(t, err, &er)
	assert.Equal(t, []string{"REDACTED is invalid", "REDACTED is escaped", "REDACTED too"}, er.Fields["token"])
	assert.Equal(t, "req-REDACTED", er.RequestID)
	for _, form := range []string{token, url.QueryEscape(token), url.PathEscape(token)} {
		for _, text := range []string{er.Error(), fmt.Sprintf("%+v", *er), fmt.Sprintf("%#v", er.Fields), string(er.Body)} {
			assert.NotContains(t, text, form)
		}
	}
}

// RateLimit-Reset far in the future is clamped as Retry-After is: the
// 429 comes back at once, not after five immediate retries.
func TestSecurityRateLimitResetClamped(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	year := 365 * 24 * time.Hour
	for _, h := range []http.Header{
		{"Ratelimit-Reset": {strconv.FormatInt(math.MaxInt64, 10)}},
		{"Retry-After": {"9999999999"}},
		{"Retry-After": {now.AddDate(500, 0, 0).Format(http.TimeFormat)}},
	} {
		d, ok := serverWait(h, now)
		assert.True(t, ok, h)
		assert.Equal(t, year, d, h)
	}

	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n.Add(1)
		w.Header().Set("RateLimit-Reset", strconv.FormatInt(math.MaxInt64, 10))
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	_, err := doNoValue(context.Background(), fastClient(t, srv.URL), http.MethodGet, at("user"), nil, nil)
	var er *ErrorResponse
	require.ErrorAs(t, err, &er)
	assert.Equal(t, year, er.RetryAfter)
	assert.Equal(t, int32(1), n.Load())
}

// A caller's CheckRedirect does not lift the ten-hop limit.
func TestSecurityRedirectLimitKept(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	}))
	defer srv.Close()
	allowAll := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
	c := fastClient(t, srv.URL, WithHTTPClient(allowAll), WithoutRetries())
	_, err := doNoValue(context.Background(), c, http.MethodGet, at("user"), nil, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "stopped after 10 redirects")
	assert.Equal(t, int32(10), n.Load(), "ten requests: the first and nine redirects followed")
}

// The transport error of a URL that carries the token in its path (a
// next-page link) is redacted too.
func TestSecurityTransportErrorRedactsPath(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	c := fastClient(t, "http://"+addr, WithoutRetries())
	_, err = c.send(context.Background(), http.MethodGet, endpoint{next: "http://" + addr + "/api/v4/users/" + testToken}, nil, nil, nil)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), testToken)
	assert.Contains(t, err.Error(), "users/REDACTED")
}

// After an error body is read (at most maxErrorBody), what is left is
// drained only up to a bound before the connection is closed: an endless
// body costs a bounded read, never the whole stream.
func TestSecurityDrainBounded(t *testing.T) {
	var written atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		chunk := bytes.Repeat([]byte("x"), 32<<10)
		for r.Context().Err() == nil {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, _, err := fastClient(t, srv.URL, WithoutRetries()).Users.Get(ctx, 1, nil)
	assert.ErrorIs(t, err, ErrNotFound)
	require.NoError(t, ctx.Err())
	assert.Less(t, written.Load(), int64(16<<20), "the client read %d bytes of an endless body", written.Load())
}

// A Content-Length sizes the read buffer in advance only up to the
// pool's bound: a header alone, which costs a server nothing, must not
// make the client allocate the 16 MiB a body may hold.
func TestSecurityContentLengthDoesNotSizeHugeBuffers(t *testing.T) {
	tr := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		h := http.Header{"Content-Type": {"application/json"}}
		return &http.Response{StatusCode: 200, Header: h, ContentLength: maxSuccessBody,
			Body: io.NopCloser(strings.NewReader(`{"id":1}`)), Request: r}, nil
	})
	c, err := NewClient(testToken, WithBaseURL("https://gitlab.example.com"), WithHTTPClient(&http.Client{Transport: tr}))
	require.NoError(t, err)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	u, _, err := c.Users.Get(context.Background(), 1, nil)
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	assert.Equal(t, int64(1), u.ID)
	// Half the header's 16 MiB: far above the call's own allocations and
	// whatever the runtime allocates meanwhile, far below the header's size.
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(maxSuccessBody/2),
		"a call answered with Content-Length %d allocated %d bytes", maxSuccessBody, after.TotalAlloc-before.TotalAlloc)
}

// When an iterator returns, every fetch it started has ended: none is
// still in its transport.
func TestSecurityIteratorWaitsForFetches(t *testing.T) {
	var active, started atomic.Int32
	tr := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		active.Add(1)
		defer active.Add(-1)
		if started.Add(1) == 1 {
			h := http.Header{"X-Next-Page": {"2"}, "X-Page": {"1"}}
			return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(strings.NewReader(`[{"id":1}]`)), Request: r}, nil
		}
		<-r.Context().Done()
		time.Sleep(50 * time.Millisecond) // a transport that takes its time to notice
		return nil, r.Context().Err()
	})
	c := fastClient(t, "https://gitlab.example.com", WithHTTPClient(&http.Client{Transport: tr}))
	for range iterate[*item](context.Background(), c, at("items"), &ListOptions{}, nil) {
		for started.Load() < 2 { // page 2's fetch has reached the transport
			time.Sleep(time.Millisecond)
		}
		break
	}
	assert.Equal(t, int32(0), active.Load(), "a fetch outlived the iterator")
}
