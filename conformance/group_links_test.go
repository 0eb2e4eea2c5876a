package conformance

import (
	"testing"

	"github.com/gitlabusers/gitlab/gitlabtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gitlab "gitlab.com/gitlab-org/api/client-go/v2"
)

// ee/lib/api/saml_group_links.rb: an Owner lists, adds, gets and
// deletes SAML group links (201, 200, 204; no member_role_id without
// custom roles; provider null); a Maintainer, and anyone for a missing
// group, gets 401, not 403; an unknown name is 404 "404 Not Found".
func TestSAMLGroupLinks(t *testing.T) {
	e := newEnv(t)
	ownerID, owner := e.user(gitlabtest.UserSpec{Username: "owner"})
	maintID, maint := e.user(gitlabtest.UserSpec{Username: "maint"})
	top := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "top", Owners: []int64{ownerID}})
	e.s.AddGroupMember(top, maintID, gitlabtest.AccessMaintainer)

	l, resp, err := owner.Groups.AddGroupSAMLLink(top, &gitlab.AddGroupSAMLLinkOptions{SAMLGroupName: gitlab.Ptr("devs.eng"),
		AccessLevel: gitlab.Ptr(gitlab.DeveloperPermissions)})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	e.answered(201, `{"name":"devs.eng","access_level":30,"provider":null}`)
	assert.Equal(t, &gitlab.SAMLGroupLink{Name: "devs.eng", AccessLevel: gitlab.DeveloperPermissions}, l)
	_, _, err = owner.Groups.AddGroupSAMLLink(top, &gitlab.AddGroupSAMLLinkOptions{SAMLGroupName: gitlab.Ptr("devs.eng"),
		AccessLevel: gitlab.Ptr(gitlab.GuestPermissions)})
	e.refused(err, 400, `{"message":"Saml group name has already been taken"}`)

	ls, _, err := owner.Groups.ListGroupSAMLLinks("top")
	require.NoError(t, err)
	assert.Equal(t, []*gitlab.SAMLGroupLink{{Name: "devs.eng", AccessLevel: gitlab.DeveloperPermissions}}, ls)
	l, _, err = owner.Groups.GetGroupSAMLLink(top, "devs.eng")
	require.NoError(t, err)
	assert.Equal(t, "devs.eng", l.Name)
	_, _, err = owner.Groups.GetGroupSAMLLink(top, "nope")
	e.refused(err, 404, `{"message":"404 Not Found"}`)

	_, _, err = maint.Groups.ListGroupSAMLLinks(top)
	e.refused(err, 401, `{"message":"401 Unauthorized"}`)
	_, _, err = owner.Groups.ListGroupSAMLLinks("missing")
	e.refused(err, 401, `{"message":"401 Unauthorized"}`)

	resp, err = owner.Groups.DeleteGroupSAMLLink(top, "devs.eng")
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	assert.Empty(t, e.s.SAMLGroupLinks(top))
}

// ee/lib/api/ldap_group_links.rb: no links is 404 "No linked LDAP
// groups found"; an Owner adds links by cn and by filter (201) and
// deletes them by cn, by provider and cn, and by filter (204); a
// duplicate is 409; a Maintainer gets 403. ee/lib/ee/api/groups.rb:
// ldap_sync answers 202 to an Owner, 403 to a Maintainer.
func TestLDAPGroupLinks(t *testing.T) {
	e := newEnv(t)
	ownerID, owner := e.user(gitlabtest.UserSpec{Username: "owner"})
	maintID, maint := e.user(gitlabtest.UserSpec{Username: "maint"})
	top := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "top", Owners: []int64{ownerID}})
	e.s.AddGroupMember(top, maintID, gitlabtest.AccessMaintainer)

	_, _, err := owner.Groups.ListGroupLDAPLinks(top)
	e.refused(err, 404, `{"message":"No linked LDAP groups found"}`)
	for _, o := range []*gitlab.AddGroupLDAPLinkOptions{
		{CN: gitlab.Ptr("devs"), GroupAccess: gitlab.Ptr(gitlab.DeveloperPermissions), Provider: gitlab.Ptr("ldapmain")},
		{CN: gitlab.Ptr("devs"), GroupAccess: gitlab.Ptr(gitlab.GuestPermissions), Provider: gitlab.Ptr("ldapalt")},
		{CN: gitlab.Ptr("ops"), GroupAccess: gitlab.Ptr(gitlab.GuestPermissions), Provider: gitlab.Ptr("ldapmain")},
		{Filter: gitlab.Ptr("(ou=eng)"), GroupAccess: gitlab.Ptr(gitlab.ReporterPermissions), Provider: gitlab.Ptr("ldapmain")},
	} {
		_, resp, err := owner.Groups.AddGroupLDAPLink(top, o)
		require.NoError(t, err)
		assert.Equal(t, 201, resp.StatusCode)
	}
	e.answered(201, `{"cn":null,"group_access":20,"provider":"ldapmain","filter":"(ou=eng)"}`)
	_, _, err = owner.Groups.AddGroupLDAPLink(top, &gitlab.AddGroupLDAPLinkOptions{CN: gitlab.Ptr("devs"),
		GroupAccess: gitlab.Ptr(gitlab.DeveloperPermissions), Provider: gitlab.Ptr("ldapmain")})
	e.refused(err, 409, `{"message":"Cn has already been taken"}`)
	ls, _, err := owner.Groups.ListGroupLDAPLinks(top)
	require.NoError(t, err)
	require.Len(t, ls, 4)
	assert.Equal(t, gitlab.LDAPGroupLink{Filter: "(ou=eng)", GroupAccess: gitlab.ReporterPermissions, Provider: "ldapmain"}, *ls[3])
	_, _, err = maint.Groups.ListGroupLDAPLinks(top)
	e.refused(err, 403, `{"message":"403 Forbidden"}`)

	_, err = owner.Groups.DeleteGroupLDAPLinkForProvider(top, "ldapalt", "devs")
	require.NoError(t, err)
	e.answered(204, "")
	_, err = owner.Groups.DeleteGroupLDAPLink(top, "devs")
	require.NoError(t, err)
	_, err = owner.Groups.DeleteGroupLDAPLinkWithCNOrFilter(top, &gitlab.DeleteGroupLDAPLinkWithCNOrFilterOptions{Filter: gitlab.Ptr("(ou=eng)"),
		Provider: gitlab.Ptr("ldapmain")})
	require.NoError(t, err)
	_, err = owner.Groups.DeleteGroupLDAPLink(top, "devs")
	e.refused(err, 404, `{"message":"Linked LDAP group not found"}`)
	links := e.s.LDAPGroupLinks(top)
	require.Len(t, links, 1)
	assert.Equal(t, "ops", *links[0].CN)

	resp, err := owner.Groups.SyncGroupWithLDAP(top)
	require.NoError(t, err)
	assert.Equal(t, 202, resp.StatusCode)
	_, err = maint.Groups.SyncGroupWithLDAP(top)
	e.refused(err, 403, `{"message":"403 Forbidden"}`)
}
