package gitlabtest

// activityRoutes are the routes of what a user leaves behind besides
// tokens: deploy keys (lib/api/users.rb's project_deploy_keys and
// lib/api/deploy_keys.rb), contribution events (lib/api/events.rb) and
// the avatar of an email (lib/api/avatar.rb). The events and
// project_deploy_keys routes need no user; /events and /deploy_keys
// authenticate first (401); /avatar needs no user.
var activityRoutes = []struct {
	method, pattern string
	group           authGroup
	handler         func(*reqCtx) answer
}{
	{"GET", "/users/:user_id/project_deploy_keys", groupUsers, hUserProjectDeployKeys},
	{"GET", "/deploy_keys", groupAPI, hListDeployKeys},
	{"GET", "/users/:user_id/events", groupUsers, hUserEvents},
	{"GET", "/events", groupUser, hCurrentUserEvents},
	{"GET", "/avatar", groupResources, hAvatar},
}
