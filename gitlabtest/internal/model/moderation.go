package model

import (
	"strconv"
	"time"
)

// User moderation: the state changes of lib/api/users.rb and the
// Users::*Service classes they call, over the state machine of
// app/models/user.rb.

// Outcome is what a state change did. lib/api/users.rb renders it as
// the literal true, null or false.
type Outcome int

const (
	// Changed: the user moved to the new state (true).
	Changed Outcome = iota + 1
	// Unchanged: the endpoint broke out early because the user already
	// was in that state (null).
	Unchanged
	// Failed: the service ran and the state machine refused, without an
	// error message (false).
	Failed
)

// DormantDays is deactivate_dormant_users_period's default: users
// active more recently than this cannot be deactivated.
const DormantDays = 90

// setState moves u to state at now.
func setState(u *User, state UserState, now time.Time) Outcome {
	u.State = state
	u.UpdatedAt = now
	return Changed
}

// Block is POST /users/:id/block, by actor: an LDAP-blocked user and
// the actor themself are refused, a blocked user is left alone.
// Users::BlockService records who blocked the user and when in the
// custom attribute blocked_by.
func (st *Store) Block(actor, u *User, now time.Time) (Outcome, error) {
	switch {
	case u.State == StateLDAPBlocked:
		return 0, forbidden("LDAP blocked users cannot be modified by the API")
	case u.ID == actor.ID:
		return 0, forbidden("The API initiating user cannot be blocked by the API")
	case u.State == StateBlocked:
		return Unchanged, nil
	}
	recordActor(u, "blocked_by", actor, now)
	// EE Users::BlockService#log_audit_event.
	st.audit(userScope("user_blocked", actor, u, "Blocked user"), now)
	return setState(u, StateBlocked, now), nil
}

// Unblock is POST /users/:id/unblock, by actor. Users::UnblockService
// records who unblocked the user and when in the custom attribute
// unblocked_by.
func (st *Store) Unblock(actor, u *User, now time.Time) (Outcome, error) {
	switch u.State {
	case StateLDAPBlocked:
		return 0, forbidden("LDAP blocked users cannot be unblocked by the API")
	case StateDeactivated:
		return 0, forbidden("Deactivated users cannot be unblocked by the API")
	case StateActive:
		// Users::UnblockService calls user.activate, whose state machine
		// has no transition from active: the service fails and
		// lib/api/users.rb renders its success? flag, false.
		return Failed, nil
	}
	recordActor(u, "unblocked_by", actor, now)
	return setState(u, StateActive, now), nil
}

// recordActor upserts u's custom attribute key with the value the
// after_block_hook of app/services/users/block_service.rb and the
// after_unblock_hook of app/services/users/unblock_service.rb write:
// "<username>/<id>+<Time.current>", the time as Rails prints it in
// GitLab's default time zone, UTC ("2025-03-14 09:26:53 UTC"). The other
// moderation services (ban, unban, activate, deactivate, approve,
// reject) record no custom attribute.
func recordActor(u *User, key string, actor *User, now time.Time) {
	if u.CustomAttributes == nil {
		u.CustomAttributes = map[string]string{}
	}
	u.CustomAttributes[key] = actor.Username + "/" + strconv.FormatInt(actor.ID, 10) + "+" +
		now.UTC().Format("2006-01-02 15:04:05 UTC")
}

// Deactivate is POST /users/:id/deactivate by actor: not for blocked
// users, bots or users active in the last DormantDays days. A
// deactivation records user_deactivate (EE Users::DeactivateService).
func (st *Store) Deactivate(actor, u *User, now time.Time) (Outcome, error) {
	switch {
	case u.State == StateDeactivated:
		return Unchanged, nil
	case u.State == StateBlocked || u.State == StateLDAPBlocked:
		return 0, refused(Forbidden, "Error occurred. A blocked user cannot be deactivated")
	case u.Bot:
		return 0, refused(Forbidden, "Internal users cannot be deactivated")
	case u.LastActivityOn != nil && u.LastActivityOn.After(DayOf(now).AddDate(0, 0, -DormantDays)):
		return 0, refused(Forbidden, "The user you are trying to deactivate has been active in the past "+
			strconv.Itoa(DormantDays)+" days and cannot be deactivated")
	}
	st.audit(userScope("user_deactivate", actor, u, "Deactivated user"), now)
	return setState(u, StateDeactivated, now), nil
}

// Activate is POST /users/:id/activate: not for blocked users.
func (st *Store) Activate(u *User, now time.Time) (Outcome, error) {
	if u.State == StateBlocked || u.State == StateLDAPBlocked {
		return 0, refused(Forbidden, "Error occurred. A blocked user must be unblocked to be activated")
	}
	return setState(u, StateActive, now), nil
}

// Ban is Users::BanService by actor: the state machine bans only from
// active, and the service refuses every other state. A ban records
// ban_user (EE Users::BanService, worded as the block's).
func (st *Store) Ban(actor, u *User, now time.Time) (Outcome, error) {
	if u.State != StateActive {
		return 0, refused(Forbidden, "You cannot ban "+string(u.State)+" users.")
	}
	st.audit(userScope("ban_user", actor, u, "Banned user"), now)
	return setState(u, StateBanned, now), nil
}

// Unban is Users::UnbanService: only banned users.
func (st *Store) Unban(u *User, now time.Time) (Outcome, error) {
	if u.State != StateBanned {
		return 0, refused(Forbidden, "You cannot unban "+string(u.State)+" users.")
	}
	return setState(u, StateActive, now), nil
}

// Approve is Users::ApproveService: administrators approve users
// pending approval.
func (st *Store) Approve(actor, u *User, now time.Time) error {
	switch {
	case actor == nil || !actor.Admin:
		return refused(Forbidden, "You are not allowed to approve a user")
	case u.State != StateBlockedPendingApproval:
		return refused(Conflict, "The user you are trying to approve is not pending approval")
	}
	setState(u, StateActive, now)
	return nil
}

// Reject is Users::RejectService: administrators reject users pending
// approval, who are deleted (GitLab does it in the background; the
// fake at once).
func (st *Store) Reject(actor, u *User) error {
	switch {
	case actor == nil || !actor.Admin:
		return refused(Forbidden, "You are not allowed to reject a user")
	case u.State != StateBlockedPendingApproval:
		return refused(Conflict, "User does not have a pending request")
	}
	st.DeleteUser(u.ID)
	return nil
}

// DisableTwoFactor is PATCH /users/:id/disable_two_factor: not for
// administrators, nor for users without two-factor authentication.
func (st *Store) DisableTwoFactor(u *User, now time.Time) error {
	switch {
	case u.Admin:
		return forbidden("Two-factor authentication for admins cannot be disabled via the API. Use the Rails console")
	case !u.TwoFactorEnabled:
		return badRequest("Two-factor authentication is not enabled for this user")
	}
	u.TwoFactorEnabled = false
	u.UpdatedAt = now
	return nil
}
