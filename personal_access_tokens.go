package gitlab

import (
	"cmp"
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// PersonalAccessTokensService manages personal access tokens: listing,
// reading, creating, rotating and revoking them. What a caller may do
// depends on who they are: administrators reach every token of the
// instance, other users only their own.
//
// Write retries: Create, CreateForUser, Rotate and RotateCurrent are not
// idempotent (a repeated rotation would revoke the token the first one
// issued), so like every POST they are retried only when GitLab
// certainly did not act (429, or a connection that was never made).
// After any other failure the outcome is unknown: see Rotate.
//
// GitLab API docs: https://docs.gitlab.com/api/personal_access_tokens/
type PersonalAccessTokensService service

// PersonalAccessToken is a personal access token (of a user, a bot or a
// service account), or, in an administrator's List, possibly an
// impersonation token: GitLab's answer does not say which (see List).
// The secret Token is set only in the answer of the create and rotate
// methods; GitLab never sends it again.
//
// Token is a Secret: printing or logging a token, its copy, a slice of
// tokens or a struct holding one (fmt, log/slog's text and JSON
// handlers, encoding/json) shows it as "REDACTED". Token.Value() is the
// secret, to store or use.
//
// GitLab API docs: https://docs.gitlab.com/api/personal_access_tokens/#list-all-personal-access-tokens
type PersonalAccessToken struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// Active is false once the token is revoked or expired.
	Active  bool `json:"active"`
	Revoked bool `json:"revoked"`
	// Expired is sent by some GitLab versions only; use Active, or
	// compare ExpiresAt with today, to tell an expired token.
	Expired bool `json:"expired"`
	// Granular is true for tokens made with granular scopes.
	Granular bool     `json:"granular"`
	Scopes   []string `json:"scopes"`
	// GranularScopes lists the fine-grained permissions of a granular
	// token; GitLab sends it for granular tokens only.
	GranularScopes []*GranularScope `json:"granular_scopes,omitempty"`
	// UserID is the token's owner.
	UserID    int64      `json:"user_id"`
	CreatedAt *time.Time `json:"created_at"`
	// LastUsedAt is nil when the token was never used. GitLab updates it
	// at most every 10 minutes.
	LastUsedAt *time.Time `json:"last_used_at"`
	// LastUsedIPs lists up to five addresses the token was last used
	// from; older GitLab versions do not send it.
	LastUsedIPs []string `json:"last_used_ips"`
	// ExpiresAt is the day the token stops working: it is expired from
	// 00:00 UTC of that day on, and works through the day before. nil
	// when it never expires.
	ExpiresAt *ISODate `json:"expires_at"`
	// Token is the secret value. Only the create and rotate methods
	// return it, once: store Token.Value() then.
	Token Secret `json:"token,omitzero"`
}

// PersonalAccessTokenSort is an order of ListPersonalAccessTokensOptions.Sort.
type PersonalAccessTokenSort string

// The orders GitLab documents for token lists. GitLab silently ignores a
// value it does not know.
const (
	PersonalAccessTokenSortCreatedAsc   PersonalAccessTokenSort = "created_asc"
	PersonalAccessTokenSortCreatedDesc  PersonalAccessTokenSort = "created_desc"
	PersonalAccessTokenSortExpiresAsc   PersonalAccessTokenSort = "expires_asc"
	PersonalAccessTokenSortExpiresDesc  PersonalAccessTokenSort = "expires_desc"
	PersonalAccessTokenSortLastUsedAsc  PersonalAccessTokenSort = "last_used_asc"
	PersonalAccessTokenSortLastUsedDesc PersonalAccessTokenSort = "last_used_desc"
	PersonalAccessTokenSortNameAsc      PersonalAccessTokenSort = "name_asc"
	PersonalAccessTokenSortNameDesc     PersonalAccessTokenSort = "name_desc"
	PersonalAccessTokenSortIDAsc        PersonalAccessTokenSort = "id_asc"
	PersonalAccessTokenSortIDDesc       PersonalAccessTokenSort = "id_desc"
)

func (PersonalAccessTokenSort) known() []string {
	return []string{string(PersonalAccessTokenSortCreatedAsc), string(PersonalAccessTokenSortCreatedDesc), string(PersonalAccessTokenSortExpiresAsc), string(PersonalAccessTokenSortExpiresDesc), string(PersonalAccessTokenSortLastUsedAsc), string(PersonalAccessTokenSortLastUsedDesc), string(PersonalAccessTokenSortNameAsc), string(PersonalAccessTokenSortNameDesc), string(PersonalAccessTokenSortIDAsc), string(PersonalAccessTokenSortIDDesc)}
}

// ListPersonalAccessTokensOptions are the parameters of
// PersonalAccessTokensService.List and ListIter: GitLab's filters, all
// optional. Timestamps are sent as RFC 3339, dates as YYYY-MM-DD.
//
// GitLab API docs: https://docs.gitlab.com/api/personal_access_tokens/#list-all-personal-access-tokens
type ListPersonalAccessTokensOptions struct {
	ListOptions
	// UserID lists one user's tokens. Administrators may name anyone;
	// other users only themselves (GitLab answers 401 otherwise).
	UserID *int64 `url:"user_id,omitempty"`
	// State is TokenStateActive (neither revoked nor expired) or
	// TokenStateInactive; GitLab refuses TokenStateAll here.
	State *TokenState `url:"state,omitempty"`
	// Revoked true lists revoked tokens; false those not revoked
	// (expired ones included).
	Revoked *bool `url:"revoked,omitempty"`
	// CreatedBefore and CreatedAfter bound created_at (inclusive).
	CreatedBefore *time.Time `url:"created_before,omitempty"`
	CreatedAfter  *time.Time `url:"created_after,omitempty"`
	// LastUsedBefore and LastUsedAfter bound last_used_at (inclusive);
	// never-used tokens match neither.
	LastUsedBefore *time.Time `url:"last_used_before,omitempty"`
	LastUsedAfter  *time.Time `url:"last_used_after,omitempty"`
	// ExpiresBefore keeps tokens expiring before that day (strictly);
	// ExpiresAfter those expiring on or after it.
	ExpiresBefore *ISODate `url:"expires_before,omitempty"`
	ExpiresAfter  *ISODate `url:"expires_after,omitempty"`
	// Search matches the token's name, case-insensitively.
	Search *string                  `url:"search,omitempty"`
	Sort   *PersonalAccessTokenSort `url:"sort,omitempty"`
}

func (o *ListPersonalAccessTokensOptions) validate() error {
	if o == nil {
		return nil
	}
	if o.UserID != nil && *o.UserID <= 0 {
		return invalidArg("list personal access tokens: user_id must be positive, got %d", *o.UserID)
	}
	return validTokenState("list personal access tokens", o.State)
}

// validTokenState refuses the states GitLab's token lists do not take.
func validTokenState(what string, s *TokenState) error {
	if s != nil && *s != TokenStateActive && *s != TokenStateInactive {
		return invalidArg("%s: state must be %q or %q, got %q", what, TokenStateActive, TokenStateInactive, *s)
	}
	return nil
}

// CreatePersonalAccessTokenOptions are the parameters of
// PersonalAccessTokensService.Create and CreateForUser, and of the
// service-account token methods. Name and Scopes are required.
//
// GitLab API docs: https://docs.gitlab.com/api/user_tokens/#create-a-personal-access-token-for-a-user
type CreatePersonalAccessTokenOptions struct {
	// Name names the token. Required.
	Name *string `url:"name,omitempty"`
	// Description describes the token (at most 255 characters).
	Description *string `url:"description,omitempty"`
	// ExpiresAt is the day the token stops working, sent as YYYY-MM-DD.
	// GitLab 16.0 and later require an expiry unless the instance's
	// administrators turned require_personal_access_token_expiry off,
	// so the SDK does not refuse an omitted date itself. Omitted, current
	// GitLab gives the longest allowed lifetime (365 days by default;
	// versions before 17.x answered 400 "expires_at can't be blank"), or
	// no expiry where none is required. A date past the longest lifetime
	// is refused (422); a past date gives an inactive token.
	ExpiresAt *ISODate `url:"expires_at,omitempty"`
	// Scopes lists what the token may do, sent as scopes[]=api. At
	// least one is required. For Create (a token for yourself) GitLab
	// allows only ScopeK8sProxy and ScopeSelfRotate.
	Scopes []string `url:"scopes,omitempty,brackets"`
}

func (o *CreatePersonalAccessTokenOptions) validate() error {
	switch {
	case o == nil:
		return invalidArg("create personal access token: options are required (name and scopes)")
	case o.Name == nil || *o.Name == "":
		return invalidArg("create personal access token: name is required")
	case len(o.Scopes) == 0:
		return invalidArg("create personal access token: at least one scope is required")
	}
	return nil
}

// RotatePersonalAccessTokenOptions are the parameters of the rotate
// methods.
//
// GitLab API docs: https://docs.gitlab.com/api/personal_access_tokens/#rotate-a-personal-access-token
type RotatePersonalAccessTokenOptions struct {
	// ExpiresAt is the new token's expiry day, sent as YYYY-MM-DD. GitLab
	// 16.0 and later require tokens to expire unless the instance's
	// administrators turned require_personal_access_token_expiry off, so
	// the SDK does not refuse an omitted date itself: omitted, GitLab
	// uses today + 7 days (or no expiry where none is required). A date
	// past the longest allowed lifetime is refused with 400.
	ExpiresAt *ISODate `url:"expires_at,omitempty"`
}

// ListTokenAssociationsOptions are the parameters of
// PersonalAccessTokensService.ListCurrentAssociations and its iterator.
//
// GitLab API docs: https://docs.gitlab.com/api/personal_access_tokens/#list-all-token-associations
type ListTokenAssociationsOptions struct {
	ListOptions
	// MinAccessLevel keeps the groups and projects where the user has
	// at least this role (and the groups' descendants).
	MinAccessLevel *AccessLevel `url:"min_access_level,omitempty"`
}

// TokenAssociations is one page of the groups and projects a token can
// reach. GitLab pages both lists with the same page and per_page; the
// Response's pagination headers follow the projects.
//
// GitLab API docs: https://docs.gitlab.com/api/personal_access_tokens/#list-all-token-associations
type TokenAssociations struct {
	Groups   []*AssociatedGroup   `json:"groups"`
	Projects []*AssociatedProject `json:"projects"`
}

// AssociatedGroup is a group in TokenAssociations.
type AssociatedGroup struct {
	ID             int64  `json:"id"`
	WebURL         string `json:"web_url"`
	Name           string `json:"name"`
	ParentID       *int64 `json:"parent_id"`
	OrganizationID int64  `json:"organization_id"`
	// AccessLevels is the user's highest role in the group, nil when the
	// group is reachable without a membership.
	AccessLevels *AccessLevel `json:"access_levels"`
	Visibility   string       `json:"visibility"`
}

// AssociatedProject is a project in TokenAssociations.
type AssociatedProject struct {
	ID                int64                    `json:"id"`
	Description       string                   `json:"description"`
	Name              string                   `json:"name"`
	NameWithNamespace string                   `json:"name_with_namespace"`
	Path              string                   `json:"path"`
	PathWithNamespace string                   `json:"path_with_namespace"`
	CreatedAt         *time.Time               `json:"created_at"`
	AccessLevels      ProjectAccessLevels      `json:"access_levels"`
	Visibility        string                   `json:"visibility"`
	WebURL            string                   `json:"web_url"`
	Namespace         *AssociatedProjectParent `json:"namespace"`
}

// ProjectAccessLevels are the user's roles in a project: directly and
// through its group; nil where there is none.
type ProjectAccessLevels struct {
	ProjectAccessLevel *AccessLevel `json:"project_access_level"`
	GroupAccessLevel   *AccessLevel `json:"group_access_level"`
}

// AssociatedProjectParent is the namespace (a group or a user) of an
// AssociatedProject.
type AssociatedProjectParent struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	Path      string  `json:"path"`
	Kind      string  `json:"kind"`
	FullPath  string  `json:"full_path"`
	ParentID  *int64  `json:"parent_id"`
	AvatarURL *string `json:"avatar_url"`
	WebURL    string  `json:"web_url"`
}

// EncodeValues implements go-querystring's query.Encoder, so an access
// level is sent as its number (40), not its name.
func (l AccessLevel) EncodeValues(key string, v *url.Values) error {
	v.Set(key, strconv.Itoa(int(l)))
	return nil
}

// TokenAssociation is one item ListCurrentAssociationsIter yields:
// exactly one of Group and Project is set.
type TokenAssociation struct {
	Group   *AssociatedGroup
	Project *AssociatedProject
}

// List returns one page of personal access tokens: for an
// administrator, every token of the instance (impersonation, bot and
// service-account tokens included); for anyone else, their own tokens
// (revoked and expired ones too, unless filtered out), never their
// impersonation tokens. Ordered by ID unless opt.Sort says otherwise.
//
// Nothing in an administrator's list tells an impersonation token from
// a personal one: GitLab sends the same fields for both, without the
// impersonation flag of ImpersonationToken. To tell them apart, list
// the owner's impersonation tokens with ImpersonationTokensService.List
// (UserID is the owner; State TokenStateAll, the default, includes
// revoked and expired ones): the tokens whose IDs it returns are the
// impersonation tokens.
//
// GitLab API docs: https://docs.gitlab.com/api/personal_access_tokens/#list-all-personal-access-tokens
func (s *PersonalAccessTokensService) List(ctx context.Context, opt *ListPersonalAccessTokensOptions, opts ...RequestOption) ([]*PersonalAccessToken, *Response, error) {
	return doList[*PersonalAccessToken](ctx, s.client, at("personal_access_tokens"), opt, opts)
}

// ListIter yields every token List would return, across pages. Any
// authenticated user, as for List.
//
// Do not revoke or rotate tokens inside the loop. A revoked token
// leaves a list filtered by State active (or Revoked false), which
// shifts the pages not yet fetched: other tokens are skipped (or
// yielded twice), with no error. A rotation also adds a token, which
// the loop may meet. Collect the tokens first, then act on them (see
// Collect and its example).
//
// GitLab API docs: https://docs.gitlab.com/api/personal_access_tokens/#list-all-personal-access-tokens
func (s *PersonalAccessTokensService) ListIter(ctx context.Context, opt *ListPersonalAccessTokensOptions, opts ...RequestOption) iter.Seq2[*PersonalAccessToken, error] {
	return iterate[*PersonalAccessToken](ctx, s.client, at("personal_access_tokens"), opt, opts)
}

// Get returns one personal access token, without its secret. The
// token's owner and administrators may call it; anyone else gets 401,
// whether or not the token exists.
//
// GitLab API docs: https://docs.gitlab.com/api/personal_access_tokens/#get-details-on-a-personal-access-token
func (s *PersonalAccessTokensService) Get(ctx context.Context, id int64, opts ...RequestOption) (*PersonalAccessToken, *Response, error) {
	return do[*PersonalAccessToken](ctx, s.client, http.MethodGet, at("personal_access_tokens", id), nil, opts)
}

// Current returns the personal access token the client authenticates
// with (GET /personal_access_tokens/self). Any personal access token
// may call it, whatever its scopes; other kinds of tokens get 400.
//
// GitLab API docs: https://docs.gitlab.com/api/personal_access_tokens/#self-inform
func (s *PersonalAccessTokensService) Current(ctx context.Context, opts ...RequestOption) (*PersonalAccessToken, *Response, error) {
	return do[*PersonalAccessToken](ctx, s.client, http.MethodGet, at("personal_access_tokens", "self"), nil, opts)
}

// Rotate revokes a personal access token and returns its replacement:
// same name, description and scopes, a new ID and secret (Token), and
// the expiry of opt (GitLab's default is a week from today). The
// token's owner and administrators may call it. Rotating a revoked
// token fails with 400, and GitLab also revokes every token rotated
// from it (reuse detection).
//
// Rotate is not idempotent and is never retried after the request may
// have reached GitLab. When it fails without an answer (a dropped
// connection, a 502 from a proxy) the rotation may or may not have
// happened: do not call Rotate again. Get the old token: if it is still
// active, nothing happened and Rotate may be called again; if it is
// revoked, the new secret was issued and lost, so revoke its successor
// (the newest token of the same name, from List) and rotate or create
// anew.
//
// GitLab API docs: https://docs.gitlab.com/api/personal_access_tokens/#rotate-a-personal-access-token
func (s *PersonalAccessTokensService) Rotate(ctx context.Context, id int64, opt *RotatePersonalAccessTokenOptions, opts ...RequestOption) (*PersonalAccessToken, *Response, error) {
	return do[*PersonalAccessToken](ctx, s.client, http.MethodPost, at("personal_access_tokens", id, "rotate"), opt, opts)
}

// RotateCurrent rotates the personal access token the client
// authenticates with (POST /personal_access_tokens/self/rotate); the
// token needs the api or the self_rotate scope. After it succeeds the
// client's own token is revoked: make a new client with the returned
// Token. What to do after an ambiguous failure is as for Rotate, with
// the difference that the old token no longer authenticates once the
// rotation happened (401): that 401 is the answer to "did it happen?".
//
// GitLab API docs: https://docs.gitlab.com/api/personal_access_tokens/#self-rotate
func (s *PersonalAccessTokensService) RotateCurrent(ctx context.Context, opt *RotatePersonalAccessTokenOptions, opts ...RequestOption) (*PersonalAccessToken, *Response, error) {
	return do[*PersonalAccessToken](ctx, s.client, http.MethodPost, at("personal_access_tokens", "self", "rotate"), opt, opts)
}

// Revoke revokes a personal access token. Its owner may revoke it
// (unless it is an impersonation token), and administrators any token;
// anyone else gets 400. GitLab keeps the token, marked revoked, and
// revoking it again succeeds. Revoke is retried like every DELETE.
//
// GitLab API docs: https://docs.gitlab.com/api/personal_access_tokens/#revoke-a-personal-access-token
func (s *PersonalAccessTokensService) Revoke(ctx context.Context, id int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at("personal_access_tokens", id), nil, opts)
}

// RevokeCurrent revokes the personal access token the client
// authenticates with (DELETE /personal_access_tokens/self), whatever
// its scopes. The client cannot authenticate afterwards.
//
// GitLab API docs: https://docs.gitlab.com/api/personal_access_tokens/#self-revoke
func (s *PersonalAccessTokensService) RevokeCurrent(ctx context.Context, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at("personal_access_tokens", "self"), nil, opts)
}

// ListCurrentAssociations returns one page of the groups and projects
// the client's personal access token can reach (any scope). GitLab
// answers one object holding a page of each list, so that is what it
// returns. Without MinAccessLevel GitLab includes every group and
// project visible to the user, not only memberships.
//
// GitLab API docs: https://docs.gitlab.com/api/personal_access_tokens/#list-all-token-associations
func (s *PersonalAccessTokensService) ListCurrentAssociations(ctx context.Context, opt *ListTokenAssociationsOptions, opts ...RequestOption) (*TokenAssociations, *Response, error) {
	return do[*TokenAssociations](ctx, s.client, http.MethodGet, at("personal_access_tokens", "self", "associations"), opt, opts)
}

// ListCurrentAssociationsIter yields every group and project of
// ListCurrentAssociations across pages: per page, its groups, then its
// projects, each as a TokenAssociation with one field set. It asks for
// pages until both lists are exhausted and stops at the first error
// (yielded once) or when the caller breaks. The caller's options are
// not changed.
//
// GitLab paginates both lists with the same page and per_page, but its
// pagination headers describe the projects only
// (lib/api/personal_access_tokens/self_information.rb calls paginate on
// the groups, then on the projects). So the iterator also asks for the
// next page when a page is full of groups, by the page size GitLab
// reports (X-Per-Page; it caps per_page at 100): when the groups
// exactly fill the page on which the projects end, one more request,
// answered with two empty lists, is the only way to learn that no group
// follows.
//
// GitLab API docs: https://docs.gitlab.com/api/personal_access_tokens/#list-all-token-associations
func (s *PersonalAccessTokensService) ListCurrentAssociationsIter(ctx context.Context, opt *ListTokenAssociationsOptions, opts ...RequestOption) iter.Seq2[*TokenAssociation, error] {
	perPage := 0
	if opt != nil {
		perPage = opt.PerPage
	}
	return iteratePages(ctx, s.client, at("personal_access_tokens", "self", "associations"), opt, opts, pager[*TokenAssociation, TokenAssociations]{
		items: func(a *TokenAssociations) []*TokenAssociation {
			out := make([]*TokenAssociation, 0, len(a.Groups)+len(a.Projects))
			for _, g := range a.Groups {
				out = append(out, &TokenAssociation{Group: g})
			}
			for _, p := range a.Projects {
				out = append(out, &TokenAssociation{Project: p})
			}
			return out
		},
		// The headers follow the projects only; the groups may run
		// longer, so a full page of groups also asks for the next. Full
		// is by the page size GitLab used, which is not the one asked
		// for above its cap; the caller's stands in only when GitLab
		// does not say.
		more: func(a *TokenAssociations, r *Response) bool {
			n := cmp.Or(r.ItemsPerPage, perPage)
			return n > 0 && len(a.Groups) >= n
		},
	})
}

// Create makes a personal access token for the authenticated user
// (POST /user/personal_access_tokens). GitLab allows only the scopes
// ScopeK8sProxy and ScopeSelfRotate here (400 otherwise); for other
// scopes an administrator uses CreateForUser. The returned Token is the
// secret, sent this once.
//
// Create is not idempotent and is never retried after the request may
// have reached GitLab: after a failure without an answer, List your
// tokens by name before creating again, and revoke a duplicate.
//
// GitLab API docs: https://docs.gitlab.com/api/user_tokens/#create-a-personal-access-token
func (s *PersonalAccessTokensService) Create(ctx context.Context, opt *CreatePersonalAccessTokenOptions, opts ...RequestOption) (*PersonalAccessToken, *Response, error) {
	return do[*PersonalAccessToken](ctx, s.client, http.MethodPost, at("user", "personal_access_tokens"), opt, opts)
}

// CreateForUser makes a personal access token for another user, with
// any scopes GitLab offers, the administrator scopes included whoever
// the user is (see ScopeSudo). Administrators only. The returned Token is the secret, sent this
// once. Retries and ambiguous failures are as for Create.
//
// GitLab API docs: https://docs.gitlab.com/api/user_tokens/#create-a-personal-access-token-for-a-user
func (s *PersonalAccessTokensService) CreateForUser(ctx context.Context, userID int64, opt *CreatePersonalAccessTokenOptions, opts ...RequestOption) (*PersonalAccessToken, *Response, error) {
	return do[*PersonalAccessToken](ctx, s.client, http.MethodPost, at("users", userID, "personal_access_tokens"), opt, opts)
}
