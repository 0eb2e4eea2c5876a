package conformance

import (
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gitlab "gitlab.com/gitlab-org/api/client-go/v2"
)

// noreply is the domain of generated service-account emails
// (User::NOREPLY_EMAIL_DOMAIN, "noreply.<gitlab host>").
func (e *env) noreply() string {
	u, err := url.Parse(e.s.URL)
	require.NoError(e.t, err)
	return "noreply." + u.Hostname()
}

// lib/api/service_accounts.rb (authenticated_as_admin!) and
// app/services/users/service_accounts/create_service.rb: defaults
// "Service account user", service_account_<hex> and
// <username>@noreply.<host>; the list holds every service account, id
// descending; PATCH refuses a user who is not a service account (400)
// and a missing one (404 "Not found", User.find).
func TestInstanceServiceAccounts(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	older, _ := e.s.CreateServiceAccount(gitlabtest.UserSpec{Username: "older-bot"})

	u, resp, err := e.admin.Users.CreateServiceAccountUser(&gitlab.CreateServiceAccountUserOptions{})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "Service account user", u.Name)
	assert.Regexp(t, regexp.MustCompile(`^service_account_[0-9a-f]{32}$`), u.Username)
	assert.Equal(t, u.Username+"@"+e.noreply(), u.Email)
	stored, _ := e.s.User(u.ID)
	assert.True(t, stored.ServiceAccount)
	_, _, err = jane.Users.CreateServiceAccountUser(&gitlab.CreateServiceAccountUserOptions{})
	e.refused(err, 403, `{"message":"403 Forbidden"}`)

	list, _, err := e.admin.Users.ListServiceAccounts(nil)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, []int64{u.ID, older}, []int64{list[0].ID, list[1].ID})

	sa, resp, err := e.admin.Users.UpdateInstanceServiceAccount(older, &gitlab.UpdateServiceAccountOptions{Name: gitlab.Ptr("Deploy bot")})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "Deploy bot", sa.Name)
	stored, _ = e.s.User(older)
	assert.Equal(t, "Deploy bot", stored.Name)
	_, _, err = e.admin.Users.UpdateInstanceServiceAccount(janeID, &gitlab.UpdateServiceAccountOptions{Name: gitlab.Ptr("x")})
	e.refused(err, 400, `{"message":"User is not a service account"}`)
	_, _, err = e.admin.Users.UpdateInstanceServiceAccount(999, &gitlab.UpdateServiceAccountOptions{Name: gitlab.Ptr("x")})
	e.refused(err, 404, `{"message":"404 Not found"}`)
}

// lib/api/group_service_accounts.rb: the group (404 Group) and
// admin_service_accounts (403 for a Maintainer) first; only accounts this group
// provisioned (404 User); create answers 201 with the
// service_account_group_<id>_ prefix; delete 204; the account's tokens
// are listed, created (201), rotated (200) and revoked (204).
func TestGroupServiceAccounts(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	g := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "team"})
	e.s.AddGroupMember(g, janeID, gitlabtest.AccessMaintainer)
	other := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "other"})
	foreign, _ := e.s.CreateServiceAccount(gitlabtest.UserSpec{Username: "foreign", ProvisionedByGroupID: other})

	sa, resp, err := e.admin.Groups.CreateServiceAccount("team", &gitlab.CreateServiceAccountOptions{Name: gitlab.Ptr("CI")})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "CI", sa.Name)
	assert.Regexp(t, regexp.MustCompile(`^service_account_group_`+strconv.FormatInt(g, 10)+`_[0-9a-f]{32}$`), sa.UserName)
	stored, _ := e.s.User(sa.ID)
	assert.Equal(t, g, stored.ProvisionedByGroupID)

	list, _, err := e.admin.Groups.ListServiceAccounts(g, nil)
	require.NoError(t, err)
	require.Len(t, list, 1, "only this group's accounts")
	assert.Equal(t, sa.ID, list[0].ID)
	_, _, err = e.admin.Groups.ListServiceAccounts("nope", nil)
	e.refused(err, 404, `{"message":"404 Group Not Found"}`)
	_, _, err = jane.Groups.ListServiceAccounts(g, nil)
	e.refused(err, 403, `{"message":"403 Forbidden"}`)

	upd, resp, err := e.admin.Groups.UpdateServiceAccount(g, sa.ID, &gitlab.UpdateServiceAccountOptions{Name: gitlab.Ptr("CI bot")})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "CI bot", upd.Name)
	_, _, err = e.admin.Groups.UpdateServiceAccount(g, foreign, &gitlab.UpdateServiceAccountOptions{Name: gitlab.Ptr("x")})
	e.refused(err, 404, `{"message":"404 User Not Found"}`)

	expires := time.Now().AddDate(0, 1, 0)
	tok, resp, err := e.admin.Groups.CreateServiceAccountPersonalAccessToken(g, sa.ID, &gitlab.CreateServiceAccountPersonalAccessTokenOptions{
		Name: gitlab.Ptr("deploy"), Scopes: &[]string{"api"}, ExpiresAt: gitlab.Ptr(gitlab.ISOTime(expires)),
	})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, sa.ID, tok.UserID)
	assert.NotEmpty(t, tok.Token)
	assert.Equal(t, day(expires), tok.ExpiresAt.String())

	toks, _, err := e.admin.Groups.ListServiceAccountPersonalAccessTokens(g, sa.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"deploy"}, tokenNames(toks))

	rot, resp, err := e.admin.Groups.RotateServiceAccountPersonalAccessToken(g, sa.ID, tok.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.NotEqual(t, tok.Token, rot.Token)
	old, _ := e.s.Token(tok.ID)
	assert.True(t, old.Revoked)

	resp, err = e.admin.Groups.RevokeServiceAccountPersonalAccessToken(g, sa.ID, rot.ID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	revoked, _ := e.s.Token(rot.ID)
	assert.True(t, revoked.Revoked)
	_, err = e.admin.Groups.RevokeServiceAccountPersonalAccessToken(g, sa.ID, 999)
	e.refused(err, 404, `{"message":"404 Personal Access Token Not Found"}`)

	resp, err = e.admin.Groups.DeleteServiceAccount(g, sa.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	_, found := e.s.User(sa.ID)
	assert.False(t, found)
}

// lib/api/project_service_accounts.rb: as the group API, with the
// project (404 Project) and admin_service_accounts (403 for a Developer)
// first and the service_account_project_<id>_
// prefix; a token that is not the account's is 404 Personal Access
// Token on rotate, where the group API says 404 Not Found.
func TestProjectServiceAccounts(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	g := e.s.CreateGroup(gitlabtest.GroupSpec{Path: "team"})
	p := e.s.CreateProject(gitlabtest.ProjectSpec{Path: "api", GroupID: g})
	e.s.AddProjectMember(p, janeID, gitlabtest.AccessDeveloper)

	sa, resp, err := e.admin.Projects.CreateProjectServiceAccount("team/api", &gitlab.CreateProjectServiceAccountOptions{Name: gitlab.Ptr("CI")})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Regexp(t, regexp.MustCompile(`^service_account_project_`+strconv.FormatInt(p, 10)+`_[0-9a-f]{32}$`), sa.Username)
	stored, _ := e.s.User(sa.ID)
	assert.Equal(t, p, stored.ProvisionedByProjectID)

	list, _, err := e.admin.Projects.ListProjectServiceAccounts(p, nil)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, sa.ID, list[0].ID)
	_, _, err = e.admin.Projects.ListProjectServiceAccounts(999, nil)
	e.refused(err, 404, `{"message":"404 Project Not Found"}`)
	_, _, err = jane.Projects.ListProjectServiceAccounts(p, nil)
	e.refused(err, 403, `{"message":"403 Forbidden"}`)

	upd, _, err := e.admin.Projects.UpdateProjectServiceAccount(p, sa.ID, &gitlab.UpdateProjectServiceAccountOptions{Name: gitlab.Ptr("CI bot")})
	require.NoError(t, err)
	assert.Equal(t, "CI bot", upd.Name)

	tok, resp, err := e.admin.Projects.CreateProjectServiceAccountPersonalAccessToken(p, sa.ID, &gitlab.CreateProjectServiceAccountPersonalAccessTokenOptions{
		Name: gitlab.Ptr("deploy"), Scopes: &[]string{"read_api"}, ExpiresAt: gitlab.Ptr(gitlab.ISOTime(time.Now().AddDate(0, 1, 0))),
	})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	toks, _, err := e.admin.Projects.ListProjectServiceAccountPersonalAccessTokens(p, sa.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"deploy"}, tokenNames(toks))

	rot, resp, err := e.admin.Projects.RotateProjectServiceAccountPersonalAccessToken(p, sa.ID, tok.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.NotEqual(t, tok.ID, rot.ID)
	_, _, err = e.admin.Projects.RotateProjectServiceAccountPersonalAccessToken(p, sa.ID, 999, nil)
	e.refused(err, 404, `{"message":"404 Personal Access Token Not Found"}`)

	resp, err = e.admin.Projects.RevokeProjectServiceAccountPersonalAccessToken(p, sa.ID, rot.ID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	revoked, _ := e.s.Token(rot.ID)
	assert.True(t, revoked.Revoked)

	resp, err = e.admin.Projects.DeleteProjectServiceAccount(p, sa.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	_, found := e.s.User(sa.ID)
	assert.False(t, found)
}
