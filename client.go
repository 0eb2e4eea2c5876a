package gitlab

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	retryablehttp "github.com/hashicorp/go-retryablehttp"
)

// Version is this SDK's version; it is part of the default User-Agent.
const Version = "0.1.0"

const (
	defaultBaseURL      = "https://gitlab.com"
	defaultUserAgent    = "gitlabusers-go/" + Version + " (+https://github.com/gitlabusers/gitlab)"
	defaultRetryMax     = 4
	defaultRetryWaitMin = 100 * time.Millisecond
	defaultRetryWaitMax = 30 * time.Second

	// defaultPageConcurrency pages are in flight at once in an iterator
	// when GitLab reports the page count.
	defaultPageConcurrency = 2

	// maxSuccessBody bounds a 2xx body read into memory for decoding.
	maxSuccessBody = 64 << 20
)

// Client talks to one GitLab instance with one credential. It is safe for
// concurrent use by many goroutines; create it once and share it.
type Client struct {
	// baseURL is the API root, always ending in "/api/v4/".
	baseURL string
	base    *url.URL
	token   string
	// Header values sent with every request, as slices of length and
	// capacity 1 shared by all requests: Header.Add on a request copies
	// them, Header.Set replaces them, so no request can change another's.
	authKey    string // canonical header name; "" for anonymous clients
	authValue  []string
	userAgent  []string
	httpClient *http.Client
	rc         *retryablehttp.Client

	retryMax        int
	retryWaitMin    time.Duration
	retryWaitMax    time.Duration
	logger          *slog.Logger
	pageConcurrency int

	common service

	// Users manages users: listing, creation, state changes, activities.
	Users *UsersService
	// SSHKeys manages SSH keys of the current user and of other users.
	SSHKeys *SSHKeysService
	// GPGKeys manages GPG keys of the current user and of other users.
	GPGKeys *GPGKeysService
	// Emails manages secondary email addresses.
	Emails *EmailsService
	// Status reads and sets user status (emoji, message, availability).
	Status *StatusService
	// Follows follows and unfollows users and lists followers.
	Follows *FollowsService
	// ImpersonationTokens manages impersonation tokens (administrators).
	ImpersonationTokens *ImpersonationTokensService
}

// service is the one struct every service type is defined over.
type service struct{ client *Client }

// ClientOption configures a Client in NewClient and NewOAuthClient.
type ClientOption func(*clientConfig) error

type clientConfig struct {
	baseURL         string
	httpClient      *http.Client
	userAgent       string
	retryMax        int
	retryWaitMin    time.Duration
	retryWaitMax    time.Duration
	logger          *slog.Logger
	pageConcurrency int
}

// WithBaseURL sets the GitLab instance: its root ("https://gitlab.example.com")
// or its API root ("https://gitlab.example.com/api/v4"), also under a
// relative root ("https://example.com/gitlab/"). Only http and https URLs
// with a host and without query, fragment or user info are accepted.
// The default is https://gitlab.com.
func WithBaseURL(rawURL string) ClientOption {
	return func(c *clientConfig) error {
		c.baseURL = rawURL
		return nil
	}
}

// WithHTTPClient sends requests through hc (for its Transport, timeouts,
// proxy or TLS settings). hc is never modified: the client works on a
// copy of it with its own redirect policy, which runs before any
// CheckRedirect of hc.
func WithHTTPClient(hc *http.Client) ClientOption {
	return func(c *clientConfig) error {
		if hc == nil {
			return invalidArg("WithHTTPClient: nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithUserAgent replaces the User-Agent header sent with every request.
func WithUserAgent(ua string) ClientOption {
	return func(c *clientConfig) error {
		c.userAgent = ua
		return nil
	}
}

// WithRetryMax sets how many times a failed request may be retried
// (default 4). Zero disables retries.
func WithRetryMax(n int) ClientOption {
	return func(c *clientConfig) error {
		if n < 0 {
			return invalidArg("WithRetryMax: negative retry count %d", n)
		}
		c.retryMax = n
		return nil
	}
}

// WithRetryWait sets the bounds of the exponential backoff between
// retries (default 100ms to 30s). A server that asks to wait longer than
// max is not waited for: its answer comes back as an *ErrorResponse
// whose RetryAfter says how long it asked for.
func WithRetryWait(min, max time.Duration) ClientOption {
	return func(c *clientConfig) error {
		if min < 0 || max < min {
			return invalidArg("WithRetryWait: need 0 <= min <= max, got %v and %v", min, max)
		}
		c.retryWaitMin, c.retryWaitMax = min, max
		return nil
	}
}

// WithoutRetries disables retries: every request is sent once.
func WithoutRetries() ClientOption { return WithRetryMax(0) }

// WithLogger logs each attempt at debug level (method, path, status,
// duration, attempt) and each retry at warn level with its reason. Tokens
// are never logged. By default the client logs nothing.
func WithLogger(l *slog.Logger) ClientOption {
	return func(c *clientConfig) error {
		c.logger = l
		return nil
	}
}

// WithPageConcurrency lets every ListXIter fetch up to n pages at once
// when GitLab reports the total number of pages (offset pagination under
// 10,000 rows). Items are still delivered in order, at most n pages are
// held in memory, and a cancelled ctx, an error or a caller's break stops
// all fetching. The default is 2: while the caller handles one page the
// next is already on its way. With n = 1 an iterator still fetches the
// next page while the caller handles the current one, but only one page
// is ever in flight.
func WithPageConcurrency(n int) ClientOption {
	return func(c *clientConfig) error {
		if n < 1 {
			return invalidArg("WithPageConcurrency: need n >= 1, got %d", n)
		}
		c.pageConcurrency = n
		return nil
	}
}

// NewClient returns a client that authenticates with a personal, project,
// group or impersonation access token, sent as the PRIVATE-TOKEN header.
// An empty token makes anonymous requests.
//
// GitLab API docs: https://docs.gitlab.com/api/rest/authentication/#personalprojectgroup-access-tokens
func NewClient(token string, opts ...ClientOption) (*Client, error) {
	return newClient("PRIVATE-TOKEN", token, token, opts)
}

// NewOAuthClient returns a client that authenticates with an OAuth 2.0
// access token, sent as "Authorization: Bearer <token>". An empty token
// makes anonymous requests.
//
// GitLab API docs: https://docs.gitlab.com/api/rest/authentication/#oauth-20-tokens
func NewOAuthClient(token string, opts ...ClientOption) (*Client, error) {
	return newClient("Authorization", "Bearer "+token, token, opts)
}

func newClient(authHeader, authValue, token string, opts []ClientOption) (*Client, error) {
	cfg := clientConfig{
		baseURL:      defaultBaseURL,
		userAgent:    defaultUserAgent,
		retryMax:     defaultRetryMax,
		retryWaitMin: defaultRetryWaitMin,
		retryWaitMax: defaultRetryWaitMax,
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	base, err := parseBaseURL(cfg.baseURL)
	if err != nil {
		return nil, err
	}
	c := &Client{
		baseURL:      base.String(),
		base:         base,
		token:        token,
		retryMax:     cfg.retryMax,
		retryWaitMin: cfg.retryWaitMin,
		retryWaitMax: cfg.retryWaitMax,
		logger:       cfg.logger,

		pageConcurrency: cmp.Or(cfg.pageConcurrency, defaultPageConcurrency),
	}
	if token != "" {
		c.authKey = http.CanonicalHeaderKey(authHeader)
		c.authValue = []string{authValue}
	}
	c.userAgent = []string{cfg.userAgent}

	var hc http.Client
	if cfg.httpClient != nil {
		hc = *cfg.httpClient // a copy: the caller's client is never modified
	} else {
		hc.Transport = defaultTransport()
	}
	hc.CheckRedirect = c.checkRedirect(hc.CheckRedirect)
	c.httpClient = &hc
	c.rc = &retryablehttp.Client{
		HTTPClient:     c.httpClient,
		RetryMax:       c.retryMax,
		CheckRetry:     c.checkRetry,
		Backoff:        func(time.Duration, time.Duration, int, *http.Response) time.Duration { return 0 },
		RequestLogHook: startAttempt,
		ErrorHandler:   retryablehttp.PassthroughErrorHandler,
	}

	c.common.client = c
	c.Users = (*UsersService)(&c.common)
	c.SSHKeys = (*SSHKeysService)(&c.common)
	c.GPGKeys = (*GPGKeysService)(&c.common)
	c.Emails = (*EmailsService)(&c.common)
	c.Status = (*StatusService)(&c.common)
	c.Follows = (*FollowsService)(&c.common)
	c.ImpersonationTokens = (*ImpersonationTokensService)(&c.common)
	return c, nil
}

// BaseURL returns the API root the client sends requests to, ending in
// "/api/v4/".
func (c *Client) BaseURL() string { return c.baseURL }

// parseBaseURL validates rawURL and returns the API root ending in "/api/v4/".
func parseBaseURL(rawURL string) (*url.URL, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, invalidArg("base URL is not a valid URL") // the text may hold secrets: not echoed
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, invalidArg("base URL %q: scheme must be http or https", redactURL(u))
	case u.Host == "" || u.Hostname() == "":
		return nil, invalidArg("base URL %q: missing host", redactURL(u))
	case u.Port() != "" && !validPort(u.Port()):
		return nil, invalidArg("base URL %q: port must be 1 to 65535", redactURL(u))
	case u.RawQuery != "" || u.ForceQuery:
		return nil, invalidArg("base URL %s://%s%s: must not have a query", u.Scheme, u.Host, u.Path)
	case u.Fragment != "" || strings.Contains(rawURL, "#"):
		return nil, invalidArg("base URL %s://%s%s: must not have a fragment", u.Scheme, u.Host, u.Path)
	case u.User != nil:
		return nil, invalidArg("base URL %q: must not carry user info; pass the token to NewClient", redactURL(u))
	}
	p := strings.TrimRight(u.Path, "/")
	if !strings.HasSuffix(p, "/api/v4") {
		p += "/api/v4"
	}
	u.Path = p + "/"
	u.RawPath = ""
	return u, nil
}

// defaultConnsPerHost is how many connections the default transport
// opens and keeps per host. 16 concurrent callers reuse their connections
// instead of dialling afresh (net/http keeps only 2 idle), a burst never
// dials more than 16 while warming up, and a 17th concurrent call waits
// for a free connection rather than opening another: GitLab rate-limits
// per user anyway. Pass WithHTTPClient to size it differently.
const defaultConnsPerHost = 16

// defaultTransport is http.DefaultTransport's configuration with
// defaultConnsPerHost connections per host.
func defaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 100
	t.MaxIdleConnsPerHost = defaultConnsPerHost
	t.MaxConnsPerHost = defaultConnsPerHost
	return t
}

// credentialHeaders are removed from a redirected request that leaves the
// base URL's origin.
var credentialHeaders = []string{"Private-Token", "Authorization", "Sudo"}

// checkRedirect follows redirects only for GET and HEAD, and sends
// credentials only to the base URL's host (an http→https upgrade on the
// same host keeps them). next is the wrapped client's own policy.
func (c *Client) checkRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if m := via[0].Method; m != http.MethodGet && m != http.MethodHead {
			return http.ErrUseLastResponse // the 3xx becomes an *ErrorResponse naming Location
		}
		if !c.trustedHost(req.URL) {
			for _, h := range credentialHeaders {
				req.Header.Del(h)
			}
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}

// trustedHost reports whether u may receive the client's credentials:
// same scheme and host:port as the base URL, or an https URL on the same
// host name as an http base URL.
func (c *Client) trustedHost(u *url.URL) bool {
	if u.Scheme == c.base.Scheme && strings.EqualFold(u.Host, c.base.Host) {
		return true
	}
	return c.base.Scheme == "http" && u.Scheme == "https" && strings.EqualFold(u.Hostname(), c.base.Hostname())
}

// attemptKey is the context key under which retryablehttp's hooks find
// the request's attemptState.
type attemptKey struct{}

// attemptState is one request's retry state. It is also the request's
// context (the caller's, plus itself under attemptKey), so carrying it
// costs no extra allocation.
type attemptState struct {
	context.Context
	method     string
	url        *url.URL
	idempotent bool
	attempt    int // 1-based
	start      time.Time
}

// Value returns the state itself for attemptKey and defers to the
// caller's context otherwise.
func (s *attemptState) Value(key any) any {
	if key == (attemptKey{}) {
		return s
	}
	return s.Context.Value(key)
}

// path is the request URL for logs, secrets redacted.
func (s *attemptState) path() string { return redactURL(s.url) }

func startAttempt(_ retryablehttp.Logger, req *http.Request, i int) {
	if st, ok := req.Context().Value(attemptKey{}).(*attemptState); ok {
		st.attempt = i + 1
		st.start = time.Now()
	}
}

// send builds and sends one request with retries, turns a non-2xx answer
// into an *ErrorResponse, and decodes a 2xx answer into out (a pointer)
// unless out is nil or the answer is 304 Not Modified. The body is
// always drained (bounded) and closed.
func (c *Client) send(ctx context.Context, method string, ep endpoint, rawURL string, opt any, opts []RequestOption, out any) (*Response, error) {
	if ctx == nil {
		return nil, invalidArg("nil context")
	}
	st := &attemptState{Context: ctx, method: method, idempotent: ep.idempotent}
	req, body, err := c.newRequest(st, method, ep, rawURL, opt, opts)
	if err != nil {
		return nil, err
	}
	st.url = req.URL
	rreq, err := retryablehttp.FromRequest(req)
	if err == nil && body != nil {
		err = rreq.SetBody(body)
	}
	if err != nil {
		return nil, err
	}
	resp, err := c.rc.Do(rreq)
	if err != nil {
		if resp != nil {
			drainClose(resp.Body)
		}
		return nil, c.transportError(method, req.URL, err)
	}
	// A custom RoundTripper may leave these unset; the code below relies
	// on them.
	if resp.Request == nil {
		resp.Request = req
	}
	if resp.Body == nil {
		resp.Body = http.NoBody
	}
	defer drainClose(resp.Body)
	r := newResponse(resp)
	switch {
	case resp.StatusCode == http.StatusNotModified:
		return r, nil
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		if out != nil {
			if err := decodeJSON(resp, out); err != nil {
				return r, redactErr(err, c.token)
			}
		}
		return r, nil
	}
	return r, c.newErrorResponse(resp)
}

// transportError reports a request that got no HTTP answer, without the
// URL's secrets and keeping the cause for errors.Is and errors.As.
func (c *Client) transportError(method string, u *url.URL, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return redactErr(fmt.Errorf("gitlab: %s %s: %w", method, redactURL(u), err), c.token)
}

// readBuf is a pooled buffer for response bodies, with its own limit
// reader so that reading allocates nothing once the pool is warm.
type readBuf struct {
	bytes.Buffer
	lr io.LimitedReader
}

var readBufs = sync.Pool{New: func() any { return new(readBuf) }}

// decodeJSON reads a 2xx body (bounded) and decodes it into v. An empty
// body, a literal null or anything that is not JSON wraps
// ErrUnexpectedResponse.
func decodeJSON(r *http.Response, v any) error {
	rb := readBufs.Get().(*readBuf)
	defer func() {
		rb.lr.R = nil
		if rb.Cap() <= 1<<20 { // don't keep rare huge buffers alive
			rb.Reset()
			readBufs.Put(rb)
		}
	}()
	rb.Reset()
	rb.lr = io.LimitedReader{R: r.Body, N: maxSuccessBody + 1}
	if _, err := rb.ReadFrom(&rb.lr); err != nil {
		return fmt.Errorf("gitlab: %s %s: reading response: %w", r.Request.Method, redactURL(r.Request.URL), err)
	}
	b := rb.Bytes()
	if len(b) > maxSuccessBody {
		return unexpected(r, "body larger than %d bytes", maxSuccessBody)
	}
	t := bytes.TrimSpace(b)
	if len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return unexpected(r, "%v where a JSON value was expected", errBodyEmpty)
	}
	if err := jsonUnmarshal(t, v); err != nil {
		return unexpected(r, "cannot decode the body as %T (Content-Type %q): %v", v, r.Header.Get("Content-Type"), err)
	}
	return nil
}

func unexpected(r *http.Response, format string, args ...any) error {
	return fmt.Errorf("%w: %s %s: status %d: %s", ErrUnexpectedResponse, r.Request.Method, redactURL(r.Request.URL), r.StatusCode, fmt.Sprintf(format, args...))
}

// drainClose reads what is left of a body, up to a bound, so the
// connection can be reused, then closes it.
func drainClose(body io.ReadCloser) {
	if body == nil {
		return
	}
	rb := readBufs.Get().(*readBuf)
	rb.lr = io.LimitedReader{R: body, N: 256 << 10}
	_, _ = io.Copy(io.Discard, &rb.lr)
	rb.lr.R = nil
	readBufs.Put(rb)
	_ = body.Close()
}

// neverSent reports whether err proves the request never reached the
// server (it failed while connecting), so even a POST may be resent.
func neverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}
