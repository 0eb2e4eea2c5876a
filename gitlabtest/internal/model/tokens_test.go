package model

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// day returns midnight UTC of a date.
func day(y int, m time.Month, d int) *time.Time {
	return PtrTime(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

func TestExpiryLimit(t *testing.T) {
	assert.Equal(t, *day(2027, 12, 1), ExpiryLimit(now))
	assert.Equal(t, *day(2027, 12, 1), ExpiryLimit(time.Date(2026, 12, 1, 23, 59, 0, 0, time.UTC)))
}

func TestCreatePersonalToken(t *testing.T) {
	st, admin, users := newTestStore(t, "jane")
	jane := users[0]
	scopes := []string{"api", "read_user"}

	tok, err := st.CreatePersonalToken(jane, jane, TokenSpec{Name: "ci", Description: "for CI", Scopes: scopes}, now)
	require.NoError(t, err)
	assert.Equal(t, jane.ID, tok.UserID)
	assert.Equal(t, "ci", tok.Name)
	assert.Equal(t, "for CI", tok.Description)
	assert.Equal(t, []string{"api", "read_user"}, tok.Scopes)
	assert.False(t, tok.Impersonation)
	assert.Equal(t, now, tok.CreatedAt)
	assert.Equal(t, day(2027, 12, 1), tok.ExpiresAt, "the default expiry is today plus the maximum lifetime")
	assert.True(t, strings.HasPrefix(tok.Token, "glpat-"), tok.Token)
	assert.Same(t, tok, st.TokenBySecret(tok.Token))
	scopes[0] = "changed"
	assert.Equal(t, "api", tok.Scopes[0], "the token keeps its own scopes")

	last, err := st.CreatePersonalToken(jane, jane, TokenSpec{Name: "x", Scopes: []string{"api"}, ExpiresAt: day(2027, 12, 1)}, now)
	require.NoError(t, err, "the limit itself is allowed")
	assert.Equal(t, day(2027, 12, 1), last.ExpiresAt)

	sudo, err := st.CreatePersonalToken(admin, admin, TokenSpec{Name: "root", Scopes: []string{"sudo", "admin_mode"}}, now)
	require.NoError(t, err, "administrators may have sudo and admin_mode")
	assert.Equal(t, []string{"sudo", "admin_mode"}, sudo.Scopes)
}

func TestCreatePersonalTokenRefusals(t *testing.T) {
	st, _, users := newTestStore(t, "jane")
	jane := users[0]
	before := len(st.Tokens(0))
	for _, c := range []struct {
		spec TokenSpec
		want string
	}{
		{TokenSpec{Name: " ", Scopes: []string{"api"}}, "Name can't be blank"},
		{TokenSpec{Name: "a"}, "Scopes can't be blank"},
		{TokenSpec{Name: "a", Scopes: []string{"api"}, ExpiresAt: day(2027, 12, 2)}, "Expires at must be before 2027-12-01"},
		{TokenSpec{Name: "", ExpiresAt: day(2030, 1, 1)},
			"Name can't be blank, Scopes can't be blank and Expires at must be before 2027-12-01"},
	} {
		tok, err := st.CreatePersonalToken(jane, jane, c.spec, now)
		assert.Nil(t, tok)
		refusedFully(t, err, Unprocessable, c.want, true)
	}
	assert.Len(t, st.Tokens(0), before, "a refused create stores nothing")
}

func TestToSentence(t *testing.T) {
	assert.Equal(t, "", ToSentence(nil))
	assert.Equal(t, "a", ToSentence([]string{"a"}))
	assert.Equal(t, "a and b", ToSentence([]string{"a", "b"}))
	assert.Equal(t, "a, b and c", ToSentence([]string{"a", "b", "c"}))
}

func TestCreateImpersonationToken(t *testing.T) {
	st, admin, users := newTestStore(t, "jane")
	jane := users[0]

	tok, err := st.CreateImpersonationToken(nil, jane, TokenSpec{Name: "imp", Description: "d", Scopes: []string{"api"}, ExpiresAt: day(2027, 1, 1)}, now)
	require.NoError(t, err)
	assert.True(t, tok.Impersonation)
	assert.Equal(t, "d", tok.Description)
	assert.Equal(t, day(2027, 1, 1), tok.ExpiresAt)
	assert.Nil(t, tok.GranularScopes)

	granular := []GranularScope{{Access: "user", Permissions: []string{"read"}}}
	g, err := st.CreateImpersonationToken(nil, jane, TokenSpec{Name: "g", GranularScopes: granular, ExpiresAt: day(2027, 1, 1)}, now)
	require.NoError(t, err, "granular scopes stand for scopes")
	assert.Equal(t, granular, g.GranularScopes)
	assert.Empty(t, g.Scopes)

	_, err = st.CreateImpersonationToken(nil, admin, TokenSpec{Name: "s", Scopes: []string{"sudo"}, ExpiresAt: day(2027, 1, 1)}, now)
	require.NoError(t, err, "an administrator's impersonation token may have sudo")

	var e *Error
	_, err = st.CreateImpersonationToken(nil, jane, TokenSpec{Name: "", Scopes: []string{"nope", "sudo"}, ExpiresAt: day(2027, 12, 2)}, now)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, Invalid, e.Kind)
	assert.Equal(t, map[string][]string{
		"name":       {"can't be blank"},
		"scopes":     {"can only contain available scopes"},
		"expires_at": {"must be before 2027-12-01"},
	}, e.Fields)

	_, err = st.CreateImpersonationToken(nil, jane, TokenSpec{Name: "n"}, now)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, map[string][]string{"scopes": {"can't be blank"}, "expires_at": {"can't be blank"}}, e.Fields,
		"impersonation tokens have no default expiry")
}

// TestAdminScopesForAnyUser: PersonalAccessToken#validate_scopes checks
// scopes against Gitlab::Auth.all_available_scopes only, so a
// non-administrator's token may carry sudo, admin_mode and
// read_service_ping, personal or impersonation.
func TestAdminScopesForAnyUser(t *testing.T) {
	st, _, users := newTestStore(t, "jane")
	jane := users[0]
	admin := []string{"sudo", "admin_mode", "read_service_ping"}
	pat, err := st.CreatePersonalToken(jane, jane, TokenSpec{Name: "p", Scopes: admin}, now)
	require.NoError(t, err)
	assert.Equal(t, admin, pat.Scopes)
	imp, err := st.CreateImpersonationToken(nil, jane, TokenSpec{Name: "i", Scopes: admin, ExpiresAt: day(2027, 1, 1)}, now)
	require.NoError(t, err)
	assert.Equal(t, admin, imp.Scopes)
}

func TestRotateToken(t *testing.T) {
	st, _, users := newTestStore(t, "jane")
	jane := users[0]
	old, err := st.CreatePersonalToken(jane, jane, TokenSpec{Name: "ci", Description: "d", Scopes: []string{"api", "self_rotate"}}, now)
	require.NoError(t, err)

	later := now.Add(time.Hour)
	n, err := st.RotateToken(old, nil, later)
	require.NoError(t, err)
	assert.True(t, old.Revoked, "the rotated token is revoked")
	assert.Equal(t, old.ID, n.PreviousID)
	assert.Equal(t, "ci", n.Name)
	assert.Equal(t, "d", n.Description)
	assert.Equal(t, []string{"api", "self_rotate"}, n.Scopes)
	assert.False(t, n.Impersonation)
	assert.False(t, n.Revoked)
	assert.Equal(t, jane.ID, n.UserID)
	assert.Equal(t, later, n.CreatedAt)
	assert.Equal(t, day(2026, 12, 8), n.ExpiresAt, "a week from today by default")
	assert.NotEqual(t, old.Token, n.Token)

	n2, err := st.RotateToken(n, day(2027, 3, 1), now)
	require.NoError(t, err)
	assert.Equal(t, day(2027, 3, 1), n2.ExpiresAt)

	_, err = st.RotateToken(old, nil, now)
	refusedFully(t, err, BadRequest, "Token already revoked", false)

	count := len(st.Tokens(0))
	_, err = st.RotateToken(n2, day(2027, 12, 2), now)
	refusedFully(t, err, BadRequest, "Expires at must be before 2027-12-01", false)
	assert.False(t, n2.Revoked, "a refused rotation changes nothing")
	assert.Len(t, st.Tokens(0), count)
}

// TestRotateKeepsKind: an impersonation token's successor is one too.
func TestRotateKeepsKind(t *testing.T) {
	st, _, users := newTestStore(t, "jane")
	imp, err := st.CreateImpersonationToken(nil, users[0], TokenSpec{Name: "imp", Scopes: []string{"api"}, ExpiresAt: day(2027, 1, 1)}, now)
	require.NoError(t, err)
	n, err := st.RotateToken(imp, nil, now)
	require.NoError(t, err)
	assert.True(t, n.Impersonation)
	assert.Equal(t, []*Token{n}, st.UserTokens(users[0].ID, true)[1:])
}

// TestSelfRotation: the token that authenticates a self-rotation
// rotates itself: it stops authenticating and its successor does.
func TestSelfRotation(t *testing.T) {
	st, _, users := newTestStore(t, "jane")
	self, err := st.CreatePersonalToken(users[0], users[0], TokenSpec{Name: "bot", Scopes: []string{"self_rotate"}}, now)
	require.NoError(t, err)
	require.True(t, self.Active(now))
	n, err := st.RotateToken(self, nil, now)
	require.NoError(t, err)
	assert.False(t, self.Active(now))
	assert.True(t, n.Active(now))
	assert.True(t, n.HasScope("self_rotate"))
	assert.Same(t, n, st.TokenBySecret(n.Token))
}

// TestRevokeFamily is reuse detection: presenting a revoked token for
// rotation revokes every token rotated from it, directly or not, and
// nothing else.
func TestRevokeFamily(t *testing.T) {
	st, _, users := newTestStore(t, "jane")
	jane := users[0]
	mk := func(name string) *Token {
		tok, err := st.CreatePersonalToken(jane, jane, TokenSpec{Name: name, Scopes: []string{"api"}}, now)
		require.NoError(t, err)
		return tok
	}
	rotate := func(tok *Token) *Token {
		n, err := st.RotateToken(tok, nil, now)
		require.NoError(t, err)
		return n
	}
	t1 := mk("family")
	t2 := rotate(t1)
	t3 := rotate(t2)
	other := rotate(mk("other"))

	st.RevokeFamily(t1)
	assert.True(t, t3.Revoked, "a grandchild is revoked")
	assert.False(t, other.Revoked, "another family is left alone")

	u1 := mk("again")
	u2 := rotate(u1)
	st.RevokeFamily(u2)
	assert.False(t, u2.Revoked, "RevokeFamily revokes descendants, not the token itself")
}

// tokenFixture is a store with jane and bob, and jane's personal (pat)
// and impersonation (imp) tokens.
type tokenFixture struct {
	st               *Store
	admin, jane, bob *User
	pat, imp         *Token
}

func newTokenFixture(t *testing.T) tokenFixture {
	st, admin, users := newTestStore(t, "jane", "bob")
	f := tokenFixture{st: st, admin: admin, jane: users[0], bob: users[1]}
	var err error
	f.pat, err = st.CreatePersonalToken(f.jane, f.jane, TokenSpec{Name: "p", Scopes: []string{"api"}}, now)
	require.NoError(t, err)
	f.imp, err = st.CreateImpersonationToken(nil, f.jane, TokenSpec{Name: "i", Scopes: []string{"api"}, ExpiresAt: day(2027, 1, 1)}, now)
	require.NoError(t, err)
	return f
}

func TestTokenPermissions(t *testing.T) {
	f := newTokenFixture(t)
	st, admin, jane, bob, pat, imp := f.st, f.admin, f.jane, f.bob, f.pat, f.imp

	assert.True(t, MayManageTokensOf(jane, jane.ID))
	assert.True(t, MayManageTokensOf(admin, jane.ID))
	assert.False(t, MayManageTokensOf(bob, jane.ID))
	assert.False(t, MayManageTokensOf(nil, jane.ID))

	got, err := st.PersonalToken(jane, pat.ID)
	require.NoError(t, err)
	assert.Same(t, pat, got)
	got, err = st.PersonalToken(admin, imp.ID)
	require.NoError(t, err)
	assert.Same(t, imp, got)
	_, err = st.PersonalToken(bob, pat.ID)
	refusedFully(t, err, NotFound, "", false)
	_, err = st.PersonalToken(bob, 999)
	refusedFully(t, err, NotFound, "", false)

	assert.True(t, MayRevoke(jane, pat))
	assert.False(t, MayRevoke(jane, imp), "owners may not revoke their impersonation tokens")
	assert.True(t, MayRevoke(admin, imp))
	assert.False(t, MayRevoke(bob, pat))
	assert.False(t, MayRevoke(nil, pat))
}

func TestRevokeToken(t *testing.T) {
	f := newTokenFixture(t)
	st, admin, jane, bob, pat, imp := f.st, f.admin, f.jane, f.bob, f.pat, f.imp

	refusedFully(t, st.RevokeToken(jane, 999, now), NotFound, "", false)
	refusedFully(t, st.RevokeToken(bob, pat.ID, now), BadRequest, "Not permitted to revoke", false)
	refusedFully(t, st.RevokeToken(jane, imp.ID, now), BadRequest, "Not permitted to revoke", false)
	assert.False(t, pat.Revoked)
	assert.False(t, imp.Revoked)

	require.NoError(t, st.RevokeToken(jane, pat.ID, now))
	assert.True(t, pat.Revoked)
	require.NoError(t, st.RevokeToken(jane, pat.ID, now), "revoking a revoked token succeeds")
	require.NoError(t, st.RevokeToken(admin, imp.ID, now))
	assert.True(t, imp.Revoked)
}

func TestImpersonationToken(t *testing.T) {
	f := newTokenFixture(t)
	st, jane, bob, pat, imp := f.st, f.jane, f.bob, f.pat, f.imp

	got, err := st.ImpersonationToken(jane, imp.ID)
	require.NoError(t, err)
	assert.Same(t, imp, got)
	_, err = st.ImpersonationToken(jane, pat.ID)
	refusedFully(t, err, NotFound, "Impersonation Token", false)
	_, err = st.ImpersonationToken(bob, imp.ID)
	refusedFully(t, err, NotFound, "Impersonation Token", false)
}

func TestListableTokens(t *testing.T) {
	f := newTokenFixture(t)
	st, admin, jane, bob, mine, imp := f.st, f.admin, f.jane, f.bob, f.pat, f.imp
	bobs, err := st.CreatePersonalToken(bob, bob, TokenSpec{Name: "b", Scopes: []string{"api"}}, now)
	require.NoError(t, err)

	ids := func(list []*Token, err error) []int64 {
		require.NoError(t, err)
		var out []int64
		for _, tok := range list {
			out = append(out, tok.ID)
		}
		return out
	}
	assert.Equal(t, []int64{mine.ID, imp.ID, bobs.ID}, ids(st.ListableTokens(admin, nil)))
	assert.Equal(t, []int64{mine.ID, imp.ID}, ids(st.ListableTokens(admin, &jane.ID)), "an administrator sees a user's tokens of every kind")
	assert.Equal(t, []int64{mine.ID}, ids(st.ListableTokens(jane, nil)), "a user sees their personal tokens only")
	assert.Equal(t, []int64{mine.ID}, ids(st.ListableTokens(jane, &bob.ID)), "a user_id does not widen a user's list")
	missing := int64(999)
	_, err = st.ListableTokens(admin, &missing)
	refusedFully(t, err, NotFound, "", false)
	zero := int64(0)
	_, err = st.ListableTokens(admin, &zero)
	refusedFully(t, err, NotFound, "", false)
}

// filterTokens are tokens for the filter tests: IDs 1 to 5, with
// names, creation times, expiries and uses apart.
func filterTokens() []*Token {
	at := func(h int) *time.Time { return PtrTime(now.Add(time.Duration(h) * time.Hour)) }
	return []*Token{
		{ID: 1, Name: "Deploy key rotation", CreatedAt: now.Add(-48 * time.Hour), ExpiresAt: day(2027, 1, 1), LastUsedAt: at(-1)},
		{ID: 2, Name: "ci", CreatedAt: now.Add(-24 * time.Hour), ExpiresAt: day(2026, 11, 30), Revoked: false},
		{ID: 3, Name: "deploy", CreatedAt: now.Add(-24 * time.Hour), Revoked: true, LastUsedAt: at(-5)},
		{ID: 4, Name: "Backup", CreatedAt: now, ExpiresAt: day(2026, 12, 15), LastUsedAt: at(-1)},
		{ID: 5, Name: "apple", CreatedAt: now.Add(-72 * time.Hour), ExpiresAt: day(2026, 12, 15)},
	}
}

func filteredIDs(f TokenFilter) []int64 {
	var out []int64
	for _, tok := range f.Apply(filterTokens(), now) {
		out = append(out, tok.ID)
	}
	return out
}

func TestTokenFilterKeeps(t *testing.T) {
	str := func(s string) *string { return &s }
	yes, no := true, false
	for name, c := range map[string]struct {
		f    TokenFilter
		want []int64
	}{
		"none":                                {TokenFilter{}, []int64{1, 2, 3, 4, 5}},
		"active":                              {TokenFilter{State: str("active")}, []int64{1, 4, 5}},
		"inactive: revoked, expired":          {TokenFilter{State: str("inactive")}, []int64{2, 3}},
		"revoked":                             {TokenFilter{Revoked: &yes}, []int64{3}},
		"not revoked":                         {TokenFilter{Revoked: &no}, []int64{1, 2, 4, 5}},
		"created before, inclusive":           {TokenFilter{CreatedBefore: PtrTime(now.Add(-24 * time.Hour))}, []int64{1, 2, 3, 5}},
		"created after, inclusive":            {TokenFilter{CreatedAfter: PtrTime(now.Add(-24 * time.Hour))}, []int64{2, 3, 4}},
		"last used before: never used is out": {TokenFilter{LastUsedBefore: PtrTime(now.Add(-time.Hour))}, []int64{1, 3, 4}},
		"last used after":                     {TokenFilter{LastUsedAfter: PtrTime(now.Add(-2 * time.Hour))}, []int64{1, 4}},
		"expires before, strict; no expiry is out": {TokenFilter{ExpiresBefore: day(2026, 12, 15)}, []int64{2}},
		"expires after, inclusive":                 {TokenFilter{ExpiresAfter: day(2026, 12, 15)}, []int64{1, 4, 5}},
		"search words":                             {TokenFilter{Search: str("ROTATION deploy")}, []int64{1}},
		"search short is exact":                    {TokenFilter{Search: str("CI")}, []int64{2}},
		"search substring":                         {TokenFilter{Search: str("ploy")}, []int64{1, 3}},
		"filters combine":                          {TokenFilter{Search: str("deploy"), State: str("active")}, []int64{1}},
	} {
		assert.Equal(t, c.want, filteredIDs(c.f), name)
	}
}

func TestFuzzyMatch(t *testing.T) {
	for _, c := range []struct {
		name, q string
		want    bool
	}{
		{"Deploy token", "deploy", true},
		{"Deploy token", "token deploy", true},
		{"Deploy token", "deploy other", false},
		{"Deploy token", "de", false},
		{"ab", " AB ", true},
		{"Deploy token", "a deploy", true}, // words under three characters are ignored
		{"x", "", false},
		{"", "", true},
	} {
		assert.Equal(t, c.want, FuzzyMatch(c.name, c.q), "%q ~ %q", c.name, c.q)
	}
}

func TestTokenFilterSorts(t *testing.T) {
	// Expiries: 2 (Nov 30), 4 and 5 (Dec 15), 1 (Jan 1); 3 never
	// expires. Last uses: 3, then 1 and 4 together; 2 and 5 never.
	// Ties go by ID in the sort's direction, and a missing time comes
	// last both ways.
	for _, c := range []struct {
		sorts []string
		want  []int64
	}{
		{[]string{"", "unknown", "id_asc"}, []int64{1, 2, 3, 4, 5}},
		{[]string{"id_desc"}, []int64{5, 4, 3, 2, 1}},
		{[]string{"created_asc", "created_at_asc"}, []int64{5, 1, 2, 3, 4}},
		{[]string{"created_desc", "created_at_desc", "created_date"}, []int64{4, 3, 2, 1, 5}},
		{[]string{"name_asc"}, []int64{5, 4, 2, 3, 1}},
		{[]string{"name_desc"}, []int64{1, 3, 2, 4, 5}},
		{[]string{"expires_asc"}, []int64{2, 4, 5, 1, 3}},
		{[]string{"expires_desc"}, []int64{1, 5, 4, 2, 3}},
		{[]string{"last_used_asc"}, []int64{3, 1, 4, 2, 5}},
		{[]string{"last_used_desc"}, []int64{4, 1, 3, 5, 2}},
	} {
		for _, sort := range c.sorts {
			assert.Equal(t, c.want, filteredIDs(TokenFilter{Sort: &sort}), sort)
		}
	}
}

func TestTokenActiveAndExpired(t *testing.T) {
	tok := &Token{ExpiresAt: day(2026, 12, 2)}
	assert.True(t, tok.Active(now))
	assert.False(t, tok.Expired(time.Date(2026, 12, 1, 23, 59, 59, 0, time.UTC)))
	assert.True(t, tok.Expired(*day(2026, 12, 2)), "expired from its expiry day on")
	assert.False(t, tok.Active(*day(2026, 12, 2)))
	tok.Revoked = true
	assert.False(t, tok.Active(now))
	assert.False(t, (&Token{}).Expired(now.AddDate(100, 0, 0)), "no expiry never expires")
}

func TestTokenUse(t *testing.T) {
	tok := &Token{}
	tok.Used(now, "10.0.0.1:1234")
	assert.Equal(t, []string{"10.0.0.1"}, tok.LastUsedIPs)
	assert.Equal(t, PtrTime(now), tok.LastUsedAt)

	ip, at := tok.UseDue(now.Add(30*time.Second), "10.0.0.2:1")
	assert.False(t, ip, "a new address within a minute is not recorded")
	assert.False(t, at)
	ip, at = tok.UseDue(now.Add(time.Minute), "10.0.0.2:1")
	assert.True(t, ip)
	assert.False(t, at, "last_used_at waits ten minutes")
	ip, _ = tok.UseDue(now.Add(time.Hour), "10.0.0.1:1")
	assert.False(t, ip, "a known address stays in place")
	_, at = tok.UseDue(now.Add(10*time.Minute), "10.0.0.1:1")
	assert.True(t, at)

	for i := 2; i <= 7; i++ {
		tok.Used(now.Add(time.Duration(i)*time.Hour), "10.0.0."+strconv.Itoa(i)+":1")
	}
	assert.Equal(t, []string{"10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.7"}, tok.LastUsedIPs, "the last five")
}
