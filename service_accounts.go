package gitlab

import (
	"context"
	"iter"
	"net/http"
	"time"
)

// ServiceAccountsService manages service accounts: users of type service
// account that cannot sign in and act only through their personal
// access tokens. Instance service accounts are managed by
// administrators; group and project ones by the group's Owners (the
// project's Maintainers and Owners) and administrators. Since GitLab
// 18.11 they are available on every tier; project service accounts need
// GitLab 18.11 or later.
//
// Tokens of an instance service account are managed with
// PersonalAccessTokensService (CreateForUser, Rotate, Revoke); an
// instance service account is deleted with UsersService.Delete.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/
type ServiceAccountsService service

// ServiceAccount is a service account user.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#list-all-instance-service-accounts
type ServiceAccount struct {
	ID          int64  `json:"id"`
	Username    string `json:"username"`
	Name        string `json:"name"`
	PublicEmail string `json:"public_email"`
	Email       string `json:"email"`
	// UnconfirmedEmail is a custom address waiting for confirmation;
	// GitLab sends it only while one is pending.
	UnconfirmedEmail string `json:"unconfirmed_email,omitempty"`
	// External is sent by GitLab 19.4 and later.
	External bool `json:"external"`
}

// ServiceAccountOrderBy is a field a service account list is sorted by.
type ServiceAccountOrderBy string

// The fields GitLab sorts service accounts by.
const (
	ServiceAccountOrderByID       ServiceAccountOrderBy = "id"
	ServiceAccountOrderByUsername ServiceAccountOrderBy = "username"
)

func (ServiceAccountOrderBy) known() []string {
	return []string{string(ServiceAccountOrderByID), string(ServiceAccountOrderByUsername)}
}

// ListServiceAccountsOptions are the parameters of the service account
// lists (instance, group and project).
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#list-all-instance-service-accounts
type ListServiceAccountsOptions struct {
	ListOptions
	// OrderBy and Sort order the list (GitLab's default: id, desc).
	OrderBy *ServiceAccountOrderBy `url:"order_by,omitempty"`
	Sort    *SortOrder             `url:"sort,omitempty"`
}

// CreateServiceAccountOptions are the parameters of Create,
// CreateForGroup and CreateForProject. Every field is optional: GitLab
// names the account "Service account user", generates a username
// (service_account_<hex>, service_account_group_<id>_<hex> or
// service_account_project_<id>_<hex>) and a no-reply email.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#create-an-instance-service-account
type CreateServiceAccountOptions struct {
	Name     *string `url:"name,omitempty"`
	Username *string `url:"username,omitempty"`
	// Email is a custom address, which GitLab leaves unconfirmed until
	// it is confirmed (unless confirmation is off on the instance).
	Email *string `url:"email,omitempty"`
	// External (instance accounts only, GitLab 19.4+) defaults to true.
	External *bool `url:"external,omitempty"`
}

// UpdateServiceAccountOptions are the parameters of Update,
// UpdateForGroup and UpdateForProject. GitLab ignores blank values.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#update-an-instance-service-account
type UpdateServiceAccountOptions struct {
	Name     *string `url:"name,omitempty"`
	Username *string `url:"username,omitempty"`
	Email    *string `url:"email,omitempty"`
	// External (instance accounts only, GitLab 19.4+).
	External *bool `url:"external,omitempty"`
}

// DeleteServiceAccountOptions are the parameters of DeleteForGroup and
// DeleteForProject.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#delete-a-group-service-account
type DeleteServiceAccountOptions struct {
	// HardDelete deletes the account's contributions instead of moving
	// them to the ghost user, and the groups it solely owns.
	HardDelete *bool `url:"hard_delete,omitempty"`
}

// ListServiceAccountTokensOptions are the parameters of
// ListTokensForGroup and ListTokensForProject: the filters of
// ListPersonalAccessTokensOptions, without user_id.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#list-all-personal-access-tokens-for-a-group-service-account
type ListServiceAccountTokensOptions struct {
	ListOptions
	// State is TokenStateActive or TokenStateInactive.
	State          *TokenState              `url:"state,omitempty"`
	Revoked        *bool                    `url:"revoked,omitempty"`
	CreatedBefore  *time.Time               `url:"created_before,omitempty"`
	CreatedAfter   *time.Time               `url:"created_after,omitempty"`
	LastUsedBefore *time.Time               `url:"last_used_before,omitempty"`
	LastUsedAfter  *time.Time               `url:"last_used_after,omitempty"`
	ExpiresBefore  *ISODate                 `url:"expires_before,omitempty"`
	ExpiresAfter   *ISODate                 `url:"expires_after,omitempty"`
	Search         *string                  `url:"search,omitempty"`
	Sort           *PersonalAccessTokenSort `url:"sort,omitempty"`
}

func (o *ListServiceAccountTokensOptions) validate() error {
	if o == nil {
		return nil
	}
	return validTokenState("list service account tokens", o.State)
}

// --- instance service accounts ----------------------------------------

// List returns one page of the instance's service accounts (group and
// project ones included). Administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#list-all-instance-service-accounts
func (s *ServiceAccountsService) List(ctx context.Context, opt *ListServiceAccountsOptions, opts ...RequestOption) ([]*ServiceAccount, *Response, error) {
	return doList[*ServiceAccount](ctx, s.client, at("service_accounts"), opt, opts)
}

// ListIter yields every service account of List, across pages.
// Administrators only.
//
// Deleting accounts inside the loop shifts the pages not yet fetched:
// others are skipped (or yielded twice), with no error. Collect them
// first (see Collect).
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#list-all-instance-service-accounts
func (s *ServiceAccountsService) ListIter(ctx context.Context, opt *ListServiceAccountsOptions, opts ...RequestOption) iter.Seq2[*ServiceAccount, error] {
	return iterate[*ServiceAccount](ctx, s.client, at("service_accounts"), opt, opts)
}

// Create makes an instance service account. Administrators only. A
// taken username or email gives 400 (not the 409 of UsersService.Create).
// Create is not retried after the request may have reached GitLab: after
// a failure without an answer, look for the account by username before
// creating it again.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#create-an-instance-service-account
func (s *ServiceAccountsService) Create(ctx context.Context, opt *CreateServiceAccountOptions, opts ...RequestOption) (*ServiceAccount, *Response, error) {
	return do[*ServiceAccount](ctx, s.client, http.MethodPost, at("service_accounts"), opt, opts)
}

// Update changes an instance service account. Administrators only. A
// user who is not a service account gives 400.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#update-an-instance-service-account
func (s *ServiceAccountsService) Update(ctx context.Context, userID int64, opt *UpdateServiceAccountOptions, opts ...RequestOption) (*ServiceAccount, *Response, error) {
	return do[*ServiceAccount](ctx, s.client, http.MethodPatch, at("service_accounts", userID), opt, opts)
}

// --- group service accounts -------------------------------------------

// ListForGroup returns one page of the service accounts the group
// created (not those of its subgroups or parents). The group's Owners
// and administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#list-all-group-service-accounts
func (s *ServiceAccountsService) ListForGroup(ctx context.Context, group GroupRef, opt *ListServiceAccountsOptions, opts ...RequestOption) ([]*ServiceAccount, *Response, error) {
	return doList[*ServiceAccount](ctx, s.client, at("groups", group, "service_accounts"), opt, opts)
}

// ListForGroupIter yields every service account of ListForGroup, across
// pages. The group's Owners and administrators only.
//
// Deleting accounts inside the loop shifts the pages not yet fetched:
// others are skipped (or yielded twice), with no error. Collect them
// first (see Collect).
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#list-all-group-service-accounts
func (s *ServiceAccountsService) ListForGroupIter(ctx context.Context, group GroupRef, opt *ListServiceAccountsOptions, opts ...RequestOption) iter.Seq2[*ServiceAccount, error] {
	return iterate[*ServiceAccount](ctx, s.client, at("groups", group, "service_accounts"), opt, opts)
}

// CreateForGroup makes a service account that belongs to the group.
// Administrators, and the group's Owners where the instance allows
// Owners to create service accounts (off by default on self-managed
// GitLab: an Owner then gets 400). Not retried after the request may
// have reached GitLab, as for Create.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#create-a-group-service-account
func (s *ServiceAccountsService) CreateForGroup(ctx context.Context, group GroupRef, opt *CreateServiceAccountOptions, opts ...RequestOption) (*ServiceAccount, *Response, error) {
	return do[*ServiceAccount](ctx, s.client, http.MethodPost, at("groups", group, "service_accounts"), opt, opts)
}

// UpdateForGroup changes a service account of the group. The group's
// Owners and administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#update-a-group-service-account
func (s *ServiceAccountsService) UpdateForGroup(ctx context.Context, group GroupRef, userID int64, opt *UpdateServiceAccountOptions, opts ...RequestOption) (*ServiceAccount, *Response, error) {
	return do[*ServiceAccount](ctx, s.client, http.MethodPatch, at("groups", group, "service_accounts", userID), opt, opts)
}

// DeleteForGroup deletes a service account of the group (GitLab deletes
// it in the background). Administrators, and Owners where the instance
// allows it. An account that is the sole owner of a group gives 409
// unless HardDelete is set.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#delete-a-group-service-account
func (s *ServiceAccountsService) DeleteForGroup(ctx context.Context, group GroupRef, userID int64, opt *DeleteServiceAccountOptions, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at("groups", group, "service_accounts", userID), opt, opts)
}

// ListTokensForGroup returns one page of the personal access tokens of
// a service account of the group. The group's Owners and administrators
// only.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#list-all-personal-access-tokens-for-a-group-service-account
func (s *ServiceAccountsService) ListTokensForGroup(ctx context.Context, group GroupRef, userID int64, opt *ListServiceAccountTokensOptions, opts ...RequestOption) ([]*PersonalAccessToken, *Response, error) {
	return doList[*PersonalAccessToken](ctx, s.client, at("groups", group, "service_accounts", userID, "personal_access_tokens"), opt, opts)
}

// ListTokensForGroupIter yields every token of ListTokensForGroup,
// across pages. The group's Owners and administrators only.
//
// Revoking or rotating tokens inside the loop shifts the pages not yet
// fetched of a list filtered by State (or Revoked): other tokens are
// skipped (or yielded twice), with no error, and a rotation adds a
// token the loop may meet. Collect them first (see Collect).
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#list-all-personal-access-tokens-for-a-group-service-account
func (s *ServiceAccountsService) ListTokensForGroupIter(ctx context.Context, group GroupRef, userID int64, opt *ListServiceAccountTokensOptions, opts ...RequestOption) iter.Seq2[*PersonalAccessToken, error] {
	return iterate[*PersonalAccessToken](ctx, s.client, at("groups", group, "service_accounts", userID, "personal_access_tokens"), opt, opts)
}

// CreateTokenForGroup makes a personal access token for a service
// account of the group, with any scopes. The group's Owners and
// administrators only. The returned Token is the secret, sent this
// once. Not retried after the request may have reached GitLab: after a
// failure without an answer, list the account's tokens by name before
// creating again.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#create-a-personal-access-token-for-a-group-service-account
func (s *ServiceAccountsService) CreateTokenForGroup(ctx context.Context, group GroupRef, userID int64, opt *CreatePersonalAccessTokenOptions, opts ...RequestOption) (*PersonalAccessToken, *Response, error) {
	return do[*PersonalAccessToken](ctx, s.client, http.MethodPost, at("groups", group, "service_accounts", userID, "personal_access_tokens"), opt, opts)
}

// RevokeTokenForGroup revokes a token of a service account of the group.
// The group's Owners and administrators only. A token of another user
// gives 404.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#revoke-a-personal-access-token-for-a-group-service-account
func (s *ServiceAccountsService) RevokeTokenForGroup(ctx context.Context, group GroupRef, userID, tokenID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at("groups", group, "service_accounts", userID, "personal_access_tokens", tokenID), nil, opts)
}

// RotateTokenForGroup revokes a token of a service account of the group
// and returns its replacement (same name, description and scopes; the
// expiry of opt, else a week from today). The group's Owners and
// administrators only. Not idempotent, and not retried after the
// request may have reached GitLab: after a failure without an answer,
// see PersonalAccessTokensService.Rotate.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#rotate-a-personal-access-token-for-a-group-service-account
func (s *ServiceAccountsService) RotateTokenForGroup(ctx context.Context, group GroupRef, userID, tokenID int64, opt *RotatePersonalAccessTokenOptions, opts ...RequestOption) (*PersonalAccessToken, *Response, error) {
	return do[*PersonalAccessToken](ctx, s.client, http.MethodPost, at("groups", group, "service_accounts", userID, "personal_access_tokens", tokenID, "rotate"), opt, opts)
}

// --- project service accounts (GitLab 18.11+) -------------------------

// ListForProject returns one page of the service accounts the project
// created. The project's Maintainers and Owners and administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#list-all-project-service-accounts
func (s *ServiceAccountsService) ListForProject(ctx context.Context, project ProjectRef, opt *ListServiceAccountsOptions, opts ...RequestOption) ([]*ServiceAccount, *Response, error) {
	return doList[*ServiceAccount](ctx, s.client, at("projects", project, "service_accounts"), opt, opts)
}

// ListForProjectIter yields every service account of ListForProject,
// across pages. The project's Maintainers and Owners and administrators
// only.
//
// Deleting accounts inside the loop shifts the pages not yet fetched:
// others are skipped (or yielded twice), with no error. Collect them
// first (see Collect).
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#list-all-project-service-accounts
func (s *ServiceAccountsService) ListForProjectIter(ctx context.Context, project ProjectRef, opt *ListServiceAccountsOptions, opts ...RequestOption) iter.Seq2[*ServiceAccount, error] {
	return iterate[*ServiceAccount](ctx, s.client, at("projects", project, "service_accounts"), opt, opts)
}

// CreateForProject makes a service account that belongs to the
// project. The project's Maintainers and Owners and administrators
// only. Not retried after the request may have reached GitLab, as for
// Create.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#create-a-project-service-account
func (s *ServiceAccountsService) CreateForProject(ctx context.Context, project ProjectRef, opt *CreateServiceAccountOptions, opts ...RequestOption) (*ServiceAccount, *Response, error) {
	return do[*ServiceAccount](ctx, s.client, http.MethodPost, at("projects", project, "service_accounts"), opt, opts)
}

// UpdateForProject changes a service account of the project. The
// project's Maintainers and Owners and administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#update-a-project-service-account
func (s *ServiceAccountsService) UpdateForProject(ctx context.Context, project ProjectRef, userID int64, opt *UpdateServiceAccountOptions, opts ...RequestOption) (*ServiceAccount, *Response, error) {
	return do[*ServiceAccount](ctx, s.client, http.MethodPatch, at("projects", project, "service_accounts", userID), opt, opts)
}

// DeleteForProject deletes a service account of the project (in the
// background). The project's Maintainers and Owners and administrators
// only. Unlike DeleteForGroup there is no sole-owner check.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#delete-a-project-service-account
func (s *ServiceAccountsService) DeleteForProject(ctx context.Context, project ProjectRef, userID int64, opt *DeleteServiceAccountOptions, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at("projects", project, "service_accounts", userID), opt, opts)
}

// ListTokensForProject returns one page of the personal access tokens
// of a service account of the project. The project's Maintainers and
// Owners and administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#list-all-personal-access-tokens-for-a-project-service-account
func (s *ServiceAccountsService) ListTokensForProject(ctx context.Context, project ProjectRef, userID int64, opt *ListServiceAccountTokensOptions, opts ...RequestOption) ([]*PersonalAccessToken, *Response, error) {
	return doList[*PersonalAccessToken](ctx, s.client, at("projects", project, "service_accounts", userID, "personal_access_tokens"), opt, opts)
}

// ListTokensForProjectIter yields every token of ListTokensForProject,
// across pages. The project's Maintainers and Owners and administrators
// only.
//
// Revoking or rotating tokens inside the loop shifts the pages not yet
// fetched of a list filtered by State (or Revoked): other tokens are
// skipped (or yielded twice), with no error, and a rotation adds a
// token the loop may meet. Collect them first (see Collect).
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#list-all-personal-access-tokens-for-a-project-service-account
func (s *ServiceAccountsService) ListTokensForProjectIter(ctx context.Context, project ProjectRef, userID int64, opt *ListServiceAccountTokensOptions, opts ...RequestOption) iter.Seq2[*PersonalAccessToken, error] {
	return iterate[*PersonalAccessToken](ctx, s.client, at("projects", project, "service_accounts", userID, "personal_access_tokens"), opt, opts)
}

// CreateTokenForProject makes a personal access token for a service
// account of the project. The project's Maintainers and Owners and
// administrators only. The returned Token is the secret, sent this
// once; retries as for CreateTokenForGroup.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#create-a-personal-access-token-for-a-project-service-account
func (s *ServiceAccountsService) CreateTokenForProject(ctx context.Context, project ProjectRef, userID int64, opt *CreatePersonalAccessTokenOptions, opts ...RequestOption) (*PersonalAccessToken, *Response, error) {
	return do[*PersonalAccessToken](ctx, s.client, http.MethodPost, at("projects", project, "service_accounts", userID, "personal_access_tokens"), opt, opts)
}

// RevokeTokenForProject revokes a token of a service account of the
// project. The project's Maintainers and Owners and administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#revoke-a-personal-access-token-for-a-project-service-account
func (s *ServiceAccountsService) RevokeTokenForProject(ctx context.Context, project ProjectRef, userID, tokenID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at("projects", project, "service_accounts", userID, "personal_access_tokens", tokenID), nil, opts)
}

// RotateTokenForProject revokes a token of a service account of the
// project and returns its replacement. The project's Maintainers and
// Owners and administrators only. Not idempotent; after a failure
// without an answer, see PersonalAccessTokensService.Rotate.
//
// GitLab API docs: https://docs.gitlab.com/api/service_accounts/#rotate-a-personal-access-token-for-a-project-service-account
func (s *ServiceAccountsService) RotateTokenForProject(ctx context.Context, project ProjectRef, userID, tokenID int64, opt *RotatePersonalAccessTokenOptions, opts ...RequestOption) (*PersonalAccessToken, *Response, error) {
	return do[*PersonalAccessToken](ctx, s.client, http.MethodPost, at("projects", project, "service_accounts", userID, "personal_access_tokens", tokenID, "rotate"), opt, opts)
}
