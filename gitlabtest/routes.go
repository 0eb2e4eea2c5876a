package gitlabtest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// authGroup is the authentication GitLab runs before every endpoint of a
// resource block of lib/api/users.rb. The zero value is no group: a
// route without one fails when the routes are built.
type authGroup int

const (
	// groupUsers is resource :users, before { authenticate_non_get! }: a
	// request other than GET or HEAD needs a user (401).
	groupUsers authGroup = iota + 1
	// groupUser is resource :user, before { authenticate! }: every
	// request needs a user (401).
	groupUser
	// groupAPI is an API class with before { authenticate! } and only
	// lib/api/api.rb's default scopes, api and (for GET) read_api:
	// lib/api/personal_access_tokens.rb and the service-account APIs.
	groupAPI
	// groupTokenSelf is lib/api/personal_access_tokens/self_information.rb:
	// authenticate!, and every scope is allowed.
	groupTokenSelf
	// groupTokenSelfRotate is lib/api/personal_access_tokens/self_rotation.rb:
	// authenticate!, and the token needs api or self_rotate.
	groupTokenSelfRotate
	// groupMetadata is lib/api/metadata.rb: authenticate!, and a GET
	// allows read_user and ai_features besides api and read_api.
	groupMetadata
	// groupResources is lib/api/groups.rb and lib/api/projects.rb:
	// before { authenticate_non_get! } (a request other than GET or
	// HEAD needs a user, 401) and lib/api/api.rb's default scopes, api
	// and (for GET) read_api.
	groupResources
	// groupUserRunners is lib/api/user_runners.rb: authenticate!, and a
	// POST allows create_runner besides api (allow_access_with_scope
	// :create_runner, if: post?).
	groupUserRunners
)

// check answers 401 when the group needs a user and there is none.
func (g authGroup) check(c *reqCtx) *answer {
	if c.viewer == nil && (g != groupUsers && g != groupResources || !c.isRead()) {
		return halt(unauthorized())
	}
	return nil
}

// allows refuses a token without a scope that the group's API class
// allows (lib/api/api.rb), naming the scopes as GitLab does.
func (g authGroup) allows(t *token, read bool) error {
	switch {
	case g == groupTokenSelf:
		return nil
	case g == groupTokenSelfRotate:
		return model.RequireScope(t, "api self_rotate", "api", "self_rotate")
	case g == groupUserRunners:
		return model.RequireScope(t, "api create_runner", "api", "create_runner")
	case g == groupMetadata:
		return model.RequireScope(t, "api read_api read_user ai_features", "api", "read_api", "read_user", "ai_features")
	case (g == groupAPI || g == groupResources) && read:
		return model.RequireScope(t, "api read_api", "api", "read_api")
	case g == groupAPI || g == groupResources:
		return model.RequireScope(t, "api", "api")
	case read:
		return model.RequireScope(t, "api read_user", "api", "read_api", "read_user")
	}
	return model.RequireScope(t, "api read_user", "api")
}

// routeTable lists every endpoint served, relative to /api/v4, in
// lib/api/users.rb's resource blocks.
//
// Each endpoint checks a request in GitLab's order, which comes from
// Grape's endpoint lifecycle (before filters, then parameter validation,
// then the endpoint body) and lib/api/users.rb:
//
//  1. Routing (lib/api/api.rb): no route, or a non-digit :id where the
//     route requires digits (requirements: { id: /[0-9]*/ }), is 404
//     {"error":"404 Not Found"}.
//  2. The resource's before filter (the group below): 401.
//  3. A namespace's own before filter: the impersonation-token endpoints
//     run authenticated_as_admin! here, so their 403 comes before 400.
//  4. Grape validates the declared parameters, path parameters such as
//     :key_id included (type: Integer), and pagination: 400 {"error":...}.
//  5. The endpoint body: authenticated_as_admin! (401, 403), then
//     find_user (404 User), then the user's resource (404 Key, ...), then
//     the model (400 {"message":{...}}, 409 conflicts), then, for DELETE,
//     If-Unmodified-Since (412, destroy_conditionally! in
//     lib/api/helpers.rb).
//
// So 400 comes before 403 before 404, except for impersonation tokens,
// where 403 comes first.
//
// The other API classes (groupAPI and the token self groups) check in
// this order:
//
//  1. authenticate! with the scopes the class allows: 401 (a revoked or
//     expired token gets the invalid_token body), then 403
//     insufficient_scope.
//  2. Their before filters: lib/api/personal_access_tokens.rb runs
//     restrict_non_admins! (a user_id other than the caller's: 401);
//     lib/api/service_accounts.rb runs authenticated_as_admin! (403);
//     the group and project service-account APIs find the group or
//     project (404) and authorize! :admin_service_accounts (403), so
//     both come before 400.
//  3. Parameters (400), then the endpoint: a missing token is 401 for
//     non-administrators and 404 for administrators on GET and rotate
//     (existence is not leaked), 404 "Not found" for everyone on DELETE;
//     the service-account routes then check the account (404 User, 400
//     not a service account). Handlers follow this order: they declare their
//
// parameters on a validator, then owner (params.go) checks them, the
// caller and the user, and pathOwned the user's resource.
//
// The handlers of GET routes run under the store's read lock, several at
// once (router.go, answerFor): they must not change the store.
var routeTable = []struct {
	method, pattern string
	group           authGroup
	handler         func(*reqCtx) answer
}{
	{"GET", "/users", groupUsers, hListUsers},
	{"POST", "/users", groupUsers, hCreateUser},
	{"GET", "/users/:id", groupUsers, hGetUser},
	{"PUT", "/users/:id", groupUsers, hUpdateUser},
	{"DELETE", "/users/:id", groupUsers, hDeleteUser},
	{"DELETE", "/users/:id/identities/:provider", groupUsers, hDeleteIdentity},
	{"POST", "/users/:id/block", groupUsers, hBlock},
	{"POST", "/users/:id/unblock", groupUsers, hUnblock},
	{"POST", "/users/:id/deactivate", groupUsers, hDeactivate},
	{"POST", "/users/:id/activate", groupUsers, hActivate},
	{"POST", "/users/:id/ban", groupUsers, hBan},
	{"POST", "/users/:id/unban", groupUsers, hUnban},
	{"POST", "/users/:id/approve", groupUsers, hApprove},
	{"POST", "/users/:id/reject", groupUsers, hReject},
	{"PATCH", "/users/:id/disable_two_factor", groupUsers, hDisableTwoFactor},
	{"GET", "/users/:id/associations_count", groupUsers, hAssociationsCount},
	{"GET", "/users/:id/support_pin", groupUsers, getSupportPIN(adminOnly)},
	{"POST", "/users/:id/support_pin/revoke", groupUsers, hRevokeSupportPIN},
	{"GET", "/users/:id/memberships", groupUsers, hMemberships},
	{"GET", "/user", groupUser, hCurrentUser},
	{"GET", "/user_counts", groupUser, hUserCounts},
	{"GET", "/user/activities", groupUser, hActivities},
	{"GET", "/user/preferences", groupUser, hGetPreferences},
	{"PUT", "/user/preferences", groupUser, hUpdatePreferences},
	{"PUT", "/user/avatar", groupUser, hUploadAvatar},
	{"POST", "/user/runners", groupUserRunners, hCreateRunner},
	{"POST", "/user/support_pin", groupUser, hCreateSupportPIN},
	{"GET", "/user/support_pin", groupUser, getSupportPIN(self)},

	{"GET", "/user/status", groupUser, getStatus(self)},
	{"PUT", "/user/status", groupUser, setStatus(false)},
	{"PATCH", "/user/status", groupUser, setStatus(true)},
	{"GET", "/users/:user_id/status", groupUsers, getStatus(anyUser)},

	{"GET", "/user/keys", groupUser, sshKeyKind.list(self)},
	{"POST", "/user/keys", groupUser, createKey(self)},
	{"GET", "/user/keys/:key_id", groupUser, sshKeyKind.get(self)},
	{"DELETE", "/user/keys/:key_id", groupUser, sshKeyKind.delete(self)},
	{"GET", "/users/:user_id/keys", groupUsers, sshKeyKind.list(anyUser)},
	{"GET", "/users/:id/keys/:key_id", groupUsers, sshKeyKind.get(anyUser)},
	{"POST", "/users/:id/keys", groupUsers, createKey(adminOnly)},
	{"DELETE", "/users/:id/keys/:key_id", groupUsers, sshKeyKind.delete(adminOnly)},
	// lib/api/keys.rb runs authenticate! before every route, as
	// resource :user does.
	{"GET", "/keys/:id", groupUser, hGetKeyWithUser},
	{"GET", "/keys", groupUser, hKeyByFingerprint},

	{"GET", "/user/gpg_keys", groupUser, gpgKeyKind.list(self)},
	{"POST", "/user/gpg_keys", groupUser, createGPGKey(self)},
	{"GET", "/user/gpg_keys/:key_id", groupUser, gpgKeyKind.get(self)},
	{"DELETE", "/user/gpg_keys/:key_id", groupUser, gpgKeyKind.delete(self)},
	{"POST", "/user/gpg_keys/:key_id/revoke", groupUser, revokeGPGKey(self)},
	{"GET", "/users/:id/gpg_keys", groupUsers, gpgKeyKind.list(anyUser)},
	{"POST", "/users/:id/gpg_keys", groupUsers, createGPGKey(adminOnly)},
	{"GET", "/users/:id/gpg_keys/:key_id", groupUsers, gpgKeyKind.get(anyUser)},
	{"DELETE", "/users/:id/gpg_keys/:key_id", groupUsers, gpgKeyKind.delete(adminOnly)},
	{"POST", "/users/:id/gpg_keys/:key_id/revoke", groupUsers, revokeGPGKey(adminOnly)},

	{"GET", "/user/emails", groupUser, emailKind.list(self)},
	{"POST", "/user/emails", groupUser, createEmail(self)},
	{"GET", "/user/emails/:email_id", groupUser, emailKind.get(self)},
	{"DELETE", "/user/emails/:email_id", groupUser, emailKind.delete(self)},
	{"GET", "/users/:id/emails", groupUsers, emailKind.list(adminOnly)},
	{"POST", "/users/:id/emails", groupUsers, createEmail(adminOnly)},
	{"DELETE", "/users/:id/emails/:email_id", groupUsers, emailKind.delete(adminOnly)},

	{"POST", "/users/:id/follow", groupUsers, hFollow},
	{"POST", "/users/:id/unfollow", groupUsers, hUnfollow},
	{"GET", "/users/:id/followers", groupUsers, followList(false)},
	{"GET", "/users/:id/following", groupUsers, followList(true)},

	// lib/api/custom_attributes_endpoints.rb, included in resource :users.
	{"GET", "/users/:id/custom_attributes", groupUsers, hListCustomAttributes},
	{"GET", "/users/:id/custom_attributes/:key", groupUsers, hGetCustomAttribute},
	{"PUT", "/users/:id/custom_attributes/:key", groupUsers, hSetCustomAttribute},
	{"DELETE", "/users/:id/custom_attributes/:key", groupUsers, hDeleteCustomAttribute},

	{"GET", "/users/:id/impersonation_tokens", groupUsers, hListTokens},
	{"POST", "/users/:id/impersonation_tokens", groupUsers, hCreateToken},
	{"GET", "/users/:id/impersonation_tokens/:token_id", groupUsers, hGetToken},
	{"DELETE", "/users/:id/impersonation_tokens/:token_id", groupUsers, hRevokeToken},

	// lib/api/users.rb: the two ways to create a personal access token.
	{"POST", "/users/:user_id/personal_access_tokens", groupUsers, hCreatePATForUser},
	{"POST", "/user/personal_access_tokens", groupUser, hCreatePAT},

	// lib/api/personal_access_tokens/self_*.rb are mounted before
	// lib/api/personal_access_tokens.rb, so "self" never reaches :token_id.
	{"GET", "/personal_access_tokens/self", groupTokenSelf, hCurrentPAT},
	{"DELETE", "/personal_access_tokens/self", groupTokenSelf, hRevokeCurrentPAT},
	{"GET", "/personal_access_tokens/self/associations", groupTokenSelf, hTokenAssociations},
	{"POST", "/personal_access_tokens/self/rotate", groupTokenSelfRotate, hRotateCurrentPAT},
	{"GET", "/personal_access_tokens", groupAPI, hListPATs},
	{"GET", "/personal_access_tokens/:token_id", groupAPI, hGetPAT},
	{"POST", "/personal_access_tokens/:token_id/rotate", groupAPI, hRotatePAT},
	{"DELETE", "/personal_access_tokens/:token_id", groupAPI, hRevokePAT},

	// lib/api/service_accounts.rb: authenticated_as_admin! first.
	{"GET", "/service_accounts", groupAPI, hListServiceAccounts},
	{"POST", "/service_accounts", groupAPI, hCreateServiceAccount},
	{"PATCH", "/service_accounts/:user_id", groupAPI, hUpdateServiceAccount},

	// lib/api/group_service_accounts.rb and project_service_accounts.rb:
	// :ref is an ID or a URL-encoded full path.
	{"GET", "/groups/:ref/service_accounts", groupAPI, listScopedAccounts(false)},
	{"POST", "/groups/:ref/service_accounts", groupAPI, createScopedAccount(false)},
	{"PATCH", "/groups/:ref/service_accounts/:user_id", groupAPI, updateScopedAccount(false)},
	{"DELETE", "/groups/:ref/service_accounts/:user_id", groupAPI, deleteScopedAccount(false)},
	{"GET", "/groups/:ref/service_accounts/:user_id/personal_access_tokens", groupAPI, listScopedTokens(false)},
	{"POST", "/groups/:ref/service_accounts/:user_id/personal_access_tokens", groupAPI, createScopedToken(false)},
	{"DELETE", "/groups/:ref/service_accounts/:user_id/personal_access_tokens/:token_id", groupAPI, revokeScopedToken(false)},
	{"POST", "/groups/:ref/service_accounts/:user_id/personal_access_tokens/:token_id/rotate", groupAPI, rotateScopedToken(false)},
	{"GET", "/projects/:ref/service_accounts", groupAPI, listScopedAccounts(true)},
	{"POST", "/projects/:ref/service_accounts", groupAPI, createScopedAccount(true)},
	{"PATCH", "/projects/:ref/service_accounts/:user_id", groupAPI, updateScopedAccount(true)},
	{"DELETE", "/projects/:ref/service_accounts/:user_id", groupAPI, deleteScopedAccount(true)},
	{"GET", "/projects/:ref/service_accounts/:user_id/personal_access_tokens", groupAPI, listScopedTokens(true)},
	{"POST", "/projects/:ref/service_accounts/:user_id/personal_access_tokens", groupAPI, createScopedToken(true)},
	{"DELETE", "/projects/:ref/service_accounts/:user_id/personal_access_tokens/:token_id", groupAPI, revokeScopedToken(true)},
	{"POST", "/projects/:ref/service_accounts/:user_id/personal_access_tokens/:token_id/rotate", groupAPI, rotateScopedToken(true)},

	// lib/api/groups.rb and lib/api/group_links' share routes: :ref is
	// an ID or a URL-encoded full path.
	{"GET", "/groups", groupResources, hListGroups},
	{"POST", "/groups", groupResources, hCreateGroup},
	{"GET", "/groups/:ref", groupResources, hGetGroup},
	{"PUT", "/groups/:ref", groupResources, hUpdateGroup},
	{"DELETE", "/groups/:ref", groupResources, hDeleteGroup},
	{"GET", "/groups/:ref/subgroups", groupResources, listSubgroups(false)},
	{"GET", "/groups/:ref/descendant_groups", groupResources, listSubgroups(true)},
	{"GET", "/groups/:ref/projects", groupResources, hListGroupProjects},
	{"POST", "/groups/:ref/share", groupResources, hShareGroup},
	{"DELETE", "/groups/:ref/share/:group_id", groupResources, groupIDOp("group_id", (*model.Store).UnshareGroup)},

	// lib/api/projects.rb.
	{"GET", "/projects", groupResources, hListProjects},
	{"POST", "/projects", groupResources, hCreateProject},
	{"POST", "/projects/user/:user_id", groupResources, hCreateProjectForUser},
	{"GET", "/projects/:ref", groupResources, hGetProject},
	{"PUT", "/projects/:ref", groupResources, hUpdateProject},
	{"DELETE", "/projects/:ref", groupResources, hDeleteProject},
	{"GET", "/users/:user_id/projects", groupResources, hListUserProjects},
	{"POST", "/projects/:ref/share", groupResources, hShareProject},
	{"DELETE", "/projects/:ref/share/:group_id", groupResources, hUnshareProject},

	// lib/api/metadata.rb serves the deprecated /version as /metadata.
	{"GET", "/metadata", groupMetadata, hMetadata},
	{"GET", "/version", groupMetadata, hMetadata},
}

// buildRoutes turns routeTable into routes. It panics on a route without
// a known group, a handler or a known method, since that route would
// skip authentication or never answer.
func buildRoutes() []*route {
	all := slices.Concat(routeTable, memberRoutes, accessTokenRoutes, activityRoutes, enterpriseUserRoutes, identityRoutes, groupLinkRoutes, auditEventRoutes)
	out := make([]*route, 0, len(all))
	for _, e := range all {
		out = append(out, newRoute(e.method, e.pattern, e.group, e.handler))
	}
	return out
}

func newRoute(method, pattern string, group authGroup, h func(*reqCtx) answer) *route {
	switch {
	case group < groupUsers || group > groupUserRunners:
		panic(fmt.Sprintf("gitlabtest: route %s %s has no known group (%d)", method, pattern, group))
	case h == nil:
		panic(fmt.Sprintf("gitlabtest: route %s %s has no handler", method, pattern))
	}
	switch method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		panic(fmt.Sprintf("gitlabtest: route %s %s has an unknown method", method, pattern))
	}
	return &route{method: method, pattern: pattern, group: group, handler: h,
		segs: strings.Split(strings.TrimPrefix(pattern, "/"), "/")}
}
