package gitlabtest_test

// Contract cases of the second-stage user endpoints: moderation, users
// extras, key look-ups, GPG revoke, PATCH status, custom attributes.
// TestContract runs them with the others (contractCasesUsers2).

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

func contractModeration(t *testing.T) {
	t.Parallel()
	s, c := contractServer(t)
	ctx := context.Background()
	id, tok := s.CreateUser(gitlabtest.UserSpec{Username: "spammer"})
	state := func(id int64) gitlab.UserState { u, _ := s.User(id); return u.State }

	resp, err := c.Users.Ban(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, gitlabtest.StateBanned, state(id))
	_, err = c.Users.Ban(ctx, id)
	assert.Equal(t, "You cannot ban banned users.", contractStatus(t, err, 403).Message)
	_, _, err = s.ClientFor(tok, gitlab.WithoutRetries()).Users.Current(ctx)
	contractStatus(t, err, 403) // a banned user's token is refused
	_, err = c.Users.Unban(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, gitlabtest.StateActive, state(id))
	_, err = c.Users.Unban(ctx, id)
	assert.Equal(t, "You cannot unban active users.", contractStatus(t, err, 403).Message)

	pending, _ := s.CreateUser(gitlabtest.UserSpec{Username: "newcomer", State: gitlabtest.StateBlockedPendingApproval})
	other, _ := s.CreateUser(gitlabtest.UserSpec{Username: "another", State: gitlabtest.StateBlockedPendingApproval})
	_, err = c.Users.Approve(ctx, id)
	assert.Equal(t, "The user you are trying to approve is not pending approval", contractStatus(t, err, 409).Message)
	_, userTok := s.CreateUser(gitlabtest.UserSpec{Username: "plain"})
	plain := s.ClientFor(userTok, gitlab.WithoutRetries())
	_, err = plain.Users.Approve(ctx, pending)
	assert.Equal(t, "You are not allowed to approve a user", contractStatus(t, err, 403).Message)
	_, err = plain.Users.Approve(ctx, 4242)
	assert.Equal(t, "404 User Not Found", contractStatus(t, err, 404).Message, "the user is looked up first")
	resp, err = c.Users.Approve(ctx, pending)
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, gitlabtest.StateActive, state(pending))

	_, err = c.Users.Reject(ctx, pending)
	assert.Equal(t, "User does not have a pending request", contractStatus(t, err, 409).Message)
	_, err = plain.Users.Reject(ctx, other)
	assert.Equal(t, "You are not allowed to reject a user", contractStatus(t, err, 403).Message)
	resp, err = c.Users.Reject(ctx, other)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	_, ok := s.User(other)
	assert.False(t, ok, "a rejected user is deleted")

	tfa, _ := s.CreateUser(gitlabtest.UserSpec{Username: "lostphone", TwoFactorEnabled: true})
	admin2, _ := s.CreateUser(gitlabtest.UserSpec{Username: "admin2", Admin: true, TwoFactorEnabled: true})
	resp, err = c.Users.DisableTwoFactor(ctx, tfa)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	u, _ := s.User(tfa)
	assert.False(t, u.TwoFactorEnabled)
	_, err = c.Users.DisableTwoFactor(ctx, tfa)
	assert.Equal(t, "400 Bad request - Two-factor authentication is not enabled for this user", contractStatus(t, err, 400).Message)
	_, err = c.Users.DisableTwoFactor(ctx, admin2)
	assert.Equal(t, "403 Forbidden - Two-factor authentication for admins cannot be disabled via the API. Use the Rails console",
		contractStatus(t, err, 403).Message)
	_, err = plain.Users.DisableTwoFactor(ctx, tfa)
	assert.Equal(t, "403 Forbidden", contractStatus(t, err, 403).Message)
}

func contractUsersExtras(t *testing.T) {
	t.Parallel()
	s, admin := contractServer(t)
	ctx := context.Background()
	id, tok := s.CreateUser(gitlabtest.UserSpec{Username: "jane", IssuesAuthored: 2, MergeRequestsAuthored: 1,
		Memberships: []gitlabtest.UserMembership{
			{SourceID: 5, SourceName: "g", SourceType: gitlabtest.SourceNamespace, AccessLevel: gitlabtest.AccessOwner},
			{SourceID: 9, SourceName: "p", SourceType: gitlabtest.SourceProject, AccessLevel: gitlabtest.AccessDeveloper},
		}})
	c := s.ClientFor(tok, gitlab.WithoutRetries())
	_, otherTok := s.CreateUser(gitlabtest.UserSpec{Username: "other"})

	n, _, err := c.Users.CountAssociations(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, &gitlab.UserAssociationsCount{GroupsCount: 1, ProjectsCount: 1, IssuesCount: 2, MergeRequestsCount: 1}, n)
	_, _, err = s.ClientFor(otherTok, gitlab.WithoutRetries()).Users.CountAssociations(ctx, id)
	contractStatus(t, err, 403)
	_, _, err = admin.Users.CountAssociations(ctx, 4242)
	contractStatus(t, err, 404)

	p, _, err := c.Users.GetPreferences(ctx)
	require.NoError(t, err)
	assert.Equal(t, &gitlab.UserPreferences{ID: id, UserID: id}, p)
	p, _, err = c.Users.UpdatePreferences(ctx, &gitlab.UpdatePreferencesOptions{ShowWhitespaceInDiffs: gitlab.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, &gitlab.UserPreferences{ID: id, UserID: id, ShowWhitespaceInDiffs: true}, p)
	u, _ := s.User(id)
	assert.True(t, u.Preferences.ShowWhitespaceInDiffs)

	png := "\x89PNG\r\n\x1a\n fake image"
	av, resp, err := c.Users.UploadAvatar(ctx, &gitlab.File{Name: "me.png", Content: strings.NewReader(png)})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, png, contractFetch(t, av.AvatarURL), "the avatar is served at its URL")
	me, _, err := c.Users.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, av.AvatarURL, me.AvatarURL)
	_, _, err = c.Users.UploadAvatar(ctx, &gitlab.File{Name: "big.png", Content: strings.NewReader(strings.Repeat("x", 201<<10))})
	assert.Equal(t, "Avatar is too big (should be at most 200 KiB)", contractStatus(t, err, 400).Message)

	// An avatar given to Create is served too. Skype, deprecated, is sent
	// on purpose: the fake drops it as GitLab does.
	opt := &gitlab.CreateUserOptions{Email: gitlab.Ptr("bo@example.com"), Username: gitlab.Ptr("bo"),
		Name: gitlab.Ptr("Bo"), ResetPassword: gitlab.Ptr(true), GitHub: gitlab.Ptr("bo-gh"),
		PolicyAdvancedEditor: gitlab.Ptr(true), Avatar: &gitlab.File{Name: "bo.gif", Content: strings.NewReader("GIF89a")}}
	opt.Skype = gitlab.Ptr("dropped") //lint:ignore SA1019 testing that a deprecated field is dropped
	created, _, err := admin.Users.Create(ctx, opt)
	require.NoError(t, err)
	assert.Equal(t, "GIF89a", contractFetch(t, created.AvatarURL))
	assert.Equal(t, "bo-gh", created.GitHub)
	stored, _ := s.User(created.ID)
	assert.Empty(t, stored.Skype, "GitLab drops skype")
	assert.True(t, stored.Preferences.PolicyAdvancedEditor)

	// So is one given to Update, in place of the old one.
	updated, _, err := admin.Users.Update(ctx, created.ID, &gitlab.UpdateUserOptions{
		Avatar: &gitlab.File{Name: "bo2.png", Content: strings.NewReader("\x89PNG second")}})
	require.NoError(t, err)
	assert.NotEqual(t, created.AvatarURL, updated.AvatarURL)
	assert.Equal(t, "\x89PNG second", contractFetch(t, updated.AvatarURL))

	r, resp, err := admin.Users.CreateRunner(ctx, &gitlab.CreateUserRunnerOptions{RunnerType: gitlab.Ptr(gitlab.RunnerTypeInstance)})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.True(t, strings.HasPrefix(r.Token.Value(), "glrt-"), r.Token.Value())
	_, _, err = c.Users.CreateRunner(ctx, &gitlab.CreateUserRunnerOptions{RunnerType: gitlab.Ptr(gitlab.RunnerTypeInstance)})
	assert.Equal(t, "403 Forbidden - Insufficient permissions", contractStatus(t, err, 403).Message)
	_, _, err = c.Users.CreateRunner(ctx, &gitlab.CreateUserRunnerOptions{RunnerType: gitlab.Ptr(gitlab.RunnerTypeGroup), GroupID: gitlab.Ptr[int64](5)})
	require.NoError(t, err, "the group's owner")
	_, _, err = c.Users.CreateRunner(ctx, &gitlab.CreateUserRunnerOptions{RunnerType: gitlab.Ptr(gitlab.RunnerTypeProject), ProjectID: gitlab.Ptr[int64](9)})
	contractStatus(t, err, 403) // a developer
	_, _, err = c.Users.CreateRunner(ctx, &gitlab.CreateUserRunnerOptions{RunnerType: gitlab.Ptr(gitlab.RunnerTypeGroup), GroupID: gitlab.Ptr[int64](77)})
	assert.Equal(t, "400 Bad request - Missing/invalid group", contractStatus(t, err, 400).Message)

	_, _, err = c.Users.GetSupportPIN(ctx)
	contractStatus(t, err, 404)
	pin, resp, err := c.Users.CreateSupportPIN(ctx)
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Len(t, pin.PIN.Value(), 6)
	require.NotNil(t, pin.ExpiresAt)
	assert.True(t, contractNow.Add(7*24*time.Hour).Equal(*pin.ExpiresAt))
	got, _, err := c.Users.GetSupportPIN(ctx)
	require.NoError(t, err)
	assert.Equal(t, pin, got)
	got, _, err = admin.Users.GetSupportPINForUser(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, pin, got)
	_, _, err = c.Users.GetSupportPINForUser(ctx, id)
	contractStatus(t, err, 403)
	resp, err = admin.Users.RevokeSupportPINForUser(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, 202, resp.StatusCode)
	_, _, err = admin.Users.GetSupportPINForUser(ctx, id)
	assert.Equal(t, "404 Support PIN not found or expired Not Found", contractStatus(t, err, 404).Message)
	_, err = admin.Users.RevokeSupportPINForUser(ctx, id)
	contractStatus(t, err, 404)
}

// PINs expire seven days after they were made.
func contractSupportPINExpires(t *testing.T) {
	t.Parallel()
	now := contractNow
	s, _ := contractServer(t, gitlabtest.WithClock(func() time.Time { return now }))
	_, tok := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	c := s.ClientFor(tok, gitlab.WithoutRetries())
	_, _, err := c.Users.CreateSupportPIN(context.Background())
	require.NoError(t, err)
	now = contractNow.Add(7*24*time.Hour + time.Second)
	_, _, err = c.Users.GetSupportPIN(context.Background())
	contractStatus(t, err, 404)
}

func contractFetch(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode, u)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

// contractFingerprints computes the fingerprints of a public key line
// the way ssh-keygen -l does.
func contractFingerprints(key string) (md5fp, sha string) {
	blob, _ := base64.StdEncoding.DecodeString(strings.Fields(key)[1])
	m := md5.Sum(blob)
	parts := make([]string, len(m))
	for i, b := range m {
		parts[i] = hex.EncodeToString([]byte{b})
	}
	sum := sha256.Sum256(blob)
	return strings.Join(parts, ":"), "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:])
}

func contractKeyLookups(t *testing.T) {
	t.Parallel()
	s, admin := contractServer(t)
	ctx := context.Background()
	id, tok := s.CreateUser(gitlabtest.UserSpec{Username: "jane", Name: "Jane Doe"})
	otherID, _ := s.CreateUser(gitlabtest.UserSpec{Username: "other"})
	keyID := s.AddSSHKey(id, "laptop", gitlabtest.FakeSSHKey("jane"))
	otherKey := s.AddSSHKey(otherID, "x", gitlabtest.FakeSSHKey("other"))

	k, _, err := s.ClientFor("").SSHKeys.GetForUser(ctx, id, keyID)
	require.NoError(t, err, "no token needed")
	assert.Equal(t, "laptop", k.Title)
	assert.Nil(t, k.LastUsedAt)
	_, _, err = admin.SSHKeys.GetForUser(ctx, id, otherKey)
	assert.Equal(t, "404 Key Not Found", contractStatus(t, err, 404).Message)
	_, _, err = admin.SSHKeys.GetForUser(ctx, 4242, keyID)
	assert.Equal(t, "404 User Not Found", contractStatus(t, err, 404).Message)

	wu, _, err := admin.SSHKeys.GetWithUser(ctx, keyID)
	require.NoError(t, err)
	assert.Equal(t, *k, wu.SSHKey)
	require.NotNil(t, wu.User)
	assert.Equal(t, id, wu.User.ID)
	assert.Equal(t, "jane@example.com", wu.User.Email, "UserPublic carries the email")
	assert.False(t, wu.User.IsAdmin)
	assert.Nil(t, wu.DeployKeysProjects)
	_, _, err = admin.SSHKeys.GetWithUser(ctx, 999)
	assert.Equal(t, "404 Not found", contractStatus(t, err, 404).Message)
	_, _, err = s.ClientFor(tok, gitlab.WithoutRetries()).SSHKeys.GetWithUser(ctx, keyID)
	contractStatus(t, err, 403)

	md5fp, sha := contractFingerprints(gitlabtest.FakeSSHKey("jane"))
	for _, fp := range []string{md5fp, sha, "sha256:" + strings.TrimPrefix(sha, "SHA256:")} {
		byFP, _, err := admin.SSHKeys.GetByFingerprint(ctx, fp)
		require.NoError(t, err, fp)
		assert.Equal(t, keyID, byFP.ID, fp)
		assert.Equal(t, "jane", byFP.User.Username)
	}
	_, _, err = admin.SSHKeys.GetByFingerprint(ctx, strings.ToUpper(md5fp))
	contractStatus(t, err, 404) // GitLab compares MD5 fingerprints exactly
	_, _, err = admin.SSHKeys.GetByFingerprint(ctx, "SHA256:tooshort")
	assert.Equal(t, "Failed to return the key", contractStatus(t, err, 400).Message)
	_, _, err = admin.SSHKeys.GetByFingerprint(ctx, "zz:zz")
	contractStatus(t, err, 400)
	_, _, err = s.ClientFor(tok, gitlab.WithoutRetries()).SSHKeys.GetByFingerprint(ctx, sha)
	contractStatus(t, err, 403)
	_, _, err = s.ClientFor("", gitlab.WithoutRetries()).SSHKeys.GetByFingerprint(ctx, sha)
	contractStatus(t, err, 401)
}

func contractGPGRevoke(t *testing.T) {
	t.Parallel()
	s, admin, id, c := contractWithJane(t)
	ctx := context.Background()
	k1 := s.AddGPGKey(id, gitlabtest.FakeGPGKey("a"))
	k2 := s.AddGPGKey(id, gitlabtest.FakeGPGKey("b"))

	resp, err := c.GPGKeys.Revoke(ctx, k1)
	require.NoError(t, err)
	assert.Equal(t, 202, resp.StatusCode)
	require.Len(t, s.GPGKeys(id), 1)
	_, err = c.GPGKeys.Revoke(ctx, k1)
	assert.Equal(t, "404 GPG Key Not Found", contractStatus(t, err, 404).Message)
	_, err = c.GPGKeys.RevokeForUser(ctx, id, k2)
	contractStatus(t, err, 403)
	resp, err = admin.GPGKeys.RevokeForUser(ctx, id, k2)
	require.NoError(t, err)
	assert.Equal(t, 202, resp.StatusCode)
	assert.Empty(t, s.GPGKeys(id))
	_, err = admin.GPGKeys.RevokeForUser(ctx, 4242, k2)
	assert.Equal(t, "404 User Not Found", contractStatus(t, err, 404).Message)
}

func contractStatusUpdate(t *testing.T) {
	t.Parallel()
	s, _, id, c := contractWithJane(t)
	ctx := context.Background()

	st, _, err := c.Status.Update(ctx, nil)
	require.NoError(t, err, "an empty PATCH answers null")
	assert.Equal(t, &gitlab.UserStatus{}, st)

	st, resp, err := c.Status.Update(ctx, &gitlab.UpdateStatusOptions{Message: gitlab.Ptr("lunch"),
		ClearStatusAfter: gitlab.Ptr(gitlab.ClearStatusAfter1Day)})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	clearAt := contractNow.Add(24 * time.Hour)
	assert.Equal(t, &gitlab.UserStatus{Emoji: "speech_balloon", Message: "lunch", MessageHTML: "lunch",
		Availability: gitlab.AvailabilityNotSet, ClearStatusAt: &clearAt}, st)

	st, _, err = c.Status.Update(ctx, &gitlab.UpdateStatusOptions{Availability: gitlab.Ptr(gitlab.AvailabilityBusy)})
	require.NoError(t, err)
	assert.Equal(t, "lunch", st.Message, "PATCH keeps the message")
	assert.Equal(t, gitlab.AvailabilityBusy, st.Availability)
	stored, ok := s.Status(id)
	require.True(t, ok)
	assert.Equal(t, "busy", stored.Availability)

	st, _, err = c.Status.Update(ctx, &gitlab.UpdateStatusOptions{Availability: gitlab.Ptr(gitlab.AvailabilityNotSet)})
	require.NoError(t, err, "a PATCH that empties the status answers null")
	assert.Equal(t, &gitlab.UserStatus{}, st)
	_, ok = s.Status(id)
	assert.False(t, ok)
}

func contractCustomAttributes(t *testing.T) {
	t.Parallel()
	s, admin := contractServer(t)
	ctx := context.Background()
	id, tok := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	s.CreateUser(gitlabtest.UserSpec{Username: "bob"})

	a, resp, err := admin.CustomAttributes.Set(ctx, id, "idp/team", "blue")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, &gitlab.CustomAttribute{Key: "idp/team", Value: "blue"}, a)
	_, _, err = admin.CustomAttributes.Set(ctx, id, "location", "remote")
	require.NoError(t, err)
	u, _ := s.User(id)
	assert.Equal(t, map[string]string{"idp/team": "blue", "location": "remote"}, u.CustomAttributes)

	list, _, err := admin.CustomAttributes.List(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, []*gitlab.CustomAttribute{{Key: "idp/team", Value: "blue"}, {Key: "location", Value: "remote"}}, list)
	got, _, err := admin.CustomAttributes.Get(ctx, id, "idp/team")
	require.NoError(t, err)
	assert.Equal(t, a, got)
	_, _, err = admin.CustomAttributes.Get(ctx, id, "nope")
	assert.Equal(t, "404 Not found", contractStatus(t, err, 404).Message)

	found, _, err := admin.Users.List(ctx, &gitlab.ListUsersOptions{CustomAttributes: gitlab.Attributes{"idp/team": "blue"},
		WithCustomAttributes: gitlab.Ptr(true)})
	require.NoError(t, err)
	require.Len(t, found, 1)
	assert.Equal(t, id, found[0].ID)
	assert.Equal(t, list, found[0].CustomAttributes)
	one, _, err := admin.Users.Get(ctx, id, &gitlab.GetUserOptions{WithCustomAttributes: gitlab.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, list, one.CustomAttributes)

	userClient := s.ClientFor(tok, gitlab.WithoutRetries())
	_, _, err = userClient.CustomAttributes.List(ctx, id)
	assert.Equal(t, "403 Forbidden", contractStatus(t, err, 403).Message)
	_, _, err = userClient.CustomAttributes.List(ctx, 4242)
	assert.Equal(t, "404 Not Found", contractStatus(t, err, 404).Message, "the user is looked up first")

	resp, err = admin.CustomAttributes.Delete(ctx, id, "idp/team")
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	u, _ = s.User(id)
	assert.Equal(t, map[string]string{"location": "remote"}, u.CustomAttributes)
	_, err = admin.CustomAttributes.Delete(ctx, id, "idp/team")
	assert.True(t, errors.Is(err, gitlab.ErrNotFound))
}

func contractGranularToken(t *testing.T) {
	t.Parallel()
	s, admin := contractServer(t)
	ctx := context.Background()
	id, _ := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	exp := gitlab.NewISODate(2025, time.April, 1)
	tok, _, err := admin.ImpersonationTokens.Create(ctx, id, &gitlab.CreateImpersonationTokenOptions{
		Name: gitlab.Ptr("granular"), ExpiresAt: &exp,
		GranularScopes: []*gitlab.GranularScopeOptions{{Access: gitlab.GranularAccessUser, Permissions: []string{"read_user"}}},
	})
	require.NoError(t, err)
	assert.True(t, tok.Granular)
	assert.Equal(t, []*gitlab.GranularScope{{Access: gitlab.GranularAccessUser, Permissions: []string{"read_user"}}}, tok.GranularScopes)
	stored := s.ImpersonationTokens(id)
	require.Len(t, stored, 1)
	assert.Equal(t, "user", stored[0].GranularScopes[0].Access)
}

func contractListUsersNewFilters(t *testing.T) {
	t.Parallel()
	s, admin := contractServer(t)
	ctx := context.Background()
	id, _ := s.CreateUser(gitlabtest.UserSpec{Username: "jane", PublicEmail: "Jane@example.com"})
	s.CreateUser(gitlabtest.UserSpec{Username: "bob"})
	got, _, err := admin.Users.List(ctx, &gitlab.ListUsersOptions{PublicEmail: gitlab.Ptr("Jane@example.com"),
		Auditors: gitlab.Ptr(false), SkipLDAP: gitlab.Ptr(false)})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, id, got[0].ID)
	got, _, err = admin.Users.List(ctx, &gitlab.ListUsersOptions{PublicEmail: gitlab.Ptr("jane@example.com")})
	require.NoError(t, err)
	assert.Empty(t, got, "an exact, case-sensitive match")
}
