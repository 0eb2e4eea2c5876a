package gitlab

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Defect 3 of issue 25: the escape hatch refused ".." but sent "%2e%2e",
// "%2E%2E" and ".%2e" segments, with the token, although the
// pagination-link check already read them as leaving the API root. Both
// now use one check (insideRoot); nothing reaches the server.
func TestEscapeHatchEncodedDotSegments(t *testing.T) {
	srv := newRecordingServer(t, reply(200, `{}`))
	for _, root := range []string{"", "/gitlab"} {
		c := fastClient(t, srv.URL+root)
		ctx := context.Background()
		for _, bad := range []string{
			"%2e%2e/%2e%2e/admin",
			"%2E%2E/%2E%2E/admin",
			".%2e/.%2e/admin",
			"%2e./%2e./admin",
			"users/%2e%2e/%2e%2e/%2e%2e/x",
			"users/%2E%2E%2F%2E%2E%2F%2E%2E%2Fx",
			`%2e%2e%5c%2e%2e%5cadmin`,
			`..\..\admin`,
		} {
			req, err := c.NewRequest(ctx, http.MethodGet, bad, nil)
			require.ErrorIs(t, err, ErrInvalidArgument, "%s%s", root, bad)
			assert.Contains(t, err.Error(), "must not leave the API root", bad)
			assert.Nil(t, req)
			// The pagination-link check agrees: it is the same check.
			assert.False(t, c.underBase(c.baseURL+bad), bad)
		}
		// Paths that stay inside the root, escaped project paths
		// included, still work.
		for _, good := range []string{"projects/group%2Fapp/members", "users/%2e%2e%2e", "version"} {
			req, err := c.NewRequest(ctx, http.MethodGet, good, nil)
			require.NoError(t, err, good)
			_, err = c.Do(req, nil)
			require.NoError(t, err, good)
		}
	}
	for _, r := range srv.seen() {
		p, err := url.PathUnescape(r.URL.EscapedPath())
		require.NoError(t, err)
		assert.NotContains(t, strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == '\\' }), "..", "nothing outside the root was sent: %s", r.URL)
	}
	assert.Equal(t, 6, srv.count())
}

// Defect 4 of issue 25: a credential header under a non-canonical key
// (set by indexing the header map) was neither refused before sending
// nor stripped from a redirect to another host, because the checks
// looked up canonical keys only.
func TestCredentialHeadersNonCanonicalKeys(t *testing.T) {
	srv := newRecordingServer(t, reply(200, `{"id":1}`))
	c := fastClient(t, srv.URL)
	ctx := context.Background()
	for _, key := range []string{"PRIVATE-TOKEN", "private-token", "job-token", "JOB-TOKEN", "DEPLOY-TOKEN", "deploy-token", "authorization", "AUTHORIZATION"} {
		set := func(r *http.Request) error { r.Header[key] = []string{"stolen-secret"}; return nil }
		_, _, err := c.Users.Current(ctx, set)
		require.ErrorIs(t, err, ErrInvalidArgument, "request option setting %s", key)
		assert.NotContains(t, err.Error(), "stolen-secret")

		req, err := c.NewRequest(ctx, http.MethodGet, "user", nil)
		require.NoError(t, err)
		req.Header()[key] = []string{"stolen-secret"}
		_, err = c.Do(req, nil)
		require.ErrorIs(t, err, ErrInvalidArgument, "escape hatch with %s", key)
	}
	// The client's own token under a second, non-canonical key is a
	// second credential value too.
	dup := func(r *http.Request) error { r.Header["PRIVATE-TOKEN"] = []string{testToken}; return nil }
	_, _, err := c.Users.Current(ctx, dup)
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.Equal(t, 0, srv.count(), "nothing was sent")

	// On a redirect to another host, every credential header and Sudo
	// is stripped whatever the case of its key.
	foreign, err := url.Parse("https://elsewhere.example/api/v4/user")
	require.NoError(t, err)
	r := &http.Request{Method: http.MethodGet, URL: foreign, Header: http.Header{
		"PRIVATE-TOKEN": {"a"}, "job-token": {"b"}, "DEPLOY-TOKEN": {"c"}, "authorization": {"d"}, "SUDO": {"root"},
		"Private-Token": {"e"}, "X-Other": {"kept"},
	}}
	via := []*http.Request{{Method: http.MethodGet, URL: c.base}}
	require.NoError(t, c.checkRedirect(nil)(r, via))
	assert.Equal(t, http.Header{"X-Other": {"kept"}}, r.Header)
}

// Defect 4, end to end: Sudo set under a non-canonical key by a request
// option goes to the base host, but not to the host a redirect names.
func TestCredentialHeadersNonCanonicalKeysRedirect(t *testing.T) {
	var got http.Header
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		_, _ = w.Write([]byte(`{"id":1}`))
	}))
	defer other.Close()
	srv := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/api/v4/user", http.StatusFound)
	})
	c := fastClient(t, srv.URL)
	sudo := func(r *http.Request) error { r.Header["SUDO"] = []string{"root"}; return nil }
	_, _, err := c.Users.Current(context.Background(), sudo)
	require.NoError(t, err)
	require.NotNil(t, got, "the redirect was followed")
	assert.Equal(t, "root", srv.seen()[0].Header.Get("Sudo"), "the base host got it")
	for k := range got {
		assert.NotEqual(t, "Sudo", http.CanonicalHeaderKey(k))
		assert.NotEqual(t, "Private-Token", http.CanonicalHeaderKey(k))
	}
}

// Guarantee of issue 25: a request option that adds a second value to
// the client's own credential header (same key, even the same token) is
// refused: only the one value newRequest set may go out.
func TestCredentialHeaderSecondValueRefused(t *testing.T) {
	srv := newRecordingServer(t, reply(200, `{"id":1}`))
	c := fastClient(t, srv.URL)
	for _, v := range []string{"other-token", testToken} {
		add := func(r *http.Request) error { r.Header.Add("Private-Token", v); return nil }
		_, _, err := c.Users.Current(context.Background(), add)
		require.ErrorIs(t, err, ErrInvalidArgument, v)
		assert.NotContains(t, err.Error(), "other-token")
	}
	oauth, err := NewOAuthClient("oauth-secret", WithBaseURL(srv.URL))
	require.NoError(t, err)
	add := func(r *http.Request) error { r.Header.Add("Authorization", "Bearer oauth-secret"); return nil }
	_, _, err = oauth.Users.Current(context.Background(), add)
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.Equal(t, 0, srv.count())
}

// Guarantee of issue 25: ErrorResponse.RetryAfter is set for 429 and
// 503, where Retry-After (or RateLimit-Reset) asks the client to wait
// before trying again, and for nothing else: a 500 or 502 that carries
// the header (a proxy's default, say) does not read as a rate limit.
func TestRetryAfterOnlyOnRateLimitAndUnavailable(t *testing.T) {
	for status, want := range map[int]time.Duration{429: 7 * time.Second, 503: 7 * time.Second, 500: 0, 502: 0, 404: 0} {
		for _, h := range []string{"Retry-After", "RateLimit-Reset"} {
			v := "7"
			if h == "RateLimit-Reset" {
				v = strconv.FormatInt(time.Now().Unix()+7, 10)
			}
			srv := newRecordingServer(t, reply(status, `{"message":"x"}`, h, v))
			c := fastClient(t, srv.URL, WithoutRetries())
			_, _, err := c.Users.Current(context.Background())
			var er *ErrorResponse
			require.ErrorAs(t, err, &er)
			assert.InDelta(t, want.Seconds(), er.RetryAfter.Seconds(), 1.01, "%d %s", status, h)
			if want == 0 {
				assert.Zero(t, er.RetryAfter, "%d %s", status, h)
			}
		}
	}
}
