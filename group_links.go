package gitlab

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
)

// SAMLGroupLinksService manages a group's SAML group links: which SAML
// group (as the identity provider names it in its SAML answer) gives its
// members which role in the GitLab group when they sign in. GitLab keeps
// them as configuration; signing in applies them.
//
// GitLab answers 401 (ErrUnauthorized) "401 Unauthorized", not 403, to a
// caller who may not manage the links, and the same to a group that does
// not exist: GitLab looks the group up without a visibility check and
// then refuses the caller.
//
// GitLab API docs: https://docs.gitlab.com/api/saml_group_links/
type SAMLGroupLinksService service

// SAMLGroupLink links a SAML group to a role in a GitLab group.
//
// GitLab API docs: https://docs.gitlab.com/api/saml_group_links/
type SAMLGroupLink struct {
	// Name is the SAML group's name, as the identity provider sends it.
	Name string `json:"name"`
	// AccessLevel is the role the link gives.
	AccessLevel AccessLevel `json:"access_level"`
	// MemberRoleID is the custom role the link gives (GitLab Ultimate);
	// nil when it gives none or custom roles are off for the group.
	MemberRoleID *int64 `json:"member_role_id"`
	// Provider is the SAML provider the link applies to; nil for a
	// link that applies to any provider.
	Provider *string `json:"provider"`
}

// CreateSAMLGroupLinkOptions are the parameters of
// SAMLGroupLinksService.Create. SAMLGroupName and AccessLevel are
// required.
//
// GitLab API docs: https://docs.gitlab.com/api/saml_group_links/#add-a-saml-group-link
type CreateSAMLGroupLinkOptions struct {
	// SAMLGroupName is the SAML group's name (at most 255 characters;
	// GitLab strips surrounding spaces).
	SAMLGroupName *string `url:"saml_group_name,omitempty"`
	// AccessLevel is the role the link gives: Minimal Access, Guest,
	// Planner, Reporter, Developer, Maintainer or Owner.
	AccessLevel *AccessLevel `url:"access_level,omitempty"`
	// MemberRoleID is a custom role (GitLab Ultimate); GitLab drops it
	// silently where custom roles are off.
	MemberRoleID *int64 `url:"member_role_id,omitempty"`
	// Provider limits the link to one SAML provider; empty means any.
	Provider *string `url:"provider,omitempty"`
}

func (o *CreateSAMLGroupLinkOptions) validate() error {
	const what = "create SAML group link"
	switch {
	case o == nil:
		return invalidArg("%s: options are required (saml_group_name and access_level)", what)
	case o.SAMLGroupName == nil || strings.TrimSpace(*o.SAMLGroupName) == "":
		return invalidArg("%s: saml_group_name is required", what)
	}
	return validLinkLevel(what, "access_level", o.AccessLevel)
}

// GetSAMLGroupLinkOptions are the parameters of SAMLGroupLinksService.Get.
//
// GitLab API docs: https://docs.gitlab.com/api/saml_group_links/#get-a-saml-group-link
type GetSAMLGroupLinkOptions struct {
	// Provider picks the link of this provider when several links
	// share the name; a pointer to "" picks the link without a
	// provider. Without it GitLab answers 422 when the name is shared.
	Provider *string `url:"provider,omitempty"`
}

// DeleteSAMLGroupLinkOptions are the parameters of
// SAMLGroupLinksService.Delete.
//
// GitLab API docs: https://docs.gitlab.com/api/saml_group_links/#delete-a-saml-group-link
type DeleteSAMLGroupLinkOptions struct {
	// Provider picks the link as GetSAMLGroupLinkOptions.Provider does.
	Provider *string `url:"provider,omitempty"`
}

// linkLevels are Gitlab::Access.values_with_minimal_access
// (ee/lib/ee/gitlab/access.rb), the values the link endpoints accept
// (ee/lib/api/saml_group_links.rb, ee/lib/api/ldap_group_links.rb).
var linkLevels = []AccessLevel{
	AccessLevelMinimal, AccessLevelGuest, AccessLevelPlanner, AccessLevelReporter,
	AccessLevelDeveloper, AccessLevelMaintainer, AccessLevelOwner,
}

// validLinkLevel refuses a missing role and one the link endpoints do
// not accept.
func validLinkLevel(what, name string, l *AccessLevel) error {
	switch {
	case l == nil:
		return invalidArg("%s: %s is required", what, name)
	case !slices.Contains(linkLevels, *l):
		return invalidArg("%s: %s %d (%s) is not a role a group link gives", what, name, int(*l), *l)
	}
	return nil
}

// List returns every SAML group link of a group, in the order they were
// made; GitLab does not paginate it. Group Owners and administrators may
// call it where SAML group sync is available (401 otherwise).
//
// GitLab API docs: https://docs.gitlab.com/api/saml_group_links/#list-saml-group-links
func (s *SAMLGroupLinksService) List(ctx context.Context, group GroupRef, opts ...RequestOption) ([]*SAMLGroupLink, *Response, error) {
	return doList[*SAMLGroupLink](ctx, s.client, at("groups", group, "saml_group_links"), nil, opts)
}

// Get returns the SAML group link of this name (matched exactly, case
// included; sent as one escaped path segment). Callers as for List. An
// unknown name is 404 (ErrNotFound) "404 Not Found"; a name that links
// of several providers share is 422 unless opt names the provider.
//
// GitLab API docs: https://docs.gitlab.com/api/saml_group_links/#get-a-saml-group-link
func (s *SAMLGroupLinksService) Get(ctx context.Context, group GroupRef, name string, opt *GetSAMLGroupLinkOptions, opts ...RequestOption) (*SAMLGroupLink, *Response, error) {
	return do[*SAMLGroupLink](ctx, s.client, http.MethodGet, at("groups", group, "saml_group_links", segment{"name", name}), opt, opts)
}

// Create adds a SAML group link. Callers as for List. GitLab answers 400
// (ErrBadRequest) with its validation messages joined by commas, e.g.
// "Saml group name has already been taken" for a name the group already
// links for the same provider, or "Access level is invalid" for a role
// the group does not give. Create is not retried once it may have
// reached GitLab (a repeat would get "has already been taken"): after a
// 5xx or a dropped connection, see Get.
//
// GitLab API docs: https://docs.gitlab.com/api/saml_group_links/#add-a-saml-group-link
func (s *SAMLGroupLinksService) Create(ctx context.Context, group GroupRef, opt *CreateSAMLGroupLinkOptions, opts ...RequestOption) (*SAMLGroupLink, *Response, error) {
	return do[*SAMLGroupLink](ctx, s.client, http.MethodPost, at("groups", group, "saml_group_links"), opt, opts)
}

// Delete removes a SAML group link, found as Get finds it; the members
// it gave a role keep it. Callers as for List. Delete is retried like
// every DELETE: when the answer to an applied first attempt is lost, the
// retry answers 404.
//
// GitLab API docs: https://docs.gitlab.com/api/saml_group_links/#delete-a-saml-group-link
func (s *SAMLGroupLinksService) Delete(ctx context.Context, group GroupRef, name string, opt *DeleteSAMLGroupLinkOptions, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at("groups", group, "saml_group_links", segment{"name", name}), opt, opts)
}

// LDAPGroupLinksService manages a group's LDAP group links (which LDAP
// group, by CN or by filter, gives its members which role in the GitLab
// group) and starts an LDAP synchronization of a group. LDAP exists on
// self-managed GitLab only.
//
// Group Owners and administrators may call it; GitLab answers 403
// (ErrForbidden) "403 Forbidden" to other callers and to a group that
// does not exist alike (Sync excepted: see there).
//
// GitLab API docs: https://docs.gitlab.com/api/group_ldap_links/
type LDAPGroupLinksService service

// LDAPGroupLink links an LDAP group, named by its CN or found by an
// LDAP filter, to a role in a GitLab group.
//
// GitLab API docs: https://docs.gitlab.com/api/group_ldap_links/
type LDAPGroupLink struct {
	// CN is the LDAP group's common name; nil for a filter link.
	CN *string `json:"cn"`
	// GroupAccess is the role the link gives.
	GroupAccess AccessLevel `json:"group_access"`
	// Provider is the LDAP server's provider name, e.g. "ldapmain".
	Provider string `json:"provider"`
	// Filter is the LDAP filter of a filter link; nil for a CN link, and
	// always nil where the instance's license lacks filter links.
	Filter *string `json:"filter"`
	// MemberRoleID is the custom role the link gives (GitLab Ultimate);
	// nil when it gives none or custom roles are off for the group.
	MemberRoleID *int64 `json:"member_role_id"`
}

// CreateLDAPGroupLinkOptions are the parameters of
// LDAPGroupLinksService.Create: exactly one of CN and Filter, and
// GroupAccess and Provider.
//
// GitLab API docs: https://docs.gitlab.com/api/group_ldap_links/#add-an-ldap-group-link-with-cn-or-filter
type CreateLDAPGroupLinkOptions struct {
	// CN is the LDAP group's common name (at most 255 characters).
	CN *string `url:"cn,omitempty"`
	// Filter is an LDAP filter whose matches get the role (GitLab
	// Premium; a license without it answers 404).
	Filter *string `url:"filter,omitempty"`
	// GroupAccess is the role the link gives. Required.
	GroupAccess *AccessLevel `url:"group_access,omitempty"`
	// Provider is the LDAP server's provider name, e.g. "ldapmain".
	// Required.
	Provider *string `url:"provider,omitempty"`
	// MemberRoleID is a custom role (GitLab Ultimate); GitLab drops it
	// silently where custom roles are off.
	MemberRoleID *int64 `url:"member_role_id,omitempty"`
}

func (o *CreateLDAPGroupLinkOptions) validate() error {
	const what = "create LDAP group link"
	if o == nil {
		return invalidArg("%s: options are required (cn or filter, group_access and provider)", what)
	}
	if err := cnXorFilter(what, o.CN, o.Filter); err != nil {
		return err
	}
	if o.Provider == nil || *o.Provider == "" {
		return invalidArg("%s: provider is required", what)
	}
	return validLinkLevel(what, "group_access", o.GroupAccess)
}

// cnXorFilter refuses options without exactly one non-empty CN or
// Filter, as GitLab's exactly_one_of :cn, :filter.
func cnXorFilter(what string, cn, filter *string) error {
	switch {
	case cn != nil && filter != nil:
		return invalidArg("%s: cn and filter are mutually exclusive", what)
	case cn == nil && filter == nil:
		return invalidArg("%s: one of cn and filter is required", what)
	case cn != nil && *cn == "", filter != nil && *filter == "":
		return invalidArg("%s: cn or filter must not be empty", what)
	}
	return nil
}

// DeleteLDAPGroupLinkOptions are the parameters of
// LDAPGroupLinksService.Delete: CN alone, Provider with CN, or Provider
// with Filter.
//
// GitLab API docs: https://docs.gitlab.com/api/group_ldap_links/#delete-an-ldap-group-link-with-cn-or-filter
type DeleteLDAPGroupLinkOptions struct {
	// CN names the LDAP group of the link to delete.
	CN *string `url:"cn,omitempty"`
	// Filter names the LDAP filter of the link to delete.
	Filter *string `url:"filter,omitempty"`
	// Provider is the link's LDAP provider. Without it GitLab deletes
	// the first link of that CN, whatever its provider.
	Provider *string `url:"provider,omitempty"`
}

func (o *DeleteLDAPGroupLinkOptions) validate() error {
	const what = "delete LDAP group link"
	if o == nil {
		return invalidArg("%s: options are required (cn, or filter with provider)", what)
	}
	if err := cnXorFilter(what, o.CN, o.Filter); err != nil {
		return err
	}
	switch {
	case o.Provider != nil && *o.Provider == "":
		return invalidArg("%s: provider must not be empty", what)
	case o.Provider == nil && o.Filter != nil:
		return invalidArg("%s: deleting by filter needs the provider", what)
	case o.Provider == nil && strings.Contains(*o.CN, "."):
		// The path form's :cn, like every Grape path parameter without
		// its own requirements, stops at a dot; the query form does not.
		return invalidArg("%s: a cn with a dot (%q) needs the provider", what, *o.CN)
	}
	return nil
}

// ldapNoLinks is GitLab's answer to a list of no LDAP group links
// (ee/lib/api/ldap_group_links.rb).
const ldapNoLinks = "No linked LDAP groups found"

// List returns every LDAP group link of a group; GitLab does not
// paginate it. GitLab answers a group without links with 404 "No linked
// LDAP groups found" rather than an empty list: List returns an empty
// list and no error then (the *Response still holds the 404).
//
// GitLab API docs: https://docs.gitlab.com/api/group_ldap_links/#list-ldap-group-links
func (s *LDAPGroupLinksService) List(ctx context.Context, group GroupRef, opts ...RequestOption) ([]*LDAPGroupLink, *Response, error) {
	links, resp, err := doList[*LDAPGroupLink](ctx, s.client, at("groups", group, "ldap_group_links"), nil, opts)
	var e *ErrorResponse
	if errors.As(err, &e) && e.StatusCode == http.StatusNotFound && e.Message == ldapNoLinks {
		return []*LDAPGroupLink{}, resp, nil
	}
	return links, resp, err
}

// Create adds an LDAP group link by CN or by filter. GitLab answers 409
// (ErrConflict) with the first validation message when the link cannot
// be saved, e.g. "Cn has already been taken" for a CN the group already
// links for that provider, and 404 for a filter link where the license
// lacks them. Create is not retried once it may have reached GitLab (a
// repeat would get that 409): after a 5xx or a dropped connection, see
// List.
//
// GitLab API docs: https://docs.gitlab.com/api/group_ldap_links/#add-an-ldap-group-link-with-cn-or-filter
func (s *LDAPGroupLinksService) Create(ctx context.Context, group GroupRef, opt *CreateLDAPGroupLinkOptions, opts ...RequestOption) (*LDAPGroupLink, *Response, error) {
	return do[*LDAPGroupLink](ctx, s.client, http.MethodPost, at("groups", group, "ldap_group_links"), opt, opts)
}

// Delete removes an LDAP group link: with a Provider, the link of that
// provider and CN or filter (DELETE /groups/:id/ldap_group_links, its
// parameters in the query); with CN alone, the first link of that CN
// whatever its provider (GitLab's older DELETE
// /groups/:id/ldap_group_links/:cn, which cannot name a CN with a dot:
// give the provider for one). No such link is 404 (ErrNotFound) "Linked
// LDAP group not found". Delete is retried like every DELETE: when the
// answer to an applied first attempt is lost, the retry answers 404.
//
// GitLab API docs: https://docs.gitlab.com/api/group_ldap_links/#delete-an-ldap-group-link-with-cn-or-filter
func (s *LDAPGroupLinksService) Delete(ctx context.Context, group GroupRef, opt *DeleteLDAPGroupLinkOptions, opts ...RequestOption) (*Response, error) {
	if err := opt.validate(); err != nil {
		return nil, err
	}
	if opt.Provider == nil {
		return doNoValue(ctx, s.client, http.MethodDelete, at("groups", group, "ldap_group_links", segment{"cn", *opt.CN}), nil, opts)
	}
	return doNoValue(ctx, s.client, http.MethodDelete, at("groups", group, "ldap_group_links"), opt, opts)
}

// Sync queues an LDAP synchronization of a group, which GitLab runs in
// the background: it gives the members of the linked LDAP groups their
// roles and removes the LDAP users who left them. GitLab answers 202
// Accepted, also when a synchronization is already pending. Where LDAP
// group sync is off (GitLab.com, or no LDAP server or license) GitLab
// answers 404 "404 Not Found" before looking at the group; then 404
// "404 Group Not Found" for a group the caller cannot see, and 403
// (ErrForbidden) for callers below Owner. Sync is retried like a PUT: a
// repeat queues nothing more.
//
// GitLab API docs: https://docs.gitlab.com/api/groups/#sync-group-with-ldap
func (s *LDAPGroupLinksService) Sync(ctx context.Context, group GroupRef, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodPost, at("groups", group, "ldap_sync").markIdempotent(), nil, opts)
}
