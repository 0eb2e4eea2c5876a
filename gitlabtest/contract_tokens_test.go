package gitlabtest_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// movableClock is a clock a test can move forward.
type movableClock struct {
	mu  sync.Mutex
	now time.Time
}

func (m *movableClock) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.now
}

func (m *movableClock) Add(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.now = m.now.Add(d)
}

func date(y int, m time.Month, d int) *gitlab.ISODate {
	v := gitlab.NewISODate(y, m, d)
	return &v
}

// contractInvalidToken asserts the 401 GitLab sends for a revoked or
// expired token.
func contractInvalidToken(t *testing.T, err error, description string) {
	t.Helper()
	er := contractStatus(t, err, 401)
	assert.JSONEq(t, `{"error":"invalid_token","error_description":"`+description+`"}`, string(er.Body))
}

const (
	revokedText = "Token was revoked. You have to re-authorize from the user."
	expiredText = "Token is expired. You can either do re-authorization or token refresh."
)

func contractPersonalAccessTokens(t *testing.T) {
	t.Parallel()
	s, admin := contractServer(t)
	ctx := context.Background()
	janeID, janeSeed := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	bobID, _ := s.CreateUser(gitlabtest.UserSpec{Username: "bob"})
	jane := s.ClientFor(janeSeed, gitlab.WithoutRetries())

	// An administrator creates a token for jane, with any scopes.
	tok, resp, err := admin.PersonalAccessTokens.CreateForUser(ctx, janeID, &gitlab.CreatePersonalAccessTokenOptions{
		Name: gitlab.Ptr("ci"), Description: gitlab.Ptr("pipelines"), ExpiresAt: date(2025, 6, 1),
		Scopes: []string{gitlab.ScopeAPI, gitlab.ScopeSelfRotate}})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	require.NotEmpty(t, tok.Token)
	assert.Equal(t, "ci", tok.Name)
	assert.Equal(t, "pipelines", tok.Description)
	assert.Equal(t, []string{"api", "self_rotate"}, tok.Scopes)
	assert.Equal(t, janeID, tok.UserID)
	assert.True(t, tok.Active)
	assert.False(t, tok.Revoked)
	assert.Equal(t, "2025-06-01", tok.ExpiresAt.String())
	stored, ok := s.Token(tok.ID)
	require.True(t, ok)
	assert.Equal(t, tok.Token.Value(), stored.Token)
	assert.Nil(t, stored.LastUsedAt)

	// Without expires_at the token gets the longest lifetime; beyond it
	// GitLab refuses.
	long, _, err := admin.PersonalAccessTokens.CreateForUser(ctx, janeID, &gitlab.CreatePersonalAccessTokenOptions{
		Name: gitlab.Ptr("long"), Scopes: []string{gitlab.ScopeReadAPI}})
	require.NoError(t, err)
	assert.Equal(t, "2026-03-14", long.ExpiresAt.String())
	_, _, err = admin.PersonalAccessTokens.CreateForUser(ctx, janeID, &gitlab.CreatePersonalAccessTokenOptions{
		Name: gitlab.Ptr("too long"), Scopes: []string{gitlab.ScopeAPI}, ExpiresAt: date(2026, 3, 15)})
	assert.Equal(t, "Expires at must be before 2026-03-14", contractStatus(t, err, 422).Message)
	_, _, err = admin.PersonalAccessTokens.CreateForUser(ctx, janeID, &gitlab.CreatePersonalAccessTokenOptions{
		Name: gitlab.Ptr("x"), Scopes: []string{"bogus"}})
	assert.Equal(t, "scopes does not have a valid value", contractStatus(t, err, 400).Message)
	_, _, err = jane.PersonalAccessTokens.CreateForUser(ctx, bobID, &gitlab.CreatePersonalAccessTokenOptions{
		Name: gitlab.Ptr("x"), Scopes: []string{gitlab.ScopeAPI}})
	contractStatus(t, err, 403)
	_, _, err = admin.PersonalAccessTokens.CreateForUser(ctx, 999, &gitlab.CreatePersonalAccessTokenOptions{
		Name: gitlab.Ptr("x"), Scopes: []string{gitlab.ScopeAPI}})
	assert.Equal(t, "404 User Not Found", contractStatus(t, err, 404).Message)

	// The token authenticates as jane, and using it records the use.
	ci := s.ClientFor(tok.Token.Value(), gitlab.WithoutRetries())
	me, _, err := ci.PersonalAccessTokens.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, tok.ID, me.ID)
	assert.Empty(t, me.Token)
	require.NotNil(t, me.LastUsedAt)
	assert.True(t, me.LastUsedAt.Equal(contractNow))
	assert.Equal(t, []string{"127.0.0.1"}, me.LastUsedIPs)

	// Jane creates her own token: only k8s_proxy and self_rotate.
	own, resp, err := jane.PersonalAccessTokens.Create(ctx, &gitlab.CreatePersonalAccessTokenOptions{
		Name: gitlab.Ptr("rotator"), Scopes: []string{gitlab.ScopeSelfRotate}, ExpiresAt: date(2025, 4, 1)})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, []string{"self_rotate"}, own.Scopes)
	_, _, err = jane.PersonalAccessTokens.Create(ctx, &gitlab.CreatePersonalAccessTokenOptions{
		Name: gitlab.Ptr("wide"), Scopes: []string{gitlab.ScopeK8sProxy, gitlab.ScopeAPI}})
	assert.Equal(t, "scopes does not have a valid value", contractStatus(t, err, 400).Message)

	// Lists: an administrator sees every token and filters; jane her own.
	all := contractCollect(t, admin.PersonalAccessTokens.ListIter(ctx, &gitlab.ListPersonalAccessTokensOptions{ListOptions: gitlab.ListOptions{PerPage: 2}}))
	assert.Len(t, all, 6, "root, jane and bob's seed tokens, ci, long and rotator")
	mine, _, err := jane.PersonalAccessTokens.List(ctx, nil)
	require.NoError(t, err)
	var ids []int64
	for _, m := range mine {
		assert.Equal(t, janeID, m.UserID)
		ids = append(ids, m.ID)
	}
	require.Len(t, ids, 4)
	assert.Equal(t, []int64{tok.ID, long.ID, own.ID}, ids[1:], "jane's seed token first, then by ID")
	byUser, _, err := admin.PersonalAccessTokens.List(ctx, &gitlab.ListPersonalAccessTokensOptions{
		UserID: gitlab.Ptr(janeID), Search: gitlab.Ptr("rotator"), Sort: gitlab.Ptr(gitlab.PersonalAccessTokenSortExpiresDesc)})
	require.NoError(t, err)
	require.Len(t, byUser, 1)
	assert.Equal(t, own.ID, byUser[0].ID)
	expiring, _, err := admin.PersonalAccessTokens.List(ctx, &gitlab.ListPersonalAccessTokensOptions{
		ExpiresBefore: date(2025, 6, 2), ExpiresAfter: date(2025, 4, 1), State: gitlab.Ptr(gitlab.TokenStateActive)})
	require.NoError(t, err)
	require.Len(t, expiring, 2)
	assert.Equal(t, []int64{tok.ID, own.ID}, []int64{expiring[0].ID, expiring[1].ID})
	used, _, err := admin.PersonalAccessTokens.List(ctx, &gitlab.ListPersonalAccessTokensOptions{
		LastUsedAfter: gitlab.Ptr(contractNow.Add(-time.Minute)), UserID: gitlab.Ptr(janeID)})
	require.NoError(t, err)
	assert.Len(t, used, 2, "jane's seed token and ci were used")
	_, _, err = jane.PersonalAccessTokens.List(ctx, &gitlab.ListPersonalAccessTokensOptions{UserID: gitlab.Ptr(bobID)})
	contractStatus(t, err, 401)
	_, _, err = admin.PersonalAccessTokens.List(ctx, &gitlab.ListPersonalAccessTokensOptions{UserID: gitlab.Ptr(int64(999))})
	contractStatus(t, err, 404)

	// Get: the owner and administrators; others get 401 whether or not
	// the token exists; administrators get 404 for a missing one.
	got, _, err := jane.PersonalAccessTokens.Get(ctx, tok.ID)
	require.NoError(t, err)
	assert.Equal(t, "ci", got.Name)
	bob := s.ClientFor(s.CreatePersonalToken(bobID), gitlab.WithoutRetries())
	_, _, err = bob.PersonalAccessTokens.Get(ctx, tok.ID)
	contractStatus(t, err, 401)
	_, _, err = bob.PersonalAccessTokens.Get(ctx, 999)
	contractStatus(t, err, 401)
	_, _, err = admin.PersonalAccessTokens.Get(ctx, 999)
	assert.Equal(t, "404 Not Found", contractStatus(t, err, 404).Message)

	// Rotate: the old secret gets 401, the new one works, with the same
	// name, description and scopes and a week's expiry.
	rot, resp, err := jane.PersonalAccessTokens.Rotate(ctx, tok.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.NotEqual(t, tok.ID, rot.ID)
	assert.NotEqual(t, tok.Token, rot.Token)
	assert.Equal(t, tok.Name, rot.Name)
	assert.Equal(t, tok.Description, rot.Description)
	assert.Equal(t, tok.Scopes, rot.Scopes)
	assert.Equal(t, "2025-03-21", rot.ExpiresAt.String())
	assert.Nil(t, rot.LastUsedAt)
	old, _ := s.Token(tok.ID)
	assert.True(t, old.Revoked)
	nt, _ := s.Token(rot.ID)
	assert.Equal(t, tok.ID, nt.PreviousID)
	_, _, err = ci.Users.Current(ctx)
	contractInvalidToken(t, err, revokedText)
	newClient := s.ClientFor(rot.Token.Value(), gitlab.WithoutRetries())
	meNow, _, err := newClient.Users.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, janeID, meNow.ID)
	_, _, err = jane.PersonalAccessTokens.Rotate(ctx, tok.ID, nil)
	assert.Equal(t, "400 Bad request - Token already revoked", contractStatus(t, err, 400).Message)
	_, _, err = bob.PersonalAccessTokens.Rotate(ctx, rot.ID, nil)
	contractStatus(t, err, 401)
	_, _, err = admin.PersonalAccessTokens.Rotate(ctx, rot.ID, &gitlab.RotatePersonalAccessTokenOptions{ExpiresAt: date(2027, 1, 1)})
	assert.Equal(t, "400 Bad request - Expires at must be before 2026-03-14", contractStatus(t, err, 400).Message)
	assert.False(t, func() bool { st, _ := s.Token(rot.ID); return st.Revoked }(), "a failed rotation changes nothing")

	// Reuse detection: the revoked secret presented for rotation revokes
	// its successor too.
	_, _, err = ci.PersonalAccessTokens.RotateCurrent(ctx, nil)
	contractInvalidToken(t, err, revokedText)
	st, _ := s.Token(rot.ID)
	assert.True(t, st.Revoked, "the token family is revoked")
	_, _, err = newClient.Users.Current(ctx)
	contractInvalidToken(t, err, revokedText)

	// Self-rotation needs api or self_rotate.
	k8s, _, err := jane.PersonalAccessTokens.Create(ctx, &gitlab.CreatePersonalAccessTokenOptions{
		Name: gitlab.Ptr("k8s"), Scopes: []string{gitlab.ScopeK8sProxy}})
	require.NoError(t, err)
	_, _, err = s.ClientFor(k8s.Token.Value(), gitlab.WithoutRetries()).PersonalAccessTokens.RotateCurrent(ctx, nil)
	er := contractStatus(t, err, 403)
	assert.Contains(t, string(er.Body), "insufficient_scope")
	rotator := s.ClientFor(own.Token.Value(), gitlab.WithoutRetries())
	self, _, err := rotator.PersonalAccessTokens.Current(ctx)
	require.NoError(t, err, "every scope may read itself")
	assert.Equal(t, own.ID, self.ID)
	self2, _, err := rotator.PersonalAccessTokens.RotateCurrent(ctx, &gitlab.RotatePersonalAccessTokenOptions{ExpiresAt: date(2025, 5, 1)})
	require.NoError(t, err)
	assert.Equal(t, "2025-05-01", self2.ExpiresAt.String())
	assert.Equal(t, []string{"self_rotate"}, self2.Scopes)
	_, _, err = rotator.PersonalAccessTokens.Current(ctx)
	contractInvalidToken(t, err, revokedText)

	// Associations: the groups and projects jane can reach.
	gid := s.CreateGroup(gitlabtest.GroupSpec{Path: "platform", Owners: []int64{janeID}})
	s.CreateGroup(gitlabtest.GroupSpec{Path: "secret"})
	pid := s.CreateProject(gitlabtest.ProjectSpec{Path: "api", GroupID: gid, Description: "the API"})
	assoc, _, err := s.ClientFor(k8s.Token.Value()).PersonalAccessTokens.ListCurrentAssociations(ctx, nil)
	require.NoError(t, err)
	require.Len(t, assoc.Groups, 1)
	assert.Equal(t, gid, assoc.Groups[0].ID)
	assert.Equal(t, gitlab.AccessLevelOwner, *assoc.Groups[0].AccessLevels)
	require.Len(t, assoc.Projects, 1)
	assert.Equal(t, pid, assoc.Projects[0].ID)
	assert.Equal(t, "platform/api", assoc.Projects[0].PathWithNamespace)
	assert.Equal(t, gitlab.AccessLevelOwner, *assoc.Projects[0].AccessLevels.GroupAccessLevel)
	items := contractCollect(t, jane.PersonalAccessTokens.ListCurrentAssociationsIter(ctx, &gitlab.ListTokenAssociationsOptions{
		MinAccessLevel: gitlab.Ptr(gitlab.AccessLevelMaintainer), ListOptions: gitlab.ListOptions{PerPage: 1}}))
	require.Len(t, items, 2)
	assert.Equal(t, gid, items[0].Group.ID)
	assert.Equal(t, pid, items[1].Project.ID)

	// Revoke: the owner, twice (204 both times); others 400; a missing
	// token 404 for everyone.
	resp, err = jane.PersonalAccessTokens.Revoke(ctx, long.ID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	resp, err = jane.PersonalAccessTokens.Revoke(ctx, long.ID)
	require.NoError(t, err, "revoking a revoked token succeeds")
	assert.Equal(t, 204, resp.StatusCode)
	st, _ = s.Token(long.ID)
	assert.True(t, st.Revoked)
	_, err = bob.PersonalAccessTokens.Revoke(ctx, k8s.ID)
	assert.Equal(t, "400 Bad request - Not permitted to revoke", contractStatus(t, err, 400).Message)
	_, err = admin.PersonalAccessTokens.Revoke(ctx, 999)
	assert.Equal(t, "404 Not found", contractStatus(t, err, 404).Message)

	// RevokeCurrent: the client's own token, which then gets 401.
	k8sClient := s.ClientFor(k8s.Token.Value(), gitlab.WithoutRetries())
	resp, err = k8sClient.PersonalAccessTokens.RevokeCurrent(ctx)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	_, err = k8sClient.PersonalAccessTokens.RevokeCurrent(ctx)
	contractInvalidToken(t, err, revokedText)
}

// A token stops working at the start of its expires_at day, on the
// server's clock.
func contractTokenExpiry(t *testing.T) {
	t.Parallel()
	clock := &movableClock{now: contractNow}
	s, admin := contractServer(t, gitlabtest.WithClock(clock.Now))
	ctx := context.Background()
	id, _ := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	tok, _, err := admin.PersonalAccessTokens.CreateForUser(ctx, id, &gitlab.CreatePersonalAccessTokenOptions{
		Name: gitlab.Ptr("short"), Scopes: []string{gitlab.ScopeAPI}, ExpiresAt: date(2025, 3, 16)})
	require.NoError(t, err)
	c := s.ClientFor(tok.Token.Value(), gitlab.WithoutRetries())
	_, _, err = c.Users.Current(ctx)
	require.NoError(t, err)

	clock.Add(38 * time.Hour) // 2025-03-15 23:26
	_, _, err = c.Users.Current(ctx)
	require.NoError(t, err, "valid through the day before expires_at")
	clock.Add(time.Hour) // 2025-03-16 00:26
	_, _, err = c.Users.Current(ctx)
	contractInvalidToken(t, err, expiredText)
	_, _, err = c.PersonalAccessTokens.RotateCurrent(ctx, nil)
	contractInvalidToken(t, err, expiredText)

	got, _, err := admin.PersonalAccessTokens.Get(ctx, tok.ID)
	require.NoError(t, err)
	assert.False(t, got.Active)
	assert.False(t, got.Revoked)
	inactive, _, err := admin.PersonalAccessTokens.List(ctx, &gitlab.ListPersonalAccessTokensOptions{State: gitlab.Ptr(gitlab.TokenStateInactive)})
	require.NoError(t, err)
	require.Len(t, inactive, 1)
	assert.Equal(t, tok.ID, inactive[0].ID)

	// An expired token that is not revoked can still be rotated by an
	// administrator; a past expiry on create gives an inactive token.
	rot, _, err := admin.PersonalAccessTokens.Rotate(ctx, tok.ID, nil)
	require.NoError(t, err)
	assert.True(t, rot.Active)
	assert.Equal(t, "2025-03-23", rot.ExpiresAt.String())
	past, _, err := admin.PersonalAccessTokens.CreateForUser(ctx, id, &gitlab.CreatePersonalAccessTokenOptions{
		Name: gitlab.Ptr("past"), Scopes: []string{gitlab.ScopeAPI}, ExpiresAt: date(2016, 12, 28)})
	require.NoError(t, err)
	assert.False(t, past.Active)
	_, _, err = s.ClientFor(past.Token.Value(), gitlab.WithoutRetries()).Users.Current(ctx)
	contractInvalidToken(t, err, expiredText)
}

func contractServiceAccounts(t *testing.T) {
	t.Parallel()
	s, admin := contractServer(t)
	ctx := context.Background()
	host := "noreply.127.0.0.1"

	// Instance accounts: GitLab's defaults when nothing is given.
	sa, resp, err := admin.ServiceAccounts.Create(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Regexp(t, `^service_account_[0-9a-f]{32}$`, sa.Username)
	assert.Equal(t, "Service account user", sa.Name)
	assert.Equal(t, sa.Username+"@"+host, sa.Email)
	assert.True(t, sa.External)
	u, ok := s.User(sa.ID)
	require.True(t, ok)
	assert.True(t, u.ServiceAccount)
	assert.True(t, u.Bot)
	assert.Empty(t, u.Password, "a service account has no password")

	named, _, err := admin.ServiceAccounts.Create(ctx, &gitlab.CreateServiceAccountOptions{
		Name: gitlab.Ptr("Deploy"), Username: gitlab.Ptr("deploy-bot"), Email: gitlab.Ptr("deploy@example.com"), External: gitlab.Ptr(false)})
	require.NoError(t, err)
	assert.Equal(t, "deploy-bot", named.Username)
	assert.Equal(t, "deploy@example.com", named.UnconfirmedEmail, "a custom email waits for confirmation")
	assert.Equal(t, "deploy-bot@"+host, named.Email)
	assert.False(t, named.External)
	_, _, err = admin.ServiceAccounts.Create(ctx, &gitlab.CreateServiceAccountOptions{Username: gitlab.Ptr("deploy-bot")})
	assert.Equal(t, "400 Bad request - Username has already been taken", contractStatus(t, err, 400).Message)

	janeID, janeToken := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	jane := s.ClientFor(janeToken, gitlab.WithoutRetries())
	_, _, err = jane.ServiceAccounts.Create(ctx, nil)
	contractStatus(t, err, 403)

	list := contractCollect(t, admin.ServiceAccounts.ListIter(ctx, &gitlab.ListServiceAccountsOptions{
		ListOptions: gitlab.ListOptions{PerPage: 1}, OrderBy: gitlab.Ptr(gitlab.ServiceAccountOrderByID), Sort: gitlab.Ptr(gitlab.SortOrderAsc)}))
	require.Len(t, list, 2)
	assert.Equal(t, []int64{sa.ID, named.ID}, []int64{list[0].ID, list[1].ID})

	upd, _, err := admin.ServiceAccounts.Update(ctx, sa.ID, &gitlab.UpdateServiceAccountOptions{Name: gitlab.Ptr("Renamed"), Username: gitlab.Ptr("")})
	require.NoError(t, err)
	assert.Equal(t, "Renamed", upd.Name)
	assert.Equal(t, sa.Username, upd.Username, "blank values are ignored")
	_, _, err = admin.ServiceAccounts.Update(ctx, janeID, &gitlab.UpdateServiceAccountOptions{Name: gitlab.Ptr("x")})
	assert.Equal(t, "User is not a service account", contractStatus(t, err, 400).Message)
	_, _, err = admin.ServiceAccounts.Update(ctx, 999, nil)
	assert.Equal(t, "404 Not found", contractStatus(t, err, 404).Message)

	// The token API works for instance service accounts.
	saTok, _, err := admin.PersonalAccessTokens.CreateForUser(ctx, sa.ID, &gitlab.CreatePersonalAccessTokenOptions{
		Name: gitlab.Ptr("automation"), Scopes: []string{gitlab.ScopeAPI}})
	require.NoError(t, err)
	me, _, err := s.ClientFor(saTok.Token.Value()).Users.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, sa.ID, me.ID)
	assert.True(t, me.Bot)

	// Group accounts: the group's Owner may manage them but, with
	// GitLab's default setting, not create them.
	gid := s.CreateGroup(gitlabtest.GroupSpec{Path: "platform", Owners: []int64{janeID}})
	sub := s.CreateGroup(gitlabtest.GroupSpec{Path: "infra", ParentID: gid})
	_, _, err = jane.ServiceAccounts.CreateForGroup(ctx, gitlab.GroupID(gid), nil)
	assert.Equal(t, "400 Bad request - User does not have permission to create a service account in this group.", contractStatus(t, err, 400).Message)
	gsa, _, err := admin.ServiceAccounts.CreateForGroup(ctx, gitlab.GroupPath("platform/infra"), &gitlab.CreateServiceAccountOptions{Name: gitlab.Ptr("Infra bot")})
	require.NoError(t, err)
	assert.Regexp(t, `^service_account_group_`+itoa(sub)+`_[0-9a-f]{32}$`, gsa.Username)
	assert.Equal(t, "Infra bot", gsa.Name)
	gu, _ := s.User(gsa.ID)
	assert.Equal(t, sub, gu.ProvisionedByGroupID)

	bobID, bobToken := s.CreateUser(gitlabtest.UserSpec{Username: "bob"})
	s.AddGroupMember(gid, bobID, gitlabtest.AccessMaintainer)
	bob := s.ClientFor(bobToken, gitlab.WithoutRetries())
	_, _, err = bob.ServiceAccounts.ListForGroup(ctx, gitlab.GroupID(sub), nil)
	contractStatus(t, err, 403)
	_, _, err = jane.ServiceAccounts.ListForGroup(ctx, gitlab.GroupPath("nope"), nil)
	assert.Equal(t, "404 Group Not Found", contractStatus(t, err, 404).Message)

	byOwner := contractCollect(t, jane.ServiceAccounts.ListForGroupIter(ctx, gitlab.GroupPath("platform/infra"), nil))
	require.Len(t, byOwner, 1, "an Owner of the parent group inherits ownership")
	assert.Equal(t, gsa.ID, byOwner[0].ID)
	inParent, _, err := jane.ServiceAccounts.ListForGroup(ctx, gitlab.GroupID(gid), nil)
	require.NoError(t, err)
	assert.Empty(t, inParent, "only the accounts the group itself created")

	gupd, _, err := jane.ServiceAccounts.UpdateForGroup(ctx, gitlab.GroupID(sub), gsa.ID, &gitlab.UpdateServiceAccountOptions{Username: gitlab.Ptr("infra-bot")})
	require.NoError(t, err)
	assert.Equal(t, "infra-bot", gupd.Username)
	_, _, err = jane.ServiceAccounts.UpdateForGroup(ctx, gitlab.GroupID(gid), gsa.ID, nil)
	assert.Equal(t, "404 User Not Found", contractStatus(t, err, 404).Message)
	_, _, err = jane.ServiceAccounts.UpdateForGroup(ctx, gitlab.GroupID(sub), gsa.ID, &gitlab.UpdateServiceAccountOptions{Username: gitlab.Ptr("jane")})
	assert.Equal(t, "Username has already been taken", contractStatus(t, err, 400).Message)

	gtok, resp, err := jane.ServiceAccounts.CreateTokenForGroup(ctx, gitlab.GroupID(sub), gsa.ID, &gitlab.CreatePersonalAccessTokenOptions{
		Name: gitlab.Ptr("deploy"), Scopes: []string{gitlab.ScopeAPI}, ExpiresAt: date(2025, 5, 1)})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, gsa.ID, gtok.UserID)
	toks := contractCollect(t, jane.ServiceAccounts.ListTokensForGroupIter(ctx, gitlab.GroupID(sub), gsa.ID, &gitlab.ListServiceAccountTokensOptions{Search: gitlab.Ptr("deploy")}))
	require.Len(t, toks, 1)
	assert.Equal(t, gtok.ID, toks[0].ID)
	grot, resp, err := jane.ServiceAccounts.RotateTokenForGroup(ctx, gitlab.GroupID(sub), gsa.ID, gtok.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "deploy", grot.Name)
	_, _, err = s.ClientFor(gtok.Token.Value()).Users.Current(ctx)
	contractInvalidToken(t, err, revokedText)
	_, _, err = jane.ServiceAccounts.RotateTokenForGroup(ctx, gitlab.GroupID(sub), gsa.ID, saTok.ID, nil)
	assert.Equal(t, "404 Not Found", contractStatus(t, err, 404).Message)
	_, _, err = jane.ServiceAccounts.RotateTokenForGroup(ctx, gitlab.GroupID(sub), gsa.ID, gtok.ID, nil)
	assert.Equal(t, "400 Bad request - Token already revoked", contractStatus(t, err, 400).Message)
	active, _, err := jane.ServiceAccounts.ListTokensForGroup(ctx, gitlab.GroupID(sub), gsa.ID, &gitlab.ListServiceAccountTokensOptions{State: gitlab.Ptr(gitlab.TokenStateActive)})
	require.NoError(t, err)
	require.Len(t, active, 1, "only the rotated one")
	assert.Equal(t, grot.ID, active[0].ID)
	resp, err = jane.ServiceAccounts.RevokeTokenForGroup(ctx, gitlab.GroupID(sub), gsa.ID, grot.ID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	st, _ := s.Token(grot.ID)
	assert.True(t, st.Revoked)
	_, err = jane.ServiceAccounts.RevokeTokenForGroup(ctx, gitlab.GroupID(sub), gsa.ID, saTok.ID)
	assert.Equal(t, "404 Personal Access Token Not Found", contractStatus(t, err, 404).Message)

	// An Owner's delete answers 204 and deletes nothing (the setting is
	// off); an administrator's deletes.
	resp, err = jane.ServiceAccounts.DeleteForGroup(ctx, gitlab.GroupID(sub), gsa.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	_, ok = s.User(gsa.ID)
	assert.True(t, ok)
	_, err = admin.ServiceAccounts.DeleteForGroup(ctx, gitlab.GroupID(sub), gsa.ID, &gitlab.DeleteServiceAccountOptions{HardDelete: gitlab.Ptr(true)})
	require.NoError(t, err)
	_, ok = s.User(gsa.ID)
	assert.False(t, ok)

	// Project accounts: the project's Maintainers may create them.
	pid := s.CreateProject(gitlabtest.ProjectSpec{Path: "api", GroupID: gid, Maintainers: []int64{bobID}})
	psa, _, err := bob.ServiceAccounts.CreateForProject(ctx, gitlab.ProjectPath("platform/api"), nil)
	require.NoError(t, err)
	assert.Regexp(t, `^service_account_project_`+itoa(pid)+`_[0-9a-f]{32}$`, psa.Username)
	plist, _, err := bob.ServiceAccounts.ListForProject(ctx, gitlab.ProjectID(pid), nil)
	require.NoError(t, err)
	require.Len(t, plist, 1)
	assert.Equal(t, psa.ID, plist[0].ID)
	pall := contractCollect(t, bob.ServiceAccounts.ListForProjectIter(ctx, gitlab.ProjectID(pid), nil))
	assert.Len(t, pall, 1)
	pupd, _, err := bob.ServiceAccounts.UpdateForProject(ctx, gitlab.ProjectID(pid), psa.ID, &gitlab.UpdateServiceAccountOptions{Name: gitlab.Ptr("API bot")})
	require.NoError(t, err)
	assert.Equal(t, "API bot", pupd.Name)
	ptok, _, err := bob.ServiceAccounts.CreateTokenForProject(ctx, gitlab.ProjectID(pid), psa.ID, &gitlab.CreatePersonalAccessTokenOptions{
		Name: gitlab.Ptr("release"), Scopes: []string{gitlab.ScopeReadAPI}})
	require.NoError(t, err)
	assert.Equal(t, "2026-03-14", ptok.ExpiresAt.String())
	ptoks, _, err := bob.ServiceAccounts.ListTokensForProject(ctx, gitlab.ProjectID(pid), psa.ID, nil)
	require.NoError(t, err)
	assert.Len(t, ptoks, 1)
	assert.Len(t, contractCollect(t, bob.ServiceAccounts.ListTokensForProjectIter(ctx, gitlab.ProjectID(pid), psa.ID, nil)), 1)
	prot, _, err := bob.ServiceAccounts.RotateTokenForProject(ctx, gitlab.ProjectID(pid), psa.ID, ptok.ID, &gitlab.RotatePersonalAccessTokenOptions{ExpiresAt: date(2025, 4, 1)})
	require.NoError(t, err)
	assert.Equal(t, "2025-04-01", prot.ExpiresAt.String())
	_, _, err = bob.ServiceAccounts.RotateTokenForProject(ctx, gitlab.ProjectID(pid), psa.ID, 999, nil)
	assert.Equal(t, "404 Personal Access Token Not Found", contractStatus(t, err, 404).Message)
	_, err = bob.ServiceAccounts.RevokeTokenForProject(ctx, gitlab.ProjectID(pid), psa.ID, prot.ID)
	require.NoError(t, err)
	_, _, err = jane.ServiceAccounts.ListForProject(ctx, gitlab.ProjectID(pid), nil)
	require.NoError(t, err, "the group's Owner is an Owner of its projects")
	carlID, carlToken := s.CreateUser(gitlabtest.UserSpec{Username: "carl"})
	s.AddProjectMember(pid, carlID, gitlabtest.AccessDeveloper)
	_, _, err = s.ClientFor(carlToken, gitlab.WithoutRetries()).ServiceAccounts.ListForProject(ctx, gitlab.ProjectID(pid), nil)
	contractStatus(t, err, 403)
	resp, err = bob.ServiceAccounts.DeleteForProject(ctx, gitlab.ProjectID(pid), psa.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	_, ok = s.User(psa.ID)
	assert.False(t, ok)

	// Every service account of the instance is listed for administrators.
	all, _, err := admin.ServiceAccounts.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, all, 2, "the project and group ones were deleted")
	assert.Equal(t, []int64{named.ID, sa.ID}, []int64{all[0].ID, all[1].ID}, "newest first by default")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
