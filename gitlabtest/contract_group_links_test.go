package gitlabtest_test

// Contract cases of SAML and LDAP group links and LDAP sync
// (SAMLGroupLinks, LDAPGroupLinks). Each calls the SDK against the fake
// and checks the decoded answer, the links stored afterwards
// (SAMLGroupLinks, LDAPGroupLinks, Members) and GitLab's statuses as
// typed errors. TestContract runs them with the others.

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// groupLinkCases are the contract cases of this file, in TestContract's
// table.
var groupLinkCases = []contractCase{
	{"SAMLGroupLinks", contractSAMLGroupLinks},
	{"SAMLGroupLinksRefusals", contractSAMLGroupLinksRefusals},
	{"LDAPGroupLinks", contractLDAPGroupLinks},
	{"LDAPGroupLinksRefusals", contractLDAPGroupLinksRefusals},
	{"LDAPSync", contractLDAPSync},
	{"LDAPSyncOffGitLabCom", contractLDAPSyncOffGitLabCom},
}

func samlNames(links []gitlabtest.SAMLGroupLinkSnapshot) []string {
	var out []string
	for _, l := range links {
		p := "-"
		if l.Provider != nil {
			p = *l.Provider
		}
		out = append(out, l.Name+"@"+p)
	}
	return out
}

func contractSAMLGroupLinks(t *testing.T) {
	t.Parallel()
	w := contractCredWorld(t)
	ctx, owner, g := context.Background(), w.c["owner"], gitlab.GroupPath("top")

	links, _, err := owner.SAMLGroupLinks.List(ctx, g)
	require.NoError(t, err)
	assert.Empty(t, links)

	l, resp, err := owner.SAMLGroupLinks.Create(ctx, g, &gitlab.CreateSAMLGroupLinkOptions{SAMLGroupName: gitlab.Ptr(" devs.eng "),
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelDeveloper), Provider: gitlab.Ptr(""), MemberRoleID: gitlab.Ptr(int64(3))})
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, &gitlab.SAMLGroupLink{Name: "devs.eng", AccessLevel: gitlab.AccessLevelDeveloper}, l, "stripped, no provider, no custom role")
	_, _, err = w.c["root"].SAMLGroupLinks.Create(ctx, gitlab.GroupID(w.top), &gitlab.CreateSAMLGroupLinkOptions{SAMLGroupName: gitlab.Ptr("devs.eng"),
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelMaintainer), Provider: gitlab.Ptr("okta")})
	require.NoError(t, err)
	assert.Equal(t, []string{"devs.eng@-", "devs.eng@okta"}, samlNames(w.s.SAMLGroupLinks(w.top)))

	links, _, err = owner.SAMLGroupLinks.List(ctx, g)
	require.NoError(t, err)
	assert.Equal(t, []*gitlab.SAMLGroupLink{{Name: "devs.eng", AccessLevel: gitlab.AccessLevelDeveloper},
		{Name: "devs.eng", AccessLevel: gitlab.AccessLevelMaintainer, Provider: gitlab.Ptr("okta")}}, links)

	// The shared name needs a provider; "" selects the link without one.
	_, _, err = owner.SAMLGroupLinks.Get(ctx, g, "devs.eng", nil)
	er := contractStatus(t, err, http.StatusUnprocessableEntity)
	assert.Equal(t, "Multiple group links found with the same name. Please specify a provider parameter to disambiguate.", er.Message)
	l, _, err = owner.SAMLGroupLinks.Get(ctx, g, "devs.eng", &gitlab.GetSAMLGroupLinkOptions{Provider: gitlab.Ptr("okta")})
	require.NoError(t, err)
	assert.Equal(t, gitlab.AccessLevelMaintainer, l.AccessLevel)
	_, _, err = owner.SAMLGroupLinks.Get(ctx, g, "DEVS.ENG", nil)
	er = contractStatus(t, err, http.StatusNotFound)
	assert.ErrorIs(t, err, gitlab.ErrNotFound)
	assert.Equal(t, "404 Not Found", er.Message)

	resp, err = owner.SAMLGroupLinks.Delete(ctx, g, "devs.eng", &gitlab.DeleteSAMLGroupLinkOptions{Provider: gitlab.Ptr("")})
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	assert.Equal(t, []string{"devs.eng@okta"}, samlNames(w.s.SAMLGroupLinks(w.top)))
	_, err = owner.SAMLGroupLinks.Delete(ctx, g, "devs.eng", nil) // one left: no provider needed
	require.NoError(t, err)
	assert.Empty(t, w.s.SAMLGroupLinks(w.top))
	_, err = owner.SAMLGroupLinks.Delete(ctx, g, "devs.eng", nil)
	contractStatus(t, err, http.StatusNotFound)
}

func contractSAMLGroupLinksRefusals(t *testing.T) {
	t.Parallel()
	w := contractCredWorld(t)
	ctx, g := context.Background(), gitlab.GroupID(w.top)
	opt := &gitlab.CreateSAMLGroupLinkOptions{SAMLGroupName: gitlab.Ptr("devs"), AccessLevel: gitlab.Ptr(gitlab.AccessLevelGuest)}

	// 401, not 403: for a Maintainer, a stranger, and a missing group.
	for _, c := range []struct {
		who string
		g   gitlab.GroupRef
	}{{"maint", g}, {"stranger", g}, {"owner", gitlab.GroupPath("nope")}, {"root", gitlab.GroupID(999)}} {
		_, _, err := w.c[c.who].SAMLGroupLinks.List(ctx, c.g)
		er := contractStatus(t, err, http.StatusUnauthorized)
		assert.ErrorIs(t, err, gitlab.ErrUnauthorized)
		assert.Equal(t, "401 Unauthorized", er.Message, c.who)
		_, _, err = w.c[c.who].SAMLGroupLinks.Create(ctx, c.g, opt)
		contractStatus(t, err, http.StatusUnauthorized)
	}
	assert.Empty(t, w.s.SAMLGroupLinks(w.top))

	_, _, err := w.c["owner"].SAMLGroupLinks.Create(ctx, g, opt)
	require.NoError(t, err)
	_, _, err = w.c["owner"].SAMLGroupLinks.Create(ctx, g, opt)
	er := contractStatus(t, err, http.StatusBadRequest)
	assert.Equal(t, "Saml group name has already been taken", er.Message)
	_, _, err = w.c["owner"].SAMLGroupLinks.Create(ctx, g, &gitlab.CreateSAMLGroupLinkOptions{SAMLGroupName: gitlab.Ptr("min"),
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelMinimal)})
	er = contractStatus(t, err, http.StatusBadRequest)
	assert.Equal(t, "Access level is invalid", er.Message, "no Minimal Access license")
	assert.Equal(t, []string{"devs@-"}, samlNames(w.s.SAMLGroupLinks(w.top)))
}

func ldapKeys(links []gitlabtest.LDAPGroupLinkSnapshot) []string {
	var out []string
	for _, l := range links {
		k := "filter:"
		if l.CN != nil {
			k = "cn:" + *l.CN
		} else if l.Filter != nil {
			k += *l.Filter
		}
		out = append(out, k+"@"+l.Provider)
	}
	return out
}

func contractLDAPGroupLinks(t *testing.T) {
	t.Parallel()
	w := contractCredWorld(t)
	ctx, owner, g := context.Background(), w.c["owner"], gitlab.GroupPath("top")

	// GitLab's 404 "No linked LDAP groups found" is an empty list.
	links, resp, err := owner.LDAPGroupLinks.List(ctx, g)
	require.NoError(t, err)
	assert.Equal(t, []*gitlab.LDAPGroupLink{}, links)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	create := func(o *gitlab.CreateLDAPGroupLinkOptions) *gitlab.LDAPGroupLink {
		t.Helper()
		l, resp, err := owner.LDAPGroupLinks.Create(ctx, g, o)
		require.NoError(t, err)
		assert.Equal(t, http.StatusCreated, resp.StatusCode)
		return l
	}
	dev := gitlab.Ptr(gitlab.AccessLevelDeveloper)
	assert.Equal(t, &gitlab.LDAPGroupLink{CN: gitlab.Ptr("devs"), GroupAccess: gitlab.AccessLevelDeveloper, Provider: "ldapmain"},
		create(&gitlab.CreateLDAPGroupLinkOptions{CN: gitlab.Ptr("devs"), GroupAccess: dev, Provider: gitlab.Ptr("ldapmain"), MemberRoleID: gitlab.Ptr(int64(2))}))
	create(&gitlab.CreateLDAPGroupLinkOptions{CN: gitlab.Ptr("devs"), GroupAccess: dev, Provider: gitlab.Ptr("ldapalt")})
	create(&gitlab.CreateLDAPGroupLinkOptions{CN: gitlab.Ptr("ou.ops"), GroupAccess: dev, Provider: gitlab.Ptr("ldapmain")})
	assert.Equal(t, &gitlab.LDAPGroupLink{Filter: gitlab.Ptr("(ou=eng)"), GroupAccess: gitlab.AccessLevelGuest, Provider: "ldapmain"},
		create(&gitlab.CreateLDAPGroupLinkOptions{Filter: gitlab.Ptr("(ou=eng)"), GroupAccess: gitlab.Ptr(gitlab.AccessLevelGuest), Provider: gitlab.Ptr("ldapmain")}))
	want := []string{"cn:devs@ldapmain", "cn:devs@ldapalt", "cn:ou.ops@ldapmain", "filter:(ou=eng)@ldapmain"}
	assert.Equal(t, want, ldapKeys(w.s.LDAPGroupLinks(w.top)))
	links, _, err = owner.LDAPGroupLinks.List(ctx, g)
	require.NoError(t, err)
	require.Len(t, links, 4)
	assert.Equal(t, &gitlab.LDAPGroupLink{Filter: gitlab.Ptr("(ou=eng)"), GroupAccess: gitlab.AccessLevelGuest, Provider: "ldapmain"}, links[3])

	// The three ways to delete: by provider and cn (the query form, which
	// takes a dot), by provider and filter, and by cn alone (the first
	// link of that cn, whatever its provider).
	del := func(o *gitlab.DeleteLDAPGroupLinkOptions) {
		t.Helper()
		resp, err := owner.LDAPGroupLinks.Delete(ctx, g, o)
		require.NoError(t, err)
		assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	}
	del(&gitlab.DeleteLDAPGroupLinkOptions{CN: gitlab.Ptr("ou.ops"), Provider: gitlab.Ptr("ldapmain")})
	del(&gitlab.DeleteLDAPGroupLinkOptions{Filter: gitlab.Ptr("(ou=eng)"), Provider: gitlab.Ptr("ldapmain")})
	del(&gitlab.DeleteLDAPGroupLinkOptions{CN: gitlab.Ptr("devs")})
	assert.Equal(t, []string{"cn:devs@ldapalt"}, ldapKeys(w.s.LDAPGroupLinks(w.top)))

	_, err = owner.LDAPGroupLinks.Delete(ctx, g, &gitlab.DeleteLDAPGroupLinkOptions{CN: gitlab.Ptr("devs"), Provider: gitlab.Ptr("ldapmain")})
	er := contractStatus(t, err, http.StatusNotFound)
	assert.Equal(t, "Linked LDAP group not found", er.Message)
	del(&gitlab.DeleteLDAPGroupLinkOptions{CN: gitlab.Ptr("devs")})
	assert.Empty(t, w.s.LDAPGroupLinks(w.top))
	_, err = owner.LDAPGroupLinks.Delete(ctx, g, &gitlab.DeleteLDAPGroupLinkOptions{CN: gitlab.Ptr("devs")})
	er = contractStatus(t, err, http.StatusNotFound)
	assert.Equal(t, "Linked LDAP group not found", er.Message)
}

func contractLDAPGroupLinksRefusals(t *testing.T) {
	t.Parallel()
	w := contractCredWorld(t)
	ctx, g := context.Background(), gitlab.GroupID(w.top)
	opt := &gitlab.CreateLDAPGroupLinkOptions{CN: gitlab.Ptr("devs"), GroupAccess: gitlab.Ptr(gitlab.AccessLevelGuest), Provider: gitlab.Ptr("ldapmain")}

	// 403, for a Maintainer, a stranger and a missing group alike.
	for _, c := range []struct {
		who string
		g   gitlab.GroupRef
	}{{"maint", g}, {"stranger", g}, {"root", gitlab.GroupPath("nope")}} {
		_, _, err := w.c[c.who].LDAPGroupLinks.List(ctx, c.g)
		er := contractStatus(t, err, http.StatusForbidden)
		assert.ErrorIs(t, err, gitlab.ErrForbidden)
		assert.Equal(t, "403 Forbidden", er.Message, c.who)
		_, _, err = w.c[c.who].LDAPGroupLinks.Create(ctx, c.g, opt)
		contractStatus(t, err, http.StatusForbidden)
		_, err = w.c[c.who].LDAPGroupLinks.Delete(ctx, c.g, &gitlab.DeleteLDAPGroupLinkOptions{CN: gitlab.Ptr("devs")})
		contractStatus(t, err, http.StatusForbidden)
	}
	assert.Empty(t, w.s.LDAPGroupLinks(w.top))

	_, _, err := w.c["owner"].LDAPGroupLinks.Create(ctx, g, opt)
	require.NoError(t, err)
	_, _, err = w.c["owner"].LDAPGroupLinks.Create(ctx, g, opt)
	er := contractStatus(t, err, http.StatusConflict)
	assert.ErrorIs(t, err, gitlab.ErrConflict)
	assert.Equal(t, "Cn has already been taken", er.Message)
	_, _, err = w.c["owner"].LDAPGroupLinks.Create(ctx, g, &gitlab.CreateLDAPGroupLinkOptions{Filter: gitlab.Ptr("(ou=eng"),
		GroupAccess: gitlab.Ptr(gitlab.AccessLevelGuest), Provider: gitlab.Ptr("ldapmain")})
	er = contractStatus(t, err, http.StatusConflict)
	assert.Equal(t, "Filter must be a valid filter", er.Message)
	assert.Equal(t, []string{"cn:devs@ldapmain"}, ldapKeys(w.s.LDAPGroupLinks(w.top)))
}

func contractLDAPSync(t *testing.T) {
	t.Parallel()
	s, admin := contractServer(t)
	ctx := context.Background()
	ldap := func(dn string) []gitlabtest.UserIdentity {
		return []gitlabtest.UserIdentity{{Provider: "ldapmain", ExternUID: dn}}
	}
	ownerID, ownerTok := s.CreateUser(gitlabtest.UserSpec{Username: "owner", Identities: ldap("uid=owner")})
	aliceID, _ := s.CreateUser(gitlabtest.UserSpec{Username: "alice", Identities: ldap("uid=alice")})
	bobID, _ := s.CreateUser(gitlabtest.UserSpec{Username: "bob", Identities: ldap("uid=bob")})
	carolID, _ := s.CreateUser(gitlabtest.UserSpec{Username: "carol"}) // no LDAP identity
	top := s.CreateGroup(gitlabtest.GroupSpec{Path: "top", Owners: []int64{ownerID}})
	s.AddGroupMember(top, bobID, gitlabtest.AccessMaintainer)
	s.AddGroupMember(top, carolID, gitlabtest.AccessReporter)
	owner := s.ClientFor(ownerTok, gitlab.WithoutRetries())
	_, _, err := owner.LDAPGroupLinks.Create(ctx, gitlab.GroupID(top), &gitlab.CreateLDAPGroupLinkOptions{CN: gitlab.Ptr("devs"),
		GroupAccess: gitlab.Ptr(gitlab.AccessLevelDeveloper), Provider: gitlab.Ptr("ldapmain")})
	require.NoError(t, err)
	levels := func() map[int64][2]any {
		out := map[int64][2]any{}
		for _, m := range s.Members(gitlabtest.GroupSource(top)) {
			out[m.UserID] = [2]any{m.AccessLevel, m.LDAP}
		}
		return out
	}
	before := levels()

	// Nothing seeded: the directory lists nobody. Bob, an LDAP user no
	// link lists, leaves; carol (no LDAP identity) and the last Owner stay.
	resp, err := owner.LDAPGroupLinks.Sync(ctx, gitlab.GroupPath("top"))
	require.NoError(t, err)
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)
	assert.Equal(t, map[int64][2]any{ownerID: {gitlabtest.AccessOwner, true}, carolID: {gitlabtest.AccessReporter, false}}, levels())
	assert.NotEqual(t, before, levels())

	// With the directory's answer, the listed LDAP users get the link's role.
	s.SetLDAPGroup("ldapmain", "devs", aliceID, bobID, carolID)
	_, err = admin.LDAPGroupLinks.Sync(ctx, gitlab.GroupID(top))
	require.NoError(t, err)
	assert.Equal(t, map[int64][2]any{ownerID: {gitlabtest.AccessOwner, true}, carolID: {gitlabtest.AccessReporter, false},
		aliceID: {gitlabtest.AccessDeveloper, true}, bobID: {gitlabtest.AccessDeveloper, true}}, levels())

	// Refusals: 404 Group Not Found for a group the caller cannot see,
	// 403 for one they can but do not own.
	_, err = s.ClientFor(ownerTok, gitlab.WithoutRetries()).LDAPGroupLinks.Sync(ctx, gitlab.GroupPath("nope"))
	er := contractStatus(t, err, http.StatusNotFound)
	assert.Equal(t, "404 Group Not Found", er.Message)
	otherTok := s.CreatePersonalToken(aliceID, "api")
	_, err = s.ClientFor(otherTok, gitlab.WithoutRetries()).LDAPGroupLinks.Sync(ctx, gitlab.GroupID(top))
	er = contractStatus(t, err, http.StatusForbidden)
	assert.Equal(t, "403 Forbidden", er.Message)
}

// On GitLab.com there is no LDAP: ldap_sync answers 404 before it looks
// at the group, while the link routes keep their own rules.
func contractLDAPSyncOffGitLabCom(t *testing.T) {
	t.Parallel()
	w := contractCredWorld(t, gitlabtest.WithGitLabCom())
	ctx := context.Background()
	for _, g := range []gitlab.GroupRef{gitlab.GroupID(w.top), gitlab.GroupPath("nope")} {
		_, err := w.c["owner"].LDAPGroupLinks.Sync(ctx, g)
		er := contractStatus(t, err, http.StatusNotFound)
		assert.Equal(t, "404 Not Found", er.Message)
	}
	_, _, err := w.c["maint"].LDAPGroupLinks.List(ctx, gitlab.GroupID(w.top))
	contractStatus(t, err, http.StatusForbidden)
}
