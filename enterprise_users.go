package gitlab

import (
	"context"
	"iter"
	"net/http"
	"time"
)

// EnterpriseUsersService manages the enterprise users of a top-level
// group: users whose account the group claimed (through a verified
// email domain), whether or not they are its members. GitLab.com only,
// Premium and Ultimate: a self-managed instance never claims users, so
// there a group has no enterprise users (List answers an empty list,
// the others 404).
//
// Every method takes the top-level group; a subgroup gives 400 ("Must
// be a top-level group"), a group the caller cannot see 404 ("404 Group
// Not Found"), and a caller who is not an Owner of the group 403 (an
// instance auditor may List and Get). A user who is not an enterprise
// user of the group gives 404 ("404 Not found").
//
// GitLab API docs: https://docs.gitlab.com/api/group_enterprise_users/
type EnterpriseUsersService service

// ListEnterpriseUsersOptions are the parameters of EnterpriseUsersService.List
// and ListIter. GitLab orders the list by ID, newest first; with Search,
// by relevance.
//
// GitLab API docs: https://docs.gitlab.com/api/group_enterprise_users/#list-all-enterprise-users
type ListEnterpriseUsersOptions struct {
	ListOptions
	// Username matches one username exactly, case-insensitively.
	Username *string `url:"username,omitempty"`
	// Search matches name and username, and the users' email addresses
	// (private ones too) exactly.
	Search *string `url:"search,omitempty"`
	// Active and Blocked keep only such users; false means "no filter",
	// not the opposite.
	Active  *bool `url:"active,omitempty"`
	Blocked *bool `url:"blocked,omitempty"`
	// CreatedAfter and CreatedBefore bound the creation time
	// (inclusive).
	CreatedAfter  *time.Time `url:"created_after,omitempty"`
	CreatedBefore *time.Time `url:"created_before,omitempty"`
	// TwoFactor keeps users with two-factor authentication enabled or
	// disabled.
	TwoFactor *TwoFactorFilter `url:"two_factor,omitempty"`
}

// UpdateEnterpriseUserOptions are the parameters of
// EnterpriseUsersService.Update. Only the fields that are set change.
//
// GitLab API docs: https://docs.gitlab.com/api/group_enterprise_users/#modify-an-enterprise-user
type UpdateEnterpriseUserOptions struct {
	Name *string `url:"name,omitempty"`
	// Email must be on a domain the group verified; it becomes the
	// primary address at once, without confirmation.
	Email *string `url:"email,omitempty"`
}

// DeleteEnterpriseUserOptions are the parameters of
// EnterpriseUsersService.Delete.
//
// GitLab API docs: https://docs.gitlab.com/api/group_enterprise_users/#delete-an-enterprise-user
type DeleteEnterpriseUserOptions struct {
	// HardDelete deletes the user's contributions and the groups only
	// they own, instead of moving contributions to the ghost user; the
	// sole owner of a group cannot be deleted without it.
	HardDelete *bool `url:"hard_delete,omitempty"`
}

// List returns one page of the group's enterprise users. The group's
// Owners (and instance auditors) only.
//
// GitLab API docs: https://docs.gitlab.com/api/group_enterprise_users/#list-all-enterprise-users
func (s *EnterpriseUsersService) List(ctx context.Context, group GroupRef, opt *ListEnterpriseUsersOptions, opts ...RequestOption) ([]*User, *Response, error) {
	return doList[*User](ctx, s.client, at("groups", group, "enterprise_users"), opt, opts)
}

// ListIter yields every enterprise user of List, across pages. opt is
// not modified. The group's Owners (and instance auditors) only.
//
// Deleting users inside the loop (or changing them so that they fail a
// filter) shifts the pages not yet fetched: others are skipped (or
// yielded twice), with no error. Collect them first (see Collect).
//
// GitLab API docs: https://docs.gitlab.com/api/group_enterprise_users/#list-all-enterprise-users
func (s *EnterpriseUsersService) ListIter(ctx context.Context, group GroupRef, opt *ListEnterpriseUsersOptions, opts ...RequestOption) iter.Seq2[*User, error] {
	return iterate[*User](ctx, s.client, at("groups", group, "enterprise_users"), opt, opts)
}

// Get returns one enterprise user of the group, with their private
// email, identities and two-factor state. The group's Owners (and
// instance auditors) only.
//
// GitLab API docs: https://docs.gitlab.com/api/group_enterprise_users/#get-details-on-an-enterprise-user
func (s *EnterpriseUsersService) Get(ctx context.Context, group GroupRef, userID int64, opts ...RequestOption) (*User, *Response, error) {
	return do[*User](ctx, s.client, http.MethodGet, at("groups", group, "enterprise_users", userID), nil, opts)
}

// Update changes an enterprise user's name or primary email. The
// group's Owners only. GitLab refuses with 400 and its own words, e.g.
// "Email has already been taken" or "Email must be owned by the user's
// enterprise group" (an address on a domain the group did not verify).
//
// GitLab API docs: https://docs.gitlab.com/api/group_enterprise_users/#modify-an-enterprise-user
func (s *EnterpriseUsersService) Update(ctx context.Context, group GroupRef, userID int64, opt *UpdateEnterpriseUserOptions, opts ...RequestOption) (*User, *Response, error) {
	return do[*User](ctx, s.client, http.MethodPatch, at("groups", group, "enterprise_users", userID), opt, opts)
}

// Delete deletes an enterprise user (GitLab deletes in the background,
// so the user may still be found for a while). The group's Owners only.
// Without HardDelete, the sole owner of a group cannot be deleted (409,
// ErrConflict). With WithHeader("If-Unmodified-Since", t) GitLab
// deletes only if the user did not change after t, else answers 412.
//
// GitLab API docs: https://docs.gitlab.com/api/group_enterprise_users/#delete-an-enterprise-user
func (s *EnterpriseUsersService) Delete(ctx context.Context, group GroupRef, userID int64, opt *DeleteEnterpriseUserOptions, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at("groups", group, "enterprise_users", userID), opt, opts)
}

// DisableTwoFactor turns off two-factor authentication for an
// enterprise user (every second factor, OTP and WebAuthn). The group's
// Owners only. A user without two-factor authentication is 400
// (ErrBadRequest, "Two-factor authentication is not enabled for this
// user"). Like UsersService.DisableTwoFactor it is not retried once it
// may have reached GitLab; after a 5xx or a dropped connection, Get the
// user: TwoFactorEnabled says whether it happened.
//
// GitLab API docs: https://docs.gitlab.com/api/group_enterprise_users/#disable-two-factor-authentication-for-an-enterprise-user
func (s *EnterpriseUsersService) DisableTwoFactor(ctx context.Context, group GroupRef, userID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodPatch, at("groups", group, "enterprise_users", userID, "disable_two_factor"), nil, opts)
}
