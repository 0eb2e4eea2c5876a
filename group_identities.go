package gitlab

import (
	"context"
	"iter"
	"net/http"
)

// SAMLIdentitiesService manages the SAML identities of a top-level
// group: the links between its members' GitLab accounts and the NameID
// its identity provider sends for them. Owners of the group (and
// administrators) may call it; anyone else who can see the group gets
// 403 (ErrForbidden), and a group the caller cannot see is 404 "404
// Group Not Found" (ErrNotFound). GitLab checks no tier or offering
// here: the group must have SAML single sign-on configured.
//
// GitLab API docs: https://docs.gitlab.com/api/saml/
type SAMLIdentitiesService service

// SCIMIdentitiesService manages the SCIM identities of a group: the
// accounts its identity provider provisioned through SCIM. Who may call
// it, and the errors, are as for SAMLIdentitiesService; a group without
// SCIM identities lists none.
//
// GitLab API docs: https://docs.gitlab.com/api/scim/
type SCIMIdentitiesService service

// GroupIdentity is a SAML or SCIM identity of a group: the identity
// provider's UID for one GitLab user.
//
// GitLab API docs: https://docs.gitlab.com/api/saml/#get-saml-identities-for-a-group
type GroupIdentity struct {
	ExternUID string `json:"extern_uid"`
	UserID    int64  `json:"user_id"`
	// Active is set for SCIM identities only: false once the identity
	// provider deprovisioned the user. GitLab sends no active for SAML
	// identities, whose Active is always false.
	Active bool `json:"active"`
}

// SCIMIdentity is one of a user's SCIM identities, as User.SCIMIdentities
// lists them.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#get-a-single-user
type SCIMIdentity struct {
	ExternUID string `json:"extern_uid"`
	// GroupID is the group whose SCIM provisioning made the identity;
	// nil for an instance-level SCIM identity (self-managed).
	GroupID *int64 `json:"group_id"`
	// Active is false once the identity provider deprovisioned the user.
	Active bool `json:"active"`
}

// UpdateGroupIdentityOptions are the parameters of
// SAMLIdentitiesService.Update and SCIMIdentitiesService.Update.
//
// GitLab API docs: https://docs.gitlab.com/api/saml/#update-extern_uid-field-for-a-saml-identity
type UpdateGroupIdentityOptions struct {
	// ExternUID is the identity's new UID. Required, not empty.
	ExternUID *string `url:"extern_uid,omitempty"`
}

func (o *UpdateGroupIdentityOptions) validate() error {
	if o == nil || o.ExternUID == nil || *o.ExternUID == "" {
		return invalidArg("update group identity: extern_uid is required")
	}
	return nil
}

// uidSegment is an identity's extern UID as one path segment: dots and
// "@" as they are, "/" as %2F.
func uidSegment(uid string) segment { return segment{"uid", uid} }

// List returns every SAML identity of a top-level group; GitLab does
// not paginate it. A group without SAML configured (a subgroup among
// them) is 400 "400 Bad request" (ErrBadRequest). Owners and
// administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/saml/#get-saml-identities-for-a-group
func (s *SAMLIdentitiesService) List(ctx context.Context, group GroupRef, opts ...RequestOption) ([]*GroupIdentity, *Response, error) {
	return doList[*GroupIdentity](ctx, s.client, at("groups", group, "saml", "identities"), nil, opts)
}

// ListIter yields every SAML identity of List. Who may call it is as
// for List.
//
// GitLab API docs: https://docs.gitlab.com/api/saml/#get-saml-identities-for-a-group
func (s *SAMLIdentitiesService) ListIter(ctx context.Context, group GroupRef, opts ...RequestOption) iter.Seq2[*GroupIdentity, error] {
	return iterate[*GroupIdentity](ctx, s.client, at("groups", group, "saml", "identities"), (*ListOptions)(nil), opts)
}

// Get returns the group's SAML identity whose UID is exactly uid
// (case-sensitive, as GitLab matches it); none is 404 "404 Identity Not
// Found" (ErrNotFound). GitLab routes the UID "identities" to List, so
// that one identity cannot be read here (Update and Delete reach it).
// Owners and administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/saml/#get-a-single-saml-identity
func (s *SAMLIdentitiesService) Get(ctx context.Context, group GroupRef, uid string, opts ...RequestOption) (*GroupIdentity, *Response, error) {
	return do[*GroupIdentity](ctx, s.client, http.MethodGet, at("groups", group, "saml", uidSegment(uid)), nil, opts)
}

// Update changes the UID of the group's SAML identity uid (matched
// exactly). GitLab refuses an extern UID already used at the group's
// provider (case-insensitively) with 400 and its model's message
// (ErrBadRequest); the same UID changes nothing. GitLab emails the user
// when the UID changes. Owners and administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/saml/#update-extern_uid-field-for-a-saml-identity
func (s *SAMLIdentitiesService) Update(ctx context.Context, group GroupRef, uid string, opt *UpdateGroupIdentityOptions, opts ...RequestOption) (*GroupIdentity, *Response, error) {
	return do[*GroupIdentity](ctx, s.client, http.MethodPatch, at("groups", group, "saml", uidSegment(uid)), opt, opts)
}

// Delete removes the group's SAML identity uid (matched exactly): the
// user loses the link to the identity provider, and keeps the account
// and its memberships. Owners and administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/saml/#delete-a-single-saml-identity
func (s *SAMLIdentitiesService) Delete(ctx context.Context, group GroupRef, uid string, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at("groups", group, "saml", uidSegment(uid)).markOnce(), nil, opts)
}

// List returns every SCIM identity of a group, with Active; GitLab does
// not paginate it, and a group without SCIM identities has none.
// Owners and administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/scim/#get-scim-identities-for-a-group
func (s *SCIMIdentitiesService) List(ctx context.Context, group GroupRef, opts ...RequestOption) ([]*GroupIdentity, *Response, error) {
	return doList[*GroupIdentity](ctx, s.client, at("groups", group, "scim", "identities"), nil, opts)
}

// ListIter yields every SCIM identity of List. Who may call it is as
// for List.
//
// GitLab API docs: https://docs.gitlab.com/api/scim/#get-scim-identities-for-a-group
func (s *SCIMIdentitiesService) ListIter(ctx context.Context, group GroupRef, opts ...RequestOption) iter.Seq2[*GroupIdentity, error] {
	return iterate[*GroupIdentity](ctx, s.client, at("groups", group, "scim", "identities"), (*ListOptions)(nil), opts)
}

// Get returns the group's SCIM identity whose UID is uid, compared
// case-insensitively as GitLab compares it; none is 404 "404 Identity
// Not Found" (ErrNotFound). As for SAML, the UID "identities" cannot be
// read here. Owners and administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/scim/#get-a-single-scim-identity
func (s *SCIMIdentitiesService) Get(ctx context.Context, group GroupRef, uid string, opts ...RequestOption) (*GroupIdentity, *Response, error) {
	return do[*GroupIdentity](ctx, s.client, http.MethodGet, at("groups", group, "scim", uidSegment(uid)), nil, opts)
}

// Update changes the UID of the group's SCIM identity uid (matched
// case-insensitively); Active is not changed. A UID already used in
// the group (case-insensitively) is 400 "Extern uid has already been
// taken" (ErrBadRequest). Owners and administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/scim/#update-extern_uid-field-for-a-scim-identity
func (s *SCIMIdentitiesService) Update(ctx context.Context, group GroupRef, uid string, opt *UpdateGroupIdentityOptions, opts ...RequestOption) (*GroupIdentity, *Response, error) {
	return do[*GroupIdentity](ctx, s.client, http.MethodPatch, at("groups", group, "scim", uidSegment(uid)), opt, opts)
}

// Delete removes the group's SCIM identity uid (matched
// case-insensitively); the user keeps the account. Owners and
// administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/scim/#delete-a-single-scim-identity
func (s *SCIMIdentitiesService) Delete(ctx context.Context, group GroupRef, uid string, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at("groups", group, "scim", uidSegment(uid)).markOnce(), nil, opts)
}
