package conformance

import (
	"testing"
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gitlab "gitlab.com/gitlab-org/api/client-go/v2"
)

// lib/api/resource_access_tokens.rb for a group: POST access_tokens
// (ResourceAccessTokens::CreateService) answers 201 with
// ResourceAccessTokenWithToken and makes a bot user a member at the
// token's level; its token authenticates as the bot; GET lists the
// bots' tokens (401 without Owner), GET :token_id finds one (404 "group
// Access Token"); rotate answers 200 and revokes the old token (401
// for a Maintainer of a group); self/rotate rotates the presenting bot
// token; DELETE answers 204 and keeps the bot.
func TestGroupAccessTokens(t *testing.T) {
	e := newEnv(t)
	ownerID, owner := e.user(gitlabtest.UserSpec{Username: "owner"})
	maintID, maint := e.user(gitlabtest.UserSpec{Username: "maint"})
	top := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "top", Owners: []int64{ownerID}})
	e.s.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.GroupSource(top), UserID: maintID, AccessLevel: gitlabtest.AccessMaintainer})
	expires := day(time.Now().AddDate(0, 1, 0))
	exp, err := gitlab.ParseISOTime(expires)
	require.NoError(t, err)

	tok, resp, err := owner.GroupAccessTokens.CreateGroupAccessToken(top, &gitlab.CreateGroupAccessTokenOptions{Name: gitlab.Ptr("ci"),
		Scopes: &[]string{"api"}, AccessLevel: gitlab.Ptr(gitlab.DeveloperPermissions), ExpiresAt: &exp})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, []any{"ci", []string{"api"}, gitlab.DeveloperPermissions, expires, true, false},
		[]any{tok.Name, tok.Scopes, tok.AccessLevel, tok.ExpiresAt.String(), tok.Active, tok.Revoked})
	require.NotEmpty(t, tok.Token)
	bot, _, err := e.client(tok.Token).Users.CurrentUser()
	require.NoError(t, err)
	assert.Equal(t, []any{tok.UserID, true}, []any{bot.ID, bot.Bot})
	assert.Equal(t, gitlabtest.AccessDeveloper, levels(e.s.Members(gitlabtest.GroupSource(top)))[tok.UserID])

	_, _, err = owner.GroupAccessTokens.CreateGroupAccessToken(top, &gitlab.CreateGroupAccessTokenOptions{Name: gitlab.Ptr("x"), Scopes: &[]string{"api"}})
	e.refused(err, 400, `{"message":"400 Bad request - expires_at is missing"}`)

	list, _, err := owner.GroupAccessTokens.ListGroupAccessTokens(top, &gitlab.ListGroupAccessTokensOptions{State: gitlab.Ptr(gitlab.AccessTokenStateActive)})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, tok.ID, list[0].ID)
	_, _, err = maint.GroupAccessTokens.ListGroupAccessTokens(top, nil)
	e.refused(err, 401, `{"message":"401 Unauthorized"}`)
	got, _, err := owner.GroupAccessTokens.GetGroupAccessToken(top, tok.ID)
	require.NoError(t, err)
	assert.Equal(t, []any{"ci", ""}, []any{got.Name, got.Token})
	_, _, err = owner.GroupAccessTokens.GetGroupAccessToken(top, tok.ID+100)
	e.refused(err, 404, `{"message":"404 group Access Token Not Found"}`)

	_, _, err = maint.GroupAccessTokens.RotateGroupAccessToken(top, tok.ID, nil)
	e.refused(err, 401, `{"message":"401 Unauthorized"}`)
	rot, resp, err := owner.GroupAccessTokens.RotateGroupAccessToken(top, tok.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, []any{tok.UserID, day(time.Now().AddDate(0, 0, 7))}, []any{rot.UserID, rot.ExpiresAt.String()})
	_, _, err = e.client(tok.Token).Users.CurrentUser()
	e.refused(err, 401, `{"error":"invalid_token","error_description":"Token was revoked. You have to re-authorize from the user."}`)

	self, resp, err := e.client(rot.Token).GroupAccessTokens.RotateGroupAccessTokenSelf(top, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, tok.UserID, self.UserID)
	_, _, err = owner.GroupAccessTokens.RotateGroupAccessTokenSelf(top, nil)
	e.refused(err, 405, `{"message":"405 Method Not Allowed"}`)

	resp, err = owner.GroupAccessTokens.RevokeGroupAccessToken(top, self.ID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	_, ok := e.s.User(tok.UserID)
	assert.True(t, ok, "the bot user stays")
	saved := e.s.AccessTokens(gitlabtest.GroupSource(top))
	require.Len(t, saved, 3)
	for _, s := range saved {
		assert.True(t, s.Revoked, "token %d", s.ID)
	}
}

// lib/api/resource_access_tokens.rb for a project: a Maintainer may
// create, rotate and revoke, but not beyond their own level (400 "Access
// level of the token contains permissions not held by the creating
// user"); a Developer's revoke is 400 "<name> cannot delete <bot>".
func TestProjectAccessTokens(t *testing.T) {
	e := newEnv(t)
	maintID, maint := e.user(gitlabtest.UserSpec{Username: "maint", Name: "Maint"})
	devID, dev := e.user(gitlabtest.UserSpec{Username: "dev", Name: "Dev"})
	g := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "g"})
	p := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "app", GroupID: g, Maintainers: []int64{maintID}})
	e.s.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.ProjectSource(p), UserID: devID, AccessLevel: gitlabtest.AccessDeveloper})
	exp, err := gitlab.ParseISOTime(day(time.Now().AddDate(0, 0, 30)))
	require.NoError(t, err)
	opt := func(level gitlab.AccessLevelValue) *gitlab.CreateProjectAccessTokenOptions {
		return &gitlab.CreateProjectAccessTokenOptions{Name: gitlab.Ptr("Deploy bot"), Scopes: &[]string{"read_api"},
			AccessLevel: gitlab.Ptr(level), ExpiresAt: &exp}
	}

	_, _, err = maint.ProjectAccessTokens.CreateProjectAccessToken(p, opt(gitlab.OwnerPermissions))
	e.refused(err, 400, `{"message":"400 Bad request - Access level of the token contains permissions not held by the creating user"}`)
	tok, resp, err := maint.ProjectAccessTokens.CreateProjectAccessToken("g/app", opt(gitlab.MaintainerPermissions))
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, []any{gitlab.MaintainerPermissions, []string{"read_api"}}, []any{tok.AccessLevel, tok.Scopes})

	list, _, err := maint.ProjectAccessTokens.ListProjectAccessTokens(p, nil)
	require.NoError(t, err)
	require.Len(t, list, 1)
	got, _, err := maint.ProjectAccessTokens.GetProjectAccessToken(p, tok.ID)
	require.NoError(t, err)
	assert.Equal(t, tok.UserID, got.UserID)

	newExp, err := gitlab.ParseISOTime(day(time.Now().AddDate(0, 2, 0)))
	require.NoError(t, err)
	rot, _, err := maint.ProjectAccessTokens.RotateProjectAccessToken(p, tok.ID, &gitlab.RotateProjectAccessTokenOptions{ExpiresAt: &newExp})
	require.NoError(t, err)
	assert.Equal(t, newExp.String(), rot.ExpiresAt.String())
	_, _, err = maint.ProjectAccessTokens.RotateProjectAccessToken(p, tok.ID, nil)
	e.refused(err, 400, `{"message":"400 Bad request - Token already revoked"}`)

	selfTok, _, err := maint.ProjectAccessTokens.CreateProjectAccessToken(p, &gitlab.CreateProjectAccessTokenOptions{
		Name: gitlab.Ptr("self"), Scopes: &[]string{"self_rotate"}, ExpiresAt: &exp})
	require.NoError(t, err)
	self, _, err := e.client(selfTok.Token).ProjectAccessTokens.RotateProjectAccessTokenSelf(p, nil)
	require.NoError(t, err)
	assert.Equal(t, selfTok.UserID, self.UserID)

	_, err = dev.ProjectAccessTokens.RevokeProjectAccessToken(p, rot.ID)
	e.refused(err, 400, `{"message":"400 Bad request - Dev cannot delete Deploy bot"}`)
	resp, err = maint.ProjectAccessTokens.RevokeProjectAccessToken(p, rot.ID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	_, err = maint.ProjectAccessTokens.RevokeProjectAccessToken(p, rot.ID+100)
	e.refused(err, 404, `{"message":"404 project Access Token Not Found"}`)
	assert.Contains(t, levels(e.s.Members(gitlabtest.ProjectSource(p))), tok.UserID, "the bot stays a member")
}
