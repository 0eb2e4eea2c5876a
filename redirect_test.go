package gitlab

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRedirectCredentialsStayOnBaseHost(t *testing.T) {
	other := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"id":1}`))
	}, listenOn("127.0.0.2"))
	home := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v4/user":
			http.Redirect(w, r, "/api/v4/moved", http.StatusFound) // same host
		case "/api/v4/moved":
			http.Redirect(w, r, other.URL+"/api/v4/user", http.StatusMovedPermanently) // another host
		}
	})

	for name, mk := range map[string]func(string, ...ClientOption) (*Client, error){"pat": NewClient, "oauth": NewOAuthClient} {
		home.forget()
		other.forget()
		c, err := mk(testToken, WithBaseURL(home.URL), WithoutRetries())
		require.NoError(t, err)
		v, _, err := do[map[string]int](context.Background(), c, http.MethodGet, at("user"), nil, []RequestOption{WithSudo(UserID(9))})
		require.NoError(t, err, name)
		assert.Equal(t, 1, v["id"])

		require.Len(t, home.seen(), 2, name)
		for _, r := range home.seen() {
			h := r.Header
			assert.Equal(t, "9", h.Get("Sudo"), name)
			if name == "pat" {
				assert.Equal(t, testToken, h.Get("Private-Token"))
			} else {
				assert.Equal(t, "Bearer "+testToken, h.Get("Authorization"))
			}
		}
		require.Len(t, other.seen(), 1, name)
		assert.Empty(t, other.seen()[0].credentials(), "%s: credentials reached another host", name)
	}
}

// An http→https upgrade on the same host keeps the credentials.
func TestRedirectHTTPSUpgradeKeepsCredentials(t *testing.T) {
	tlsSrv := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"id":2}`))
	}, withTLS())
	plain := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, tlsSrv.URL+r.URL.Path, http.StatusMovedPermanently)
	})
	c, err := NewClient(testToken, WithBaseURL(plain.URL), WithHTTPClient(tlsSrv.Client()), WithoutRetries())
	require.NoError(t, err)
	_, _, err = do[map[string]int](context.Background(), c, http.MethodGet, at("user"), nil, nil)
	require.NoError(t, err)
	require.Len(t, tlsSrv.seen(), 1)
	assert.Equal(t, testToken, tlsSrv.seen()[0].Header.Get("Private-Token"))

	// The reverse, https→http, is a downgrade: no credentials.
	base, _ := parseBaseURL("https://gitlab.example.com")
	cc := &Client{base: base}
	assert.False(t, cc.trustedHost(mustURL(t, "http://gitlab.example.com/api/v4/user")))
	assert.False(t, cc.trustedHost(mustURL(t, "https://gitlab.example.com:8443/api/v4/user")))
	assert.False(t, cc.trustedHost(mustURL(t, "https://evil.gitlab.example.com/api/v4/user")))
	assert.True(t, cc.trustedHost(mustURL(t, "https://GITLAB.example.com/other")))
}

// Only GET and HEAD follow redirects; a write gets an error naming the
// Location and is never turned into a GET.
func TestRedirectNotFollowedForWrites(t *testing.T) {
	other := newRecordingServer(t, func(http.ResponseWriter, *http.Request) {}, listenOn("127.0.0.2"))
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		for _, code := range []int{301, 302, 303, 307, 308} {
			home := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Location", other.URL+"/api/v4/users?private_token=leak")
				w.WriteHeader(code)
			})
			c := fastClient(t, home.URL)
			_, err := doNoValue(context.Background(), c, method, at("users"), nil, nil)
			var er *ErrorResponse
			require.ErrorAs(t, err, &er, "%s %d", method, code)
			assert.Equal(t, code, er.StatusCode)
			assert.Equal(t, other.URL+"/api/v4/users?private_token=REDACTED", er.Location)
			assert.Contains(t, er.Error(), "redirect to "+other.URL)
			assert.NotContains(t, er.Error(), "leak")
			assert.Equal(t, 1, home.count())
		}
	}
	assert.Empty(t, other.seen())
}

func TestRedirectLoopStops(t *testing.T) {
	srv := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	})
	c := fastClient(t, srv.URL)
	_, err := doNoValue(context.Background(), c, http.MethodGet, at("user"), nil, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "stopped after 10 redirects")
	assert.Equal(t, 10, srv.count(), "a redirect loop is not retried")
}

// A client passed with WithHTTPClient is never modified; its own redirect
// policy still runs after ours.
func TestWithHTTPClientNotMutated(t *testing.T) {
	other := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{}`))
	}, listenOn("127.0.0.2"))
	home := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/x", http.StatusFound)
	})
	var policyCalls int
	policy := func(*http.Request, []*http.Request) error { policyCalls++; return nil }
	tr := &http.Transport{}
	hc := &http.Client{Transport: tr, Timeout: 7 * time.Second, CheckRedirect: policy}
	c, err := NewClient(testToken, WithBaseURL(home.URL), WithHTTPClient(hc))
	require.NoError(t, err)
	_, err = doNoValue(context.Background(), c, http.MethodGet, at("user"), nil, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, policyCalls)
	assert.Same(t, tr, hc.Transport.(*http.Transport))
	assert.Equal(t, 7*time.Second, hc.Timeout)
	assert.Equal(t, 0, tr.MaxIdleConnsPerHost)
	assert.Empty(t, other.seen()[0].credentials())

	plain := &http.Client{}
	_, err = NewClient(testToken, WithHTTPClient(plain))
	require.NoError(t, err)
	assert.Nil(t, plain.CheckRedirect)
	assert.Nil(t, plain.Transport)
}
