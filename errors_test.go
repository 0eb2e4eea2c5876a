package gitlab

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every non-2xx answer is one *ErrorResponse carrying status,
// method, URL, GitLab's message (all three shapes), fields and the body.
func TestErrorResponseShapes(t *testing.T) {
	cases := []struct {
		name        string
		status      int
		contentType string
		body        string
		message     string
		fields      map[string][]string
		sentinel    error
	}{
		{"message string", 404, "application/json", `{"message":"404 User Not Found"}`, "404 User Not Found", nil, ErrNotFound},
		{"field errors", 400, "application/json", `{"message":{"email":["has already been taken"],"password":["is too short (minimum is 8 characters)","is weak"]}}`,
			"email has already been taken; password is too short (minimum is 8 characters), is weak",
			map[string][]string{"email": {"has already been taken"}, "password": {"is too short (minimum is 8 characters)", "is weak"}}, ErrBadRequest},
		{"grape error", 400, "application/json", `{"error":"name is missing, scopes is missing"}`, "name is missing, scopes is missing", nil, ErrBadRequest},
		{"routing 404", 404, "application/json", `{"error":"404 Not Found"}`, "404 Not Found", nil, ErrNotFound},
		{"unauthorized", 401, "application/json", `{"message":"401 Unauthorized"}`, "401 Unauthorized", nil, ErrUnauthorized},
		{"forbidden reason", 403, "application/json", `{"message":"403 Forbidden - A user cannot be deactivated by the API"}`, "403 Forbidden - A user cannot be deactivated by the API", nil, ErrForbidden},
		{"conflict", 409, "application/json", `{"message":"Email has already been taken"}`, "Email has already been taken", nil, ErrConflict},
		{"app rate limit", 429, "application/json", `{"message":{"error":"This endpoint has been requested too many times. Try again later."}}`,
			"This endpoint has been requested too many times. Try again later.",
			map[string][]string{"error": {"This endpoint has been requested too many times. Try again later."}}, ErrRateLimited},
		{"rack attack", 429, "text/plain", "Retry later\n", "Retry later", nil, ErrRateLimited},
		{"html proxy", 502, "text/html", "<html>\n<head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center></body></html>", "502 Bad Gateway", nil, nil},
		{"html without title", 503, "text/html", "<html><body><h1>Down\nfor   maintenance</h1></body></html>", "Down for maintenance", nil, nil},
		{"empty body", 500, "", "", "Internal Server Error", nil, nil},
		{"oauth error", 401, "application/json", `{"error":"invalid_token","error_description":"Token was revoked."}`, "invalid_token: Token was revoked.", nil, ErrUnauthorized},
		{"message list", 400, "application/json", `{"message":["a","b"]}`, "a; b", nil, ErrBadRequest},
		{"odd json", 422, "application/json", `{"foo":1}`, `{"foo":1}`, nil, nil},
	}
	sentinels := []error{ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict, ErrRateLimited}
	c := newTestClient(t)
	for _, tc := range cases {
		mock("GET", "/users/1").Reply(tc.status).SetHeader("Content-Type", tc.contentType).SetHeader("X-Request-Id", "req-1").BodyString(tc.body)
		_, resp, err := do[*struct{}](context.Background(), c, http.MethodGet, at("users", int64(1)), nil, nil)
		var er *ErrorResponse
		require.ErrorAs(t, err, &er, tc.name)
		assert.Equal(t, tc.status, er.StatusCode, tc.name)
		assert.Equal(t, "GET", er.Method, tc.name)
		assert.Equal(t, "https://gitlab.example.com/api/v4/users/1", er.URL, tc.name)
		assert.Equal(t, tc.message, er.Message, tc.name)
		assert.Equal(t, tc.fields, er.Fields, tc.name)
		assert.Equal(t, tc.body, string(er.Body), tc.name)
		assert.Equal(t, "req-1", er.RequestID, tc.name)
		require.NotNil(t, resp, tc.name)
		assert.Equal(t, tc.status, resp.StatusCode, tc.name)
		assert.NotContains(t, er.Error(), "\n", tc.name)
		assert.True(t, strings.HasPrefix(er.Error(), "gitlab: GET https://gitlab.example.com/api/v4/users/1: "), er.Error())
		for _, s := range sentinels {
			assert.Equal(t, s == tc.sentinel, errors.Is(err, s), "%s: errors.Is(%v)", tc.name, s)
		}
	}
}

func TestErrorMessageText(t *testing.T) {
	e := &ErrorResponse{StatusCode: 404, Method: "GET", URL: "https://h/api/v4/users/9", Message: "404 User Not Found"}
	assert.Equal(t, "gitlab: GET https://h/api/v4/users/9: 404 User Not Found", e.Error(), "the status once")
	e = &ErrorResponse{StatusCode: 429, Method: "POST", URL: "https://h/api/v4/users", Message: "Retry later", RetryAfter: 600e9}
	assert.Equal(t, "gitlab: POST https://h/api/v4/users: 429 Retry later (server asked to wait 10m0s before retrying)", e.Error())
	e = &ErrorResponse{StatusCode: 302, Method: "POST", URL: "https://h/api/v4/users", Message: "Found", Location: "https://other/x"}
	assert.Equal(t, "gitlab: POST https://h/api/v4/users: 302 Found (redirect to https://other/x not followed for POST)", e.Error())
}

// At most 1 MiB of an error body is kept, and a long message
// is cut to one readable line.
func TestErrorBodyBounded(t *testing.T) {
	c := newTestClient(t)
	huge := "<html><body>" + strings.Repeat("x", 3<<20) + "</body></html>"
	mock("GET", "/user").Reply(500).SetHeader("Content-Type", "text/html").BodyString(huge)
	_, err := doNoValue(context.Background(), c, http.MethodGet, at("user"), nil, nil)
	var er *ErrorResponse
	require.ErrorAs(t, err, &er)
	assert.Len(t, er.Body, 1<<20)
	assert.Less(t, len(er.Error()), 600)
}

func TestOneLineLooksOnlyAtWhatItKeeps(t *testing.T) {
	assert.Equal(t, "a b c", oneLine(" a\n b\t\tc ", 10))
	assert.Equal(t, "abc…", oneLine("abcdef", 3))
	assert.Equal(t, "ééé…", oneLine(strings.Repeat("é", 100), 3))
	huge := strings.Repeat("ö", 1<<20)
	allocs := testing.AllocsPerRun(5, func() { _ = oneLine(huge, 300) })
	assert.Less(t, allocs, 10.0)
	var ms1, ms2 runtime.MemStats
	runtime.ReadMemStats(&ms1)
	_ = oneLine(huge, 300)
	runtime.ReadMemStats(&ms2)
	assert.Less(t, ms2.TotalAlloc-ms1.TotalAlloc, uint64(64<<10), "a 2 MiB input must not be copied whole")
}

// The token never appears in an error, even if a server echoes
// it, and secret query values are redacted from URLs.
func TestSecretsRedacted(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/user").Reply(401).JSON(map[string]string{"message": "token " + testToken + " is revoked"})
	_, err := doNoValue(context.Background(), c, http.MethodGet, at("user"), nil, nil)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), testToken)
	assert.Contains(t, err.Error(), "token REDACTED is revoked")

	u, _ := url.Parse("https://u:p@h.example/api/v4/users?private_token=s1&access_token=s2&job_token=s3&page=2&PRIVATE_TOKEN=s4")
	red := redactURL(u)
	for _, s := range []string{"s1", "s2", "s3", "s4", "u:p"} {
		assert.NotContains(t, red, s)
	}
	assert.Contains(t, red, "page=2")
	assert.Contains(t, red, "private_token=REDACTED")

	wrapped := newSecrets(testToken).redactErr(errors.New("dial " + testToken))
	assert.Equal(t, "dial REDACTED", wrapped.Error())
	assert.Equal(t, "dial "+testToken, errors.Unwrap(wrapped).Error())
}
