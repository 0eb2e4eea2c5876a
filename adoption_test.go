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
