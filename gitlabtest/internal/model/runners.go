package model

import (
	"slices"
	"time"
)

// Runners of POST /user/runners: lib/api/user_runners.rb and
// Ci::Runners::CreateRunnerService, with its EE additions
// (ee/app/services/ee/ci/runners/create_runner_service.rb). The fake
// checks who may create one, stores it and hands out its ID, token and
// token expiry; POST and DELETE /admin/token identify a runner by its
// token and reset that token (admin_token.go).

// The runner types of POST /user/runners.
const (
	RunnerInstance = "instance_type"
	RunnerGroup    = "group_type"
	RunnerProject  = "project_type"
)

// RunnerSpec is a runner to create.
type RunnerSpec struct {
	Type string
	// GroupID or ProjectID names the group of a group runner or the
	// project of a project runner.
	GroupID, ProjectID int64
	TagList            []string
	// RunUntagged says whether the runner picks jobs without tags.
	RunUntagged bool
	// TokenExpiresAt is when the runner's first token expires; nil for
	// the instance's default (the fake's: never).
	TokenExpiresAt *time.Time
	// TokenRotationDeadline is when rotating that token stops being
	// allowed; it needs TokenExpiresAt.
	TokenRotationDeadline *time.Time
	// Description is the runner's description ("" for none); Paused
	// makes it take no jobs.
	Description string
	Paused      bool
}

// Runner is a stored runner: its ID, its authentication token (glrt-)
// and when that token expires (nil: never), and what GitLab shows of it
// (Entities::Ci::Runner). The fake's runners never contact it.
type Runner struct {
	ID                    int64
	Token                 string
	TokenExpiresAt        *time.Time
	TokenRotationDeadline *time.Time
	// Type is RunnerInstance, RunnerGroup or RunnerProject, of GroupID
	// or ProjectID.
	Type               string
	GroupID, ProjectID int64
	Description        string
	Paused             bool
	TagList            []string
	RunUntagged        bool
	// CreatorID is the user who created the runner.
	CreatorID int64
	CreatedAt time.Time
}

// The bounds of an explicit runner token expiry: EE's
// Ci::Runners::CreateRunnerService MINIMUM_TOKEN_EXPIRY_DURATION and
// MAXIMUM_TOKEN_EXPIRY_DURATION. The fake has no instance, group or
// project runner_token_expiration_interval to lower the maximum.
const (
	MinRunnerTokenLifetime = 5 * time.Minute
	MaxRunnerTokenLifetime = 15 * 24 * time.Hour
)

// CreateRunner creates a runner for actor, who must be allowed to:
// instance runners are for administrators, group runners for the
// group's owners, project runners for the project's maintainers and
// owners (Ci::Runners::CreateRunnerService's create_runner
// permissions, by the seeded memberships; administrators may create
// any). A group or project no one is a member of is "Missing/invalid".
// Then the token's expiry is checked (checkRunnerTokenExpiry), and last
// Ci::Runner's validation: a runner without tags must run untagged
// jobs.
func (st *Store) CreateRunner(actor *User, spec RunnerSpec, now time.Time) (*Runner, error) {
	allowed := actor.Admin
	if spec.Type != RunnerInstance {
		source, id, least, what := SourceNamespace, spec.GroupID, AccessOwner, "group"
		if spec.Type == RunnerProject {
			source, id, least, what = SourceProject, spec.ProjectID, AccessMaintainer, "project"
		}
		known := false
		for _, m := range st.mem.bySource[Source{Type: source, ID: id}] {
			if m.member(now) {
				known = true
				allowed = allowed || (m.UserID == actor.ID && m.counts(now) && m.AccessLevel >= least)
			}
		}
		if !known {
			return nil, badRequest("Missing/invalid " + what)
		}
	}
	if !allowed {
		return nil, forbidden("Insufficient permissions")
	}
	if err := checkRunnerTokenExpiry(spec.TokenExpiresAt, spec.TokenRotationDeadline, now); err != nil {
		return nil, err
	}
	if len(spec.TagList) == 0 && !spec.RunUntagged {
		return nil, badRequest("Tags list can not be empty when runner is not allowed to pick untagged jobs")
	}
	r := &Runner{ID: st.NextRunnerID(), Token: newRunnerToken(),
		TokenExpiresAt: spec.TokenExpiresAt, TokenRotationDeadline: spec.TokenRotationDeadline,
		Type: spec.Type, Description: spec.Description, Paused: spec.Paused,
		TagList: slices.Clone(spec.TagList), RunUntagged: spec.RunUntagged, CreatorID: actor.ID, CreatedAt: now}
	switch spec.Type {
	case RunnerGroup:
		r.GroupID = spec.GroupID
	case RunnerProject:
		r.ProjectID = spec.ProjectID
	}
	st.runners[r.ID] = r
	return r, nil
}

// newRunnerToken is a new runner authentication token: Ci::Runner's
// CREATED_RUNNER_TOKEN_PREFIX and a random part.
func newRunnerToken() string { return "glrt-" + RandomHex(10) }

// Runner returns the runner with this ID, or nil. Reads only.
func (st *Store) Runner(id int64) *Runner { return st.runners[id] }

// Runners returns every runner by ascending ID. Reads only.
func (st *Store) Runners() []*Runner { return byID(st.runners) }

// RunnerByToken returns the runner whose authentication token is
// secret, or nil (Ci::Runner.find_by_token). Reads only.
func (st *Store) RunnerByToken(secret string) *Runner {
	for _, r := range st.runners {
		if r.Token == secret {
			return r
		}
	}
	return nil
}

// ResetToken gives r a new authentication token
// (Ci::Runners::ResetAuthenticationTokenService): the old one stops
// naming it.
func (r *Runner) ResetToken() { r.Token = newRunnerToken() }

// StaleAfter is Ci::Runner::STALE_TIMEOUT: a runner created this long
// ago that never contacted GitLab is stale.
const StaleAfter = 7 * 24 * time.Hour

// Status is the runner's deprecated_rest_status (Ci::Runner): the
// fake's runners never contact GitLab, so "never_contacted", or
// "stale" once StaleAfter has passed since their creation.
func (r *Runner) Status(now time.Time) string {
	if !r.CreatedAt.After(now.Add(-StaleAfter)) {
		return "stale"
	}
	return "never_contacted"
}

// checkRunnerTokenExpiry is EE's validate_token_expiration_params and
// validate_token_rotation_deadline: a deadline needs an expiry; an
// expiry lies between 5 minutes and 15 days from now; a deadline is not
// in the past and not after the expiry (equal to it disables rotation).
// Their refusals are the service's validation errors, which the API
// renders with bad_request!.
func checkRunnerTokenExpiry(expires, deadline *time.Time, now time.Time) error {
	switch {
	case expires == nil && deadline != nil:
		return badRequest("token_expires_at is required when token_rotation_deadline is specified")
	case expires == nil:
		return nil
	case expires.Before(now.Add(MinRunnerTokenLifetime)):
		return badRequest("token_expires_at must be at least 5 minutes in the future")
	case expires.After(now.Add(MaxRunnerTokenLifetime)):
		// effective_max.iso8601: seconds, in UTC
		return badRequest("token_expires_at is too far in the future (maximum is " +
			now.Add(MaxRunnerTokenLifetime).UTC().Format(time.RFC3339) + ")")
	case deadline == nil:
		return nil
	case deadline.Before(now):
		return badRequest("token_rotation_deadline cannot be in the past")
	case deadline.After(*expires):
		return badRequest("token_rotation_deadline must be less than or equal to token_expires_at")
	}
	return nil
}
