package model

import (
	"slices"
	"time"
)

// Authentication: which token a secret is, whose it is, whether they may
// use the API, and whom an administrator acts as; from
// lib/gitlab/auth/auth_finders.rb, lib/api/api_guard.rb and
// lib/api/helpers.rb (find_current_user!, sudo!).

// Authenticate finds the token whose secret was presented and its user:
// Unauthorized for an unknown secret, and Unauthorized with the reason
// for a revoked or expired token (the revoked token is returned too, for
// reuse detection on rotation: RevokeFamily). Reads only.
func (st *Store) Authenticate(secret string, now time.Time) (*Token, *User, error) {
	t := st.TokenBySecret(secret)
	switch {
	case t == nil:
		return nil, nil, &Error{Kind: Unauthorized}
	case t.Revoked:
		return t, nil, &Error{Kind: Unauthorized, Text: "Token was revoked. You have to re-authorize from the user."}
	case t.Expired(now):
		return nil, nil, &Error{Kind: Unauthorized, Text: "Token is expired. You can either do re-authorization or token refresh."}
	}
	u := st.users[t.UserID]
	if u == nil {
		return nil, nil, &Error{Kind: Unauthorized}
	}
	return t, u, nil
}

// RequireScope refuses a token that has none of scopes; want names
// them in the refusal, as the API class words it.
func RequireScope(t *Token, want string, scopes ...string) error {
	if slices.ContainsFunc(scopes, t.HasScope) {
		return nil
	}
	return &Error{Kind: InsufficientScope, Text: want}
}

// CheckAccess refuses users whose state bars them from the API: blocked
// in any way, or deactivated (Gitlab::Auth::UserAccessDeniedReason).
// Reads only.
func (st *Store) CheckAccess(u *User) error {
	switch u.State {
	case StateBlocked, StateLDAPBlocked, StateBanned, StateBlockedPendingApproval:
		return forbidden("Your account has been blocked.")
	case StateDeactivated:
		return forbidden("Your account has been deactivated by your administrator. Please log back in to reactivate your account.")
	}
	return nil
}

// Sudo is the user an administrator u acts as with token t: ref is an
// ID or a username. Only administrators with a sudo-scoped token may.
// Reads only.
func (st *Store) Sudo(u *User, t *Token, ref string) (*User, error) {
	if !u.Admin {
		return nil, forbidden("Must be admin to use sudo")
	}
	if !t.HasScope("sudo") {
		return nil, &Error{Kind: InsufficientScope, Text: "sudo"}
	}
	target := st.FindUser(ref)
	if target == nil {
		return nil, notFound("User with ID or username '" + ref + "'")
	}
	return target, nil
}

// UseDue reports whether RecordUse would change anything: the token's
// use is due to be recorded (Token.UseDue) or u's last activity is not
// today. Authentication itself changes nothing, so that read-only
// requests can share the store. Reads only.
func (st *Store) UseDue(t *Token, u *User, now time.Time, addr string) bool {
	if t != nil {
		if ip, at := t.UseDue(now, addr); ip || at {
			return true
		}
	}
	return u != nil && (u.LastActivityOn == nil || !u.LastActivityOn.Equal(DayOf(now)))
}

// RecordUse records a request authenticated by t for u from addr at
// now, as GitLab does for API requests: the token's use
// (PersonalAccessTokens::LastUsedService) and u's activity, at most
// daily (Users::ActivityService).
func (st *Store) RecordUse(t *Token, u *User, now time.Time, addr string) {
	if t != nil {
		t.Used(now, addr)
	}
	if u != nil {
		u.LastActivityOn = PtrTime(DayOf(now))
	}
}
