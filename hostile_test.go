package gitlab

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileClient is a client of base with a capturing logger, fast
// retries and its own transport.
func hostileClient(t *testing.T, mk func(string, ...ClientOption) (*Client, error), base string, opts ...ClientOption) (*Client, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	all := append([]ClientOption{
		WithBaseURL(base), WithHTTPClient(&http.Client{Transport: tr}),
		WithRetryMax(1), WithRetryWait(time.Millisecond, 10*time.Millisecond), WithLogger(logs.logger()),
	}, opts...)
	c, err := mk(testToken, all...)
	require.NoError(t, err)
	return c, logs
}

// TestHostileRedirectKeepsTokenHome: a GET redirected to another host
// (another loopback address, or the same address on another port)
// arrives there without PRIVATE-TOKEN, Authorization or Sudo, for every
// redirect status, both token kinds, and through the public methods.
func TestHostileRedirectKeepsTokenHome(t *testing.T) {
	for _, otherAddr := range []string{"127.0.0.2", "127.0.0.1"} {
		other := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
			switch {
			case strings.HasSuffix(r.URL.Path, "/status"):
				_, _ = io.WriteString(w, `{"emoji":"coffee"}`)
			case strings.HasSuffix(r.URL.Path, "/keys"), r.URL.Path == "/api/v4/users":
				_, _ = io.WriteString(w, `[{"id":7}]`)
			default:
				_, _ = io.WriteString(w, `{"id":7,"username":"elsewhere"}`)
			}
		}, listenOn(otherAddr))
		for _, code := range []int{301, 302, 303, 307, 308} {
			home := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, other.URL+r.URL.RequestURI(), code)
			})
			for kind, mk := range map[string]func(string, ...ClientOption) (*Client, error){"pat": NewClient, "oauth": NewOAuthClient} {
				c, logs := hostileClient(t, mk, home.URL)
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				sudo := WithSudo(Username("root"))
				u, _, err := c.Users.Get(ctx, 1, nil, sudo)
				require.NoError(t, err)
				assert.Equal(t, "elsewhere", u.Username)
				_, _, err = c.SSHKeys.ListForUser(ctx, Username("jane"), nil, sudo)
				require.NoError(t, err)
				_, _, err = c.Status.GetForUser(ctx, UserID(3), sudo)
				require.NoError(t, err)
				require.NoError(t, firstErr(c.Users.ListIter(ctx, nil, sudo)))
				cancel()
				assert.NotContains(t, logs.String(), testToken)
				name := fmt.Sprintf("%s %d via %s", kind, code, otherAddr)

				homeCreds := home.credentials()
				assert.NotEmpty(t, homeCreds, "%s: the base host gets the credentials", name)
				paths, creds := other.paths(), other.credentials()
				assert.GreaterOrEqual(t, len(paths), 4, "%s: the redirects were followed", name)
				assert.Empty(t, creds, "%s: credentials reached another host", name)
				other.forget()
				home.forget()
			}
		}
	}
}

// TestHostileLinkToOtherHost: during ListIter a Link rel="next" that
// leaves the API root (another host, another port, another scheme,
// user info, a path outside /api/v4/) is not followed; nothing at all
// is sent there. With X-Next-Page the iterator goes on at the base URL.
func TestHostileLinkToOtherHost(t *testing.T) {
	other := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, `[{"id":99}]`) }, listenOn("127.0.0.2"))
	otherPort := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, `[{"id":98}]`) })
	for _, withNextPage := range []bool{false, true} {
		for _, concurrency := range []int{1, 4} {
			var homeURL string
			links := func() []string {
				host := strings.TrimPrefix(homeURL, "http://")
				return []string{
					other.URL + "/api/v4/users?page=2",
					otherPort.URL + "/api/v4/users?page=2",
					"https://" + host + "/api/v4/users?page=2",
					"http://user:pw@" + host + "/api/v4/users?page=2",
					homeURL + "/api/v5/users?page=2",
					homeURL + "/elsewhere/users?page=2",
					homeURL + "/api/v4/users?page=2#frag",
					"//127.0.0.2/api/v4/users?page=2",
				}
			}
			for i := range 8 {
				home := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
					page := r.URL.Query().Get("page")
					if page == "" || page == "1" {
						w.Header().Set("Link", "<"+links()[i]+`>; rel="next"`)
						if withNextPage {
							w.Header().Set("X-Next-Page", "2")
							w.Header().Set("X-Total-Pages", "2")
						}
						_, _ = io.WriteString(w, `[{"id":1}]`)
						return
					}
					_, _ = io.WriteString(w, `[{"id":2}]`)
				})
				homeURL = home.URL
				name := fmt.Sprintf("link %q, X-Next-Page %v, concurrency %d", links()[i], withNextPage, concurrency)
				c, logs := hostileClient(t, NewClient, home.URL, WithPageConcurrency(concurrency))
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				var ids []int64
				var errs []error
				for u, err := range c.Users.ListIter(ctx, nil) {
					if err != nil {
						errs = append(errs, err)
						continue
					}
					ids = append(ids, u.ID)
				}
				if withNextPage {
					assert.Empty(t, errs, name)
				} else {
					// No safe way on: the iterator says so instead of
					// ending as if the list were complete.
					require.Len(t, errs, 1, name)
					assert.ErrorIs(t, errs[0], ErrUnexpectedResponse, name)
					assert.NotContains(t, errs[0].Error(), testToken, name)
				}
				cancel()
				want := []int64{1}
				if withNextPage {
					want = []int64{1, 2}
				}
				assert.Equal(t, want, ids, name)
				paths := home.paths()
				assert.Len(t, paths, len(want), name)
				assert.NotContains(t, logs.String(), testToken)
			}
		}
	}
	for _, s := range []*recordingServer{other, otherPort} {
		paths, creds := s.paths(), s.credentials()
		assert.Empty(t, paths, "a request left the API root")
		assert.Empty(t, creds)
	}
}

// TestHostileTokenEchoedEverywhere: a server that puts the token into
// every place that reaches an error or a log (message, HTML title,
// Location path and query, the path of a redirect target that then
// fails) never gets it into an error text or a log record.
func TestHostileTokenEchoedEverywhere(t *testing.T) {
	tokenPath := "/api/v4/" + testToken + "/x?private_token=" + testToken
	// redirectThen redirects to tokenPath, and answers there with h.
	redirectThen := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if strings.Contains(r.URL.Path, testToken) {
				h(w, r)
				return
			}
			http.Redirect(w, r, tokenPath, http.StatusFound)
		}
	}
	cases := map[string]struct {
		handler http.HandlerFunc
		call    apiCall
	}{
		"POST redirect to a path holding the token": {
			handler: reply(302, "", "Location", tokenPath),
			call:    callCreateKey,
		},
		"GET redirect then garbage": {
			handler: redirectThen(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "not json") }),
			call:    callGetUser,
		},
		"GET redirect then 404": {
			handler: redirectThen(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(404) }),
			call:    callGetUser,
		},
		"GET redirect then dropped connection": {
			handler: redirectThen(func(w http.ResponseWriter, _ *http.Request) { flushThenReset(w) }),
			call:    callGetUser,
		},
		"GET redirect then connection reset before any answer": {
			handler: redirectThen(func(w http.ResponseWriter, _ *http.Request) { resetConn(w) }),
			call:    callGetUser,
		},
		"GET redirect then slow body": {
			handler: redirectThen(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(200)
				_, _ = io.WriteString(w, `{"id":`)
				_ = http.NewResponseController(w).Flush()
				<-r.Context().Done()
			}),
			call: callGetUser,
		},
		"JSON error message": {
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(422)
				_, _ = fmt.Fprintf(w, `{"message":"bad token %s","error_description":"%s"}`, testToken, testToken)
			},
			call: callGetUser,
		},
		"HTML error title": {handler: tokenEchoPage(500), call: callBlock},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			srv := newRecordingServer(t, tc.handler)
			c, logs := hostileClient(t, NewClient, srv.URL)
			runWatched(t, name, func() {
				ctx, cancel := context.WithTimeout(context.Background(), shortTimeout)
				defer cancel()
				err := tc.call(ctx, c)
				require.Error(t, err)
				assert.NotContains(t, err.Error(), testToken, "token in the error text")
				if er, ok := err.(*ErrorResponse); ok {
					assert.NotContains(t, er.URL, testToken)
					assert.NotContains(t, er.Location, testToken)
					assert.NotContains(t, er.Message, testToken)
				}
			})
			assert.NotContains(t, logs.String(), testToken, "token in a log record")
		})
	}
}

// TestHostileHugeErrorBodyNotReadWhole: a 50 MB error body is not read
// into memory: ErrorResponse.Body holds the first 1 MiB, and the whole
// call allocates a small fraction of 50 MB.
func TestHostileHugeErrorBodyNotReadWhole(t *testing.T) {
	const size = 50 << 20
	chunk := []byte(strings.Repeat(`{"message":"x"}`, 4096))
	srv := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", fmt.Sprint(size))
		w.WriteHeader(http.StatusInternalServerError)
		for n := 0; n < size; {
			k := min(len(chunk), size-n)
			if _, err := w.Write(chunk[:k]); err != nil {
				return
			}
			n += k
		}
	})
	for _, call := range []apiCall{callGetUser, callCreateKey, callBlock} {
		c, _ := hostileClient(t, NewClient, srv.URL, WithoutRetries())
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := call(ctx, c)
		cancel()
		runtime.ReadMemStats(&after)
		var er *ErrorResponse
		require.ErrorAs(t, err, &er)
		assert.Equal(t, 500, er.StatusCode)
		assert.Len(t, er.Body, 1<<20, "ErrorResponse.Body is capped at 1 MiB")
		assert.Less(t, len(er.Error()), 2000)
		allocated := after.TotalAlloc - before.TotalAlloc
		t.Logf("allocated %d KiB for a 50 MiB error body", allocated>>10)
		// Today about 7 MiB: the 1 MiB body, io.ReadAll's growth, and
		// the flattening of its text into a one-line message.
		assert.Less(t, allocated, uint64(16<<20), "a 50 MiB error body must not be read whole")
	}
}
