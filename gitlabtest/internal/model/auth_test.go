package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRequireScope(t *testing.T) {
	tok := &Token{Scopes: []string{"read_user", "self_rotate"}}
	require.NoError(t, RequireScope(tok, "api read_user", "api", "read_user"))
	refusedAs(t, RequireScope(tok, "api", "api"), InsufficientScope, "api")
}

func TestAuthenticate(t *testing.T) {
	st, _, users := newTestStore(t, "jane")
	jane := users[0]
	live := st.AddToken(jane.ID, "live", []string{"read_api"}, false, nil, "glpat-live", now)
	revoked := st.AddToken(jane.ID, "revoked", []string{"api"}, false, nil, "glpat-revoked", now)
	revoked.Revoked = true
	today := DayOf(now)
	st.AddToken(jane.ID, "expired", []string{"api"}, false, &today, "glpat-expired", now)
	tomorrow := today.AddDate(0, 0, 1)
	st.AddToken(jane.ID, "expires tomorrow", []string{"api"}, false, &tomorrow, "glpat-tomorrow", now)

	tok, u, err := st.Authenticate("glpat-live", now)
	require.NoError(t, err)
	assert.Same(t, live, tok)
	assert.Same(t, jane, u)

	_, _, err = st.Authenticate("glpat-unknown", now)
	refusedAs(t, err, Unauthorized, "")

	tok, _, err = st.Authenticate("glpat-revoked", now)
	refusedAs(t, err, Unauthorized, "Token was revoked. You have to re-authorize from the user.")
	assert.Same(t, revoked, tok, "a revoked token is handed back for reuse detection")

	_, _, err = st.Authenticate("glpat-expired", now)
	refusedAs(t, err, Unauthorized, "Token is expired. You can either do re-authorization or token refresh.")
	_, _, err = st.Authenticate("glpat-tomorrow", now)
	require.NoError(t, err, "a token works until its expiry day")
	_, _, err = st.Authenticate("glpat-tomorrow", tomorrow)
	require.Error(t, err, "and not on that day")

	st.DeleteUser(jane.ID)
	_, _, err = st.Authenticate("glpat-live", now)
	refusedAs(t, err, Unauthorized, "")
}

func TestCheckAccess(t *testing.T) {
	st, _, users := newTestStore(t, "jane")
	jane := users[0]
	for state, text := range map[UserState]string{
		StateActive:                 "",
		StateBlocked:                "Your account has been blocked.",
		StateLDAPBlocked:            "Your account has been blocked.",
		StateBanned:                 "Your account has been blocked.",
		StateBlockedPendingApproval: "Your account has been blocked.",
		StateDeactivated:            "Your account has been deactivated by your administrator. Please log back in to reactivate your account.",
	} {
		jane.State = state
		err := st.CheckAccess(jane)
		if text == "" {
			assert.NoError(t, err, state)
			continue
		}
		refusedAs(t, err, Forbidden, text)
	}
}

func TestSudo(t *testing.T) {
	st, admin, users := newTestStore(t, "jane")
	jane := users[0]
	sudoTok := &Token{Scopes: []string{"api", "sudo"}}
	apiTok := &Token{Scopes: []string{"api"}}

	got, err := st.Sudo(admin, sudoTok, "JANE")
	require.NoError(t, err)
	assert.Same(t, jane, got, "usernames match case-insensitively")
	got, err = st.Sudo(admin, sudoTok, "2")
	require.NoError(t, err)
	assert.Same(t, jane, got, "and IDs work too")

	_, err = st.Sudo(jane, sudoTok, "root")
	refusedAs(t, err, Forbidden, "Must be admin to use sudo")
	_, err = st.Sudo(admin, apiTok, "jane")
	refusedAs(t, err, InsufficientScope, "sudo")
	_, err = st.Sudo(admin, sudoTok, "nobody")
	refusedAs(t, err, NotFound, "User with ID or username 'nobody'")
}

// TestRecordUse: a use is recorded at most every 10 minutes and the
// activity at most daily, so most requests change nothing (UseDue false)
// and read-only ones can share the store.
func TestRecordUse(t *testing.T) {
	st, _, users := newTestStore(t, "jane")
	jane := users[0]
	tok := st.AddToken(jane.ID, "t", []string{"api"}, false, nil, "", now)

	require.True(t, st.UseDue(tok, jane, now, "10.0.0.1:1234"), "never used")
	st.RecordUse(tok, jane, now, "10.0.0.1:1234")
	assert.Equal(t, now, *tok.LastUsedAt)
	assert.Equal(t, []string{"10.0.0.1"}, tok.LastUsedIPs)
	assert.Equal(t, DayOf(now), *jane.LastActivityOn)

	later := now.Add(9 * time.Minute)
	assert.False(t, st.UseDue(tok, jane, later, "10.0.0.1:999"), "same address, within 10 minutes, same day")
	assert.True(t, st.UseDue(tok, jane, later, "10.0.0.2:999"), "a new address after a minute")
	assert.True(t, st.UseDue(tok, jane, now.Add(10*time.Minute), "10.0.0.1:1"), "10 minutes on")
	assert.True(t, st.UseDue(nil, jane, now.Add(24*time.Hour), ""), "the next day's activity")
}

// TestAddTokenRefusesTakenSecret: a secret names one token, so storing a
// second token with a taken secret panics (the seeding methods check
// SecretTaken first), and a random secret is never a taken one.
func TestAddTokenRefusesTakenSecret(t *testing.T) {
	st, admin, _ := newTestStore(t)
	tok := st.AddToken(admin.ID, "first", []string{"api"}, false, nil, "glpat-chosen", now)
	assert.True(t, st.SecretTaken("glpat-chosen"))
	assert.False(t, st.SecretTaken("glpat-other"))
	assert.Panics(t, func() { st.AddToken(admin.ID, "second", []string{"api"}, false, nil, "glpat-chosen", now) })
	assert.Same(t, tok, st.TokenBySecret("glpat-chosen"), "the first token keeps its secret")
	assert.Len(t, st.Tokens(admin.ID), 1)
}
