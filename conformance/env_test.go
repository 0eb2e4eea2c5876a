package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/gitlabusers/gitlab/gitlabtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gitlab "gitlab.com/gitlab-org/api/client-go/v2"
)

// env is one fake GitLab, the client-go client of its administrator
// (root, ID 1), and the last answer the fake sent to any client of env.
type env struct {
	t     *testing.T
	s     *gitlabtest.Server
	wire  *recorder
	admin *gitlab.Client
}

// newEnv starts a fake for the test, which it marks parallel. When the
// test ends, the routes the fake served are recorded as driven by it
// (routes.go in this package checks them against the README).
func newEnv(t *testing.T, opts ...gitlabtest.Option) *env {
	t.Parallel()
	s := gitlabtest.NewServer(opts...)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	e := &env{t: t, s: s, wire: &recorder{next: tr}}
	e.admin = e.client(s.AdminToken())
	t.Cleanup(func() {
		s.Close()
		tr.CloseIdleConnections()
		recordDriven(t, s.RequestCounts())
	})
	return e
}

// client returns a client-go client that authenticates with token.
func (e *env) client(token string) *gitlab.Client {
	e.t.Helper()
	c, err := gitlab.NewClient(token,
		gitlab.WithBaseURL(e.s.URL+"/api/v4"),
		gitlab.WithHTTPClient(&http.Client{Transport: e.wire}))
	require.NoError(e.t, err)
	return c
}

// user seeds a user and returns its ID and a client-go client with its
// token (scopes api, read_api and read_user).
func (e *env) user(spec gitlabtest.UserSpec) (int64, *gitlab.Client) {
	e.t.Helper()
	id, token := e.s.CreateUser(spec)
	return id, e.client(token)
}

// answered asserts the status and body of the last answer as they were
// on the wire: a JSON body is compared as JSON, an empty one exactly.
func (e *env) answered(status int, body string) {
	e.t.Helper()
	got, raw := e.wire.last()
	assert.Equal(e.t, status, got, "status (body %s)", raw)
	if body == "" || raw == "" {
		assert.Equal(e.t, body, raw, "body")
		return
	}
	assert.JSONEq(e.t, body, raw, "body")
}

// lastBody returns the last answer's body decoded as a JSON object.
func (e *env) lastBody() map[string]any {
	e.t.Helper()
	_, raw := e.wire.last()
	var m map[string]any
	require.NoError(e.t, json.Unmarshal([]byte(raw), &m), "body %s", raw)
	return m
}

// refused asserts that client-go returned an error for the answer
// status, and that the answer was status with body on the wire.
// client-go turns every 404 into its ErrNotFound sentinel without the
// body, which is why the body is read on the wire.
func (e *env) refused(err error, status int, body string) {
	e.t.Helper()
	assert.True(e.t, errors.Is(err, &gitlab.ErrorResponse{StatusCode: status}), "client-go error %v, want status %d", err, status)
	e.answered(status, body)
}

// recorder is an http.RoundTripper that keeps the last answer's status
// and body, and the last request's query.
type recorder struct {
	next   http.RoundTripper
	mu     sync.Mutex
	status int
	body   []byte
	query  string
}

// RoundTrip sends req and records the answer.
func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status, r.body, r.query = resp.StatusCode, body, req.URL.RawQuery
	return resp, nil
}

// lastQuery returns the query of the last request as it was sent.
func (r *recorder) lastQuery() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.query
}

func (r *recorder) last() (int, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status, strings.TrimSpace(string(r.body))
}
