package conformance

import (
	"crypto/md5"
	"encoding/hex"
	"testing"
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gitlab "gitlab.com/gitlab-org/api/client-go/v2"
)

// lib/api/users.rb (project_deploy_keys): the keys enabled in the
// projects both the caller and the user maintain, once per project;
// 403 "No common authorized project found" when there is none.
func TestUserProjectDeployKeys(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	bobID, bob := e.user(gitlabtest.UserSpec{Username: "bob"})
	g := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "ops"})
	api := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "api", GroupID: g, Maintainers: []int64{janeID, bobID}})
	web := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "web", GroupID: g, Maintainers: []int64{janeID}})
	key := gitlabtest.FakeSSHKey("ci")
	id := e.s.AddDeployKey(gitlabtest.DeployKeySpec{Title: "ci", Key: key, WriteProjects: []int64{api}, ReadOnlyProjects: []int64{web}})

	keys, _, err := jane.DeployKeys.ListUserProjectDeployKeys("jane", nil)
	require.NoError(t, err)
	require.Len(t, keys, 2, "enabled in two of jane's projects: listed twice")
	stored := e.s.DeployKeys()[0]
	assert.Equal(t, [5]any{id, "ci", key, stored.Fingerprint, stored.FingerprintSHA256},
		[5]any{keys[0].ID, keys[0].Title, keys[0].Key, keys[0].Fingerprint, keys[0].FingerprintSHA256})

	keys, _, err = bob.DeployKeys.ListUserProjectDeployKeys(janeID, nil)
	require.NoError(t, err)
	assert.Len(t, keys, 1, "api is the one project both maintain")

	_, _, err = e.admin.DeployKeys.ListUserProjectDeployKeys(janeID, nil)
	e.refused(err, 403, `{"message":"403 Forbidden - No common authorized project found"}`)
	_, _, err = jane.DeployKeys.ListUserProjectDeployKeys("ghost", nil)
	e.refused(err, 404, `{"message":"404 User Not Found"}`)
}

// lib/api/deploy_keys.rb: administrators list every deploy key with the
// projects it may write to and those it may only read; public=true
// keeps the instance-wide ones.
func TestListAllDeployKeys(t *testing.T) {
	e := newEnv(t)
	_, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	g := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "ops", Name: "Ops"})
	api := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "api", GroupID: g})
	web := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "web", GroupID: g})
	e.s.AddDeployKey(gitlabtest.DeployKeySpec{Title: "ci", Key: gitlabtest.FakeSSHKey("ci"), WriteProjects: []int64{web}, ReadOnlyProjects: []int64{api}})
	e.s.AddDeployKey(gitlabtest.DeployKeySpec{Title: "mirror", Key: gitlabtest.FakeSSHKey("mirror"), Public: true})

	keys, _, err := e.admin.DeployKeys.ListAllDeployKeys(nil)
	require.NoError(t, err)
	require.Len(t, keys, 2)
	require.Len(t, keys[0].ProjectsWithWriteAccess, 1)
	require.Len(t, keys[0].ProjectsWithReadonlyAccess, 1)
	assert.Equal(t, [3]any{web, "Ops / web", "ops/web"}, [3]any{keys[0].ProjectsWithWriteAccess[0].ID,
		keys[0].ProjectsWithWriteAccess[0].NameWithNamespace, keys[0].ProjectsWithWriteAccess[0].PathWithNamespace})
	assert.Equal(t, api, keys[0].ProjectsWithReadonlyAccess[0].ID)
	assert.Empty(t, keys[1].ProjectsWithWriteAccess)

	keys, _, err = e.admin.DeployKeys.ListAllDeployKeys(&gitlab.ListInstanceDeployKeysOptions{Public: gitlab.Ptr(true)})
	require.NoError(t, err)
	require.Len(t, keys, 1)
	assert.Equal(t, "mirror", keys[0].Title)

	_, _, err = jane.DeployKeys.ListAllDeployKeys(nil)
	e.refused(err, 403, `{"message":"403 Forbidden"}`)
}

// lib/api/events.rb with app/finders/events_finder.rb: the joined and
// left events the members API records (EventCreateService), filtered
// by action, newest first; the caller's own at GET /events.
func TestUserContributionEvents(t *testing.T) {
	e := newEnv(t)
	ownerID, owner := e.user(gitlabtest.UserSpec{Username: "owner"})
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	g := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "ops", Owners: []int64{ownerID}})
	api := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "api", GroupID: g, Visibility: "public"})

	_, _, err := owner.ProjectMembers.AddProjectMember(api, &gitlab.AddProjectMemberOptions{UserID: janeID, AccessLevel: gitlab.Ptr(gitlab.DeveloperPermissions)})
	require.NoError(t, err)
	_, err = owner.ProjectMembers.DeleteProjectMember(api, janeID)
	require.NoError(t, err)
	require.Len(t, e.s.Events(janeID), 2)

	evs, resp, err := owner.Users.ListUserContributionEvents("jane", nil)
	require.NoError(t, err)
	require.Len(t, evs, 2)
	assert.Equal(t, 2, int(resp.TotalItems))
	assert.Equal(t, [2]string{"left", "joined"}, [2]string{evs[0].ActionName, evs[1].ActionName})
	assert.Equal(t, [6]any{api, "Project", api, "api", janeID, "jane"},
		[6]any{evs[0].ProjectID, evs[0].TargetType, evs[0].TargetID, evs[0].TargetTitle, evs[0].AuthorID, evs[0].AuthorUsername})
	assert.Equal(t, "jane", evs[0].Author.Username)

	evs, _, err = owner.Users.ListUserContributionEvents(janeID, &gitlab.ListContributionEventsOptions{
		Action: gitlab.Ptr(gitlab.JoinedEventType), TargetType: gitlab.Ptr(gitlab.ProjectEventTargetType), Sort: gitlab.Ptr("asc")})
	require.NoError(t, err)
	require.Len(t, evs, 1)
	assert.Equal(t, "joined", evs[0].ActionName)

	tomorrow := gitlab.ISOTime(time.Now().UTC().AddDate(0, 0, 1))
	evs, _, err = owner.Users.ListUserContributionEvents(janeID, &gitlab.ListContributionEventsOptions{After: &tomorrow})
	require.NoError(t, err)
	assert.Empty(t, evs)

	evs, _, err = jane.Events.ListCurrentUserContributionEvents(nil)
	require.NoError(t, err)
	assert.Len(t, evs, 2)

	_, _, err = owner.Users.ListUserContributionEvents("ghost", nil)
	e.refused(err, 404, `{"message":"404 User Not Found"}`)
}

// lib/api/avatar.rb: the Gravatar URL of any email at twice the size,
// or the uploaded avatar of the user whose public email it is.
func TestGetAvatar(t *testing.T) {
	e := newEnv(t)
	_, jane := e.user(gitlabtest.UserSpec{Username: "jane", Email: "jane@example.com"})
	sum := md5.Sum([]byte("nobody@example.com"))
	a, _, err := jane.Avatar.GetAvatar(&gitlab.GetAvatarOptions{Email: gitlab.Ptr("Nobody@example.com"), Size: gitlab.Ptr(int64(32))})
	require.NoError(t, err)
	assert.Equal(t, "https://www.gravatar.com/avatar/"+hex.EncodeToString(sum[:])+"?s=64&d=identicon", a.AvatarURL)

	_, _, err = jane.Avatar.GetAvatar(nil)
	e.refused(err, 400, `{"error":"email is missing"}`)
}
