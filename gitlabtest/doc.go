// Package gitlabtest runs a stateful, in-memory GitLab that serves the
// Users REST API (v4) over real HTTP, for tests of code that automates
// GitLab users and for trying the SDK without a GitLab instance.
//
// A Server is an httptest server holding its own store: users, SSH and GPG
// keys, emails, statuses, follows, memberships, custom attributes,
// preferences, avatars (served at the avatar_url it hands out), support
// PINs, personal and impersonation tokens, service accounts, and minimal
// groups and projects that hold them. It answers with GitLab's status codes, error
// bodies, entity shapes, visibility rules and pagination headers, as
// described by GitLab's source code (not by its older documentation).
// Every server is independent, so parallel tests may each start their
// own.
//
//	s := gitlabtest.NewServer()
//	defer s.Close()
//	id, token := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
//	client := s.Client() // the administrator
//	// ... run the code under test against s.URL ...
//	u, _ := s.User(id)
//	if u.State != gitlabtest.StateBlocked { t.Fatal("jane is not blocked") }
//
// The server speaks JSON over HTTP with its own model and does not use
// the SDK's types, so the SDK's contract tests against it check both
// sides. Only Server.Client imports the SDK.
//
// Every request is authenticated the way GitLab does it: a PRIVATE-TOKEN
// header, an "Authorization: Bearer" header or a private_token query
// parameter. The administrator's token (AdminToken) may act as another
// user with the Sudo header. Tokens made by CreateUser, CreatePersonalToken
// or the impersonation-token endpoints authenticate as their user until
// they are revoked or expire.
//
// Resilience testing: WithLatency delays every answer, WithRateLimit
// answers 429 with Retry-After beyond a request budget, and WithFaults
// fails a deterministic share of requests (500, 502, 503 or a dropped
// connection), including a kind that drops the connection after the write
// was applied. Counters (RequestCount, RouteCount, FaultCount, ...) tell a
// test how many requests arrived.
//
// # The path of one request
//
// GitLab's rules live in a domain layer, internal/model, that knows no
// HTTP: its Store holds the state and has one operation per thing a
// user can do (block a user, create or rotate a token, add a key ...),
// returning a *model.Error when GitLab refuses. The files of this
// package only translate (ARCHITECTURE.md at the repository's root has
// the whole picture). A request crosses them in this order:
//
//   - server.go: serveHTTP matches the route (router.go, match), counts
//     the request under its route, then applies the latency, the rate
//     limit and the faults of the options.
//   - router.go: answerFor answers a request that matched no route (404,
//     or 410 under /api/v3), reads the query and the body (parseParams),
//     locks the store, authenticates the token and Sudo (authenticate,
//     with the model's Authenticate, CheckAccess and Sudo), runs the
//     route's group check (routes.go: 401 where GitLab's resource
//     requires a user) and calls the route's handler. GET routes run
//     under the read lock, many at once, so their handlers must call
//     only operations that read; a request that must record something
//     (its token's use, which GitLab updates at most every 10 minutes or
//     for a new address; its user's activity, daily; the reuse of a
//     revoked token) runs again under the write lock, as every other
//     method does.
//   - routes.go: routeTable names the handler of each route and says the
//     order in which every endpoint checks a request, as GitLab does.
//   - h_users.go, h_user_moderation.go, h_keys.go, h_gpg_keys.go,
//     h_emails.go, h_status.go, h_follow.go, h_impersonation.go,
//     h_custom_attributes.go, h_personal_access_tokens.go,
//     h_service_accounts.go (one per SDK file): the handler validates
//     its parameters as Grape does (params.go, pagination.go), checks
//     the caller and finds the user and the resource (params.go: owner,
//     pathUser, pathOwned), and calls the model.
//   - errors.go and render.go: the handler renders the model's answer as
//     GitLab's entity (obj, written by appendJSON without reflection),
//     or its refusal with GitLab's status and body (refusal), and
//     returns one answer (status, headers, body); answerFor hands it
//     back to serveHTTP, which writes it after the store is unlocked.
package gitlabtest
