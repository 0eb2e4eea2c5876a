package gitlabtest

import (
	"cmp"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"math"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// Server is an in-memory GitLab serving the Users API on a local
// httptest server. Create it with NewServer and Close it when done. All
// methods are safe for concurrent use, also while requests are served.
type Server struct {
	// URL is the server's root, e.g. "http://127.0.0.1:41234", as in
	// httptest.Server. The API lives under URL + "/api/v4".
	URL string

	ts *httptest.Server
	// adminToken is a gitlab.Secret: a Secret keeps its value behind a
	// pointer, which fmt prints as an address below the top level, so
	// not even a caller's unexported *Server field printed with %s
	// shows it. Format and LogValue cover the rest.
	adminToken gitlab.Secret
	routes     []*route
	// scanLists makes GET /users filter and sort every user, without the
	// store's ID order: the reference its tests compare the index with.
	scanLists bool

	// mu guards st: held for reading by requests of read-only routes and
	// by the snapshot methods, for writing by everything else.
	mu sync.RWMutex
	st *model.Store

	cfgMu sync.Mutex // guards cfg and the rate-limit and fault state
	cfg   config
	// hot is what every request reads of cfg, published by publish under
	// cfgMu, so that requests take cfgMu only for a rate limit or faults.
	hot atomic.Pointer[hotConfig]
	rng *mrand.Rand
	// rate limit: a fixed window starting at winStart
	winStart time.Time
	winCount int

	// The request counters are atomics, so that concurrent requests do
	// not queue for them; statsMu guards the fault counters.
	total       atomic.Int64
	byRoute     sync.Map // "METHOD /pattern" -> *atomic.Int64
	rateLimited atomic.Int64
	statsMu     sync.Mutex
	faults      int
	faultKinds  map[FaultKind]int
	reqSeq      atomic.Int64
}

// hotConfig is the part of the configuration every request reads.
type hotConfig struct {
	clock           func() time.Time
	latency         time.Duration
	rateOn, faultOn bool
	version         string
	resetRoute      bool
	resetSetup      func(*Server) error
}

// publish makes cfg's current values visible to requests; cfgMu must be
// held (or the server not yet started).
func (s *Server) publish() {
	s.hot.Store(&hotConfig{clock: s.cfg.clock, latency: s.cfg.latency, rateOn: s.cfg.rateN > 0,
		faultOn: s.cfg.faultRate > 0 && len(s.cfg.faultKinds) > 0, version: cmp.Or(s.cfg.version, GitLabVersion),
		resetRoute: s.cfg.resetRoute, resetSetup: s.cfg.resetSetup})
}

// NewServer starts a server. It is seeded with one administrator, "root"
// (ID 1), whose token AdminToken returns; options add behaviour.
func NewServer(opts ...Option) *Server {
	s := &Server{faultKinds: map[FaultKind]int{}}
	for _, o := range opts {
		o(&s.cfg)
	}
	s.publish()
	s.rng = mrand.New(mrand.NewPCG(uint64(s.cfg.faultSeed), 0x6769746c6162))
	s.adminToken = s.cfg.adminToken
	if s.adminToken.IsZero() {
		s.adminToken = gitlab.NewSecret("glpat-admin-" + model.RandomHex(10))
	}
	s.routes = buildRoutes()
	s.st = s.newStore()
	s.ts = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	if s.cfg.listener != nil {
		s.ts.Listener.Close()
		s.ts.Listener = s.cfg.listener
	}
	s.ts.Start()
	s.URL = s.ts.URL
	return s
}

// newStore returns the store a server starts with: the administrator
// root (ID 1) and its token AdminToken.
func (s *Server) newStore() *model.Store {
	st := model.NewStore()
	root := addUser(st, UserSpec{Username: "root", Name: "Administrator", Email: "admin@example.com", Admin: true}, s.now())
	st.AddToken(root.ID, "admin", seedScopes(true), false, nil, s.adminToken.Value(), s.now())
	return st
}

// Reset puts the server back into the state NewServer left it in, root
// (ID 1) with AdminToken and nothing else, IDs counting from there
// again, and then runs setup (if not nil) to seed it again, as a test
// did after NewServer. setup gets a server of its own that serves no
// requests and reads this one's clock: it may call the seeding methods
// (LoadSeed, CreateUser, GenerateUsers, ...) and nothing that sends
// requests. Only when setup returns nil does the new state replace the
// old one, at once: a request sees the old state or the new one, never
// a part of either. setup's error is returned and the old state kept.
// The options and the request counters stay as they are.
func (s *Server) Reset(setup func(*Server) error) error {
	fresh := &Server{URL: s.URL, adminToken: s.adminToken}
	fresh.hot.Store(s.hot.Load())
	fresh.st = fresh.newStore()
	if setup != nil {
		if err := setup(fresh); err != nil {
			return err
		}
	}
	s.mu.Lock()
	s.st = fresh.st
	s.mu.Unlock()
	return nil
}

// Close shuts the server down and blocks until all requests are done.
func (s *Server) Close() { s.ts.Close() }

// AdminToken returns the personal access token of the administrator
// "root" (ID 1). It has every scope, including sudo.
func (s *Server) AdminToken() string { return s.adminToken.Value() }

// String describes the server by its URL, without its administrator's
// token: "gitlabtest.Server{http://127.0.0.1:41234}".
func (s *Server) String() string {
	if s == nil {
		return "<nil>"
	}
	return "gitlabtest.Server{" + s.URL + "}"
}

// Format implements fmt.Formatter, so that no verb prints the server's
// fields: %v, %+v and %s show String, %#v a Go-like form of the URL.
func (s *Server) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		if s == nil {
			fmt.Fprint(f, "(*gitlabtest.Server)(nil)")
			return
		}
		fmt.Fprintf(f, "&gitlabtest.Server{URL:%q}", s.URL)
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), s.String())
}

// LogValue implements slog.LogValuer: a logged server shows its URL.
func (s *Server) LogValue() slog.Value {
	if s == nil {
		return slog.AnyValue(nil)
	}
	return slog.GroupValue(slog.String("url", s.URL))
}

// Client returns an SDK client for this server authenticated as the
// administrator. opts are applied after WithBaseURL(s.URL), so they can
// change retries, the HTTP client or the logger. It panics if the SDK
// rejects an option (it is a test helper).
func (s *Server) Client(opts ...gitlab.ClientOption) *gitlab.Client {
	c, err := gitlab.NewClient(s.adminToken.Value(), append([]gitlab.ClientOption{gitlab.WithBaseURL(s.URL)}, opts...)...)
	if err != nil {
		panic(fmt.Sprintf("gitlabtest: Client: %v", err))
	}
	return c
}

// ClientFor returns an SDK client authenticated with token (for example
// one returned by CreateUser). Like Client, it panics on a bad option.
func (s *Server) ClientFor(token string, opts ...gitlab.ClientOption) *gitlab.Client {
	c, err := gitlab.NewClient(token, append([]gitlab.ClientOption{gitlab.WithBaseURL(s.URL)}, opts...)...)
	if err != nil {
		panic(fmt.Sprintf("gitlabtest: ClientFor: %v", err))
	}
	return c
}

// Configure changes the server's resilience options (latency, rate limit,
// faults, clock) while it runs, e.g. to inject faults only after a test
// has seeded its data through the API. Options given to NewServer that
// are not repeated here are kept. WithAdminToken and WithListener have no
// effect here.
func (s *Server) Configure(opts ...Option) {
	s.cfgMu.Lock()
	defer s.cfgMu.Unlock()
	oldSeed := s.cfg.faultSeed
	for _, o := range opts {
		o(&s.cfg)
	}
	if s.cfg.faultSeed != oldSeed {
		s.rng = mrand.New(mrand.NewPCG(uint64(s.cfg.faultSeed), 0x6769746c6162))
	}
	s.winStart, s.winCount = time.Time{}, 0
	s.publish()
}

// now returns the server's clock reading.
func (s *Server) now() time.Time {
	f := s.hot.Load().clock
	if f == nil {
		return time.Now().UTC()
	}
	return f().UTC()
}

// cfgOwnersCreateServiceAccounts reads WithOwnerServiceAccounts, or
// without it the offering's default (WithGitLabCom).
func (s *Server) cfgOwnersCreateServiceAccounts() bool {
	s.cfgMu.Lock()
	defer s.cfgMu.Unlock()
	if !s.cfg.ownerServiceAccountsSet {
		return s.cfg.gitlabCom
	}
	return s.cfg.ownerServiceAccounts
}

// cfgUserCap reads WithUserCap.
func (s *Server) cfgUserCap() int {
	s.cfgMu.Lock()
	defer s.cfgMu.Unlock()
	return s.cfg.userCap
}

// cfgGitLabCom reads WithGitLabCom.
func (s *Server) cfgGitLabCom() bool {
	s.cfgMu.Lock()
	defer s.cfgMu.Unlock()
	return s.cfg.gitlabCom
}

// serveHTTP is the middleware chain: count, delay, rate limit, faults,
// then the API.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, avatarPath) {
		s.serveAvatar(w, r) // an upload, not the API: no counters, faults or limits
		return
	}
	if hot := s.hot.Load(); hot.resetRoute && strings.HasPrefix(r.URL.Path, controlPath) {
		s.serveControl(w, r, hot.resetSetup) // the fake's own route, not the API
		return
	}
	rt, vars, _ := s.match(r)
	key := r.Method + " " + unmatchedRoute
	if rt != nil {
		key = r.Method + " " + rt.pattern
	}
	s.total.Add(1)
	n, ok := s.byRoute.Load(key)
	if !ok {
		n, _ = s.byRoute.LoadOrStore(key, new(atomic.Int64))
	}
	n.(*atomic.Int64).Add(1)
	w.Header().Set("X-Request-Id", "fake-"+strconv.FormatInt(s.reqSeq.Add(1), 10))

	if latency := s.hot.Load().latency; latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}

	if retry, limited := s.rateLimit(w); limited {
		s.rateLimited.Add(1)
		w.Header().Set("Retry-After", strconv.Itoa(retry))
		reply(http.StatusTooManyRequests, msg(map[string]string{"error": "This endpoint has been requested too many times. Try again later."})).write(w)
		return
	}

	kind := s.drawFault()
	if kind != 0 {
		s.statsMu.Lock()
		s.faults++
		s.faultKinds[kind]++
		s.statsMu.Unlock()
	}
	switch kind {
	case FaultStatus500:
		reply(http.StatusInternalServerError, msg("500 Internal Server Error")).write(w)
		return
	case FaultStatus502, FaultStatus503:
		code := http.StatusBadGateway
		if kind == FaultStatus503 {
			code = http.StatusServiceUnavailable
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(code)
		fmt.Fprintf(w, "<html><body><h1>%d %s</h1></body></html>\n", code, http.StatusText(code))
		return
	case FaultDrop:
		dropConnection(w)
		return
	case FaultDropAfterApply, FaultStatus502AfterApply:
		s.answerFor(r, rt, vars) // applied, and its answer lost
		if kind == FaultDropAfterApply {
			dropConnection(w)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(w, "<html><body><h1>502 Bad Gateway</h1></body></html>\n")
		return
	}
	a := s.answerFor(r, rt, vars)
	a.write(w)
	a.release()
}

// controlPath is where WithResetRoute serves the fake's own routes.
const controlPath = "/-/gitlabfake/"

// serveControl answers a request under controlPath: POST reset with the
// administrator's token resets the server (204); a missing or wrong
// token is 401, and any other request 404.
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request, setup func(*Server) error) {
	a := reply(http.StatusNotFound, map[string]string{"error": "404 Not Found"})
	switch {
	case r.Method != http.MethodPost || r.URL.Path != controlPath+"reset":
	case subtle.ConstantTimeCompare([]byte(r.Header.Get("Private-Token")), []byte(s.adminToken.Value())) != 1:
		a = unauthorized()
	default:
		a = noBody(http.StatusNoContent)
		if err := s.Reset(setup); err != nil {
			a = reply(http.StatusInternalServerError, msg(err.Error()))
		}
	}
	a.write(w)
	a.release()
}

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		conn, _, err := hj.Hijack()
		if err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0) // reset, so the client sees the failure at once
			}
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// rateLimit counts a request against the fixed window and sets GitLab's
// RateLimit-* headers on w, as GitLab's Rack::Attack throttles do on every
// answer with the rate_limiting_headers_for_unthrottled_requests feature
// (https://docs.gitlab.com/administration/settings/user_and_ip_rate_limits/#response-headers).
// It reports whether the request is over the limit, with the
// Retry-After seconds. A window starts on a whole second, so that its
// reset is exact in RateLimit-Reset's Unix seconds.
func (s *Server) rateLimit(w http.ResponseWriter) (int, bool) {
	if !s.hot.Load().rateOn {
		return 0, false
	}
	s.cfgMu.Lock()
	defer s.cfgMu.Unlock()
	if s.cfg.rateN <= 0 {
		return 0, false
	}
	now := time.Now()
	if s.winStart.IsZero() || now.Sub(s.winStart) >= s.cfg.rateWindow {
		s.winStart, s.winCount = now.Truncate(time.Second), 0
	}
	s.winCount++
	reset := s.winStart.Add(s.cfg.rateWindow)
	h := w.Header()
	h.Set("RateLimit-Name", "throttle_authenticated_api")
	// GitLab normalises the limit to a 60-second period, rounding up.
	h.Set("RateLimit-Limit", strconv.Itoa(int(math.Ceil(float64(s.cfg.rateN)*float64(time.Minute)/float64(s.cfg.rateWindow)))))
	h.Set("RateLimit-Observed", strconv.Itoa(s.winCount))
	h.Set("RateLimit-Remaining", strconv.Itoa(max(s.cfg.rateN-s.winCount, 0)))
	h.Set("RateLimit-Reset", strconv.FormatInt(int64(math.Ceil(float64(reset.UnixNano())/1e9)), 10))
	if s.winCount <= s.cfg.rateN {
		return 0, false
	}
	h.Set("RateLimit-ResetTime", reset.UTC().Format(http.TimeFormat))
	ra := s.cfg.retryAfter
	if ra <= 0 {
		ra = reset.Sub(now)
	}
	secs := int((ra + time.Second - 1) / time.Second)
	return max(secs, 1), true
}

// drawFault decides, from the seeded generator, whether this request
// fails and how. It returns 0 for no fault.
func (s *Server) drawFault() FaultKind {
	if !s.hot.Load().faultOn {
		return 0
	}
	s.cfgMu.Lock()
	defer s.cfgMu.Unlock()
	if s.cfg.faultRate <= 0 || len(s.cfg.faultKinds) == 0 {
		return 0
	}
	p := s.rng.Float64()
	k := s.cfg.faultKinds[s.rng.IntN(len(s.cfg.faultKinds))]
	if p >= s.cfg.faultRate {
		return 0
	}
	return k
}

// RequestCount returns how many requests reached the server, including
// rate-limited, faulted and unrouted ones.
func (s *Server) RequestCount() int {
	return int(s.total.Load())
}

// RouteCount returns how many requests arrived for one route, given as
// a method and GitLab's route pattern relative to /api/v4, e.g.
// RouteCount("POST", "/users/:id/block") or RouteCount("GET", "/users").
// Patterns use :id for numeric user IDs, :user_id for an ID or username,
// and :key_id, :email_id, :token_id, :provider for the other parameters
// (see RequestCounts for the keys actually seen). Requests that matched
// no route are counted under the pattern "*".
func (s *Server) RouteCount(method, pattern string) int {
	if n, ok := s.byRoute.Load(method + " " + pattern); ok {
		return int(n.(*atomic.Int64).Load())
	}
	return 0
}

// RequestCounts returns a copy of the per-route counters, keyed
// "METHOD /pattern", e.g. "GET /users/:id".
func (s *Server) RequestCounts() map[string]int {
	m := map[string]int{}
	s.byRoute.Range(func(k, v any) bool {
		if n := int(v.(*atomic.Int64).Load()); n > 0 {
			m[k.(string)] = n
		}
		return true
	})
	return m
}

// FaultCount returns how many requests were answered by fault injection.
// With kinds, it counts only those kinds.
func (s *Server) FaultCount(kinds ...FaultKind) int {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	if len(kinds) == 0 {
		return s.faults
	}
	n := 0
	for _, k := range kinds {
		n += s.faultKinds[k]
	}
	return n
}

// RateLimitedCount returns how many requests were answered 429 by the
// rate limit of WithRateLimit.
func (s *Server) RateLimitedCount() int {
	return int(s.rateLimited.Load())
}

// ResetCounters sets every request, fault and rate-limit counter to zero.
func (s *Server) ResetCounters() {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.total.Store(0)
	s.rateLimited.Store(0)
	s.byRoute.Clear()
	s.faults = 0
	s.faultKinds = map[FaultKind]int{}
}
