package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// enterpriseWorld is a top-level group acme with a subgroup, an Owner
// and a Maintainer, and three users (ann, bob, cid) it claimed.
type enterpriseWorld struct {
	st                 *Store
	admin, owner, main *User
	ann, bob, cid, out *User
	acme, sub, other   *Group
}

func newEnterpriseWorld(t *testing.T) *enterpriseWorld {
	st, admin, us := newTestStore(t, "owner", "maint", "ann", "bob", "cid", "outsider")
	w := &enterpriseWorld{st: st, admin: admin, owner: us[0], main: us[1], ann: us[2], bob: us[3], cid: us[4], out: us[5]}
	w.acme = st.AddGroup(GroupSpec{Path: "acme"}, now)
	w.sub = st.AddGroup(GroupSpec{Path: "sub", ParentID: w.acme.ID}, now)
	w.other = st.AddGroup(GroupSpec{Path: "other"}, now)
	st.AddMember(w.owner, SourceNamespace, w.acme.ID, "acme", AccessOwner)
	st.AddMember(w.main, SourceNamespace, w.acme.ID, "acme", AccessMaintainer)
	for _, u := range []*User{w.ann, w.bob, w.cid} {
		require.NoError(t, st.ClaimEnterpriseUser(w.acme, u))
	}
	return w
}

func ids(users []*User) []int64 {
	out := make([]int64, 0, len(users))
	for _, u := range users {
		out = append(out, u.ID)
	}
	return out
}

func TestEnterpriseUsersOnlyTopLevelGroupsClaim(t *testing.T) {
	w := newEnterpriseWorld(t)
	invalidAs(t, w.st.ClaimEnterpriseUser(w.sub, w.out), map[string][]string{"enterprise_group": {"must be a top-level group"}})
	assert.Zero(t, w.out.EnterpriseGroupID)
	// A claim by another group moves the user.
	require.NoError(t, w.st.ClaimEnterpriseUser(w.other, w.bob))
	assert.Equal(t, w.other.ID, w.bob.EnterpriseGroupID)
	assert.Equal(t, []int64{w.cid.ID, w.ann.ID}, ids(w.st.EnterpriseUsers(w.acme, true, EnterpriseUserFilter{})))
	assert.Equal(t, []int64{w.bob.ID}, ids(w.st.EnterpriseUsers(w.other, true, EnterpriseUserFilter{})))
}

func TestEnterpriseGroupMissingUnreadableOrSubgroup(t *testing.T) {
	w := newEnterpriseWorld(t)
	_, err := w.st.EnterpriseGroup(w.owner, "999", now)
	refusedFully(t, err, NotFound, "Group", false)
	_, err = w.st.EnterpriseGroup(w.owner, "acme/sub", now)
	refusedFully(t, err, BadRequest, "Must be a top-level group", false)
	g, err := w.st.EnterpriseGroup(w.owner, "ACME", now)
	require.NoError(t, err)
	assert.Equal(t, w.acme, g)
}

func TestEnterpriseUsersOwnersAndAdminsOnly(t *testing.T) {
	w := newEnterpriseWorld(t)
	assert.NoError(t, w.st.AuthorizeEnterpriseUsers(w.owner, w.acme, now))
	assert.NoError(t, w.st.AuthorizeEnterpriseUsers(w.admin, w.acme, now))
	refusedFully(t, w.st.AuthorizeEnterpriseUsers(w.main, w.acme, now), Forbidden, "", false)
	refusedFully(t, w.st.AuthorizeEnterpriseUsers(w.ann, w.acme, now), Forbidden, "", false)
}

func TestEnterpriseUsersListFiltersAndOrder(t *testing.T) {
	w := newEnterpriseWorld(t)
	w.bob.State = StateBlocked
	w.cid.TwoFactorEnabled = true
	w.ann.CreatedAt, w.bob.CreatedAt, w.cid.CreatedAt = now.Add(-48*time.Hour), now, now.Add(time.Hour)
	w.cid.Name = "Ann Cid"
	w.bob.PublicEmail = "bob@public.example"
	list := func(f EnterpriseUserFilter) []int64 { return ids(w.st.EnterpriseUsers(w.acme, true, f)) }
	all := []int64{w.cid.ID, w.bob.ID, w.ann.ID}
	assert.Equal(t, all, list(EnterpriseUserFilter{}), "id desc")
	assert.Equal(t, []int64{w.ann.ID}, list(EnterpriseUserFilter{Username: ptr("ANN")}))
	assert.Equal(t, []int64{w.cid.ID, w.ann.ID}, list(EnterpriseUserFilter{Active: true}))
	assert.Equal(t, []int64{w.bob.ID}, list(EnterpriseUserFilter{Blocked: true}))
	assert.Empty(t, list(EnterpriseUserFilter{Active: true, Blocked: true}))
	assert.Equal(t, []int64{w.cid.ID}, list(EnterpriseUserFilter{TwoFactor: ptr("enabled")}))
	assert.Equal(t, []int64{w.bob.ID, w.ann.ID}, list(EnterpriseUserFilter{TwoFactor: ptr("disabled")}))
	assert.Equal(t, all, list(EnterpriseUserFilter{TwoFactor: ptr("maybe")}), "an unknown value filters nothing")
	// created_after and created_before are inclusive.
	assert.Equal(t, []int64{w.cid.ID, w.bob.ID}, list(EnterpriseUserFilter{CreatedAfter: &now}))
	early := now.Add(-48 * time.Hour)
	assert.Equal(t, []int64{w.ann.ID}, list(EnterpriseUserFilter{CreatedBefore: &early}))
	// search: name or username, private or public email; exact username first.
	assert.Equal(t, []int64{w.ann.ID, w.cid.ID}, list(EnterpriseUserFilter{Search: ptr("ann")}))
	assert.Equal(t, []int64{w.cid.ID}, list(EnterpriseUserFilter{Search: ptr("CID@example.com")}))
	assert.Equal(t, []int64{w.bob.ID}, list(EnterpriseUserFilter{Search: ptr("bob@public.example")}))
	// Users outside the group are never listed.
	assert.Empty(t, list(EnterpriseUserFilter{Username: ptr("outsider")}))
}

func TestEnterpriseUsersNoneOffGitLabCom(t *testing.T) {
	w := newEnterpriseWorld(t)
	assert.Empty(t, w.st.EnterpriseUsers(w.acme, false, EnterpriseUserFilter{}))
	_, err := w.st.EnterpriseUser(w.acme, w.ann.ID, false)
	assert.True(t, asError(t, err).Record)
	u, err := w.st.EnterpriseUser(w.acme, w.ann.ID, true)
	require.NoError(t, err)
	assert.Equal(t, w.ann, u)
}

func TestEnterpriseUserOfAnotherGroupIsRecordNotFound(t *testing.T) {
	w := newEnterpriseWorld(t)
	for _, id := range []int64{w.out.ID, w.owner.ID, 999} {
		_, err := w.st.EnterpriseUser(w.acme, id, true)
		e := asError(t, err)
		assert.Equal(t, [2]any{NotFound, true}, [2]any{e.Kind, e.Record}, id)
	}
	require.NoError(t, w.st.ClaimEnterpriseUser(w.other, w.out))
	_, err := w.st.EnterpriseUser(w.acme, w.out.ID, true)
	assert.Error(t, err)
}

func TestEnterpriseUserEmailMustBeOwnedByTheGroup(t *testing.T) {
	w := newEnterpriseWorld(t)
	w.st.VerifyDomain(w.acme, "Acme.Example")
	later := now.Add(time.Hour)
	before := w.ann.Email
	for addr, want := range map[string]string{
		"ann@elsewhere.example":    "Email must be owned by the user's enterprise group",
		"invalid ann@acme.example": "Email is invalid. Email must be owned by the user's enterprise group",
		"bob@example.com":          "Email has already been taken. Email must be owned by the user's enterprise group",
	} {
		refusedFully(t, w.st.UpdateEnterpriseUser(w.acme, w.ann, nil, ptr(addr), later), BadRequest, want, true)
		assert.Equal(t, before, w.ann.Email, addr)
	}
	require.NoError(t, w.st.ClaimEnterpriseUser(w.acme, w.out))
	w.out.Email = "taken@acme.example"
	refusedFully(t, w.st.UpdateEnterpriseUser(w.acme, w.ann, nil, ptr("taken@acme.example"), later), BadRequest,
		"Email has already been taken", true)
	refusedFully(t, w.st.UpdateEnterpriseUser(w.acme, w.ann, ptr(" "), nil, later), BadRequest, "Name can't be blank", true)

	require.NoError(t, w.st.UpdateEnterpriseUser(w.acme, w.ann, ptr("Ann New"), ptr("ann@ACME.example"), later))
	assert.Equal(t, "Ann New", w.ann.Name)
	assert.Equal(t, "ann@ACME.example", w.ann.Email, "no reconfirmation")
	assert.Empty(t, w.ann.UnconfirmedEmail)
	assert.Equal(t, "ann@ACME.example", w.st.PrimaryEmail(w.ann).Email)
	assert.Equal(t, later, w.ann.UpdatedAt)
	// Keeping one's own address is no change.
	require.NoError(t, w.st.UpdateEnterpriseUser(w.acme, w.bob, nil, ptr("BOB@example.com"), later))
	assert.Equal(t, "bob@example.com", w.bob.Email)
}

func TestEnterpriseTwoFactorMustBeEnabled(t *testing.T) {
	w := newEnterpriseWorld(t)
	refusedFully(t, w.st.DisableEnterpriseTwoFactor(w.owner, w.acme, w.ann, now), BadRequest, "Two-factor authentication is not enabled for this user", false)
	assert.Empty(t, w.st.AuditEvents(), "a refusal records nothing")
	w.ann.TwoFactorEnabled = true
	require.NoError(t, w.st.DisableEnterpriseTwoFactor(w.owner, w.acme, w.ann, now.Add(time.Minute)))
	assert.False(t, w.ann.TwoFactorEnabled)
	assert.Equal(t, now.Add(time.Minute), w.ann.UpdatedAt)
	ev := w.st.AuditEvents()
	require.Len(t, ev, 1)
	assert.Equal(t, [7]any{"user_disable_two_factor", w.owner.ID, AuditGroup, w.acme.ID, w.ann.ID, "Disabled two-factor authentication", now.Add(time.Minute)},
		[7]any{ev[0].Name, ev[0].AuthorID, ev[0].EntityType, ev[0].EntityID, ev[0].TargetID, ev[0].Message, ev[0].CreatedAt})
}

func TestEnterpriseSoleOwnerNeedsHardDelete(t *testing.T) {
	w := newEnterpriseWorld(t)
	assert.NoError(t, w.st.CheckEnterpriseRemovable(w.ann, false))
	own := w.st.AddGroup(GroupSpec{Path: "anns"}, now)
	w.st.AddMember(w.ann, SourceNamespace, own.ID, "anns", AccessOwner)
	refusedFully(t, w.st.CheckEnterpriseRemovable(w.ann, false), Conflict, "Can not remove a user who is the sole owner of a group.", true)
	assert.NoError(t, w.st.CheckEnterpriseRemovable(w.ann, true))
	// A second owner lifts the rule.
	w.st.AddMember(w.bob, SourceNamespace, own.ID, "anns", AccessOwner)
	assert.NoError(t, w.st.CheckEnterpriseRemovable(w.ann, false))
}

func TestEnterpriseHardDeleteRemovesSolelyOwnedGroups(t *testing.T) {
	w := newEnterpriseWorld(t)
	solo := w.st.AddGroup(GroupSpec{Path: "solo"}, now)
	shared := w.st.AddGroup(GroupSpec{Path: "shared"}, now)
	w.st.AddMember(w.ann, SourceNamespace, solo.ID, "solo", AccessOwner)
	w.st.AddMember(w.ann, SourceNamespace, shared.ID, "shared", AccessOwner)
	w.st.AddMember(w.bob, SourceNamespace, shared.ID, "shared", AccessOwner)
	w.st.DeleteEnterpriseUser(w.ann, true)
	assert.Nil(t, w.st.User(w.ann.ID))
	assert.Nil(t, w.st.Group(solo.ID))
	assert.NotNil(t, w.st.Group(shared.ID))
	assert.Equal(t, []int64{w.cid.ID, w.bob.ID}, ids(w.st.EnterpriseUsers(w.acme, true, EnterpriseUserFilter{})))

	// Without hard_delete the user's groups stay.
	solo2 := w.st.AddGroup(GroupSpec{Path: "solo2"}, now)
	w.st.AddMember(w.cid, SourceNamespace, solo2.ID, "solo2", AccessOwner)
	w.st.DeleteEnterpriseUser(w.cid, false)
	assert.NotNil(t, w.st.Group(solo2.ID))
	assert.Nil(t, w.st.User(w.cid.ID))
}

func TestEnterpriseClaimsEndWithTheGroup(t *testing.T) {
	w := newEnterpriseWorld(t)
	w.st.removeGroup(w.acme)
	assert.Zero(t, w.ann.EnterpriseGroupID)
	assert.Empty(t, w.st.enterprise[w.acme.ID])
}
