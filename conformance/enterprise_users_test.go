package conformance

import (
	"testing"

	"github.com/gitlabusers/gitlab/gitlabtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gitlab "gitlab.com/gitlab-org/api/client-go/v2"
)

// ee/lib/api/group_enterprise_users.rb (GitLab.com only, so the fake
// runs WithGitLabCom): the list is id descending with UsersFinder's
// filters; a user the group did not claim is 404 "404 Not found"
// (enterprise_users.find); disable_two_factor answers 204 and refuses
// a user without 2FA with bad_request!; DELETE refuses the sole owner
// of a group (409, conflict!) and deletes with 204.
func TestEnterpriseUsers(t *testing.T) {
	e := newEnv(t, gitlabtest.WithGitLabCom())
	ownerID, owner := e.user(gitlabtest.UserSpec{Username: "owner"})
	annID, _ := e.user(gitlabtest.UserSpec{Username: "ann", Email: "ann@acme.example", TwoFactorEnabled: true})
	bobID, _ := e.user(gitlabtest.UserSpec{Username: "bob", Email: "bob@acme.example"})
	outID, _ := e.user(gitlabtest.UserSpec{Username: "out"})
	acme := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "acme", Owners: []int64{ownerID}})
	require.NoError(t, e.s.ClaimEnterpriseUser(acme, annID))
	require.NoError(t, e.s.ClaimEnterpriseUser(acme, bobID))

	list, resp, err := owner.EnterpriseUsers.ListEnterpriseUsers("acme", &gitlab.ListEnterpriseUsersOptions{})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	require.Len(t, list, 2)
	assert.Equal(t, []int64{bobID, annID}, []int64{list[0].ID, list[1].ID})
	assert.Equal(t, "bob@acme.example", list[0].Email)
	list, _, err = owner.EnterpriseUsers.ListEnterpriseUsers(acme, &gitlab.ListEnterpriseUsersOptions{TwoFactor: "enabled"})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, annID, list[0].ID)

	u, _, err := owner.EnterpriseUsers.GetEnterpriseUser(acme, annID)
	require.NoError(t, err)
	assert.Equal(t, "ann", u.Username)
	assert.True(t, u.TwoFactorEnabled)
	_, _, err = owner.EnterpriseUsers.GetEnterpriseUser(acme, outID)
	e.refused(err, 404, `{"message":"404 Not found"}`)

	resp, err = owner.EnterpriseUsers.Disable2FAForEnterpriseUser(acme, annID)
	require.NoError(t, err)
	e.answered(204, "")
	stored, _ := e.s.User(annID)
	assert.False(t, stored.TwoFactorEnabled)
	assert.Equal(t, 204, resp.StatusCode)
	_, err = owner.EnterpriseUsers.Disable2FAForEnterpriseUser(acme, annID)
	e.refused(err, 400, `{"message":"400 Bad request - Two-factor authentication is not enabled for this user"}`)

	e.s.CreateGroup(gitlabtest.GroupSpec{Path: "bobs", Owners: []int64{bobID}})
	_, err = owner.EnterpriseUsers.DeleteEnterpriseUser(acme, bobID, nil)
	e.refused(err, 409, `{"message":"Can not remove a user who is the sole owner of a group."}`)
	_, err = owner.EnterpriseUsers.DeleteEnterpriseUser(acme, bobID, &gitlab.DeleteEnterpriseUserOptions{HardDelete: gitlab.Ptr(true)})
	require.NoError(t, err)
	e.answered(204, "")
	_, ok := e.s.User(bobID)
	assert.False(t, ok)
}
