package model

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func projectAttrs(name, path string) ProjectAttrs {
	a := ProjectAttrs{}
	if name != "" {
		a.Name = &name
	}
	if path != "" {
		a.Path = &path
	}
	return a
}

func TestPersonalProjectOwnedByItsUser(t *testing.T) {
	st, admin, us := newTestStore(t, "alice", "bob")
	us[0].ProjectsLimit, us[1].ProjectsLimit = 10, 10
	p, err := st.CreateProject(us[0], us[0], nil, projectAttrs("My App", ""), now)
	require.NoError(t, err)
	assert.Equal(t, []any{"my-app", "My App", "alice/my-app", int64(0), us[0].ID},
		[]any{p.Path, p.Name, p.PathWithNamespace, p.GroupID, p.OwnerID})
	assert.Equal(t, AccessOwner, st.ProjectAccess(us[0], p, now))

	// Another user may not create in alice's namespace; an administrator may.
	_, err = st.CreateProject(us[1], us[0], nil, projectAttrs("x", ""), now)
	invalidAs(t, err, map[string][]string{"namespace": {"is not valid"}})
	p2, err := st.CreateProject(admin, us[0], nil, projectAttrs("", "tool"), now)
	require.NoError(t, err)
	assert.Equal(t, []string{"tool", "alice/tool"}, []string{p2.Name, p2.PathWithNamespace})
	assert.Equal(t, AccessOwner, st.ProjectAccess(us[0], p2, now))
}

func TestProjectsLimitStopsPersonalProjects(t *testing.T) {
	st, _, us := newTestStore(t, "alice", "bob")
	us[0].ProjectsLimit = 1
	_, err := st.CreateProject(us[0], us[0], nil, projectAttrs("a", ""), now)
	require.NoError(t, err)
	_, err = st.CreateProject(us[0], us[0], nil, projectAttrs("b", ""), now)
	refusedFully(t, err, Forbidden, "Your project limit is 1 projects! Please contact your administrator to increase it", true)
	_, err = st.CreateProject(us[1], us[1], nil, projectAttrs("b", ""), now)
	refusedFully(t, err, Forbidden, "Personal project creation is not allowed. Please contact your administrator with questions", true)
}

func TestGroupProjectNeedsDeveloper(t *testing.T) {
	st, admin, us := newTestStore(t, "rep", "dev")
	g, _ := st.CreateGroup(admin, groupAttrs("G", "g"), now)
	st.AddMember(us[0], SourceNamespace, g.ID, g.Name, AccessReporter)
	st.AddMember(us[1], SourceNamespace, g.ID, g.Name, AccessDeveloper)
	_, err := st.CreateProject(us[0], nil, g, projectAttrs("app", ""), now)
	invalidAs(t, err, map[string][]string{"namespace": {"is not valid"}})
	p, err := st.CreateProject(us[1], nil, g, projectAttrs("app", ""), now)
	require.NoError(t, err)
	assert.Equal(t, "g/app", p.PathWithNamespace)
	assert.Equal(t, AccessDeveloper, st.ProjectAccess(us[1], p, now), "no project membership is added in a group")
}

func TestProjectNameAndPathUniqueInNamespace(t *testing.T) {
	st, admin, us := newTestStore(t, "alice")
	us[0].ProjectsLimit = 10
	g, _ := st.CreateGroup(admin, groupAttrs("G", "g"), now)
	_, err := st.CreateProject(admin, nil, g, projectAttrs("App", "app"), now)
	require.NoError(t, err)
	_, err = st.CreateProject(admin, nil, g, projectAttrs("app", "APP"), now)
	invalidAs(t, err, map[string][]string{"name": {"has already been taken"}, "path": {"has already been taken"}})
	_, err = st.CreateProject(us[0], us[0], nil, projectAttrs("App", "app"), now)
	require.NoError(t, err, "another namespace")
	_, err = st.CreateProject(admin, nil, g, projectAttrs("ok", "-x.git"), now)
	invalidAs(t, err, map[string][]string{"path": {projectPathMessage}})
}

func TestProjectNoMoreVisibleThanItsGroup(t *testing.T) {
	st, admin, _ := newTestStore(t)
	g, _ := st.CreateGroup(admin, GroupAttrs{Name: ptr("G"), Path: ptr("g"), Visibility: ptr("internal")}, now)
	a := projectAttrs("app", "")
	a.Visibility = ptr("public")
	_, err := st.CreateProject(admin, nil, g, a, now)
	invalidAs(t, err, map[string][]string{"visibility_level": {"public is not allowed in a internal group."}})
}

func TestPrivateProjectReadOnlyByMembers(t *testing.T) {
	st, admin, us := newTestStore(t, "member", "other")
	g, _ := st.CreateGroup(admin, groupAttrs("G", "g"), now)
	p, _ := st.CreateProject(admin, nil, g, projectAttrs("app", ""), now)
	st.AddMember(us[0], SourceNamespace, g.ID, g.Name, AccessGuest)
	assert.True(t, st.CanReadProject(us[0], p, now), "inherited from the group")
	assert.False(t, st.CanReadProject(us[1], p, now))
	assert.False(t, st.CanReadProject(nil, p, now))
	p.Visibility = "internal"
	assert.True(t, st.CanReadProject(us[1], p, now))
	assert.False(t, st.CanReadProject(nil, p, now))
}

func TestUpdateProjectRenameAndVisibilityNeedOwner(t *testing.T) {
	st, admin, us := newTestStore(t, "maint", "dev")
	g, _ := st.CreateGroup(admin, GroupAttrs{Name: ptr("G"), Path: ptr("g"), Visibility: ptr("public")}, now)
	p, _ := st.CreateProject(admin, nil, g, projectAttrs("app", ""), now)
	st.AddMember(us[0], SourceProject, p.ID, p.Name, AccessMaintainer)
	st.AddMember(us[1], SourceProject, p.ID, p.Name, AccessDeveloper)

	refusedAs(t, st.UpdateProject(us[1], p, ProjectAttrs{Description: ptr("d")}, now), Forbidden, "")
	refusedAs(t, st.UpdateProject(us[0], p, ProjectAttrs{Name: ptr("n")}, now), Forbidden, "")
	refusedAs(t, st.UpdateProject(us[0], p, ProjectAttrs{Visibility: ptr("public")}, now), Forbidden, "")
	require.NoError(t, st.UpdateProject(us[0], p, ProjectAttrs{Description: ptr("d"), Path: ptr("svc")}, now))
	assert.Equal(t, []string{"d", "svc", "g/svc"}, []string{p.Description, p.Path, p.PathWithNamespace})
	require.NoError(t, st.UpdateProject(admin, p, ProjectAttrs{Name: ptr("Service"), Visibility: ptr("public")}, now))
	assert.Equal(t, []string{"Service", "public"}, []string{p.Name, p.Visibility})
}

func TestDeleteProjectMarksThenRemovesPermanently(t *testing.T) {
	st, admin, us := newTestStore(t, "maint")
	g, _ := st.CreateGroup(admin, groupAttrs("G", "g"), now)
	p, _ := st.CreateProject(admin, nil, g, projectAttrs("app", ""), now)
	st.AddMember(us[0], SourceProject, p.ID, p.Name, AccessMaintainer)
	refusedAs(t, st.DeleteProject(us[0], p, false, "", now), Forbidden, "")
	refusedFully(t, st.DeleteProject(admin, p, true, "g/app", now), BadRequest, "Project must be marked for deletion first.", true)
	require.NoError(t, st.DeleteProject(admin, p, false, "", now))
	assert.Equal(t, DayOf(now), *p.MarkedForDeletionOn)
	refusedFully(t, st.DeleteProject(admin, p, false, "", now), BadRequest, "Project has been already marked for deletion", true)
	refusedFully(t, st.DeleteProject(admin, p, true, "g/app", now), BadRequest, "`full_path` is incorrect. You must enter the complete path for the project.", true)
	require.NoError(t, st.DeleteProject(admin, p, true, p.PathWithNamespace, now))
	assert.Nil(t, st.Project(p.ID))
	assert.Empty(t, st.UserRows(us[0].ID), "the project's memberships go with it")
}

func TestListProjectsFilters(t *testing.T) {
	st, admin, us := newTestStore(t, "alice")
	us[0].ProjectsLimit = 10
	g, _ := st.CreateGroup(admin, GroupAttrs{Name: ptr("G"), Path: ptr("g"), Visibility: ptr("public")}, now)
	sub, _ := st.CreateGroup(admin, GroupAttrs{Name: ptr("S"), Path: ptr("s"), ParentID: g.ID}, now)
	pub, _ := st.CreateProject(admin, nil, g, ProjectAttrs{Name: ptr("pub"), Visibility: ptr("public")}, now)
	priv, _ := st.CreateProject(admin, nil, g, projectAttrs("priv", ""), now.Add(1))
	deep, _ := st.CreateProject(admin, nil, sub, projectAttrs("deep", ""), now.Add(2))
	mine, _ := st.CreateProject(us[0], us[0], nil, projectAttrs("mine", ""), now.Add(3))

	assert.Equal(t, []*Project{mine, deep, priv, pub}, st.ListProjects(admin, ProjectFilter{Desc: true}, now))
	assert.Equal(t, []*Project{pub, mine}, st.ListProjects(us[0], ProjectFilter{}, now))
	assert.Equal(t, []*Project{pub}, st.ListProjects(nil, ProjectFilter{}, now))
	assert.Equal(t, []*Project{mine}, st.ListProjects(us[0], ProjectFilter{Owned: true}, now))
	assert.Equal(t, []*Project{pub, priv}, st.ListProjects(admin, ProjectFilter{Group: g}, now))
	assert.Equal(t, []*Project{pub, priv, deep}, st.ListProjects(admin, ProjectFilter{Group: g, IncludeSubgroups: true}, now))
	assert.Empty(t, st.ListProjects(nil, ProjectFilter{Owner: us[0]}, now), "mine is private")
	assert.Equal(t, []*Project{mine}, st.ListProjects(us[0], ProjectFilter{Owner: us[0]}, now))
	assert.Equal(t, []*Project{deep, mine}, st.ListProjects(admin, ProjectFilter{Search: "E", OrderBy: "name"}, now))
}

func TestShareProjectRules(t *testing.T) {
	st, admin, us := newTestStore(t, "maint", "dev")
	g, _ := st.CreateGroup(admin, groupAttrs("G", "g"), now)
	sub, _ := st.CreateGroup(admin, GroupAttrs{Name: ptr("S"), Path: ptr("s"), ParentID: g.ID}, now)
	with, _ := st.CreateGroup(admin, groupAttrs("W", "w"), now)
	p, _ := st.CreateProject(admin, nil, sub, projectAttrs("app", ""), now)
	st.AddMember(us[0], SourceProject, p.ID, p.Name, AccessMaintainer)
	st.AddMember(us[1], SourceProject, p.ID, p.Name, AccessDeveloper)

	_, err := st.ShareProject(us[1], p, with, AccessGuest, nil, now)
	refusedAs(t, err, Forbidden, "")
	_, err = st.ShareProject(us[0], p, with, AccessGuest, nil, now)
	refusedFully(t, err, NotFound, "Not Found", true)
	_, err = st.ShareProject(admin, p, g, AccessGuest, nil, now)
	refusedFully(t, err, Conflict, "Project cannot be shared with the group it is in or one of its ancestors.", true)

	st.AddMember(us[0], SourceNamespace, with.ID, with.Name, AccessGuest)
	s, err := st.ShareProject(us[0], p, with, AccessReporter, nil, now)
	require.NoError(t, err)
	assert.Equal(t, []Share{{ID: s.ID, GroupID: with.ID, Level: AccessReporter}}, p.SharedWith)
	_, err = st.ShareProject(us[0], p, with, AccessReporter, nil, now)
	refusedFully(t, err, Conflict, "Group already shared with this group", true)

	refusedAs(t, st.UnshareProject(us[1], p, with.ID, now), Forbidden, "")
	require.NoError(t, st.UnshareProject(us[0], p, with.ID, now))
	assert.Empty(t, p.SharedWith)
	refusedFully(t, st.UnshareProject(us[0], p, with.ID, now), NotFound, "Group Link", false)
}

// Projects::MarkForDeletionService archives the project it marks and
// renames it, name and path suffixed with -deletion_scheduled-<id>.
func TestMarkingProjectForDeletionRenamesIt(t *testing.T) {
	st, admin, _ := newTestStore(t)
	g, _ := st.CreateGroup(admin, groupAttrs("G", "g"), now)
	p, _ := st.CreateProject(admin, nil, g, projectAttrs("App", "app"), now)
	require.NoError(t, st.DeleteProject(admin, p, false, "", now))
	suffix := "-deletion_scheduled-" + strconv.FormatInt(p.ID, 10)
	assert.Equal(t, []string{"App" + suffix, "app" + suffix, "g/app" + suffix}, []string{p.Name, p.Path, p.PathWithNamespace})
	assert.Nil(t, st.FindProject("g/app"), "the old path is free")
}

// GET /groups/:id/projects lists the projects shared with the group
// too, unless with_shared=false (GroupProjectsFinder's exclude_shared).
func TestGroupProjectsIncludeSharedWithGroup(t *testing.T) {
	st, admin, _ := newTestStore(t)
	g, _ := st.CreateGroup(admin, groupAttrs("G", "g"), now)
	other, _ := st.CreateGroup(admin, groupAttrs("O", "o"), now)
	own, _ := st.CreateProject(admin, nil, g, projectAttrs("own", ""), now)
	shared, _ := st.CreateProject(admin, nil, other, projectAttrs("shared", ""), now)
	_, err := st.ShareProject(admin, shared, g, AccessDeveloper, nil, now)
	require.NoError(t, err)
	assert.Equal(t, []*Project{own}, st.ListProjects(admin, ProjectFilter{Group: g}, now))
	assert.ElementsMatch(t, []*Project{own, shared}, st.ListProjects(admin, ProjectFilter{Group: g, WithShared: true}, now))
}
