package model

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func groupAttrs(name, path string) GroupAttrs { return GroupAttrs{Name: &name, Path: &path} }

func TestTopLevelGroupNeedsCanCreateGroup(t *testing.T) {
	st, admin, us := newTestStore(t, "alice", "bob")
	us[0].CanCreateGroup = true
	_, err := st.CreateGroup(us[1], groupAttrs("B", "b"), now)
	refusedAs(t, err, Forbidden, "")
	_, err = st.CreateGroup(us[0], groupAttrs("A", "a"), now)
	require.NoError(t, err)
	_, err = st.CreateGroup(admin, groupAttrs("C", "c"), now)
	require.NoError(t, err)
}

func TestGroupCreatorBecomesOwner(t *testing.T) {
	st, _, us := newTestStore(t, "alice")
	us[0].CanCreateGroup = true
	g, err := st.CreateGroup(us[0], groupAttrs("Platform", "platform"), now)
	require.NoError(t, err)
	assert.Equal(t, AccessOwner, st.GroupAccess(us[0], g, now))
	assert.Equal(t, "private", g.Visibility)
	assert.Equal(t, "platform", g.FullPath)
}

func TestSubgroupNeedsMaintainerOfParent(t *testing.T) {
	st, admin, us := newTestStore(t, "dev", "maint", "stranger")
	parent, err := st.CreateGroup(admin, groupAttrs("P", "p"), now)
	require.NoError(t, err)
	st.AddMember(us[0], SourceNamespace, parent.ID, parent.Name, AccessDeveloper)
	st.AddMember(us[1], SourceNamespace, parent.ID, parent.Name, AccessMaintainer)
	sub := GroupAttrs{Name: ptr("S"), Path: ptr("s"), ParentID: parent.ID}

	_, err = st.CreateGroup(us[2], sub, now)
	refusedAs(t, err, NotFound, "Group") // a private parent is not seen
	_, err = st.CreateGroup(us[0], sub, now)
	refusedAs(t, err, Forbidden, "")
	g, err := st.CreateGroup(us[1], sub, now)
	require.NoError(t, err)
	assert.Equal(t, "p/s", g.FullPath)
	assert.Equal(t, AccessOwner, st.GroupAccess(us[1], g, now))
}

func TestGroupPathUniqueAmongSiblingsAndUsernames(t *testing.T) {
	st, admin, _ := newTestStore(t, "alice")
	p, err := st.CreateGroup(admin, groupAttrs("P", "p"), now)
	require.NoError(t, err)
	_, err = st.CreateGroup(admin, groupAttrs("P2", "P"), now)
	invalidAs(t, err, map[string][]string{"path": {"has already been taken"}})
	_, err = st.CreateGroup(admin, groupAttrs("Alice", "alice"), now)
	invalidAs(t, err, map[string][]string{"path": {"has already been taken"}})
	// The same path under another parent is free.
	_, err = st.CreateGroup(admin, GroupAttrs{Name: ptr("P"), Path: ptr("p"), ParentID: p.ID}, now)
	require.NoError(t, err)
}

func TestGroupNameAndPathFormat(t *testing.T) {
	st, admin, _ := newTestStore(t)
	_, err := st.CreateGroup(admin, groupAttrs("-bad", "-bad"), now)
	invalidAs(t, err, map[string][]string{"name": {groupNameMessage}, "path": {namespaceFormatMessage}})
	_, err = st.CreateGroup(admin, groupAttrs("Repo", "repo.git"), now)
	invalidAs(t, err, map[string][]string{"path": {namespaceFormatMessage}})
	_, err = st.CreateGroup(admin, groupAttrs("", "admin"), now)
	invalidAs(t, err, map[string][]string{"name": {"can't be blank"}, "path": {"is a reserved name"}})
}

func TestSubgroupNoMoreVisibleThanParent(t *testing.T) {
	st, admin, _ := newTestStore(t)
	p, err := st.CreateGroup(admin, groupAttrs("P", "p"), now)
	require.NoError(t, err)
	_, err = st.CreateGroup(admin, GroupAttrs{Name: ptr("S"), Path: ptr("s"), ParentID: p.ID, Visibility: ptr("public")}, now)
	invalidAs(t, err, map[string][]string{"visibility_level": {"public is not allowed since the parent group has a private visibility."}})
}

func TestGroupNoLessVisibleThanItsChildren(t *testing.T) {
	st, admin, _ := newTestStore(t)
	p, err := st.CreateGroup(admin, GroupAttrs{Name: ptr("P"), Path: ptr("p"), Visibility: ptr("public")}, now)
	require.NoError(t, err)
	_, err = st.CreateGroup(admin, GroupAttrs{Name: ptr("S"), Path: ptr("s"), ParentID: p.ID, Visibility: ptr("internal")}, now)
	require.NoError(t, err)
	err = st.UpdateGroup(admin, p, GroupAttrs{Visibility: ptr("private")}, now)
	invalidAs(t, err, map[string][]string{"visibility_level": {"private is not allowed since there are sub-groups with higher visibility."}})
}

func TestPrivateGroupReadOnlyByMembers(t *testing.T) {
	st, admin, us := newTestStore(t, "member", "other")
	priv, _ := st.CreateGroup(admin, groupAttrs("Priv", "priv"), now)
	internal, _ := st.CreateGroup(admin, GroupAttrs{Name: ptr("In"), Path: ptr("in"), Visibility: ptr("internal")}, now)
	public, _ := st.CreateGroup(admin, GroupAttrs{Name: ptr("Pub"), Path: ptr("pub"), Visibility: ptr("public")}, now)
	st.AddMember(us[0], SourceNamespace, priv.ID, priv.Name, AccessGuest)
	for _, c := range []struct {
		u    *User
		g    *Group
		want bool
	}{{us[0], priv, true}, {us[1], priv, false}, {admin, priv, true}, {nil, priv, false},
		{us[1], internal, true}, {nil, internal, false}, {nil, public, true}} {
		assert.Equal(t, c.want, st.CanReadGroup(c.u, c.g, now), "%v reads %s", c.u != nil, c.g.Path)
	}
}

// group_policy.rb: has_projects lets a member of a project below a
// private group read the group; a member of a subgroup alone is not
// enough, and logged_in_viewable leaves external users out of internal
// groups.
func TestProjectMemberReadsPrivateAncestorGroup(t *testing.T) {
	st, admin, us := newTestStore(t, "dev", "subonly", "ext")
	top, _ := st.CreateGroup(admin, groupAttrs("Top", "top"), now)
	sub, _ := st.CreateGroup(admin, GroupAttrs{Name: ptr("Sub"), Path: ptr("sub"), ParentID: top.ID}, now)
	p, _ := st.CreateProject(admin, nil, sub, projectAttrs("app", ""), now)
	m := st.AddMember(us[0], SourceProject, p.ID, p.Name, AccessDeveloper)
	m.ExpiresAt = PtrTime(DayOf(now.AddDate(0, 0, 2)))
	st.AddMember(us[1], SourceNamespace, sub.ID, sub.Name, AccessDeveloper)
	internal, _ := st.CreateGroup(admin, GroupAttrs{Name: ptr("In"), Path: ptr("in"), Visibility: ptr("internal")}, now)
	us[2].External = true

	assert.True(t, st.CanReadGroup(us[0], top, now), "a project member reads the top group")
	assert.True(t, st.CanReadGroup(us[0], sub, now), "and the subgroup holding the project")
	assert.False(t, st.CanReadGroup(us[1], top, now), "a subgroup member alone does not read the parent")
	assert.False(t, st.CanReadGroup(us[2], internal, now), "an external user does not read an internal group")
	assert.False(t, st.CanReadGroup(us[0], top, now.AddDate(0, 0, 3)), "not once the project membership has expired")
}

func TestUpdateGroupNeedsOwnerAndMovesPaths(t *testing.T) {
	st, admin, us := newTestStore(t, "maint")
	p, _ := st.CreateGroup(admin, groupAttrs("P", "p"), now)
	s, _ := st.CreateGroup(admin, GroupAttrs{Name: ptr("S"), Path: ptr("s"), ParentID: p.ID}, now)
	pr := st.AddProject(ProjectSpec{Path: "app", GroupID: s.ID}, now)
	st.AddMember(us[0], SourceNamespace, p.ID, p.Name, AccessMaintainer)
	refusedAs(t, st.UpdateGroup(us[0], p, GroupAttrs{Name: ptr("Q")}, now), Forbidden, "")

	require.NoError(t, st.UpdateGroup(admin, p, GroupAttrs{Path: ptr("q"), Description: ptr("d")}, now))
	assert.Equal(t, []string{"q", "q/s", "q/s/app", "d", "P"}, []string{p.FullPath, s.FullPath, pr.PathWithNamespace, p.Description, p.Name})
}

func TestDeleteGroupMarksThenRemovesPermanently(t *testing.T) {
	st, admin, us := newTestStore(t, "maint")
	g, _ := st.CreateGroup(admin, groupAttrs("G", "g"), now)
	sub, _ := st.CreateGroup(admin, GroupAttrs{Name: ptr("S"), Path: ptr("s"), ParentID: g.ID}, now)
	pr := st.AddProject(ProjectSpec{Path: "app", GroupID: sub.ID}, now)
	other, _ := st.CreateGroup(admin, groupAttrs("O", "o"), now)
	_, err := st.ShareGroup(admin, other, g, AccessDeveloper, nil, now)
	require.NoError(t, err)
	st.AddMember(us[0], SourceNamespace, g.ID, g.Name, AccessMaintainer)
	st.AddMember(us[0], SourceNamespace, sub.ID, sub.Name, AccessOwner)
	st.AddMember(us[0], SourceProject, pr.ID, pr.Name, AccessDeveloper)

	refusedAs(t, st.DeleteGroup(us[0], g, false, "", now), Forbidden, "")
	refusedFully(t, st.DeleteGroup(admin, g, true, "g", now), BadRequest, "Group must be marked for deletion first.", true)
	require.NoError(t, st.DeleteGroup(admin, g, false, "", now))
	assert.Equal(t, DayOf(now), *g.MarkedForDeletionOn)
	assert.NotNil(t, st.Group(g.ID), "marked, not removed")
	refusedFully(t, st.DeleteGroup(admin, g, false, "", now), BadRequest, "Group has been already marked for deletion", true)
	refusedFully(t, st.DeleteGroup(admin, g, true, "g", now), BadRequest, "`full_path` is incorrect. You must enter the complete path for the group.", true)

	require.NoError(t, st.DeleteGroup(admin, g, true, g.FullPath, now))
	assert.Nil(t, st.Group(g.ID))
	assert.Nil(t, st.Group(sub.ID))
	assert.Nil(t, st.Project(pr.ID))
	assert.Empty(t, other.SharedWith)
	assert.Empty(t, st.UserRows(us[0].ID), "the memberships of the group, its subgroup and its project go with them")
}

func TestListGroupsShowsMembershipsUnlessAllAvailable(t *testing.T) {
	st, admin, us := newTestStore(t, "alice")
	b, _ := st.CreateGroup(admin, GroupAttrs{Name: ptr("beta"), Path: ptr("beta"), Visibility: ptr("public")}, now)
	a, _ := st.CreateGroup(admin, groupAttrs("alpha", "alpha"), now)
	c, _ := st.CreateGroup(admin, groupAttrs("gamma", "gamma"), now)
	st.AddMember(us[0], SourceNamespace, a.ID, a.Name, AccessOwner)

	assert.Equal(t, []*Group{a}, st.ListGroups(us[0], nil, false, GroupFilter{}, now))
	assert.Equal(t, []*Group{a, b}, st.ListGroups(us[0], nil, false, GroupFilter{AllAvailable: ptr(true)}, now))
	assert.Equal(t, []*Group{b}, st.ListGroups(nil, nil, false, GroupFilter{}, now))
	assert.Equal(t, []*Group{a, b, c}, st.ListGroups(admin, nil, false, GroupFilter{}, now))
	assert.Equal(t, []*Group{c, b, a}, st.ListGroups(admin, nil, false, GroupFilter{Desc: true}, now))
	assert.Equal(t, []*Group{b, a, c}, st.ListGroups(admin, nil, false, GroupFilter{OrderBy: "id"}, now))
	assert.Equal(t, []*Group{a}, st.ListGroups(admin, nil, false, GroupFilter{Search: "LPH"}, now))
	assert.Equal(t, []*Group{a}, st.ListGroups(us[0], nil, false, GroupFilter{Owned: true, AllAvailable: ptr(true)}, now))
	assert.Empty(t, st.ListGroups(us[0], nil, false, GroupFilter{MinAccessLevel: AccessOwner + 1}, now))
}

func TestSubgroupsAndDescendants(t *testing.T) {
	st, admin, us := newTestStore(t, "alice")
	top, _ := st.CreateGroup(admin, groupAttrs("top", "top"), now)
	mid, _ := st.CreateGroup(admin, GroupAttrs{Name: ptr("mid"), Path: ptr("mid"), ParentID: top.ID}, now)
	low, _ := st.CreateGroup(admin, GroupAttrs{Name: ptr("low"), Path: ptr("low"), ParentID: mid.ID}, now)
	assert.Equal(t, []*Group{mid}, st.ListGroups(admin, top, false, GroupFilter{}, now))
	assert.Equal(t, []*Group{low, mid}, st.ListGroups(admin, top, true, GroupFilter{}, now))
	// A member of top reads its private descendants through inheritance.
	st.AddMember(us[0], SourceNamespace, top.ID, top.Name, AccessGuest)
	assert.Equal(t, []*Group{low, mid}, st.ListGroups(us[0], top, true, GroupFilter{}, now))
}

func TestShareGroupNeedsOwnerAndReadableGroup(t *testing.T) {
	st, admin, us := newTestStore(t, "owner", "maint")
	g, _ := st.CreateGroup(admin, groupAttrs("G", "g"), now)
	with, _ := st.CreateGroup(admin, groupAttrs("W", "w"), now)
	st.AddMember(us[0], SourceNamespace, g.ID, g.Name, AccessOwner)
	st.AddMember(us[1], SourceNamespace, g.ID, g.Name, AccessMaintainer)
	st.AddMember(us[1], SourceNamespace, with.ID, with.Name, AccessOwner)

	_, err := st.ShareGroup(us[1], g, with, AccessDeveloper, nil, now)
	refusedFully(t, err, NotFound, "Not Found", true)
	_, err = st.ShareGroup(us[0], g, with, AccessDeveloper, nil, now) // cannot read private w
	refusedFully(t, err, NotFound, "Not Found", true)

	st.AddMember(us[0], SourceNamespace, with.ID, with.Name, AccessGuest)
	exp := PtrTime(DayOf(now.AddDate(0, 1, 0)))
	s, err := st.ShareGroup(us[0], g, with, AccessDeveloper, exp, now)
	require.NoError(t, err)
	assert.Equal(t, []Share{{ID: s.ID, GroupID: with.ID, Level: AccessDeveloper, ExpiresAt: exp}}, g.SharedWith)
	_, err = st.ShareGroup(us[0], g, with, AccessGuest, nil, now)
	refusedFully(t, err, Conflict, "Shared group The group has already been shared with this group", true)
	_, err = st.ShareGroup(us[0], g, g, AccessGuest, nil, now)
	refusedFully(t, err, Conflict, "Shared with group cannot be the same as the shared group", true)
}

// Groups::GroupLinks::DestroyService refuses a caller without
// admin_group_member without an error the API shows: DELETE
// /groups/:id/share/:group_id answers 204 and the link stays.
func TestUnshareGroupByNonOwnerIsSilentNoOp(t *testing.T) {
	st, admin, us := newTestStore(t, "maint")
	g, _ := st.CreateGroup(admin, groupAttrs("G", "g"), now)
	with, _ := st.CreateGroup(admin, groupAttrs("W", "w"), now)
	_, err := st.ShareGroup(admin, g, with, AccessReporter, nil, now)
	require.NoError(t, err)
	st.AddMember(us[0], SourceNamespace, g.ID, g.Name, AccessMaintainer)
	refusedFully(t, st.UnshareGroup(us[0], g, 999, now), NotFound, "Group Link", false)
	require.NoError(t, st.UnshareGroup(us[0], g, with.ID, now))
	assert.Len(t, g.SharedWith, 1, "the Maintainer's unshare changed nothing")
	require.NoError(t, st.UnshareGroup(admin, g, with.ID, now))
	assert.Empty(t, g.SharedWith)
	refusedFully(t, st.UnshareGroup(admin, g, with.ID, now), NotFound, "Group Link", false)
}

// Groups::MarkForDeletionService renames the group it marks, name and
// path suffixed with -deletion_scheduled-<id>, and so moves the full
// paths below it.
func TestMarkingGroupForDeletionRenamesIt(t *testing.T) {
	st, admin, _ := newTestStore(t)
	g, _ := st.CreateGroup(admin, groupAttrs("Team", "team"), now)
	sub, _ := st.CreateGroup(admin, GroupAttrs{Name: ptr("S"), Path: ptr("s"), ParentID: g.ID}, now)
	pr := st.AddProject(ProjectSpec{Path: "app", GroupID: sub.ID}, now)
	require.NoError(t, st.DeleteGroup(admin, g, false, "", now))
	suffix := "-deletion_scheduled-" + strconv.FormatInt(g.ID, 10)
	assert.Equal(t, []string{"Team" + suffix, "team" + suffix, "team" + suffix}, []string{g.Name, g.Path, g.FullPath})
	assert.Equal(t, "team"+suffix+"/s", sub.FullPath)
	assert.Equal(t, "team"+suffix+"/s/app", pr.PathWithNamespace)
	assert.Nil(t, st.FindGroup("team"), "the old path is free")
}

// owned=true is User#owned_groups: direct Owner memberships, so a
// subgroup of an owned group is not listed.
func TestOwnedGroupsAreDirectOwnerships(t *testing.T) {
	st, admin, us := newTestStore(t, "alice")
	g, _ := st.CreateGroup(admin, groupAttrs("G", "g"), now)
	st.AddMember(us[0], SourceNamespace, g.ID, g.Name, AccessOwner)
	sub, _ := st.CreateGroup(admin, GroupAttrs{Name: ptr("S"), Path: ptr("s"), ParentID: g.ID}, now)
	assert.Equal(t, AccessOwner, st.GroupAccess(us[0], sub, now), "inherited")
	assert.Equal(t, []*Group{g}, st.ListGroups(us[0], nil, false, GroupFilter{Owned: true}, now))
	assert.Equal(t, []*Group{g, sub}, st.ListGroups(us[0], nil, false, GroupFilter{MinAccessLevel: AccessOwner}, now))
}

// GET /groups filters by visibility (group_list_params' visibility).
func TestListGroupsByVisibility(t *testing.T) {
	st, admin, _ := newTestStore(t)
	pub, _ := st.CreateGroup(admin, GroupAttrs{Name: ptr("P"), Path: ptr("p"), Visibility: ptr("public")}, now)
	st.CreateGroup(admin, groupAttrs("Q", "q"), now)
	assert.Equal(t, []*Group{pub}, st.ListGroups(admin, nil, false, GroupFilter{Visibility: "public"}, now))
	assert.Len(t, st.ListGroups(admin, nil, false, GroupFilter{}, now), 2)
}
