package gitlabtest_test

import (
	"encoding/json"
	"io"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab/gitlabtest"
)

// Group and project access tokens and /admin/token through HTTP: each
// answer's status and body, and the fake's state read back. The rules
// are tested in internal/model/resource_tokens_test.go and
// admin_token_test.go.

const revokedBody = `{"error":"invalid_token","error_description":"Token was revoked. You have to re-authorize from the user."}`

// tokenForm is a create request: name, scopes and the other pairs.
func tokenForm(pairs ...string) url.Values {
	f := url.Values{"name": {"ci"}, "scopes[]": {"api"}, "expires_at": {"2026-07-01"}}
	for i := 0; i+1 < len(pairs); i += 2 {
		f.Set(pairs[i], pairs[i+1])
	}
	return f
}

// keys returns the top-level keys of a JSON object in the order sent.
func keys(t *testing.T, body string) []string {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(body))
	var out []string
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		require.NoError(t, err, body)
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
			continue
		case json.Delim('}'), json.Delim(']'):
			depth--
			continue
		}
		if k, ok := tok.(string); ok && depth == 1 && d.More() {
			out = append(out, k)
			var skip json.RawMessage
			require.NoError(t, d.Decode(&skip))
		}
	}
}

func TestGroupTokenAuthenticatesAsItsBotHTTP(t *testing.T) {
	w := newMemberWorld(t)
	a := w.call(t, "owner", "POST", "/groups/top/access_tokens", tokenForm("description", "deploys", "access_level", "30"))
	require.Equal(t, 201, a.code, a.body)
	assert.Equal(t, []string{"id", "name", "revoked", "created_at", "description", "scopes", "user_id", "last_used_at",
		"active", "granular", "expires_at", "last_used_ips", "access_level", "resource_type", "resource_id", "token"}, keys(t, a.body))
	o := a.object(t)
	assert.Equal(t, map[string]any{"name": "ci", "revoked": false, "description": "deploys", "scopes": []any{"api"},
		"active": true, "expires_at": "2026-07-01", "access_level": float64(30), "resource_type": "group",
		"resource_id": float64(w.top), "last_used_at": nil, "granular": false, "last_used_ips": []any{}},
		map[string]any{"name": o["name"], "revoked": o["revoked"], "description": o["description"], "scopes": o["scopes"],
			"active": o["active"], "expires_at": o["expires_at"], "access_level": o["access_level"], "resource_type": o["resource_type"],
			"resource_id": o["resource_id"], "last_used_at": o["last_used_at"], "granular": o["granular"], "last_used_ips": o["last_used_ips"]})
	secret := o["token"].(string)
	botID := int64(o["user_id"].(float64))

	me := fakeCall(t, w.s, secret, "GET", "/user", nil)
	require.Equal(t, 200, me.code, me.body)
	bot, ok := w.s.User(botID)
	require.True(t, ok)
	assert.Equal(t, [3]any{float64(botID), bot.Username, true}, [3]any{me.object(t)["id"], me.object(t)["username"], me.object(t)["bot"]})
	assert.Regexp(t, `^group_`+strconv.FormatInt(w.top, 10)+`_bot_[0-9a-f]{16}$`, bot.Username)
	assert.Equal(t, bot.Username+"@noreply.127.0.0.1", bot.Email)
	assert.Equal(t, [2]any{"ci", true}, [2]any{bot.Name, bot.ProjectBot})
	assert.Equal(t, gitlabtest.AccessDeveloper, levelsOf(w.s.Members(w.topSrc))[botID])
	saved := w.s.AccessTokens(w.topSrc)
	require.Len(t, saved, 1)
	assert.Equal(t, [3]any{secret, botID, "deploys"}, [3]any{saved[0].Token, saved[0].UserID, saved[0].Description})

	// A Developer-level bot may not list its group's tokens.
	assert.Equal(t, `401 {"message":"401 Unauthorized"}`, fakeCall(t, w.s, secret, "GET", "/groups/top/access_tokens", nil).status())
}

func TestResourceTokenStatusesHTTP(t *testing.T) {
	w := newMemberWorld(t)
	w.s.AddMember(gitlabtest.MemberSpec{Source: w.topSrc, UserID: w.ids["maint"], AccessLevel: gitlabtest.AccessMaintainer})
	w.s.AddMember(gitlabtest.MemberSpec{Source: w.projSrc, UserID: w.ids["dev"], AccessLevel: gitlabtest.AccessDeveloper})
	gid, _, _ := w.s.AddAccessToken(w.topSrc, gitlabtest.AccessTokenSpec{Name: "group bot"})
	pid, _, _ := w.s.AddAccessToken(w.projSrc, gitlabtest.AccessTokenSpec{Name: "Deploy bot"})
	g, p := "/groups/"+strconv.FormatInt(w.top, 10)+"/access_tokens", "/projects/"+strconv.FormatInt(w.proj, 10)+"/access_tokens"
	gt, pt := g+"/"+strconv.FormatInt(gid, 10), p+"/"+strconv.FormatInt(pid, 10)
	for _, c := range []struct {
		who, method, path string
		form              url.Values
		want              string
	}{
		{"", "GET", g, nil, `401 {"message":"401 Unauthorized"}`},
		{"maint", "GET", g, nil, `401 {"message":"401 Unauthorized"}`},
		{"maint", "GET", gt, nil, `401 {"message":"401 Unauthorized"}`},
		{"stranger", "GET", "/groups/sub/access_tokens", nil, `404 {"message":"404 Group Not Found"}`},
		{"owner", "GET", g + "?state=gone", nil, `400 {"error":"state does not have a valid value"}`},
		{"owner", "GET", g + "/999", nil, `404 {"message":"404 group Access Token Not Found"}`},
		{"owner", "GET", g + "/" + strconv.FormatInt(pid, 10), nil, `404 {"message":"404 group Access Token Not Found"}`},
		{"maint", "GET", p + "/abc", nil, `404 {"message":"404 project Access Token Not Found"}`},
		{"owner", "POST", g, url.Values{}, `400 {"error":"name is missing, scopes is missing"}`},
		{"owner", "POST", g, tokenForm("scopes[]", "read_user"), `400 {"error":"scopes does not have a valid value"}`},
		{"owner", "POST", g, tokenForm("access_level", "0"), `400 {"error":"access_level does not have a valid value"}`},
		{"owner", "POST", g, url.Values{"name": {"x"}, "scopes[]": {"api"}}, `400 {"message":"400 Bad request - expires_at is missing"}`},
		{"maint", "POST", g, tokenForm(), `400 {"message":"400 Bad request - User does not have permission to create group access token"}`},
		{"dev", "POST", p, tokenForm(), `400 {"message":"400 Bad request - User does not have permission to create project access token"}`},
		{"maint", "POST", p, tokenForm("access_level", "50"), `400 {"message":"400 Bad request - Access level of the token contains permissions not held by the creating user"}`},
		{"owner", "POST", g, tokenForm("expires_at", "2027-06-02"), `400 {"message":"400 Bad request - Expires at must be before 2027-06-01"}`},
		{"maint", "POST", gt + "/rotate", nil, `401 {"message":"401 Unauthorized"}`},
		{"owner", "POST", g + "/" + strconv.FormatInt(pid, 10) + "/rotate", nil, `401 {"message":"401 Unauthorized"}`},
		{"root", "POST", g + "/999/rotate", nil, `404 {"message":"404 Not Found"}`},
		{"owner", "DELETE", g + "/999", nil, `404 {"message":"404 group Access Token Not Found"}`},
		{"jane", "DELETE", "/groups/other/access_tokens/" + strconv.FormatInt(gid, 10), nil, `404 {"message":"404 group Access Token Not Found"}`},
		{"dev", "DELETE", pt, nil, `400 {"message":"400 Bad request - N dev cannot delete Deploy bot"}`},
	} {
		assert.Equal(t, c.want, w.call(t, c.who, c.method, c.path, c.form).status(), "%s %s %s", c.who, c.method, c.path)
	}
	for _, tok := range append(w.s.AccessTokens(w.topSrc), w.s.AccessTokens(w.projSrc)...) {
		assert.False(t, tok.Revoked, "no refused request revoked %s", tok.Name)
	}
	assert.Len(t, w.s.AccessTokens(w.topSrc), 1, "no refused create made a token")
	assert.Len(t, w.s.AccessTokens(w.projSrc), 1)
}

func TestRotatedTokenOldSecretRefusedHTTP(t *testing.T) {
	w := newMemberWorld(t)
	id, botID, old := w.s.AddAccessToken(w.projSrc, gitlabtest.AccessTokenSpec{Name: "rot", Description: "d", Scopes: []string{"api", "read_repository"}})
	path := "/projects/top%2Fsub%2Fapi/access_tokens/" + strconv.FormatInt(id, 10) + "/rotate"
	a := w.call(t, "maint", "POST", path, nil)
	require.Equal(t, 200, a.code, a.body)
	o := a.object(t)
	assert.Equal(t, [6]any{"rot", "d", []any{"api", "read_repository"}, float64(botID), "2026-06-08", "project"},
		[6]any{o["name"], o["description"], o["scopes"], o["user_id"], o["expires_at"], o["resource_type"]})
	secret := o["token"].(string)
	assert.NotEqual(t, old, secret)

	assert.Equal(t, "401 "+revokedBody, fakeCall(t, w.s, old, "GET", "/user", nil).status())
	me := fakeCall(t, w.s, secret, "GET", "/user", nil)
	require.Equal(t, 200, me.code, me.body)
	assert.Equal(t, float64(botID), me.object(t)["id"])

	saved := w.s.AccessTokens(w.projSrc)
	require.Len(t, saved, 2)
	assert.Equal(t, [4]any{true, false, id, secret}, [4]any{saved[0].Revoked, saved[1].Revoked, saved[1].PreviousID, saved[1].Token})

	again := w.call(t, "maint", "POST", path, nil)
	assert.Equal(t, `400 {"message":"400 Bad request - Token already revoked"}`, again.status())

	// A revoked secret presented to a rotate path revokes its family.
	assert.Equal(t, 401, fakeCall(t, w.s, old, "POST", "/projects/"+strconv.FormatInt(w.proj, 10)+"/access_tokens/self/rotate", nil).code)
	assert.Equal(t, "401 "+revokedBody, fakeCall(t, w.s, secret, "GET", "/user", nil).status())
}

func TestSelfRotateHTTP(t *testing.T) {
	w := newMemberWorld(t)
	_, botID, secret := w.s.AddAccessToken(w.topSrc, gitlabtest.AccessTokenSpec{Scopes: []string{"read_api", "self_rotate"}})
	_, _, readOnly := w.s.AddAccessToken(w.topSrc, gitlabtest.AccessTokenSpec{Scopes: []string{"read_api"}})
	self := "/groups/top/access_tokens/self/rotate"

	assert.Equal(t, `405 {"message":"405 Method Not Allowed"}`, w.call(t, "owner", "POST", self, nil).status())
	assert.Equal(t, 403, fakeCall(t, w.s, readOnly, "POST", self, nil).code)
	assert.Equal(t, `401 {"message":"401 Unauthorized"}`, fakeCall(t, w.s, secret, "POST", "/groups/other/access_tokens/self/rotate", nil).status())
	assert.Equal(t, `404 {"message":"404 Project Not Found"}`,
		fakeCall(t, w.s, secret, "POST", "/projects/"+strconv.FormatInt(w.proj+100, 10)+"/access_tokens/self/rotate", nil).status())
	assert.Equal(t, `400 {"error":"expires_at is invalid"}`, fakeCall(t, w.s, secret, "POST", self, url.Values{"expires_at": {"soon"}}).status())

	a := fakeCall(t, w.s, secret, "POST", self, url.Values{"expires_at": {"2026-09-01"}})
	require.Equal(t, 200, a.code, a.body)
	o := a.object(t)
	assert.Equal(t, [3]any{float64(botID), "2026-09-01", "group"}, [3]any{o["user_id"], o["expires_at"], o["resource_type"]})
	assert.Equal(t, "401 "+revokedBody, fakeCall(t, w.s, secret, "GET", "/user", nil).status())
	assert.Equal(t, 200, fakeCall(t, w.s, o["token"].(string), "GET", "/user", nil).code)
}

func TestRevokedTokenKeepsBotHTTP(t *testing.T) {
	w := newMemberWorld(t)
	create := w.call(t, "maint", "POST", "/projects/"+strconv.FormatInt(w.proj, 10)+"/access_tokens", tokenForm())
	require.Equal(t, 201, create.code, create.body)
	o := create.object(t)
	secret, botID := o["token"].(string), int64(o["user_id"].(float64))
	id := strconv.FormatInt(int64(o["id"].(float64)), 10)
	p := "/projects/" + strconv.FormatInt(w.proj, 10)

	assert.Equal(t, "204 ", w.call(t, "maint", "DELETE", p+"/access_tokens/"+id, nil).status())
	assert.Equal(t, "401 "+revokedBody, fakeCall(t, w.s, secret, "GET", "/user", nil).status())
	assert.Equal(t, "204 ", w.call(t, "maint", "DELETE", p+"/access_tokens/"+id, nil).status(), "revoking twice")

	bot, ok := w.s.User(botID)
	require.True(t, ok, "the bot user stays")
	assert.Equal(t, gitlabtest.StateActive, bot.State)
	assert.Equal(t, gitlabtest.AccessMaintainer, levelsOf(w.s.Members(w.projSrc))[botID], "and stays a member")
	list := w.call(t, "maint", "GET", p+"/access_tokens", nil).array(t)
	require.Len(t, list, 1)
	assert.Equal(t, [3]any{false, true, float64(40)}, [3]any{list[0]["active"], list[0]["revoked"], list[0]["access_level"]})
	assert.Empty(t, w.call(t, "maint", "GET", p+"/access_tokens?state=active", nil).array(t))

	// The members API may neither change nor remove the bot.
	assert.Equal(t, 403, w.call(t, "maint", "DELETE", p+"/members/"+strconv.FormatInt(botID, 10), nil).code)
	assert.Equal(t, 403, w.call(t, "maint", "PUT", p+"/members/"+strconv.FormatInt(botID, 10), url.Values{"access_level": {"10"}}).code)
	assert.Equal(t, gitlabtest.AccessMaintainer, levelsOf(w.s.Members(w.projSrc))[botID])
}

func TestResourceTokenListHTTP(t *testing.T) {
	w := newMemberWorld(t)
	var ids []int64
	for _, n := range []string{"alpha one", "beta two", "gamma three"} {
		id, _, _ := w.s.AddAccessToken(w.topSrc, gitlabtest.AccessTokenSpec{Name: n, Revoked: n == "beta two"})
		ids = append(ids, id)
	}
	w.s.AddAccessToken(w.otherSrc, gitlabtest.AccessTokenSpec{Name: "elsewhere"})
	names := func(a fakeAnswer) []string {
		var out []string
		for _, o := range a.array(t) {
			out = append(out, o["name"].(string))
		}
		return out
	}
	all := w.call(t, "owner", "GET", "/groups/top/access_tokens", nil)
	assert.Equal(t, []string{"alpha one", "beta two", "gamma three"}, names(all))
	assert.Equal(t, "3", all.hdr.Get("X-Total"))
	assert.Equal(t, []string{"alpha one", "gamma three"}, names(w.call(t, "owner", "GET", "/groups/top/access_tokens?revoked=false", nil)))
	assert.Equal(t, []string{"gamma three"}, names(w.call(t, "owner", "GET", "/groups/top/access_tokens?search=gamma", nil)))
	page2 := w.call(t, "root", "GET", "/groups/top/access_tokens?per_page=2&page=2", nil)
	assert.Equal(t, []string{"gamma three"}, names(page2))
	one := w.call(t, "owner", "GET", "/groups/top/access_tokens/"+strconv.FormatInt(ids[1], 10), nil)
	require.Equal(t, 200, one.code, one.body)
	assert.Equal(t, [2]any{"beta two", false}, [2]any{one.object(t)["name"], one.object(t)["active"]})
	assert.NotContains(t, one.body, `"token"`, "the secret is shown only by create and rotate")
}

func TestAdminTokenHTTP(t *testing.T) {
	w := newMemberWorld(t)
	patID, pat := w.s.CreateToken(w.ids["jane"], gitlabtest.TokenSpec{Name: "jane pat"})
	impID, imp := w.s.CreateToken(w.ids["jane"], gitlabtest.TokenSpec{Name: "jane imp", Impersonation: true})
	groupID, botID, groupTok := w.s.AddAccessToken(w.topSrc, gitlabtest.AccessTokenSpec{Name: "g"})
	saID, saTok := w.s.CreateServiceAccount(gitlabtest.UserSpec{Username: "svc"})
	run := w.call(t, "root", "POST", "/user/runners", url.Values{"runner_type": {"instance_type"}, "description": {"builder"}})
	require.Equal(t, 201, run.code, run.body)
	runnerTok := run.object(t)["token"].(string)

	identify := func(who, secret string) fakeAnswer {
		return w.call(t, who, "POST", "/admin/token", url.Values{"token": {secret}})
	}
	revoke := func(secret string) fakeAnswer {
		return w.call(t, "root", "DELETE", "/admin/token", url.Values{"token": {secret}})
	}
	assert.Equal(t, `401 {"message":"401 Unauthorized"}`, identify("", pat).status())
	assert.Equal(t, `403 {"message":"403 Forbidden"}`, identify("jane", pat).status())
	assert.Equal(t, `403 {"message":"403 Forbidden"}`, w.call(t, "jane", "POST", "/admin/token", url.Values{}).status(), "403 before 400")
	assert.Equal(t, `400 {"error":"token is missing"}`, w.call(t, "root", "POST", "/admin/token", url.Values{}).status())
	assert.Equal(t, `422 {"message":"Token type not supported."}`, identify("root", "unsupported").status())
	assert.Equal(t, `404 {"message":{"error":"Not found"}}`, identify("root", "glpat-nosuchtoken").status())
	assert.Equal(t, `404 {"message":{"error":"Not found"}}`, identify("root", "gldt-deploy").status())
	assert.Equal(t, `404 {"message":{"error":"Not found"}}`, revoke("glrt-nosuchrunner").status())

	for _, c := range []struct {
		secret     string
		id, userID int64
		name       string
	}{
		{pat, patID, w.ids["jane"], "jane pat"}, {imp, impID, w.ids["jane"], "jane imp"},
		{groupTok, groupID, botID, "g"}, {saTok, 0, saID, "seed"},
	} {
		a := identify("root", c.secret)
		require.Equal(t, 200, a.code, a.body)
		assert.Equal(t, []string{"id", "name", "revoked", "created_at", "description", "scopes", "user_id", "last_used_at",
			"active", "granular", "expires_at", "last_used_ips"}, keys(t, a.body), c.name)
		o := a.object(t)
		assert.Equal(t, [3]any{c.name, float64(c.userID), true}, [3]any{o["name"], o["user_id"], o["active"]})
		if c.id != 0 {
			assert.Equal(t, float64(c.id), o["id"])
		}
	}
	r := identify("root", runnerTok)
	require.Equal(t, 200, r.code, r.body)
	assert.Equal(t, []string{"id", "description", "ip_address", "active", "paused", "is_shared", "runner_type", "name",
		"online", "created_by", "created_at", "status", "job_execution_status"}, keys(t, r.body))
	ro := r.object(t)
	assert.Equal(t, [6]any{"builder", true, "instance_type", "never_contacted", "idle", "root"},
		[6]any{ro["description"], ro["is_shared"], ro["runner_type"], ro["status"], ro["job_execution_status"], ro["created_by"].(map[string]any)["username"]})

	for _, secret := range []string{pat, imp, groupTok} {
		assert.Equal(t, "204 ", revoke(secret).status())
		assert.Equal(t, "401 "+revokedBody, fakeCall(t, w.s, secret, "GET", "/user", nil).status())
		assert.Equal(t, false, identify("root", secret).object(t)["active"], "a revoked token is still identified")
	}
	_, ok := w.s.User(botID)
	assert.True(t, ok, "revoking a group token keeps its bot")
	assert.Contains(t, levelsOf(w.s.Members(w.topSrc)), botID)

	assert.Equal(t, `400 {"message":{"error":"Unsupported personal access token type"}}`, revoke(saTok).status())
	assert.Equal(t, 200, fakeCall(t, w.s, saTok, "GET", "/user", nil).code, "the service account's token still works")

	assert.Equal(t, "204 ", revoke(runnerTok).status())
	assert.Equal(t, `404 {"message":{"error":"Not found"}}`, identify("root", runnerTok).status())
	runners := w.s.Runners()
	require.Len(t, runners, 1)
	assert.NotEqual(t, runnerTok, runners[0].Token)
	assert.Equal(t, 200, identify("root", runners[0].Token).code, "the runner answers to its new token")
}
