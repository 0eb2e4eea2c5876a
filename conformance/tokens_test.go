package conformance

import (
	"strings"
	"testing"
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gitlab "gitlab.com/gitlab-org/api/client-go/v2"
)

// day is t's date as GitLab writes a token's expires_at.
func day(t time.Time) string { return t.UTC().Format("2006-01-02") }

// lib/api/users.rb, impersonation_tokens (before { authenticated_as_admin! })
// and app/models/personal_access_token.rb: create answers the token once
// (201, impersonation true); expires_at is required while
// require_personal_access_token_expiry is on (its default); the list
// has only impersonation tokens; a personal token's ID is 404
// Impersonation Token; revoke keeps the token, revoked.
func TestImpersonationTokens(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	expires := time.Now().AddDate(0, 1, 0)

	tok, resp, err := e.admin.Users.CreateImpersonationToken(janeID, &gitlab.CreateImpersonationTokenOptions{
		Name: gitlab.Ptr("support"), Scopes: &[]string{"api", "read_user"}, ExpiresAt: gitlab.Ptr(expires),
	})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "support", tok.Name)
	assert.True(t, tok.Active)
	assert.True(t, strings.HasPrefix(tok.Token, "glpat-"), tok.Token)
	assert.Equal(t, day(expires), tok.ExpiresAt.String())
	stored := e.s.ImpersonationTokens(janeID)
	require.Len(t, stored, 1)
	assert.Equal(t, tok.Token, stored[0].Token)
	assert.Equal(t, []string{"api", "read_user"}, stored[0].Scopes)

	_, _, err = e.admin.Users.CreateImpersonationToken(janeID, &gitlab.CreateImpersonationTokenOptions{Name: gitlab.Ptr("x"), Scopes: &[]string{"api"}})
	e.refused(err, 400, `{"message":{"expires_at":["can't be blank"]}}`)
	_, _, err = jane.Users.CreateImpersonationToken(janeID, &gitlab.CreateImpersonationTokenOptions{Name: gitlab.Ptr("x"), Scopes: &[]string{"api"}, ExpiresAt: gitlab.Ptr(expires)})
	e.refused(err, 403, `{"message":"403 Forbidden"}`)

	list, _, err := e.admin.Users.GetAllImpersonationTokens(janeID, &gitlab.GetAllImpersonationTokensOptions{State: gitlab.Ptr("active")})
	require.NoError(t, err)
	require.Len(t, list, 1, "jane's seed token is not an impersonation token")
	assert.Equal(t, tok.ID, list[0].ID)
	assert.Empty(t, list[0].Token, "the secret is shown once")

	got, _, err := e.admin.Users.GetImpersonationToken(janeID, tok.ID)
	require.NoError(t, err)
	assert.Equal(t, "support", got.Name)
	seed := e.s.PersonalTokens(janeID)[0]
	_, _, err = e.admin.Users.GetImpersonationToken(janeID, seed.ID)
	e.refused(err, 404, `{"message":"404 Impersonation Token Not Found"}`)

	resp, err = e.admin.Users.RevokeImpersonationToken(janeID, tok.ID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	revoked, _ := e.s.Token(tok.ID)
	assert.True(t, revoked.Revoked)
}

// lib/api/users.rb, post ":user_id/personal_access_tokens" (admin):
// name and scopes required, scopes among all available ones; 201 with
// the secret. PersonalAccessToken#validate_scopes checks
// Gitlab::Auth.all_available_scopes only, so an administrator may give a
// non-admin's token sudo and admin_mode.
func TestCreatePersonalAccessToken(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	expires := time.Now().AddDate(0, 0, 30)

	tok, resp, err := e.admin.Users.CreatePersonalAccessToken(janeID, &gitlab.CreatePersonalAccessTokenOptions{
		Name: gitlab.Ptr("ci"), Description: gitlab.Ptr("for CI"), Scopes: &[]string{"read_api"}, ExpiresAt: gitlab.Ptr(gitlab.ISOTime(expires)),
	})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, janeID, tok.UserID)
	assert.Equal(t, []string{"read_api"}, tok.Scopes)
	assert.Equal(t, "for CI", tok.Description)
	assert.Equal(t, day(expires), tok.ExpiresAt.String())
	stored, ok := e.s.Token(tok.ID)
	require.True(t, ok)
	assert.Equal(t, tok.Token, stored.Token)
	assert.False(t, stored.Impersonation)

	_, _, err = e.admin.Users.CreatePersonalAccessToken(janeID, &gitlab.CreatePersonalAccessTokenOptions{})
	e.refused(err, 400, `{"error":"name is missing, scopes is missing"}`)
	_, _, err = e.admin.Users.CreatePersonalAccessToken(janeID, &gitlab.CreatePersonalAccessTokenOptions{Name: gitlab.Ptr("x"), Scopes: &[]string{"everything"}})
	e.refused(err, 400, `{"error":"scopes does not have a valid value"}`)
	_, _, err = jane.Users.CreatePersonalAccessToken(janeID, &gitlab.CreatePersonalAccessTokenOptions{Name: gitlab.Ptr("x"), Scopes: &[]string{"api"}})
	e.refused(err, 403, `{"message":"403 Forbidden"}`)
}

// app/models/personal_access_token.rb: validate_scopes checks
// Gitlab::Auth.all_available_scopes only, so an administrator may give a
// non-admin's personal or impersonation token sudo and admin_mode.
func TestAdminScopesOnNonAdminTokens(t *testing.T) {
	e := newEnv(t)
	janeID, _ := e.user(gitlabtest.UserSpec{Username: "jane"})
	expires := time.Now().AddDate(0, 0, 30)

	pat, resp, err := e.admin.Users.CreatePersonalAccessToken(janeID, &gitlab.CreatePersonalAccessTokenOptions{
		Name: gitlab.Ptr("admin"), Scopes: &[]string{"sudo", "admin_mode"}, ExpiresAt: gitlab.Ptr(gitlab.ISOTime(expires)),
	})
	if assert.NoError(t, err) {
		assert.Equal(t, 201, resp.StatusCode)
		assert.Equal(t, []string{"sudo", "admin_mode"}, pat.Scopes)
	}

	imp, resp, err := e.admin.Users.CreateImpersonationToken(janeID, &gitlab.CreateImpersonationTokenOptions{
		Name: gitlab.Ptr("sudo"), Scopes: &[]string{"sudo"}, ExpiresAt: gitlab.Ptr(expires),
	})
	if assert.NoError(t, err) {
		assert.Equal(t, 201, resp.StatusCode)
		assert.Equal(t, []string{"sudo"}, imp.Scopes)
	}
}

// lib/api/users.rb, post "personal_access_tokens" (resource :user): only
// k8s_proxy and self_rotate may be asked for (values:).
func TestCreatePersonalAccessTokenForCurrentUser(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	expires := time.Now().AddDate(0, 0, 7)

	tok, resp, err := jane.Users.CreatePersonalAccessTokenForCurrentUser(&gitlab.CreatePersonalAccessTokenForCurrentUserOptions{
		Name: gitlab.Ptr("k8s"), Scopes: &[]string{"k8s_proxy"}, ExpiresAt: gitlab.Ptr(gitlab.ISOTime(expires)),
	})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, janeID, tok.UserID)
	assert.Equal(t, []string{"k8s_proxy"}, tok.Scopes)
	assert.NotEmpty(t, tok.Token)
	assert.Len(t, e.s.PersonalTokens(janeID), 2)

	_, _, err = jane.Users.CreatePersonalAccessTokenForCurrentUser(&gitlab.CreatePersonalAccessTokenForCurrentUserOptions{Name: gitlab.Ptr("x"), Scopes: &[]string{"api"}})
	e.refused(err, 400, `{"error":"scopes does not have a valid value"}`)
}

// lib/api/personal_access_tokens.rb: a non-admin lists and reads only
// their own tokens (restrict_non_admins!: another user_id is 401; an
// unreadable token is 401, so existence is not leaked); an administrator
// lists everyone's and gets 404 "Not Found" for a missing ID.
func TestListAndGetPersonalAccessTokens(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	bobID, _ := e.user(gitlabtest.UserSpec{Username: "bob"})
	bobTok, _ := e.s.CreateToken(bobID, gitlabtest.TokenSpec{Name: "bob-ci"})
	e.s.CreateToken(janeID, gitlabtest.TokenSpec{Name: "old", Revoked: true})

	mine, resp, err := jane.PersonalAccessTokens.ListPersonalAccessTokens(nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, []string{"seed", "old"}, tokenNames(mine))
	for _, tok := range mine {
		assert.Equal(t, janeID, tok.UserID)
	}
	active, _, err := jane.PersonalAccessTokens.ListPersonalAccessTokens(&gitlab.ListPersonalAccessTokensOptions{State: gitlab.Ptr("active")})
	require.NoError(t, err)
	assert.Equal(t, []string{"seed"}, tokenNames(active))
	_, _, err = jane.PersonalAccessTokens.ListPersonalAccessTokens(&gitlab.ListPersonalAccessTokensOptions{UserID: gitlab.Ptr(bobID)})
	e.refused(err, 401, `{"message":"401 Unauthorized"}`)

	bobs, _, err := e.admin.PersonalAccessTokens.ListPersonalAccessTokens(&gitlab.ListPersonalAccessTokensOptions{UserID: gitlab.Ptr(bobID)})
	require.NoError(t, err)
	assert.Equal(t, []string{"seed", "bob-ci"}, tokenNames(bobs))

	got, _, err := e.admin.PersonalAccessTokens.GetSinglePersonalAccessTokenByID(bobTok)
	require.NoError(t, err)
	assert.Equal(t, "bob-ci", got.Name)
	assert.Empty(t, got.Token)
	_, _, err = jane.PersonalAccessTokens.GetSinglePersonalAccessTokenByID(bobTok)
	e.refused(err, 401, `{"message":"401 Unauthorized"}`)
	_, _, err = e.admin.PersonalAccessTokens.GetSinglePersonalAccessTokenByID(999)
	e.refused(err, 404, `{"message":"404 Not Found"}`)
}

// lib/api/personal_access_tokens/self_information.rb: the presenting
// token, whatever its scopes.
func TestGetSinglePersonalAccessToken(t *testing.T) {
	e := newEnv(t)
	janeID, _ := e.user(gitlabtest.UserSpec{Username: "jane"})
	id, secret := e.s.CreateToken(janeID, gitlabtest.TokenSpec{Name: "repo", Scopes: []string{"read_repository"}})

	tok, resp, err := e.client(secret).PersonalAccessTokens.GetSinglePersonalAccessToken()
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, id, tok.ID)
	assert.Equal(t, []string{"read_repository"}, tok.Scopes)
	assert.True(t, tok.Active)
}

// lib/api/personal_access_tokens.rb, post ":id/rotate", and
// app/services/personal_access_tokens/rotate_service.rb: 200 with a new
// token (expiring in a week unless expires_at is given), the old one
// revoked; rotating a revoked token is 400; a non-admin gets 401 for
// another user's token.
func TestRotatePersonalAccessToken(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	_, bob := e.user(gitlabtest.UserSpec{Username: "bob"})
	oldID, _ := e.s.CreateToken(janeID, gitlabtest.TokenSpec{Name: "ci", Scopes: []string{"read_api"}})

	tok, resp, err := jane.PersonalAccessTokens.RotatePersonalAccessTokenByID(oldID, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.NotEqual(t, oldID, tok.ID)
	assert.Equal(t, "ci", tok.Name)
	assert.Equal(t, []string{"read_api"}, tok.Scopes)
	assert.Equal(t, day(time.Now().AddDate(0, 0, 7)), tok.ExpiresAt.String())
	old, _ := e.s.Token(oldID)
	assert.True(t, old.Revoked)
	rotated, _ := e.s.Token(tok.ID)
	assert.Equal(t, oldID, rotated.PreviousID)

	_, _, err = jane.PersonalAccessTokens.RotatePersonalAccessTokenByID(oldID, nil)
	e.refused(err, 400, `{"message":"400 Bad request - Token already revoked"}`)
	_, _, err = bob.PersonalAccessTokens.RotatePersonalAccessTokenByID(tok.ID, nil)
	e.refused(err, 401, `{"message":"401 Unauthorized"}`)

	expires := time.Now().AddDate(0, 2, 0)
	tok, _, err = e.admin.PersonalAccessTokens.RotatePersonalAccessToken(tok.ID, &gitlab.RotatePersonalAccessTokenOptions{ExpiresAt: gitlab.Ptr(gitlab.ISOTime(expires))})
	require.NoError(t, err)
	assert.Equal(t, day(expires), tok.ExpiresAt.String())
}

// lib/api/personal_access_tokens/self_rotation.rb: the presenting token
// is rotated (api or self_rotate scope); the old secret then gets the
// invalid_token 401 of a revoked token (lib/gitlab/auth/auth_finders.rb).
func TestRotatePersonalAccessTokenSelf(t *testing.T) {
	e := newEnv(t)
	janeID, _ := e.user(gitlabtest.UserSpec{Username: "jane"})
	oldID, secret := e.s.CreateToken(janeID, gitlabtest.TokenSpec{Name: "self", Scopes: []string{"self_rotate"}})
	c := e.client(secret)

	tok, resp, err := c.PersonalAccessTokens.RotatePersonalAccessTokenSelf(nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.NotEqual(t, secret, tok.Token)
	old, _ := e.s.Token(oldID)
	assert.True(t, old.Revoked)

	_, _, err = c.PersonalAccessTokens.GetSinglePersonalAccessToken()
	e.refused(err, 401, `{"error":"invalid_token","error_description":"Token was revoked. You have to re-authorize from the user."}`)
	_, _, err = e.client(tok.Token).PersonalAccessTokens.GetSinglePersonalAccessToken()
	assert.NoError(t, err, "the new token works")
}

// lib/api/personal_access_tokens.rb, delete ":id", and
// app/services/personal_access_tokens/revoke_service.rb: 204 and the
// token kept revoked; another user's token is 400 "Not permitted to
// revoke"; a missing one 404 "Not found" (ActiveRecord::RecordNotFound).
func TestRevokePersonalAccessTokenByID(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	bobID, _ := e.user(gitlabtest.UserSpec{Username: "bob"})
	mine, _ := e.s.CreateToken(janeID, gitlabtest.TokenSpec{Name: "ci"})
	bobs, _ := e.s.CreateToken(bobID, gitlabtest.TokenSpec{Name: "ci"})

	resp, err := jane.PersonalAccessTokens.RevokePersonalAccessTokenByID(mine)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	tok, _ := e.s.Token(mine)
	assert.True(t, tok.Revoked)

	_, err = jane.PersonalAccessTokens.RevokePersonalAccessTokenByID(bobs)
	e.refused(err, 400, `{"message":"400 Bad request - Not permitted to revoke"}`)
	_, err = jane.PersonalAccessTokens.RevokePersonalAccessTokenByID(999)
	e.refused(err, 404, `{"message":"404 Not found"}`)
}

// lib/api/personal_access_tokens/self_information.rb, delete: the
// presenting token is revoked (204) and cannot authenticate afterwards.
func TestRevokePersonalAccessTokenSelf(t *testing.T) {
	e := newEnv(t)
	janeID, _ := e.user(gitlabtest.UserSpec{Username: "jane"})
	id, secret := e.s.CreateToken(janeID, gitlabtest.TokenSpec{Name: "tmp", Scopes: []string{"read_user"}})
	c := e.client(secret)

	resp, err := c.PersonalAccessTokens.RevokePersonalAccessTokenSelf()
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	tok, _ := e.s.Token(id)
	assert.True(t, tok.Revoked)

	_, err = c.PersonalAccessTokens.RevokePersonalAccessTokenSelf()
	e.refused(err, 401, `{"error":"invalid_token","error_description":"Token was revoked. You have to re-authorize from the user."}`)
}

func tokenNames(toks []*gitlab.PersonalAccessToken) []string {
	var out []string
	for _, t := range toks {
		out = append(out, t.Name)
	}
	return out
}
