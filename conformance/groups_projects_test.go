package conformance

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gitlab "gitlab.com/gitlab-org/api/client-go/v2"
)

// groupIDs returns the groups' IDs in order.
func groupIDs(gs []*gitlab.Group) []int64 {
	out := []int64{}
	for _, g := range gs {
		out = append(out, g.ID)
	}
	return out
}

// projectIDs returns the projects' IDs in order.
func projectIDs(ps []*gitlab.Project) []int64 {
	out := []int64{}
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

// lib/api/groups.rb, post: authorize! :create_group for a top-level
// group (403 for a user without can_create_group), :create_subgroup
// (Maintainer of the parent) for a subgroup; 201 with GroupDetail; the
// creator becomes the group's Owner (Groups::CreateService); a refused
// validation is 400 "Failed to save group" with the errors' Ruby hash
// (render_api_error!), a missing name or path Grape's 400.
func TestCreateGroup(t *testing.T) {
	e := newEnv(t)
	_, alice := e.user(gitlabtest.UserSpec{Username: "alice"})
	_, bob := e.user(gitlabtest.UserSpec{Username: "bob", CanCreateGroup: gitlab.Ptr(false)})

	g, resp, err := alice.Groups.CreateGroup(&gitlab.CreateGroupOptions{Name: gitlab.Ptr("Platform"), Path: gitlab.Ptr("platform"),
		Description: gitlab.Ptr("infra"), Visibility: gitlab.Ptr(gitlab.InternalVisibility)})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "Platform", g.Name)
	assert.Equal(t, "platform", g.FullPath)
	assert.Equal(t, "Platform", g.FullName)
	assert.Equal(t, "infra", g.Description)
	assert.Equal(t, gitlab.InternalVisibility, g.Visibility)
	assert.Equal(t, e.s.URL+"/groups/platform", g.WebURL)
	assert.Zero(t, g.ParentID)
	assert.Equal(t, []any{}, e.lastBody()["projects"], "GroupDetail, no project yet")
	stored, ok := e.s.Group(g.ID)
	require.True(t, ok)
	assert.Equal(t, "internal", stored.Visibility)
	assert.Equal(t, "infra", stored.Description)
	owned, _, err := alice.Groups.ListGroups(&gitlab.ListGroupsOptions{Owned: gitlab.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, []int64{g.ID}, groupIDs(owned), "the creator is the group's Owner")

	sub, resp, err := alice.Groups.CreateGroup(&gitlab.CreateGroupOptions{Name: gitlab.Ptr("Backend"), Path: gitlab.Ptr("backend"), ParentID: &g.ID})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, g.ID, sub.ParentID)
	assert.Equal(t, "platform/backend", sub.FullPath)
	assert.Equal(t, "Platform / Backend", sub.FullName)
	assert.Equal(t, gitlab.PrivateVisibility, sub.Visibility, "private by default")

	_, _, err = bob.Groups.CreateGroup(&gitlab.CreateGroupOptions{Name: gitlab.Ptr("Mine"), Path: gitlab.Ptr("mine")})
	e.refused(err, 403, `{"message":"403 Forbidden"}`)
	_, _, err = bob.Groups.CreateGroup(&gitlab.CreateGroupOptions{Name: gitlab.Ptr("Sub"), Path: gitlab.Ptr("sub"), ParentID: &g.ID})
	e.refused(err, 403, `{"message":"403 Forbidden"}`)
	_, _, err = alice.Groups.CreateGroup(&gitlab.CreateGroupOptions{Name: gitlab.Ptr("Again"), Path: gitlab.Ptr("PLATFORM")})
	e.refused(err, 400, `{"message":"Failed to save group {:path=>[\"has already been taken\"]}"}`)
	_, _, err = alice.Groups.CreateGroup(&gitlab.CreateGroupOptions{Name: gitlab.Ptr("Open"), Path: gitlab.Ptr("open"), ParentID: &g.ID,
		Visibility: gitlab.Ptr(gitlab.PublicVisibility)})
	e.refused(err, 400, `{"message":"Failed to save group {:visibility_level=>[\"public is not allowed since the parent group has a internal visibility.\"]}"}`)
	_, _, err = alice.Groups.CreateGroup(&gitlab.CreateGroupOptions{Name: gitlab.Ptr("No path")})
	e.refused(err, 400, `{"error":"path is missing"}`)
}

// lib/api/groups.rb, get ":id": find_group! by ID or by full path (404
// Group Not Found, for a private group the caller may not read too);
// GroupDetail with its projects and shared_with_groups
// (lib/api/entities/group_detail.rb), or the Group entity with
// with_projects=false.
func TestGetGroup(t *testing.T) {
	e := newEnv(t)
	_, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	team := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "team", Name: "Team"})
	api := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "api", Name: "API", ParentID: team})
	svc := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "svc", GroupID: api})
	ops := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "ops", Name: "Ops", Visibility: "public"})
	expires := time.Now().AddDate(0, 1, 0)
	e.s.ShareGroup(api, ops, gitlabtest.AccessDeveloper, &expires)

	g, resp, err := e.admin.Groups.GetGroup("team/api", nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, api, g.ID)
	assert.Equal(t, team, g.ParentID)
	assert.Equal(t, "Team / API", g.FullName)
	projects, _ := e.lastBody()["projects"].([]any)
	require.Len(t, projects, 1, "GroupDetail's projects (client-go's Group.Projects is deprecated)")
	assert.Equal(t, float64(svc), projects[0].(map[string]any)["id"])
	require.Len(t, g.SharedWithGroups, 1)
	sh := g.SharedWithGroups[0]
	assert.Equal(t, []any{ops, "Ops", "ops", int64(30), day(expires)}, []any{sh.GroupID, sh.GroupName, sh.GroupFullPath, sh.GroupAccessLevel, sh.ExpiresAt.String()})

	//lint:ignore SA1019 with_projects=false is what GitLab still serves, and what this drives
	g, _, err = e.admin.Groups.GetGroup(api, &gitlab.GetGroupOptions{WithProjects: gitlab.Ptr(false)})
	require.NoError(t, err)
	assert.NotContains(t, e.lastBody(), "projects", "the Group entity")
	assert.Nil(t, g.SharedWithGroups, "the Group entity has no shared_with_groups")

	_, _, err = jane.Groups.GetGroup(team, nil)
	e.refused(err, 404, `{"message":"404 Group Not Found"}`)
	_, _, err = e.admin.Groups.GetGroup(999, nil)
	e.refused(err, 404, `{"message":"404 Group Not Found"}`)
	g, _, err = e.client("").Groups.GetGroup("ops", nil)
	require.NoError(t, err, "a public group for anyone")
	assert.Equal(t, ops, g.ID)
}

// lib/api/groups.rb, get (find_groups and GroupsFinder): a user gets the
// groups they have a role in (their groups' subgroups too), with
// all_available every group they may read; an administrator and an
// anonymous caller every group they may read; by name ascending unless
// asked otherwise; search, visibility, top_level_only, skip_groups and
// min_access_level filter; owned keeps the groups where the caller is a
// direct Owner (User#owned_groups in app/models/user.rb: group_members
// with access_level OWNER); an order_by outside name, path, id and similarity is Grape's
// 400.
func TestListGroups(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	alpha := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "alpha", Visibility: "public"})
	beta := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "beta", Owners: []int64{janeID}})
	delta := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "delta", ParentID: beta})
	gamma := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "gamma"})

	list := func(c *gitlab.Client, opt *gitlab.ListGroupsOptions) []int64 {
		t.Helper()
		gs, resp, err := c.Groups.ListGroups(opt)
		require.NoError(t, err)
		assert.Equal(t, 200, resp.StatusCode)
		return groupIDs(gs)
	}
	assert.Equal(t, []int64{beta, delta}, list(jane, nil))
	assert.Equal(t, []int64{alpha, beta, delta}, list(jane, &gitlab.ListGroupsOptions{AllAvailable: gitlab.Ptr(true)}))
	assert.Equal(t, []int64{alpha, beta, delta, gamma}, list(e.admin, nil))
	assert.Equal(t, []int64{alpha}, list(e.client(""), nil))
	assert.Equal(t, []int64{gamma, delta, beta, alpha}, list(e.admin, &gitlab.ListGroupsOptions{Sort: gitlab.Ptr("desc")}))
	assert.Equal(t, []int64{beta}, list(jane, &gitlab.ListGroupsOptions{TopLevelOnly: gitlab.Ptr(true)}))
	assert.Equal(t, []int64{beta}, list(jane, &gitlab.ListGroupsOptions{Owned: gitlab.Ptr(true)}), "owned: direct Owner only, not delta's inherited role")
	assert.Equal(t, []int64{alpha}, list(e.admin, &gitlab.ListGroupsOptions{Visibility: gitlab.Ptr(gitlab.PublicVisibility)}))
	assert.Equal(t, []int64{delta}, list(e.admin, &gitlab.ListGroupsOptions{Search: gitlab.Ptr("ELT")}))
	assert.Equal(t, []int64{alpha, gamma}, list(e.admin, &gitlab.ListGroupsOptions{SkipGroups: &[]int64{beta, delta}}))
	assert.Equal(t, []int64{beta, delta}, list(jane, &gitlab.ListGroupsOptions{MinAccessLevel: gitlab.Ptr(gitlab.OwnerPermissions)}))

	_, _, err := e.admin.Groups.ListGroups(&gitlab.ListGroupsOptions{OrderBy: gitlab.Ptr("size")})
	e.refused(err, 400, `{"error":"order_by does not have a valid value"}`)
}

// lib/api/groups.rb, get ":id/subgroups" and ":id/descendant_groups":
// find_groups with the group as parent; the subgroups lists only the
// children, descendant_groups every level; the group first (404 Group
// Not Found for one the caller may not read).
func TestListSubGroups(t *testing.T) {
	e := newEnv(t)
	_, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	top := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "top", Visibility: "public"})
	b := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "b", ParentID: top, Visibility: "public"})
	a := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "a", ParentID: top})
	deep := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "deep", ParentID: b, Visibility: "public"})
	secret := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "secret"})

	subs, resp, err := e.admin.Groups.ListSubGroups(top, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, []int64{a, b}, groupIDs(subs), "children only, by name")
	subs, _, err = jane.Groups.ListSubGroups("top", nil)
	require.NoError(t, err)
	assert.Equal(t, []int64{b}, groupIDs(subs), "the private one is hidden")

	desc, resp, err := e.admin.Groups.ListDescendantGroups(top, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, []int64{a, b, deep}, groupIDs(desc))
	desc, _, err = jane.Groups.ListDescendantGroups(top, &gitlab.ListDescendantGroupsOptions{Search: gitlab.Ptr("dee")})
	require.NoError(t, err)
	assert.Equal(t, []int64{deep}, groupIDs(desc))

	_, _, err = jane.Groups.ListSubGroups(secret, nil)
	e.refused(err, 404, `{"message":"404 Group Not Found"}`)
	_, _, err = jane.Groups.ListDescendantGroups(secret, nil)
	e.refused(err, 404, `{"message":"404 Group Not Found"}`)
}

// lib/api/groups.rb, put ":id": authorize! :admin_group (Owner; 403 for
// a Maintainer); 200 with GroupDetail; a new path moves the full paths
// of the subgroups and projects below (Groups::UpdateService); a
// refused validation is render_validation_error!, 400 with the messages
// by attribute.
func TestUpdateGroup(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	bobID, bob := e.user(gitlabtest.UserSpec{Username: "bob"})
	g := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "old", Owners: []int64{janeID}, Visibility: "public"})
	e.s.AddGroupMember(g, bobID, gitlabtest.AccessMaintainer)
	sub := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "sub", ParentID: g, Visibility: "internal"})
	p := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "app", GroupID: sub})

	got, resp, err := jane.Groups.UpdateGroup(g, &gitlab.UpdateGroupOptions{Name: gitlab.Ptr("New"), Path: gitlab.Ptr("new"), Description: gitlab.Ptr("d")})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "new", got.FullPath)
	assert.Equal(t, "New", got.Name)
	assert.Equal(t, "d", got.Description)
	stored, _ := e.s.Group(sub)
	assert.Equal(t, "new/sub", stored.FullPath)
	proj, _ := e.s.Project(p)
	assert.Equal(t, "new/sub/app", proj.PathWithNamespace)

	_, _, err = bob.Groups.UpdateGroup(g, &gitlab.UpdateGroupOptions{Description: gitlab.Ptr("x")})
	e.refused(err, 403, `{"message":"403 Forbidden"}`)
	_, _, err = jane.Groups.UpdateGroup(g, &gitlab.UpdateGroupOptions{Visibility: gitlab.Ptr(gitlab.PrivateVisibility)})
	e.refused(err, 400, `{"message":{"visibility_level":["private is not allowed since there are sub-groups with higher visibility."]}}`)
	stored, _ = e.s.Group(g)
	assert.Equal(t, "public", stored.Visibility)
	_, _, err = jane.Groups.UpdateGroup("old", &gitlab.UpdateGroupOptions{Description: gitlab.Ptr("x")})
	e.refused(err, 404, `{"message":"404 Group Not Found"}`)
}

// lib/api/groups.rb, delete ":id": authorize! :remove_group (Owner; 403
// for a Maintainer); on GitLab 18 the first DELETE marks the group for
// deletion, 202 {"message":"202 Accepted"}, and renames it: name and
// path get "-deletion_scheduled-<id>" (Groups::MarkForDeletionService,
// rename_group_for_deletion!); a second DELETE is 400; permanently_remove
// with the group's new full_path removes it at once, its old one is 400.
func TestDeleteGroup(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	bobID, bob := e.user(gitlabtest.UserSpec{Username: "bob"})
	g := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "doomed", Owners: []int64{janeID}})
	e.s.AddGroupMember(g, bobID, gitlabtest.AccessMaintainer)

	_, err := bob.Groups.DeleteGroup(g, nil)
	e.refused(err, 403, `{"message":"403 Forbidden"}`)
	resp, err := jane.Groups.DeleteGroup(g, nil)
	require.NoError(t, err)
	assert.Equal(t, 202, resp.StatusCode)
	e.answered(202, `{"message":"202 Accepted"}`)
	stored, ok := e.s.Group(g)
	require.True(t, ok, "marked, not removed")
	require.NotNil(t, stored.MarkedForDeletionOn)
	suffix := "-deletion_scheduled-" + strconv.FormatInt(g, 10)
	assert.Equal(t, []string{"doomed" + suffix, "doomed" + suffix}, []string{stored.Name, stored.FullPath}, "renamed")
	got, _, err := jane.Groups.GetGroup(g, nil)
	require.NoError(t, err)
	require.NotNil(t, got.MarkedForDeletionOn)
	assert.Equal(t, stored.MarkedForDeletionOn.Format(time.DateOnly), got.MarkedForDeletionOn.String())
	assert.Equal(t, "doomed"+suffix, got.FullPath)

	_, err = jane.Groups.DeleteGroup(g, nil)
	e.refused(err, 400, `{"message":"Group has been already marked for deletion"}`)
	_, err = jane.Groups.DeleteGroup(g, &gitlab.DeleteGroupOptions{PermanentlyRemove: gitlab.Ptr(true), FullPath: gitlab.Ptr("doomed")})
	e.refused(err, 400, "{\"message\":\"`full_path` is incorrect. You must enter the complete path for the group.\"}")
	resp, err = jane.Groups.DeleteGroup(g, &gitlab.DeleteGroupOptions{PermanentlyRemove: gitlab.Ptr(true), FullPath: gitlab.Ptr(stored.FullPath)})
	require.NoError(t, err)
	assert.Equal(t, 202, resp.StatusCode)
	_, ok = e.s.Group(g)
	assert.False(t, ok, "removed")
	_, err = jane.Groups.DeleteGroup(g, nil)
	e.refused(err, 404, `{"message":"404 Group Not Found"}`)
}

// lib/api/groups.rb, get ":id/projects" (GroupProjectsFinder): the
// group's projects the caller may read, those shared with the group
// unless with_shared=false (exclude_shared: !params[:with_shared]), its
// subgroups' with include_subgroups, newest first (order_by created_at,
// sort desc); search and visibility filter.
func TestListGroupProjects(t *testing.T) {
	e := newEnv(t)
	_, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	g := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "g", Visibility: "public"})
	sub := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "sub", ParentID: g, Visibility: "public"})
	first := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "first", GroupID: g, Visibility: "public"})
	hidden := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "hidden", GroupID: g})
	nested := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "nested", GroupID: sub, Visibility: "public"})
	other := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "other"})
	shared := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "shared", GroupID: other})
	e.s.ShareProject(shared, g, gitlabtest.AccessDeveloper, nil)

	ps, resp, err := e.admin.Groups.ListGroupProjects(g, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, []int64{shared, hidden, first}, projectIDs(ps), "with_shared defaults to true")
	ps, _, err = e.admin.Groups.ListGroupProjects(g, &gitlab.ListGroupProjectsOptions{WithShared: gitlab.Ptr(false)})
	require.NoError(t, err)
	assert.Equal(t, []int64{hidden, first}, projectIDs(ps))
	assert.Equal(t, "g/hidden", ps[0].PathWithNamespace)
	assert.Equal(t, "group", ps[0].Namespace.Kind)
	ps, _, err = jane.Groups.ListGroupProjects(g, &gitlab.ListGroupProjectsOptions{IncludeSubGroups: gitlab.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, []int64{nested, first}, projectIDs(ps), "no private project for a non-member")
	ps, _, err = e.admin.Groups.ListGroupProjects(g, &gitlab.ListGroupProjectsOptions{OrderBy: gitlab.Ptr("path"), Sort: gitlab.Ptr("asc"),
		Visibility: gitlab.Ptr(gitlab.PrivateVisibility)})
	require.NoError(t, err)
	assert.Equal(t, []int64{hidden, shared}, projectIDs(ps))
	ps, _, err = e.admin.Groups.ListGroupProjects(g, &gitlab.ListGroupProjectsOptions{Search: gitlab.Ptr("fir")})
	require.NoError(t, err)
	assert.Equal(t, []int64{first}, projectIDs(ps))

	_, _, err = jane.Groups.ListGroupProjects(999, nil)
	e.refused(err, 404, `{"message":"404 Group Not Found"}`)
}

// lib/api/group_links' POST /groups/:id/share and DELETE
// /groups/:id/share/:group_id (lib/api/groups.rb in GitLab 18):
// find_group! for both groups (404 Group Not Found), then
// Groups::GroupLinks::CreateService: an Owner of the shared group; 201
// with its GroupDetail, shared_with_groups listing the link; a second
// share with the same group is 409. DELETE finds the link (404 Group
// Link Not Found) and answers 204 whatever
// Groups::GroupLinks::DestroyService did: for a caller without
// admin_group_member (a Maintainer) the service refuses and the link
// stays (app/services/groups/group_links/destroy_service.rb).
func TestShareGroupWithGroup(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	bobID, bob := e.user(gitlabtest.UserSpec{Username: "bob"})
	g := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "shared", Owners: []int64{janeID}})
	e.s.AddGroupMember(g, bobID, gitlabtest.AccessMaintainer)
	with := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "guests", Name: "Guests", Visibility: "internal"})
	expires := time.Now().AddDate(0, 0, 10)

	got, resp, err := jane.Groups.ShareGroupWithGroup(g, &gitlab.ShareGroupWithGroupOptions{GroupID: &with,
		GroupAccess: gitlab.Ptr(gitlab.ReporterPermissions), ExpiresAt: gitlab.Ptr(gitlab.ISOTime(expires))})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, g, got.ID)
	require.Len(t, got.SharedWithGroups, 1)
	assert.Equal(t, []any{with, "Guests", "guests", int64(20), day(expires)}, []any{got.SharedWithGroups[0].GroupID,
		got.SharedWithGroups[0].GroupName, got.SharedWithGroups[0].GroupFullPath, got.SharedWithGroups[0].GroupAccessLevel,
		got.SharedWithGroups[0].ExpiresAt.String()})
	stored, _ := e.s.Group(g)
	require.Len(t, stored.SharedWith, 1)
	assert.Equal(t, with, stored.SharedWith[0].GroupID)
	assert.Equal(t, gitlabtest.AccessReporter, stored.SharedWith[0].Level)

	_, _, err = jane.Groups.ShareGroupWithGroup(g, &gitlab.ShareGroupWithGroupOptions{GroupID: &with, GroupAccess: gitlab.Ptr(gitlab.DeveloperPermissions)})
	e.refused(err, 409, `{"message":"Shared group The group has already been shared with this group"}`)
	_, _, err = jane.Groups.ShareGroupWithGroup(g, &gitlab.ShareGroupWithGroupOptions{GroupID: gitlab.Ptr(int64(999)), GroupAccess: gitlab.Ptr(gitlab.DeveloperPermissions)})
	e.refused(err, 404, `{"message":"404 Group Not Found"}`)
	_, _, err = jane.Groups.ShareGroupWithGroup(g, &gitlab.ShareGroupWithGroupOptions{GroupID: &with})
	e.refused(err, 400, `{"error":"group_access is missing"}`)

	resp, err = bob.Groups.UnshareGroupFromGroup(g, with)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	stored, _ = e.s.Group(g)
	assert.Len(t, stored.SharedWith, 1, "a Maintainer's unshare is 204 and changes nothing")
	resp, err = jane.Groups.UnshareGroupFromGroup(g, with)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	stored, _ = e.s.Group(g)
	assert.Empty(t, stored.SharedWith)
	_, err = jane.Groups.UnshareGroupFromGroup(g, with)
	e.refused(err, 404, `{"message":"404 Group Link Not Found"}`)
}

// lib/api/projects.rb, post (Projects::CreateService): 201 with the
// Project entity; without namespace_id in the caller's personal
// namespace (namespace kind user, owner the caller), with one in that
// group (Developer there, else 400 namespace "is not valid"); the path
// defaults to the name made a path; a user at their projects_limit is
// 403 with the limit's message in a list; neither name nor path is
// Grape's 400.
func TestCreateProject(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane", Name: "Jane Doe"})
	_, capped := e.user(gitlabtest.UserSpec{Username: "capped", ProjectsLimit: gitlab.Ptr(0)})
	bobID, bob := e.user(gitlabtest.UserSpec{Username: "bob"})
	g := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "team", Name: "Team", Visibility: "internal"})
	e.s.AddGroupMember(g, janeID, gitlabtest.AccessDeveloper)
	e.s.AddGroupMember(g, bobID, gitlabtest.AccessReporter)

	p, resp, err := jane.Projects.CreateProject(&gitlab.CreateProjectOptions{Name: gitlab.Ptr("My App"), Description: gitlab.Ptr("d")})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "my-app", p.Path)
	assert.Equal(t, "jane/my-app", p.PathWithNamespace)
	assert.Equal(t, "Jane Doe / My App", p.NameWithNamespace)
	assert.Equal(t, gitlab.PrivateVisibility, p.Visibility)
	require.NotNil(t, p.Namespace)
	assert.Equal(t, "user", p.Namespace.Kind)
	require.NotNil(t, p.Owner)
	assert.Equal(t, janeID, p.Owner.ID)
	stored, ok := e.s.Project(p.ID)
	require.True(t, ok)
	assert.Equal(t, janeID, stored.OwnerID)
	assert.Zero(t, stored.GroupID)

	p, resp, err = jane.Projects.CreateProject(&gitlab.CreateProjectOptions{Path: gitlab.Ptr("svc"), NamespaceID: &g})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "svc", p.Name, "the name defaults to the path")
	assert.Equal(t, "team/svc", p.PathWithNamespace)
	assert.Equal(t, g, p.Namespace.ID)
	assert.Equal(t, "group", p.Namespace.Kind)
	assert.Nil(t, p.Owner, "a group's project has no owner")
	stored, _ = e.s.Project(p.ID)
	assert.Equal(t, g, stored.GroupID)

	_, _, err = bob.Projects.CreateProject(&gitlab.CreateProjectOptions{Path: gitlab.Ptr("nope"), NamespaceID: &g})
	e.refused(err, 400, `{"message":{"namespace":["is not valid"]}}`)
	_, _, err = jane.Projects.CreateProject(&gitlab.CreateProjectOptions{Path: gitlab.Ptr("open"), NamespaceID: &g, Visibility: gitlab.Ptr(gitlab.PublicVisibility)})
	e.refused(err, 400, `{"message":{"visibility_level":["public is not allowed in a internal group."]}}`)
	_, _, err = capped.Projects.CreateProject(&gitlab.CreateProjectOptions{Name: gitlab.Ptr("x")})
	e.refused(err, 403, `{"message":["Personal project creation is not allowed. Please contact your administrator with questions"]}`)
	_, _, err = jane.Projects.CreateProject(&gitlab.CreateProjectOptions{Description: gitlab.Ptr("no name")})
	e.refused(err, 400, `{"error":"name, path are missing, at least one parameter must be provided"}`)
}

// lib/api/projects.rb, post "user/:user_id": authenticated_as_admin!
// (403 for anyone else), then the user (404 User Not Found); 201 with
// the project in the user's personal namespace, the user its owner.
func TestCreateProjectForUser(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})

	p, resp, err := e.admin.Projects.CreateProjectForUser(janeID, &gitlab.CreateProjectForUserOptions{Name: gitlab.Ptr("Tools")})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "jane/tools", p.PathWithNamespace)
	require.NotNil(t, p.Owner)
	assert.Equal(t, janeID, p.Owner.ID)
	stored, ok := e.s.Project(p.ID)
	require.True(t, ok)
	assert.Equal(t, janeID, stored.OwnerID)

	_, _, err = jane.Projects.CreateProjectForUser(janeID, &gitlab.CreateProjectForUserOptions{Name: gitlab.Ptr("Mine")})
	e.refused(err, 403, `{"message":"403 Forbidden"}`)
	_, _, err = e.admin.Projects.CreateProjectForUser(999, &gitlab.CreateProjectForUserOptions{Name: gitlab.Ptr("Ghost")})
	e.refused(err, 404, `{"message":"404 User Not Found"}`)
}

// lib/api/projects.rb, get ":id": find_project! by ID or full path (404
// Project Not Found, for a private project the caller may not read
// too); the Project entity with shared_with_groups.
func TestGetProject(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	g := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "team", Name: "Team"})
	p := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "svc", Name: "Service", GroupID: g, Description: "api"})
	mine := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "dots", OwnerID: janeID})
	guests := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "guests"})
	e.s.ShareProject(p, guests, gitlabtest.AccessDeveloper, nil)

	got, resp, err := e.admin.Projects.GetProject("team/svc", nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, p, got.ID)
	assert.Equal(t, "Team / Service", got.NameWithNamespace)
	assert.Equal(t, "api", got.Description)
	assert.Equal(t, e.s.URL+"/team/svc", got.WebURL)
	assert.Equal(t, e.s.URL+"/team/svc.git", got.HTTPURLToRepo)
	assert.True(t, got.EmptyRepo)
	require.Len(t, got.SharedWithGroups, 1)
	assert.Equal(t, []any{guests, "guests", int64(30)}, []any{got.SharedWithGroups[0].GroupID, got.SharedWithGroups[0].GroupFullPath, got.SharedWithGroups[0].GroupAccessLevel})

	got, _, err = jane.Projects.GetProject(mine, nil)
	require.NoError(t, err)
	assert.Equal(t, "jane/dots", got.PathWithNamespace)
	_, _, err = jane.Projects.GetProject(p, nil)
	e.refused(err, 404, `{"message":"404 Project Not Found"}`)
	_, _, err = e.admin.Projects.GetProject("team/none", nil)
	e.refused(err, 404, `{"message":"404 Project Not Found"}`)
}

// lib/api/projects.rb, get (ProjectsFinder): every project the caller
// may read (anonymous callers the public ones), newest first; owned
// keeps the caller's personal projects, membership those they have a
// role in; search and visibility filter.
func TestListProjects(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	g := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "team", Visibility: "public"})
	pub := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "pub", GroupID: g, Visibility: "public"})
	internal := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "internal", GroupID: g, Visibility: "internal"})
	private := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "private", GroupID: g})
	member := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "member", GroupID: g, Maintainers: []int64{janeID}})
	mine := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "mine", OwnerID: janeID})

	list := func(c *gitlab.Client, opt *gitlab.ListProjectsOptions) []int64 {
		t.Helper()
		ps, resp, err := c.Projects.ListProjects(opt)
		require.NoError(t, err)
		assert.Equal(t, 200, resp.StatusCode)
		return projectIDs(ps)
	}
	assert.Equal(t, []int64{mine, member, private, internal, pub}, list(e.admin, nil))
	assert.Equal(t, []int64{mine, member, internal, pub}, list(jane, nil))
	assert.Equal(t, []int64{pub}, list(e.client(""), nil))
	assert.Equal(t, []int64{mine}, list(jane, &gitlab.ListProjectsOptions{Owned: gitlab.Ptr(true)}))
	assert.Equal(t, []int64{mine, member}, list(jane, &gitlab.ListProjectsOptions{Membership: gitlab.Ptr(true)}))
	assert.Equal(t, []int64{internal}, list(jane, &gitlab.ListProjectsOptions{Visibility: gitlab.Ptr(gitlab.InternalVisibility)}))
	assert.Equal(t, []int64{pub, private}, list(e.admin, &gitlab.ListProjectsOptions{Search: gitlab.Ptr("p"), OrderBy: gitlab.Ptr("id"), Sort: gitlab.Ptr("asc")}))
}

// lib/api/projects.rb, get ":user_id/projects" under resource :users
// (find_user, 404 User Not Found): the projects of the user's personal
// namespace the caller may read.
func TestListUserProjects(t *testing.T) {
	e := newEnv(t)
	janeID, _ := e.user(gitlabtest.UserSpec{Username: "jane"})
	_, bob := e.user(gitlabtest.UserSpec{Username: "bob"})
	open := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "open", OwnerID: janeID, Visibility: "public"})
	e.s.CreateProject(gitlabtest.ProjectSpec{Path: "closed", OwnerID: janeID})
	g := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "team", Owners: []int64{janeID}, Visibility: "public"})
	e.s.CreateProject(gitlabtest.ProjectSpec{Path: "elsewhere", GroupID: g, Visibility: "public"})

	ps, resp, err := bob.Projects.ListUserProjects("jane", nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, []int64{open}, projectIDs(ps), "only the personal namespace, only what bob may read")
	ps, _, err = e.admin.Projects.ListUserProjects(janeID, nil)
	require.NoError(t, err)
	assert.Len(t, ps, 2)

	_, _, err = bob.Projects.ListUserProjects(999, nil)
	e.refused(err, 404, `{"message":"404 User Not Found"}`)
}

// lib/api/projects.rb, put ":id" (Projects::UpdateService): a
// Maintainer may change the path and description (admin_project), only
// an Owner the name (rename_project) and the visibility
// (change_visibility_level): 403; 200 with the Project entity; a
// refused validation is 400 with the messages by attribute.
func TestEditProject(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	bobID, bob := e.user(gitlabtest.UserSpec{Username: "bob"})
	g := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "team", Owners: []int64{janeID}})
	p := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "svc", GroupID: g, Maintainers: []int64{bobID}})

	got, resp, err := bob.Projects.EditProject(p, &gitlab.EditProjectOptions{Description: gitlab.Ptr("new"), Path: gitlab.Ptr("api")})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "team/api", got.PathWithNamespace)
	assert.Equal(t, "new", got.Description)
	stored, _ := e.s.Project(p)
	assert.Equal(t, "team/api", stored.PathWithNamespace)

	_, _, err = bob.Projects.EditProject(p, &gitlab.EditProjectOptions{Name: gitlab.Ptr("API")})
	e.refused(err, 403, `{"message":"403 Forbidden"}`)
	got, _, err = jane.Projects.EditProject("team/api", &gitlab.EditProjectOptions{Name: gitlab.Ptr("API")})
	require.NoError(t, err)
	assert.Equal(t, "API", got.Name)
	_, _, err = jane.Projects.EditProject(p, &gitlab.EditProjectOptions{Visibility: gitlab.Ptr(gitlab.PublicVisibility)})
	e.refused(err, 400, `{"message":{"visibility_level":["public is not allowed in a private group."]}}`)
	stored, _ = e.s.Project(p)
	assert.Equal(t, "private", stored.Visibility)
}

// lib/api/projects.rb, delete ":id": authorize! :remove_project (Owner;
// 403 for a Maintainer); the first DELETE marks the project for
// deletion, 202 {"message":"202 Accepted"}, archives it and renames it:
// name and path get "-deletion_scheduled-<id>"
// (Projects::MarkForDeletionService, project_update_service_params); a
// second DELETE is 400; permanently_remove with the project's new
// full_path removes it, its old one is 400. client-go's
// DeleteProjectOptions has no omitempty, so an empty one sends
// full_path= and permanently_remove= blank, which Grape reads as not
// given (a blank Boolean is nil) and GitLab answers as without them.
func TestDeleteProject(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	bobID, bob := e.user(gitlabtest.UserSpec{Username: "bob"})
	p := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "app", OwnerID: janeID, Maintainers: []int64{bobID}})

	_, err := bob.Projects.DeleteProject(p, nil)
	e.refused(err, 403, `{"message":"403 Forbidden"}`)
	resp, err := jane.Projects.DeleteProject(p, nil)
	require.NoError(t, err)
	assert.Equal(t, 202, resp.StatusCode)
	e.answered(202, `{"message":"202 Accepted"}`)
	stored, ok := e.s.Project(p)
	require.True(t, ok, "marked, not removed")
	require.NotNil(t, stored.MarkedForDeletionOn)
	suffix := "-deletion_scheduled-" + strconv.FormatInt(p, 10)
	assert.Equal(t, []string{"app" + suffix, "jane/app" + suffix}, []string{stored.Name, stored.PathWithNamespace}, "renamed")
	got, _, err := jane.Projects.GetProject(p, nil)
	require.NoError(t, err)
	require.NotNil(t, got.MarkedForDeletionOn)
	assert.True(t, got.Archived, "and archived")
	assert.Equal(t, "jane/app"+suffix, got.PathWithNamespace)

	_, err = jane.Projects.DeleteProject(p, &gitlab.DeleteProjectOptions{})
	e.refused(err, 400, `{"message":"Project has been already marked for deletion"}`)
	assert.Equal(t, "full_path=&permanently_remove=", e.wire.lastQuery(), "client-go sends the unset options blank (C9)")
	_, err = jane.Projects.DeleteProject(p, &gitlab.DeleteProjectOptions{PermanentlyRemove: gitlab.Ptr(true), FullPath: gitlab.Ptr("jane/app")})
	e.refused(err, 400, "{\"message\":\"`full_path` is incorrect. You must enter the complete path for the project.\"}")
	resp, err = jane.Projects.DeleteProject(p, &gitlab.DeleteProjectOptions{PermanentlyRemove: gitlab.Ptr(true), FullPath: gitlab.Ptr(stored.PathWithNamespace)})
	require.NoError(t, err)
	assert.Equal(t, 202, resp.StatusCode)
	_, ok = e.s.Project(p)
	assert.False(t, ok, "removed")
}

// lib/api/projects.rb, post ":id/share" and delete ":id/share/:group_id":
// authorize! :admin_project (Maintainer; 403 below), then
// Projects::GroupLinks::CreateService: 201 with the link
// (lib/api/entities/project_group_link.rb), which client-go drops (C10);
// sharing with the project's own group is 409, with a group the caller
// has no role in is GroupLinkable's 404 {"message":"Not Found"}; unsharing answers 204, a missing link
// 404 Group Link Not Found.
func TestShareProjectWithGroup(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	bobID, bob := e.user(gitlabtest.UserSpec{Username: "bob"})
	g := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "team", Owners: []int64{janeID}})
	p := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "svc", GroupID: g})
	e.s.AddProjectMember(p, bobID, gitlabtest.AccessDeveloper)
	guests := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "guests", Owners: []int64{janeID}})
	foreign := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "foreign", Visibility: "public"})

	resp, err := jane.Projects.ShareProjectWithGroup(p, &gitlab.ShareWithGroupOptions{GroupID: &guests,
		GroupAccess: gitlab.Ptr(gitlab.DeveloperPermissions), ExpiresAt: gitlab.Ptr("2030-01-31")})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	stored, _ := e.s.Project(p)
	require.Len(t, stored.SharedWith, 1)
	link := stored.SharedWith[0]
	assert.Equal(t, []any{guests, gitlabtest.AccessDeveloper, "2030-01-31"}, []any{link.GroupID, link.Level, link.ExpiresAt.Format(time.DateOnly)})
	e.answered(201, fmt.Sprintf(`{"id":%d,"project_id":%d,"group_id":%d`, link.ID, p, guests)+`,"group_access":30,"expires_at":"2030-01-31"}`)

	_, err = jane.Projects.ShareProjectWithGroup(p, &gitlab.ShareWithGroupOptions{GroupID: &g, GroupAccess: gitlab.Ptr(gitlab.DeveloperPermissions)})
	e.refused(err, 409, `{"message":"Project cannot be shared with the group it is in or one of its ancestors."}`)
	_, err = jane.Projects.ShareProjectWithGroup(p, &gitlab.ShareWithGroupOptions{GroupID: &foreign, GroupAccess: gitlab.Ptr(gitlab.DeveloperPermissions)})
	e.refused(err, 404, `{"message":"Not Found"}`)
	_, err = bob.Projects.ShareProjectWithGroup(p, &gitlab.ShareWithGroupOptions{GroupID: &guests, GroupAccess: gitlab.Ptr(gitlab.DeveloperPermissions)})
	e.refused(err, 403, `{"message":"403 Forbidden"}`)

	_, err = bob.Projects.DeleteSharedProjectFromGroup(p, guests)
	e.refused(err, 403, `{"message":"403 Forbidden"}`)
	resp, err = jane.Projects.DeleteSharedProjectFromGroup(p, guests)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	stored, _ = e.s.Project(p)
	assert.Empty(t, stored.SharedWith)
	_, err = jane.Projects.DeleteSharedProjectFromGroup(p, guests)
	e.refused(err, 404, `{"message":"404 Group Link Not Found"}`)
}
