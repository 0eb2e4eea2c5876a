package conformance

import (
	"strings"
	"testing"

	"github.com/gitlabusers/gitlab/gitlabtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gitlab "gitlab.com/gitlab-org/api/client-go/v2"
)

// lib/api/users.rb, get do (GET /users): an administrator gets
// UserWithAdmin (email, is_admin), everyone else UserBasic; non-admins
// never see blocked users (User.without_forbidden_states); anonymous
// callers may only look a username up.
func TestListUsers(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane", Email: "jane@corp.example"})
	e.user(gitlabtest.UserSpec{Username: "blocked", State: gitlabtest.StateBlocked})

	users, resp, err := e.admin.Users.ListUsers(&gitlab.ListUsersOptions{Username: gitlab.Ptr("JANE")})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	require.Len(t, users, 1, "username matches case-insensitively")
	assert.Equal(t, janeID, users[0].ID)
	assert.Equal(t, "jane@corp.example", users[0].Email)
	assert.Equal(t, "active", users[0].State)

	users, _, err = jane.Users.ListUsers(nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"jane", "root"}, usernames(users), "id desc, no blocked user")
	assert.Empty(t, users[0].Email, "UserBasic has no email")

	anon := e.client("")
	_, _, err = anon.Users.ListUsers(nil)
	e.refused(err, 403, `{"message":"403 Forbidden - Not authorized to access /api/v4/users"}`)
	users, _, err = anon.Users.ListUsers(&gitlab.ListUsersOptions{Username: gitlab.Ptr("jane")})
	require.NoError(t, err)
	assert.Equal(t, []string{"jane"}, usernames(users))

	_, _, err = e.admin.Users.ListUsers(&gitlab.ListUsersOptions{ListOptions: gitlab.ListOptions{OrderBy: "email"}})
	e.refused(err, 400, `{"error":"order_by does not have a valid value"}`)
}

// lib/api/users.rb, get ":id": UserDetailsWithAdmin for administrators,
// UserProfile (no email) for other users, 404 User for a missing one.
func TestGetUser(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane", Bio: "Hi", CustomAttributes: map[string]string{"team": "a"}})

	u, resp, err := e.admin.Users.GetUser(janeID, &gitlab.GetUserOptions{WithCustomAttributes: gitlab.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "jane", u.Username)
	assert.Equal(t, "jane@example.com", u.Email)
	assert.Equal(t, "Hi", u.Bio)
	assert.False(t, u.IsAdmin)
	assert.Equal(t, []*gitlab.CustomAttribute{{Key: "team", Value: "a"}}, u.CustomAttributes)

	u, _, err = jane.Users.GetUser(1, &gitlab.GetUserOptions{})
	require.NoError(t, err)
	assert.Equal(t, "root", u.Username)
	assert.Empty(t, u.Email, "a non-admin does not see email")

	_, _, err = e.admin.Users.GetUser(999, &gitlab.GetUserOptions{})
	e.refused(err, 404, `{"message":"404 User Not Found"}`)

	_, _, err = e.client("").Users.GetUser(janeID, &gitlab.GetUserOptions{})
	e.refused(err, 403, `{"message":"403 Forbidden - Not authorized!"}`)
}

// lib/api/users.rb, post (POST /users): 201 UserWithAdmin; 409 for a
// taken email or username (case-insensitive); Grape's at_least_one_of
// for the password options; 403 for a non-admin.
func TestCreateUser(t *testing.T) {
	e := newEnv(t)
	_, jane := e.user(gitlabtest.UserSpec{Username: "jane"})

	u, resp, err := e.admin.Users.CreateUser(&gitlab.CreateUserOptions{
		Username: gitlab.Ptr("bob"), Name: gitlab.Ptr("Bob"), Email: gitlab.Ptr("bob@example.com"),
		Password: gitlab.Ptr("Nq4-vT8z-Lp2x"), SkipConfirmation: gitlab.Ptr(true), Bio: gitlab.Ptr("builds"),
	})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "bob", u.Username)
	assert.Equal(t, "bob@example.com", u.Email)
	stored, ok := e.s.UserByUsername("bob")
	require.True(t, ok)
	assert.Equal(t, u.ID, stored.ID)
	assert.Equal(t, "builds", stored.Bio)
	assert.Equal(t, int64(1), stored.CreatedBy, "created by root")

	_, _, err = e.admin.Users.CreateUser(&gitlab.CreateUserOptions{
		Username: gitlab.Ptr("bob2"), Name: gitlab.Ptr("B"), Email: gitlab.Ptr("BOB@example.com"), Password: gitlab.Ptr("Nq4-vT8z-Lp2x"),
	})
	e.refused(err, 409, `{"message":"Email has already been taken"}`)
	_, _, err = e.admin.Users.CreateUser(&gitlab.CreateUserOptions{
		Username: gitlab.Ptr("BOB"), Name: gitlab.Ptr("B"), Email: gitlab.Ptr("b2@example.com"), Password: gitlab.Ptr("Nq4-vT8z-Lp2x"),
	})
	e.refused(err, 409, `{"message":"Username has already been taken"}`)
	_, _, err = e.admin.Users.CreateUser(&gitlab.CreateUserOptions{
		Username: gitlab.Ptr("carol"), Name: gitlab.Ptr("C"), Email: gitlab.Ptr("c@example.com"),
	})
	e.refused(err, 400, `{"error":"password, reset_password, force_random_password are missing, at least one parameter must be provided"}`)
	_, _, err = jane.Users.CreateUser(&gitlab.CreateUserOptions{
		Username: gitlab.Ptr("dave"), Name: gitlab.Ptr("D"), Email: gitlab.Ptr("d@example.com"), Password: gitlab.Ptr("Nq4-vT8z-Lp2x"),
	})
	e.refused(err, 403, `{"message":"403 Forbidden"}`)
	_, found := e.s.UserByUsername("dave")
	assert.False(t, found)
}

// lib/api/users.rb, put ":id": 200 UserWithAdmin; a new email without
// skip_reconfirmation goes to unconfirmed_email; 409 for a username
// taken by another user; 404 User.
func TestModifyUser(t *testing.T) {
	e := newEnv(t)
	janeID, _ := e.user(gitlabtest.UserSpec{Username: "jane"})
	e.user(gitlabtest.UserSpec{Username: "bob"})

	u, resp, err := e.admin.Users.ModifyUser(janeID, &gitlab.ModifyUserOptions{
		Name: gitlab.Ptr("Jane Doe"), Email: gitlab.Ptr("new@example.com"), Location: gitlab.Ptr("Oslo"),
	})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "Jane Doe", u.Name)
	assert.Equal(t, "jane@example.com", u.Email, "the email waits for confirmation")
	stored, _ := e.s.User(janeID)
	assert.Equal(t, "Jane Doe", stored.Name)
	assert.Equal(t, "Oslo", stored.Location)
	assert.Equal(t, "new@example.com", stored.UnconfirmedEmail)

	_, _, err = e.admin.Users.ModifyUser(janeID, &gitlab.ModifyUserOptions{Username: gitlab.Ptr("BOB")})
	e.refused(err, 409, `{"message":"Username has already been taken"}`)
	_, _, err = e.admin.Users.ModifyUser(999, &gitlab.ModifyUserOptions{Name: gitlab.Ptr("x")})
	e.refused(err, 404, `{"message":"404 User Not Found"}`)
}

// lib/api/users.rb, delete ":id": 204, and 409 for the sole owner of a
// group without hard_delete (client-go has no hard_delete option).
func TestDeleteUser(t *testing.T) {
	e := newEnv(t)
	janeID, _ := e.user(gitlabtest.UserSpec{Username: "jane"})
	ownerID, _ := e.user(gitlabtest.UserSpec{Username: "owner"})
	e.s.CreateGroup(gitlabtest.GroupSpec{Path: "team", Owners: []int64{ownerID}})

	resp, err := e.admin.Users.DeleteUser(janeID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	e.answered(204, "")
	_, found := e.s.User(janeID)
	assert.False(t, found)

	_, err = e.admin.Users.DeleteUser(ownerID)
	e.refused(err, 409, `{"message":"User cannot be removed while is the sole-owner of a group"}`)
	_, err = e.admin.Users.DeleteUser(999)
	e.refused(err, 404, `{"message":"404 User Not Found"}`)
}

// lib/api/users.rb, delete ":id/identities/:provider": 204, then 404
// Identity (not_found!('Identity')).
func TestDeleteUserIdentity(t *testing.T) {
	e := newEnv(t)
	janeID, _ := e.user(gitlabtest.UserSpec{Username: "jane", Identities: []gitlabtest.UserIdentity{{Provider: "github", ExternUID: "42"}}})

	resp, err := e.admin.Users.DeleteUserIdentity(janeID, "github")
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	stored, _ := e.s.User(janeID)
	assert.Empty(t, stored.Identities)

	_, err = e.admin.Users.DeleteUserIdentity(janeID, "github")
	e.refused(err, 404, `{"message":"404 Identity Not Found"}`)
}

// lib/api/users.rb, get "user" (GET /user): UserPublic, with the private
// email and no is_admin, for a non-admin; 401 without a valid token.
func TestCurrentUser(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})

	u, resp, err := jane.Users.CurrentUser()
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, janeID, u.ID)
	assert.Equal(t, "jane@example.com", u.Email)

	u, _, err = e.admin.Users.CurrentUser()
	require.NoError(t, err)
	assert.True(t, u.IsAdmin)

	_, _, err = e.client("glpat-not-a-token").Users.CurrentUser()
	e.refused(err, 401, `{"message":"401 Unauthorized"}`)
}

// lib/api/users.rb, get "activities": users active since from (default
// six months ago), oldest activity first, last_activity_on as a date.
// root is active today: an API request records its user's activity
// (app/services/users/activity_service.rb).
func TestGetUserActivities(t *testing.T) {
	e := newEnv(t)
	now := e.s.Users()[0].CreatedAt
	e.user(gitlabtest.UserSpec{Username: "recent", LastActivityOn: now.AddDate(0, 0, -1)})
	e.user(gitlabtest.UserSpec{Username: "older", LastActivityOn: now.AddDate(0, -1, 0)})
	e.user(gitlabtest.UserSpec{Username: "ancient", LastActivityOn: now.AddDate(-1, 0, 0)})

	acts, resp, err := e.admin.Users.GetUserActivities(nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	var names []string
	for _, a := range acts {
		names = append(names, a.Username)
	}
	assert.Equal(t, []string{"older", "recent", "root"}, names)
	require.NotNil(t, acts[1].LastActivityOn)
	assert.Equal(t, now.AddDate(0, 0, -1).Format("2006-01-02"), acts[1].LastActivityOn.String())
}

// lib/api/users.rb, get ":user_id/memberships": admin only; integer
// access levels; source_type Project or Namespace; type filters.
func TestGetUserMemberships(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	g := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "team"})
	p := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "api", GroupID: g})
	e.s.AddGroupMember(g, janeID, gitlabtest.AccessDeveloper)
	e.s.AddProjectMember(p, janeID, gitlabtest.AccessMaintainer)

	ms, resp, err := e.admin.Users.GetUserMemberships(janeID, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.ElementsMatch(t, []*gitlab.UserMembership{
		{SourceID: g, SourceName: "team", SourceType: "Namespace", AccessLevel: gitlab.DeveloperPermissions},
		{SourceID: p, SourceName: "api", SourceType: "Project", AccessLevel: gitlab.MaintainerPermissions},
	}, ms)

	ms, _, err = e.admin.Users.GetUserMemberships(janeID, &gitlab.GetUserMembershipOptions{Type: gitlab.Ptr("Project")})
	require.NoError(t, err)
	require.Len(t, ms, 1)
	assert.Equal(t, p, ms[0].SourceID)

	_, _, err = e.admin.Users.GetUserMemberships(janeID, &gitlab.GetUserMembershipOptions{Type: gitlab.Ptr("Group")})
	e.refused(err, 400, `{"error":"type does not have a valid value"}`)
	_, _, err = jane.Users.GetUserMemberships(janeID, nil)
	e.refused(err, 403, `{"message":"403 Forbidden"}`)
}

// lib/api/users.rb, patch ":id/disable_two_factor": 204; 400 when 2FA
// is off; 403 for an administrator target.
func TestDisableTwoFactor(t *testing.T) {
	e := newEnv(t)
	janeID, _ := e.user(gitlabtest.UserSpec{Username: "jane", TwoFactorEnabled: true})
	adminID, _ := e.user(gitlabtest.UserSpec{Username: "boss", Admin: true, TwoFactorEnabled: true})

	resp, err := e.admin.Users.DisableTwoFactor(janeID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	stored, _ := e.s.User(janeID)
	assert.False(t, stored.TwoFactorEnabled)

	_, err = e.admin.Users.DisableTwoFactor(janeID)
	assert.ErrorIs(t, err, gitlab.ErrUserTwoFactorNotEnabled)
	e.answered(400, `{"message":"400 Bad request - Two-factor authentication is not enabled for this user"}`)
	_, err = e.admin.Users.DisableTwoFactor(adminID)
	assert.ErrorIs(t, err, gitlab.ErrUserDisableTwoFactorPrevented)
	e.answered(403, `{"message":"403 Forbidden - Two-factor authentication for admins cannot be disabled via the API. Use the Rails console"}`)
	_, err = e.admin.Users.DisableTwoFactor(999)
	assert.ErrorIs(t, err, gitlab.ErrUserNotFound)
	e.answered(404, `{"message":"404 User Not Found"}`)
}

// lib/api/users.rb, get ":id/associations_count": the user or an
// administrator; groups and projects from direct memberships.
func TestGetUserAssociationsCount(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane", IssuesAuthored: 2, MergeRequestsAuthored: 1})
	_, bob := e.user(gitlabtest.UserSpec{Username: "bob"})
	g := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "team", Owners: []int64{janeID}})
	e.s.CreateProject(gitlabtest.ProjectSpec{Path: "api", GroupID: g, Owners: []int64{janeID}})

	c, resp, err := jane.Users.GetUserAssociationsCount(janeID)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, &gitlab.UserAssociationsCount{GroupsCount: 1, ProjectsCount: 1, IssuesCount: 2, MergeRequestsCount: 1}, c)

	_, _, err = bob.Users.GetUserAssociationsCount(janeID)
	e.refused(err, 403, `{"message":"403 Forbidden"}`)
	_, _, err = e.admin.Users.GetUserAssociationsCount(999)
	e.refused(err, 404, `{"message":"404 User Not Found"}`)
}

// lib/api/users.rb, put "avatar": 200 {"avatar_url": ...} (entity
// Avatar), which client-go decodes into a User with only AvatarURL.
func TestUploadAvatar(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	png := "\x89PNG\r\n\x1a\n" + strings.Repeat("\x00", 32)

	u, resp, err := jane.Users.UploadAvatar(strings.NewReader(png), "me.png")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.NotEmpty(t, u.AvatarURL)
	assert.Zero(t, u.ID, "the answer carries avatar_url only")
	stored, _ := e.s.User(janeID)
	assert.Equal(t, "me.png", stored.AvatarFilename)
	assert.Equal(t, []byte(png), stored.Avatar)

	_, _, err = jane.Users.UploadAvatar(strings.NewReader(strings.Repeat("x", 200*1024+1)), "big.png")
	e.refused(err, 400, `{"message":"Avatar is too big (should be at most 200 KiB)"}`)
}

// lib/api/user_runners.rb: 201 {id, token, token_expires_at}; 403
// Insufficient permissions for an instance runner made by a non-admin.
func TestCreateUserRunner(t *testing.T) {
	e := newEnv(t)
	_, jane := e.user(gitlabtest.UserSpec{Username: "jane"})

	r, resp, err := e.admin.Users.CreateUserRunner(&gitlab.CreateUserRunnerOptions{RunnerType: gitlab.Ptr("instance_type"), Description: gitlab.Ptr("ci")})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Positive(t, r.ID)
	assert.True(t, strings.HasPrefix(r.Token, "glrt-"), r.Token)
	assert.Nil(t, r.TokenExpiresAt)

	_, _, err = jane.Users.CreateUserRunner(&gitlab.CreateUserRunnerOptions{RunnerType: gitlab.Ptr("instance_type")})
	e.refused(err, 403, `{"message":"403 Forbidden - Insufficient permissions"}`)
	_, _, err = e.admin.Users.CreateUserRunner(&gitlab.CreateUserRunnerOptions{RunnerType: gitlab.Ptr("group_type")})
	e.refused(err, 400, `{"error":"group_id is missing"}`)
}

func usernames(users []*gitlab.User) []string {
	var out []string
	for _, u := range users {
		out = append(out, u.Username)
	}
	return out
}
