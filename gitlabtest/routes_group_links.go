package gitlabtest

// groupLinkRoutes are the routes of ee/lib/api/saml_group_links.rb and
// ee/lib/api/ldap_group_links.rb (before { authenticate! }: 401 first),
// and POST /groups/:id/ldap_sync of ee/lib/ee/api/groups.rb (resource
// :groups, authenticate_non_get!). Each then validates its parameters
// (400); the link routes find the group without a visibility check and
// refuse the caller, or a missing group, with 401 (SAML) or 403 (LDAP);
// ldap_sync answers 404 where LDAP group sync is off before it looks
// for the group (404 Group Not Found), then 403.
var groupLinkRoutes = []struct {
	method, pattern string
	group           authGroup
	handler         func(*reqCtx) answer
}{
	{"GET", "/groups/:ref/saml_group_links", groupAPI, hListSAMLGroupLinks},
	{"POST", "/groups/:ref/saml_group_links", groupAPI, hCreateSAMLGroupLink},
	{"GET", "/groups/:ref/saml_group_links/:saml_group_name", groupAPI, hGetSAMLGroupLink},
	{"DELETE", "/groups/:ref/saml_group_links/:saml_group_name", groupAPI, hDeleteSAMLGroupLink},
	{"GET", "/groups/:ref/ldap_group_links", groupAPI, hListLDAPGroupLinks},
	{"POST", "/groups/:ref/ldap_group_links", groupAPI, hCreateLDAPGroupLink},
	{"DELETE", "/groups/:ref/ldap_group_links", groupAPI, hDeleteLDAPGroupLink},
	{"DELETE", "/groups/:ref/ldap_group_links/:cn", groupAPI, hDeleteLDAPGroupLinkAt},
	{"DELETE", "/groups/:ref/ldap_group_links/:provider/:cn", groupAPI, hDeleteLDAPGroupLinkAt},
	{"POST", "/groups/:ref/ldap_sync", groupResources, hLDAPSync},
}
