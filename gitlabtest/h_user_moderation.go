package gitlabtest

import (
	"net/http"
	"strconv"

	"github.com/gitlabusers/gitlab"
)

// User moderation (one file per SDK file: user_moderation.go), from
// lib/api/users.rb and the Users::*Service classes; see
// https://docs.gitlab.com/api/user_moderation/.

// --- state changes: block, unblock, deactivate, activate, ban, unban -------
// Each answers 201 with the literal true when the state changes, or null
// where lib/api/users.rb breaks out early.

// setState moves u to state and answers 201 true.
func (c *reqCtx) setState(u *user, state gitlab.UserState) answer {
	u.State = state
	u.UpdatedAt = c.now
	return literal(http.StatusCreated, "true")
}

func hBlock(c *reqCtx) answer {
	u, fail := c.owner(c.validate(), adminOnly)
	switch {
	case fail != nil:
		return *fail
	case u.State == StateLDAPBlocked:
		return forbidden("LDAP blocked users cannot be modified by the API")
	case u.ID == c.viewer.ID:
		return forbidden("The API initiating user cannot be blocked by the API")
	case u.State == StateBlocked:
		return literal(http.StatusCreated, "null")
	}
	return c.setState(u, StateBlocked)
}

func hUnblock(c *reqCtx) answer {
	u, fail := c.owner(c.validate(), adminOnly)
	switch {
	case fail != nil:
		return *fail
	case u.State == StateLDAPBlocked:
		return forbidden("LDAP blocked users cannot be unblocked by the API")
	case u.State == StateDeactivated:
		return forbidden("Deactivated users cannot be unblocked by the API")
	case u.State == StateActive:
		// Users::UnblockService calls user.activate, whose state machine
		// (app/models/user.rb) has no transition from active: the service
		// fails and lib/api/users.rb renders its success? flag, false.
		return literal(http.StatusCreated, "false")
	}
	return c.setState(u, StateActive)
}

// dormantDays is deactivate_dormant_users_period's default.
const dormantDays = 90

func hDeactivate(c *reqCtx) answer {
	u, fail := c.owner(c.validate(), adminOnly)
	switch {
	case fail != nil:
		return *fail
	case u.State == StateDeactivated:
		return literal(http.StatusCreated, "null")
	case u.State == StateBlocked || u.State == StateLDAPBlocked:
		return reply(http.StatusForbidden, msg("Error occurred. A blocked user cannot be deactivated"))
	case u.Bot:
		return reply(http.StatusForbidden, msg("Internal users cannot be deactivated"))
	case u.LastActivityOn != nil && u.LastActivityOn.After(dayOf(c.now).AddDate(0, 0, -dormantDays)):
		return reply(http.StatusForbidden, msg("The user you are trying to deactivate has been active in the past "+
			strconv.Itoa(dormantDays)+" days and cannot be deactivated"))
	}
	return c.setState(u, StateDeactivated)
}

func hActivate(c *reqCtx) answer {
	u, fail := c.owner(c.validate(), adminOnly)
	switch {
	case fail != nil:
		return *fail
	case u.State == StateBlocked || u.State == StateLDAPBlocked:
		return reply(http.StatusForbidden, msg("Error occurred. A blocked user must be unblocked to be activated"))
	}
	return c.setState(u, StateActive)
}

// hBan is Users::BanService: the user's state machine (app/models/user.rb)
// bans only from active, and the service answers 403 "You cannot ban
// <state> users." for any other state (banned, blocked, deactivated,
// ldap_blocked, blocked_pending_approval).
func hBan(c *reqCtx) answer {
	u, fail := c.owner(c.validate(), adminOnly)
	switch {
	case fail != nil:
		return *fail
	case u.State != StateActive:
		return reply(http.StatusForbidden, msg("You cannot ban "+u.State+" users."))
	}
	return c.setState(u, StateBanned)
}

func hUnban(c *reqCtx) answer {
	u, fail := c.owner(c.validate(), adminOnly)
	switch {
	case fail != nil:
		return *fail
	case u.State != StateBanned:
		return reply(http.StatusForbidden, msg("You cannot unban "+u.State+" users."))
	}
	return c.setState(u, StateActive)
}

// hApprove is POST /users/:id/approve (Users::ApproveService). There is
// no up-front admin check: the user is looked up first (404 for every
// caller), then the service refuses non-admins (403) and users that are
// not pending (409). Success renders the service's message with 201.
func hApprove(c *reqCtx) answer {
	u, fail := c.owner(c.validate(), anyUser)
	switch {
	case fail != nil:
		return *fail
	case !c.admin():
		return reply(http.StatusForbidden, msg("You are not allowed to approve a user"))
	case u.State != StateBlockedPendingApproval:
		return conflict("The user you are trying to approve is not pending approval")
	}
	c.setState(u, StateActive)
	return reply(http.StatusCreated, msg("Success"))
}

// hReject is POST /users/:id/reject (Users::RejectService): the user is
// looked up (404), then non-admins get 403 and users that are not
// pending 409. GitLab hard-deletes the rejected user asynchronously; the
// fake deletes at once. Success renders "Success" with 200.
func hReject(c *reqCtx) answer {
	u, fail := c.owner(c.validate(), anyUser)
	switch {
	case fail != nil:
		return *fail
	case !c.admin():
		return reply(http.StatusForbidden, msg("You are not allowed to reject a user"))
	case u.State != StateBlockedPendingApproval:
		return conflict("User does not have a pending request")
	}
	c.s.st.deleteUser(u.ID)
	return reply(http.StatusOK, msg("Success"))
}

// hDisableTwoFactor is PATCH /users/:id/disable_two_factor: admins only,
// then the user (404), then 403 for an administrator's 2FA, 400 when
// 2FA is off, else 204.
func hDisableTwoFactor(c *reqCtx) answer {
	u, fail := c.owner(c.validate(), adminOnly)
	switch {
	case fail != nil:
		return *fail
	case u.Admin:
		return forbidden("Two-factor authentication for admins cannot be disabled via the API. Use the Rails console")
	case !u.TwoFactorEnabled:
		return badRequest("Two-factor authentication is not enabled for this user")
	}
	u.TwoFactorEnabled = false
	u.UpdatedAt = c.now
	return noBody(http.StatusNoContent)
}
