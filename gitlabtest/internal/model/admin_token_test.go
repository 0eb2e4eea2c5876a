package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tokenZoo is a store holding one token of each type the fake issues.
type tokenZoo struct {
	w                                    tree
	pat, imp, groupTok, projTok, saTok   *Token
	runner                               *Runner
	serviceAccount, groupBot, projectBot *User
}

func newTokenZoo(t *testing.T) tokenZoo {
	t.Helper()
	w := newTree(t)
	z := tokenZoo{w: w}
	z.pat = w.st.AddToken(w.jane.ID, "pat", []string{"api"}, false, nil, "", now)
	z.imp = w.st.AddToken(w.jane.ID, "imp", []string{"api"}, true, nil, "", now)
	z.groupTok, z.groupBot = w.st.AddResourceToken(GroupSource(w.top.ID), nil, expiring(5), "", "h", now)
	z.projTok, z.projectBot = w.st.AddResourceToken(ProjectSource(w.proj.ID), nil, expiring(5), "", "h", now)
	sa, err := w.st.CreateServiceAccount(w.admin, ServiceAccountScope{}, ServiceAccountSpec{}, "h", now)
	require.NoError(t, err)
	z.serviceAccount = sa
	z.saTok = w.st.AddToken(sa.ID, "sa", []string{"api"}, false, nil, "", now)
	z.runner, err = w.st.CreateRunner(w.admin, RunnerSpec{Type: RunnerInstance, RunUntagged: true, Description: "r"}, now)
	require.NoError(t, err)
	return z
}

func TestAdminTokenIdentifiesEveryType(t *testing.T) {
	z := newTokenZoo(t)
	st := z.w.st
	for _, tok := range []*Token{z.pat, z.imp, z.groupTok, z.projTok, z.saTok} {
		id, err := st.IdentifyToken(tok.Token)
		require.NoError(t, err)
		assert.Equal(t, IdentifiedToken{Type: TypePersonalToken, Token: tok}, id, tok.Name)
	}
	id, err := st.IdentifyToken(z.runner.Token)
	require.NoError(t, err)
	assert.Equal(t, IdentifiedToken{Type: TypeRunnerToken, Runner: z.runner}, id)

	z.pat.Revoke()
	id, err = st.IdentifyToken(z.pat.Token)
	require.NoError(t, err, "a revoked token is still identified")
	assert.Equal(t, z.pat, id.Token)
}

func TestAdminTokenUnknownOrMissing(t *testing.T) {
	st, _, _ := newTestStore(t)
	for _, secret := range []string{"unsupported", "", "GLPAT-abc", "xglpat-abc", "seeded-secret"} {
		_, err := st.IdentifyToken(secret)
		refusedFully(t, err, Unprocessable, "Token type not supported.", true)
	}
	for secret, typ := range map[string]TokenType{"glpat-nope": TypePersonalToken, "glrt-nope": TypeRunnerToken,
		"gldt-x": TypeDeployToken, "glft-x": TypeFeedToken, "gloas-x": TypeOAuthSecret, "glagent-x": TypeClusterAgentToken,
		"GR1348941x": TypeRunnerRegistration, "glptt-x": TypeTriggerToken, "glcbt-x": TypeJobToken,
		"glffct-x": TypeFeatureFlagsToken, "_gitlab_session=x": TypeSession, "glimt-x": TypeIncomingEmailToken,
		"glsoat-x": TypeSCIMToken} {
		id, err := st.IdentifyToken(secret)
		refusedFully(t, err, NotFound, "Not found", false)
		assert.Equal(t, typ, id.Type, secret)
	}
}

func TestAdminTokenRevokesEveryType(t *testing.T) {
	z := newTokenZoo(t)
	st := z.w.st
	revoke := func(secret string) error {
		id, err := st.IdentifyToken(secret)
		require.NoError(t, err)
		return st.RevokeIdentified(z.w.admin, id, now)
	}
	for _, tok := range []*Token{z.pat, z.imp, z.groupTok, z.projTok} {
		require.NoError(t, revoke(tok.Token), tok.Name)
		assert.True(t, tok.Revoked, tok.Name)
		_, _, err := st.Authenticate(tok.Token, now)
		refusedAs(t, err, Unauthorized, "Token was revoked. You have to re-authorize from the user.")
		assert.NoError(t, revoke(tok.Token), "%s: revoking twice succeeds", tok.Name)
	}
	for _, bot := range []*User{z.groupBot, z.projectBot} {
		assert.Equal(t, bot, st.User(bot.ID), "the bot stays")
		assert.Len(t, st.UserRows(bot.ID), 1, "and stays a member")
	}

	refusedFully(t, revoke(z.saTok.Token), BadRequest, "Unsupported personal access token type", false)
	assert.False(t, z.saTok.Revoked)

	old := z.runner.Token
	require.NoError(t, revoke(old))
	assert.NotEqual(t, old, z.runner.Token)
	assert.Regexp(t, `^glrt-`, z.runner.Token)
	_, err := st.IdentifyToken(old)
	refusedAs(t, err, NotFound, "Not found")
	id, err := st.IdentifyToken(z.runner.Token)
	require.NoError(t, err)
	assert.Equal(t, z.runner, id.Runner)
}

func TestRunnersAreStored(t *testing.T) {
	w := newTree(t)
	r, err := w.st.CreateRunner(w.owner, RunnerSpec{Type: RunnerGroup, GroupID: w.top.ID, TagList: []string{"a"}, Paused: true}, now)
	require.NoError(t, err)
	assert.Equal(t, []*Runner{r}, w.st.Runners())
	assert.Equal(t, [5]any{RunnerGroup, w.top.ID, int64(0), w.owner.ID, true}, [5]any{r.Type, r.GroupID, r.ProjectID, r.CreatorID, r.Paused})
	assert.Equal(t, r, w.st.RunnerByToken(r.Token))
	assert.Equal(t, "never_contacted", r.Status(now.Add(StaleAfter-1)))
	assert.Equal(t, "stale", r.Status(now.Add(StaleAfter)))
	_, err = w.st.CreateRunner(w.jane, RunnerSpec{Type: RunnerInstance, RunUntagged: true}, now)
	assert.Error(t, err)
	assert.Len(t, w.st.Runners(), 1, "a refused runner is not stored")
}
