package gitlabtest

import (
	"net"
	"time"

	"github.com/gitlabusers/gitlab"
)

// Option configures a Server, in NewServer or Configure.
type Option func(*config)

type config struct {
	latency time.Duration

	rateN      int
	rateWindow time.Duration
	retryAfter time.Duration

	faultRate  float64
	faultSeed  int64
	faultKinds []FaultKind

	clock      func() time.Time
	adminToken gitlab.Secret // behind a pointer, so that no print of a Server shows it
	// ownerServiceAccounts is the application setting
	// allow_top_level_group_owners_to_create_service_accounts.
	ownerServiceAccounts bool
	// userCap is WithUserCap.
	userCap  int
	listener net.Listener
	version  string
	// resetRoute is WithResetRoute, and resetSetup its setup.
	resetRoute bool
	resetSetup func(*Server) error
	// gitlabCom is WithGitLabCom.
	gitlabCom bool
	// ownerServiceAccountsSet says WithOwnerServiceAccounts was given;
	// otherwise the offering decides (on for GitLab.com).
	ownerServiceAccountsSet bool
}

// FaultKind is a way WithFaults makes a request fail.
type FaultKind int

// Fault kinds. The "before" kinds answer without handling the request, so
// a write they hit is NOT applied: a client may retry it safely. The
// "AfterApply" kinds handle the request first (the write IS applied, the
// counters and the store show it) and then fail, the ambiguous failure a
// client sees when a proxy times out or a connection breaks after GitLab
// committed a POST.
const (
	// FaultStatus500 answers 500 {"message":"500 Internal Server Error"}
	// before handling: the write is not applied.
	FaultStatus500 FaultKind = iota + 1
	// FaultStatus502 answers 502 with an HTML body, as a proxy in front
	// of GitLab does, before handling: the write is not applied.
	FaultStatus502
	// FaultStatus503 answers 503 with an HTML body before handling: the
	// write is not applied.
	FaultStatus503
	// FaultDrop closes the connection without an answer before handling:
	// the write is not applied.
	FaultDrop
	// FaultDropAfterApply handles the request (the write IS applied),
	// then closes the connection without an answer.
	FaultDropAfterApply
	// FaultStatus502AfterApply handles the request (the write IS
	// applied), then answers 502 with an HTML body instead of its result.
	FaultStatus502AfterApply
)

// String returns the kind's constant name.
func (k FaultKind) String() string {
	switch k {
	case FaultStatus500:
		return "FaultStatus500"
	case FaultStatus502:
		return "FaultStatus502"
	case FaultStatus503:
		return "FaultStatus503"
	case FaultDrop:
		return "FaultDrop"
	case FaultDropAfterApply:
		return "FaultDropAfterApply"
	case FaultStatus502AfterApply:
		return "FaultStatus502AfterApply"
	}
	return "FaultKind(?)"
}

// Applied reports whether a request hit by this kind of fault was
// handled (its write applied) before failing.
func (k FaultKind) Applied() bool {
	return k == FaultDropAfterApply || k == FaultStatus502AfterApply
}

// WithLatency delays every answer by d (a request whose context ends
// first is dropped without an answer). The delay comes before the rate
// limit and the faults.
func WithLatency(d time.Duration) Option {
	return func(c *config) { c.latency = d }
}

// WithRateLimit answers 429 to requests beyond n in each fixed window of
// the given length, counting every request to the server (whoever sends
// it), like GitLab's application rate limiter: status 429, a Retry-After
// header and the body
// {"message":{"error":"This endpoint has been requested too many times. Try again later."}}.
// Retry-After is retryAfter rounded up to whole seconds (at least 1), or,
// when retryAfter is zero, the time left in the window. Every answer
// carries GitLab's RateLimit-Name, RateLimit-Limit (per minute),
// RateLimit-Observed, RateLimit-Remaining and RateLimit-Reset headers, and
// a 429 RateLimit-ResetTime too, as GitLab sends them with its
// rate_limiting_headers_for_unthrottled_requests feature: a client can
// pace itself (gitlab.WithRateLimitPacing). A window starts on a whole
// second. n <= 0 turns the limit off.
func WithRateLimit(n int, window, retryAfter time.Duration) Option {
	return func(c *config) {
		c.rateN, c.rateWindow, c.retryAfter = n, window, retryAfter
	}
}

// WithFaults makes a share rate (0 to 1) of requests fail with one of
// kinds (all the "before" kinds when none are given: FaultStatus500,
// FaultStatus502, FaultStatus503, FaultDrop). The choices come from a
// generator seeded with seed: the n-th request to reach the fault stage
// gets the n-th draw, so a sequential test sees the same faults on every
// run. Rate-limited requests do not reach the fault stage. rate <= 0
// turns faults off. FaultCount reports how many were injected.
func WithFaults(rate float64, seed int64, kinds ...FaultKind) Option {
	return func(c *config) {
		c.faultRate, c.faultSeed = rate, seed
		if len(kinds) == 0 {
			kinds = []FaultKind{FaultStatus500, FaultStatus502, FaultStatus503, FaultDrop}
		}
		c.faultKinds = append([]FaultKind(nil), kinds...)
	}
}

// WithClock makes the server read the time from now instead of the
// system clock: creation times, token expiry, status expiry, activity
// dates and date defaults all follow it.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.clock = now }
}

// WithAdminToken sets the administrator's token instead of a random one
// (only in NewServer).
func WithAdminToken(token string) Option {
	return func(c *config) { c.adminToken = gitlab.NewSecret(token) }
}

// WithListener serves on l instead of a new loopback listener (only in
// NewServer), e.g. to use a fixed address. The server closes l.
func WithListener(l net.Listener) Option {
	return func(c *config) { c.listener = l }
}

// WithUserCap sets a user cap of n seats on every top-level group (EE's
// new_user_signups_cap; 0, the default, for none): a member added
// through the API or an invitation who would take a seat beyond it is
// added awaiting approval (membership_state "awaiting", listed by GET
// /groups/:id/pending_members), until an Owner approves them.
func WithUserCap(n int) Option {
	return func(c *config) { c.userCap = n }
}

// WithOwnerServiceAccounts sets GitLab's application setting
// allow_top_level_group_owners_to_create_service_accounts: when on, a
// group's Owners may create and delete the group's service accounts;
// when off (GitLab's default on self-managed instances, and the fake's)
// only administrators may, and an Owner's create answers 400 and an
// Owner's delete answers 204 without deleting. Without this option the
// offering decides: on with WithGitLabCom, where GitLab turned it on
// (https://gitlab.com/gitlab-org/gitlab/-/merge_requests/163726), off
// otherwise.
func WithOwnerServiceAccounts(on bool) Option {
	return func(c *config) { c.ownerServiceAccounts, c.ownerServiceAccountsSet = on, true }
}

// WithVersion makes GET /version and GET /metadata report version
// instead of GitLabVersion, e.g. to test a client against an older
// GitLab ("17.11.3-ee"). As on GitLab, a version ending in "-ee" is an
// Enterprise Edition ("enterprise": true); the endpoints and their
// answers do not change otherwise.
func WithVersion(version string) Option {
	return func(c *config) { c.version = version }
}

// WithGitLabCom makes the server answer as GitLab.com does
// (Gitlab.com? in GitLab's code) instead of as a self-managed instance,
// the default: the endpoints GitLab serves on one offering only, or
// whose rules differ between them, answer as GitLab does on the chosen
// one:
//
//   - Enterprise users (/groups/:id/enterprise_users, GitLab.com only):
//     only GitLab.com claims users for a group, so a self-managed server
//     serves none of the claims seeded with ClaimEnterpriseUser: the
//     list is empty and every other route answers 404 "404 Not found".
//   - Group service accounts: GitLab.com lets a top-level group's
//     Owners create and delete them (the application setting
//     allow_top_level_group_owners_to_create_service_accounts is on
//     there); a self-managed instance only its administrators, unless
//     WithOwnerServiceAccounts says otherwise.
//
// Everything else answers alike on both offerings, as GitLab's code
// does: for example the SAML and SCIM identity routes depend only on
// the group's data, and the administrators' routes (instance service
// accounts, token information, all deploy keys) need an administrator
// on either.
func WithGitLabCom() Option {
	return func(c *config) { c.gitlabCom = true }
}

// WithResetRoute serves, beside GitLab's API, the route a test in any
// language calls between tests: POST /-/gitlabfake/reset with the
// administrator's token (AdminToken, in a PRIVATE-TOKEN header) runs
// Reset(setup) and answers 204 No Content, or 500 with setup's error as
// {"message": ...}. A missing or wrong token gets 401
// {"message":"401 Unauthorized"}; any other request under /-/gitlabfake/
// gets 404. Without this option (the default) the server serves GitLab's
// routes only, and these paths get GitLab's 404 too. The route is no
// part of the API: it is not counted, delayed, rate-limited or faulted.
func WithResetRoute(setup func(*Server) error) Option {
	return func(c *config) { c.resetRoute, c.resetSetup = true, setup }
}
