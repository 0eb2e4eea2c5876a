package gitlab

import (
	"context"
	"iter"
	"net/http"
	"slices"
	"time"
)

// AccessTokensService manages group and project access tokens. Each
// such token belongs to a bot user of its own, which GitLab creates with
// the token (username group_<id>_bot_<hex> or project_<id>_bot_<hex>)
// and adds as a member of the group or project at the token's
// AccessLevel. Every method takes the group or project as a Source
// (GroupID, GroupPath, ProjectID, ProjectPath).
//
// Who may call: for a group its Owners, for a project its Maintainers
// and Owners, and administrators. A group or project the caller cannot
// see is 404 (ErrNotFound). GitLab answers a caller without the rights
// with unusual statuses, documented on each method: 401 for List, Get
// and Rotate, 400 for Create and Revoke.
//
// Write retries: Create, Rotate and RotateCurrent issue a secret and are
// never repeated once GitLab may have acted (they are retried only on
// 429 and on connections never made); each says what to do after an
// ambiguous failure. Revoke is retried like every DELETE: revoking a
// revoked token succeeds.
//
// GitLab API docs: https://docs.gitlab.com/api/group_access_tokens/
// and https://docs.gitlab.com/api/project_access_tokens/
type AccessTokensService service

// AccessToken is a group or project access token: GitLab's
// ResourceAccessToken entity, a personal access token of the bot user
// UserID, with the bot's role in the group or project.
//
// Token is a Secret, set only in the answers of Create, Rotate and
// RotateCurrent: printing or logging the token (fmt, log/slog,
// encoding/json) shows "REDACTED". Token.Value() is the secret, to store
// or use.
//
// GitLab API docs: https://docs.gitlab.com/api/group_access_tokens/#list-all-group-access-tokens
type AccessToken struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// Active is false once the token is revoked or expired.
	Active  bool `json:"active"`
	Revoked bool `json:"revoked"`
	// Granular is true for tokens made with granular scopes (GitLab
	// 19.x; older versions do not send it).
	Granular bool     `json:"granular"`
	Scopes   []string `json:"scopes"`
	// UserID is the token's bot user.
	UserID    int64      `json:"user_id"`
	CreatedAt *time.Time `json:"created_at"`
	// LastUsedAt is nil when the token was never used. GitLab updates
	// it at most every 10 minutes.
	LastUsedAt *time.Time `json:"last_used_at"`
	// LastUsedIPs lists up to five addresses the token was last used
	// from; older GitLab versions do not send it.
	LastUsedIPs []string `json:"last_used_ips"`
	// ExpiresAt is the day the token stops working (it is expired from
	// 00:00 UTC of that day on); nil when it never expires.
	ExpiresAt *ISODate `json:"expires_at"`
	// AccessLevel is the bot user's role in the group or project.
	AccessLevel AccessLevel `json:"access_level"`
	// ResourceType is "group" or "project", and ResourceID its ID: where
	// the token belongs.
	ResourceType string `json:"resource_type"`
	ResourceID   int64  `json:"resource_id"`
	// Token is the secret value. Only Create, Rotate and RotateCurrent
	// return it, once: store Token.Value() then.
	Token Secret `json:"token,omitzero"`
}

// ListAccessTokensOptions are the parameters of AccessTokensService.List
// and ListIter: GitLab's filters, all optional, with the semantics of
// the personal access token list. Timestamps are sent as RFC 3339,
// dates as YYYY-MM-DD.
//
// GitLab API docs: https://docs.gitlab.com/api/group_access_tokens/#list-all-group-access-tokens
type ListAccessTokensOptions struct {
	ListOptions
	// State is TokenStateActive (neither revoked nor expired) or
	// TokenStateInactive; GitLab refuses TokenStateAll here. Without a
	// state or Revoked, revoked and expired tokens are listed too.
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
	Search *string `url:"search,omitempty"`
	// Sort orders the list (GitLab's default: by ID, ascending). The
	// orders are those of the personal access token list.
	Sort *PersonalAccessTokenSort `url:"sort,omitempty"`
}

func (o *ListAccessTokensOptions) validate() error {
	if o == nil {
		return nil
	}
	return validTokenState("list access tokens", o.State)
}

// CreateAccessTokenOptions are the parameters of
// AccessTokensService.Create. Name and Scopes are required.
//
// GitLab API docs: https://docs.gitlab.com/api/group_access_tokens/#create-a-group-access-token
type CreateAccessTokenOptions struct {
	// Name names the token, and its bot user. Required.
	Name *string `url:"name,omitempty"`
	// Description describes the token.
	Description *string `url:"description,omitempty"`
	// Scopes lists what the token may do, sent as scopes[]=api. At
	// least one is required. GitLab allows every non-administrator
	// scope but ScopeReadUser (400 "scopes does not have a valid value"
	// otherwise).
	Scopes []string `url:"scopes,omitempty,brackets"`
	// AccessLevel is the bot user's role in the group or project
	// (GitLab's default: Maintainer); it may not exceed the caller's
	// own. Sent as its number.
	AccessLevel *AccessLevel `url:"access_level,omitempty"`
	// ExpiresAt is the day the token stops working, sent as YYYY-MM-DD.
	// Omitting it is refused by GitLab's default configuration (400
	// "expires_at is missing"): only an instance that turned the
	// allow_resource_access_token_creation_without_expiry_date feature
	// flag on and require_personal_access_token_expiry off accepts it
	// (the token then never expires). The SDK leaves that decision to
	// GitLab. A date past the longest allowed lifetime (365 days by
	// default) is refused with 400; a past date gives an inactive token.
	ExpiresAt *ISODate `url:"expires_at,omitempty"`
}

func (o *CreateAccessTokenOptions) validate() error {
	switch {
	case o == nil:
		return invalidArg("create access token: options are required (name and scopes)")
	case o.Name == nil || *o.Name == "":
		return invalidArg("create access token: name is required")
	case len(o.Scopes) == 0:
		return invalidArg("create access token: at least one scope is required")
	case slices.Contains(o.Scopes, ""):
		return invalidArg("create access token: a scope must not be empty")
	case o.AccessLevel != nil && !slices.Contains(accessTokenLevels, *o.AccessLevel):
		return invalidArg("create access token: access_level %d (%s) is not a role GitLab gives a token", int(*o.AccessLevel), *o.AccessLevel)
	}
	return nil
}

// accessTokenLevels are the values lib/api/resource_access_tokens.rb
// takes for access_level: Gitlab::Access.all_values (no Minimal Access).
var accessTokenLevels = []AccessLevel{
	AccessLevelGuest, AccessLevelPlanner, AccessLevelReporter, AccessLevelSecurityManager,
	AccessLevelDeveloper, AccessLevelMaintainer, AccessLevelOwner,
}

// RotateAccessTokenOptions are the parameters of
// AccessTokensService.Rotate and RotateCurrent.
//
// GitLab API docs: https://docs.gitlab.com/api/group_access_tokens/#rotate-a-group-access-token
type RotateAccessTokenOptions struct {
	// ExpiresAt is the new token's expiry day, sent as YYYY-MM-DD.
	// Omitted, GitLab uses today + 7 days where tokens must expire (the
	// default), and no expiry elsewhere. A date past the longest
	// allowed lifetime is refused with 400.
	ExpiresAt *ISODate `url:"expires_at,omitempty"`
}

// List returns one page of the access tokens of a group or project: the
// tokens of every bot user that is a member of it, revoked and expired
// ones included unless filtered out, ordered by ID unless opt.Sort says
// otherwise. Group Owners, project Maintainers and Owners, and
// administrators may call it; other members get 401
// (ErrUnauthorized), not 403.
//
// GitLab API docs: https://docs.gitlab.com/api/group_access_tokens/#list-all-group-access-tokens
// and https://docs.gitlab.com/api/project_access_tokens/#list-all-project-access-tokens
func (s *AccessTokensService) List(ctx context.Context, src Source, opt *ListAccessTokensOptions, opts ...RequestOption) ([]*AccessToken, *Response, error) {
	return doList[*AccessToken](ctx, s.client, at(in(src), "access_tokens"), opt, opts)
}

// ListIter yields every token List would return, across pages. Who may
// call it is as for List.
//
// Do not revoke or rotate tokens inside the loop: a revoked token leaves
// a list filtered by State active, and a rotation adds a token, which
// shifts the pages not yet fetched. Collect the tokens first, then act
// on them.
//
// GitLab API docs: https://docs.gitlab.com/api/group_access_tokens/#list-all-group-access-tokens
// and https://docs.gitlab.com/api/project_access_tokens/#list-all-project-access-tokens
func (s *AccessTokensService) ListIter(ctx context.Context, src Source, opt *ListAccessTokensOptions, opts ...RequestOption) iter.Seq2[*AccessToken, error] {
	return iterate[*AccessToken](ctx, s.client, at(in(src), "access_tokens"), opt, opts)
}

// Get returns one access token of a group or project, without its
// secret. Who may call it is as for List: other members get 401
// (ErrUnauthorized). A token that does not exist, or belongs to another
// group or project, is 404 ("404 group Access Token Not Found").
//
// GitLab API docs: https://docs.gitlab.com/api/group_access_tokens/#get-details-on-a-group-access-token
// and https://docs.gitlab.com/api/project_access_tokens/#get-details-on-a-project-access-token
func (s *AccessTokensService) Get(ctx context.Context, src Source, id int64, opts ...RequestOption) (*AccessToken, *Response, error) {
	return do[*AccessToken](ctx, s.client, http.MethodGet, at(in(src), "access_tokens", id), nil, opts)
}

// Create makes an access token for a group or project, and with it its
// bot user, a member at opt.AccessLevel. The returned Token is the
// secret, sent this once. Group Owners, project Maintainers and Owners,
// and administrators may call it, where the group's settings allow
// access tokens (on GitLab.com: Premium and higher); every refusal,
// lack of rights included, is 400 (ErrBadRequest) with GitLab's reason,
// e.g. "User does not have permission to create group access token" or
// "expires_at is missing" (see CreateAccessTokenOptions.ExpiresAt). A
// group or project access token cannot create tokens.
//
// Create is not idempotent and is never retried after the request may
// have reached GitLab. When it fails without an answer (a dropped
// connection, a 502 from a proxy) the token may or may not exist: List
// the tokens with Search set to the name (State active), and revoke a
// token of that name created by the failed call before creating anew:
// its secret was lost.
//
// GitLab API docs: https://docs.gitlab.com/api/group_access_tokens/#create-a-group-access-token
// and https://docs.gitlab.com/api/project_access_tokens/#create-a-project-access-token
func (s *AccessTokensService) Create(ctx context.Context, src Source, opt *CreateAccessTokenOptions, opts ...RequestOption) (*AccessToken, *Response, error) {
	return do[*AccessToken](ctx, s.client, http.MethodPost, at(in(src), "access_tokens"), opt, opts)
}

// Rotate revokes an access token and returns its replacement for the
// same bot user: same name, description, scopes and role, a new ID and
// secret (Token), and the expiry of opt. Who may call it is as for
// Create, and the token's role must not exceed the caller's. Without the
// rights, or for a token of another group or project, GitLab answers 401
// (ErrUnauthorized), and administrators get 404; a revoked token is 400
// "Token already revoked" (GitLab then also revokes every token rotated
// from it).
//
// Rotate is not idempotent and is never retried after the request may
// have reached GitLab: a repeat would revoke the token the first
// attempt issued. When it fails without an answer (a dropped
// connection, a 502 from a proxy) the rotation may or may not have
// happened: do not call Rotate again. Get the old token: if it is still
// active, nothing happened and Rotate may be called again; if it is
// revoked, the new secret was issued and lost, so revoke its successor
// (the newest active token of the same name, from List) and rotate or
// create anew.
//
// GitLab API docs: https://docs.gitlab.com/api/group_access_tokens/#rotate-a-group-access-token
// and https://docs.gitlab.com/api/project_access_tokens/#rotate-a-project-access-token
func (s *AccessTokensService) Rotate(ctx context.Context, src Source, id int64, opt *RotateAccessTokenOptions, opts ...RequestOption) (*AccessToken, *Response, error) {
	return do[*AccessToken](ctx, s.client, http.MethodPost, at(in(src), "access_tokens", id, "rotate"), opt, opts)
}

// RotateCurrent rotates the group or project access token the client
// authenticates with (POST …/access_tokens/self/rotate): only that
// token may call it, and it needs the api or the self_rotate scope (403
// otherwise). A personal or OAuth token is refused with 405; a token of
// another group or project with 401 (404 when that group or project is
// private). After it succeeds the client's own token is revoked: make a
// new client with the returned Token.
//
// RotateCurrent is never retried after the request may have reached
// GitLab. After a failure without an answer, make any request with the
// old token (PersonalAccessTokens.Current, say): once the rotation
// happened it gets 401, which answers "did it happen?". The new secret
// is then lost: someone with the rights (an Owner or Maintainer) must
// revoke its successor and create a new token. If the old token still
// works, nothing happened and RotateCurrent may be called again.
//
// GitLab API docs: https://docs.gitlab.com/api/group_access_tokens/
// and https://docs.gitlab.com/api/project_access_tokens/
func (s *AccessTokensService) RotateCurrent(ctx context.Context, src Source, opt *RotateAccessTokenOptions, opts ...RequestOption) (*AccessToken, *Response, error) {
	return do[*AccessToken](ctx, s.client, http.MethodPost, at(in(src), "access_tokens", "self", "rotate"), opt, opts)
}

// Revoke revokes an access token of a group or project. The bot user
// stays (a member, its tokens listed as inactive) until GitLab's daily
// cleanup deletes bots whose tokens are all inactive (by default 30
// days after). Who may call it is as for List, and a group or project
// access token may revoke the tokens of its own group or project; GitLab
// looks the token up first, so an unknown token, or one of another group
// or project, is 404 (ErrNotFound) for anyone, and a caller without the
// rights then gets 400 (ErrBadRequest, "<caller> cannot delete <bot>"),
// not 403. Revoking a revoked token succeeds, so Revoke is retried like
// every DELETE.
//
// GitLab API docs: https://docs.gitlab.com/api/group_access_tokens/#revoke-a-group-access-token
// and https://docs.gitlab.com/api/project_access_tokens/#revoke-a-project-access-token
func (s *AccessTokensService) Revoke(ctx context.Context, src Source, id int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at(in(src), "access_tokens", id), nil, opts)
}
