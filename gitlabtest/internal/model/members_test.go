package model

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tree is a store with a group tree: top (owned by owner) > sub, a
// project in sub, another top-level group "other", and users.
type tree struct {
	st                      *Store
	admin                   *User
	owner, maint, dev, jane *User
	top, sub, other         *Group
	proj                    *Project
}

func newTree(t *testing.T) tree {
	st, admin, users := newTestStore(t, "owner", "maint", "dev", "jane")
	w := tree{st: st, admin: admin, owner: users[0], maint: users[1], dev: users[2], jane: users[3]}
	w.top = st.AddGroup(GroupSpec{Path: "top"}, now)
	w.sub = st.AddGroup(GroupSpec{Path: "sub", ParentID: w.top.ID}, now)
	w.other = st.AddGroup(GroupSpec{Path: "other"}, now)
	w.proj = st.AddProject(ProjectSpec{Path: "api", GroupID: w.sub.ID}, now)
	st.AddMember(w.owner, SourceNamespace, w.top.ID, "", AccessOwner)
	return w
}

func (w tree) add(u *User, src Source, level int, expires *time.Time) *Member {
	return w.st.SeedMember(MemberSpec{Source: src, UserID: u.ID, AccessLevel: level, ExpiresAt: expires}, now)
}

func TestInheritedLevelFromAncestor(t *testing.T) {
	w := newTree(t)
	w.add(w.dev, GroupSource(w.top.ID), AccessDeveloper, nil)
	assert.Equal(t, AccessDeveloper, w.st.GroupAccess(w.dev, w.sub, now))
	assert.Equal(t, AccessDeveloper, w.st.ProjectAccess(w.dev, w.proj, now))
	assert.Equal(t, 0, w.st.GroupAccess(w.dev, w.other, now))

	rows, err := w.st.ListMembers(w.owner, GroupSource(w.sub.ID), true, MemberFilter{}, now)
	require.NoError(t, err)
	assert.Equal(t, []int64{w.owner.ID, w.dev.ID}, userIDs(rows))
	direct, err := w.st.ListMembers(w.owner, GroupSource(w.sub.ID), false, MemberFilter{}, now)
	require.NoError(t, err)
	assert.Empty(t, direct, "inherited members are not direct members")
}

func TestHighestLevelWins(t *testing.T) {
	w := newTree(t)
	w.add(w.dev, GroupSource(w.top.ID), AccessReporter, nil)
	w.add(w.dev, GroupSource(w.sub.ID), AccessMaintainer, nil)
	w.add(w.dev, ProjectSource(w.proj.ID), AccessDeveloper, nil)
	assert.Equal(t, AccessMaintainer, w.st.ProjectAccess(w.dev, w.proj, now))
	m, err := w.st.GetMember(w.owner, GroupSource(w.sub.ID), w.dev.ID, true, now)
	require.NoError(t, err)
	assert.Equal(t, AccessMaintainer, m.AccessLevel)
	assert.Equal(t, GroupSource(w.sub.ID), m.Source, "the winning row is the requested group's")
	pm, err := w.st.GetMember(w.owner, ProjectSource(w.proj.ID), w.dev.ID, true, now)
	require.NoError(t, err)
	assert.Equal(t, [2]any{AccessMaintainer, ProjectSource(w.proj.ID)}, [2]any{pm.AccessLevel, pm.Source},
		"a project's own row, with the user's effective level")
}

func TestSharedGroupCap(t *testing.T) {
	w := newTree(t)
	w.add(w.jane, GroupSource(w.other.ID), AccessMaintainer, nil)
	w.add(w.dev, GroupSource(w.other.ID), AccessGuest, nil)
	w.sub.SharedWith = []Share{{GroupID: w.other.ID, Level: AccessReporter}}
	assert.Equal(t, AccessReporter, w.st.GroupAccess(w.jane, w.sub, now), "capped at the share's level")
	assert.Equal(t, AccessGuest, w.st.GroupAccess(w.dev, w.sub, now), "below the cap, their own level")
	assert.Equal(t, AccessReporter, w.st.ProjectAccess(w.jane, w.proj, now), "through the project's group")
	assert.Equal(t, 0, w.st.GroupAccess(w.jane, w.top, now), "a share does not reach the ancestors")

	rows, err := w.st.ListMembers(w.owner, GroupSource(w.sub.ID), true, MemberFilter{}, now)
	require.NoError(t, err)
	levels := map[int64]int{}
	for _, m := range rows {
		levels[m.UserID] = m.AccessLevel
	}
	assert.Equal(t, map[int64]int{w.owner.ID: AccessOwner, w.jane.ID: AccessReporter, w.dev.ID: AccessGuest}, levels)

	end := DayOf(now).AddDate(0, 0, 1)
	w.sub.SharedWith[0].ExpiresAt = &end
	w.proj.SharedWith = []Share{{GroupID: w.other.ID, Level: AccessDeveloper}}
	assert.Equal(t, AccessDeveloper, w.st.ProjectAccess(w.jane, w.proj, end), "the project's own share")
	assert.Equal(t, 0, w.st.GroupAccess(w.jane, w.sub, end), "nothing once the share has expired")
}

func TestExpiryMovesWithClock(t *testing.T) {
	w := newTree(t)
	day := DayOf(now).AddDate(0, 0, 2)
	w.add(w.dev, GroupSource(w.sub.ID), AccessDeveloper, &day)
	before, at := day.Add(-time.Second), day
	assert.Equal(t, AccessDeveloper, w.st.ProjectAccess(w.dev, w.proj, before))
	assert.Equal(t, 0, w.st.ProjectAccess(w.dev, w.proj, at), "from 00:00 UTC of the expiry day")
	_, err := w.st.GetMember(w.owner, GroupSource(w.sub.ID), w.dev.ID, false, at)
	assert.Equal(t, recordNotFound(), err)
	assert.Empty(t, w.st.Memberships(w.dev, "", at))
	assert.False(t, w.st.CanReadGroup(w.dev, w.sub, at))

	_, err = w.st.CreateMember(w.owner, GroupSource(w.sub.ID), w.dev, AddMemberAttrs{AccessLevel: AccessGuest}, at)
	require.NoError(t, err, "an expired membership does not block a new one")
}

func TestLastOwnerCannotLeaveOrBeDemoted(t *testing.T) {
	w := newTree(t)
	top := GroupSource(w.top.ID)
	_, err := w.st.MemberToRemove(w.owner, top, w.owner.ID, now)
	refusedAs(t, err, Forbidden, "")
	_, err = w.st.UpdateMember(w.admin, top, w.owner.ID, AccessMaintainer, nil, false, now)
	refusedAs(t, err, Forbidden, "")
	_, err = w.st.MemberToRemove(w.admin, top, w.owner.ID, now)
	refusedAs(t, err, Forbidden, "")

	w.add(w.jane, GroupSource(w.sub.ID), AccessOwner, nil)
	m, err := w.st.MemberToRemove(w.jane, GroupSource(w.sub.ID), w.jane.ID, now)
	require.NoError(t, err, "a subgroup's last direct owner may go: the parent's owner remains")
	w.st.RemoveMember(nil, m, false, now)

	w.add(w.jane, top, AccessOwner, nil)
	_, err = w.st.UpdateMember(w.jane, top, w.owner.ID, AccessMaintainer, nil, false, now)
	require.NoError(t, err, "with a second owner, the first may be demoted")
	_, err = w.st.MemberToRemove(w.jane, top, w.jane.ID, now)
	refusedAs(t, err, Forbidden, "")
	refusedFully(t, w.st.SetMemberState(w.admin, w.top, w.jane, MemberAwaiting, now), Unprocessable,
		"The last owner cannot be set to awaiting", true)
}

func TestMaintainerCannotGrantOwner(t *testing.T) {
	w := newTree(t)
	proj := ProjectSource(w.proj.ID)
	w.add(w.maint, proj, AccessMaintainer, nil)
	_, err := w.st.CreateMember(w.maint, proj, w.jane, AddMemberAttrs{AccessLevel: AccessOwner}, now)
	refusedAs(t, err, Forbidden, "")
	_, err = w.st.CreateMember(w.maint, proj, w.jane, AddMemberAttrs{AccessLevel: AccessPlanner}, now)
	refusedFully(t, err, BadRequest, "jane: "+TooHigh, true)
	_, err = w.st.CreateMember(w.maint, proj, w.jane, AddMemberAttrs{AccessLevel: AccessMaintainer}, now)
	require.NoError(t, err)
	_, err = w.st.UpdateMember(w.maint, proj, w.jane.ID, AccessOwner, nil, false, now)
	refusedAs(t, err, Forbidden, "")

	w.add(w.maint, GroupSource(w.sub.ID), AccessMaintainer, nil)
	_, err = w.st.CreateMember(w.maint, GroupSource(w.sub.ID), w.dev, AddMemberAttrs{AccessLevel: AccessGuest}, now)
	refusedAs(t, err, Forbidden, "") // a group's members are its Owners' to add
}

func TestMemberValidations(t *testing.T) {
	w := newTree(t)
	sub := GroupSource(w.sub.ID)
	past := DayOf(now).AddDate(0, 0, -1)
	_, err := w.st.CreateMember(w.owner, sub, w.dev, AddMemberAttrs{AccessLevel: 13, ExpiresAt: &past}, now)
	invalidAs(t, err, map[string][]string{"access_level": {"is not included in the list"}, "expires_at": {"cannot be a date in the past"}})
	w.add(w.dev, GroupSource(w.top.ID), AccessDeveloper, nil)
	_, err = w.st.CreateMember(w.owner, sub, w.dev, AddMemberAttrs{AccessLevel: AccessGuest}, now)
	invalidAs(t, err, map[string][]string{"access_level": {"should be greater than or equal to Developer inherited membership from group top"}})
	today, tomorrow := DayOf(now), DayOf(now).AddDate(0, 0, 1)
	_, err = w.st.CreateMember(w.owner, sub, w.dev, AddMemberAttrs{AccessLevel: AccessMaintainer, ExpiresAt: &today}, now)
	require.NoError(t, err, "today is allowed (and expired at once: Member.not_expired is expires_at > today)")
	_, err = w.st.CreateMember(w.owner, sub, w.dev, AddMemberAttrs{AccessLevel: AccessMaintainer, ExpiresAt: &tomorrow}, now)
	require.NoError(t, err)
	_, err = w.st.CreateMember(w.owner, sub, w.dev, AddMemberAttrs{AccessLevel: AccessMaintainer}, now)
	refusedAs(t, err, Conflict, "Member already exists")
}

func TestAddManyWithOneBadUser(t *testing.T) {
	w := newTree(t)
	w.add(w.dev, GroupSource(w.top.ID), AccessMaintainer, nil)
	res, err := w.st.AddMembers(w.owner, GroupSource(w.sub.ID), []string{"jane", "dev", "nobody", itoa(w.maint.ID)},
		AddMemberAttrs{AccessLevel: AccessDeveloper}, now)
	require.NoError(t, err)
	assert.Equal(t, []string{"dev"}, res.Keys)
	assert.Equal(t, "dev: Access level should be greater than or equal to Maintainer inherited membership from group top", res.Message())
	assert.Equal(t, AccessDeveloper, w.st.level(w.jane.ID, GroupSource(w.sub.ID), now), "the others are added")
	assert.Equal(t, AccessDeveloper, w.st.level(w.maint.ID, GroupSource(w.sub.ID), now))

	_, err = w.st.AddMembers(w.owner, GroupSource(w.sub.ID), []string{"nobody", "9999"}, AddMemberAttrs{AccessLevel: AccessDeveloper}, now)
	refusedFully(t, err, BadRequest, "No users specified.", true)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func userIDs(rows []Member) []int64 {
	var out []int64
	for _, m := range rows {
		out = append(out, m.UserID)
	}
	return out
}

func TestBillableRemovalClearsHierarchy(t *testing.T) {
	w := newTree(t)
	w.add(w.jane, GroupSource(w.top.ID), AccessGuest, nil)
	w.add(w.jane, GroupSource(w.sub.ID), AccessDeveloper, nil)
	w.add(w.jane, ProjectSource(w.proj.ID), AccessMaintainer, nil)
	w.add(w.jane, GroupSource(w.other.ID), AccessDeveloper, nil)
	w.add(w.dev, ProjectSource(w.proj.ID), AccessDeveloper, nil)

	seats, err := w.st.BillableMembers(w.owner, w.top, "", "", now)
	require.NoError(t, err)
	types := map[string]string{}
	for _, b := range seats {
		types[b.User.Username] = b.MembershipType
	}
	assert.Equal(t, map[string]string{"owner": "group_member", "jane": "group_member", "dev": "project_member"}, types)
	ms, err := w.st.BillableMemberships(w.owner, w.top, w.jane.ID, false, now)
	require.NoError(t, err)
	assert.Len(t, ms, 3)

	_, err = w.st.BillableMembers(w.owner, w.sub, "", "", now)
	refusedAs(t, err, BadRequest, "")
	refusedAs(t, w.st.RemoveBillable(w.owner, w.sub, w.jane.ID, now), BadRequest, "Must be a root namespace")
	refusedAs(t, w.st.RemoveBillable(w.jane, w.top, w.dev.ID, now), BadRequest, "User not authorized")

	require.NoError(t, w.st.RemoveBillable(w.owner, w.top, w.jane.ID, now))
	assert.Equal(t, []Membership{{SourceID: w.other.ID, SourceName: "other", SourceType: SourceNamespace, AccessLevel: AccessDeveloper}},
		w.st.Memberships(w.jane, "", now), "every membership in the hierarchy is gone, the others stay")
	_, err = w.st.BillableMemberships(w.owner, w.top, w.jane.ID, false, now)
	refusedAs(t, err, NotFound, "User")
}

func TestUserCapMakesMembersAwaiting(t *testing.T) {
	w := newTree(t)
	top := GroupSource(w.top.ID)
	m, err := w.st.CreateMember(w.owner, top, w.jane, AddMemberAttrs{AccessLevel: AccessDeveloper, UserCap: 1}, now)
	require.NoError(t, err)
	assert.Equal(t, MemberAwaiting, m.State)
	assert.Equal(t, 0, w.st.GroupAccess(w.jane, w.top, now), "awaiting members have no access")
	pending, err := w.st.PendingMembers(w.owner, w.top, now)
	require.NoError(t, err)
	assert.Equal(t, []*Member{m}, pending)

	refusedAs(t, w.st.ApproveMember(w.jane, w.top, m.ID, now), BadRequest, "")
	require.NoError(t, w.st.ApproveMember(w.owner, w.top, m.ID, now))
	assert.Equal(t, AccessDeveloper, w.st.GroupAccess(w.jane, w.top, now))
	refusedAs(t, w.st.ApproveAll(w.owner, w.top, now), BadRequest, "No memberships found")
}

// TestPendingMembersListInvitationsAfterUsers: GitLab orders pending
// members by user_id, which an invitation has none of (NULL, last in
// PostgreSQL's ascending order), then by email.
func TestPendingMembersListInvitationsAfterUsers(t *testing.T) {
	w := newTree(t)
	_, err := w.st.CreateInvitations(w.owner, ProjectSource(w.proj.ID), []string{"b@example.com", "a@example.com"}, nil, AddMemberAttrs{AccessLevel: AccessGuest}, now)
	require.NoError(t, err)
	m, err := w.st.CreateMember(w.owner, GroupSource(w.sub.ID), w.jane, AddMemberAttrs{AccessLevel: AccessDeveloper, UserCap: 1}, now)
	require.NoError(t, err)
	pending, err := w.st.PendingMembers(w.owner, w.top, now)
	require.NoError(t, err)
	require.Len(t, pending, 3)
	assert.Equal(t, m, pending[0])
	assert.Equal(t, []string{"a@example.com", "b@example.com"}, []string{pending[1].InviteEmail, pending[2].InviteEmail})
}

func TestInvitingExistingEmailAddsAtOnce(t *testing.T) {
	w := newTree(t)
	res, err := w.st.CreateInvitations(w.owner, GroupSource(w.top.ID), []string{"JANE@example.com"}, nil,
		AddMemberAttrs{AccessLevel: AccessReporter}, now)
	require.NoError(t, err)
	assert.Empty(t, res.Keys)
	assert.Equal(t, AccessReporter, w.st.GroupAccess(w.jane, w.top, now))
	inv, err := w.st.Invitations(w.owner, GroupSource(w.top.ID), "", now)
	require.NoError(t, err)
	assert.Empty(t, inv, "no invitation is left pending")
}

func TestAPICreatedUserInvitationStaysPending(t *testing.T) {
	w := newTree(t)
	top := GroupSource(w.top.ID)
	_, err := w.st.CreateInvitations(w.owner, top, []string{"New@Example.com"}, nil, AddMemberAttrs{AccessLevel: AccessReporter}, now)
	require.NoError(t, err)
	u := w.st.AddUser(&User{UserData: UserData{Username: "new", Email: "new@example.com"}, State: StateActive}, new(Email), now)
	inv, err := w.st.Invitations(w.owner, top, "new@example.com", now)
	require.NoError(t, err)
	require.Len(t, inv, 1, "creating the user accepts nothing")
	assert.Equal(t, 0, w.st.GroupAccess(u, w.top, now))

	assert.Equal(t, 1, w.st.AcceptInvitations("NEW@example.com", u, now))
	assert.Equal(t, AccessReporter, w.st.GroupAccess(u, w.top, now))
	inv, _ = w.st.Invitations(w.owner, top, "", now)
	assert.Empty(t, inv)
}

func TestAccessRequests(t *testing.T) {
	w := newTree(t)
	top := GroupSource(w.top.ID)
	_, err := w.st.RequestAccess(w.jane, top, now)
	require.NoError(t, err)
	_, err = w.st.RequestAccess(w.owner, top, now)
	refusedAs(t, err, Forbidden, "")
	_, err = w.st.AccessRequests(w.jane, top, now)
	refusedAs(t, err, Forbidden, "")
	_, err = w.st.ApproveAccessRequest(w.owner, top, w.dev.ID, nil, now)
	assert.Equal(t, recordNotFound(), err)
	m, err := w.st.ApproveAccessRequest(w.owner, top, w.jane.ID, nil, now)
	require.NoError(t, err)
	assert.Equal(t, AccessDeveloper, m.AccessLevel)
	assert.Equal(t, AccessDeveloper, w.st.GroupAccess(w.jane, w.top, now))
}

// TestSecondAccessRequestRefused: GitLab's Member validates user_id's
// uniqueness per source, so a requester's second request is refused
// (400), not answered with the first.
func TestSecondAccessRequestRefused(t *testing.T) {
	w := newTree(t)
	top := GroupSource(w.top.ID)
	_, err := w.st.RequestAccess(w.jane, top, now)
	require.NoError(t, err)
	_, err = w.st.RequestAccess(w.jane, top, now)
	assert.Equal(t, &Error{Kind: Invalid, Fields: map[string][]string{"user_id": {"already exists in source"}}}, err)
	rows, _ := w.st.AccessRequests(w.owner, top, now)
	assert.Len(t, rows, 1)
}

func TestRemoveMemberClearsSubresources(t *testing.T) {
	w := newTree(t)
	top := GroupSource(w.top.ID)
	w.add(w.jane, top, AccessDeveloper, nil)
	w.add(w.jane, GroupSource(w.sub.ID), AccessMaintainer, nil)
	w.add(w.jane, ProjectSource(w.proj.ID), AccessMaintainer, nil)
	m, err := w.st.MemberToRemove(w.jane, top, w.jane.ID, now)
	require.NoError(t, err, "a member may leave")
	w.st.RemoveMember(nil, m, true, now)
	assert.Len(t, w.st.Memberships(w.jane, "", now), 2, "skip_subresources keeps the rest")
	w.add(w.jane, top, AccessDeveloper, nil)
	m, _ = w.st.MemberToRemove(w.owner, top, w.jane.ID, now)
	w.st.RemoveMember(nil, m, false, now)
	assert.Empty(t, w.st.Memberships(w.jane, "", now))
}
