package gitlab

import (
	"context"
	"iter"
	"time"
)

// GroupUsersService lists the users a group knows through its identity
// provider: those with a SAML identity at the group's SAML provider
// (ListSAML) and those the group provisioned, through SCIM or as its
// service accounts (ListProvisioned). Both answer users with their
// private email, identities and SCIM identities.
//
// GitLab API docs: https://docs.gitlab.com/api/groups/#list-all-saml-users
type GroupUsersService service

// ListGroupUsersOptions are the parameters of GroupUsersService.ListSAML,
// ListProvisioned and their iterators.
//
// GitLab API docs: https://docs.gitlab.com/api/groups/#list-all-saml-users
type ListGroupUsersOptions struct {
	ListOptions
	// Username keeps the user with this username (case-insensitive).
	Username *string `url:"username,omitempty"`
	// Search matches name and username, or an email address exactly
	// (private ones too); the results then come by relevance instead of
	// by descending ID.
	Search *string `url:"search,omitempty"`
	// Active and Blocked keep only active, or only blocked, users; false
	// means "no filter", not the opposite.
	Active  *bool `url:"active,omitempty"`
	Blocked *bool `url:"blocked,omitempty"`
	// CreatedAfter and CreatedBefore bound the account's creation time,
	// both inclusive.
	CreatedAfter  *time.Time `url:"created_after,omitempty"`
	CreatedBefore *time.Time `url:"created_before,omitempty"`
}

// ListSAML returns one page of the users with a SAML identity at a
// top-level group's SAML provider, by descending ID; none when the
// group has no SAML provider. Owners and administrators only: anyone
// else is 403 (ErrForbidden), a group the caller cannot see 404 (ErrNotFound), and a
// subgroup 400 "400 Bad request - Must be a top-level group"
// (ErrBadRequest).
//
// GitLab API docs: https://docs.gitlab.com/api/groups/#list-all-saml-users
func (s *GroupUsersService) ListSAML(ctx context.Context, group GroupRef, opt *ListGroupUsersOptions, opts ...RequestOption) ([]*User, *Response, error) {
	return doList[*User](ctx, s.client, at("groups", group, "saml_users"), opt, opts)
}

// ListSAMLIter yields the users of ListSAML across pages. Who may call
// it is as for ListSAML. opt is not modified.
//
// GitLab API docs: https://docs.gitlab.com/api/groups/#list-all-saml-users
func (s *GroupUsersService) ListSAMLIter(ctx context.Context, group GroupRef, opt *ListGroupUsersOptions, opts ...RequestOption) iter.Seq2[*User, error] {
	return iterate[*User](ctx, s.client, at("groups", group, "saml_users"), opt, opts)
}

// ListProvisioned returns one page of the users a group provisioned
// (through SCIM, or as its service accounts), by descending ID.
// Maintainers and Owners of the group and administrators only: anyone
// else is 403 (ErrForbidden), and a group the caller cannot see 404
// (ErrNotFound). Subgroups are allowed.
//
// GitLab API docs: https://docs.gitlab.com/api/groups/#list-provisioned-users
func (s *GroupUsersService) ListProvisioned(ctx context.Context, group GroupRef, opt *ListGroupUsersOptions, opts ...RequestOption) ([]*User, *Response, error) {
	return doList[*User](ctx, s.client, at("groups", group, "provisioned_users"), opt, opts)
}

// ListProvisionedIter yields the users of ListProvisioned across pages.
// Who may call it is as for ListProvisioned. opt is not modified.
//
// GitLab API docs: https://docs.gitlab.com/api/groups/#list-provisioned-users
func (s *GroupUsersService) ListProvisionedIter(ctx context.Context, group GroupRef, opt *ListGroupUsersOptions, opts ...RequestOption) iter.Seq2[*User, error] {
	return iterate[*User](ctx, s.client, at("groups", group, "provisioned_users"), opt, opts)
}
