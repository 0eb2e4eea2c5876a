package gitlabtest_test

// Contract cases of the credentials a user leaves behind: group and
// project access tokens (AccessTokens), the administrators' token
// information API (TokenInformation), deploy keys (DeployKeys), a user's
// contribution events (Users.ListEvents) and GET /avatar
// (Users.GetAvatar). Each calls the SDK against the fake and checks the
// decoded answer, the fake's state afterwards (AccessTokens, Token,
// User, Members, Runners, DeployKeys, Events) and GitLab's unusual
// statuses as typed errors. TestContract runs them with the others.

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// credentialCases are the contract cases of this file, in TestContract's
// table.
var credentialCases = []contractCase{
	{"AccessTokensCreateAuthenticatesAsBot", contractAccessTokensCreate},
	{"AccessTokensListGet", contractAccessTokensListGet},
	{"AccessTokensRotate", contractAccessTokensRotate},
	{"AccessTokensRotateCurrent", contractAccessTokensRotateCurrent},
	{"AccessTokensRevoke", contractAccessTokensRevoke},
	{"TokenInformationEveryType", contractTokenInformation},
	{"TokenInformationRefusals", contractTokenInformationRefusals},
	{"DeployKeysForUser", contractDeployKeysForUser},
	{"DeployKeysAdmin", contractDeployKeysAdmin},
	{"UserEventsJoinedLeft", contractUserEvents},
	{"UserEventsIterHiddenPage", contractUserEventsHiddenPage},
	{"Avatar", contractAvatar},
}

// credWorldC is the world of the credential cases: the private group
// top (owner is its Owner, maint a Maintainer) and its private project
// top/app (dev a Developer, maint a Maintainer through the group), the
// group other (stranger's), and a client (without retries) per user,
// "root" the administrator's.
type credWorldC struct {
	s        *gitlabtest.Server
	ids      map[string]int64
	c        map[string]*gitlab.Client
	top, app int64
	oth      int64
}

func contractCredWorld(t *testing.T, opts ...gitlabtest.Option) credWorldC {
	t.Helper()
	s, admin := contractServer(t, opts...)
	w := credWorldC{s: s, ids: map[string]int64{}, c: map[string]*gitlab.Client{"root": admin}}
	for _, n := range []string{"owner", "maint", "dev", "stranger"} {
		id, tok := s.CreateUser(gitlabtest.UserSpec{Username: n, Name: "N " + n, Email: n + "@example.com"})
		w.ids[n], w.c[n] = id, s.ClientFor(tok, gitlab.WithoutRetries())
	}
	w.top = s.CreateGroup(gitlabtest.GroupSpec{Path: "top", Owners: []int64{w.ids["owner"]}})
	s.AddGroupMember(w.top, w.ids["maint"], gitlabtest.AccessMaintainer)
	w.app = s.CreateProject(gitlabtest.ProjectSpec{Path: "app", GroupID: w.top})
	s.AddProjectMember(w.app, w.ids["dev"], gitlabtest.AccessDeveloper)
	w.oth = s.CreateGroup(gitlabtest.GroupSpec{Path: "other", Owners: []int64{w.ids["stranger"]}})
	return w
}

// client is a client (without retries) for a secret.
func (w credWorldC) client(secret string) *gitlab.Client {
	return w.s.ClientFor(secret, gitlab.WithoutRetries())
}

// tokenNames returns the names of tokens, in order.
func tokenNames(tokens []*gitlab.AccessToken) []string {
	out := []string{}
	for _, tk := range tokens {
		out = append(out, tk.Name)
	}
	return out
}

// assertRevokedSecret asserts a request made with secret is refused as
// GitLab refuses a revoked token: 401, ErrUnauthorized.
func assertRevokedSecret(t *testing.T, w credWorldC, secret string) {
	t.Helper()
	_, _, err := w.client(secret).Users.Current(context.Background())
	assert.True(t, errors.Is(err, gitlab.ErrUnauthorized), "%v", err)
	contractInvalidToken(t, err, revokedText)
}

// assertSecretIs asserts secret authenticates as the user id.
func assertSecretIs(t *testing.T, w credWorldC, secret string, id int64) {
	t.Helper()
	me, _, err := w.client(secret).Users.Current(context.Background())
	require.NoError(t, err)
	assert.Equal(t, id, me.ID)
}

// A group access token made through the SDK is a credential of its own
// bot user, a member of the group at the token's level.
func contractAccessTokensCreate(t *testing.T) {
	t.Parallel()
	w := contractCredWorld(t)
	ctx := context.Background()
	top := gitlab.GroupPath("top")

	tok, resp, err := w.c["owner"].AccessTokens.Create(ctx, top, &gitlab.CreateAccessTokenOptions{
		Name: gitlab.Ptr("ci"), Description: gitlab.Ptr("deploys"), Scopes: []string{gitlab.ScopeAPI, "read_repository"},
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelDeveloper), ExpiresAt: date(2025, 12, 31)})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "ci", tok.Name)
	assert.Equal(t, "deploys", tok.Description)
	assert.Equal(t, []string{"api", "read_repository"}, tok.Scopes)
	assert.True(t, tok.Active)
	assert.False(t, tok.Revoked)
	assert.False(t, tok.Granular)
	assert.Equal(t, gitlab.AccessLevelDeveloper, tok.AccessLevel)
	assert.Equal(t, "group", tok.ResourceType)
	assert.Equal(t, w.top, tok.ResourceID)
	require.NotNil(t, tok.ExpiresAt)
	assert.Equal(t, *date(2025, 12, 31), *tok.ExpiresAt)
	require.NotNil(t, tok.CreatedAt)
	assert.True(t, contractNow.Equal(*tok.CreatedAt))
	assert.Nil(t, tok.LastUsedAt)
	assert.Empty(t, tok.LastUsedIPs)
	secret := tok.Token.Value()
	assert.True(t, strings.HasPrefix(secret, "glpat-"), "a personal access token of the bot")

	// The fake's state: the token, its bot user, the bot's membership.
	saved := w.s.AccessTokens(gitlabtest.GroupSource(w.top))
	require.Len(t, saved, 1)
	assert.Equal(t, tok.ID, saved[0].ID)
	assert.Equal(t, secret, saved[0].Token)
	assert.Equal(t, tok.UserID, saved[0].UserID)
	assert.Equal(t, "deploys", saved[0].Description)
	bot, ok := w.s.User(tok.UserID)
	require.True(t, ok)
	pattern := regexp.MustCompile(`^group_` + itoa(w.top) + `_bot_[0-9a-f]{16}$`)
	assert.Regexp(t, pattern, bot.Username)
	assert.Equal(t, bot.Username+"@noreply.127.0.0.1", bot.Email)
	assert.Equal(t, "ci", bot.Name)
	assert.True(t, bot.Bot)
	assert.True(t, bot.ProjectBot)
	assert.Equal(t, gitlabtest.AccessDeveloper, levels(w.s.Members(gitlabtest.GroupSource(w.top)))[tok.UserID])

	// The secret authenticates as the bot.
	me, _, err := w.client(secret).Users.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, tok.UserID, me.ID)
	assert.Regexp(t, pattern, me.Username)
	assert.True(t, me.Bot)
	assert.Equal(t, "ci", me.Name)

	// GitLab's odd statuses: without an expiry 400 with the service's
	// words, without the rights to create 400, to list 401 (also for
	// the Developer-level bot itself).
	_, _, err = w.c["owner"].AccessTokens.Create(ctx, top, &gitlab.CreateAccessTokenOptions{
		Name: gitlab.Ptr("forever"), Scopes: []string{gitlab.ScopeAPI}})
	assert.True(t, errors.Is(err, gitlab.ErrBadRequest))
	memberErr(t, err, 400, "400 Bad request - expires_at is missing")
	_, _, err = w.c["maint"].AccessTokens.Create(ctx, top, &gitlab.CreateAccessTokenOptions{
		Name: gitlab.Ptr("x"), Scopes: []string{gitlab.ScopeAPI}, ExpiresAt: date(2025, 12, 31)})
	memberErr(t, err, 400, "400 Bad request - User does not have permission to create group access token")
	_, _, err = w.c["owner"].AccessTokens.Create(ctx, gitlab.GroupID(w.top), &gitlab.CreateAccessTokenOptions{
		Name: gitlab.Ptr("x"), Scopes: []string{gitlab.ScopeAPI}, AccessLevel: gitlab.Ptr(gitlab.AccessLevelOwner), ExpiresAt: date(2026, 3, 15)})
	memberErr(t, err, 400, "400 Bad request - Expires at must be before 2026-03-14")
	for _, c := range []*gitlab.Client{w.c["maint"], w.client(secret)} {
		_, _, err = c.AccessTokens.List(ctx, top, nil)
		assert.True(t, errors.Is(err, gitlab.ErrUnauthorized), "%v", err)
		memberErr(t, err, 401, "401 Unauthorized")
	}
	_, _, err = w.c["stranger"].AccessTokens.List(ctx, top, nil)
	memberErr(t, err, 404, "404 Group Not Found")
	assert.Len(t, w.s.AccessTokens(gitlabtest.GroupSource(w.top)), 1, "no refused create made a token")
}

// List with its filters and across pages, and Get, of a project's
// tokens.
func contractAccessTokensListGet(t *testing.T) {
	t.Parallel()
	w := contractCredWorld(t)
	ctx := context.Background()
	app := gitlab.ProjectPath("top/app")
	appSrc := gitlabtest.ProjectSource(w.app)
	var ids []int64
	for _, n := range []string{"alpha", "beta", "gamma", "delta"} {
		id, _, _ := w.s.AddAccessToken(appSrc, gitlabtest.AccessTokenSpec{Name: n, Revoked: n == "beta",
			ExpiresAt: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)})
		ids = append(ids, id)
	}
	w.s.AddAccessToken(gitlabtest.GroupSource(w.oth), gitlabtest.AccessTokenSpec{Name: "elsewhere"})
	made, _, err := w.c["maint"].AccessTokens.Create(ctx, app, &gitlab.CreateAccessTokenOptions{
		Name: gitlab.Ptr("epsilon"), Scopes: []string{"read_api"}, ExpiresAt: date(2025, 3, 1)}) // born expired
	require.NoError(t, err)
	assert.False(t, made.Active)
	assert.Equal(t, gitlab.AccessLevelMaintainer, made.AccessLevel, "GitLab's default level")

	all, resp, err := w.c["maint"].AccessTokens.List(ctx, app, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"alpha", "beta", "gamma", "delta", "epsilon"}, tokenNames(all))
	assert.Equal(t, 5, resp.TotalItems)
	for _, tk := range all {
		assert.True(t, tk.Token.IsZero(), "List shows no secret")
		assert.Equal(t, "project", tk.ResourceType)
		assert.Equal(t, w.app, tk.ResourceID)
	}
	active, _, err := w.c["maint"].AccessTokens.List(ctx, app, &gitlab.ListAccessTokensOptions{State: gitlab.Ptr(gitlab.TokenStateActive)})
	require.NoError(t, err)
	assert.Equal(t, []string{"alpha", "gamma", "delta"}, tokenNames(active))
	inactive, _, err := w.c["root"].AccessTokens.List(ctx, gitlab.ProjectID(w.app), &gitlab.ListAccessTokensOptions{State: gitlab.Ptr(gitlab.TokenStateInactive)})
	require.NoError(t, err)
	assert.Equal(t, []string{"beta", "epsilon"}, tokenNames(inactive))
	found, _, err := w.c["maint"].AccessTokens.List(ctx, app, &gitlab.ListAccessTokensOptions{Search: gitlab.Ptr("AMM"), Revoked: gitlab.Ptr(false)})
	require.NoError(t, err)
	assert.Equal(t, []string{"gamma"}, tokenNames(found))

	// The iterator crosses pages of two.
	w.s.ResetCounters()
	iterated := contractCollect(t, w.c["maint"].AccessTokens.ListIter(ctx, app, &gitlab.ListAccessTokensOptions{ListOptions: gitlab.ListOptions{PerPage: 2}}))
	assert.Equal(t, []string{"alpha", "beta", "gamma", "delta", "epsilon"}, tokenNames(iterated))
	assert.Equal(t, 3, w.s.RouteCount("GET", "/projects/:ref/access_tokens"))

	// Get: a token of this project, without its secret; another
	// project's or group's is 404; a Developer gets 401.
	got, _, err := w.c["maint"].AccessTokens.Get(ctx, app, ids[1])
	require.NoError(t, err)
	assert.Equal(t, "beta", got.Name)
	assert.True(t, got.Revoked)
	assert.False(t, got.Active)
	assert.Equal(t, *date(2025, 12, 1), *got.ExpiresAt)
	assert.True(t, got.Token.IsZero())
	saved := w.s.AccessTokens(appSrc)
	require.Len(t, saved, 5)
	assert.Equal(t, saved[1].UserID, got.UserID)
	_, _, err = w.c["owner"].AccessTokens.Get(ctx, gitlab.GroupID(w.top), ids[0])
	memberErr(t, err, 404, "404 group Access Token Not Found")
	assert.True(t, errors.Is(err, gitlab.ErrNotFound))
	_, _, err = w.c["dev"].AccessTokens.Get(ctx, app, ids[0])
	assert.True(t, errors.Is(err, gitlab.ErrUnauthorized))
	_, _, err = w.c["dev"].AccessTokens.List(ctx, app, nil)
	memberErr(t, err, 401, "401 Unauthorized")
}

// Rotate revokes the token and issues its successor for the same bot.
func contractAccessTokensRotate(t *testing.T) {
	t.Parallel()
	w := contractCredWorld(t)
	ctx := context.Background()
	appSrc := gitlabtest.ProjectSource(w.app)
	id, botID, old := w.s.AddAccessToken(appSrc, gitlabtest.AccessTokenSpec{Name: "rot", Description: "d",
		Scopes: []string{"api", "read_repository"}, AccessLevel: gitlabtest.AccessDeveloper})
	assertSecretIs(t, w, old, botID)

	// Without the rights: 401, and nothing changes.
	_, _, err := w.c["dev"].AccessTokens.Rotate(ctx, gitlab.ProjectID(w.app), id, nil)
	assert.True(t, errors.Is(err, gitlab.ErrUnauthorized), "%v", err)
	memberErr(t, err, 401, "401 Unauthorized")
	_, _, err = w.c["root"].AccessTokens.Rotate(ctx, gitlab.GroupID(w.top), id, nil)
	memberErr(t, err, 404, "404 Not Found")
	assert.Len(t, w.s.AccessTokens(appSrc), 1)

	// Without an expiry: today + 7 days.
	rot, resp, err := w.c["maint"].AccessTokens.Rotate(ctx, gitlab.ProjectPath("top/app"), id, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "rot", rot.Name)
	assert.Equal(t, "d", rot.Description)
	assert.Equal(t, []string{"api", "read_repository"}, rot.Scopes)
	assert.Equal(t, botID, rot.UserID)
	assert.Equal(t, gitlab.AccessLevelDeveloper, rot.AccessLevel)
	assert.Equal(t, *date(2025, 3, 21), *rot.ExpiresAt)
	assert.NotEqual(t, id, rot.ID)
	assert.True(t, rot.Active)
	secret := rot.Token.Value()
	require.NotEmpty(t, secret)
	assert.NotEqual(t, old, secret)

	assertRevokedSecret(t, w, old)
	assertSecretIs(t, w, secret, botID)
	saved := w.s.AccessTokens(appSrc)
	require.Len(t, saved, 2)
	assert.True(t, saved[0].Revoked, "the previous token is revoked")
	assert.Equal(t, [4]any{rot.ID, false, id, secret}, [4]any{saved[1].ID, saved[1].Revoked, saved[1].PreviousID, saved[1].Token})
	prev, ok := w.s.Token(id)
	require.True(t, ok)
	assert.True(t, prev.Revoked)

	// With an expiry; then the revoked token again: 400.
	rot2, _, err := w.c["owner"].AccessTokens.Rotate(ctx, gitlab.ProjectID(w.app), rot.ID, &gitlab.RotateAccessTokenOptions{ExpiresAt: date(2025, 9, 1)})
	require.NoError(t, err)
	assert.Equal(t, *date(2025, 9, 1), *rot2.ExpiresAt)
	assertRevokedSecret(t, w, secret)
	assertSecretIs(t, w, rot2.Token.Value(), botID)
	_, _, err = w.c["maint"].AccessTokens.Rotate(ctx, gitlab.ProjectID(w.app), id, nil)
	assert.True(t, errors.Is(err, gitlab.ErrBadRequest))
	memberErr(t, err, 400, "400 Bad request - Token already revoked")
	assert.Len(t, w.s.AccessTokens(appSrc), 3)
}

// RotateCurrent rotates the bot token the client authenticates with; a
// human's token is refused with 405.
func contractAccessTokensRotateCurrent(t *testing.T) {
	t.Parallel()
	w := contractCredWorld(t)
	ctx := context.Background()
	topSrc := gitlabtest.GroupSource(w.top)
	id, botID, secret := w.s.AddAccessToken(topSrc, gitlabtest.AccessTokenSpec{Name: "self", Scopes: []string{"read_api", "self_rotate"}})
	_, _, readOnly := w.s.AddAccessToken(topSrc, gitlabtest.AccessTokenSpec{Name: "ro", Scopes: []string{"read_api"}})

	_, _, err := w.c["owner"].AccessTokens.RotateCurrent(ctx, gitlab.GroupID(w.top), nil)
	memberErr(t, err, 405, "405 Method Not Allowed")
	_, _, err = w.c["root"].AccessTokens.RotateCurrent(ctx, gitlab.GroupID(w.top), nil)
	contractStatus(t, err, 405)
	_, _, err = w.client(readOnly).AccessTokens.RotateCurrent(ctx, gitlab.GroupID(w.top), nil)
	assert.True(t, errors.Is(err, gitlab.ErrForbidden), "read_api alone: %v", err)
	_, _, err = w.client(secret).AccessTokens.RotateCurrent(ctx, gitlab.GroupPath("other"), nil)
	contractStatus(t, err, 404) // another group, private
	assert.Len(t, w.s.AccessTokens(topSrc), 2, "no refused rotation made a token")

	rot, resp, err := w.client(secret).AccessTokens.RotateCurrent(ctx, gitlab.GroupPath("top"), &gitlab.RotateAccessTokenOptions{ExpiresAt: date(2025, 6, 1)})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, [5]any{"self", botID, []string{"read_api", "self_rotate"}, "group", w.top},
		[5]any{rot.Name, rot.UserID, rot.Scopes, rot.ResourceType, rot.ResourceID})
	assert.Equal(t, *date(2025, 6, 1), *rot.ExpiresAt)
	assertRevokedSecret(t, w, secret)
	assertSecretIs(t, w, rot.Token.Value(), botID)
	prev, ok := w.s.Token(id)
	require.True(t, ok)
	assert.True(t, prev.Revoked)
	next, ok := w.s.Token(rot.ID)
	require.True(t, ok)
	assert.Equal(t, id, next.PreviousID)

	// A project's bot with the api scope; without an expiry, today + 7
	// days.
	pid, pbot, psecret := w.s.AddAccessToken(gitlabtest.ProjectSource(w.app), gitlabtest.AccessTokenSpec{Name: "app bot"})
	_, _, err = w.c["maint"].AccessTokens.RotateCurrent(ctx, gitlab.ProjectID(w.app), nil)
	memberErr(t, err, 405, "405 Method Not Allowed")
	prot, _, err := w.client(psecret).AccessTokens.RotateCurrent(ctx, gitlab.ProjectPath("top/app"), nil)
	require.NoError(t, err)
	assert.Equal(t, [4]any{"app bot", pbot, "project", w.app}, [4]any{prot.Name, prot.UserID, prot.ResourceType, prot.ResourceID})
	assert.Equal(t, *date(2025, 3, 21), *prot.ExpiresAt)
	assertRevokedSecret(t, w, psecret)
	assertSecretIs(t, w, prot.Token.Value(), pbot)
	saved := w.s.AccessTokens(gitlabtest.ProjectSource(w.app))
	require.Len(t, saved, 2)
	assert.Equal(t, [3]any{true, false, pid}, [3]any{saved[0].Revoked, saved[1].Revoked, saved[1].PreviousID})
}

// Revoke: 204; the bot user stays, a member, its token listed inactive.
func contractAccessTokensRevoke(t *testing.T) {
	t.Parallel()
	w := contractCredWorld(t)
	ctx := context.Background()
	app := gitlab.ProjectID(w.app)
	appSrc := gitlabtest.ProjectSource(w.app)
	tok, _, err := w.c["maint"].AccessTokens.Create(ctx, app, &gitlab.CreateAccessTokenOptions{
		Name: gitlab.Ptr("Deploy bot"), Scopes: []string{gitlab.ScopeAPI}, ExpiresAt: date(2025, 12, 31)})
	require.NoError(t, err)
	secret := tok.Token.Value()

	// Without the rights: 400 with the service's words.
	_, err = w.c["dev"].AccessTokens.Revoke(ctx, app, tok.ID)
	assert.True(t, errors.Is(err, gitlab.ErrBadRequest), "%v", err)
	memberErr(t, err, 400, "400 Bad request - N dev cannot delete Deploy bot")
	_, err = w.c["owner"].AccessTokens.Revoke(ctx, gitlab.GroupID(w.top), tok.ID)
	memberErr(t, err, 404, "404 group Access Token Not Found")
	assertSecretIs(t, w, secret, tok.UserID)

	resp, err := w.c["maint"].AccessTokens.Revoke(ctx, gitlab.ProjectPath("top/app"), tok.ID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	assertRevokedSecret(t, w, secret)
	resp, err = w.c["maint"].AccessTokens.Revoke(ctx, app, tok.ID)
	require.NoError(t, err, "revoking twice")
	assert.Equal(t, 204, resp.StatusCode)

	bot, ok := w.s.User(tok.UserID)
	require.True(t, ok, "the bot user stays")
	assert.Equal(t, gitlabtest.StateActive, bot.State)
	assert.Equal(t, gitlabtest.AccessMaintainer, levels(w.s.Members(appSrc))[tok.UserID], "and stays a member")
	saved := w.s.AccessTokens(appSrc)
	require.Len(t, saved, 1)
	assert.True(t, saved[0].Revoked)

	list, _, err := w.c["maint"].AccessTokens.List(ctx, app, &gitlab.ListAccessTokensOptions{State: gitlab.Ptr(gitlab.TokenStateInactive)})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, [4]any{tok.ID, false, true, gitlab.AccessLevelMaintainer}, [4]any{list[0].ID, list[0].Active, list[0].Revoked, list[0].AccessLevel})
	list, _, err = w.c["maint"].AccessTokens.List(ctx, app, &gitlab.ListAccessTokensOptions{State: gitlab.Ptr(gitlab.TokenStateActive)})
	require.NoError(t, err)
	assert.Empty(t, list)
}

// TokenInformation identifies every kind of token the fake issues, and
// revokes or resets each.
func contractTokenInformation(t *testing.T) {
	t.Parallel()
	w := contractCredWorld(t)
	ctx := context.Background()
	admin := w.c["root"]
	janeID, _ := w.s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	pat, _, err := admin.PersonalAccessTokens.CreateForUser(ctx, janeID, &gitlab.CreatePersonalAccessTokenOptions{
		Name: gitlab.Ptr("jane pat"), Scopes: []string{gitlab.ScopeAPI}, ExpiresAt: date(2025, 12, 31)})
	require.NoError(t, err)
	impID, imp := w.s.CreateToken(janeID, gitlabtest.TokenSpec{Name: "jane imp", Impersonation: true})
	saID, saTok := w.s.CreateServiceAccount(gitlabtest.UserSpec{Username: "svc"})
	gid, gbot, groupTok := w.s.AddAccessToken(gitlabtest.GroupSource(w.top), gitlabtest.AccessTokenSpec{Name: "g"})
	pid, pbot, projTok := w.s.AddAccessToken(gitlabtest.ProjectSource(w.app), gitlabtest.AccessTokenSpec{Name: "p"})
	run, _, err := admin.Users.CreateRunner(ctx, &gitlab.CreateUserRunnerOptions{RunnerType: gitlab.Ptr(gitlab.RunnerTypeInstance),
		Description: gitlab.Ptr("builder")})
	require.NoError(t, err)
	runnerTok := run.Token.Value()
	saTokens := w.s.PersonalTokens(saID)
	require.Len(t, saTokens, 1)

	for _, c := range []struct {
		name, secret string
		id, userID   int64
	}{
		{"jane pat", pat.Token.Value(), pat.ID, janeID}, {"jane imp", imp, impID, janeID},
		{saTokens[0].Name, saTok, saTokens[0].ID, saID}, {"g", groupTok, gid, gbot}, {"p", projTok, pid, pbot},
	} {
		info, resp, err := admin.TokenInformation.Get(ctx, c.secret)
		require.NoError(t, err, c.name)
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, gitlab.TokenTypePersonalAccessToken, info.Type, c.name)
		assert.Equal(t, "glpat-", info.Prefix)
		require.NotNil(t, info.PersonalAccessToken, c.name)
		assert.Nil(t, info.Runner)
		assert.Equal(t, [4]any{c.id, c.userID, c.name, true},
			[4]any{info.PersonalAccessToken.ID, info.PersonalAccessToken.UserID, info.PersonalAccessToken.Name, info.PersonalAccessToken.Active}, c.name)
		assert.NotContains(t, string(info.Raw), c.secret, "the secret is redacted from Raw")
	}
	info, _, err := admin.TokenInformation.Get(ctx, runnerTok)
	require.NoError(t, err)
	assert.Equal(t, gitlab.TokenTypeRunnerAuthenticationToken, info.Type)
	assert.Equal(t, "glrt-", info.Prefix)
	require.NotNil(t, info.Runner)
	assert.Nil(t, info.PersonalAccessToken)
	assert.Equal(t, [6]any{run.ID, "builder", "instance_type", true, "never_contacted", "idle"},
		[6]any{info.Runner.ID, info.Runner.Description, info.Runner.RunnerType, info.Runner.IsShared, info.Runner.Status, info.Runner.JobExecutionStatus})
	require.NotNil(t, info.Runner.CreatedBy)
	assert.Equal(t, "root", info.Runner.CreatedBy.Username)

	// Revoke: personal, impersonation, group and project tokens are
	// revoked (their secrets get 401, the bots stay), and still
	// identified, inactive.
	for _, c := range []struct {
		secret string
		id     int64
	}{{pat.Token.Value(), pat.ID}, {imp, impID}, {groupTok, gid}, {projTok, pid}} {
		resp, err := admin.TokenInformation.Revoke(ctx, c.secret)
		require.NoError(t, err)
		assert.Equal(t, 204, resp.StatusCode)
		assertRevokedSecret(t, w, c.secret)
		saved, ok := w.s.Token(c.id)
		require.True(t, ok)
		assert.True(t, saved.Revoked)
		again, _, err := admin.TokenInformation.Get(ctx, c.secret)
		require.NoError(t, err)
		assert.False(t, again.PersonalAccessToken.Active)
		assert.True(t, again.PersonalAccessToken.Revoked)
	}
	for _, c := range []struct {
		bot int64
		src gitlabtest.MemberSource
	}{{gbot, gitlabtest.GroupSource(w.top)}, {pbot, gitlabtest.ProjectSource(w.app)}} {
		_, ok := w.s.User(c.bot)
		assert.True(t, ok, "revoking a resource token keeps its bot")
		assert.Contains(t, levels(w.s.Members(c.src)), c.bot)
	}

	// A service account's token is refused, and keeps working.
	_, err = admin.TokenInformation.Revoke(ctx, saTok)
	assert.True(t, errors.Is(err, gitlab.ErrBadRequest), "%v", err)
	memberErr(t, err, 400, "Unsupported personal access token type")
	assertSecretIs(t, w, saTok, saID)

	// A runner's token is reset: the old one is unknown, the new one
	// (which GitLab does not return) identifies the same runner.
	resp, err := admin.TokenInformation.Revoke(ctx, runnerTok)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	_, _, err = admin.TokenInformation.Get(ctx, runnerTok)
	assert.True(t, errors.Is(err, gitlab.ErrNotFound), "%v", err)
	memberErr(t, err, 404, "Not found")
	runners := w.s.Runners()
	require.Len(t, runners, 1)
	assert.NotEqual(t, runnerTok, runners[0].Token)
	assert.True(t, strings.HasPrefix(runners[0].Token, "glrt-"))
	info, _, err = admin.TokenInformation.Get(ctx, runners[0].Token)
	require.NoError(t, err)
	assert.Equal(t, run.ID, info.Runner.ID)
}

// TokenInformation's refusals: unknown token 404, unknown prefix 422,
// non-administrator 403.
func contractTokenInformationRefusals(t *testing.T) {
	t.Parallel()
	w := contractCredWorld(t)
	ctx := context.Background()
	_, _, groupTok := w.s.AddAccessToken(gitlabtest.GroupSource(w.top), gitlabtest.AccessTokenSpec{})

	_, _, err := w.c["root"].TokenInformation.Get(ctx, "glpat-nosuchtoken")
	assert.True(t, errors.Is(err, gitlab.ErrNotFound), "%v", err)
	memberErr(t, err, 404, "Not found")
	_, err = w.c["root"].TokenInformation.Revoke(ctx, "glpat-nosuchtoken")
	memberErr(t, err, 404, "Not found")
	_, _, err = w.c["root"].TokenInformation.Get(ctx, "unsupported")
	memberErr(t, err, 422, "Token type not supported.")
	_, err = w.c["root"].TokenInformation.Revoke(ctx, "unsupported")
	contractStatus(t, err, 422)

	for _, c := range []*gitlab.Client{w.c["owner"], w.client(groupTok)} {
		_, _, err = c.TokenInformation.Get(ctx, groupTok)
		assert.True(t, errors.Is(err, gitlab.ErrForbidden), "%v", err)
		memberErr(t, err, 403, "403 Forbidden")
		_, err = c.TokenInformation.Revoke(ctx, groupTok)
		contractStatus(t, err, 403)
	}
	assert.False(t, w.s.AccessTokens(gitlabtest.GroupSource(w.top))[0].Revoked, "no refused revoke revoked")
}

// DeployKeys.ListForUser lists the keys of the projects the caller and
// the user both maintain.
func contractDeployKeysForUser(t *testing.T) {
	t.Parallel()
	w := contractCredWorld(t)
	ctx := context.Background()
	s := w.s
	web := s.CreateProject(gitlabtest.ProjectSpec{Path: "web", GroupID: w.oth, Maintainers: []int64{w.ids["maint"], w.ids["dev"]}})
	lone := s.CreateProject(gitlabtest.ProjectSpec{Path: "lone", GroupID: w.oth, Maintainers: []int64{w.ids["dev"]}})
	expires := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
	key := gitlabtest.FakeSSHKey("ci")
	both := s.AddDeployKey(gitlabtest.DeployKeySpec{Title: "ci", Key: key, UserID: w.ids["owner"], ExpiresAt: &expires,
		WriteProjects: []int64{w.app}, ReadOnlyProjects: []int64{web}})
	s.AddDeployKey(gitlabtest.DeployKeySpec{Title: "lone", Key: gitlabtest.FakeSSHKey("lone"), ReadOnlyProjects: []int64{lone}})
	s.AddDeployKey(gitlabtest.DeployKeySpec{Title: "unused", Key: gitlabtest.FakeSSHKey("unused"), UserID: w.ids["maint"]})
	saved := s.DeployKeys()
	require.Len(t, saved, 3)

	// maint's own: the key is enabled in two of maint's projects, so
	// it is listed twice; the others are in no project of maint's.
	keys, resp, err := w.c["maint"].DeployKeys.ListForUser(ctx, gitlab.Username("MAINT"), nil)
	require.NoError(t, err)
	assert.Equal(t, 2, resp.TotalItems)
	require.Len(t, keys, 2)
	k := keys[0]
	assert.Equal(t, [7]any{both, "ci", key, gitlab.SSHKeyUsageType("auth_and_signing"), saved[0].Fingerprint, saved[0].FingerprintSHA256, both},
		[7]any{k.ID, k.Title, k.Key, k.UsageType, k.Fingerprint, k.FingerprintSHA256, keys[1].ID})
	require.NotNil(t, k.CreatedAt)
	assert.True(t, contractNow.Equal(*k.CreatedAt))
	require.NotNil(t, k.ExpiresAt)
	assert.True(t, expires.Equal(*k.ExpiresAt))
	assert.Nil(t, k.LastUsedAt)
	assert.Nil(t, k.ProjectsWithWriteAccess, "only the admin list shows projects")

	// dev's keys as maint sees them: web is the only common project
	// (app counts not: dev is a Developer there).
	keys, _, err = w.c["maint"].DeployKeys.ListForUser(ctx, gitlab.UserID(w.ids["dev"]), nil)
	require.NoError(t, err)
	require.Len(t, keys, 1)
	assert.Equal(t, both, keys[0].ID)
	iterated := contractCollect(t, w.c["dev"].DeployKeys.ListForUserIter(ctx, gitlab.Username("dev"), &gitlab.ListOptions{PerPage: 1}))
	require.Len(t, iterated, 2, "dev's own: web's key and lone's")
	assert.Equal(t, []string{"ci", "lone"}, []string{iterated[0].Title, iterated[1].Title})

	// No common project (stranger's are in other, owner's in top): 403,
	// even for an administrator.
	for _, c := range []struct{ who, of string }{{"stranger", "owner"}, {"root", "maint"}} {
		_, _, err = w.c[c.who].DeployKeys.ListForUser(ctx, gitlab.Username(c.of), nil)
		assert.True(t, errors.Is(err, gitlab.ErrForbidden), "%s: %v", c.who, err)
		memberErr(t, err, 403, "403 Forbidden - No common authorized project found")
	}
	_, _, err = w.c["maint"].DeployKeys.ListForUser(ctx, gitlab.Username("ghost"), nil)
	memberErr(t, err, 404, "404 User Not Found")
}

// DeployKeys.List is the administrators' list of every key, with its
// projects.
func contractDeployKeysAdmin(t *testing.T) {
	t.Parallel()
	w := contractCredWorld(t)
	ctx := context.Background()
	s := w.s
	web := s.CreateProject(gitlabtest.ProjectSpec{Path: "web", GroupID: w.oth, Description: "the site"})
	ci := s.AddDeployKey(gitlabtest.DeployKeySpec{Title: "ci", Key: gitlabtest.FakeSSHKey("ci"), WriteProjects: []int64{web},
		ReadOnlyProjects: []int64{w.app}})
	mirror := s.AddDeployKey(gitlabtest.DeployKeySpec{Title: "mirror", Key: gitlabtest.FakeSSHKey("mirror"), Public: true, UsageType: "auth"})
	spare := s.AddDeployKey(gitlabtest.DeployKeySpec{Title: "spare", Key: gitlabtest.FakeSSHKey("spare"), Public: true})

	keys, resp, err := w.c["root"].DeployKeys.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	require.Len(t, keys, 3)
	assert.Equal(t, []int64{ci, mirror, spare}, []int64{keys[0].ID, keys[1].ID, keys[2].ID})
	require.Len(t, keys[0].ProjectsWithWriteAccess, 1)
	pw := keys[0].ProjectsWithWriteAccess[0]
	assert.Equal(t, [6]any{web, "web", "other / web", "web", "other/web", "the site"},
		[6]any{pw.ID, pw.Name, pw.NameWithNamespace, pw.Path, pw.PathWithNamespace, pw.Description})
	require.NotNil(t, pw.CreatedAt)
	assert.True(t, contractNow.Equal(*pw.CreatedAt))
	require.Len(t, keys[0].ProjectsWithReadonlyAccess, 1)
	assert.Equal(t, [2]any{w.app, "top/app"}, [2]any{keys[0].ProjectsWithReadonlyAccess[0].ID, keys[0].ProjectsWithReadonlyAccess[0].PathWithNamespace})
	assert.NotNil(t, keys[1].ProjectsWithWriteAccess, "an empty array, not absent")
	assert.Empty(t, keys[1].ProjectsWithWriteAccess)
	assert.Empty(t, keys[1].ProjectsWithReadonlyAccess)
	assert.Equal(t, gitlab.SSHKeyUsageType("auth"), keys[1].UsageType)

	saved := s.DeployKeys()
	require.Len(t, saved, 3)
	assert.Equal(t, [3]bool{false, true, true}, [3]bool{saved[0].Public, saved[1].Public, saved[2].Public})
	assert.Len(t, saved[0].Projects, 2)

	pub, _, err := w.c["root"].DeployKeys.List(ctx, &gitlab.ListDeployKeysOptions{Public: gitlab.Ptr(true)})
	require.NoError(t, err)
	require.Len(t, pub, 2)
	assert.Equal(t, []string{"mirror", "spare"}, []string{pub[0].Title, pub[1].Title})
	w.s.ResetCounters()
	iterated := contractCollect(t, w.c["root"].DeployKeys.ListIter(ctx, &gitlab.ListDeployKeysOptions{ListOptions: gitlab.ListOptions{PerPage: 2}}))
	require.Len(t, iterated, 3)
	assert.Equal(t, spare, iterated[2].ID)
	assert.Equal(t, 2, w.s.RouteCount("GET", "/deploy_keys"))

	_, _, err = w.c["owner"].DeployKeys.List(ctx, nil)
	assert.True(t, errors.Is(err, gitlab.ErrForbidden), "%v", err)
	memberErr(t, err, 403, "403 Forbidden")
}

// A member joining and leaving a project through the SDK is recorded,
// and Users.ListEvents lists it with GitLab's filters and visibility.
func contractUserEvents(t *testing.T) {
	t.Parallel()
	clock := &movableClock{now: contractNow}
	w := contractCredWorld(t, gitlabtest.WithClock(clock.Now))
	ctx := context.Background()
	s := w.s
	janeID, janeTok := s.CreateUser(gitlabtest.UserSpec{Username: "jane", Name: "Jane", Email: "jane@example.com"})
	jane := w.client(janeTok)
	pub := s.CreateProject(gitlabtest.ProjectSpec{Path: "pub", GroupID: w.oth, Visibility: "public"})

	// 2025-03-14: jane joins app (private); 2025-03-16: she joins pub
	// (public); 2025-03-18: she leaves app.
	_, _, err := w.c["maint"].Members.Add(ctx, gitlab.ProjectPath("top/app"), &gitlab.AddMemberOptions{UserID: gitlab.Ptr(janeID),
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelReporter)})
	require.NoError(t, err)
	clock.Add(48 * time.Hour)
	_, _, err = w.c["stranger"].Members.Add(ctx, gitlab.ProjectID(pub), &gitlab.AddMemberOptions{Username: gitlab.Ptr("jane"),
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelDeveloper)})
	require.NoError(t, err)
	clock.Add(48 * time.Hour)
	_, err = w.c["maint"].Members.Remove(ctx, gitlab.ProjectID(w.app), janeID, nil)
	require.NoError(t, err)

	evs := s.Events(janeID)
	require.Len(t, evs, 3)
	assert.Equal(t, [3]string{gitlabtest.EventJoined, gitlabtest.EventJoined, gitlabtest.EventLeft}, [3]string{evs[0].Action, evs[1].Action, evs[2].Action})
	assert.Equal(t, [3]int64{w.app, pub, w.app}, [3]int64{evs[0].ProjectID, evs[1].ProjectID, evs[2].ProjectID})

	// A member of app reads them all, newest first.
	list, resp, err := w.c["maint"].Users.ListEvents(ctx, gitlab.Username("JANE"), nil)
	require.NoError(t, err)
	assert.Equal(t, 3, resp.TotalItems)
	require.Len(t, list, 3)
	assert.Equal(t, []int64{evs[2].ID, evs[1].ID, evs[0].ID}, []int64{list[0].ID, list[1].ID, list[2].ID})
	e := list[0]
	assert.Equal(t, [5]any{w.app, "left", janeID, "jane", false}, [5]any{e.ProjectID, e.ActionName, e.AuthorID, e.AuthorUsername, e.Imported})
	require.NotNil(t, e.TargetType)
	assert.Equal(t, "Project", *e.TargetType)
	require.NotNil(t, e.TargetID)
	assert.Equal(t, w.app, *e.TargetID)
	require.NotNil(t, e.TargetTitle)
	assert.Equal(t, "app", *e.TargetTitle)
	require.NotNil(t, e.CreatedAt)
	assert.True(t, contractNow.Add(96*time.Hour).Equal(*e.CreatedAt))
	require.NotNil(t, e.Author)
	assert.Equal(t, [2]any{janeID, "Jane"}, [2]any{e.Author.ID, e.Author.Name})
	assert.Equal(t, "none", e.ImportedFrom)
	assert.Nil(t, e.PushData)

	// Filters.
	ids := func(opt *gitlab.ListUserEventsOptions) []int64 {
		t.Helper()
		got, _, err := w.c["root"].Users.ListEvents(ctx, gitlab.UserID(janeID), opt)
		require.NoError(t, err)
		out := []int64{}
		for _, e := range got {
			out = append(out, e.ID)
		}
		return out
	}
	assert.Equal(t, []int64{evs[1].ID, evs[0].ID}, ids(&gitlab.ListUserEventsOptions{Action: gitlab.Ptr(gitlab.EventActionJoined)}))
	assert.Equal(t, []int64{evs[2].ID}, ids(&gitlab.ListUserEventsOptions{Action: gitlab.Ptr(gitlab.EventActionLeft)}))
	assert.Equal(t, []int64{}, ids(&gitlab.ListUserEventsOptions{Action: gitlab.Ptr(gitlab.EventActionPushed)}))
	assert.Equal(t, []int64{evs[2].ID, evs[1].ID, evs[0].ID}, ids(&gitlab.ListUserEventsOptions{TargetType: gitlab.Ptr(gitlab.EventTargetTypeProject)}))
	assert.Equal(t, []int64{}, ids(&gitlab.ListUserEventsOptions{TargetType: gitlab.Ptr(gitlab.EventTargetTypeIssue)}))
	assert.Equal(t, []int64{evs[0].ID, evs[1].ID, evs[2].ID}, ids(&gitlab.ListUserEventsOptions{Sort: gitlab.Ptr(gitlab.SortOrderAsc)}))
	// before and after exclude their own day.
	assert.Equal(t, []int64{evs[1].ID}, ids(&gitlab.ListUserEventsOptions{After: date(2025, 3, 14), Before: date(2025, 3, 18)}))
	assert.Equal(t, []int64{evs[0].ID}, ids(&gitlab.ListUserEventsOptions{Before: date(2025, 3, 16)}))
	assert.Equal(t, []int64{evs[1].ID, evs[0].ID}, ids(&gitlab.ListUserEventsOptions{Before: date(2025, 3, 17), Sort: gitlab.Ptr(gitlab.SortOrderDesc)}))
	assert.Equal(t, []int64{}, ids(&gitlab.ListUserEventsOptions{After: date(2025, 3, 18)}))

	// The private project's events are hidden from a non-member (and
	// from jane, who left it); anonymous callers see the public one.
	for _, c := range []*gitlab.Client{w.c["stranger"], jane, s.ClientFor("", gitlab.WithoutRetries())} {
		got, _, err := c.Users.ListEvents(ctx, gitlab.UserID(janeID), nil)
		require.NoError(t, err)
		require.Len(t, got, 1)
		assert.Equal(t, [2]any{evs[1].ID, pub}, [2]any{got[0].ID, got[0].ProjectID})
	}
	_, _, err = w.c["maint"].Users.ListEvents(ctx, gitlab.Username("ghost"), nil)
	memberErr(t, err, 404, "404 User Not Found")
}

// ListEventsIter reads past a page whose events are all hidden from the
// caller (GitLab cuts the page before checking visibility) to reach the
// later ones.
func contractUserEventsHiddenPage(t *testing.T) {
	t.Parallel()
	w := contractCredWorld(t)
	ctx := context.Background()
	s := w.s
	pub := s.CreateProject(gitlabtest.ProjectSpec{Path: "pub", GroupID: w.oth, Visibility: "public"})
	janeID, _ := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	at := contractNow.Add(-24 * time.Hour)
	var hidden []int64
	for range 4 {
		hidden = append(hidden, s.AddEvent(gitlabtest.EventSnapshot{AuthorID: janeID, ProjectID: w.app, Action: gitlabtest.EventPushed, CreatedAt: at}))
	}
	shown := s.AddEvent(gitlabtest.EventSnapshot{AuthorID: janeID, ProjectID: pub, Action: gitlabtest.EventPushed, CreatedAt: at,
		Push: &gitlabtest.PushData{CommitCount: 1, Action: "created", RefType: "branch", CommitTo: "abc", Ref: "main", CommitTitle: "init"}})
	// A Guest of app reads the project but not its code: the pushes
	// there are hidden after the page was cut.
	guestID, guestTok := s.CreateUser(gitlabtest.UserSpec{Username: "guest"})
	s.AddProjectMember(w.app, guestID, gitlabtest.AccessGuest)
	guest := w.client(guestTok)

	page, resp, err := guest.Users.ListEvents(ctx, gitlab.Username("jane"), &gitlab.ListUserEventsOptions{
		ListOptions: gitlab.ListOptions{PerPage: 2}, Sort: gitlab.Ptr(gitlab.SortOrderAsc)})
	require.NoError(t, err)
	assert.Empty(t, page, "a page of hidden events is empty")
	assert.Equal(t, [3]int{5, 3, 2}, [3]int{resp.TotalItems, resp.TotalPages, resp.NextPage})

	s.ResetCounters()
	got := contractCollect(t, guest.Users.ListEventsIter(ctx, gitlab.Username("jane"), &gitlab.ListUserEventsOptions{
		ListOptions: gitlab.ListOptions{PerPage: 2}, Sort: gitlab.Ptr(gitlab.SortOrderAsc)}))
	require.Len(t, got, 1)
	assert.Equal(t, shown, got[0].ID)
	assert.Equal(t, "pushed new", got[0].ActionName)
	require.NotNil(t, got[0].PushData)
	p := got[0].PushData
	assert.Equal(t, [4]any{int64(1), "created", "branch", "main"}, [4]any{p.CommitCount, p.Action, p.RefType, *p.Ref})
	assert.Equal(t, 3, s.RouteCount("GET", "/users/:user_id/events"), "two empty pages, then the third")

	// The project's Developer reads them all.
	all := contractCollect(t, w.c["dev"].Users.ListEventsIter(ctx, gitlab.UserID(janeID), &gitlab.ListUserEventsOptions{
		ListOptions: gitlab.ListOptions{PerPage: 2}, Sort: gitlab.Ptr(gitlab.SortOrderAsc)}))
	require.Len(t, all, 5)
	assert.Equal(t, append(hidden, shown), []int64{all[0].ID, all[1].ID, all[2].ID, all[3].ID, all[4].ID})
}

// Users.GetAvatar: the avatar of the user with that public email, or
// Gravatar's for any other address, at twice the size asked.
func contractAvatar(t *testing.T) {
	t.Parallel()
	s, admin := contractServer(t)
	ctx := context.Background()
	pubID, pubTok := s.CreateUser(gitlabtest.UserSpec{Username: "pub", Email: "primary@example.com", PublicEmail: "shown@example.com"})
	anon := s.ClientFor("", gitlab.WithoutRetries())
	gravatar := func(email, size string) string {
		return "https://www.gravatar.com/avatar/" + md5hex(email) + "?s=" + size + "&d=identicon"
	}

	a, resp, err := anon.Users.GetAvatar(ctx, &gitlab.GetAvatarOptions{Email: gitlab.Ptr("shown@example.com"), Size: gitlab.Ptr(32)})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, gravatar("primary@example.com", "64"), a.AvatarURL, "the user of that public email, by their email")
	a, _, err = s.ClientFor(pubTok, gitlab.WithoutRetries()).Users.GetAvatar(ctx, &gitlab.GetAvatarOptions{Email: gitlab.Ptr("Nobody@Example.com")})
	require.NoError(t, err)
	assert.Equal(t, gravatar("nobody@example.com", "80"), a.AvatarURL, "an unknown email: Gravatar's, at the default size")
	a, _, err = admin.Users.GetAvatar(ctx, &gitlab.GetAvatarOptions{Email: gitlab.Ptr("nobody@example.com"), Size: gitlab.Ptr(100)})
	require.NoError(t, err)
	assert.Equal(t, gravatar("nobody@example.com", "200"), a.AvatarURL)

	// An uploaded avatar, through the SDK, is the one shown.
	_, _, err = admin.Users.Update(ctx, pubID, &gitlab.UpdateUserOptions{Avatar: &gitlab.File{Name: "me.png", Content: strings.NewReader("\x89PNG")}})
	require.NoError(t, err)
	a, _, err = anon.Users.GetAvatar(ctx, &gitlab.GetAvatarOptions{Email: gitlab.Ptr("shown@example.com"), Size: gitlab.Ptr(10)})
	require.NoError(t, err)
	assert.Equal(t, s.URL+"/uploads/-/system/user/avatar/"+itoa(pubID)+"/me.png", a.AvatarURL)
	st, ok := s.User(pubID)
	require.True(t, ok)
	assert.Equal(t, "me.png", st.AvatarFilename)
}
