package gitlab

import (
	"context"
	"iter"
	"net/http"
	"time"
)

// ImpersonationTokensService manages impersonation tokens, which let an administrator act as a user. Administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/user_tokens/
type ImpersonationTokensService service

// Token scopes, for CreateImpersonationTokenOptions.Scopes. They are
// untyped string constants so that they drop into a []string:
//
//	Scopes: []string{gitlab.ScopeAPI, gitlab.ScopeReadRepository}
//
// Which scopes an instance offers depends on its configuration (the
// registry scopes need the container registry, for instance); GitLab
// rejects a scope it does not offer with 400. An administrator may give
// any offered scope to any user's token, the administrator scopes
// (ScopeSudo, ScopeAdminMode, ScopeReadServicePing) included, but these
// grant something only on an administrator's token: GitLab refuses Sudo
// from anyone else.
//
// GitLab API docs: https://docs.gitlab.com/user/profile/personal_access_tokens/#personal-access-token-scopes
const (
	ScopeAPI                  = "api"                    // full read and write access to the API
	ScopeReadAPI              = "read_api"               // read access to the API
	ScopeReadUser             = "read_user"              // read access to the user's profile (/user, /users)
	ScopeCreateRunner         = "create_runner"          // create runners
	ScopeManageRunner         = "manage_runner"          // manage runners
	ScopeK8sProxy             = "k8s_proxy"              // Kubernetes API calls through the agent
	ScopeSelfRotate           = "self_rotate"            // rotate this token itself
	ScopeReadRepository       = "read_repository"        // Git pull over HTTP
	ScopeWriteRepository      = "write_repository"       // Git pull and push over HTTP
	ScopeReadRegistry         = "read_registry"          // pull container images
	ScopeWriteRegistry        = "write_registry"         // push container images
	ScopeReadVirtualRegistry  = "read_virtual_registry"  // read through the dependency proxy
	ScopeWriteVirtualRegistry = "write_virtual_registry" // write through the dependency proxy
	ScopeReadObservability    = "read_observability"     // read observability data
	ScopeWriteObservability   = "write_observability"    // write observability data
	ScopeAIFeatures           = "ai_features"            // GitLab Duo features
	ScopeSudo                 = "sudo"                   // act as any user (effective for administrators only)
	ScopeAdminMode            = "admin_mode"             // admin mode for API calls (effective for administrators only)
	ScopeReadServicePing      = "read_service_ping"      // read Service Ping data (effective for administrators only)
)

// TokenState filters impersonation tokens by state.
type TokenState string

// The token states GitLab filters on.
const (
	TokenStateAll      TokenState = "all"      // every token (GitLab's default)
	TokenStateActive   TokenState = "active"   // neither revoked nor expired
	TokenStateInactive TokenState = "inactive" // revoked or expired
)

func (TokenState) known() []string {
	return []string{string(TokenStateAll), string(TokenStateActive), string(TokenStateInactive)}
}

// ImpersonationToken is a token with which an administrator acts as a
// user. The secret Token is only set in the answer of
// ImpersonationTokensService.Create; GitLab never sends it again.
//
// GitLab API docs: https://docs.gitlab.com/api/user_tokens/#list-all-impersonation-tokens-for-a-user
type ImpersonationToken struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// Active is false once the token is revoked or expired.
	Active  bool `json:"active"`
	Revoked bool `json:"revoked"`
	Expired bool `json:"expired"`
	// Granular is true for tokens created with granular scopes.
	Granular bool `json:"granular"`
	// Impersonation is always true for impersonation tokens.
	Impersonation bool     `json:"impersonation"`
	Scopes        []string `json:"scopes"`
	// UserID is the user the token acts as.
	UserID    int64      `json:"user_id"`
	CreatedAt *time.Time `json:"created_at"`
	// LastUsedAt is nil when the token was never used.
	LastUsedAt *time.Time `json:"last_used_at"`
	// LastUsedIPs lists the addresses the token was last used from;
	// older GitLab versions do not send it.
	LastUsedIPs []string `json:"last_used_ips"`
	// ExpiresAt is the day the token stops working: it is expired from
	// 00:00 UTC of that day on, and works through the day before. nil
	// when it never expires.
	ExpiresAt *ISODate `json:"expires_at"`
	// GranularScopes are the scopes of a granular token (Granular true);
	// nil for other tokens.
	GranularScopes []*GranularScope `json:"granular_scopes,omitempty"`
	// Token is the secret value. Only Create returns it, once: save
	// Token.Value() then, as List and Get leave it empty. It prints and
	// logs as "REDACTED" (see Secret).
	Token Secret `json:"token,omitzero"`
}

// GranularAccess is what a granular scope applies to.
type GranularAccess string

// The granular scope accesses GitLab knows.
const (
	GranularAccessUser                GranularAccess = "user"                 // the user's own resources
	GranularAccessInstance            GranularAccess = "instance"             // instance-wide resources
	GranularAccessAllMemberships      GranularAccess = "all_memberships"      // every group and project the user is a member of
	GranularAccessPersonalProjects    GranularAccess = "personal_projects"    // the user's personal projects
	GranularAccessSelectedMemberships GranularAccess = "selected_memberships" // the groups and projects listed
)

func (GranularAccess) known() []string {
	return []string{string(GranularAccessUser), string(GranularAccessInstance), string(GranularAccessAllMemberships), string(GranularAccessPersonalProjects), string(GranularAccessSelectedMemberships)}
}

// GranularScope is one scope of a granular token: the permissions it
// grants on what Access names.
//
// GitLab API docs: https://docs.gitlab.com/api/user_tokens/#create-an-impersonation-token
type GranularScope struct {
	Access      GranularAccess `json:"access"`
	Permissions []string       `json:"permissions"`
	// ProjectID and GroupID are set for GranularAccessSelectedMemberships
	// only.
	ProjectID *int64 `json:"project_id"`
	GroupID   *int64 `json:"group_id"`
}

// GranularScopeOptions is one granular scope to create a token with.
// Access and Permissions are required; ProjectIDs and GroupIDs name the
// groups and projects of GranularAccessSelectedMemberships.
//
// GitLab API docs: https://docs.gitlab.com/api/user_tokens/#create-an-impersonation-token
type GranularScopeOptions struct {
	Access      GranularAccess `json:"access"`
	Permissions []string       `json:"permissions"`
	ProjectIDs  []int64        `json:"project_ids,omitempty"`
	GroupIDs    []int64        `json:"group_ids,omitempty"`
}

// ListImpersonationTokensOptions are the parameters of
// ImpersonationTokensService.List and ListIter.
//
// GitLab API docs: https://docs.gitlab.com/api/user_tokens/#list-all-impersonation-tokens-for-a-user
type ListImpersonationTokensOptions struct {
	ListOptions
	// State filters by state; GitLab's default is TokenStateAll.
	State *TokenState `url:"state,omitempty"`
}

// CreateImpersonationTokenOptions are the parameters of
// ImpersonationTokensService.Create. Name and Scopes are required.
//
// GitLab API docs: https://docs.gitlab.com/api/user_tokens/#create-an-impersonation-token
type CreateImpersonationTokenOptions struct {
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
	// Scopes lists what the token may do, e.g. ScopeAPI; sent as
	// scopes[]=api. Set either Scopes or GranularScopes (GitLab takes
	// exactly one of them).
	Scopes []string `url:"scopes,omitempty,brackets"`
	// GranularScopes makes a granular token. GitLab cannot read an array
	// of objects from a form, so the request is then sent as JSON.
	GranularScopes []*GranularScopeOptions `url:"-"`
}

func (o *CreateImpersonationTokenOptions) validate() error {
	switch {
	case o == nil:
		return invalidArg("create impersonation token: options are required (name and scopes)")
	case o.Name == nil || *o.Name == "":
		return invalidArg("create impersonation token: name is required")
	case len(o.Scopes) == 0 && len(o.GranularScopes) == 0:
		return invalidArg("create impersonation token: scopes or granular scopes are required")
	case len(o.Scopes) > 0 && len(o.GranularScopes) > 0:
		return invalidArg("create impersonation token: scopes and granular scopes are mutually exclusive")
	}
	for i, g := range o.GranularScopes {
		if g == nil || g.Access == "" || len(g.Permissions) == 0 {
			return invalidArg("create impersonation token: granular scope %d needs access and permissions", i)
		}
	}
	return nil
}

// jsonBody sends a granular token's request as JSON (see
// GranularScopes); a token with Scopes goes as a form.
func (o *CreateImpersonationTokenOptions) jsonBody() ([]byte, error) {
	if len(o.GranularScopes) == 0 {
		return nil, nil
	}
	body := struct {
		Name           string                  `json:"name"`
		Description    *string                 `json:"description,omitempty"`
		ExpiresAt      *ISODate                `json:"expires_at,omitempty"`
		GranularScopes []*GranularScopeOptions `json:"granular_scopes"`
	}{*o.Name, o.Description, o.ExpiresAt, o.GranularScopes}
	return jsonMarshal(body)
}

// List returns one page of a user's impersonation tokens (not their
// personal access tokens). Administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/user_tokens/#list-all-impersonation-tokens-for-a-user
func (s *ImpersonationTokensService) List(ctx context.Context, userID int64, opt *ListImpersonationTokensOptions, opts ...RequestOption) ([]*ImpersonationToken, *Response, error) {
	return doList[*ImpersonationToken](ctx, s.client, at("users", userID, "impersonation_tokens"), opt, opts)
}

// ListIter yields all of a user's impersonation tokens, across pages.
// Administrators only.
//
// Revoking tokens inside the loop takes them out of a list filtered by
// State active (or Revoked false), which shifts the pages not yet
// fetched: others are skipped (or yielded twice), with no error.
// Collect them first (see Collect).
//
// GitLab API docs: https://docs.gitlab.com/api/user_tokens/#list-all-impersonation-tokens-for-a-user
func (s *ImpersonationTokensService) ListIter(ctx context.Context, userID int64, opt *ListImpersonationTokensOptions, opts ...RequestOption) iter.Seq2[*ImpersonationToken, error] {
	return iterate[*ImpersonationToken](ctx, s.client, at("users", userID, "impersonation_tokens"), opt, opts)
}

// Get returns one of a user's impersonation tokens, without its secret
// value. Administrators only. The ID of an ordinary personal access
// token gives 404.
//
// GitLab API docs: https://docs.gitlab.com/api/user_tokens/#retrieve-an-impersonation-token-for-a-user
func (s *ImpersonationTokensService) Get(ctx context.Context, userID, tokenID int64, opts ...RequestOption) (*ImpersonationToken, *Response, error) {
	return do[*ImpersonationToken](ctx, s.client, http.MethodGet, at("users", userID, "impersonation_tokens", tokenID), nil, opts)
}

// Create makes an impersonation token for a user. Administrators only.
//
// The returned token's Token field holds the secret value. This is the
// only time GitLab sends it: List and Get never do, so store it now.
//
// GitLab API docs: https://docs.gitlab.com/api/user_tokens/#create-an-impersonation-token
func (s *ImpersonationTokensService) Create(ctx context.Context, userID int64, opt *CreateImpersonationTokenOptions, opts ...RequestOption) (*ImpersonationToken, *Response, error) {
	return do[*ImpersonationToken](ctx, s.client, http.MethodPost, at("users", userID, "impersonation_tokens"), opt, opts)
}

// Revoke revokes one of a user's impersonation tokens. Administrators
// only. GitLab keeps the token, marked revoked and inactive, so Get and
// List still return it.
//
// GitLab API docs: https://docs.gitlab.com/api/user_tokens/#revoke-an-impersonation-token
func (s *ImpersonationTokensService) Revoke(ctx context.Context, userID, tokenID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at("users", userID, "impersonation_tokens", tokenID), nil, opts)
}
