package conformance

import (
	"testing"

	"github.com/gitlabusers/gitlab/gitlabtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gitlab "gitlab.com/gitlab-org/api/client-go/v2"
)

// ee/lib/api/audit_events.rb: administrators read every audit event;
// the events are those GitLab's services record, here EE
// Users::BlockService's user_blocked. Others get 403; an unknown ID is
// RecordNotFound, "404 Not found".
func TestInstanceAuditEvents(t *testing.T) {
	e := newEnv(t)
	janeID, _ := e.user(gitlabtest.UserSpec{Username: "jane"})
	_, bob := e.user(gitlabtest.UserSpec{Username: "bob"})
	_, err := e.admin.Users.BlockUser(janeID)
	require.NoError(t, err)

	events, _, err := e.admin.AuditEvents.ListInstanceAuditEvents(nil)
	require.NoError(t, err)
	require.Len(t, events, 1)
	ev := events[0]
	assert.Equal(t, [4]any{"user_blocked", "User", janeID, "Blocked user"}, [4]any{ev.EventName, ev.EntityType, ev.EntityID, ev.Details.CustomMessage})
	assert.Equal(t, [3]any{"jane", "User", float64(janeID)}, [3]any{ev.Details.TargetDetails, ev.Details.TargetType, ev.Details.TargetID})
	stored := e.s.AuditEvents()
	require.Len(t, stored, 1)
	assert.Equal(t, stored[0].ID, ev.ID)

	got, _, err := e.admin.AuditEvents.GetInstanceAuditEvent(ev.ID)
	require.NoError(t, err)
	assert.Equal(t, ev.ID, got.ID)
	_, _, err = e.admin.AuditEvents.GetInstanceAuditEvent(999)
	e.refused(err, 404, `{"message":"404 Not found"}`)
	_, _, err = bob.AuditEvents.ListInstanceAuditEvents(nil)
	e.refused(err, 403, `{"message":"403 Forbidden"}`)
}

// ee/lib/ee/api/groups.rb and ee/app/finders/audit_events/
// group_audit_event_finder.rb: a group's Owner reads every event of the
// group (here EE Members::CreateService's member_created), a Developer
// only their own, a Reporter nothing (403).
func TestGroupAuditEvents(t *testing.T) {
	e := newEnv(t)
	ownerID, owner := e.user(gitlabtest.UserSpec{Username: "owner"})
	janeID, _ := e.user(gitlabtest.UserSpec{Username: "jane", Name: "Jane Doe"})
	devID, dev := e.user(gitlabtest.UserSpec{Username: "dev"})
	repID, rep := e.user(gitlabtest.UserSpec{Username: "rep"})
	top := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "top", Owners: []int64{ownerID}})
	e.s.AddGroupMember(top, devID, gitlabtest.AccessDeveloper)
	e.s.AddGroupMember(top, repID, gitlabtest.AccessReporter)
	_, _, err := owner.GroupMembers.AddGroupMember(top, &gitlab.AddGroupMemberOptions{UserID: &janeID, AccessLevel: gitlab.Ptr(gitlab.DeveloperPermissions)})
	require.NoError(t, err)

	events, _, err := owner.AuditEvents.ListGroupAuditEvents(top, nil)
	require.NoError(t, err)
	require.Len(t, events, 1)
	ev := events[0]
	assert.Equal(t, [5]any{"member_created", ownerID, "Group", top, "user_access"}, [5]any{ev.EventName, ev.AuthorID, ev.EntityType, ev.EntityID, ev.Details.Add})
	assert.Equal(t, [2]any{"Developer", "Jane Doe"}, [2]any{ev.Details.As, ev.Details.TargetDetails})
	got, _, err := owner.AuditEvents.GetGroupAuditEvent(top, ev.ID)
	require.NoError(t, err)
	assert.Equal(t, ev.ID, got.ID)

	mine, _, err := dev.AuditEvents.ListGroupAuditEvents(top, nil)
	require.NoError(t, err)
	assert.Empty(t, mine, "a developer sees only the events they authored")
	_, _, err = dev.AuditEvents.GetGroupAuditEvent(top, ev.ID)
	e.refused(err, 404, `{"message":"404 Not found"}`)
	_, _, err = rep.AuditEvents.ListGroupAuditEvents(top, nil)
	e.refused(err, 403, `{"message":"403 Forbidden"}`)
}

// ee/lib/ee/api/projects.rb: a project's events, here EE
// ResourceAccessTokens::CreateService's project_access_token_created
// and Members::DestroyService's member_destroyed, newest first.
func TestProjectAuditEvents(t *testing.T) {
	e := newEnv(t)
	ownerID, owner := e.user(gitlabtest.UserSpec{Username: "owner"})
	janeID, _ := e.user(gitlabtest.UserSpec{Username: "jane"})
	g := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "ops"})
	p := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "api", GroupID: g, Owners: []int64{ownerID}})
	e.s.AddProjectMember(p, janeID, gitlabtest.AccessDeveloper)
	_, err := owner.ProjectMembers.DeleteProjectMember(p, janeID)
	require.NoError(t, err)

	events, _, err := owner.AuditEvents.ListProjectAuditEvents("ops/api", nil)
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, [4]any{"member_destroyed", "Project", p, "user_access"}, [4]any{events[0].EventName, events[0].EntityType, events[0].EntityID, events[0].Details.Remove})
	got, _, err := owner.AuditEvents.GetProjectAuditEvent(p, events[0].ID)
	require.NoError(t, err)
	assert.Equal(t, events[0].ID, got.ID)
	_, _, err = owner.AuditEvents.GetProjectAuditEvent(p, events[0].ID+1)
	e.refused(err, 404, `{"message":"404 Not found"}`)
}
