package gitlabtest

import (
	"net/http"
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// User moderation (one file per SDK file: user_moderation.go), from
// lib/api/users.rb and the Users::*Service classes; see
// https://docs.gitlab.com/api/user_moderation/.

// --- state changes: block, unblock, deactivate, activate, ban, unban -------
// Each answers 201 with the literal true when the state changes, or null
// where lib/api/users.rb breaks out early, or false where the service
// fails without a message; the rules are the domain's
// (internal/model/moderation.go).

// stateChange answers a state change's outcome or refusal.
func stateChange(o model.Outcome, err error) answer {
	switch {
	case err != nil:
		return refusal(err)
	case o == model.Unchanged:
		return literal(http.StatusCreated, "null")
	case o == model.Failed:
		return literal(http.StatusCreated, "false")
	}
	return literal(http.StatusCreated, "true")
}

// moderate serves an administrator's state change of the user :id.
func moderate(change func(st *model.Store, actor, u *user, now time.Time) (model.Outcome, error)) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		u, fail := c.owner(c.validate(), adminOnly)
		if fail != nil {
			return *fail
		}
		return stateChange(change(c.s.st, c.viewer, u, c.now))
	}
}

var (
	hBlock      = moderate((*model.Store).Block)
	hUnblock    = moderate((*model.Store).Unblock)
	hDeactivate = moderate(func(st *model.Store, actor, u *user, now time.Time) (model.Outcome, error) {
		return st.Deactivate(actor, u, now)
	})
	hActivate = moderate(func(st *model.Store, _, u *user, now time.Time) (model.Outcome, error) { return st.Activate(u, now) })
	hBan      = moderate(func(st *model.Store, actor, u *user, now time.Time) (model.Outcome, error) {
		return st.Ban(actor, u, now)
	})
	hUnban = moderate(func(st *model.Store, _, u *user, now time.Time) (model.Outcome, error) { return st.Unban(u, now) })
)

// hApprove is POST /users/:id/approve (Users::ApproveService). There is
// no up-front admin check: the user is looked up first (404 for every
// caller), then the service refuses non-admins (403) and users that are
// not pending (409). Success renders the service's message with 201.
var hApprove = userOp(anyUser, func(c *reqCtx, u *user) error { return c.s.st.Approve(c.viewer, u, c.now) },
	func() answer { return reply(http.StatusCreated, msg("Success")) })

// hReject is POST /users/:id/reject (Users::RejectService): as approve,
// and success renders "Success" with 200.
var hReject = userOp(anyUser, func(c *reqCtx, u *user) error { return c.s.st.Reject(c.viewer, u) },
	func() answer { return reply(http.StatusOK, msg("Success")) })

// hDisableTwoFactor is PATCH /users/:id/disable_two_factor: admins only,
// then the user (404), then the domain's refusals, else 204.
var hDisableTwoFactor = userOp(adminOnly, func(c *reqCtx, u *user) error { return c.s.st.DisableTwoFactor(u, c.now) },
	func() answer { return noBody(http.StatusNoContent) })
