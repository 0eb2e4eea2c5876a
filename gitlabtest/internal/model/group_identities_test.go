package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// idWorld is a store with the private top-level group corp (owner its
// Owner, maint a Maintainer, dev a Developer) and its subgroup corp/eng,
// the public group open, and the users alice and bob.
type idWorld struct {
	st                   *Store
	admin                *User
	owner, maint, dev    *User
	alice, bob, outsider *User
	corp, eng, open      *Group
}

func newIDWorld(t *testing.T) idWorld {
	st, admin, u := newTestStore(t, "owner", "maint", "dev", "alice", "bob", "outsider")
	w := idWorld{st: st, admin: admin, owner: u[0], maint: u[1], dev: u[2], alice: u[3], bob: u[4], outsider: u[5]}
	w.corp = st.AddGroup(GroupSpec{Path: "corp"}, now)
	w.eng = st.AddGroup(GroupSpec{Path: "eng", ParentID: w.corp.ID}, now)
	w.open = st.AddGroup(GroupSpec{Path: "open", Visibility: "public"}, now)
	st.AddMember(w.owner, SourceNamespace, w.corp.ID, "corp", AccessOwner)
	st.AddMember(w.maint, SourceNamespace, w.corp.ID, "corp", AccessMaintainer)
	st.AddMember(w.dev, SourceNamespace, w.corp.ID, "corp", AccessDeveloper)
	return w
}

func samlUIDs(t *testing.T, st *Store, g *Group) []string {
	t.Helper()
	ids, err := st.SAMLIdentities(g)
	require.NoError(t, err)
	out := []string{}
	for _, id := range ids {
		out = append(out, id.ExternUID)
	}
	return out
}

func usernames(users []*User) []string {
	out := []string{}
	for _, u := range users {
		out = append(out, u.Username)
	}
	return out
}

// authorize_admin_group: an invisible or missing group is 404 Group
// for everyone but administrators; a visible one needs its Owner.
func TestGroupIdentityAdminNeedsOwner(t *testing.T) {
	w := newIDWorld(t)
	for _, u := range []*User{w.owner, w.admin} {
		g, err := w.st.GroupIdentityAdmin(u, "corp", now)
		require.NoError(t, err, u.Username)
		assert.Equal(t, w.corp, g)
	}
	for _, u := range []*User{w.maint, w.dev} {
		_, err := w.st.GroupIdentityAdmin(u, itoa(w.corp.ID), now)
		refusedFully(t, err, Forbidden, "", false)
	}
	_, err := w.st.GroupIdentityAdmin(w.outsider, "corp", now)
	refusedFully(t, err, NotFound, "Group", false)
	_, err = w.st.GroupIdentityAdmin(w.admin, "missing", now)
	refusedAs(t, err, NotFound, "Group")
	_, err = w.st.GroupIdentityAdmin(w.outsider, "open", now)
	refusedAs(t, err, Forbidden, "")
	_, err = w.st.GroupIdentityAdmin(nil, "open", now)
	refusedAs(t, err, Forbidden, "")
}

// A group without a SAML provider lists no SAML identities: 400
// Bad request, not []; a subgroup never has one.
func TestSAMLIdentitiesNeedAProvider(t *testing.T) {
	w := newIDWorld(t)
	_, err := w.st.SAMLIdentities(w.corp)
	refusedFully(t, err, BadRequest, "", false)
	_, err = w.st.EnableSAML(w.eng)
	refusedAs(t, err, BadRequest, "Must be a top-level group")
	pid, err := w.st.EnableSAML(w.corp)
	require.NoError(t, err)
	again, err := w.st.EnableSAML(w.corp)
	require.NoError(t, err)
	assert.Equal(t, pid, again, "a group keeps its provider")
	assert.Equal(t, pid, w.st.SAMLProviderOf(w.corp))
	assert.Equal(t, []string{}, samlUIDs(t, w.st, w.corp))
}

// A SAML identity is one of the user's identities, with its provider,
// listed in creation order; lookups match the extern UID exactly.
func TestSAMLIdentityLookupIsCaseSensitive(t *testing.T) {
	w := newIDWorld(t)
	require.NoError(t, w.st.AddSAMLIdentity(w.alice, w.corp, "Alice@corp.example"))
	require.NoError(t, w.st.AddSAMLIdentity(w.bob, w.corp, "bob.1"))
	pid := w.st.SAMLProviderOf(w.corp)
	assert.Equal(t, []Identity{{Provider: "group_saml", ExternUID: "Alice@corp.example", SAMLProviderID: pid}}, w.alice.Identities)
	assert.Equal(t, []string{"Alice@corp.example", "bob.1"}, samlUIDs(t, w.st, w.corp))

	got, err := w.st.SAMLIdentity(w.corp, "Alice@corp.example")
	require.NoError(t, err)
	assert.Equal(t, SAMLIdentity{UserID: w.alice.ID, ExternUID: "Alice@corp.example", ProviderID: pid}, got)
	_, err = w.st.SAMLIdentity(w.corp, "alice@corp.example")
	refusedFully(t, err, NotFound, "Identity", false)
	_, err = w.st.SAMLIdentity(w.eng, "bob.1")
	refusedAs(t, err, NotFound, "Identity")
}

// PATCH: the new extern UID must be present and unique at the provider
// (case-insensitively); the messages go out as they are.
func TestUpdateSAMLIdentityValidatesExternUID(t *testing.T) {
	w := newIDWorld(t)
	require.NoError(t, w.st.AddSAMLIdentity(w.alice, w.corp, "alice"))
	require.NoError(t, w.st.AddSAMLIdentity(w.bob, w.corp, "bob"))

	_, err := w.st.UpdateSAMLIdentity(w.corp, "alice", "")
	refusedFully(t, err, BadRequest, "SAML NameID is missing from your SAML response. Please contact your administrator", true)
	_, err = w.st.UpdateSAMLIdentity(w.corp, "alice", "BOB")
	refusedFully(t, err, BadRequest, "Extern uid has already been taken. Please contact your administrator to generate a unique extern_uid / NameID", true)
	_, err = w.st.UpdateSAMLIdentity(w.corp, "carol", "c")
	refusedAs(t, err, NotFound, "Identity")

	got, err := w.st.UpdateSAMLIdentity(w.corp, "alice", "ALICE")
	require.NoError(t, err, "a new case of its own value is not taken")
	assert.Equal(t, "ALICE", got.ExternUID)
	assert.Equal(t, "ALICE", w.alice.Identities[0].ExternUID)
	same, err := w.st.UpdateSAMLIdentity(w.corp, "ALICE", "ALICE")
	require.NoError(t, err)
	assert.Equal(t, got, same)
}

// DELETE removes the identity only: the user stays, and so does a
// membership.
func TestDeleteSAMLIdentityKeepsTheUser(t *testing.T) {
	w := newIDWorld(t)
	w.st.AddMember(w.alice, SourceNamespace, w.corp.ID, "corp", AccessGuest)
	require.NoError(t, w.st.AddSAMLIdentity(w.alice, w.corp, "alice"))
	w.alice.Identities = append(w.alice.Identities, Identity{Provider: "github", ExternUID: "7"})

	require.NoError(t, w.st.DeleteSAMLIdentity(w.corp, "alice"))
	assert.Equal(t, []Identity{{Provider: "github", ExternUID: "7"}}, w.alice.Identities)
	assert.Equal(t, []string{}, samlUIDs(t, w.st, w.corp))
	assert.Equal(t, AccessGuest, w.st.GroupAccess(w.alice, w.corp, now))
	refusedAs(t, w.st.DeleteSAMLIdentity(w.corp, "alice"), NotFound, "Identity")
}

// SCIM identities: listed with active, found case-insensitively,
// validated per group.
func TestSCIMIdentityLookupIsCaseInsensitive(t *testing.T) {
	w := newIDWorld(t)
	assert.Equal(t, []SCIMIdentity{}, w.st.SCIMIdentities(w.corp), "[] rather than a refusal")
	require.NoError(t, w.st.AddSCIMIdentity(w.alice, w.corp, "Alice-1", true))
	require.NoError(t, w.st.AddSCIMIdentity(w.bob, w.corp, "bob-1", false))
	require.NoError(t, w.st.AddSCIMIdentity(w.alice, w.open, "alice-open", true))
	refusedAs(t, w.st.AddSCIMIdentity(w.alice, w.corp, "again", true), BadRequest, "User has already been taken")

	assert.Equal(t, []SCIMIdentity{{GroupID: w.corp.ID, UserID: w.alice.ID, ExternUID: "Alice-1", Active: true},
		{GroupID: w.corp.ID, UserID: w.bob.ID, ExternUID: "bob-1"}}, w.st.SCIMIdentities(w.corp))
	got, err := w.st.SCIMIdentity(w.corp, "ALICE-1")
	require.NoError(t, err)
	assert.Equal(t, w.alice.ID, got.UserID)
	_, err = w.st.SCIMIdentity(w.corp, "alice-open")
	refusedFully(t, err, NotFound, "Identity", false)
	assert.Equal(t, []SCIMIdentity{{GroupID: w.corp.ID, UserID: w.alice.ID, ExternUID: "Alice-1", Active: true},
		{GroupID: w.open.ID, UserID: w.alice.ID, ExternUID: "alice-open", Active: true}}, w.st.SCIMIdentitiesOf(w.alice.ID))
}

func TestUpdateSCIMIdentityValidatesExternUID(t *testing.T) {
	w := newIDWorld(t)
	require.NoError(t, w.st.AddSCIMIdentity(w.alice, w.corp, "a", true))
	require.NoError(t, w.st.AddSCIMIdentity(w.bob, w.corp, "b", false))
	_, err := w.st.UpdateSCIMIdentity(w.corp, "a", "")
	refusedFully(t, err, BadRequest, "Extern uid can't be blank", true)
	_, err = w.st.UpdateSCIMIdentity(w.corp, "a", "B")
	refusedFully(t, err, BadRequest, "Extern uid has already been taken", true)
	got, err := w.st.UpdateSCIMIdentity(w.corp, "B", "b2")
	require.NoError(t, err)
	assert.Equal(t, SCIMIdentity{GroupID: w.corp.ID, UserID: w.bob.ID, ExternUID: "b2"}, got, "active is kept")
	assert.Equal(t, "b2", w.st.SCIMIdentitiesOf(w.bob.ID)[0].ExternUID)
}

func TestDeleteSCIMIdentityKeepsTheUser(t *testing.T) {
	w := newIDWorld(t)
	require.NoError(t, w.st.AddSCIMIdentity(w.alice, w.corp, "a", true))
	require.NoError(t, w.st.DeleteSCIMIdentity(w.corp, "A"))
	assert.Empty(t, w.st.SCIMIdentities(w.corp))
	assert.Empty(t, w.st.SCIMIdentitiesOf(w.alice.ID))
	assert.NotNil(t, w.st.User(w.alice.ID))
	refusedAs(t, w.st.DeleteSCIMIdentity(w.corp, "a"), NotFound, "Identity")
}

// Deleting a user deletes its identities, and leaves the indexes.
func TestDeleteUserDropsItsGroupIdentities(t *testing.T) {
	w := newIDWorld(t)
	require.NoError(t, w.st.AddSAMLIdentity(w.alice, w.corp, "alice"))
	require.NoError(t, w.st.AddSCIMIdentity(w.alice, w.corp, "alice", true))
	p := w.st.AddUser(&User{UserData: UserData{Username: "prov", Email: "p@example.com", ProvisionedByGroupID: w.corp.ID}, State: StateActive}, new(Email), now)
	w.st.DeleteUser(w.alice.ID)
	w.st.DeleteUser(p.ID)
	assert.Equal(t, []string{}, samlUIDs(t, w.st, w.corp))
	assert.Empty(t, w.st.SCIMIdentities(w.corp))
	users, err := w.st.ProvisionedUsers(w.owner, "corp", GroupUserFilter{}, now)
	require.NoError(t, err)
	assert.Empty(t, users)
	assert.Empty(t, w.st.ids.samlUsers[w.st.SAMLProviderOf(w.corp)])
}

// saml_users: 404 for an invisible group, 400 for a subgroup, 403 below
// Owner, [] without a SAML provider; users by descending ID.
func TestSAMLUsersChecksInGitLabsOrder(t *testing.T) {
	w := newIDWorld(t)
	_, err := w.st.SAMLUsers(w.outsider, "corp", GroupUserFilter{}, now)
	refusedAs(t, err, NotFound, "Group")
	_, err = w.st.SAMLUsers(w.maint, "corp/eng", GroupUserFilter{}, now)
	refusedFully(t, err, BadRequest, "Must be a top-level group", false)
	_, err = w.st.SAMLUsers(w.maint, "corp", GroupUserFilter{}, now)
	refusedFully(t, err, Forbidden, "", false)
	users, err := w.st.SAMLUsers(w.owner, "corp", GroupUserFilter{}, now)
	require.NoError(t, err)
	assert.Equal(t, []*User{}, users, "no SAML provider: []")

	require.NoError(t, w.st.AddSAMLIdentity(w.alice, w.corp, "a"))
	require.NoError(t, w.st.AddSAMLIdentity(w.bob, w.corp, "b"))
	require.NoError(t, w.st.AddSAMLIdentity(w.outsider, w.open, "o"))
	require.NoError(t, w.st.AddSCIMIdentity(w.dev, w.corp, "d", true))
	users, err = w.st.SAMLUsers(w.admin, itoa(w.corp.ID), GroupUserFilter{}, now)
	require.NoError(t, err)
	assert.Equal(t, []string{"bob", "alice"}, usernames(users))
}

// The UsersFinder filters of saml_users and provisioned_users.
func TestGroupUserFilters(t *testing.T) {
	w := newIDWorld(t)
	for _, u := range []*User{w.alice, w.bob, w.outsider} {
		require.NoError(t, w.st.AddSAMLIdentity(u, w.corp, u.Username))
	}
	w.bob.State = StateBlocked
	w.outsider.State = StateLDAPBlocked
	w.alice.Name, w.alice.PublicEmail = "Alice Liddell", "wonder@example.com"
	w.alice.CreatedAt = now.Add(-48 * time.Hour)
	w.bob.CreatedAt, w.outsider.CreatedAt = now.Add(-time.Hour), now
	w.bob.Name = "Bob, not alice"
	list := func(f GroupUserFilter) []string {
		users, err := w.st.SAMLUsers(w.owner, "corp", f, now)
		require.NoError(t, err)
		return usernames(users)
	}
	assert.Equal(t, []string{"alice"}, list(GroupUserFilter{Username: ptr("ALICE")}))
	assert.Equal(t, []string{"alice"}, list(GroupUserFilter{Active: true}))
	assert.Equal(t, []string{"outsider", "bob"}, list(GroupUserFilter{Blocked: true}))
	assert.Equal(t, []string{}, list(GroupUserFilter{Active: true, Blocked: true}))
	assert.Equal(t, []string{"alice"}, list(GroupUserFilter{CreatedBefore: ptr(now.Add(-48 * time.Hour))}), "inclusive")
	assert.Equal(t, []string{"outsider", "bob"}, list(GroupUserFilter{CreatedAfter: ptr(now.Add(-47 * time.Hour))}))
	assert.Equal(t, []string{"alice"}, list(GroupUserFilter{Search: ptr("liddell")}))
	assert.Equal(t, []string{"alice"}, list(GroupUserFilter{Search: ptr("WONDER@example.com")}), "public email")
	assert.Equal(t, []string{"bob"}, list(GroupUserFilter{Search: ptr("bob@example.com")}), "private email")
	assert.Equal(t, []string{"bob"}, list(GroupUserFilter{Search: ptr("@bob")}), "a leading @ is dropped")
	assert.Equal(t, []string{"outsider", "bob", "alice"}, list(GroupUserFilter{Search: ptr(" ")}), "a blank term filters nothing")
	assert.Equal(t, []string{"alice", "bob"}, list(GroupUserFilter{Search: ptr("alice")}), "relevance: the exact username first")
}

// provisioned_users: 404 for an invisible group, 403 below Maintainer
// (anonymous callers too), the group's provisioned users by descending
// ID.
func TestProvisionedUsersNeedMaintainer(t *testing.T) {
	w := newIDWorld(t)
	add := func(name string, group int64) *User {
		return w.st.AddUser(&User{UserData: UserData{Username: name, Email: name + "@example.com", ProvisionedByGroupID: group}, State: StateActive}, new(Email), now)
	}
	p1, p2 := add("p1", w.corp.ID), add("p2", w.corp.ID)
	add("elsewhere", w.open.ID)
	_, err := w.st.ProvisionedUsers(w.outsider, "corp", GroupUserFilter{}, now)
	refusedAs(t, err, NotFound, "Group")
	_, err = w.st.ProvisionedUsers(w.dev, "corp", GroupUserFilter{}, now)
	refusedFully(t, err, Forbidden, "", false)
	_, err = w.st.ProvisionedUsers(nil, "open", GroupUserFilter{}, now)
	refusedAs(t, err, Forbidden, "")
	for _, u := range []*User{w.maint, w.owner, w.admin} {
		users, err := w.st.ProvisionedUsers(u, "corp", GroupUserFilter{}, now)
		require.NoError(t, err)
		assert.Equal(t, []*User{p2, p1}, users, u.Username)
	}
	users, err := w.st.ProvisionedUsers(w.admin, "corp/eng", GroupUserFilter{}, now)
	require.NoError(t, err)
	assert.Empty(t, users, "no top-level check")
}

// ee/lib/api/provider_identity.rb changes and deletes a group's SAML
// and SCIM identities without recording an audit event (it only mails
// the user when a SAML extern_uid changes), so the fake records none.
func TestIdentityChangesRecordNoAuditEvent(t *testing.T) {
	w := newIDWorld(t)
	require.NoError(t, w.st.AddSAMLIdentity(w.alice, w.corp, "alice"))
	require.NoError(t, w.st.AddSCIMIdentity(w.bob, w.corp, "bob", true))
	_, err := w.st.UpdateSAMLIdentity(w.corp, "alice", "alice-2")
	require.NoError(t, err)
	_, err = w.st.UpdateSCIMIdentity(w.corp, "bob", "bob-2")
	require.NoError(t, err)
	require.NoError(t, w.st.DeleteSAMLIdentity(w.corp, "alice-2"))
	require.NoError(t, w.st.DeleteSCIMIdentity(w.corp, "bob-2"))
	assert.Empty(t, w.st.AuditEvents())
}
