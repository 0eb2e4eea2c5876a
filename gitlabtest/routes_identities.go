package gitlabtest

// identityRoutes are the routes of group identities: the SAML and SCIM
// identities of ee/lib/api/provider_identity.rb (before { authenticate! },
// then authorize_admin_group: 404 Group, 403, before 400), and the SAML
// and provisioned users of ee/lib/ee/api/groups.rb (400 first, then 401
// for an anonymous saml_users, 404 Group, 400 top-level, 403). :ref is
// an ID or a URL-encoded full path; :uid is one segment, dots and "@"
// included. GET .../identities is declared before GET .../:uid, so an
// identity whose extern UID is "identities" cannot be read, as on
// GitLab.
var identityRoutes = []struct {
	method, pattern string
	group           authGroup
	handler         func(*reqCtx) answer
}{
	{"GET", "/groups/:ref/saml/identities", groupAPI, hListSAMLIdentities},
	{"GET", "/groups/:ref/saml/:uid", groupAPI, hGetSAMLIdentity},
	{"PATCH", "/groups/:ref/saml/:uid", groupAPI, hUpdateSAMLIdentity},
	{"DELETE", "/groups/:ref/saml/:uid", groupAPI, hDeleteSAMLIdentity},
	{"GET", "/groups/:ref/scim/identities", groupAPI, hListSCIMIdentities},
	{"GET", "/groups/:ref/scim/:uid", groupAPI, hGetSCIMIdentity},
	{"PATCH", "/groups/:ref/scim/:uid", groupAPI, hUpdateSCIMIdentity},
	{"DELETE", "/groups/:ref/scim/:uid", groupAPI, hDeleteSCIMIdentity},
	{"GET", "/groups/:ref/saml_users", groupResources, hSAMLUsers},
	{"GET", "/groups/:ref/provisioned_users", groupResources, hProvisionedUsers},
}
