package gitlab

// What a team adopting the SDK meets first: error and log text a person
// can act on, the escape hatch, and options that cannot be mistyped.

import (
	"context"
	"errors"
	"net"
	"net/http"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Error() shows the status once, then GitLab's message without the
// status GitLab repeats in it; a failure after retries says so.
func TestErrorTextStatusOnce(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   string
	}{
		{404, `{"message":"404 User Not Found"}`, "404 User Not Found"},
		{401, `{"message":"401 Unauthorized"}`, "401 Unauthorized"},
		{502, `<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>`, "502 Bad Gateway (after 5 attempts)"},
		{403, `{"message":"403 Forbidden - A user cannot be deactivated by the API"}`, "403 Forbidden - A user cannot be deactivated by the API"},
		{400, `{"message":{"email":["has already been taken"]}}`, "400 email has already been taken"},
	} {
		srv := newRecordingServer(t, reply(tc.status, tc.body))
		_, _, err := fastClient(t, srv.URL).Users.Get(context.Background(), 7, nil)
		var er *ErrorResponse
		require.ErrorAs(t, err, &er)
		assert.Equal(t, "gitlab: GET "+srv.URL+"/api/v4/users/7: "+tc.want, err.Error())
	}
}

// A transport failure after retries says how many attempts were made.
func TestErrorTextAttempts(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	_, _, err = fastClient(t, "http://"+addr).Users.Get(context.Background(), 7, nil)
	require.Error(t, err)
	assert.True(t, errors.Is(err, syscall.ECONNREFUSED))
	assert.Regexp(t, `connection refused \(after 5 attempts\)$`, err.Error())

	_, _, err = fastClient(t, "http://"+addr, WithoutRetries()).Users.Get(context.Background(), 7, nil)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "attempts", "one attempt is not worth a word")

	srv := newRecordingServer(t, reply(http.StatusServiceUnavailable, `{"message":"503 Service Unavailable"}`))
	_, _, err = fastClient(t, srv.URL, WithRetryMax(2)).Users.Get(context.Background(), 7, nil)
	var er *ErrorResponse
	require.ErrorAs(t, err, &er)
	assert.Equal(t, 3, er.Attempts)
	assert.Equal(t, "gitlab: GET "+srv.URL+"/api/v4/users/7: 503 Service Unavailable (after 3 attempts)", er.Error())
}

// The escape hatch goes the way of every method: the client's
// credentials, the retry policy (a POST answered 502 is sent once,
// unless marked idempotent), the error type and the decoder.
func TestEscapeHatch(t *testing.T) {
	var body string
	srv := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		body = readBody(r)
		switch {
		case r.Method == http.MethodGet && r.URL.EscapedPath() == "/api/v4/projects/group%2Fproj/members":
			reply(200, `[{"id":5,"username":"jane"}]`, "X-Total", "1")(w, r)
		case r.Method == http.MethodGet && r.URL.Path == "/api/v4/version":
			reply(404, `{"message":"404 Not Found"}`)(w, r)
		default:
			reply(502, `{"message":"502 Bad Gateway"}`)(w, r)
		}
	})
	c := fastClient(t, srv.URL)
	ctx := context.Background()

	req, err := c.NewRequest(ctx, http.MethodGet, "/projects/group%2Fproj/members", &ListOptions{PerPage: 50})
	require.NoError(t, err)
	var members []struct {
		ID       int64  `json:"id"`
		Username string `json:"username"`
	}
	resp, err := c.Do(req, &members)
	require.NoError(t, err)
	assert.Equal(t, 1, resp.TotalItems)
	require.Len(t, members, 1)
	assert.Equal(t, "jane", members[0].Username)
	got := srv.seen()[0]
	assert.Equal(t, testToken, got.Header.Get("Private-Token"))
	assert.Equal(t, "per_page=50", got.URL.RawQuery)

	srv.forget()
	req, err = c.NewRequest(ctx, http.MethodPost, "projects/1/hooks", &struct {
		URL string `url:"url"`
	}{"https://hooks.example.com"})
	require.NoError(t, err)
	_, err = c.Do(req, nil)
	var er *ErrorResponse
	require.ErrorAs(t, err, &er)
	assert.Equal(t, 502, er.StatusCode)
	assert.Equal(t, 1, srv.count(), "a POST answered 502 is sent once")
	assert.Equal(t, "url=https%3A%2F%2Fhooks.example.com", body)

	srv.forget()
	req, err = c.NewRequest(ctx, http.MethodPost, "projects/1/hooks", nil)
	require.NoError(t, err)
	req.Idempotent = true
	_, err = c.Do(req, nil)
	require.ErrorAs(t, err, &er)
	assert.Equal(t, 5, srv.count(), "an idempotent POST is retried like a PUT")

	req, err = c.NewRequest(ctx, http.MethodGet, "version", nil)
	require.NoError(t, err)
	_, err = c.Do(req, &members)
	assert.ErrorIs(t, err, ErrNotFound)

	for _, bad := range []string{"", "/", "../users", "projects/../../x", "https://evil.example/api/v4/users", "users?page=2"} {
		_, err := c.NewRequest(ctx, http.MethodGet, bad, nil)
		assert.ErrorIs(t, err, ErrInvalidArgument, bad)
	}
	_, err = c.NewRequest(ctx, "get", "users", nil)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	req, err = c.NewRequest(ctx, http.MethodGet, "users", nil)
	require.NoError(t, err)
	req.Header().Set("Job-Token", "x")
	_, err = c.Do(req, nil)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, err = c.Do(nil, nil)
	assert.ErrorIs(t, err, ErrInvalidArgument)
}
