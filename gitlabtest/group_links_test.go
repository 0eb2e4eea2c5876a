package gitlabtest_test

import (
	"encoding/json"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab/gitlabtest"
)

// linksServer is a server with the group top, owned by owner, whose
// token it returns with the group's ID path.
func linksServer(t *testing.T, opts ...gitlabtest.Option) (s *gitlabtest.Server, owner, groupPath string, top int64) {
	t.Helper()
	s = gitlabtest.NewServer(opts...)
	t.Cleanup(s.Close)
	id, tok := s.CreateUser(gitlabtest.UserSpec{Username: "owner"})
	top = s.CreateGroup(gitlabtest.GroupSpec{Path: "top", Owners: []int64{id}})
	return s, tok, "/groups/" + strconv.FormatInt(top, 10), top
}

// The deprecated DELETE …/ldap_group_links/:provider/:cn, which the SDK
// does not send, deletes the link of that provider and cn; its segments
// stop at a dot, as Grape's do.
func TestDeleteLDAPGroupLinkByProviderPath(t *testing.T) {
	t.Parallel()
	s, owner, g, top := linksServer(t)
	for _, p := range []string{"ldapmain", "ldapalt"} {
		a := fakeCall(t, s, owner, "POST", g+"/ldap_group_links", form("cn", "devs", "group_access", "30", "provider", p))
		require.Equal(t, 201, a.code, a.body)
	}
	a := fakeCall(t, s, owner, "DELETE", g+"/ldap_group_links/other/devs", nil)
	assert.Equal(t, [2]any{404, `{"message":"Linked LDAP group not found"}`}, [2]any{a.code, a.body})
	a = fakeCall(t, s, owner, "DELETE", g+"/ldap_group_links/ldapalt/devs", nil)
	assert.Equal(t, [2]any{204, ""}, [2]any{a.code, a.body})
	links := s.LDAPGroupLinks(top)
	require.Len(t, links, 1)
	assert.Equal(t, "ldapmain", links[0].Provider)

	for _, p := range []string{"/ldap_group_links/ou.devs", "/ldap_group_links/ldap.main/devs"} {
		a = fakeCall(t, s, owner, "DELETE", g+p, nil)
		assert.Equal(t, [2]any{404, `{"error":"404 Not Found"}`}, [2]any{a.code, a.body}, p)
	}
	assert.Len(t, s.LDAPGroupLinks(top), 1)
}

// Grape's parameter errors come after authentication and before the
// group and the caller are looked at.
func TestGroupLinkParameterErrors(t *testing.T) {
	t.Parallel()
	s, owner, g, _ := linksServer(t)
	for _, c := range []struct {
		token, method, path string
		form                []string
		code                int
		body                string
	}{
		{"", "GET", g + "/saml_group_links", nil, 401, `{"message":"401 Unauthorized"}`},
		{"", "GET", g + "/ldap_group_links", nil, 401, `{"message":"401 Unauthorized"}`},
		{"", "POST", g + "/ldap_sync", nil, 401, `{"message":"401 Unauthorized"}`},
		{owner, "POST", g + "/saml_group_links", []string{"access_level", "30"}, 400, `{"error":"saml_group_name is missing"}`},
		{owner, "POST", g + "/saml_group_links", []string{"saml_group_name", "x", "access_level", "25"}, 400, `{"error":"access_level does not have a valid value"}`},
		{owner, "POST", "/groups/nope/saml_group_links", []string{"saml_group_name", "x"}, 400, `{"error":"access_level is missing"}`},
		{owner, "POST", g + "/ldap_group_links", []string{"group_access", "30", "provider", "p"}, 400,
			`{"error":"cn, filter are missing, exactly one parameter must be provided"}`},
		{owner, "POST", g + "/ldap_group_links", []string{"cn", "a", "filter", "(a=b)", "group_access", "30", "provider", "p"}, 400,
			`{"error":"cn, filter are mutually exclusive"}`},
		{owner, "POST", g + "/ldap_group_links", []string{"cn", "a", "group_access", "60"}, 400,
			`{"error":"group_access does not have a valid value, provider is missing"}`},
		{owner, "DELETE", g + "/ldap_group_links?cn=a", nil, 400, `{"error":"provider is missing"}`},
	} {
		var f url.Values
		if c.form != nil {
			f = form(c.form...)
		}
		a := fakeCall(t, s, c.token, c.method, c.path, f)
		assert.Equal(t, [2]any{c.code, c.body}, [2]any{a.code, a.body}, "%s %s %v", c.method, c.path, c.form)
	}
}

// The entities have exactly GitLab's keys for an instance with filter
// links and without custom roles; ldap_sync answers 202 with the
// status as its body.
func TestGroupLinkEntitiesAndSyncBody(t *testing.T) {
	t.Parallel()
	s, owner, g, _ := linksServer(t)
	a := fakeCall(t, s, owner, "POST", g+"/saml_group_links", form("saml_group_name", "devs", "access_level", "30", "member_role_id", "4"))
	require.Equal(t, 201, a.code, a.body)
	assert.JSONEq(t, `{"name":"devs","access_level":30,"provider":null}`, a.body)
	a = fakeCall(t, s, owner, "POST", g+"/ldap_group_links", form("filter", "(ou=eng)", "group_access", "10", "provider", "ldapmain"))
	require.Equal(t, 201, a.code, a.body)
	assert.JSONEq(t, `{"cn":null,"group_access":10,"provider":"ldapmain","filter":"(ou=eng)"}`, a.body)
	a = fakeCall(t, s, owner, "GET", g+"/saml_group_links/devs?provider=", nil)
	assert.Equal(t, 200, a.code, a.body)
	a = fakeCall(t, s, owner, "GET", g+"/ldap_group_links", nil)
	var list []map[string]any
	require.NoError(t, json.Unmarshal([]byte(a.body), &list))
	assert.Equal(t, []map[string]any{{"cn": nil, "group_access": float64(10), "provider": "ldapmain", "filter": "(ou=eng)"}}, list)

	a = fakeCall(t, s, owner, "POST", g+"/ldap_sync", nil)
	assert.Equal(t, [2]any{202, "202"}, [2]any{a.code, a.body})
}
