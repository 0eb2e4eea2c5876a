package gitlabtest

// enterpriseUserRoutes are the routes of ee/lib/api/group_enterprise_users.rb
// (h_enterprise_users.go gives their order of checks). The API
// authenticates first: 401 for anonymous callers.
var enterpriseUserRoutes = []struct {
	method, pattern string
	group           authGroup
	handler         func(*reqCtx) answer
}{
	{"GET", "/groups/:ref/enterprise_users", groupAPI, hListEnterpriseUsers},
	{"GET", "/groups/:ref/enterprise_users/:user_id", groupAPI, hGetEnterpriseUser},
	{"PATCH", "/groups/:ref/enterprise_users/:user_id", groupAPI, hUpdateEnterpriseUser},
	{"PATCH", "/groups/:ref/enterprise_users/:user_id/disable_two_factor", groupAPI, hDisableEnterpriseTwoFactor},
	{"DELETE", "/groups/:ref/enterprise_users/:user_id", groupAPI, hDeleteEnterpriseUser},
}
