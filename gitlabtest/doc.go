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
// A test may also seed from a JSON file, the format cmd/gitlabfake loads
// with -seed (LoadSeed), and start again from a clean state between
// tests (Reset, and WithResetRoute for clients in other languages).
// GET /version and GET /metadata report GitLabVersion (or WithVersion's),
// as many clients read them first; POST /user/runners takes EE's
// token_expires_at and token_rotation_deadline.
//
// Group and project members are served as GitLab computes them (members,
// members/all, invitations, access requests, and EE's billable and
// pending members, member state and LDAP override): a member's level
// reaches subgroups and projects (the highest wins), a group shared with
// another lets its members in at most at the share's level, and a
// membership counts for nothing from its expiry day on, by the server's
// clock (WithClock). WithUserCap makes new members wait for approval.
// Seed them with AddMember, ShareGroup and
// ShareProject; read them back with Members, Invitations and
// AccessRequests; AcceptInvitation does what a person signing up does.
//
// The server answers as a self-managed instance unless WithGitLabCom
// makes it answer as GitLab.com, which serves the enterprise users
// (seeded with ClaimEnterpriseUser and VerifyGroupDomain) a top-level
// group's Owners manage.
//
// Deploy keys (AddDeployKey, DeployKeys) are listed per user and for
// administrators. Contribution events are recorded where GitLab records
// them for what the fake models (a user joining, leaving or expiring
// from a project, a project created through the API; seeding records
// none) and served with GitLab's filters and visibility; AddEvent seeds
// the other kinds, Events reads them back. GET /avatar answers the
// avatar URL of an email.
//
// The server speaks JSON over HTTP with its own model and does not use
// the SDK's types, so the SDK's contract tests against it check both
// sides. Only Server.Client imports the SDK.
//
// Every request is authenticated the way GitLab does it: a PRIVATE-TOKEN
// header, an "Authorization: Bearer" header or a private_token query
// parameter. The administrator's token (AdminToken) may act as another
// user with the Sudo header. Every other token, seeded (CreateUser,
// CreateServiceAccount, CreatePersonalToken, CreateToken) or made
// through the API, authenticates as its user until it is revoked or
// expires; the seeded tokens of CreateUser, CreateServiceAccount and
// CreatePersonalToken never expire.
//
// Resilience testing: WithLatency delays every answer, WithRateLimit
// answers 429 with Retry-After beyond a request budget, and WithFaults
// fails a deterministic share of requests (500, 502, 503 or a dropped
// connection), including a kind that drops the connection after the write
// was applied. Counters (RequestCount, RouteCount, FaultCount, ...) tell a
// test how many requests arrived.
package gitlabtest
