package gitlabtest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab/gitlabtest"
)

// The identity routes through HTTP, for what the SDK never sends or
// never shows: Grape's 400 for a missing extern_uid (after the owner
// check), the model's message for an empty one, the exact keys of each
// entity, the empty body of a 204, and the list route that shadows the
// UID "identities".
func TestGroupIdentitiesWireFormat(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer()
	t.Cleanup(s.Close)
	ownerID, owner := s.CreateUser(gitlabtest.UserSpec{Username: "owner"})
	aliceID, _ := s.CreateUser(gitlabtest.UserSpec{Username: "alice"})
	bobID, bobTok := s.CreateUser(gitlabtest.UserSpec{Username: "bob"})
	corp := s.CreateGroup(gitlabtest.GroupSpec{Path: "corp", Owners: []int64{ownerID}})
	s.AddGroupMember(corp, bobID, gitlabtest.AccessMaintainer)
	s.AddSAMLIdentity(corp, aliceID, "identities")
	s.AddSCIMIdentity(corp, aliceID, "scim-1", true)

	a := fakeCall(t, s, bobTok, "PATCH", "/groups/corp/saml/identities", nil)
	assert.Equal(t, [2]any{403, `{"message":"403 Forbidden"}`}, [2]any{a.code, a.body}, "403 before 400")
	a = fakeCall(t, s, owner, "PATCH", "/groups/corp/saml/identities", form("active", "false"))
	assert.Equal(t, [2]any{400, `{"error":"extern_uid is missing"}`}, [2]any{a.code, a.body})
	a = fakeCall(t, s, owner, "PATCH", "/groups/corp/saml/identities", form("extern_uid", ""))
	assert.Equal(t, [2]any{400, `{"message":"SAML NameID is missing from your SAML response. Please contact your administrator"}`}, [2]any{a.code, a.body})
	a = fakeCall(t, s, owner, "PATCH", "/groups/corp/scim/SCIM-1", form("extern_uid", ""))
	assert.Equal(t, [2]any{400, `{"message":"Extern uid can't be blank"}`}, [2]any{a.code, a.body})

	a = fakeCall(t, s, owner, "GET", "/groups/corp/saml/identities", nil)
	require.Equal(t, 200, a.code)
	assert.JSONEq(t, `[{"extern_uid":"identities","user_id":`+itoa(aliceID)+`}]`, a.body, "the list, not the identity; two keys")
	a = fakeCall(t, s, owner, "GET", "/groups/"+itoa(corp)+"/scim/Scim-1", nil)
	assert.JSONEq(t, `{"extern_uid":"scim-1","user_id":`+itoa(aliceID)+`,"active":true}`, a.body)
	a = fakeCall(t, s, owner, "GET", "/groups/corp/saml_users", nil)
	require.Equal(t, 200, a.code)
	assert.Contains(t, a.body, `"scim_identities":[{"extern_uid":"scim-1","group_id":`+itoa(corp)+`,"active":true}]`)
	assert.Contains(t, a.body, `"identities":[{"provider":"group_saml","extern_uid":"identities","saml_provider_id":1}]`)

	a = fakeCall(t, s, owner, "DELETE", "/groups/corp/saml/identities", nil)
	assert.Equal(t, [2]any{204, ""}, [2]any{a.code, a.body}, "DELETE reaches the UID the list route shadows")
	assert.Empty(t, s.SAMLIdentities(corp))
}
