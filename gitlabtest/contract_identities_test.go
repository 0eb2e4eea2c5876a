package gitlabtest_test

// Contract cases of a group's identities: its SAML and SCIM identities
// (SAMLIdentities, SCIMIdentities), its SAML users and provisioned
// users (GroupUsers), and the SCIM identities on a user
// (User.SCIMIdentities). Each calls the SDK against the fake and checks
// the decoded answer, the fake's state afterwards (SAMLIdentities,
// SCIMIdentities, User) and GitLab's refusals as typed errors with
// GitLab's words. TestContract runs them with the others.

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// identityCases are the contract cases of this file, in TestContract's
// table.
var identityCases = []contractCase{
	{"SAMLIdentities", contractSAMLIdentities},
	{"SAMLIdentitiesRefusals", contractSAMLIdentitiesRefusals},
	{"SCIMIdentities", contractSCIMIdentities},
	{"GroupUsersSAML", contractGroupUsersSAML},
	{"GroupUsersProvisioned", contractGroupUsersProvisioned},
}

// idWorldC is the world of the identity cases: the private top-level
// group corp (owner its Owner, maint a Maintainer, dev a Developer) and
// its subgroup corp/eng, and the users alice, bob and stranger, with a
// client (without retries) per user, "root" the administrator's.
type idWorldC struct {
	s         *gitlabtest.Server
	ids       map[string]int64
	c         map[string]*gitlab.Client
	corp, eng int64
}

func contractIDWorld(t *testing.T) idWorldC {
	t.Helper()
	s, admin := contractServer(t)
	w := idWorldC{s: s, ids: map[string]int64{}, c: map[string]*gitlab.Client{"root": admin}}
	for _, n := range []string{"owner", "maint", "dev", "alice", "bob", "stranger"} {
		id, tok := s.CreateUser(gitlabtest.UserSpec{Username: n, Name: "N " + n, Email: n + "@example.com"})
		w.ids[n], w.c[n] = id, s.ClientFor(tok, gitlab.WithoutRetries())
	}
	w.corp = s.CreateGroup(gitlabtest.GroupSpec{Path: "corp", Owners: []int64{w.ids["owner"]}})
	s.AddGroupMember(w.corp, w.ids["maint"], gitlabtest.AccessMaintainer)
	s.AddGroupMember(w.corp, w.ids["dev"], gitlabtest.AccessDeveloper)
	w.eng = s.CreateGroup(gitlabtest.GroupSpec{Path: "eng", ParentID: w.corp})
	return w
}

// contractRefused asserts err is GitLab's refusal: its status, its
// message and the SDK's sentinel.
func contractRefused(t *testing.T, err error, code int, message string, sentinel error) {
	t.Helper()
	er := contractStatus(t, err, code)
	assert.Equal(t, message, er.Message)
	assert.True(t, errors.Is(err, sentinel), "%v is not %v", err, sentinel)
}

// An Owner lists, reads (exactly), renames and deletes the SAML
// identities of the group; the user keeps the account, and the user
// entity shows the identity with its SAML provider.
func contractSAMLIdentities(t *testing.T) {
	t.Parallel()
	w := contractIDWorld(t)
	ctx := context.Background()
	corp := gitlab.GroupPath("corp")
	pid := w.s.EnableGroupSAML(w.corp)
	w.s.AddSAMLIdentity(w.corp, w.ids["alice"], "alice@corp.example")
	w.s.AddSAMLIdentity(w.corp, w.ids["bob"], "CN=Bob/OU=eng")

	list, resp, err := w.c["owner"].SAMLIdentities.List(ctx, corp)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, []*gitlab.GroupIdentity{{ExternUID: "alice@corp.example", UserID: w.ids["alice"]},
		{ExternUID: "CN=Bob/OU=eng", UserID: w.ids["bob"]}}, list)
	iterated := contractCollect(t, w.c["root"].SAMLIdentities.ListIter(ctx, gitlab.GroupID(w.corp)))
	assert.Equal(t, list, iterated)

	bob, _, err := w.c["owner"].SAMLIdentities.Get(ctx, corp, "CN=Bob/OU=eng")
	require.NoError(t, err, "a UID with a slash is one segment")
	assert.Equal(t, &gitlab.GroupIdentity{ExternUID: "CN=Bob/OU=eng", UserID: w.ids["bob"]}, bob)
	_, _, err = w.c["owner"].SAMLIdentities.Get(ctx, corp, "ALICE@corp.example")
	contractRefused(t, err, 404, "404 Identity Not Found", gitlab.ErrNotFound)

	u, _, err := w.c["root"].Users.Get(ctx, w.ids["alice"], nil)
	require.NoError(t, err)
	assert.Equal(t, []*gitlab.Identity{{Provider: "group_saml", ExternUID: "alice@corp.example", SAMLProviderID: pid}}, u.Identities)

	updated, _, err := w.c["owner"].SAMLIdentities.Update(ctx, corp, "alice@corp.example",
		&gitlab.UpdateGroupIdentityOptions{ExternUID: gitlab.Ptr("alice.liddell@corp.example")})
	require.NoError(t, err)
	assert.Equal(t, &gitlab.GroupIdentity{ExternUID: "alice.liddell@corp.example", UserID: w.ids["alice"]}, updated)
	_, _, err = w.c["owner"].SAMLIdentities.Update(ctx, corp, "alice.liddell@corp.example",
		&gitlab.UpdateGroupIdentityOptions{ExternUID: gitlab.Ptr("cn=bob/ou=eng")})
	contractRefused(t, err, 400, "Extern uid has already been taken. Please contact your administrator to generate a unique extern_uid / NameID", gitlab.ErrBadRequest)

	resp, err = w.c["owner"].SAMLIdentities.Delete(ctx, corp, "CN=Bob/OU=eng")
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	assert.Equal(t, []gitlabtest.SAMLIdentitySnapshot{{UserID: w.ids["alice"], ExternUID: "alice.liddell@corp.example", ProviderID: pid}},
		w.s.SAMLIdentities(w.corp))
	kept, ok := w.s.User(w.ids["bob"])
	require.True(t, ok, "the user stays")
	assert.Empty(t, kept.Identities)
	_, err = w.c["owner"].SAMLIdentities.Delete(ctx, corp, "CN=Bob/OU=eng")
	contractRefused(t, err, 404, "404 Identity Not Found", gitlab.ErrNotFound)
}

// Who may not: 401 anonymous, 403 below Owner, 404 for a group the
// caller cannot see (or that does not exist), 400 without a SAML
// provider (a subgroup never has one); a PATCH without a UID never
// leaves the SDK.
func contractSAMLIdentitiesRefusals(t *testing.T) {
	t.Parallel()
	w := contractIDWorld(t)
	ctx := context.Background()
	corp := gitlab.GroupID(w.corp)
	w.s.AddSAMLIdentity(w.corp, w.ids["alice"], "alice")

	_, _, err := w.s.ClientFor("", gitlab.WithoutRetries()).SAMLIdentities.List(ctx, corp)
	contractRefused(t, err, 401, "401 Unauthorized", gitlab.ErrUnauthorized)
	for _, n := range []string{"maint", "dev"} {
		_, _, err = w.c[n].SAMLIdentities.Get(ctx, corp, "alice")
		contractRefused(t, err, 403, "403 Forbidden", gitlab.ErrForbidden)
		_, err = w.c[n].SCIMIdentities.Delete(ctx, corp, "alice")
		contractRefused(t, err, 403, "403 Forbidden", gitlab.ErrForbidden)
	}
	_, _, err = w.c["stranger"].SAMLIdentities.List(ctx, corp)
	contractRefused(t, err, 404, "404 Group Not Found", gitlab.ErrNotFound)
	_, _, err = w.c["root"].SAMLIdentities.List(ctx, gitlab.GroupPath("nowhere"))
	contractRefused(t, err, 404, "404 Group Not Found", gitlab.ErrNotFound)
	_, _, err = w.c["owner"].SAMLIdentities.List(ctx, gitlab.GroupPath("corp/eng"))
	contractRefused(t, err, 400, "400 Bad request", gitlab.ErrBadRequest)
	_, _, err = w.c["owner"].SAMLIdentities.Get(ctx, gitlab.GroupPath("corp/eng"), "alice")
	contractRefused(t, err, 404, "404 Identity Not Found", gitlab.ErrNotFound)
	_, _, err = w.c["owner"].SAMLIdentities.Update(ctx, corp, "alice", &gitlab.UpdateGroupIdentityOptions{})
	assert.True(t, errors.Is(err, gitlab.ErrInvalidArgument), "%v", err)
	assert.Equal(t, "alice", w.s.SAMLIdentities(w.corp)[0].ExternUID, "nothing changed")
}

// SCIM identities carry active and are found case-insensitively; the
// user entity lists them; a group without any lists none.
func contractSCIMIdentities(t *testing.T) {
	t.Parallel()
	w := contractIDWorld(t)
	ctx := context.Background()
	corp := gitlab.GroupPath("corp")
	none, _, err := w.c["owner"].SCIMIdentities.List(ctx, corp)
	require.NoError(t, err)
	assert.Empty(t, none)
	w.s.AddSCIMIdentity(w.corp, w.ids["alice"], "Okta.Alice", true)
	w.s.AddSCIMIdentity(w.corp, w.ids["bob"], "okta.bob", false)

	list, _, err := w.c["owner"].SCIMIdentities.List(ctx, corp)
	require.NoError(t, err)
	assert.Equal(t, []*gitlab.GroupIdentity{{ExternUID: "Okta.Alice", UserID: w.ids["alice"], Active: true},
		{ExternUID: "okta.bob", UserID: w.ids["bob"]}}, list)
	assert.Equal(t, list, contractCollect(t, w.c["owner"].SCIMIdentities.ListIter(ctx, corp)))
	alice, _, err := w.c["owner"].SCIMIdentities.Get(ctx, corp, "okta.ALICE")
	require.NoError(t, err)
	assert.Equal(t, list[0], alice)

	u, _, err := w.c["root"].Users.Get(ctx, w.ids["alice"], nil)
	require.NoError(t, err)
	assert.Equal(t, []*gitlab.SCIMIdentity{{ExternUID: "Okta.Alice", GroupID: gitlab.Ptr(w.corp), Active: true}}, u.SCIMIdentities)
	me, _, err := w.c["bob"].Users.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, []*gitlab.SCIMIdentity{{ExternUID: "okta.bob", GroupID: gitlab.Ptr(w.corp)}}, me.SCIMIdentities)

	updated, _, err := w.c["owner"].SCIMIdentities.Update(ctx, corp, "OKTA.BOB", &gitlab.UpdateGroupIdentityOptions{ExternUID: gitlab.Ptr("okta.robert")})
	require.NoError(t, err)
	assert.Equal(t, &gitlab.GroupIdentity{ExternUID: "okta.robert", UserID: w.ids["bob"]}, updated, "active is kept")
	_, _, err = w.c["owner"].SCIMIdentities.Update(ctx, corp, "okta.robert", &gitlab.UpdateGroupIdentityOptions{ExternUID: gitlab.Ptr("OKTA.alice")})
	contractRefused(t, err, 400, "Extern uid has already been taken", gitlab.ErrBadRequest)

	_, err = w.c["root"].SCIMIdentities.Delete(ctx, corp, "okta.alice")
	require.NoError(t, err)
	assert.Equal(t, []gitlabtest.SCIMIdentitySnapshot{{GroupID: w.corp, UserID: w.ids["bob"], ExternUID: "okta.robert"}}, w.s.SCIMIdentities(w.corp))
	u, _, err = w.c["root"].Users.Get(ctx, w.ids["alice"], nil)
	require.NoError(t, err)
	assert.Empty(t, u.SCIMIdentities)
	_, _, err = w.c["owner"].SCIMIdentities.Get(ctx, corp, "okta.alice")
	contractRefused(t, err, 404, "404 Identity Not Found", gitlab.ErrNotFound)
}

func contractUsernames(users []*gitlab.User) []string {
	out := []string{}
	for _, u := range users {
		out = append(out, u.Username)
	}
	return out
}

// The SAML users of a top-level group, by descending ID, filtered and
// across pages, with their private email and identities; refused as
// GitLab refuses them.
func contractGroupUsersSAML(t *testing.T) {
	t.Parallel()
	w := contractIDWorld(t)
	ctx := context.Background()
	corp := gitlab.GroupPath("corp")
	empty, _, err := w.c["owner"].GroupUsers.ListSAML(ctx, corp, nil)
	require.NoError(t, err)
	assert.Empty(t, empty, "no SAML provider: []")
	for _, n := range []string{"dev", "alice", "bob"} {
		w.s.AddSAMLIdentity(w.corp, w.ids[n], n+"-uid")
	}
	w.s.UpdateUser(w.ids["bob"], func(u *gitlabtest.UserSnapshot) { u.State = gitlab.UserStateBlocked })

	page, resp, err := w.c["owner"].GroupUsers.ListSAML(ctx, corp, &gitlab.ListGroupUsersOptions{ListOptions: gitlab.ListOptions{PerPage: 2}})
	require.NoError(t, err)
	assert.Equal(t, []string{"bob", "alice"}, contractUsernames(page))
	assert.Equal(t, 3, resp.TotalItems)
	assert.Equal(t, 2, resp.NextPage)
	assert.Equal(t, "bob@example.com", page[0].Email, "UserPublic: the private email")
	assert.Equal(t, "bob-uid", page[0].Identities[0].ExternUID)
	all := contractCollect(t, w.c["root"].GroupUsers.ListSAMLIter(ctx, corp, &gitlab.ListGroupUsersOptions{ListOptions: gitlab.ListOptions{PerPage: 1}}))
	assert.Equal(t, []string{"bob", "alice", "dev"}, contractUsernames(all))
	active, _, err := w.c["owner"].GroupUsers.ListSAML(ctx, corp, &gitlab.ListGroupUsersOptions{Active: gitlab.Ptr(true), Search: gitlab.Ptr("ali")})
	require.NoError(t, err)
	assert.Equal(t, []string{"alice"}, contractUsernames(active))
	blocked, _, err := w.c["owner"].GroupUsers.ListSAML(ctx, corp, &gitlab.ListGroupUsersOptions{Blocked: gitlab.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, []string{"bob"}, contractUsernames(blocked))

	_, _, err = w.s.ClientFor("", gitlab.WithoutRetries()).GroupUsers.ListSAML(ctx, corp, nil)
	contractRefused(t, err, 401, "401 Unauthorized", gitlab.ErrUnauthorized)
	_, _, err = w.c["stranger"].GroupUsers.ListSAML(ctx, corp, nil)
	contractRefused(t, err, 404, "404 Group Not Found", gitlab.ErrNotFound)
	_, _, err = w.c["owner"].GroupUsers.ListSAML(ctx, gitlab.GroupID(w.eng), nil)
	contractRefused(t, err, 400, "400 Bad request - Must be a top-level group", gitlab.ErrBadRequest)
	_, _, err = w.c["maint"].GroupUsers.ListSAML(ctx, corp, nil)
	contractRefused(t, err, 403, "403 Forbidden", gitlab.ErrForbidden)
}

// The users a group provisioned, by descending ID and across pages, for
// Maintainers and above; refused below.
func contractGroupUsersProvisioned(t *testing.T) {
	t.Parallel()
	w := contractIDWorld(t)
	ctx := context.Background()
	var made []string
	for _, n := range []string{"p1", "p2", "p3"} {
		w.s.CreateUser(gitlabtest.UserSpec{Username: n, Email: n + "@corp.example", ProvisionedByGroupID: w.corp})
		made = append([]string{n}, made...)
	}
	w.s.CreateUser(gitlabtest.UserSpec{Username: "elsewhere", ProvisionedByGroupID: w.eng})

	page, resp, err := w.c["maint"].GroupUsers.ListProvisioned(ctx, gitlab.GroupID(w.corp), &gitlab.ListGroupUsersOptions{ListOptions: gitlab.ListOptions{PerPage: 2}})
	require.NoError(t, err)
	assert.Equal(t, made[:2], contractUsernames(page))
	assert.Equal(t, 3, resp.TotalItems)
	assert.Equal(t, "p3@corp.example", page[0].Email, "UserPublic: the private email")
	all := contractCollect(t, w.c["owner"].GroupUsers.ListProvisionedIter(ctx, gitlab.GroupPath("corp"), &gitlab.ListGroupUsersOptions{ListOptions: gitlab.ListOptions{PerPage: 2}}))
	assert.Equal(t, made, contractUsernames(all))
	one, _, err := w.c["root"].GroupUsers.ListProvisioned(ctx, gitlab.GroupPath("corp"), &gitlab.ListGroupUsersOptions{Username: gitlab.Ptr("P2")})
	require.NoError(t, err)
	assert.Equal(t, []string{"p2"}, contractUsernames(one))
	sub, _, err := w.c["owner"].GroupUsers.ListProvisioned(ctx, gitlab.GroupPath("corp/eng"), nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"elsewhere"}, contractUsernames(sub), "subgroups too")

	_, _, err = w.c["dev"].GroupUsers.ListProvisioned(ctx, gitlab.GroupID(w.corp), nil)
	contractRefused(t, err, 403, "403 Forbidden", gitlab.ErrForbidden)
	_, _, err = w.c["stranger"].GroupUsers.ListProvisioned(ctx, gitlab.GroupID(w.corp), nil)
	contractRefused(t, err, 404, "404 Group Not Found", gitlab.ErrNotFound)
}
