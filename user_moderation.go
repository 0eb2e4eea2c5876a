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
// Retries: a state change that GitLab makes idempotent (block,
// deactivate, activate) or that fails harmlessly when repeated (ban,
// unban, approve, disabling 2FA: GitLab answers 403, 409 or 400 and
// changes nothing) is retried on a 5xx answer or a lost connection.
// Reject is not: GitLab deletes a rejected user asynchronously, so a
// repeated reject that arrives before the deletion would reject, mail
// and schedule the deletion again.

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
// users.". So a ban retried after a lost answer may report that 403
// although the first attempt succeeded.
//
// GitLab API docs: https://docs.gitlab.com/api/user_moderation/#ban-a-user
func (s *UsersService) Ban(ctx context.Context, userID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodPost, at("users", userID, "ban").markIdempotent(), nil, opts)
}

// Unban makes a banned user active again. Administrators only.
// Unbanning a user who is not banned is refused with 403
// (ErrForbidden), e.g. "You cannot unban active users.".
//
// GitLab API docs: https://docs.gitlab.com/api/user_moderation/#unban-a-user
func (s *UsersService) Unban(ctx context.Context, userID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodPost, at("users", userID, "unban").markIdempotent(), nil, opts)
}

// Approve approves a user whose sign-up is pending approval
// (UserStateBlockedPendingApproval), making them active. Administrators
// only: others get 403 (ErrForbidden) "You are not allowed to approve a
// user". A user who is not pending approval is 409 (ErrConflict).
//
// GitLab API docs: https://docs.gitlab.com/api/user_moderation/#approve-access-to-a-user
func (s *UsersService) Approve(ctx context.Context, userID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodPost, at("users", userID, "approve").markIdempotent(), nil, opts)
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
// (403, ErrForbidden).
//
// GitLab API docs: https://docs.gitlab.com/api/users/#disable-two-factor-authentication-for-a-user
func (s *UsersService) DisableTwoFactor(ctx context.Context, userID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodPatch, at("users", userID, "disable_two_factor").markIdempotent(), nil, opts)
}
