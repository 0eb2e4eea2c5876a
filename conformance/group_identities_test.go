package conformance

import (
	"strconv"
	"testing"

	"github.com/gitlabusers/gitlab/gitlabtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gitlab "gitlab.com/gitlab-org/api/client-go/v2"
)

// ee/lib/api/provider_identity.rb, scim branch: a group's SCIM
// identities for its Owner, found case-insensitively, renamed and
// deleted; 403 below Owner. client-go's GroupSCIMIdentity reads
// "external_uid", which GitLab does not send (C12), so the UID is
// checked on the wire.
func TestGroupSCIMIdentities(t *testing.T) {
	e := newEnv(t)
	ownerID, owner := e.user(gitlabtest.UserSpec{Username: "owner"})
	aliceID, _ := e.user(gitlabtest.UserSpec{Username: "alice"})
	devID, dev := e.user(gitlabtest.UserSpec{Username: "dev"})
	corp := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "corp", Owners: []int64{ownerID}})
	e.s.AddGroupMember(corp, devID, gitlabtest.AccessDeveloper)
	e.s.AddSCIMIdentity(corp, aliceID, "Okta.Alice", true)

	ids, _, err := owner.GroupSCIM.GetSCIMIdentitiesForGroup("corp")
	require.NoError(t, err)
	require.Len(t, ids, 1)
	assert.Equal(t, [3]any{aliceID, true, ""}, [3]any{ids[0].UserID, ids[0].Active, ids[0].ExternalUID}, "C12: no external_uid on the wire")
	e.answered(200, `[{"extern_uid":"Okta.Alice","user_id":`+strconv.FormatInt(aliceID, 10)+`,"active":true}]`)

	one, _, err := owner.GroupSCIM.GetSCIMIdentity(corp, "okta.alice")
	require.NoError(t, err)
	assert.Equal(t, aliceID, one.UserID)
	e.answered(200, `{"extern_uid":"Okta.Alice","user_id":`+strconv.FormatInt(aliceID, 10)+`,"active":true}`)

	_, err = owner.GroupSCIM.UpdateSCIMIdentity(corp, "OKTA.ALICE", &gitlab.UpdateSCIMIdentityOptions{ExternUID: gitlab.Ptr("okta.liddell")})
	require.NoError(t, err)
	e.answered(200, `{"extern_uid":"okta.liddell","user_id":`+strconv.FormatInt(aliceID, 10)+`,"active":true}`)
	assert.Equal(t, "okta.liddell", e.s.SCIMIdentities(corp)[0].ExternUID)

	_, err = dev.GroupSCIM.DeleteSCIMIdentity(corp, "okta.liddell")
	e.refused(err, 403, `{"message":"403 Forbidden"}`)
	_, err = owner.GroupSCIM.DeleteSCIMIdentity(corp, "okta.liddell")
	require.NoError(t, err)
	e.answered(204, "")
	assert.Empty(t, e.s.SCIMIdentities(corp))
	_, _, err = owner.GroupSCIM.GetSCIMIdentity(corp, "okta.liddell")
	e.refused(err, 404, `{"message":"404 Identity Not Found"}`)
}

// ee/lib/ee/api/groups.rb: the SAML users of a top-level group (Owners;
// 400 for a subgroup, 403 below Owner) and the users a group
// provisioned (Maintainers and above), by descending ID.
func TestGroupSAMLAndProvisionedUsers(t *testing.T) {
	e := newEnv(t)
	ownerID, owner := e.user(gitlabtest.UserSpec{Username: "owner"})
	maintID, maint := e.user(gitlabtest.UserSpec{Username: "maint"})
	aliceID, _ := e.user(gitlabtest.UserSpec{Username: "alice"})
	bobID, _ := e.user(gitlabtest.UserSpec{Username: "bob"})
	corp := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "corp", Owners: []int64{ownerID}})
	e.s.CreateGroup(gitlabtest.GroupSpec{Path: "eng", ParentID: corp})
	e.s.AddGroupMember(corp, maintID, gitlabtest.AccessMaintainer)
	e.s.AddSAMLIdentity(corp, aliceID, "alice@corp.example")
	e.s.AddSAMLIdentity(corp, bobID, "bob@corp.example")
	p1, _ := e.user(gitlabtest.UserSpec{Username: "p1", ProvisionedByGroupID: corp})
	p2, _ := e.user(gitlabtest.UserSpec{Username: "p2", ProvisionedByGroupID: corp})

	users, _, err := owner.Groups.ListSAMLUsers("corp", &gitlab.ListSAMLUsersOptions{Active: gitlab.Ptr(true)})
	require.NoError(t, err)
	require.Len(t, users, 2)
	assert.Equal(t, [2]int64{bobID, aliceID}, [2]int64{users[0].ID, users[1].ID})
	assert.Equal(t, "bob@example.com", users[0].Email)
	require.Len(t, users[0].Identities, 1)
	assert.Equal(t, "bob@corp.example", users[0].Identities[0].ExternUID)
	users, _, err = owner.Groups.ListSAMLUsers(corp, &gitlab.ListSAMLUsersOptions{Username: gitlab.Ptr("ALICE")})
	require.NoError(t, err)
	require.Len(t, users, 1)
	assert.Equal(t, aliceID, users[0].ID)
	_, _, err = owner.Groups.ListSAMLUsers("corp/eng", nil)
	e.refused(err, 400, `{"message":"400 Bad request - Must be a top-level group"}`)
	_, _, err = maint.Groups.ListSAMLUsers(corp, nil)
	e.refused(err, 403, `{"message":"403 Forbidden"}`)

	users, _, err = maint.Groups.ListProvisionedUsers(corp, nil)
	require.NoError(t, err)
	require.Len(t, users, 2)
	assert.Equal(t, [2]int64{p2, p1}, [2]int64{users[0].ID, users[1].ID})
	_, _, err = e.admin.Groups.ListProvisionedUsers("nowhere", nil)
	e.refused(err, 404, `{"message":"404 Group Not Found"}`)
}
