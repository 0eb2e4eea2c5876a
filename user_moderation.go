package gitlab

import (
	"context"
	"net/http"
)

// User moderation: the state changes an administrator makes to a user
// account. Each is a POST (PATCH for DisableTwoFactor) without
// parameters whose answer carries nothing the caller needs: GitLab
// answers true, null, false or {"message":"Success"}, and reports every
// refusal as an *ErrorResponse with its own message.
//
// Retries: a state change that GitLab makes idempotent (block, unblock,
// deactivate, activate: a repeat succeeds without a change) is retried
// on a 5xx answer or a lost connection. The others are sent once when
// GitLab may have acted, and retried only on 429 and refused
// connections, as any POST: GitLab refuses their repeat (ban and unban
// 403, approve 409, disabling 2FA 400) with the answer it gives to a
// user who was never in the state they change, so a retry after an
// applied first attempt whose answer was lost would report the applied
// change as refused. Their ambiguous failure (a 5xx, a dropped
// connection) comes back as it is; Get the user to see whether it
// happened. Reject is not retried either: GitLab deletes a rejected
// user asynchronously, so a repeated reject that arrives before the
// deletion would reject, mail and schedule the deletion again.

// Block blocks a user; blocking a blocked user succeeds too.
// Administrators only. Users blocked by LDAP synchronization, and the
// caller, cannot be blocked (403, ErrForbidden).
//
// GitLab API docs: https://docs.gitlab.com/api/user_moderation/#block-access-to-a-user
func (s *UsersService) Block(ctx context.Context, userID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodPost, at("users", userID, "block").markIdempotent(), nil, opts)
}

// Unblock unblocks a user. Administrators only. Users blocked by LDAP
// synchronization and deactivated users cannot be unblocked (403,
// ErrForbidden). Unblocking an active user succeeds without a change
// (GitLab answers false).
//
// GitLab API docs: https://docs.gitlab.com/api/user_moderation/#unblock-access-to-a-user
func (s *UsersService) Unblock(ctx context.Context, userID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodPost, at("users", userID, "unblock").markIdempotent(), nil, opts)
}

// Deactivate deactivates a dormant user; deactivating a deactivated user
// succeeds too. Administrators only. Users active recently, blocked and
// internal users cannot be deactivated (403, ErrForbidden).
//
// GitLab API docs: https://docs.gitlab.com/api/user_moderation/#deactivate-a-user
func (s *UsersService) Deactivate(ctx context.Context, userID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodPost, at("users", userID, "deactivate").markIdempotent(), nil, opts)
}

// Activate activates a deactivated user; activating an active user
// succeeds too. Administrators only. Blocked users cannot be activated
// (403, ErrForbidden).
//
// GitLab API docs: https://docs.gitlab.com/api/user_moderation/#activate-a-user
func (s *UsersService) Activate(ctx context.Context, userID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodPost, at("users", userID, "activate").markIdempotent(), nil, opts)
}

// Ban bans an active user: the account is blocked and its
// contributions are hidden. Administrators only. Only active users can
// be banned; any other user, a banned one included, is refused with
// 403 (ErrForbidden) and GitLab's message, e.g. "You cannot ban banned
// users.". Ban is therefore not retried once it may have reached
// GitLab: a retry after an applied ban whose answer was lost would get
// that 403, which reads as "not applied". After a 5xx or a dropped
// connection, Get the user: State says whether the ban happened.
//
// GitLab API docs: https://docs.gitlab.com/api/user_moderation/#ban-a-user
func (s *UsersService) Ban(ctx context.Context, userID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodPost, at("users", userID, "ban"), nil, opts)
}

// Unban makes a banned user active again. Administrators only.
// Unbanning a user who is not banned is refused with 403
// (ErrForbidden), e.g. "You cannot unban active users.". Unban is not
// retried once it may have reached GitLab: that 403 is also what a
// retry after an applied unban whose answer was lost would get, and it
// would read as "not applied" (it cannot be taken as success either: it
// is the answer for a user who was never banned). After a 5xx or a
// dropped connection, Get the user: State says whether it happened.
//
// GitLab API docs: https://docs.gitlab.com/api/user_moderation/#unban-a-user
func (s *UsersService) Unban(ctx context.Context, userID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodPost, at("users", userID, "unban"), nil, opts)
}

// Approve approves a user whose sign-up is pending approval
// (UserStateBlockedPendingApproval), making them active. Administrators
// only: others get 403 (ErrForbidden) "You are not allowed to approve a
// user". A user who is not pending approval is 409 (ErrConflict).
// Approve is not retried once it may have reached GitLab: a retry after
// an applied approval whose answer was lost would get that 409, which
// reads as "not applied", and the 409 cannot be taken as success either
// (a blocked or rejected user gets it too). After a 5xx or a dropped
// connection, Get the user: State says whether it happened.
//
// GitLab API docs: https://docs.gitlab.com/api/user_moderation/#approve-access-to-a-user
func (s *UsersService) Approve(ctx context.Context, userID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodPost, at("users", userID, "approve"), nil, opts)
}

// Reject rejects a user whose sign-up is pending approval: GitLab mails
// them and deletes the account (asynchronously, so it may still be found
// for a while). Administrators only: others get 403 (ErrForbidden). A
// user who is not pending approval is 409 (ErrConflict). Reject is never
// retried: a repeat that reached GitLab before the deletion would reject,
// mail and schedule the deletion again.
//
// GitLab API docs: https://docs.gitlab.com/api/user_moderation/#reject-access-to-a-user
func (s *UsersService) Reject(ctx context.Context, userID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodPost, at("users", userID, "reject"), nil, opts)
}

// DisableTwoFactor turns off two-factor authentication for a user who
// lost their device: every second factor (OTP and WebAuthn) is removed.
// Administrators only. A user without two-factor authentication is 400
// (ErrBadRequest); an administrator's cannot be disabled through the API
// (403, ErrForbidden). DisableTwoFactor is not retried once it may have
// reached GitLab: a retry after an applied first attempt whose answer
// was lost would get that 400, which reads as "not applied", and the
// 400 cannot be taken as success either (it is also the answer for a
// user who never enabled 2FA). After a 5xx or a dropped connection, Get
// the user: TwoFactorEnabled says whether it happened.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#disable-two-factor-authentication-for-a-user
func (s *UsersService) DisableTwoFactor(ctx context.Context, userID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodPatch, at("users", userID, "disable_two_factor"), nil, opts)
}
