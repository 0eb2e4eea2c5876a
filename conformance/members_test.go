package conformance

import (
	"testing"
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gitlab "gitlab.com/gitlab-org/api/client-go/v2"
)

// levels returns the member rows' access levels by user.
func levels(rows []gitlabtest.MemberSnapshot) map[int64]int {
	out := map[int64]int{}
	for _, m := range rows {
		out[m.UserID] = m.AccessLevel
	}
	return out
}

// groupMemberNames returns the members' usernames in order.
func groupMemberNames(ms []*gitlab.GroupMember) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, m.Username)
	}
	return out
}

// lib/api/members.rb for a group: POST members
// (Members::CreateService) answers 201 with the Member entity, 409
// "Member already exists" for a member, 403 for a caller who may not
// manage members; GET members lists the direct members (user_ids
// filters), members/all the inherited ones too; GET members/:user_id
// finds only a direct member (404 Not found, source.members.find_by!);
// PUT changes the level and expiry; DELETE answers 204; the last Owner
// can be neither demoted nor removed (403).
func TestGroupMembers(t *testing.T) {
	e := newEnv(t)
	ownerID, owner := e.user(gitlabtest.UserSpec{Username: "owner"})
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	devID, _ := e.user(gitlabtest.UserSpec{Username: "dev"})
	top := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "top", Owners: []int64{ownerID}})
	sub := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "sub", ParentID: top})
	expires := time.Now().AddDate(1, 0, 0)

	m, resp, err := owner.GroupMembers.AddGroupMember(top, &gitlab.AddGroupMemberOptions{UserID: &janeID,
		AccessLevel: gitlab.Ptr(gitlab.DeveloperPermissions), ExpiresAt: gitlab.Ptr(day(expires))})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, []any{janeID, "jane", gitlab.DeveloperPermissions, day(expires)}, []any{m.ID, m.Username, m.AccessLevel, m.ExpiresAt.String()})
	require.NotNil(t, m.CreatedBy)
	assert.Equal(t, ownerID, m.CreatedBy.ID)
	assert.Equal(t, map[int64]int{ownerID: gitlabtest.AccessOwner, janeID: gitlabtest.AccessDeveloper}, levels(e.s.Members(gitlabtest.GroupSource(top))))
	_, _, err = owner.GroupMembers.AddGroupMember(top, &gitlab.AddGroupMemberOptions{UserID: &janeID, AccessLevel: gitlab.Ptr(gitlab.DeveloperPermissions)})
	e.refused(err, 409, `{"message":"Member already exists"}`)
	_, _, err = jane.GroupMembers.AddGroupMember(top, &gitlab.AddGroupMemberOptions{UserID: &devID, AccessLevel: gitlab.Ptr(gitlab.GuestPermissions)})
	e.refused(err, 403, `{"message":"403 Forbidden"}`)

	ms, resp, err := owner.Groups.ListGroupMembers(top, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, []string{"owner", "jane"}, groupMemberNames(ms))
	ms, _, err = owner.Groups.ListGroupMembers(top, &gitlab.ListGroupMembersOptions{UserIDs: &[]int64{janeID}})
	require.NoError(t, err)
	assert.Equal(t, []string{"jane"}, groupMemberNames(ms), "client-go sends user_ids[]")
	ms, _, err = owner.Groups.ListGroupMembers(sub, nil)
	require.NoError(t, err)
	assert.Empty(t, ms, "no direct member")
	ms, resp, err = owner.Groups.ListAllGroupMembers(sub, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, []string{"owner", "jane"}, groupMemberNames(ms), "inherited from top")

	_, _, err = owner.GroupMembers.GetGroupMember(sub, ownerID)
	e.refused(err, 404, `{"message":"404 Not found"}`)
	m, resp, err = owner.GroupMembers.GetInheritedGroupMember(sub, ownerID)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, gitlab.OwnerPermissions, m.AccessLevel)
	m, _, err = owner.GroupMembers.GetGroupMember("top", janeID)
	require.NoError(t, err)
	assert.Equal(t, gitlab.DeveloperPermissions, m.AccessLevel)

	m, resp, err = owner.GroupMembers.EditGroupMember(top, janeID, &gitlab.EditGroupMemberOptions{AccessLevel: gitlab.Ptr(gitlab.MaintainerPermissions), ExpiresAt: gitlab.Ptr("")})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, gitlab.MaintainerPermissions, m.AccessLevel)
	assert.Nil(t, m.ExpiresAt, "an empty expires_at clears it")
	assert.Equal(t, gitlabtest.AccessMaintainer, levels(e.s.Members(gitlabtest.GroupSource(top)))[janeID])
	_, _, err = e.admin.GroupMembers.EditGroupMember(top, ownerID, &gitlab.EditGroupMemberOptions{AccessLevel: gitlab.Ptr(gitlab.DeveloperPermissions)})
	e.refused(err, 403, `{"message":"403 Forbidden"}`)
	_, _, err = owner.GroupMembers.EditGroupMember(top, devID, &gitlab.EditGroupMemberOptions{AccessLevel: gitlab.Ptr(gitlab.DeveloperPermissions)})
	e.refused(err, 404, `{"message":"404 Not found"}`)

	_, err = owner.GroupMembers.RemoveGroupMember(top, ownerID, nil)
	e.refused(err, 403, `{"message":"403 Forbidden"}`)
	resp, err = owner.GroupMembers.RemoveGroupMember(top, janeID, &gitlab.RemoveGroupMemberOptions{SkipSubresources: gitlab.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	assert.Equal(t, map[int64]int{ownerID: gitlabtest.AccessOwner}, levels(e.s.Members(gitlabtest.GroupSource(top))))
}

// lib/api/members.rb for a project, as for a group; a Maintainer may
// not grant Owner (403: Members::CreateService and
// ProjectMember#owner? rules, app/policies/project_policy.rb).
func TestProjectMembers(t *testing.T) {
	e := newEnv(t)
	ownerID, _ := e.user(gitlabtest.UserSpec{Username: "owner"})
	maintID, maint := e.user(gitlabtest.UserSpec{Username: "maint"})
	janeID, _ := e.user(gitlabtest.UserSpec{Username: "jane"})
	g := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "team", Owners: []int64{ownerID}})
	p := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "api", GroupID: g, Maintainers: []int64{maintID}})

	m, resp, err := maint.ProjectMembers.AddProjectMember(p, &gitlab.AddProjectMemberOptions{Username: gitlab.Ptr("jane"), AccessLevel: gitlab.Ptr(gitlab.ReporterPermissions)})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, []any{janeID, gitlab.ReporterPermissions}, []any{m.ID, m.AccessLevel})
	assert.Equal(t, map[int64]int{maintID: gitlabtest.AccessMaintainer, janeID: gitlabtest.AccessReporter}, levels(e.s.Members(gitlabtest.ProjectSource(p))))
	_, _, err = maint.ProjectMembers.AddProjectMember(p, &gitlab.AddProjectMemberOptions{UserID: ownerID, AccessLevel: gitlab.Ptr(gitlab.OwnerPermissions)})
	e.refused(err, 403, `{"message":"403 Forbidden"}`)

	ms, resp, err := maint.ProjectMembers.ListProjectMembers("team/api", nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Len(t, ms, 2)
	ms, resp, err = maint.ProjectMembers.ListAllProjectMembers(p, &gitlab.ListProjectMembersOptions{Query: gitlab.Ptr("own")})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	require.Len(t, ms, 1)
	assert.Equal(t, []any{ownerID, gitlab.OwnerPermissions}, []any{ms[0].ID, ms[0].AccessLevel}, "the group's Owner")

	m, resp, err = maint.ProjectMembers.GetProjectMember(p, janeID)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, gitlab.ReporterPermissions, m.AccessLevel)
	_, _, err = maint.ProjectMembers.GetProjectMember(p, ownerID)
	e.refused(err, 404, `{"message":"404 Not found"}`)
	m, resp, err = maint.ProjectMembers.GetInheritedProjectMember(p, ownerID)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, gitlab.OwnerPermissions, m.AccessLevel)

	m, resp, err = maint.ProjectMembers.EditProjectMember(p, janeID, &gitlab.EditProjectMemberOptions{AccessLevel: gitlab.Ptr(gitlab.DeveloperPermissions)})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, gitlab.DeveloperPermissions, m.AccessLevel)
	assert.Equal(t, gitlabtest.AccessDeveloper, levels(e.s.Members(gitlabtest.ProjectSource(p)))[janeID])

	resp, err = maint.ProjectMembers.DeleteProjectMember(p, janeID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	assert.NotContains(t, levels(e.s.Members(gitlabtest.ProjectSource(p))), janeID)
	_, err = maint.ProjectMembers.DeleteProjectMember(p, janeID)
	e.refused(err, 404, `{"message":"404 Not found"}`)
}

// ee/lib/ee/api/members.rb: billable_members of a top-level group for
// its Owners (400 "400 Bad request" for a subgroup or a Maintainer),
// each with its membership_type; a billable member's memberships in
// the hierarchy; DELETE removes the user from the whole hierarchy
// (BillableMembers::DestroyService), 204.
func TestBillableGroupMembers(t *testing.T) {
	e := newEnv(t)
	ownerID, owner := e.user(gitlabtest.UserSpec{Username: "owner"})
	maintID, maint := e.user(gitlabtest.UserSpec{Username: "maint"})
	devID, _ := e.user(gitlabtest.UserSpec{Username: "dev"})
	top := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "top", Owners: []int64{ownerID}})
	sub := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "sub", ParentID: top})
	p := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "api", GroupID: sub})
	e.s.AddGroupMember(top, maintID, gitlabtest.AccessMaintainer)
	e.s.AddProjectMember(p, devID, gitlabtest.AccessDeveloper)

	bs, resp, err := owner.Groups.ListBillableGroupMembers(top, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	var got []string
	for _, b := range bs {
		got = append(got, b.Username+" "+b.MembershipType)
	}
	assert.ElementsMatch(t, []string{"owner group_member", "maint group_member", "dev project_member"}, got)
	_, _, err = owner.Groups.ListBillableGroupMembers(sub, nil)
	e.refused(err, 400, `{"message":"400 Bad request"}`)
	_, _, err = maint.Groups.ListBillableGroupMembers(top, nil)
	e.refused(err, 400, `{"message":"400 Bad request"}`)

	ms, resp, err := owner.Groups.ListMembershipsForBillableGroupMember(top, devID, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	require.Len(t, ms, 1)
	assert.Equal(t, []any{p, "top / sub / api", gitlab.DeveloperPermissions, "Developer"},
		[]any{ms[0].SourceID, ms[0].SourceFullName, ms[0].AccessLevel.IntegerValue, ms[0].AccessLevel.StringValue})

	_, err = owner.Groups.RemoveBillableGroupMember(sub, devID)
	e.refused(err, 400, `{"message":"400 Bad request - Must be a root namespace"}`)
	resp, err = owner.Groups.RemoveBillableGroupMember(top, devID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	assert.Empty(t, e.s.Members(gitlabtest.ProjectSource(p)), "removed from the project below")
}

// lib/api/invitations.rb: POST invitations (Members::InviteService)
// adds an existing user's email at once and stores an invitation for
// another, 201 {"status":"success"}; a refused one is 201 with
// "status":"error" and the messages by email; GET lists the pending
// invitations (Entities::Invitation) to those who may admin members
// (403 else).
func TestInvitations(t *testing.T) {
	e := newEnv(t)
	ownerID, owner := e.user(gitlabtest.UserSpec{Username: "owner"})
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane", Email: "jane@example.com"})
	g := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "team", Owners: []int64{ownerID}})
	p := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "api", GroupID: g})

	res, resp, err := owner.Invites.GroupInvites(g, &gitlab.InvitesOptions{Email: gitlab.Ptr("jane@example.com,new@example.com"),
		AccessLevel: gitlab.Ptr(gitlab.ReporterPermissions)})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, &gitlab.InvitesResult{Status: "success"}, res)
	assert.Equal(t, gitlabtest.AccessReporter, levels(e.s.Members(gitlabtest.GroupSource(g)))[janeID], "an existing user's email adds them")
	inv := e.s.Invitations(gitlabtest.GroupSource(g))
	require.Len(t, inv, 1)
	assert.Equal(t, "new@example.com", inv[0].InviteEmail)

	res, _, err = owner.Invites.GroupInvites(g, &gitlab.InvitesOptions{Email: gitlab.Ptr("late@example.com"),
		AccessLevel: gitlab.Ptr(gitlab.ReporterPermissions), ExpiresAt: gitlab.Ptr(gitlab.ISOTime(time.Now().AddDate(0, 0, -2)))})
	require.NoError(t, err)
	assert.Equal(t, &gitlab.InvitesResult{Status: "error", Message: map[string]string{"late@example.com": "Expires at cannot be a date in the past"}}, res)

	pending, resp, err := owner.Invites.ListPendingGroupInvitations(g, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	require.Len(t, pending, 1)
	assert.Equal(t, []any{"new@example.com", gitlab.ReporterPermissions, "owner"}, []any{pending[0].InviteEmail, pending[0].AccessLevel, pending[0].CreatedByName})
	_, _, err = jane.Invites.ListPendingGroupInvitations(g, nil)
	e.refused(err, 403, `{"message":"403 Forbidden"}`)

	res, resp, err = owner.Invites.ProjectInvites(p, &gitlab.InvitesOptions{Email: gitlab.Ptr("later@example.com"),
		AccessLevel: gitlab.Ptr(gitlab.DeveloperPermissions), ExpiresAt: gitlab.Ptr(gitlab.ISOTime(time.Now().AddDate(0, 1, 0)))})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "success", res.Status)
	require.Len(t, e.s.Invitations(gitlabtest.ProjectSource(p)), 1)
	_, resp, err = owner.Invites.ListPendingProjectInvitations(p, nil)
	assert.Equal(t, 200, resp.StatusCode)
	assert.ErrorContains(t, err, "parsing time", "client-go's PendingInvite.ExpiresAt is a time.Time; GitLab sends a date (C11)")
}

// lib/api/access_requests.rb: a user who may read a group or project
// and is not a member requests access (201, the AccessRequester
// entity); those who may admin its members list (403 for the
// requester) and approve the requests (201 with the new member, at the
// level asked, Developer by default) or deny them (204); a requester
// may withdraw their own (204).
func TestAccessRequests(t *testing.T) {
	e := newEnv(t)
	ownerID, owner := e.user(gitlabtest.UserSpec{Username: "owner"})
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	bobID, bob := e.user(gitlabtest.UserSpec{Username: "bob"})
	g := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "team", Owners: []int64{ownerID}, Visibility: "internal"})
	p := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "api", OwnerID: ownerID, Visibility: "public"})

	ar, resp, err := jane.AccessRequests.RequestGroupAccess(g)
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, janeID, ar.ID)
	require.NotNil(t, ar.RequestedAt)
	require.Len(t, e.s.AccessRequests(gitlabtest.GroupSource(g)), 1)
	_, _, err = bob.AccessRequests.RequestGroupAccess(g)
	require.NoError(t, err)

	_, _, err = jane.AccessRequests.ListGroupAccessRequests(g, nil)
	e.refused(err, 403, `{"message":"403 Forbidden"}`)
	ars, resp, err := owner.AccessRequests.ListGroupAccessRequests(g, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Len(t, ars, 2)

	ar, resp, err = owner.AccessRequests.ApproveGroupAccessRequest(g, janeID, &gitlab.ApproveAccessRequestOptions{AccessLevel: gitlab.Ptr(gitlab.ReporterPermissions)})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, gitlab.ReporterPermissions, ar.AccessLevel)
	assert.Equal(t, gitlabtest.AccessReporter, levels(e.s.Members(gitlabtest.GroupSource(g)))[janeID])
	_, _, err = owner.AccessRequests.ApproveGroupAccessRequest(g, janeID, nil)
	e.refused(err, 404, `{"message":"404 Not found"}`)
	resp, err = owner.AccessRequests.DenyGroupAccessRequest(g, bobID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	assert.Empty(t, e.s.AccessRequests(gitlabtest.GroupSource(g)))
	assert.NotContains(t, levels(e.s.Members(gitlabtest.GroupSource(g))), bobID)

	_, resp, err = jane.AccessRequests.RequestProjectAccess(p)
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	_, _, err = bob.AccessRequests.RequestProjectAccess(p)
	require.NoError(t, err)
	ars, resp, err = owner.AccessRequests.ListProjectAccessRequests(p, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Len(t, ars, 2)
	ar, resp, err = owner.AccessRequests.ApproveProjectAccessRequest(p, janeID, nil)
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, gitlab.DeveloperPermissions, ar.AccessLevel, "Developer by default")
	resp, err = bob.AccessRequests.DenyProjectAccessRequest(p, bobID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode, "a requester may withdraw")
	assert.Empty(t, e.s.AccessRequests(gitlabtest.ProjectSource(p)))
}
