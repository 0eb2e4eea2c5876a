package gitlab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file holds the hostile-answer table of the reliability suite:
// hostile or broken server answers give a clear error, never a panic or
// a hang. Every case runs under a ctx timeout and a watchdog, and no
// error text or log record of any case may contain the token. Wrong
// arguments (rejected before any request) have their table in
// validate_test.go.

// TestReliabilityInvalidBaseURLs: NewClient refuses base URLs that
// cannot be right, with ErrInvalidArgument and without echoing a
// password or token that was pasted into the URL.
func TestReliabilityInvalidBaseURLs(t *testing.T) {
	for _, raw := range []string{
		"",
		"gitlab.example.com",
		"ftp://gitlab.example.com",
		"://gitlab.example.com",
		"http://",
		"https://:443",
		"https://gitlab.example.com/?private_token=" + testToken,
		"https://gitlab.example.com/#" + testToken,
		"https://root:" + testToken + "@gitlab.example.com",
		"https://gitlab.example.com/\x00/" + testToken,
		"javascript:alert(1)",
		"file:///etc/passwd",
	} {
		c, err := NewClient(testToken, WithBaseURL(raw))
		require.ErrorIs(t, err, ErrInvalidArgument, "%q", raw)
		assert.Nil(t, c)
		assert.NotContains(t, err.Error(), testToken, "%q", raw)
	}
	_, err := NewClient(testToken, WithHTTPClient(nil))
	require.ErrorIs(t, err, ErrInvalidArgument)
	_, err = NewClient(testToken, WithRetryMax(-1))
	require.ErrorIs(t, err, ErrInvalidArgument)
	_, err = NewClient(testToken, WithRetryWait(time.Second, time.Millisecond))
	require.ErrorIs(t, err, ErrInvalidArgument)
}

// TestReliabilityPathLikeUsernames: usernames that look like paths are
// sent escaped as one segment of the intended endpoint, through the
// public methods (the mocks match the exact escaped path).
func TestReliabilityPathLikeUsernames(t *testing.T) {
	c := newTestClient(t)
	for name, escaped := range map[string]string{
		"../admin":      "..%2Fadmin",
		"..":            "%2E%2E",
		".":             "%2E",
		"a/b":           "a%2Fb",
		"@../../users":  "..%2F..%2Fusers",
		"%2e%2e":        "%252e%252e",
		"a?b#c":         "a%3Fb%23c",
		"jane/../admin": "jane%2F..%2Fadmin",
	} {
		mock("GET", "/users/"+escaped+"/status").Reply(200).BodyString(`{"emoji":"coffee"}`)
		st, _, err := c.Status.GetForUser(context.Background(), Username(name))
		require.NoError(t, err, name)
		assert.Equal(t, "coffee", st.Emoji, name)

		mock("GET", "/users/"+escaped+"/keys").Reply(200).BodyString(`[]`)
		keys, _, err := c.SSHKeys.ListForUser(context.Background(), Username(name), nil)
		require.NoError(t, err, name)
		assert.Empty(t, keys, name)
	}
}

// relServer starts an httptest server whose handlers can block until the
// test ends; the client it returns has its own transport, fast retries
// (2), and a capturing logger.
type relServer struct {
	srv  *recordingServer
	tr   *http.Transport
	c    *Client
	logs *logBuffer
	stop chan struct{}
}

func relNewServer(t *testing.T, h http.HandlerFunc, opts ...ClientOption) *relServer {
	t.Helper()
	s := &relServer{stop: make(chan struct{}), logs: &logBuffer{}}
	s.srv = newRecordingServer(t, h)
	s.tr = &http.Transport{MaxIdleConnsPerHost: 4}
	all := append([]ClientOption{
		WithBaseURL(s.srv.URL),
		WithHTTPClient(&http.Client{Transport: s.tr}),
		WithRetryMax(2),
		WithRetryWait(time.Millisecond, 20*time.Millisecond),
		WithLogger(s.logs.logger()),
	}, opts...)
	c, err := NewClient(testToken, all...)
	require.NoError(t, err)
	s.c = c
	t.Cleanup(s.close)
	return s
}

func (s *relServer) close() {
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	s.tr.CloseIdleConnections()
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// relServerCase is one hostile or broken answer and what the caller
// must get.
type relServerCase struct {
	name    string
	handler func(s *relServer) http.HandlerFunc
	call    apiCall
	opts    []ClientOption
	// timeout is the ctx timeout; callTimeout when zero.
	timeout time.Duration
	// check inspects the error (and how long the call took).
	check func(t *testing.T, err error, took time.Duration)
}

func relIs(target error) func(*testing.T, error, time.Duration) {
	return func(t *testing.T, err error, _ time.Duration) {
		t.Helper()
		require.ErrorIs(t, err, target)
	}
}

func relStatus(code int, target error) func(*testing.T, error, time.Duration) {
	return func(t *testing.T, err error, _ time.Duration) {
		t.Helper()
		var er *ErrorResponse
		require.ErrorAs(t, err, &er)
		assert.Equal(t, code, er.StatusCode)
		if target != nil {
			require.ErrorIs(t, err, target)
		}
		assert.LessOrEqual(t, len(er.Body), maxErrorBody)
		assert.Less(t, len(err.Error()), 2000, "error text stays short")
	}
}

// relNoAnswer: the call failed without an HTTP answer, so with no
// *ErrorResponse.
func relNoAnswer(t *testing.T, err error, _ time.Duration) {
	t.Helper()
	require.Error(t, err)
	var er *ErrorResponse
	assert.False(t, errors.As(err, &er), "no HTTP answer, so no *ErrorResponse")
}

func relNoError(t *testing.T, err error, _ time.Duration) { t.Helper(); require.NoError(t, err) }

func relFixed(h http.HandlerFunc) func(*relServer) http.HandlerFunc {
	return func(*relServer) http.HandlerFunc { return h }
}

// relSlowBody writes the start of a JSON body and then nothing more
// until the client goes away or the test ends.
func relSlowBody(s *relServer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		_, _ = io.WriteString(w, `{"id":1,"username":"ja`)
		_ = http.NewResponseController(w).Flush()
		select {
		case <-r.Context().Done():
		case <-s.stop:
		}
	}
}

func relServerCases() []relServerCase {
	big := strings.Repeat("x", 10<<20)
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	return []relServerCase{
		{name: "truncated JSON", handler: relFixed(reply(200, `{"id":1,"username":"ja`)), call: callGetUser, check: relIs(ErrUnexpectedResponse)},
		{name: "truncated JSON list", handler: relFixed(reply(200, `[{"id":1},{"id":`)), call: callListKeys, check: relIs(ErrUnexpectedResponse)},
		{name: "wrong type for id", handler: relFixed(reply(200, `{"id":"one"}`)), call: callGetUser, check: relIs(ErrUnexpectedResponse)},
		{name: "wrong type for timestamp", handler: relFixed(reply(200, `{"id":1,"created_at":12}`)), call: callGetUser, check: relIs(ErrUnexpectedResponse)},
		{name: "number overflow", handler: relFixed(reply(200, `{"id":1e400}`)), call: callGetUser, check: relIs(ErrUnexpectedResponse)},
		{name: "list where object expected", handler: relFixed(reply(200, `[{"id":1}]`)), call: callGetUser, check: relIs(ErrUnexpectedResponse)},
		{name: "object where list expected", handler: relFixed(reply(200, `{"id":1}`)), call: callListKeys, check: relIs(ErrUnexpectedResponse)},
		{name: "object where list expected (iter)", handler: relFixed(reply(200, `{"id":1}`)), call: callIterUsers, check: relIs(ErrUnexpectedResponse)},
		{name: "deeply nested JSON", handler: relFixed(reply(200, deep)), call: callListKeys, check: relIs(ErrUnexpectedResponse)},
		{name: "10 MB non-JSON body", handler: relFixed(reply(200, big)), call: callGetUser, timeout: 10 * time.Second, check: relIs(ErrUnexpectedResponse)},
		{name: "10 MB error body", handler: relFixed(reply(500, big)), call: callCreateKey, check: relStatus(500, nil)},
		{name: "HTML 502 from a proxy", handler: relFixed(reply(502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", "Content-Type", "text/html")), call: callGetUser,
			check: func(t *testing.T, err error, _ time.Duration) {
				relStatus(502, nil)(t, err, 0)
				var er *ErrorResponse
				require.ErrorAs(t, err, &er)
				assert.Equal(t, "502 Bad Gateway", er.Message)
			}},
		{name: "HTML 404 page", handler: relFixed(reply(404, "<html><body><h1>Not   Found</h1></body></html>", "Content-Type", "text/html")), call: callGetUser, check: relStatus(404, ErrNotFound)},
		{name: "HTML 200 (captive portal)", handler: relFixed(reply(200, "<html><body>Sign in to the Wi-Fi</body></html>", "Content-Type", "text/html")), call: callGetUser, check: relIs(ErrUnexpectedResponse)},
		{name: "HTML 401 echoing the token", handler: relFixed(tokenEchoPage(401)), call: callGetUser, check: relStatus(401, ErrUnauthorized)},
		{name: "HTML 403 echoing the token on a write", handler: relFixed(tokenEchoPage(403)), call: callCreateKey, check: relStatus(403, ErrForbidden)},
		{name: "JSON 400 echoing the token", handler: func(*relServer) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(400)
				_, _ = fmt.Fprintf(w, `{"message":{"key":["%s is not a key"],"error":"%s"}}`, r.Header.Get("Private-Token"), r.Header.Get("Private-Token"))
			}
		}, call: callCreateKey, check: relStatus(400, ErrBadRequest)},
		// Each attempt moves 11 MB: one attempt, and time for a loaded machine.
		{name: "huge header", handler: relFixed(reply(200, `{"id":1}`, "X-Huge", strings.Repeat("a", 11<<20))), call: callGetUser,
			opts: []ClientOption{WithoutRetries()}, timeout: 10 * time.Second,
			check: func(t *testing.T, err error, _ time.Duration) {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "headers exceeded")
			}},
		{name: "absurd pagination headers", handler: relFixed(reply(200, `[{"id":1}]`, "X-Total", "99999999999999999999999", "X-Next-Page", "-3", "X-Total-Pages", "NaN", "Link", strings.Repeat("<", 100000))), call: callIterUsers, check: relNoError},
		{name: "redirect loop", handler: relFixed(func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, r.URL.Path, http.StatusFound) }), call: callGetUser,
			check: func(t *testing.T, err error, _ time.Duration) {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "redirects")
			}},
		{name: "redirect on a write", handler: relFixed(reply(307, "", "Location", "/api/v4/elsewhere")), call: callCreateKey, check: relStatus(307, nil)},
		{name: "200 with empty body", handler: relFixed(reply(200, "")), call: callGetUser, check: relIs(ErrUnexpectedResponse)},
		{name: "200 with white space", handler: relFixed(reply(200, " \n\t ")), call: callListKeys, check: relIs(ErrUnexpectedResponse)},
		{name: "200 with null", handler: relFixed(reply(200, "null")), call: callGetUser, check: relIs(ErrUnexpectedResponse)},
		{name: "200 with null list", handler: relFixed(reply(200, "null")), call: callListKeys, check: relIs(ErrUnexpectedResponse)},
		{name: "204 where a value is expected", handler: relFixed(reply(204, "")), call: callGetUser, check: relIs(ErrUnexpectedResponse)},
		{name: "204 on an action is success", handler: relFixed(reply(204, "")), call: callBlock, check: relNoError},
		{name: "201 with garbage on an action is success", handler: relFixed(reply(201, "<<garbage>>")), call: callBlock, check: relNoError},
		{name: "status 999", handler: relFixed(reply(999, "what")), call: callGetUser, check: relStatus(999, nil)},
		{name: "429 Retry-After 99999", handler: relFixed(reply(429, `{"message":"slow down"}`, "Retry-After", "99999")), call: callGetUser,
			check: func(t *testing.T, err error, took time.Duration) {
				relStatus(429, ErrRateLimited)(t, err, 0)
				var er *ErrorResponse
				require.ErrorAs(t, err, &er)
				assert.Equal(t, 99999*time.Second, er.RetryAfter)
				assert.Less(t, took, time.Second, "a wait beyond the maximum is not waited for")
			}},
		{name: "429 RateLimit-Reset far ahead", handler: relFixed(reply(429, "", "RateLimit-Reset", fmt.Sprint(time.Now().Add(48*time.Hour).Unix()))), call: callCreateKey, check: relStatus(429, ErrRateLimited)},
		{name: "503 Retry-After garbage", handler: relFixed(reply(503, "", "Retry-After", "soon-ish")), call: callGetUser, check: relStatus(503, nil)},
		{name: "slow body never ends", handler: relSlowBody, call: callGetUser, timeout: shortTimeout,
			check: func(t *testing.T, err error, took time.Duration) {
				require.ErrorIs(t, err, context.DeadlineExceeded)
				assert.Less(t, took, shortTimeout+time.Second, "the deadline ends the read at once")
			}},
		{name: "slow body never ends (iter)", handler: relSlowBody, call: callIterUsers, timeout: shortTimeout, check: relIs(context.DeadlineExceeded)},
		{name: "no answer at all", handler: func(s *relServer) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-r.Context().Done():
				case <-s.stop:
				}
			}
		}, call: callCreateKey, timeout: shortTimeout, check: relIs(context.DeadlineExceeded)},
		{name: "body reset mid-stream", handler: relFixed(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100000")
			w.WriteHeader(200)
			_, _ = io.WriteString(w, `[{"id":1,"title":"a"},{"id":2,`)
			flushThenReset(w)
		}), call: callListKeys, check: func(t *testing.T, err error, _ time.Duration) {
			require.Error(t, err)
			assert.NotErrorIs(t, err, ErrInvalidArgument)
			assert.Contains(t, err.Error(), "reading response")
		}},
		{name: "connection reset before answer (GET, retried then fails)", handler: relFixed(func(w http.ResponseWriter, r *http.Request) { flushThenReset(w) }), call: callGetUser, check: relNoAnswer},
		{name: "connection reset before the status line (GET, retried then fails)", handler: relFixed(func(w http.ResponseWriter, r *http.Request) { resetConn(w) }), call: callGetUser, check: relNoAnswer},
		{name: "error body reset mid-stream", handler: relFixed(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100000")
			w.WriteHeader(404)
			_, _ = io.WriteString(w, `{"message":"404 Us`)
			flushThenReset(w)
		}), call: callGetUser, check: relStatus(404, ErrNotFound)},
		{name: "infinite pages end with the ctx", handler: relFixed(func(w http.ResponseWriter, r *http.Request) {
			p := 1
			_, _ = fmt.Sscan(r.URL.Query().Get("page"), &p)
			w.Header().Set("X-Next-Page", fmt.Sprint(p+1))
			_, _ = fmt.Fprintf(w, `[{"id":%d}]`, p)
		}), call: callIterUsers, timeout: shortTimeout, check: relIs(context.DeadlineExceeded)},
		{name: "nil options are allowed", handler: relFixed(reply(200, `[]`)), call: func(ctx context.Context, c *Client) error {
			return errors.Join(
				errOf(c.Users.List(ctx, nil)), errOf(c.Users.ListActivities(ctx, nil)), errOf(c.Users.ListMemberships(ctx, 1, nil)),
				errOf(c.SSHKeys.List(ctx, nil)), errOf(c.GPGKeys.List(ctx, nil)), errOf(c.Emails.List(ctx, nil)),
				errOf(c.Follows.ListFollowers(ctx, 1, nil)), errOf(c.ImpersonationTokens.List(ctx, 1, nil)),
				errOfResp(c.Users.Delete(ctx, 1, nil)), firstErr(c.Users.ListIter(ctx, nil)),
			)
		}, check: relNoError},
		{name: "invalid UTF-8 in strings", handler: relFixed(reply(200, "{\"id\":1,\"username\":\"\xff\xfe\"}")), call: callGetUser, check: relNoError},
	}
}

// TestReliabilityHostileAnswers: each broken or hostile answer gives a
// clear error (the right sentinel where one applies) through a public
// method, within the ctx timeout, without a panic, and without the token
// in the error text or any log record.
func TestReliabilityHostileAnswers(t *testing.T) {
	cases := relServerCases()
	require.GreaterOrEqual(t, len(cases), 30)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var s *relServer
			s = relNewServer(t, func(w http.ResponseWriter, r *http.Request) { tc.handler(s)(w, r) }, tc.opts...)
			runWatched(t, tc.name, func() {
				timeout := tc.timeout
				if timeout == 0 {
					timeout = callTimeout
				}
				ctx, cancel := context.WithTimeout(context.Background(), timeout)
				defer cancel()
				start := time.Now()
				err := tc.call(ctx, s.c)
				took := time.Since(start)
				tc.check(t, err, took)
				if err != nil {
					assert.NotContains(t, err.Error(), testToken, "token in the error text")
				}
			})
			s.close()
			assert.NotContains(t, s.logs.String(), testToken, "token in a log record")
			assert.NotEmpty(t, s.logs.String(), "the logger saw the attempts")
		})
	}
}
