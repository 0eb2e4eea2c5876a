package gitlabtest

import "strings"

// buildRoutes lists every endpoint served, relative to /api/v4. The
// group says what GitLab checks before the endpoint: "users" (resource
// :users, authenticate_non_get!), "user" (resource :user, authenticate!).
func buildRoutes() []*route {
	type r = struct {
		method, pattern, group string
		h                      func(*reqCtx)
	}
	list := []r{
		{"GET", "/users", "users", hListUsers},
		{"POST", "/users", "users", hCreateUser},
		{"GET", "/users/:id", "users", hGetUser},
		{"PUT", "/users/:id", "users", hUpdateUser},
		{"DELETE", "/users/:id", "users", hDeleteUser},
		{"DELETE", "/users/:id/identities/:provider", "users", hDeleteIdentity},
		{"POST", "/users/:id/block", "users", hBlock},
		{"POST", "/users/:id/unblock", "users", hUnblock},
		{"POST", "/users/:id/deactivate", "users", hDeactivate},
		{"POST", "/users/:id/activate", "users", hActivate},
		{"POST", "/users/:id/ban", "users", hBan},
		{"POST", "/users/:id/unban", "users", hUnban},
		{"GET", "/users/:id/memberships", "users", hMemberships},
		{"GET", "/user", "user", hCurrentUser},
		{"GET", "/user_counts", "user", hUserCounts},
		{"GET", "/user/activities", "user", hActivities},

		{"GET", "/user/status", "user", hGetOwnStatus},
		{"PUT", "/user/status", "user", hSetStatus},
		{"PATCH", "/user/status", "user", hPatchStatus},
		{"GET", "/users/:user_id/status", "users", hGetUserStatus},

		{"GET", "/user/keys", "user", hListOwnKeys},
		{"POST", "/user/keys", "user", hCreateOwnKey},
		{"GET", "/user/keys/:key_id", "user", hGetOwnKey},
		{"DELETE", "/user/keys/:key_id", "user", hDeleteOwnKey},
		{"GET", "/users/:user_id/keys", "users", hListUserKeys},
		{"GET", "/users/:id/keys/:key_id", "users", hGetUserKey},
		{"POST", "/users/:id/keys", "users", hCreateUserKey},
		{"DELETE", "/users/:id/keys/:key_id", "users", hDeleteUserKey},

		{"GET", "/user/gpg_keys", "user", hListOwnGPG},
		{"POST", "/user/gpg_keys", "user", hCreateOwnGPG},
		{"GET", "/user/gpg_keys/:key_id", "user", hGetOwnGPG},
		{"DELETE", "/user/gpg_keys/:key_id", "user", hDeleteOwnGPG},
		{"POST", "/user/gpg_keys/:key_id/revoke", "user", hRevokeOwnGPG},
		{"GET", "/users/:id/gpg_keys", "users", hListUserGPG},
		{"POST", "/users/:id/gpg_keys", "users", hCreateUserGPG},
		{"GET", "/users/:id/gpg_keys/:key_id", "users", hGetUserGPG},
		{"DELETE", "/users/:id/gpg_keys/:key_id", "users", hDeleteUserGPG},
		{"POST", "/users/:id/gpg_keys/:key_id/revoke", "users", hRevokeUserGPG},

		{"GET", "/user/emails", "user", hListOwnEmails},
		{"POST", "/user/emails", "user", hCreateOwnEmail},
		{"GET", "/user/emails/:email_id", "user", hGetOwnEmail},
		{"DELETE", "/user/emails/:email_id", "user", hDeleteOwnEmail},
		{"GET", "/users/:id/emails", "users", hListUserEmails},
		{"POST", "/users/:id/emails", "users", hCreateUserEmail},
		{"DELETE", "/users/:id/emails/:email_id", "users", hDeleteUserEmail},

		{"POST", "/users/:id/follow", "users", hFollow},
		{"POST", "/users/:id/unfollow", "users", hUnfollow},
		{"GET", "/users/:id/followers", "users", hFollowers},
		{"GET", "/users/:id/following", "users", hFollowing},

		{"GET", "/users/:id/impersonation_tokens", "users", hListTokens},
		{"POST", "/users/:id/impersonation_tokens", "users", hCreateToken},
		{"GET", "/users/:id/impersonation_tokens/:token_id", "users", hGetToken},
		{"DELETE", "/users/:id/impersonation_tokens/:token_id", "users", hRevokeToken},
	}
	out := make([]*route, 0, len(list))
	for _, e := range list {
		out = append(out, &route{method: e.method, pattern: e.pattern, group: e.group, handler: e.h,
			segs: strings.Split(strings.TrimPrefix(e.pattern, "/"), "/")})
	}
	return out
}
