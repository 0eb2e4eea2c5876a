package gitlabtest_test

// Tests of fidelity defects of issue 23, each named after the defect.

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// TestBioHTMLForEveryCaller: GET /users/:id sends bio_html to every
// caller, administrators (UserDetailsWithAdmin) and others
// (UserProfile), both including lib/api/entities/users/bio_html.rb.
func TestBioHTMLForEveryCaller(t *testing.T) {
	s := gitlabtest.NewServer()
	defer s.Close()
	id, _ := s.CreateUser(gitlabtest.UserSpec{Username: "jane", Bio: "Tom & Jerry <3\n\nfan"})
	plainID, plain := s.CreateUser(gitlabtest.UserSpec{Username: "bob"})
	want := "Tom &amp; Jerry &lt;3 \n fan"
	for who, caller := range map[string]string{"admin": s.AdminToken(), "user": plain} {
		got := fakeCall(t, s, caller, "GET", "/users/"+itoa(id), nil).object(t)
		assert.Equal(t, want, got["bio_html"], who)
		empty := fakeCall(t, s, caller, "GET", "/users/"+itoa(plainID), nil).object(t)
		assert.Contains(t, empty, "bio_html", who)
		assert.Equal(t, "", empty["bio_html"], "%s: an empty bio renders as empty", who)
	}
	u, _, err := s.Client(gitlab.WithoutRetries()).Users.Get(context.Background(), id, nil)
	require.NoError(t, err)
	assert.Equal(t, want, u.BioHTML)

	// Only GET /users/:id: lists and GET /user send no bio_html.
	assert.NotContains(t, fakeCall(t, s, plain, "GET", "/user", nil).object(t), "bio_html")
	for _, u := range fakeCall(t, s, s.AdminToken(), "GET", "/users", nil).array(t) {
		assert.NotContains(t, u, "bio_html")
	}
}

// TestBlockAndUnblockRecordCustomAttributes: after POST /users/:id/block
// and /unblock, GET /users/:id/custom_attributes shows blocked_by and
// unblocked_by as Users::BlockService and Users::UnblockService write
// them: "<admin username>/<admin id>+<time>".
func TestBlockAndUnblockRecordCustomAttributes(t *testing.T) {
	at := time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)
	s := gitlabtest.NewServer(gitlabtest.WithClock(func() time.Time { return at }))
	defer s.Close()
	admin := s.Client(gitlab.WithoutRetries())
	ctx := context.Background()
	id, _ := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})

	_, err := admin.Users.Block(ctx, id)
	require.NoError(t, err)
	attrs, _, err := admin.CustomAttributes.List(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, []*gitlab.CustomAttribute{{Key: "blocked_by", Value: "root/1+2025-03-14 09:26:53 UTC"}}, attrs)

	_, err = admin.Users.Unblock(ctx, id)
	require.NoError(t, err)
	got, _, err := admin.CustomAttributes.Get(ctx, id, "unblocked_by")
	require.NoError(t, err)
	assert.Equal(t, "root/1+2025-03-14 09:26:53 UTC", got.Value)

	// Ban and unban record nothing.
	other, _ := s.CreateUser(gitlabtest.UserSpec{Username: "bob"})
	_, err = admin.Users.Ban(ctx, other)
	require.NoError(t, err)
	_, err = admin.Users.Unban(ctx, other)
	require.NoError(t, err)
	attrs, _, err = admin.CustomAttributes.List(ctx, other)
	require.NoError(t, err)
	assert.Empty(t, attrs)
}

// TestIdentityNotFoundSaysIdentity: DELETE /users/:id/identities/:provider
// for a provider the user has no identity of answers GitLab's
// not_found!('Identity'), not the fake's Go type name (UserIdentity).
func TestIdentityNotFoundSaysIdentity(t *testing.T) {
	s := gitlabtest.NewServer()
	defer s.Close()
	id, _ := s.CreateUser(gitlabtest.UserSpec{Username: "jane",
		Identities: []gitlabtest.UserIdentity{{Provider: "ldapmain", ExternUID: "uid=jane"}}})
	a := fakeCall(t, s, s.AdminToken(), "DELETE", "/users/"+itoa(id)+"/identities/github", nil)
	assert.Equal(t, 404, a.code)
	assert.JSONEq(t, `{"message":"404 Identity Not Found"}`, a.body)
	assert.Equal(t, 204, fakeCall(t, s, s.AdminToken(), "DELETE", "/users/"+itoa(id)+"/identities/ldapmain", nil).code)
}

// TestAdminMayGiveAdminScopesToAnyUser: an administrator may give a
// non-administrator's personal access token or impersonation token any
// available scope, sudo and admin_mode included
// (PersonalAccessToken#validate_scopes checks
// Gitlab::Auth.all_available_scopes only). What a user may ask for
// their own token is another rule: only k8s_proxy and self_rotate.
func TestAdminMayGiveAdminScopesToAnyUser(t *testing.T) {
	s := gitlabtest.NewServer()
	defer s.Close()
	admin := s.Client(gitlab.WithoutRetries())
	ctx := context.Background()
	id, tok := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	scopes := []string{gitlab.ScopeAPI, gitlab.ScopeSudo, gitlab.ScopeAdminMode, gitlab.ScopeReadServicePing}

	pat, resp, err := admin.PersonalAccessTokens.CreateForUser(ctx, id, &gitlab.CreatePersonalAccessTokenOptions{
		Name: gitlab.Ptr("ops"), Scopes: scopes})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, scopes, pat.Scopes)

	exp := gitlab.DateOf(time.Now().AddDate(0, 1, 0))
	imp, resp, err := admin.ImpersonationTokens.Create(ctx, id, &gitlab.CreateImpersonationTokenOptions{
		Name: gitlab.Ptr("imp"), Scopes: scopes, ExpiresAt: &exp})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, scopes, imp.Scopes)

	// A non-administrator's sudo scope still does not let them sudo.
	a := fakeCall(t, s, pat.Token.Value(), "GET", "/user", nil, "Sudo: root")
	assert.Equal(t, 403, a.code, a.body)

	// Jane's own request for her token keeps its own rule.
	_, _, err = s.ClientFor(tok, gitlab.WithoutRetries()).PersonalAccessTokens.Create(ctx, &gitlab.CreatePersonalAccessTokenOptions{
		Name: gitlab.Ptr("mine"), Scopes: []string{gitlab.ScopeSudo}})
	var er *gitlab.ErrorResponse
	require.ErrorAs(t, err, &er)
	assert.Equal(t, 400, er.StatusCode)
}

// TestTokenExpiryDocsAgreeWithTheFake: the expiry of
// gitlab.PersonalAccessToken, gitlab.ImpersonationToken and
// gitlabtest.TokenSnapshot is worded alike, and says what the fake does
// (as GitLab's Expirable: expired once expires_at <= now): a token works
// through the day before its ExpiresAt and is expired from 00:00 UTC of
// that day, personal and impersonation tokens alike.
func TestTokenExpiryDocsAgreeWithTheFake(t *testing.T) {
	const says = "it is expired from 00:00 UTC of that day on, and works through the day before"
	for file, typ := range map[string]string{
		"../personal_access_tokens.go": "PersonalAccessToken",
		"../impersonation.go":          "ImpersonationToken",
		"internal/model/records.go":    "Token", // gitlabtest.TokenSnapshot
	} {
		assert.Contains(t, fieldDoc(t, file, typ, "ExpiresAt"), says, typ)
	}

	clock := &movableClock{now: time.Date(2025, 3, 15, 23, 59, 59, 0, time.UTC)}
	s := gitlabtest.NewServer(gitlabtest.WithClock(clock.Now))
	defer s.Close()
	admin := s.Client(gitlab.WithoutRetries())
	ctx := context.Background()
	id, _ := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	day := gitlab.NewISODate(2025, 3, 16)
	pat, _, err := admin.PersonalAccessTokens.CreateForUser(ctx, id, &gitlab.CreatePersonalAccessTokenOptions{
		Name: gitlab.Ptr("pat"), Scopes: []string{gitlab.ScopeAPI}, ExpiresAt: &day})
	require.NoError(t, err)
	imp, _, err := admin.ImpersonationTokens.Create(ctx, id, &gitlab.CreateImpersonationTokenOptions{
		Name: gitlab.Ptr("imp"), Scopes: []string{gitlab.ScopeAPI}, ExpiresAt: &day})
	require.NoError(t, err)
	for _, secret := range []string{pat.Token.Value(), imp.Token.Value()} {
		assert.Equal(t, 200, fakeCall(t, s, secret, "GET", "/user", nil).code, "the day before, until its last second")
	}
	clock.Add(time.Second) // 2025-03-16 00:00:00 UTC
	for _, secret := range []string{pat.Token.Value(), imp.Token.Value()} {
		a := fakeCall(t, s, secret, "GET", "/user", nil)
		assert.Equal(t, 401, a.code)
		assert.Contains(t, a.body, "Token is expired")
	}

	// An administrator's list holds both, with nothing telling them
	// apart; the owner's impersonation tokens do.
	list := fakeCall(t, s, s.AdminToken(), "GET", "/personal_access_tokens?user_id="+itoa(id), nil).array(t)
	var ids []int64
	for _, tok := range list {
		assert.NotContains(t, tok, "impersonation")
		ids = append(ids, int64(tok["id"].(float64)))
	}
	assert.Contains(t, ids, imp.ID)
	assert.Contains(t, ids, pat.ID)
	imps, _, err := admin.ImpersonationTokens.List(ctx, id, nil)
	require.NoError(t, err)
	require.Len(t, imps, 1)
	assert.Equal(t, imp.ID, imps[0].ID)
}

// fieldDoc returns the doc comment of field in the struct type typ of a
// Go source file, its lines joined by spaces.
func fieldDoc(t *testing.T, file, typ, field string) string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ParseComments)
	require.NoError(t, err)
	var doc string
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok || ts.Name.Name != typ {
			return true
		}
		for _, fl := range ts.Type.(*ast.StructType).Fields.List {
			for _, name := range fl.Names {
				if name.Name == field {
					doc = strings.Join(strings.Fields(fl.Doc.Text()), " ")
				}
			}
		}
		return false
	})
	require.NotEmpty(t, doc, "%s.%s in %s has no doc", typ, field, file)
	return doc
}
