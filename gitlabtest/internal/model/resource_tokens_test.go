package model

import (
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// expiring is a valid expiry for a new resource token.
func expiring(days int) ResourceTokenSpec {
	return ResourceTokenSpec{Name: "ci", Scopes: []string{"api"}, ExpiresAt: ptr(DayOf(now).AddDate(0, 0, days)),
		ExpiresSet: true, AccessLevel: AccessMaintainer}
}

func idOf(t *Token) string { return strconv.FormatInt(t.ID, 10) }

func TestCreateResourceTokenMakesBotMember(t *testing.T) {
	w := newTree(t)
	w.owner.External = true
	tok, err := w.st.CreateResourceToken(w.owner, GroupSource(w.top.ID), ResourceTokenSpec{Name: "deploy", Description: "d",
		Scopes: []string{"read_api", "self_rotate"}, ExpiresAt: ptr(DayOf(now).AddDate(0, 1, 0)), ExpiresSet: true,
		AccessLevel: AccessDeveloper}, "gitlab.example.com", now)
	require.NoError(t, err)
	bot := w.st.User(tok.UserID)
	require.NotNil(t, bot)
	assert.Regexp(t, regexp.MustCompile(`^group_`+strconv.FormatInt(w.top.ID, 10)+`_bot_[0-9a-f]{16}$`), bot.Username)
	assert.Equal(t, bot.Username+"@noreply.gitlab.example.com", bot.Email)
	assert.Equal(t, [5]any{"deploy", true, true, true, StateActive}, [5]any{bot.Name, bot.Bot, bot.ProjectBot, bot.External, bot.State})
	m := w.st.row(bot.ID, GroupSource(w.top.ID))
	require.NotNil(t, m)
	assert.Equal(t, AccessDeveloper, m.AccessLevel)
	assert.Nil(t, m.ExpiresAt)
	assert.Equal(t, MemberActive, m.State)
	assert.Equal(t, [4]any{"deploy", "d", []string{"read_api", "self_rotate"}, false}, [4]any{tok.Name, tok.Description, tok.Scopes, tok.Impersonation})
	assert.Equal(t, DayOf(now).AddDate(0, 1, 0), *tok.ExpiresAt)
	assert.Equal(t, []*User{bot}, w.st.ResourceBots(GroupSource(w.top.ID)))
	assert.Equal(t, AccessDeveloper, *w.st.ResourceTokenLevel(tok, GroupSource(w.top.ID)))

	p, err := w.st.CreateResourceToken(w.admin, ProjectSource(w.proj.ID), expiring(3), "h", now)
	require.NoError(t, err)
	assert.Regexp(t, `^project_`+strconv.FormatInt(w.proj.ID, 10)+`_bot_[0-9a-f]{16}$`, w.st.User(p.UserID).Username)
	assert.False(t, w.st.User(p.UserID).External, "external only when the creator is")
}

func TestGroupTokenAuthenticatesAsItsBot(t *testing.T) {
	w := newTree(t)
	tok, err := w.st.CreateResourceToken(w.owner, GroupSource(w.top.ID), expiring(5), "h", now)
	require.NoError(t, err)
	got, u, err := w.st.Authenticate(tok.Token, now)
	require.NoError(t, err)
	assert.Equal(t, tok, got)
	assert.Equal(t, tok.UserID, u.ID)
	assert.True(t, u.ProjectBot)
	assert.Equal(t, AccessMaintainer, w.st.GroupAccess(u, w.sub, now), "the bot's role reaches the subgroups")
}

func TestCreateResourceTokenRefusals(t *testing.T) {
	w := newTree(t)
	w.add(w.maint, ProjectSource(w.proj.ID), AccessMaintainer, nil)
	w.add(w.dev, ProjectSource(w.proj.ID), AccessDeveloper, nil)
	w.add(w.maint, GroupSource(w.top.ID), AccessMaintainer, nil)
	top, proj := GroupSource(w.top.ID), ProjectSource(w.proj.ID)
	botTok, err := w.st.CreateResourceToken(w.owner, top, expiring(5), "h", now)
	require.NoError(t, err)
	bot := w.st.User(botTok.UserID)
	owner := func(s ResourceTokenSpec) ResourceTokenSpec { s.AccessLevel = AccessOwner; return s }
	noExpiry := expiring(1)
	noExpiry.ExpiresAt, noExpiry.ExpiresSet = nil, false
	tooLate := expiring(MaxTokenLifetimeDays + 1)
	for _, c := range []struct {
		name  string
		actor *User
		src   Source
		spec  ResourceTokenSpec
		text  string
	}{
		{"a group needs an Owner", w.maint, top, expiring(1), "User does not have permission to create group access token"},
		{"a project needs a Maintainer", w.dev, proj, expiring(1), "User does not have permission to create project access token"},
		{"a stranger", w.jane, proj, expiring(1), "User does not have permission to create project access token"},
		{"a bot token never creates", bot, proj, expiring(1), "User does not have permission to create project access token"},
		{"no level above the caller's", w.maint, proj, owner(expiring(1)), "Access level of the token contains permissions not held by the creating user"},
		{"expires_at is required", w.owner, top, noExpiry, "expires_at is missing"},
		{"at most the maximum lifetime", w.owner, top, tooLate, "Expires at must be before " + ExpiryLimit(now).Format(time.DateOnly)},
	} {
		users := w.st.UserCount()
		_, err := w.st.CreateResourceToken(c.actor, c.src, c.spec, "h", now)
		refusedFully(t, err, BadRequest, c.text, false)
		assert.Equal(t, users, w.st.UserCount(), "%s: no bot is left behind", c.name)
	}

	blank := expiring(1)
	blank.ExpiresAt = nil // sent, but blank
	tok, err := w.st.CreateResourceToken(w.maint, proj, blank, "h", now)
	require.NoError(t, err)
	assert.Equal(t, ExpiryLimit(now), *tok.ExpiresAt, "a blank expires_at is the maximum lifetime")
	_, err = w.st.CreateResourceToken(w.admin, proj, owner(expiring(1)), "h", now)
	assert.NoError(t, err, "administrators count as Owners")
}

func TestResourceTokensListRules(t *testing.T) {
	w := newTree(t)
	w.add(w.maint, GroupSource(w.top.ID), AccessMaintainer, nil)
	top, other := GroupSource(w.top.ID), GroupSource(w.other.ID)
	a, _ := w.st.AddResourceToken(top, nil, expiring(2), "", "h", now)
	b, _ := w.st.AddResourceToken(top, nil, expiring(2), "", "h", now)
	w.st.AddResourceToken(other, nil, expiring(2), "", "h", now)
	imp := w.st.AddToken(a.UserID, "imp", []string{"api"}, true, nil, "", now)
	b.Revoke()

	got, err := w.st.ResourceTokens(w.owner, top, now)
	require.NoError(t, err)
	assert.Equal(t, []*Token{a, b}, got, "revoked ones too, no impersonation token, no other group's")
	_, err = w.st.ResourceTokens(w.maint, top, now)
	refusedAs(t, err, Unauthorized, "")
	_, err = w.st.ResourceToken(w.maint, top, idOf(a), now)
	refusedAs(t, err, Unauthorized, "")

	for _, ref := range []string{idOf(imp), "abc", "999", ""} {
		_, err = w.st.ResourceToken(w.owner, top, ref, now)
		refusedFully(t, err, NotFound, "group Access Token", false)
	}
	o, err := w.st.ResourceTokens(w.admin, other, now)
	require.NoError(t, err)
	_, err = w.st.ResourceToken(w.owner, top, idOf(o[0]), now)
	refusedAs(t, err, NotFound, "group Access Token")
	_, err = w.st.ResourceToken(w.admin, ProjectSource(w.proj.ID), idOf(a), now)
	refusedAs(t, err, NotFound, "project Access Token")
}

func TestRotatedTokenOldSecretRefused(t *testing.T) {
	w := newTree(t)
	top := GroupSource(w.top.ID)
	old, err := w.st.CreateResourceToken(w.owner, top, expiring(30), "h", now)
	require.NoError(t, err)
	old.Description = "kept"
	n, err := w.st.RotateResourceToken(w.owner, top, idOf(old), nil, now)
	require.NoError(t, err)
	assert.True(t, old.Revoked)
	assert.Equal(t, [5]any{old.UserID, old.Name, "kept", old.Scopes, old.ID}, [5]any{n.UserID, n.Name, n.Description, n.Scopes, n.PreviousID})
	assert.Equal(t, DayOf(now).AddDate(0, 0, 7), *n.ExpiresAt, "a week from today by default")
	assert.NotEqual(t, old.Token, n.Token)
	_, _, err = w.st.Authenticate(old.Token, now)
	refusedAs(t, err, Unauthorized, "Token was revoked. You have to re-authorize from the user.")
	_, u, err := w.st.Authenticate(n.Token, now)
	require.NoError(t, err)
	assert.Equal(t, old.UserID, u.ID)

	day := DayOf(now).AddDate(0, 2, 0)
	n2, err := w.st.RotateResourceToken(w.admin, top, idOf(n), &day, now)
	require.NoError(t, err)
	assert.Equal(t, day, *n2.ExpiresAt)
}

func TestRotateResourceTokenRefusals(t *testing.T) {
	w := newTree(t)
	w.add(w.maint, ProjectSource(w.proj.ID), AccessMaintainer, nil)
	w.add(w.maint, GroupSource(w.top.ID), AccessMaintainer, nil)
	top, proj := GroupSource(w.top.ID), ProjectSource(w.proj.ID)
	gt, _ := w.st.AddResourceToken(top, nil, expiring(5), "", "h", now)
	ownerLevel := expiring(5)
	ownerLevel.AccessLevel = AccessOwner
	pt, _ := w.st.AddResourceToken(proj, nil, ownerLevel, "", "h", now)
	pm, _ := w.st.AddResourceToken(proj, nil, expiring(5), "", "h", now)

	_, err := w.st.RotateResourceToken(w.maint, top, idOf(gt), nil, now)
	refusedAs(t, err, Unauthorized, "") // group tokens need an Owner
	_, err = w.st.RotateResourceToken(w.admin, top, "999", nil, now)
	refusedFully(t, err, NotFound, "", false)
	_, err = w.st.RotateResourceToken(w.owner, top, idOf(pt), nil, now)
	refusedAs(t, err, Unauthorized, "") // another resource's token
	_, err = w.st.RotateResourceToken(w.st.User(pm.UserID), proj, idOf(pm), nil, now)
	refusedAs(t, err, Unauthorized, "") // a bot never rotates through this route
	_, err = w.st.RotateResourceToken(w.maint, proj, idOf(pt), nil, now)
	refusedFully(t, err, BadRequest, "Not eligible to rotate tokens with permissions not held by the user", false)
	assert.False(t, pt.Revoked)
	pm.Revoke()
	_, err = w.st.RotateResourceToken(w.maint, proj, idOf(pm), nil, now)
	refusedFully(t, err, BadRequest, "Token already revoked", false)
}

func TestSelfRotateRules(t *testing.T) {
	w := newTree(t)
	w.other.Visibility = "public"
	private := w.st.AddGroup(GroupSpec{Path: "private"}, now)
	top := GroupSource(w.top.ID)
	tok, _ := w.st.AddResourceToken(top, nil, expiring(5), "", "h", now)
	bot := w.st.User(tok.UserID)
	own := w.st.AddToken(w.owner.ID, "mine", []string{"api"}, false, nil, "", now)

	_, err := w.st.RotateSelfResourceToken(w.owner, own, true, "top", nil, now)
	refusedAs(t, err, MethodNotAllowed, "") // a human's token
	_, err = w.st.RotateSelfResourceToken(w.admin, own, true, "top", nil, now)
	refusedAs(t, err, MethodNotAllowed, "") // even an administrator's
	_, err = w.st.RotateSelfResourceToken(bot, tok, true, "other", nil, now)
	refusedAs(t, err, Unauthorized, "") // another, visible, group
	_, err = w.st.RotateSelfResourceToken(bot, tok, true, strconv.FormatInt(private.ID, 10), nil, now)
	refusedAs(t, err, NotFound, "Group") // another, private, group
	assert.False(t, tok.Revoked)

	n, err := w.st.RotateSelfResourceToken(bot, tok, true, "top", nil, now)
	require.NoError(t, err)
	assert.True(t, tok.Revoked)
	assert.Equal(t, [2]any{bot.ID, tok.ID}, [2]any{n.UserID, n.PreviousID})
}

func TestRevokedTokenKeepsBot(t *testing.T) {
	w := newTree(t)
	proj := ProjectSource(w.proj.ID)
	w.add(w.maint, proj, AccessMaintainer, nil)
	tok, err := w.st.CreateResourceToken(w.maint, proj, expiring(5), "h", now)
	require.NoError(t, err)
	require.NoError(t, w.st.RevokeResourceToken(w.maint, proj, idOf(tok), now))
	assert.True(t, tok.Revoked)
	bot := w.st.User(tok.UserID)
	require.NotNil(t, bot, "the bot user stays")
	assert.Equal(t, StateActive, bot.State)
	assert.Equal(t, AccessMaintainer, w.st.level(bot.ID, proj, now), "and stays a member")
	list, err := w.st.ResourceTokens(w.maint, proj, now)
	require.NoError(t, err)
	assert.Equal(t, []*Token{tok}, list)
	assert.False(t, list[0].Active(now), "listed as inactive")
	assert.NoError(t, w.st.RevokeResourceToken(w.maint, proj, idOf(tok), now), "revoking twice succeeds")
}

func TestRevokeResourceTokenRefusals(t *testing.T) {
	w := newTree(t)
	w.jane.Name = "Jane"
	proj := ProjectSource(w.proj.ID)
	spec := expiring(5)
	spec.Name = "Deploy bot"
	tok, _ := w.st.AddResourceToken(proj, nil, spec, "", "h", now)
	other, _ := w.st.AddResourceToken(GroupSource(w.top.ID), nil, spec, "", "h", now)

	err := w.st.RevokeResourceToken(w.jane, proj, idOf(other), now)
	refusedFully(t, err, NotFound, "project Access Token", false) // the lookup comes first
	err = w.st.RevokeResourceToken(w.jane, proj, idOf(tok), now)
	refusedFully(t, err, BadRequest, "Jane cannot delete Deploy bot", false)
	assert.False(t, tok.Revoked)

	sibling, _ := w.st.AddResourceToken(proj, nil, spec, "", "h", now)
	require.NoError(t, w.st.RevokeResourceToken(w.st.User(sibling.UserID), proj, idOf(tok), now),
		"a Maintainer bot's token revokes another token of its project")
	assert.True(t, tok.Revoked)
}

func TestBotMembershipProtected(t *testing.T) {
	w := newTree(t)
	top := GroupSource(w.top.ID)
	tok, _ := w.st.AddResourceToken(top, nil, expiring(5), "", "h", now)
	_, err := w.st.MemberToRemove(w.owner, top, tok.UserID, now)
	refusedAs(t, err, Forbidden, "")
	_, err = w.st.UpdateMember(w.owner, top, tok.UserID, AccessGuest, nil, false, now)
	refusedAs(t, err, Forbidden, "")
	assert.Equal(t, AccessMaintainer, w.st.level(tok.UserID, top, now))
}

func TestResourceBotScopes(t *testing.T) {
	assert.NotContains(t, ResourceBotScopes, "read_user")
	assert.NotContains(t, ResourceBotScopes, "sudo")
	assert.NotContains(t, ResourceBotScopes, "admin_mode")
	assert.Contains(t, ResourceBotScopes, "self_rotate")
	assert.Len(t, ResourceBotScopes, len(AvailableScopes)-4)
}

// A project token's bot joins the project as any new member does
// (ProjectMember#post_create_hook), so it has a joined event; a group
// token's bot has none, as a group's members record none; a seeded
// token records nothing.
func TestProjectTokenBotJoinRecorded(t *testing.T) {
	w := newTree(t)
	p, err := w.st.CreateResourceToken(w.owner, ProjectSource(w.proj.ID), expiring(3), "h", now)
	require.NoError(t, err)
	ev := w.st.Events(p.UserID)
	require.Len(t, ev, 1)
	assert.Equal(t, [3]any{EventJoined, w.proj.ID, now}, [3]any{ev[0].Action, ev[0].ProjectID, ev[0].CreatedAt})

	g, err := w.st.CreateResourceToken(w.owner, GroupSource(w.top.ID), expiring(3), "h", now)
	require.NoError(t, err)
	assert.Empty(t, w.st.Events(g.UserID))
	s, _ := w.st.AddResourceToken(ProjectSource(w.proj.ID), nil, ResourceTokenSpec{Name: "seeded", Scopes: []string{"api"}, AccessLevel: AccessDeveloper}, "", "h", now)
	assert.Empty(t, w.st.Events(s.UserID))
}
