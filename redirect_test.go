package gitlab

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// headerLog records the credential headers each request arrived with.
type headerLog struct {
	mu   sync.Mutex
	seen []http.Header
}

func (h *headerLog) add(r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	cp := http.Header{}
	for _, k := range []string{"Private-Token", "Authorization", "Sudo"} {
		if v := r.Header.Get(k); v != "" {
			cp.Set(k, v)
		}
	}
	h.seen = append(h.seen, cp)
}

func (h *headerLog) all() []http.Header {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]http.Header(nil), h.seen...)
}

// serverOn starts a plain HTTP server on the given loopback address.
func serverOn(t *testing.T, addr string, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	ln, err := net.Listen("tcp", addr+":0")
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(h)
	_ = srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

func TestRedirectCredentialsStayOnBaseHost(t *testing.T) {
	other := &headerLog{}
	b := serverOn(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
		other.add(r)
		_, _ = w.Write([]byte(`{"id":1}`))
	})
	home := &headerLog{}
	a := serverOn(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
		home.add(r)
		switch r.URL.Path {
		case "/api/v4/user":
			http.Redirect(w, r, "/api/v4/moved", http.StatusFound) // same host
		case "/api/v4/moved":
			http.Redirect(w, r, b.URL+"/api/v4/user", http.StatusMovedPermanently) // another host
		}
	})

	for name, mk := range map[string]func(string, ...ClientOption) (*Client, error){"pat": NewClient, "oauth": NewOAuthClient} {
		*home, *other = headerLog{}, headerLog{}
		c, err := mk(testToken, WithBaseURL(a.URL), WithoutRetries())
		require.NoError(t, err)
		v, _, err := do[map[string]int](context.Background(), c, http.MethodGet, at("user"), nil, []RequestOption{WithSudo(UserID(9))})
		require.NoError(t, err, name)
		assert.Equal(t, 1, v["id"])

		require.Len(t, home.all(), 2, name)
		for _, h := range home.all() {
			assert.Equal(t, "9", h.Get("Sudo"), name)
			if name == "pat" {
				assert.Equal(t, testToken, h.Get("Private-Token"))
			} else {
				assert.Equal(t, "Bearer "+testToken, h.Get("Authorization"))
			}
		}
		require.Len(t, other.all(), 1, name)
		assert.Empty(t, other.all()[0], "%s: credentials reached another host", name)
	}
}

// An http→https upgrade on the same host keeps the credentials.
func TestRedirectHTTPSUpgradeKeepsCredentials(t *testing.T) {
	secure := &headerLog{}
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secure.add(r)
		_, _ = w.Write([]byte(`{"id":2}`))
	}))
	defer tlsSrv.Close()
	plain := serverOn(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, tlsSrv.URL+r.URL.Path, http.StatusMovedPermanently)
	})
	c, err := NewClient(testToken, WithBaseURL(plain.URL), WithHTTPClient(tlsSrv.Client()), WithoutRetries())
	require.NoError(t, err)
	_, _, err = do[map[string]int](context.Background(), c, http.MethodGet, at("user"), nil, nil)
	require.NoError(t, err)
	require.Len(t, secure.all(), 1)
	assert.Equal(t, testToken, secure.all()[0].Get("Private-Token"))

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
	other := &headerLog{}
	b := serverOn(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) { other.add(r) })
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		for _, code := range []int{301, 302, 303, 307, 308} {
			a, n := scripted(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Location", b.URL+"/api/v4/users?private_token=leak")
				w.WriteHeader(code)
			})
			c := fastClient(t, a.URL)
			_, err := doNoValue(context.Background(), c, method, at("users"), nil, nil)
			var er *ErrorResponse
			require.ErrorAs(t, err, &er, "%s %d", method, code)
			assert.Equal(t, code, er.StatusCode)
			assert.Equal(t, b.URL+"/api/v4/users?private_token=REDACTED", er.Location)
			assert.Contains(t, er.Error(), "redirect to "+b.URL)
			assert.NotContains(t, er.Error(), "leak")
			assert.Equal(t, int32(1), n.Load())
		}
	}
	assert.Empty(t, other.all())
}

func TestRedirectLoopStops(t *testing.T) {
	a, n := scripted(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	})
	c := fastClient(t, a.URL)
	_, err := doNoValue(context.Background(), c, http.MethodGet, at("user"), nil, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "stopped after 10 redirects")
	assert.Equal(t, int32(10), n.Load(), "a redirect loop is not retried")
}

// A client passed with WithHTTPClient is never modified; its own redirect
// policy still runs after ours.
func TestWithHTTPClientNotMutated(t *testing.T) {
	other := &headerLog{}
	b := serverOn(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
		other.add(r)
		_, _ = w.Write([]byte(`{}`))
	})
	a := serverOn(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, b.URL+"/x", http.StatusFound)
	})
	var policyCalls int
	policy := func(*http.Request, []*http.Request) error { policyCalls++; return nil }
	tr := &http.Transport{}
	hc := &http.Client{Transport: tr, Timeout: 7 * time.Second, CheckRedirect: policy}
	c, err := NewClient(testToken, WithBaseURL(a.URL), WithHTTPClient(hc))
	require.NoError(t, err)
	_, err = doNoValue(context.Background(), c, http.MethodGet, at("user"), nil, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, policyCalls)
	assert.Same(t, tr, hc.Transport.(*http.Transport))
	assert.Equal(t, 7*time.Second, hc.Timeout)
	assert.Equal(t, 0, tr.MaxIdleConnsPerHost)
	assert.Empty(t, other.all()[0])

	plain := &http.Client{}
	_, err = NewClient(testToken, WithHTTPClient(plain))
	require.NoError(t, err)
	assert.Nil(t, plain.CheckRedirect)
	assert.Nil(t, plain.Transport)
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}
