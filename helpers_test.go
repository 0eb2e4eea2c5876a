package gitlab

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

// The test kit of package gitlab: every helper more than one test file
// uses is defined here, once, named for what it does. Put a new one here
// rather than in the file that first needs it.
//
// These are internal tests (package gitlab), as are all the tests that
// use the kit. The two external files, example_test.go and soak_test.go
// (package gitlab_test), use none of it on purpose: the examples are
// documentation and must read as a caller's code, and the soak must see
// the SDK only as a caller does. An external test that needs a helper
// should become an internal one rather than get a second copy.

// Mocked GitLab (gock): a client, expected requests, matchers and
// fixtures.

// Shared test constants: every gock test talks to testHost with testToken.
const (
	testHost  = "https://gitlab.example.com"
	testToken = "glpat-test-token-0123456789"
	apiPrefix = "/api/v4"
)

// newTestClient returns a client whose dedicated *http.Client is
// intercepted by gock, with retries off, and registers cleanup that
// fails the test if a registered mock was not called. gock's registry
// is global: tests using it must not call t.Parallel.
func newTestClient(t *testing.T, opts ...ClientOption) *Client {
	t.Helper()
	hc := &http.Client{}
	gock.InterceptClient(hc)
	t.Cleanup(func() {
		pending := gock.Pending()
		unmatched := gock.GetUnmatchedRequests()
		gock.Off()
		gock.CleanUnmatchedRequest()
		for _, m := range pending {
			t.Errorf("mock not called: %s %s", m.Request().Method, m.Request().URLStruct)
		}
		for _, r := range unmatched {
			t.Errorf("request matched no mock: %s %s", r.Method, r.URL)
		}
	})
	all := append([]ClientOption{WithBaseURL(testHost), WithHTTPClient(hc), WithRetryMax(0)}, opts...)
	c, err := NewClient(testToken, all...)
	require.NoError(t, err)
	return c
}

// mock registers an expected request: method and exact path under
// /api/v4, the PRIVATE-TOKEN header, and (with exactQuery/exactForm)
// the exact query or body.
func mock(method, path string) *gock.Request {
	r := gock.New(testHost).
		MatchHeader("PRIVATE-TOKEN", "^"+testToken+"$").
		AddMatcher(exactPath(apiPrefix + path))
	r.Method = method
	return r
}

// exactPath matches the escaped request path exactly (gock's own path
// matcher is a regular expression over the unescaped path).
func exactPath(path string) gock.MatchFunc {
	return func(r *http.Request, _ *gock.Request) (bool, error) {
		return r.URL.EscapedPath() == path, nil
	}
}

// exactQuery matches the encoded query exactly; want is written in
// url.Values.Encode form (keys sorted, "[" as %5B).
func exactQuery(want string) gock.MatchFunc {
	return func(r *http.Request, _ *gock.Request) (bool, error) {
		return r.URL.RawQuery == want, nil
	}
}

// exactForm matches an application/x-www-form-urlencoded body exactly.
func exactForm(want string) gock.MatchFunc {
	return func(r *http.Request, _ *gock.Request) (bool, error) {
		if r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			return false, nil
		}
		return readBody(r) == want, nil
	}
}

// exactJSON matches an application/json body that is, as JSON, want.
func exactJSON(want string) gock.MatchFunc {
	return func(r *http.Request, _ *gock.Request) (bool, error) {
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
			return false, nil
		}
		var got, w any
		if err := json.Unmarshal([]byte(want), &w); err != nil {
			return false, err
		}
		return json.Unmarshal([]byte(readBody(r)), &got) == nil && reflect.DeepEqual(w, got), nil
	}
}

// noBody is a gock matcher for a request that carries no body and no
// Content-Type.
func noBody(r *http.Request, _ *gock.Request) (bool, error) {
	return r.Header.Get("Content-Type") == "" && readBody(r) == "", nil
}

// multipartBody is what a multipart/form-data request carried: its
// fields, how many files, and the file of the form field "avatar".
type multipartBody struct {
	fields   map[string][]string
	fileName string
	fileBody string
	files    int
}

// multipartMatcher is a gock matcher that parses a multipart/form-data
// body into got; it does not match any other content type.
func multipartMatcher(got *multipartBody) gock.MatchFunc {
	return func(r *http.Request, _ *gock.Request) (bool, error) {
		mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "multipart/form-data" {
			return false, nil
		}
		form, err := multipart.NewReader(strings.NewReader(readBody(r)), params["boundary"]).ReadForm(1 << 20)
		if err != nil {
			return false, err
		}
		got.fields = form.Value
		got.files = len(form.File)
		if fh := form.File["avatar"]; len(fh) == 1 {
			got.fileName = fh[0].Filename
			f, err := fh[0].Open()
			if err != nil {
				return false, err
			}
			defer f.Close()
			b, err := io.ReadAll(f)
			if err != nil {
				return false, err
			}
			got.fileBody = string(b)
		}
		return true, nil
	}
}

// readBody reads the request body and puts it back for later matchers.
func readBody(r *http.Request) string {
	if r.Body == nil {
		return ""
	}
	b, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(b))
	return string(b)
}

// form builds an encoded form or query for exactQuery/exactForm from
// alternating keys and values, so expectations read like the spec.
func form(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v.Encode()
}

// mockTwoPages registers GET path answering page 1 with the fixture
// first, announcing page 2 with X-Page and X-Next-Page, and page 2 with
// the fixture second. query is page 1's query as alternating keys and
// values; page 2's adds page=2. It returns both responses for any
// further headers.
func mockTwoPages(t *testing.T, path, first, second string, query ...string) (page1, page2 *gock.Response) {
	t.Helper()
	page1 = mock("GET", path).AddMatcher(exactQuery(form(query...))).
		Reply(200).SetHeader("X-Page", "1").SetHeader("X-Next-Page", "2").
		BodyString(string(fixture(t, first)))
	page2 = mock("GET", path).AddMatcher(exactQuery(form(append([]string{"page", "2"}, query...)...))).
		Reply(200).SetHeader("X-Page", "2").SetHeader("X-Next-Page", "").
		BodyString(string(fixture(t, second)))
	return page1, page2
}

// endpointCase is one SDK call against the mocked GitLab, the shape of
// most endpoint tests: the request the call must send, the answer it
// gets, and what the call must return.
type endpointCase struct {
	name   string
	method string
	path   string    // escaped, under /api/v4
	match  []matcher // exactQuery, exactForm, noBody, multipartMatcher...

	status  int      // of the answer; 200 when zero
	headers []string // of the answer, alternating keys and values
	fixture string   // the answer's body is testdata/fixture,
	body    string   // or this literal,
	json    any      // or this value as JSON (with its Content-Type)

	call func(context.Context, *Client) (any, *Response, error)
	want any // what call returns; nil for a call with no value

	// An error answer: the value must be nil and err an *ErrorResponse
	// of the answer's status, method and URL that matches wantErr (when
	// set), has errMsg
	// as its Message (when set) and these entries in its Fields.
	wantErr   error
	errMsg    string
	errFields map[string][]string

	check func(t *testing.T, resp *Response, err error) // any further assertion
}

// value adapts a (value, *Response, error) SDK call to endpointCase.call.
func value[T any](v T, resp *Response, err error) (any, *Response, error) { return v, resp, err }

// noValue adapts a (*Response, error) SDK call to endpointCase.call.
func noValue(resp *Response, err error) (any, *Response, error) { return nil, resp, err }

// runEndpointCases runs each case as a subtest with a client of its own:
// the mock must be called exactly as described, the answer's status must
// reach the Response, and the call must return want (or wantErr).
func runEndpointCases(t *testing.T, cases []endpointCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestClient(t)
			req := mock(tc.method, tc.path)
			for _, m := range tc.match {
				req.AddMatcher(m)
			}
			status := cmp.Or(tc.status, http.StatusOK)
			res := req.Reply(status)
			for i := 0; i+1 < len(tc.headers); i += 2 {
				res.SetHeader(tc.headers[i], tc.headers[i+1])
			}
			switch {
			case tc.fixture != "":
				res.BodyString(string(fixture(t, tc.fixture)))
			case tc.json != nil:
				res.JSON(tc.json)
			default:
				res.BodyString(tc.body)
			}

			got, resp, err := tc.call(context.Background(), c)
			if tc.wantErr != nil || tc.errMsg != "" || tc.errFields != nil {
				if tc.wantErr != nil {
					require.ErrorIs(t, err, tc.wantErr)
				}
				require.Nil(t, got)
				var er *ErrorResponse
				require.ErrorAs(t, err, &er)
				require.Equal(t, status, er.StatusCode)
				require.Equal(t, tc.method, er.Method)
				require.Equal(t, testHost+apiPrefix+tc.path, strings.SplitN(er.URL, "?", 2)[0])
				require.Equal(t, cmp.Or(tc.errMsg, er.Message), er.Message)
				for k, v := range tc.errFields {
					require.Equal(t, v, er.Fields[k], "Fields[%q]", k)
				}
			} else {
				require.NoError(t, err)
				require.Equal(t, tc.want, got)
			}
			require.NotNil(t, resp)
			require.Equal(t, status, resp.StatusCode)
			if tc.check != nil {
				tc.check(t, resp, err)
			}
		})
	}
}

// userRefCases are the ways to name a user in a path, each with the
// one escaped segment it must become.
var userRefCases = []struct {
	name    string
	ref     UserRef
	segment string
}{
	{"id", UserID(42), "42"},
	{"username", Username("jane"), "jane"},
	{"leading at trimmed", Username("@jane"), "jane"},
	{"slash escaped", Username("a/b"), "a%2Fb"},
	{"dot-dot prefix escaped", Username("../admin"), "..%2Fadmin"},
	{"dot-dot segment escaped", Username(".."), "%2E%2E"},
	{"non-ASCII escaped", Username("jöhn"), "j%C3%B6hn"},
}

// queryIs and formIs are the usual matchers of an endpointCase: the exact
// query, or the exact form body, as alternating keys and values.
func queryIs(kv ...string) []matcher { return []matcher{exactQuery(form(kv...))} }

func formIs(kv ...string) []matcher { return []matcher{exactForm(form(kv...))} }

// matcher is a gock request matcher, named here so that a table of
// endpointCase needs no import of gock.
type matcher = gock.MatchFunc

// fixture returns the contents of testdata/name.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// assertRoundTrip decodes testdata/name into a T, encodes it again and
// checks that every key of the fixture survives with the same value
// (timestamps compared as instants). It catches json tag typos and
// documented fields missing from the type. A Secret (the keys in
// secretKeys) is encoded as "REDACTED" by design: there the key must be
// present and say REDACTED.
func assertRoundTrip[T any](t *testing.T, name string) {
	t.Helper()
	raw := fixture(t, name)
	var v T
	require.NoError(t, json.Unmarshal(raw, &v), "decode %s", name)
	out, err := json.Marshal(v)
	require.NoError(t, err)
	var want, got any
	require.NoError(t, json.Unmarshal(raw, &want))
	require.NoError(t, json.Unmarshal(out, &got))
	compareJSON(t, name, want, got)
}

// secretKeys are the JSON names of the Secret fields.
var secretKeys = []string{"token", "pin"}

func compareJSON(t *testing.T, where string, want, got any) {
	t.Helper()
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			t.Errorf("%s: want an object, got %T", where, got)
			return
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				t.Errorf("%s.%s: field lost in round trip (missing from the type, or a tag typo)", where, k)
				continue
			}
			compareJSON(t, where+"."+k, wv, gv)
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			t.Errorf("%s: want %d elements, got %v", where, len(w), got)
			return
		}
		for i := range w {
			compareJSON(t, fmt.Sprintf("%s[%d]", where, i), w[i], g[i])
		}
	case string:
		if i := strings.LastIndexByte(where, '.'); i >= 0 && slices.Contains(secretKeys, where[i+1:]) && w != "" {
			if got != "REDACTED" {
				t.Errorf("%s: a secret is encoded as REDACTED, got %#v", where, got)
			}
			return
		}
		if g, ok := got.(string); ok && g != w {
			tw, errW := time.Parse(time.RFC3339Nano, w)
			tg, errG := time.Parse(time.RFC3339Nano, g)
			if errW == nil && errG == nil && tw.Equal(tg) {
				return
			}
		}
		if got != want {
			t.Errorf("%s: want %#v, got %#v", where, want, got)
		}
	default:
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%s: want %#v, got %#v", where, want, got)
		}
	}
}

// Literals for expected values.

// mustTime parses an RFC 3339 timestamp, as fixtures write them, into an
// expected value.
func mustTime(t *testing.T, s string) *time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	require.NoError(t, err)
	return &v
}

// isoDate is a calendar date as an expected value.
func isoDate(y int, m time.Month, d int) *ISODate {
	v := NewISODate(y, m, d)
	return &v
}

// mustURL parses a URL literal.
func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}

// Iterators.

// collect drains an iterator, failing the test on any error.
func collect[T any](t *testing.T, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

// firstErr ranges over seq to its end and returns the first error it
// yields (items before it are skipped); an iterator that yields anything
// after an error gets an error of its own, since none may.
func firstErr[T any](seq iter.Seq2[T, error]) error {
	var first error
	for _, err := range seq {
		if first != nil {
			return fmt.Errorf("iterator yielded again after error %v", first)
		}
		if err != nil {
			first = err
		}
	}
	return first
}

// Calls under test: one SDK call as a value, a watchdog, a log to search.

// apiCall is one public SDK call, run with the case's ctx.
type apiCall func(ctx context.Context, c *Client) error

// errOf keeps only the error of a (value, *Response, error) call.
func errOf[T any](_ T, _ *Response, err error) error { return err }

// errOfResp keeps only the error of a (*Response, error) call.
func errOfResp(_ *Response, err error) error { return err }

// callTimeout bounds the ctx of each case of the bad-argument and
// hostile-answer tables.
const callTimeout = 3 * time.Second

// watchdogTimeout is how long runWatched lets a call run: far longer
// than any case's ctx, well before go test's own timeout.
const watchdogTimeout = 15 * time.Second

// runWatched runs fn under a watchdog: a panic or a call that does not
// return within watchdogTimeout fails the test instead of crashing or
// hanging the binary.
func runWatched(t *testing.T, name string, fn func()) {
	t.Helper()
	done := make(chan any, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Sprintf("panic: %v\n%s", r, debug.Stack())
				return
			}
			done <- nil
		}()
		fn()
	}()
	select {
	case p := <-done:
		if p != nil {
			t.Fatalf("%s: %v", name, p)
		}
	case <-time.After(watchdogTimeout):
		t.Fatalf("%s: still running after %v (hang)", name, watchdogTimeout)
	}
}

// logBuffer is a goroutine-safe buffer behind a debug-level slog text
// handler, so a test can search every log record for a secret.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// Calls the answer tables make through the public API.
var (
	callGetUser  apiCall = func(ctx context.Context, c *Client) error { return errOf(c.Users.Get(ctx, 1, nil)) }
	callListKeys apiCall = func(ctx context.Context, c *Client) error {
		return errOf(c.SSHKeys.ListForUser(ctx, Username("jane"), nil))
	}
	callIterUsers apiCall = func(ctx context.Context, c *Client) error { return firstErr(c.Users.ListIter(ctx, nil)) }
	callBlock     apiCall = func(ctx context.Context, c *Client) error { return errOfResp(c.Users.Block(ctx, 1)) }
	callCreateKey apiCall = func(ctx context.Context, c *Client) error {
		return errOf(c.SSHKeys.Create(ctx, &CreateSSHKeyOptions{Title: Ptr("t"), Key: Ptr("ssh-ed25519 AAAA")}))
	}
)

// shortTimeout is the ctx timeout of cases that only a deadline ends.
const shortTimeout = 300 * time.Millisecond

// Real servers (httptest) and what they answer.

// fastClient is a client of baseURL whose retries wait 1 to 5 ms.
func fastClient(t *testing.T, baseURL string, opts ...ClientOption) *Client {
	t.Helper()
	c, err := NewClient(testToken, append([]ClientOption{WithBaseURL(baseURL), WithRetryWait(time.Millisecond, 5*time.Millisecond)}, opts...)...)
	require.NoError(t, err)
	return c
}

// recordingServer is an httptest server that records every request it
// receives (method, URL and headers), counts the TCP connections it
// accepted and closed, and keeps the highest number of requests it was
// serving at once. It is closed when the test ends.
type recordingServer struct {
	*httptest.Server

	mu       sync.Mutex
	requests []recordedRequest

	inFlight, peak atomic.Int32
	opened, closed atomic.Int32
}

// recordedRequest is what a recordingServer kept of one request.
type recordedRequest struct {
	Method string
	URL    *url.URL
	Header http.Header
}

// serverOption changes how newRecordingServer listens.
type serverOption func(*serverConfig)

type serverConfig struct {
	addr string
	tls  bool
}

// listenOn makes the server listen on another loopback address
// ("127.0.0.2"), so that it is another host to the client.
func listenOn(addr string) serverOption { return func(c *serverConfig) { c.addr = addr } }

// withTLS makes it an HTTPS server (its Client() trusts it).
func withTLS() serverOption { return func(c *serverConfig) { c.tls = true } }

// newRecordingServer starts a server on 127.0.0.1 that records each
// request and then hands it to h.
func newRecordingServer(t *testing.T, h http.HandlerFunc, opts ...serverOption) *recordingServer {
	t.Helper()
	cfg := serverConfig{addr: "127.0.0.1"}
	for _, o := range opts {
		o(&cfg)
	}
	s := &recordingServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		defer s.inFlight.Add(-1)
		h(w, r)
	}))
	ln, err := net.Listen("tcp", cfg.addr+":0")
	require.NoError(t, err)
	_ = s.Listener.Close()
	s.Listener = ln
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		switch st {
		case http.StateNew:
			s.opened.Add(1)
		case http.StateClosed, http.StateHijacked:
			s.closed.Add(1)
		}
	}
	if cfg.tls {
		s.StartTLS()
	} else {
		s.Start()
	}
	t.Cleanup(s.Close)
	return s
}

func (s *recordingServer) record(r *http.Request) {
	cur := s.inFlight.Add(1)
	for p := s.peak.Load(); cur > p && !s.peak.CompareAndSwap(p, cur); p = s.peak.Load() {
	}
	u := *r.URL
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, recordedRequest{Method: r.Method, URL: &u, Header: r.Header.Clone()})
}

// seen is every request so far, in the order they arrived.
func (s *recordingServer) seen() []recordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recordedRequest(nil), s.requests...)
}

// count is how many requests arrived.
func (s *recordingServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// paths is the request URI (path and query) of every request.
func (s *recordingServer) paths() []string {
	var out []string
	for _, r := range s.seen() {
		out = append(out, r.URL.RequestURI())
	}
	return out
}

// credentials lists every credential that reached the server, as
// "Header: value" or "URL: ...": the PRIVATE-TOKEN, Authorization and
// Sudo headers, and testToken anywhere else in a header or the URL.
func (s *recordingServer) credentials() []string {
	var out []string
	for _, r := range s.seen() {
		out = append(out, r.credentials()...)
	}
	return out
}

func (r recordedRequest) credentials() []string {
	var out []string
	for _, k := range []string{"Private-Token", "Authorization", "Sudo"} {
		if v := r.Header.Get(k); v != "" {
			out = append(out, k+": "+v)
		}
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			if strings.Contains(v, testToken) && k != "Private-Token" && k != "Authorization" {
				out = append(out, k+": "+v)
			}
		}
	}
	if strings.Contains(r.URL.String(), testToken) {
		out = append(out, "URL: "+r.URL.String())
	}
	return out
}

// forget drops the requests recorded so far.
func (s *recordingServer) forget() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// peakInFlight is the highest number of requests served at once.
func (s *recordingServer) peakInFlight() int32 { return s.peak.Load() }

// openConns is how many connections are open now.
func (s *recordingServer) openConns() int32 { return s.opened.Load() - s.closed.Load() }

// inTurn answers request i with steps[i]; the last step repeats.
func inTurn(steps ...http.HandlerFunc) http.HandlerFunc {
	var n atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		steps[min(i, len(steps)-1)](w, r)
	}
}

// reply answers with status and body, as JSON (as GitLab does) unless
// the alternating header keys and values say otherwise.
func reply(status int, body string, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// tokenEchoPage is an error page that echoes the caller's token, as a
// careless proxy or a hostile server might.
func tokenEchoPage(status int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := r.Header.Get("Private-Token")
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("X-Request-Id", tok)
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, "<html><head><title>%d Bad token %s</title></head><body>token=%s</body></html>", status, tok, tok)
	}
}

// resetConn takes over the connection of w and closes it with a TCP
// reset (RST), as a crashed peer or a firewall does. Only what the
// handler flushed before reaches the client.
func resetConn(w http.ResponseWriter) {
	if conn := takeConn(w); conn != nil {
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // RST instead of FIN
		}
		_ = conn.Close()
	}
}

// flushThenReset sends what the handler wrote so far, then resets the
// connection: an answer cut short.
func flushThenReset(w http.ResponseWriter) {
	_ = http.NewResponseController(w).Flush()
	resetConn(w)
}

// hangUp closes the connection after reading the request, without an
// answer and without a reset (a FIN), as a proxy that gives up does.
func hangUp(w http.ResponseWriter, _ *http.Request) {
	if conn := takeConn(w); conn != nil {
		_ = conn.Close()
	}
}

func takeConn(w http.ResponseWriter) net.Conn {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return nil
	}
	return conn
}

// roundTripFunc lets a test answer requests with any *http.Response.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
