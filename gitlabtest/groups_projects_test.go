package gitlabtest_test

import (
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab/gitlabtest"
)

// The Groups and Projects API through HTTP: status, body and the fake's
// state after each call.

var gpNow = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

// gpServer is a server at gpNow with alice (who may create groups) and
// bob (who may not), and their tokens.
func gpServer(t *testing.T) (s *gitlabtest.Server, admin, alice, bob string, aliceID, bobID int64) {
	t.Helper()
	s = gitlabtest.NewServer(gitlabtest.WithClock(func() time.Time { return gpNow }))
	t.Cleanup(s.Close)
	no := false
	aliceID, alice = s.CreateUser(gitlabtest.UserSpec{Username: "alice", Name: "Alice Liddell"})
	bobID, bob = s.CreateUser(gitlabtest.UserSpec{Username: "bob", CanCreateGroup: &no})
	return s, s.AdminToken(), alice, bob, aliceID, bobID
}

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func id(m map[string]any) int64 { return int64(m["id"].(float64)) }

func TestCreateGroupAnswersGroupDetailAndMakesCreatorOwner(t *testing.T) {
	t.Parallel()
	s, _, alice, _, aliceID, _ := gpServer(t)
	a := fakeCall(t, s, alice, "POST", "/groups", form("name", "Platform", "path", "platform", "description", "infra", "visibility", "internal"))
	require.Equal(t, 201, a.code, a.body)
	m := a.object(t)
	assert.Equal(t, map[string]any{"name": "Platform", "path": "platform", "full_path": "platform", "full_name": "Platform",
		"description": "infra", "visibility": "internal", "parent_id": nil, "web_url": s.URL + "/groups/platform",
		"created_at": "2026-05-04T10:00:00.000Z", "shared_with_groups": []any{}, "projects": []any{}},
		pick(m, "name", "path", "full_path", "full_name", "description", "visibility", "parent_id", "web_url", "created_at", "shared_with_groups", "projects"))
	g, ok := s.Group(id(m))
	require.True(t, ok)
	assert.Equal(t, "internal", g.Visibility)
	u, _ := s.User(aliceID)
	assert.Contains(t, u.Memberships, gitlabtest.UserMembership{SourceID: g.ID, SourceName: "Platform", SourceType: gitlabtest.SourceNamespace, AccessLevel: gitlabtest.AccessOwner})
}

// pick returns m's keys ks.
func pick(m map[string]any, ks ...string) map[string]any {
	out := map[string]any{}
	for _, k := range ks {
		out[k] = m[k]
	}
	return out
}

func TestCreateGroupRefusals(t *testing.T) {
	t.Parallel()
	s, admin, alice, bob, _, _ := gpServer(t)
	parent := s.CreateGroup(gitlabtest.GroupSpec{Path: "parent"})
	p := strconv.FormatInt(parent, 10)
	for _, c := range []struct {
		name, token string
		form        url.Values
		code        int
		body        string
	}{
		{"anonymous", "", form("name", "x", "path", "x"), 401, `{"message":"401 Unauthorized"}`},
		{"missing params", alice, form(), 400, `{"error":"name is missing, path is missing"}`},
		{"bad visibility", alice, form("name", "x", "path", "x", "visibility", "secret"), 400, `{"error":"visibility does not have a valid value"}`},
		{"cannot create groups", bob, form("name", "x", "path", "x"), 403, `{"message":"403 Forbidden"}`},
		{"private parent", alice, form("name", "x", "path", "x", "parent_id", p), 404, `{"message":"404 Group Not Found"}`},
		{"path taken by a user", admin, form("name", "Alice", "path", "alice"), 400, `{"message":"Failed to save group {:path=>[\"has already been taken\"]}"}`},
		{"path format", admin, form("name", "x", "path", "-x"), 400, `{"message":"Failed to save group {:path=>[\"can contain only letters, digits, '_', '-' and '.'. Cannot start with '-' or end in '.', '.git' or '.atom'.\"]}"}`},
	} {
		a := fakeCall(t, s, c.token, "POST", "/groups", c.form)
		assert.Equal(t, c.code, a.code, c.name)
		assert.JSONEq(t, c.body, a.body, c.name)
	}
	_, created := s.Group(parent + 1)
	assert.False(t, created, "nothing was created")
}

func TestCreateSubgroupNeedsMaintainerOfParent(t *testing.T) {
	t.Parallel()
	s, _, alice, bob, aliceID, bobID := gpServer(t)
	parent := s.CreateGroup(gitlabtest.GroupSpec{Path: "parent", Name: "Parent"})
	s.AddGroupMember(parent, aliceID, gitlabtest.AccessMaintainer)
	s.AddGroupMember(parent, bobID, gitlabtest.AccessDeveloper)
	f := form("name", "Child", "path", "child", "parent_id", strconv.FormatInt(parent, 10))
	assert.Equal(t, `403 {"message":"403 Forbidden"}`, fakeCall(t, s, bob, "POST", "/groups", f).status())
	a := fakeCall(t, s, alice, "POST", "/groups", f)
	require.Equal(t, 201, a.code, a.body)
	assert.Equal(t, map[string]any{"full_path": "parent/child", "full_name": "Parent / Child", "parent_id": float64(parent)},
		pick(a.object(t), "full_path", "full_name", "parent_id"))
}

func TestGetGroupHidesPrivateFromNonMembers(t *testing.T) {
	t.Parallel()
	s, _, alice, bob, aliceID, _ := gpServer(t)
	g := s.CreateGroup(gitlabtest.GroupSpec{Path: "priv", Owners: []int64{aliceID}})
	s.CreateProject(gitlabtest.ProjectSpec{Path: "app", GroupID: g})
	a := fakeCall(t, s, alice, "GET", "/groups/priv", nil)
	require.Equal(t, 200, a.code, a.body)
	m := a.object(t)
	assert.Equal(t, float64(g), m["id"])
	require.Len(t, m["projects"], 1)
	assert.Equal(t, "priv/app", m["projects"].([]any)[0].(map[string]any)["path_with_namespace"])
	assert.NotContains(t, fakeCall(t, s, alice, "GET", "/groups/priv?with_projects=false", nil).object(t), "projects")
	assert.Equal(t, `404 {"message":"404 Group Not Found"}`, fakeCall(t, s, bob, "GET", "/groups/priv", nil).status())
	assert.Equal(t, `404 {"message":"404 Group Not Found"}`, fakeCall(t, s, "", "GET", "/groups/"+strconv.FormatInt(g, 10), nil).status())
	assert.Equal(t, `404 {"message":"404 Group Not Found"}`, fakeCall(t, s, alice, "GET", "/groups/nope", nil).status())
}

func TestGetSubgroupByEscapedPath(t *testing.T) {
	t.Parallel()
	s, admin, _, _, _, _ := gpServer(t)
	p := s.CreateGroup(gitlabtest.GroupSpec{Path: "a", Visibility: "public"})
	c := s.CreateGroup(gitlabtest.GroupSpec{Path: "b", ParentID: p, Visibility: "public"})
	a := fakeCall(t, s, admin, "GET", "/groups/a%2Fb", nil)
	require.Equal(t, 200, a.code, a.body)
	assert.Equal(t, float64(c), a.object(t)["id"])
	assert.Equal(t, 200, fakeCall(t, s, "", "GET", "/groups/a%2Fb", nil).code, "public to anonymous callers")
}

func TestListGroupsAndSubgroups(t *testing.T) {
	t.Parallel()
	s, admin, alice, _, aliceID, _ := gpServer(t)
	top := s.CreateGroup(gitlabtest.GroupSpec{Path: "top", Owners: []int64{aliceID}})
	s.CreateGroup(gitlabtest.GroupSpec{Path: "other", Visibility: "public"})
	mid := s.CreateGroup(gitlabtest.GroupSpec{Path: "mid", ParentID: top})
	s.CreateGroup(gitlabtest.GroupSpec{Path: "low", ParentID: mid})

	paths := func(a fakeAnswer) []any {
		require.Equal(t, 200, a.code, a.body)
		var out []any
		for _, m := range a.array(t) {
			out = append(out, m["full_path"])
		}
		return out
	}
	assert.Equal(t, []any{"top"}, paths(fakeCall(t, s, alice, "GET", "/groups?top_level_only=true", nil)))
	assert.Equal(t, []any{"top/mid/low", "top/mid", "other", "top"}, paths(fakeCall(t, s, admin, "GET", "/groups", nil)))
	assert.Equal(t, []any{"other"}, paths(fakeCall(t, s, "", "GET", "/groups", nil)))
	assert.Equal(t, []any{"top/mid"}, paths(fakeCall(t, s, alice, "GET", "/groups/top/subgroups", nil)))
	assert.Equal(t, []any{"top/mid/low", "top/mid"}, paths(fakeCall(t, s, alice, "GET", "/groups/top/descendant_groups", nil)))
	a := fakeCall(t, s, admin, "GET", "/groups?per_page=1&order_by=id", nil)
	assert.Equal(t, "4", a.hdr.Get("X-Total"))
	assert.Equal(t, []any{"top"}, paths(a))
	assert.Equal(t, `400 {"error":"order_by does not have a valid value"}`, fakeCall(t, s, admin, "GET", "/groups?order_by=size", nil).status())
}

func TestUpdateGroupNeedsOwner(t *testing.T) {
	t.Parallel()
	s, _, alice, bob, aliceID, bobID := gpServer(t)
	g := s.CreateGroup(gitlabtest.GroupSpec{Path: "g", Owners: []int64{aliceID}})
	s.AddGroupMember(g, bobID, gitlabtest.AccessMaintainer)
	s.CreateGroup(gitlabtest.GroupSpec{Path: "taken"})
	assert.Equal(t, `403 {"message":"403 Forbidden"}`, fakeCall(t, s, bob, "PUT", "/groups/g", form("name", "X")).status())
	assert.Equal(t, `400 {"message":{"path":["has already been taken"]}}`, fakeCall(t, s, alice, "PUT", "/groups/g", form("path", "taken")).status())
	a := fakeCall(t, s, alice, "PUT", "/groups/g", form("name", "Gee", "path", "gee", "description", "d"))
	require.Equal(t, 200, a.code, a.body)
	assert.Equal(t, map[string]any{"name": "Gee", "full_path": "gee", "description": "d"}, pick(a.object(t), "name", "full_path", "description"))
	snap, _ := s.Group(g)
	assert.Equal(t, []string{"Gee", "gee", "d"}, []string{snap.Name, snap.FullPath, snap.Description})
}

func TestDeleteGroupMarksForDeletionThenRemoves(t *testing.T) {
	t.Parallel()
	s, _, alice, bob, aliceID, bobID := gpServer(t)
	g := s.CreateGroup(gitlabtest.GroupSpec{Path: "g", Owners: []int64{aliceID}})
	s.AddGroupMember(g, bobID, gitlabtest.AccessMaintainer)
	assert.Equal(t, `403 {"message":"403 Forbidden"}`, fakeCall(t, s, bob, "DELETE", "/groups/g", nil).status())
	assert.Equal(t, `202 {"message":"202 Accepted"}`, fakeCall(t, s, alice, "DELETE", "/groups/g", nil).status())
	snap, ok := s.Group(g)
	require.True(t, ok)
	assert.Equal(t, "2026-05-04", snap.MarkedForDeletionOn.Format(time.DateOnly))
	marked := "/groups/g-deletion_scheduled-" + strconv.FormatInt(g, 10)
	assert.Equal(t, "2026-05-04", fakeCall(t, s, alice, "GET", marked, nil).object(t)["marked_for_deletion_on"])
	assert.Equal(t, `400 {"message":"Group has been already marked for deletion"}`, fakeCall(t, s, alice, "DELETE", marked, nil).status())
	assert.Equal(t, `400 {"message":"`+"`full_path`"+` is incorrect. You must enter the complete path for the group."}`,
		fakeCall(t, s, alice, "DELETE", marked+"?permanently_remove=true&full_path=g", nil).status())
	assert.Equal(t, `202 {"message":"202 Accepted"}`, fakeCall(t, s, alice, "DELETE", marked+"?permanently_remove=true&full_path="+snap.FullPath, nil).status())
	_, ok = s.Group(g)
	assert.False(t, ok)
}

func TestShareGroupWithGroupAndUnshare(t *testing.T) {
	t.Parallel()
	s, _, alice, bob, aliceID, bobID := gpServer(t)
	g := s.CreateGroup(gitlabtest.GroupSpec{Path: "g", Owners: []int64{aliceID}})
	with := s.CreateGroup(gitlabtest.GroupSpec{Path: "w", Name: "Web", Owners: []int64{aliceID}})
	s.AddGroupMember(g, bobID, gitlabtest.AccessMaintainer)
	w := strconv.FormatInt(with, 10)

	assert.Equal(t, `400 {"error":"group_id is missing, group_access is missing"}`, fakeCall(t, s, alice, "POST", "/groups/g/share", form()).status())
	assert.Equal(t, `400 {"error":"group_access does not have a valid value"}`, fakeCall(t, s, alice, "POST", "/groups/g/share", form("group_id", w, "group_access", "60")).status())
	assert.Equal(t, `404 {"message":"404 Group Not Found"}`, fakeCall(t, s, alice, "POST", "/groups/g/share", form("group_id", "999", "group_access", "30")).status())
	assert.Equal(t, `404 {"message":"404 Group Not Found"}`, fakeCall(t, s, bob, "POST", "/groups/g/share", form("group_id", w, "group_access", "30")).status(), "bob cannot read w")
	s.AddGroupMember(with, bobID, gitlabtest.AccessGuest)
	assert.Equal(t, `404 {"message":"Not Found"}`, fakeCall(t, s, bob, "POST", "/groups/g/share", form("group_id", w, "group_access", "30")).status(), "bob is no Owner of g")

	a := fakeCall(t, s, alice, "POST", "/groups/g/share", form("group_id", w, "group_access", "30", "expires_at", "2026-06-01"))
	require.Equal(t, 201, a.code, a.body)
	assert.Equal(t, []any{map[string]any{"group_id": float64(with), "group_name": "Web", "group_full_path": "w",
		"group_access_level": float64(30), "expires_at": "2026-06-01"}}, a.object(t)["shared_with_groups"])
	snap, _ := s.Group(g)
	require.Len(t, snap.SharedWith, 1)
	assert.Equal(t, []any{with, 30, "2026-06-01"}, []any{snap.SharedWith[0].GroupID, snap.SharedWith[0].Level, snap.SharedWith[0].ExpiresAt.Format(time.DateOnly)})
	assert.Equal(t, `409 {"message":"Shared group The group has already been shared with this group"}`,
		fakeCall(t, s, alice, "POST", "/groups/g/share", form("group_id", w, "group_access", "10")).status())

	assert.Equal(t, "204 ", fakeCall(t, s, bob, "DELETE", "/groups/g/share/"+w, nil).status(), "a Maintainer's unshare does nothing")
	snap, _ = s.Group(g)
	assert.Len(t, snap.SharedWith, 1)
	assert.Equal(t, "204 ", fakeCall(t, s, alice, "DELETE", "/groups/g/share/"+w, nil).status())
	snap, _ = s.Group(g)
	assert.Empty(t, snap.SharedWith)
	assert.Equal(t, `404 {"message":"404 Group Link Not Found"}`, fakeCall(t, s, alice, "DELETE", "/groups/g/share/"+w, nil).status())
	assert.Equal(t, `400 {"error":"group_id is invalid"}`, fakeCall(t, s, alice, "DELETE", "/groups/g/share/x", nil).status())
}

func TestGroupSnapshotCopiesShares(t *testing.T) {
	t.Parallel()
	s, _, _, _, _, _ := gpServer(t)
	g := s.CreateGroup(gitlabtest.GroupSpec{Path: "g"})
	with := s.CreateGroup(gitlabtest.GroupSpec{Path: "w"})
	exp := gpNow.AddDate(0, 1, 0)
	s.ShareGroup(g, with, gitlabtest.AccessReporter, &exp)
	snap, _ := s.Group(g)
	*snap.SharedWith[0].ExpiresAt = gpNow
	snap.SharedWith[0].Level = gitlabtest.AccessOwner
	again, _ := s.Group(g)
	assert.Equal(t, []any{gitlabtest.AccessReporter, exp}, []any{again.SharedWith[0].Level, *again.SharedWith[0].ExpiresAt})
}

func TestCreatePersonalProjectAnswersUserNamespace(t *testing.T) {
	t.Parallel()
	s, _, alice, _, aliceID, _ := gpServer(t)
	a := fakeCall(t, s, alice, "POST", "/projects", form("name", "My App", "description", "d"))
	require.Equal(t, 201, a.code, a.body)
	m := a.object(t)
	assert.Equal(t, map[string]any{"name": "My App", "path": "my-app", "path_with_namespace": "alice/my-app",
		"name_with_namespace": "Alice Liddell / My App", "description": "d", "visibility": "private",
		"web_url": s.URL + "/alice/my-app", "default_branch": nil, "created_at": "2026-05-04T10:00:00.000Z", "shared_with_groups": []any{}},
		pick(m, "name", "path", "path_with_namespace", "name_with_namespace", "description", "visibility", "web_url", "default_branch", "created_at", "shared_with_groups"))
	ns := m["namespace"].(map[string]any)
	assert.Equal(t, map[string]any{"name": "Alice Liddell", "path": "alice", "kind": "user", "full_path": "alice", "parent_id": nil, "web_url": s.URL + "/alice"},
		pick(ns, "name", "path", "kind", "full_path", "parent_id", "web_url"))
	assert.Equal(t, "alice", m["owner"].(map[string]any)["username"])
	p, ok := s.Project(id(m))
	require.True(t, ok)
	assert.Equal(t, []any{aliceID, int64(0), "alice/my-app"}, []any{p.OwnerID, p.GroupID, p.PathWithNamespace})
	u, _ := s.User(aliceID)
	assert.Contains(t, u.Memberships, gitlabtest.UserMembership{SourceID: p.ID, SourceName: "My App", SourceType: gitlabtest.SourceProject, AccessLevel: gitlabtest.AccessOwner})
}

func TestCreateProjectRefusals(t *testing.T) {
	t.Parallel()
	s, _, alice, bob, aliceID, bobID := gpServer(t)
	g := s.CreateGroup(gitlabtest.GroupSpec{Path: "g", Visibility: "internal"})
	s.AddGroupMember(g, aliceID, gitlabtest.AccessDeveloper)
	s.AddGroupMember(g, bobID, gitlabtest.AccessReporter)
	gs := strconv.FormatInt(g, 10)
	zero := 0
	_, carol := s.CreateUser(gitlabtest.UserSpec{Username: "carol", ProjectsLimit: &zero})
	for _, c := range []struct {
		name, token string
		form        url.Values
		code        int
		body        string
	}{
		{"anonymous", "", form("name", "x"), 401, `{"message":"401 Unauthorized"}`},
		{"no name or path", alice, form(), 400, `{"error":"name, path are missing, at least one parameter must be provided"}`},
		{"reporter in group", bob, form("name", "x", "namespace_id", gs), 400, `{"message":{"namespace":["is not valid"]}}`},
		{"unknown namespace", alice, form("name", "x", "namespace_id", "999"), 400, `{"message":{"namespace":["is not valid"]}}`},
		{"above the group's visibility", alice, form("name", "x", "namespace_id", gs, "visibility", "public"), 400, `{"message":{"visibility_level":["public is not allowed in a internal group."]}}`},
		{"projects limit", carol, form("name", "x"), 403, `{"message":["Personal project creation is not allowed. Please contact your administrator with questions"]}`},
	} {
		a := fakeCall(t, s, c.token, "POST", "/projects", c.form)
		assert.Equal(t, c.code, a.code, c.name)
		assert.JSONEq(t, c.body, a.body, c.name)
	}
	_, created := s.Project(1)
	assert.False(t, created, "nothing was created")

	a := fakeCall(t, s, alice, "POST", "/projects", form("path", "app", "namespace_id", gs))
	require.Equal(t, 201, a.code, a.body)
	m := a.object(t)
	assert.Equal(t, map[string]any{"path_with_namespace": "g/app", "name": "app"}, pick(m, "path_with_namespace", "name"))
	assert.Equal(t, map[string]any{"id": float64(g), "kind": "group", "full_path": "g"}, pick(m["namespace"].(map[string]any), "id", "kind", "full_path"))
	assert.NotContains(t, m, "owner")
	assert.Equal(t, `400 {"message":{"name":["has already been taken"],"path":["has already been taken"]}}`,
		fakeCall(t, s, alice, "POST", "/projects", form("path", "app", "namespace_id", gs)).status())
}

func TestAdminCreatesProjectForUser(t *testing.T) {
	t.Parallel()
	s, admin, alice, _, aliceID, _ := gpServer(t)
	u := strconv.FormatInt(aliceID, 10)
	assert.Equal(t, `403 {"message":"403 Forbidden"}`, fakeCall(t, s, alice, "POST", "/projects/user/"+u, form("name", "x")).status())
	assert.Equal(t, `404 {"message":"404 User Not Found"}`, fakeCall(t, s, admin, "POST", "/projects/user/999", form("name", "x")).status())
	a := fakeCall(t, s, admin, "POST", "/projects/user/"+u, form("name", "tool"))
	require.Equal(t, 201, a.code, a.body)
	assert.Equal(t, "alice/tool", a.object(t)["path_with_namespace"])
	p, _ := s.Project(id(a.object(t)))
	assert.Equal(t, aliceID, p.OwnerID)
}

func TestGetProjectHidesPrivateFromNonMembers(t *testing.T) {
	t.Parallel()
	s, _, alice, bob, aliceID, _ := gpServer(t)
	g := s.CreateGroup(gitlabtest.GroupSpec{Path: "g", Owners: []int64{aliceID}})
	p := s.CreateProject(gitlabtest.ProjectSpec{Path: "app", GroupID: g})
	a := fakeCall(t, s, alice, "GET", "/projects/g%2Fapp", nil)
	require.Equal(t, 200, a.code, a.body)
	assert.Equal(t, float64(p), a.object(t)["id"])
	assert.Equal(t, `404 {"message":"404 Project Not Found"}`, fakeCall(t, s, bob, "GET", "/projects/"+strconv.FormatInt(p, 10), nil).status())
	assert.Equal(t, `404 {"message":"404 Project Not Found"}`, fakeCall(t, s, "", "GET", "/projects/g%2Fapp", nil).status())
}

func TestListProjectsOfGroupUserAndInstance(t *testing.T) {
	t.Parallel()
	s, admin, alice, bob, aliceID, _ := gpServer(t)
	g := s.CreateGroup(gitlabtest.GroupSpec{Path: "g", Visibility: "public"})
	sub := s.CreateGroup(gitlabtest.GroupSpec{Path: "s", ParentID: g})
	s.CreateProject(gitlabtest.ProjectSpec{Path: "pub", GroupID: g, Visibility: "public"})
	s.CreateProject(gitlabtest.ProjectSpec{Path: "deep", GroupID: sub})
	s.CreateProject(gitlabtest.ProjectSpec{Path: "mine", OwnerID: aliceID})
	paths := func(a fakeAnswer) []any {
		require.Equal(t, 200, a.code, a.body)
		var out []any
		for _, m := range a.array(t) {
			out = append(out, m["path_with_namespace"])
		}
		return out
	}
	assert.Equal(t, []any{"alice/mine", "g/s/deep", "g/pub"}, paths(fakeCall(t, s, admin, "GET", "/projects", nil)))
	assert.Equal(t, []any{"alice/mine", "g/pub"}, paths(fakeCall(t, s, alice, "GET", "/projects", nil)))
	assert.Equal(t, []any{"alice/mine"}, paths(fakeCall(t, s, alice, "GET", "/projects?owned=true", nil)))
	assert.Equal(t, []any{"g/pub"}, paths(fakeCall(t, s, bob, "GET", "/projects?order_by=name&sort=asc", nil)))
	assert.Equal(t, []any{"g/pub"}, paths(fakeCall(t, s, admin, "GET", "/groups/g/projects", nil)))
	assert.Equal(t, []any{"g/s/deep", "g/pub"}, paths(fakeCall(t, s, admin, "GET", "/groups/g/projects?include_subgroups=true", nil)))
	assert.Equal(t, []any{"alice/mine"}, paths(fakeCall(t, s, alice, "GET", "/users/alice/projects", nil)))
	assert.Nil(t, paths(fakeCall(t, s, bob, "GET", "/users/alice/projects", nil)), "private to bob")
	assert.Equal(t, `404 {"message":"404 User Not Found"}`, fakeCall(t, s, bob, "GET", "/users/nobody/projects", nil).status())
}

func TestUpdateProjectNeedsMaintainerAndOwnerToRename(t *testing.T) {
	t.Parallel()
	s, _, alice, bob, aliceID, bobID := gpServer(t)
	g := s.CreateGroup(gitlabtest.GroupSpec{Path: "g", Owners: []int64{aliceID}})
	p := s.CreateProject(gitlabtest.ProjectSpec{Path: "app", GroupID: g, Maintainers: []int64{bobID}})
	assert.Equal(t, `403 {"message":"403 Forbidden"}`, fakeCall(t, s, bob, "PUT", "/projects/g%2Fapp", form("name", "New")).status())
	a := fakeCall(t, s, bob, "PUT", "/projects/g%2Fapp", form("description", "d", "path", "svc"))
	require.Equal(t, 200, a.code, a.body)
	assert.Equal(t, map[string]any{"description": "d", "path_with_namespace": "g/svc"}, pick(a.object(t), "description", "path_with_namespace"))
	a = fakeCall(t, s, alice, "PUT", "/projects/g%2Fsvc", form("name", "Service"))
	require.Equal(t, 200, a.code, a.body)
	snap, _ := s.Project(p)
	assert.Equal(t, []string{"Service", "svc", "d"}, []string{snap.Name, snap.Path, snap.Description})
}

func TestDeleteProjectMarksForDeletionThenRemoves(t *testing.T) {
	t.Parallel()
	s, _, alice, _, aliceID, _ := gpServer(t)
	p := s.CreateProject(gitlabtest.ProjectSpec{Path: "app", OwnerID: aliceID})
	assert.Equal(t, `202 {"message":"202 Accepted"}`, fakeCall(t, s, alice, "DELETE", "/projects/alice%2Fapp", nil).status())
	snap, _ := s.Project(p)
	require.NotNil(t, snap.MarkedForDeletionOn)
	marked := "/projects/" + url.PathEscape(snap.PathWithNamespace)
	assert.Equal(t, `400 {"message":"Project has been already marked for deletion"}`, fakeCall(t, s, alice, "DELETE", marked, nil).status())
	assert.Equal(t, `202 {"message":"202 Accepted"}`, fakeCall(t, s, alice, "DELETE", marked+"?permanently_remove=true&full_path="+url.QueryEscape(snap.PathWithNamespace), nil).status())
	_, ok := s.Project(p)
	assert.False(t, ok)
}

func TestShareProjectWithGroupAndUnshare(t *testing.T) {
	t.Parallel()
	s, _, alice, bob, aliceID, bobID := gpServer(t)
	g := s.CreateGroup(gitlabtest.GroupSpec{Path: "g", Owners: []int64{aliceID}})
	with := s.CreateGroup(gitlabtest.GroupSpec{Path: "w", Owners: []int64{aliceID}})
	p := s.CreateProject(gitlabtest.ProjectSpec{Path: "app", GroupID: g})
	s.AddProjectMember(p, bobID, gitlabtest.AccessDeveloper)
	w, gs := strconv.FormatInt(with, 10), strconv.FormatInt(g, 10)

	assert.Equal(t, `403 {"message":"403 Forbidden"}`, fakeCall(t, s, bob, "POST", "/projects/g%2Fapp/share", form("group_id", w, "group_access", "30")).status())
	assert.Equal(t, `404 {"message":"Not Found"}`, fakeCall(t, s, alice, "POST", "/projects/g%2Fapp/share", form("group_id", "999", "group_access", "30")).status())
	assert.Equal(t, `409 {"message":"Project cannot be shared with the group it is in or one of its ancestors."}`,
		fakeCall(t, s, alice, "POST", "/projects/g%2Fapp/share", form("group_id", gs, "group_access", "30")).status())
	a := fakeCall(t, s, alice, "POST", "/projects/g%2Fapp/share", form("group_id", w, "group_access", "20", "expires_at", "2026-07-01"))
	require.Equal(t, 201, a.code, a.body)
	m := a.object(t)
	assert.Equal(t, map[string]any{"project_id": float64(p), "group_id": float64(with), "group_access": float64(20), "expires_at": "2026-07-01"},
		pick(m, "project_id", "group_id", "group_access", "expires_at"))
	assert.NotZero(t, m["id"])
	assert.Equal(t, `409 {"message":"Group already shared with this group"}`,
		fakeCall(t, s, alice, "POST", "/projects/g%2Fapp/share", form("group_id", w, "group_access", "20")).status())
	got := fakeCall(t, s, alice, "GET", "/projects/g%2Fapp", nil).object(t)["shared_with_groups"]
	assert.Equal(t, []any{map[string]any{"group_id": float64(with), "group_name": "w", "group_full_path": "w", "group_access_level": float64(20), "expires_at": "2026-07-01"}}, got)

	assert.Equal(t, "204 ", fakeCall(t, s, alice, "DELETE", "/projects/g%2Fapp/share/"+w, nil).status())
	snap, _ := s.Project(p)
	assert.Empty(t, snap.SharedWith)
	assert.Equal(t, `404 {"message":"404 Group Link Not Found"}`, fakeCall(t, s, alice, "DELETE", "/projects/g%2Fapp/share/"+w, nil).status())
}

func TestSeedSharesProjectAndCopiesShares(t *testing.T) {
	t.Parallel()
	s, _, _, _, aliceID, _ := gpServer(t)
	with := s.CreateGroup(gitlabtest.GroupSpec{Path: "w"})
	p := s.CreateProject(gitlabtest.ProjectSpec{Path: "app", OwnerID: aliceID})
	s.ShareProject(p, with, gitlabtest.AccessDeveloper, nil)
	snap, _ := s.Project(p)
	require.Len(t, snap.SharedWith, 1)
	snap.SharedWith[0].Level = 0
	again, _ := s.Project(p)
	assert.Equal(t, gitlabtest.AccessDeveloper, again.SharedWith[0].Level)
	assert.Equal(t, "alice/app", again.PathWithNamespace)
	assert.Panics(t, func() { s.ShareProject(p, with, gitlabtest.AccessDeveloper, nil) }, "already shared")
}
