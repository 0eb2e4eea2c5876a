package gitlab

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
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
	// GitLab's largest user answers are pages of 100 items; even 100
	// GPG keys with their signatures stay well under it.
	maxSuccessBody = 16 << 20
)

// Client talks to one GitLab instance with one credential. It is safe for
// concurrent use by many goroutines; create it once and share it.
type Client struct {
	// baseURL is the API root, always ending in "/api/v4/".
	baseURL string
	base    *url.URL
	// secrets are the forms of the token to keep out of errors and logs.
	// It and authValue are behind pointers: fmt prints a pointer met
	// below the top level as an address, so that even a caller's
	// unexported *Client field printed with %s (which calls no method
	// of the client) does not show the token.
	secrets *secrets
	// The headers sent with every request.
	authKey   string // canonical header name; "" for anonymous clients
	authValue Secret
	userAgent string
	// httpClient is the caller's client (or a default one) with this
	// client's redirect policy.
	httpClient *http.Client

	retryMax        int
	retryWaitMin    time.Duration
	retryWaitMax    time.Duration
	logger          *slog.Logger
	pageConcurrency int
	// retriers keeps the state of a request on its way through
	// go-retryablehttp between requests (see sendWithRetries).
	retriers sync.Pool

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
	// CustomAttributes reads and writes users' custom attributes.
	CustomAttributes *CustomAttributesService
	// PersonalAccessTokens lists, creates, rotates and revokes personal
	// access tokens.
	PersonalAccessTokens *PersonalAccessTokensService
	// ServiceAccounts manages instance, group and project service
	// accounts and their tokens.
	ServiceAccounts *ServiceAccountsService
	// Members manages the members of groups and projects, seats and
	// pending members.
	Members *MembersService
	// Invitations invites people to groups and projects by email.
	Invitations *InvitationsService
	// AccessRequests manages requests to join groups and projects.
	AccessRequests *AccessRequestsService
	// DeployKeys lists the deploy keys of a user's projects and, for
	// administrators, of the whole instance.
	DeployKeys *DeployKeysService
	// AccessTokens manages group and project access tokens.
	AccessTokens *AccessTokensService
	// TokenInformation identifies and revokes any token by its secret
	// (administrators).
	TokenInformation *TokenInformationService
	// EnterpriseUsers manages the users a top-level group claimed
	// (GitLab.com).
	EnterpriseUsers *EnterpriseUsersService
	// SAMLIdentities manages the SAML identities of a top-level group.
	SAMLIdentities *SAMLIdentitiesService
	// SCIMIdentities manages the SCIM identities of a group.
	SCIMIdentities *SCIMIdentitiesService
	// GroupUsers lists a group's SAML users and provisioned users.
	GroupUsers *GroupUsersService
	// SAMLGroupLinks manages which SAML groups give which role in a
	// group.
	SAMLGroupLinks *SAMLGroupLinksService
	// LDAPGroupLinks manages which LDAP groups give which role in a
	// group, and starts a group's LDAP synchronization.
	LDAPGroupLinks *LDAPGroupLinksService
	// AuditEvents reads the audit events of the instance, a group or a
	// project.
	AuditEvents *AuditEventsService
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
	pacing          bool
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

// WithLogger logs each attempt at debug level (method, url, attempt,
// duration, and status or error) and each retry at warn level with its
// reason and wait. The token is never logged, and the url is redacted as
// error texts are. By default the client logs nothing.
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
		retryMax:     cfg.retryMax,
		retryWaitMin: cfg.retryWaitMin,
		retryWaitMax: cfg.retryWaitMax,
		logger:       cfg.logger,

		pageConcurrency: cmp.Or(cfg.pageConcurrency, defaultPageConcurrency),
	}
	forms := newSecrets(token)
	c.secrets = &forms
	if token != "" {
		c.authKey, c.authValue = http.CanonicalHeaderKey(authHeader), NewSecret(authValue)
	}
	c.userAgent = cfg.userAgent

	var hc http.Client
	if cfg.httpClient != nil {
		hc = *cfg.httpClient // a copy: the caller's client is never modified
	} else {
		hc.Transport = defaultTransport()
	}
	if cfg.pacing {
		hc.Transport = newPacer(cmp.Or[http.RoundTripper](hc.Transport, http.DefaultTransport), cfg.retryWaitMax)
	}
	hc.CheckRedirect = c.checkRedirect(hc.CheckRedirect)
	c.httpClient = &hc
	c.retriers.New = c.newAttempts

	c.common.client = c
	c.Users = (*UsersService)(&c.common)
	c.SSHKeys = (*SSHKeysService)(&c.common)
	c.GPGKeys = (*GPGKeysService)(&c.common)
	c.Emails = (*EmailsService)(&c.common)
	c.Status = (*StatusService)(&c.common)
	c.Follows = (*FollowsService)(&c.common)
	c.ImpersonationTokens = (*ImpersonationTokensService)(&c.common)
	c.CustomAttributes = (*CustomAttributesService)(&c.common)
	c.PersonalAccessTokens = (*PersonalAccessTokensService)(&c.common)
	c.ServiceAccounts = (*ServiceAccountsService)(&c.common)
	c.Members = (*MembersService)(&c.common)
	c.Invitations = (*InvitationsService)(&c.common)
	c.AccessRequests = (*AccessRequestsService)(&c.common)
	c.DeployKeys = (*DeployKeysService)(&c.common)
	c.AccessTokens = (*AccessTokensService)(&c.common)
	c.SAMLIdentities = (*SAMLIdentitiesService)(&c.common)
	c.SCIMIdentities = (*SCIMIdentitiesService)(&c.common)
	c.GroupUsers = (*GroupUsersService)(&c.common)
	c.TokenInformation = (*TokenInformationService)(&c.common)
	c.EnterpriseUsers = (*EnterpriseUsersService)(&c.common)
	c.SAMLGroupLinks = (*SAMLGroupLinksService)(&c.common)
	c.LDAPGroupLinks = (*LDAPGroupLinksService)(&c.common)
	c.AuditEvents = (*AuditEventsService)(&c.common)
	return c, nil
}

// BaseURL returns the API root the client sends requests to, ending in
// "/api/v4/".
func (c *Client) BaseURL() string { return c.baseURL }

// String describes the client without its token, e.g.
// "gitlab.Client{https://gitlab.com/api/v4/ Private-Token: REDACTED}".
func (c *Client) String() string {
	if c == nil {
		return "<nil>"
	}
	return "gitlab.Client{" + c.baseURL + " " + c.authShown() + "}"
}

// authShown names the credential header without its value.
func (c *Client) authShown() string {
	if c.authKey == "" {
		return "anonymous"
	}
	return c.authKey + ": REDACTED"
}

// Format implements fmt.Formatter, so that no verb prints the client's
// fields and with them its token: %v, %+v and %s show String, %#v a
// Go-like form with the same two facts.
func (c *Client) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		if c == nil {
			fmt.Fprint(f, "(*gitlab.Client)(nil)")
			return
		}
		fmt.Fprintf(f, "&gitlab.Client{baseURL:%q, auth:%q}", c.baseURL, c.authShown())
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), c.String())
}

// LogValue implements slog.LogValuer: a logged client shows its base URL
// and the name of its credential header, never the token.
func (c *Client) LogValue() slog.Value {
	if c == nil {
		return slog.AnyValue(nil)
	}
	return slog.GroupValue(slog.String("base_url", c.baseURL), slog.String("auth", c.authShown()))
}

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

// defaultResponseHeaderTimeout bounds the wait for an answer's headers
// once a request is sent. GitLab's own request timeout is 60 s
// (Puma's worker timeout); two minutes leaves a proxy room.
const defaultResponseHeaderTimeout = 2 * time.Minute

// defaultTransport is http.DefaultTransport's configuration (30 s to
// dial, 10 s for the TLS handshake) with defaultConnsPerHost connections
// per host and a bound on the wait for response headers. Nothing bounds
// reading a body: a deadline for the whole call is the caller's ctx.
func defaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 100
	t.MaxIdleConnsPerHost = defaultConnsPerHost
	t.MaxConnsPerHost = defaultConnsPerHost
	t.ResponseHeaderTimeout = defaultResponseHeaderTimeout
	return t
}

// offHostHeaders are removed from a redirected request that leaves the
// base URL's origin: the credentials, and Sudo, which names whom they act as.
var offHostHeaders = append([]string{"Sudo"}, credentialHeaders...)

// checkRedirect follows redirects only for GET and HEAD, and sends
// credentials only to the base URL's host (an http→https upgrade on the
// same host keeps them). next is the wrapped client's own policy. An
// error of the policy is a *redirectError, which is never retried.
func (c *Client) checkRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if m := via[0].Method; m != http.MethodGet && m != http.MethodHead {
			return http.ErrUseLastResponse // the 3xx becomes an *ErrorResponse naming Location
		}
		if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
			return &redirectError{fmt.Errorf("redirect to unsupported scheme %q", req.URL.Scheme)}
		}
		if !c.trustedHost(req.URL) {
			// By any spelling of the key: a map index can set a
			// non-canonical one, which Header.Del would not find.
			for k := range req.Header {
				if slices.ContainsFunc(offHostHeaders, func(h string) bool { return strings.EqualFold(h, k) }) {
					delete(req.Header, k)
				}
			}
		}
		if len(via) >= 10 { // whatever the caller's own policy says
			return &redirectError{errors.New("stopped after 10 redirects")}
		}
		if next == nil {
			return nil
		}
		if err := next(req, via); err != nil && err != http.ErrUseLastResponse {
			return &redirectError{err}
		} else if err != nil {
			return err
		}
		return nil
	}
}

// redirectError is the redirect policy's refusal to follow a redirect.
type redirectError struct{ err error }

func (e *redirectError) Error() string { return e.err.Error() }
func (e *redirectError) Unwrap() error { return e.err }

// trustedHost reports whether u may receive the client's credentials:
// same scheme and host:port as the base URL, or an https URL on the same
// host name as an http base URL.
func (c *Client) trustedHost(u *url.URL) bool {
	if u.Scheme == c.base.Scheme && strings.EqualFold(u.Host, c.base.Host) {
		return true
	}
	return c.base.Scheme == "http" && u.Scheme == "https" && strings.EqualFold(u.Hostname(), c.base.Hostname())
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}
