package model

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSAMLLinksRefuseNonOwnersAndMissingGroupsWithUnauthorized(t *testing.T) {
	w := newTree(t)
	w.add(w.maint, GroupSource(w.top.ID), AccessMaintainer, nil)
	for name, actor := range map[string]*User{"maintainer": w.maint, "stranger": w.jane, "anonymous": nil} {
		_, err := w.st.SAMLGroupLinks(actor, w.top, now)
		refusedFully(t, err, Unauthorized, "", false)
		_, err = w.st.CreateSAMLGroupLink(actor, w.top, SAMLLinkSpec{Name: "g", AccessLevel: AccessGuest}, now)
		refusedAs(t, err, Unauthorized, "")
		assert.Empty(t, w.st.samlLinks[w.top.ID], name)
	}
	_, err := w.st.SAMLGroupLinks(w.admin, nil, now)
	refusedAs(t, err, Unauthorized, "")
	// An Owner of the parent owns the subgroup too; administrators any.
	_, err = w.st.SAMLGroupLinks(w.owner, w.sub, now)
	require.NoError(t, err)
	_, err = w.st.SAMLGroupLinks(w.admin, w.other, now)
	require.NoError(t, err)
}

func TestSAMLLinkNameAndProviderAreStrippedAndBlankProviderIsNone(t *testing.T) {
	w := newTree(t)
	l, err := w.st.CreateSAMLGroupLink(w.owner, w.top, SAMLLinkSpec{Name: "  devs ", AccessLevel: AccessDeveloper, Provider: ptr("   ")}, now)
	require.NoError(t, err)
	assert.Equal(t, SAMLGroupLink{ID: l.ID, GroupID: w.top.ID, Name: "devs", AccessLevel: AccessDeveloper}, *l)
	l, err = w.st.CreateSAMLGroupLink(w.owner, w.top, SAMLLinkSpec{Name: "devs", AccessLevel: AccessGuest, Provider: ptr(" okta ")}, now)
	require.NoError(t, err)
	assert.Equal(t, ptr("okta"), l.Provider)
	links, err := w.st.SAMLGroupLinks(w.owner, w.top, now)
	require.NoError(t, err)
	assert.Equal(t, []string{"devs", "devs"}, []string{links[0].Name, links[1].Name}, "creation order")
}

func TestSAMLLinkNameIsUniquePerGroupAndProvider(t *testing.T) {
	w := newTree(t)
	create := func(g *Group, name string, provider *string) error {
		_, err := w.st.CreateSAMLGroupLink(w.admin, g, SAMLLinkSpec{Name: name, AccessLevel: AccessGuest, Provider: provider}, now)
		return err
	}
	require.NoError(t, create(w.top, "devs", nil))
	refusedFully(t, create(w.top, "devs", nil), BadRequest, "Saml group name has already been taken", true)
	refusedFully(t, create(w.top, "devs", ptr("")), BadRequest, "Saml group name has already been taken", true)
	require.NoError(t, create(w.top, "devs", ptr("p1")))
	refusedAs(t, create(w.top, "devs", ptr("p1")), BadRequest, "Saml group name has already been taken")
	require.NoError(t, create(w.top, "Devs", nil), "names are case-sensitive")
	require.NoError(t, create(w.other, "devs", nil), "another group")
}

func TestSAMLLinkValidationsAreJoinedInModelOrder(t *testing.T) {
	w := newTree(t)
	_, err := w.st.CreateSAMLGroupLink(w.owner, w.top, SAMLLinkSpec{Name: " ", AccessLevel: 5, Provider: ptr(strings.Repeat("p", 256))}, now)
	refusedFully(t, err, BadRequest, "Saml group name can't be blank,Provider is too long (maximum is 255 characters),Access level is invalid", true)
	_, err = w.st.CreateSAMLGroupLink(w.owner, w.top, SAMLLinkSpec{Name: strings.Repeat("n", 256), AccessLevel: AccessOwner}, now)
	refusedAs(t, err, BadRequest, "Saml group name is too long (maximum is 255 characters)")
	_, err = w.st.CreateSAMLGroupLink(w.owner, w.top, SAMLLinkSpec{Name: strings.Repeat("n", 255), AccessLevel: AccessPlanner}, now)
	require.NoError(t, err)
}

func TestSAMLLinkLookupIsExactAndNeedsAProviderWhenTheNameIsShared(t *testing.T) {
	w := newTree(t)
	for _, p := range []*string{nil, ptr("p1")} {
		_, err := w.st.CreateSAMLGroupLink(w.owner, w.top, SAMLLinkSpec{Name: "devs", AccessLevel: AccessGuest, Provider: p}, now)
		require.NoError(t, err)
	}
	_, err := w.st.CreateSAMLGroupLink(w.owner, w.top, SAMLLinkSpec{Name: "ops.team", AccessLevel: AccessGuest, Provider: ptr("p2")}, now)
	require.NoError(t, err)

	_, err = w.st.SAMLGroupLink(w.owner, w.top, "devs", nil, now)
	refusedFully(t, err, Unprocessable, "Multiple group links found with the same name. Please specify a provider parameter to disambiguate.", true)
	l, err := w.st.SAMLGroupLink(w.owner, w.top, "devs", ptr("  "), now)
	require.NoError(t, err)
	assert.Nil(t, l.Provider, "a blank provider selects the link without one")
	l, err = w.st.SAMLGroupLink(w.owner, w.top, "devs", ptr("p1"), now)
	require.NoError(t, err)
	assert.Equal(t, ptr("p1"), l.Provider)
	l, err = w.st.SAMLGroupLink(w.owner, w.top, "ops.team", nil, now)
	require.NoError(t, err, "a single match needs no provider")
	assert.Equal(t, ptr("p2"), l.Provider)
	for _, name := range []string{"DEVS", "dev", "ops.team "} {
		_, err = w.st.SAMLGroupLink(w.owner, w.top, name, nil, now)
		refusedFully(t, err, NotFound, "", false)
	}
	_, err = w.st.SAMLGroupLink(w.owner, w.top, "ops.team", ptr("p1"), now)
	refusedAs(t, err, NotFound, "")
}

func TestSAMLLinkDeleteRemovesOnlyTheLinkFound(t *testing.T) {
	w := newTree(t)
	for _, p := range []*string{nil, ptr("p1")} {
		_, err := w.st.CreateSAMLGroupLink(w.owner, w.top, SAMLLinkSpec{Name: "devs", AccessLevel: AccessGuest, Provider: p}, now)
		require.NoError(t, err)
	}
	refusedAs(t, w.st.DeleteSAMLGroupLink(w.owner, w.top, "devs", nil, now), Unprocessable,
		"Multiple group links found with the same name. Please specify a provider parameter to disambiguate.")
	require.NoError(t, w.st.DeleteSAMLGroupLink(w.owner, w.top, "devs", ptr(""), now))
	require.Len(t, w.st.samlLinks[w.top.ID], 1)
	assert.Equal(t, ptr("p1"), w.st.samlLinks[w.top.ID][0].Provider)
	require.NoError(t, w.st.DeleteSAMLGroupLink(w.owner, w.top, "devs", nil, now))
	assert.Empty(t, w.st.samlLinks[w.top.ID])
	refusedAs(t, w.st.DeleteSAMLGroupLink(w.owner, w.top, "devs", nil, now), NotFound, "")
}

func TestLDAPLinksRefuseNonOwnersAndMissingGroupsWithForbidden(t *testing.T) {
	w := newTree(t)
	w.add(w.maint, GroupSource(w.top.ID), AccessMaintainer, nil)
	for _, actor := range []*User{w.maint, w.jane, nil} {
		_, err := w.st.LDAPGroupLinks(actor, w.top, now)
		refusedFully(t, err, Forbidden, "", false)
		_, err = w.st.CreateLDAPGroupLink(actor, w.top, LDAPLinkSpec{CN: ptr("devs"), GroupAccess: AccessGuest, Provider: ptr("ldapmain")}, now)
		refusedAs(t, err, Forbidden, "")
		refusedAs(t, w.st.DeleteLDAPGroupLink(actor, w.top, LDAPLinkSpec{CN: ptr("devs")}, now), Forbidden, "")
		refusedAs(t, w.st.SyncLDAP(actor, w.top, now), Forbidden, "")
	}
	_, err := w.st.LDAPGroupLinks(w.admin, nil, now)
	refusedAs(t, err, Forbidden, "")
}

func TestLDAPLinkListWithoutLinksIsNotFound(t *testing.T) {
	w := newTree(t)
	_, err := w.st.LDAPGroupLinks(w.owner, w.top, now)
	refusedFully(t, err, NotFound, "No linked LDAP groups found", true)
	_, err = w.st.CreateLDAPGroupLink(w.owner, w.top, LDAPLinkSpec{CN: ptr("devs"), GroupAccess: AccessGuest, Provider: ptr("ldapmain")}, now)
	require.NoError(t, err)
	links, err := w.st.LDAPGroupLinks(w.owner, w.top, now)
	require.NoError(t, err)
	assert.Equal(t, []*LDAPGroupLink{{ID: links[0].ID, GroupID: w.top.ID, CN: ptr("devs"), GroupAccess: AccessGuest, Provider: "ldapmain"}}, links)
}

func TestLDAPLinkCNAndFilterAreUniquePerGroupAndProvider(t *testing.T) {
	w := newTree(t)
	create := func(g *Group, spec LDAPLinkSpec) error {
		spec.GroupAccess = AccessDeveloper
		_, err := w.st.CreateLDAPGroupLink(w.owner, g, spec, now)
		return err
	}
	require.NoError(t, create(w.top, LDAPLinkSpec{CN: ptr("devs"), Provider: ptr("ldapmain")}))
	refusedFully(t, create(w.top, LDAPLinkSpec{CN: ptr("devs"), Provider: ptr("ldapmain")}), Conflict, "Cn has already been taken", true)
	require.NoError(t, create(w.top, LDAPLinkSpec{CN: ptr("devs"), Provider: ptr("ldapalt")}))
	require.NoError(t, create(w.sub, LDAPLinkSpec{CN: ptr("devs"), Provider: ptr("ldapmain")}))
	require.NoError(t, create(w.top, LDAPLinkSpec{Filter: ptr("(ou=eng)"), Provider: ptr("ldapmain")}))
	refusedAs(t, create(w.top, LDAPLinkSpec{Filter: ptr("(ou=eng)"), Provider: ptr("ldapmain")}), Conflict, "Filter has already been taken")
}

func TestLDAPLinkValidationsGiveTheFirstMessage(t *testing.T) {
	w := newTree(t)
	for _, c := range []struct {
		spec LDAPLinkSpec
		msg  string
	}{
		{LDAPLinkSpec{Filter: ptr("not a filter"), Provider: ptr("ldapmain")}, "Filter must be a valid filter"},
		{LDAPLinkSpec{Filter: ptr("(&(ou=eng)(l=Paris)"), Provider: ptr("ldapmain")}, "Filter must be a valid filter"},
		{LDAPLinkSpec{Filter: ptr("(ou=" + strings.Repeat("x", 8190) + ")"), Provider: ptr("ldapmain")}, "Filter is too long (maximum is 8192 characters)"},
		{LDAPLinkSpec{CN: ptr(strings.Repeat("c", 256)), Provider: ptr("")}, "Cn is too long (maximum is 255 characters)"},
		{LDAPLinkSpec{CN: ptr("devs"), Provider: ptr(strings.Repeat("p", 256))}, "Provider is too long (maximum is 255 characters)"},
		{LDAPLinkSpec{CN: ptr("devs"), Provider: ptr("")}, "Provider can't be blank"},
	} {
		c.spec.GroupAccess = AccessGuest
		_, err := w.st.CreateLDAPGroupLink(w.owner, w.top, c.spec, now)
		refusedFully(t, err, Conflict, c.msg, true)
	}
	for _, f := range []string{"(&(ou=eng)(l=Paris))", "cn=devs", "(!(memberOf=cn=x,dc=example))", "(|(a=1)(b~=2))"} {
		_, err := w.st.CreateLDAPGroupLink(w.owner, w.top, LDAPLinkSpec{Filter: ptr(f), GroupAccess: AccessGuest, Provider: ptr("ldapmain")}, now)
		require.NoError(t, err, f)
	}
	assert.Len(t, w.st.ldapLinks[w.top.ID], 4)
}

func TestLDAPLinkDeleteFindsTheFirstMatch(t *testing.T) {
	w := newTree(t)
	for _, s := range []LDAPLinkSpec{{CN: ptr("devs"), Provider: ptr("alt")}, {CN: ptr("devs"), Provider: ptr("main")}, {Filter: ptr("(ou=eng)"), Provider: ptr("main")}} {
		s.GroupAccess = AccessGuest
		_, err := w.st.CreateLDAPGroupLink(w.owner, w.top, s, now)
		require.NoError(t, err)
	}
	providers := func() (out []string) {
		for _, l := range w.st.ldapLinks[w.top.ID] {
			out = append(out, l.Provider)
		}
		return out
	}
	refusedFully(t, w.st.DeleteLDAPGroupLink(w.owner, w.top, LDAPLinkSpec{CN: ptr("devs"), Provider: ptr("other")}, now),
		NotFound, "Linked LDAP group not found", true)
	refusedAs(t, w.st.DeleteLDAPGroupLink(w.owner, w.top, LDAPLinkSpec{Filter: ptr("(ou=eng)"), Provider: ptr("alt")}, now),
		NotFound, "Linked LDAP group not found")
	require.NoError(t, w.st.DeleteLDAPGroupLink(w.owner, w.top, LDAPLinkSpec{CN: ptr("devs"), Provider: ptr("main")}, now))
	assert.Equal(t, []string{"alt", "main"}, providers())
	require.NoError(t, w.st.DeleteLDAPGroupLink(w.owner, w.top, LDAPLinkSpec{Filter: ptr("(ou=eng)"), Provider: ptr("main")}, now))
	require.NoError(t, w.st.DeleteLDAPGroupLink(w.owner, w.top, LDAPLinkSpec{CN: ptr("devs")}, now), "cn alone, any provider")
	assert.Empty(t, providers())
}

func TestLDAPSyncChangesNothingWithoutADirectoryAnswer(t *testing.T) {
	w := newTree(t)
	w.dev.Identities = []Identity{{Provider: "ldapmain", ExternUID: "uid=dev,dc=example"}}
	w.add(w.dev, GroupSource(w.top.ID), AccessDeveloper, nil)
	require.NoError(t, w.st.SyncLDAP(w.owner, w.top, now), "no links")
	before := *w.st.row(w.dev.ID, GroupSource(w.top.ID))
	require.False(t, before.LDAP)
	_, err := w.st.CreateLDAPGroupLink(w.owner, w.top, LDAPLinkSpec{CN: ptr("devs"), GroupAccess: AccessGuest, Provider: ptr("other")}, now)
	require.NoError(t, err)
	require.NoError(t, w.st.SyncLDAP(w.owner, w.top, now))
	assert.Equal(t, before, *w.st.row(w.dev.ID, GroupSource(w.top.ID)), "a member without an identity of the link's provider is left alone")
}

func TestLDAPSyncAppliesTheLinksToTheDirectory(t *testing.T) {
	w := newTree(t)
	st, top := w.st, GroupSource(w.top.ID)
	for _, u := range []*User{w.owner, w.maint, w.dev, w.jane} {
		u.Identities = []Identity{{Provider: "ldapmain", ExternUID: "uid=" + u.Username}}
	}
	plain := st.AddUser(&User{UserData: UserData{Username: "plain", Email: "plain@example.com"}, State: StateActive}, new(Email), now)
	w.add(plain, top, AccessReporter, nil)     // no LDAP identity: kept as is
	w.add(w.maint, top, AccessMaintainer, nil) // not listed: removed
	w.add(w.maint, GroupSource(w.sub.ID), AccessMaintainer, nil)
	w.add(w.dev, top, AccessGuest, nil).Override = true // listed, override: keeps Guest
	for _, s := range []LDAPLinkSpec{{CN: ptr("devs"), GroupAccess: AccessDeveloper}, {Filter: ptr("(ou=ops)"), GroupAccess: AccessMaintainer}} {
		s.Provider = ptr("ldapmain")
		_, err := st.CreateLDAPGroupLink(w.owner, w.top, s, now)
		require.NoError(t, err)
	}
	st.SetLDAPDirectory(LDAPEntry{"ldapmain", "devs"}, []int64{w.dev.ID, w.jane.ID, plain.ID})
	st.SetLDAPDirectory(LDAPEntry{"ldapmain", "(ou=ops)"}, []int64{w.jane.ID})

	require.NoError(t, st.SyncLDAP(w.admin, w.top, now))
	got := map[string][2]any{}
	for _, m := range st.MemberRows(top) {
		got[st.users[m.UserID].Username] = [2]any{m.AccessLevel, m.LDAP}
	}
	assert.Equal(t, map[string][2]any{
		"owner": {AccessOwner, true},     // the last Owner: not removed though no link lists them
		"plain": {AccessReporter, false}, // listed, but no identity of the provider
		"dev":   {AccessGuest, true},
		"jane":  {AccessMaintainer, true}, // the higher of her two links
	}, got)
	assert.NotNil(t, st.row(w.maint.ID, GroupSource(w.sub.ID)), "the sync removes only the group's own rows")
}
