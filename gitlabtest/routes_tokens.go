package gitlabtest

// accessTokenRoutes are the routes of lib/api/resource_access_tokens.rb,
// lib/api/resource_access_tokens/self_rotation.rb (mounted so that
// "self" never reaches :token_id: its routes come first here) and
// lib/api/admin/token.rb. :ref is an ID or a URL-encoded full path;
// :token_id is a String (anything that is not one of the resource's
// token IDs is 404, never 400).
//
// The resource token routes authenticate first (401, 403 for a token
// without api, or read_api for a GET), then validate their parameters
// (400), then find the group or project (404), then check the caller
// (401 for a list or get without rights, 401 or 404 for a rotate) and
// the token (404), then run the service (400). /admin/token runs
// authenticated_as_admin! before its parameters (401, 403, then 400).
var accessTokenRoutes = []struct {
	method, pattern string
	group           authGroup
	handler         func(*reqCtx) answer
}{
	{"POST", "/groups/:ref/access_tokens/self/rotate", groupTokenSelfRotate, hRotateSelfResourceToken(true)},
	{"GET", "/groups/:ref/access_tokens", groupAPI, hListResourceTokens(true)},
	{"POST", "/groups/:ref/access_tokens", groupAPI, hCreateResourceToken(true)},
	{"GET", "/groups/:ref/access_tokens/:token_id", groupAPI, hGetResourceToken(true)},
	{"POST", "/groups/:ref/access_tokens/:token_id/rotate", groupAPI, hRotateResourceToken(true)},
	{"DELETE", "/groups/:ref/access_tokens/:token_id", groupAPI, hRevokeResourceToken(true)},
	{"POST", "/projects/:ref/access_tokens/self/rotate", groupTokenSelfRotate, hRotateSelfResourceToken(false)},
	{"GET", "/projects/:ref/access_tokens", groupAPI, hListResourceTokens(false)},
	{"POST", "/projects/:ref/access_tokens", groupAPI, hCreateResourceToken(false)},
	{"GET", "/projects/:ref/access_tokens/:token_id", groupAPI, hGetResourceToken(false)},
	{"POST", "/projects/:ref/access_tokens/:token_id/rotate", groupAPI, hRotateResourceToken(false)},
	{"DELETE", "/projects/:ref/access_tokens/:token_id", groupAPI, hRevokeResourceToken(false)},

	{"POST", "/admin/token", groupAPI, hIdentifyToken},
	{"DELETE", "/admin/token", groupAPI, hRevokeIdentifiedToken},
}
