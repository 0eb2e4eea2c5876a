package gitlabtest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// fakeAnswer is one raw HTTP answer.
type fakeAnswer struct {
	code int
	body string
	hdr  http.Header
	err  error
}

// fakeHTTP opens a connection per request: Go's transport silently
// resends a GET whose reused connection was dropped, which would hide
// FaultDrop from the counts.
var fakeHTTP = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}

// fakeCall sends one request to the server's API with an optional token
// (PRIVATE-TOKEN) and form body; extra headers come as "Key: value".
func fakeCall(t *testing.T, s *gitlabtest.Server, token, method, path string, form url.Values, headers ...string) fakeAnswer {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, s.URL+"/api/v4"+path, body)
	require.NoError(t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("PRIVATE-TOKEN", token)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	resp, err := fakeHTTP.Do(req)
	if err != nil {
		return fakeAnswer{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return fakeAnswer{code: resp.StatusCode, body: string(b), hdr: resp.Header}
}

func (a fakeAnswer) object(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(a.body), &m), a.body)
	return m
}

// status is the answer as "<code> <body>".
func (a fakeAnswer) status() string { return strconv.Itoa(a.code) + " " + a.body }

func (a fakeAnswer) array(t *testing.T) []map[string]any {
	t.Helper()
	var m []map[string]any
	require.NoError(t, json.Unmarshal([]byte(a.body), &m), a.body)
	return m
}

func fakeIDs(t *testing.T, a fakeAnswer) []int64 {
	var ids []int64
	for _, u := range a.array(t) {
		ids = append(ids, int64(u["id"].(float64)))
	}
	return ids
}

func TestServerVisibility(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer()
	defer s.Close()
	janeID, jane := s.CreateUser(gitlabtest.UserSpec{Username: "Jane", Email: "jane@corp.example", PublicEmail: "jane@public.example"})
	bobID, _ := s.CreateUser(gitlabtest.UserSpec{Username: "bob", State: gitlabtest.StateBlocked})
	privID, _ := s.CreateUser(gitlabtest.UserSpec{Username: "priv", PrivateProfile: true})

	// Admin list: every user, admin entity with email.
	a := fakeCall(t, s, s.AdminToken(), "GET", "/users", nil)
	require.Equal(t, 200, a.code)
	users := a.array(t)
	require.Len(t, users, 4)
	assert.Equal(t, float64(privID), users[0]["id"], "default order is id desc")
	assert.Contains(t, users[0], "email")
	assert.Contains(t, users[0], "is_admin")

	// Non-admin list: blocked users hidden, UserBasic only.
	a = fakeCall(t, s, jane, "GET", "/users", nil)
	require.Equal(t, 200, a.code)
	ids := fakeIDs(t, a)
	assert.NotContains(t, ids, bobID)
	assert.Len(t, ids, 3)
	for _, u := range a.array(t) {
		assert.NotContains(t, u, "email")
		assert.NotContains(t, u, "is_admin")
		assert.Contains(t, u, "public_email")
		assert.Contains(t, u, "locked")
	}
	// Admin-only filters are ignored for non-admins.
	assert.Len(t, fakeIDs(t, fakeCall(t, s, jane, "GET", "/users?admins=true", nil)), 3)
	assert.Len(t, fakeIDs(t, fakeCall(t, s, s.AdminToken(), "GET", "/users?admins=true", nil)), 1)
	assert.Empty(t, fakeIDs(t, fakeCall(t, s, jane, "GET", "/users?blocked=true", nil)))
	// extern_uid+provider is admin-only: 403.
	assert.Equal(t, 403, fakeCall(t, s, jane, "GET", "/users?extern_uid=1&provider=github", nil).code)
	assert.Equal(t, `{"error":"extern_uid, provider provide all or none of parameters"}`, fakeCall(t, s, jane, "GET", "/users?provider=github", nil).body)

	// Anonymous: only with username, matched case-insensitively.
	a = fakeCall(t, s, "", "GET", "/users", nil)
	assert.Equal(t, 403, a.code)
	assert.Equal(t, `{"message":"403 Forbidden - Not authorized to access /api/v4/users"}`, a.body)
	assert.Equal(t, []int64{janeID}, fakeIDs(t, fakeCall(t, s, "", "GET", "/users?username=JANE", nil)))

	// GET /users/:id: anonymous 403, non-admin without email, admin with.
	a = fakeCall(t, s, "", "GET", "/users/"+strconv.FormatInt(janeID, 10), nil)
	assert.Equal(t, `{"message":"403 Forbidden - Not authorized!"}`, a.body)
	m := fakeCall(t, s, jane, "GET", fmt.Sprintf("/users/%d", privID), nil).object(t)
	assert.NotContains(t, m, "email")
	assert.NotContains(t, m, "created_at", "private profile hides created_at")
	assert.NotContains(t, m, "followers")
	m = fakeCall(t, s, s.AdminToken(), "GET", fmt.Sprintf("/users/%d", janeID), nil).object(t)
	assert.Equal(t, "jane@corp.example", m["email"])
	assert.Contains(t, m, "highest_role")
	assert.Contains(t, m, "sign_in_count")

	// GET /user: non-admins see their own private email (UserPublic).
	m = fakeCall(t, s, jane, "GET", "/user", nil).object(t)
	assert.Equal(t, "jane@corp.example", m["email"])
	assert.NotContains(t, m, "is_admin")
	assert.Equal(t, "jane@public.example", m["public_email"])
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`, m["created_at"])
	assert.Regexp(t, `^\d{4}-\d\d-\d\d$`, m["last_activity_on"], "an API call records activity")
}

func TestServerErrorShapes(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer()
	defer s.Close()
	_, jane := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	admin := s.AdminToken()

	cases := []struct {
		name, token, method, path string
		form                      url.Values
		code                      int
		body                      string
	}{
		{"non-GET without token", "", "POST", "/users/1/block", nil, 401, `{"message":"401 Unauthorized"}`},
		{"invalid token", "nope", "GET", "/users?username=jane", nil, 401, `{"message":"401 Unauthorized"}`},
		{"/user without token", "", "GET", "/user", nil, 401, `{"message":"401 Unauthorized"}`},
		{"admin only", jane, "POST", "/users/1/block", nil, 403, `{"message":"403 Forbidden"}`},
		{"admin only emails", jane, "GET", "/users/1/emails", nil, 403, `{"message":"403 Forbidden"}`},
		{"missing user", admin, "GET", "/users/999", nil, 404, `{"message":"404 User Not Found"}`},
		{"non-numeric id", admin, "GET", "/users/abc", nil, 404, `{"error":"404 Not Found"}`},
		{"non-numeric id on follow", jane, "POST", "/users/root/follow", nil, 404, `{"error":"404 Not Found"}`},
		{"username route", admin, "GET", "/users/nobody/keys", nil, 404, `{"message":"404 User Not Found"}`},
		{"@ is not stripped", "", "GET", "/users/@root/status", nil, 404, `{"message":"404 User Not Found"}`},
		{"escaped slash is one segment", "", "GET", "/users/a%2Fb/status", nil, 404, `{"message":"404 User Not Found"}`},
		{"dot-dot is not cleaned", admin, "GET", "/users/../user", nil, 404, `{"error":"404 Not Found"}`},
		{"unknown route", admin, "GET", "/snippets", nil, 404, `{"error":"404 Not Found"}`},
		{"missing key", admin, "GET", "/user/keys/77", nil, 404, `{"message":"404 Key Not Found"}`},
		{"coercion", admin, "DELETE", "/user/emails/ASDF", nil, 400, `{"error":"email_id is invalid"}`},
		{"grape missing", admin, "POST", "/users", url.Values{}, 400,
			`{"error":"email is missing, password, reset_password, force_random_password are missing, at least one parameter must be provided, name is missing, username is missing"}`},
		{"grape missing before 404", admin, "POST", "/users/999/keys", url.Values{}, 400, `{"error":"key is missing, title is missing"}`},
		{"field errors", admin, "POST", "/users", url.Values{"email": {"x@example.com"}, "password": {"short"}, "name": {"X"}, "username": {"x"}, "projects_limit": {"-1"}}, 400,
			`{"message":{"password":["is too short (minimum is 8 characters)"],"projects_limit":["must be greater than or equal to 0"]}}`},
		{"email conflict", admin, "POST", "/users", url.Values{"email": {"JANE@example.com"}, "reset_password": {"true"}, "name": {"X"}, "username": {"x"}}, 409,
			`{"message":"Email has already been taken"}`},
		{"username conflict", admin, "POST", "/users", url.Values{"email": {"x@example.com"}, "reset_password": {"true"}, "name": {"X"}, "username": {"JANE"}}, 409,
			`{"message":"Username has already been taken"}`},
		{"per_page=0", admin, "GET", "/users?per_page=0", nil, 400, `{"error":"per_page has a value not allowed"}`},
		{"bad order_by", admin, "GET", "/users?order_by=email", nil, 400, `{"error":"order_by does not have a valid value"}`},
		{"non-admin sudo", jane, "GET", "/user", nil, 403, `{"message":"403 Forbidden - Must be admin to use sudo"}`},
		{"token missing expires_at", admin, "POST", "/users/2/impersonation_tokens", url.Values{"name": {"t"}, "scopes[]": {"api"}}, 400,
			`{"message":{"expires_at":["can't be blank"]}}`},
		{"token non-admin before 404", jane, "GET", "/users/999/impersonation_tokens", nil, 403, `{"message":"403 Forbidden"}`},
		{"dot-dot towards v3 is not cleaned", admin, "GET", "/../v3/users", nil, 404, `{"error":"404 Not Found"}`},
		// Grape validates declared parameters, path ones included, before
		// the endpoint checks the caller and finds the user.
		{"coercion before 403", jane, "DELETE", "/users/1/gpg_keys/abc", nil, 400, `{"error":"key_id is invalid"}`},
		{"coercion before 404", admin, "GET", "/users/999/keys/abc", nil, 400, `{"error":"key_id is invalid"}`},
		{"pagination before 403", "", "GET", "/users/1/followers?per_page=0", nil, 400, `{"error":"per_page has a value not allowed"}`},
		{"pagination before 404", admin, "GET", "/users/999/memberships?per_page=0", nil, 400, `{"error":"per_page has a value not allowed"}`},
		// The impersonation-token namespace checks the admin first.
		{"token 403 before coercion", jane, "GET", "/users/1/impersonation_tokens/abc", nil, 403, `{"message":"403 Forbidden"}`},
		{"token coercion before 404", admin, "GET", "/users/999/impersonation_tokens/abc", nil, 400, `{"error":"token_id is invalid"}`},
	}
	for _, tc := range cases {
		var hdr []string
		if tc.name == "non-admin sudo" {
			hdr = []string{"Sudo: root"}
		}
		a := fakeCall(t, s, tc.token, tc.method, tc.path, tc.form, hdr...)
		assert.Equal(t, tc.code, a.code, tc.name)
		assert.JSONEq(t, tc.body, a.body, tc.name)
	}
	// The email conflict check did not create anything.
	assert.Equal(t, 2, s.UserCount())
}

func TestServerSudoAndImpersonation(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer()
	defer s.Close()
	janeID, _ := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})

	m := fakeCall(t, s, s.AdminToken(), "GET", "/user", nil, "Sudo: JANE").object(t)
	assert.Equal(t, float64(janeID), m["id"])
	assert.NotContains(t, m, "is_admin", "sudo answers as the user")
	m = fakeCall(t, s, s.AdminToken(), "GET", "/user", nil, fmt.Sprintf("Sudo: %d", janeID)).object(t)
	assert.Equal(t, "jane", m["username"])
	a := fakeCall(t, s, s.AdminToken(), "GET", "/user", nil, "Sudo: ghost")
	assert.Equal(t, `{"message":"404 User with ID or username 'ghost' Not Found"}`, a.body)

	a = fakeCall(t, s, s.AdminToken(), "POST", fmt.Sprintf("/users/%d/impersonation_tokens", janeID),
		url.Values{"name": {"imp"}, "scopes[]": {"api"}, "expires_at": {time.Now().AddDate(0, 1, 0).Format("2006-01-02")}})
	require.Equal(t, 201, a.code, a.body)
	tok := a.object(t)
	secret := tok["token"].(string)
	assert.Equal(t, true, tok["impersonation"])
	assert.Regexp(t, `^\d{4}-\d\d-\d\d$`, tok["expires_at"])

	m = fakeCall(t, s, secret, "GET", "/user", nil).object(t)
	assert.Equal(t, float64(janeID), m["id"], "an impersonation token authenticates as its user")
	a = fakeCall(t, s, s.AdminToken(), "GET", fmt.Sprintf("/users/%d/impersonation_tokens/%v", janeID, tok["id"]), nil)
	assert.NotContains(t, a.object(t), "token", "the value is shown only at creation")

	a = fakeCall(t, s, s.AdminToken(), "DELETE", fmt.Sprintf("/users/%d/impersonation_tokens/%v", janeID, tok["id"]), nil)
	assert.Equal(t, 204, a.code)
	assert.Empty(t, a.body)
	assert.Equal(t, 401, fakeCall(t, s, secret, "GET", "/user", nil).code, "a revoked token is refused")
	toks := s.ImpersonationTokens(janeID)
	require.Len(t, toks, 1)
	assert.True(t, toks[0].Revoked)

	// read_user tokens may only GET.
	ro := s.CreatePersonalToken(janeID, "read_user")
	assert.Equal(t, 200, fakeCall(t, s, ro, "GET", "/user", nil).code)
	assert.Equal(t, 403, fakeCall(t, s, ro, "POST", "/user/emails", url.Values{"email": {"x@example.com"}}).code)
}

func TestServerStateRules(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer()
	defer s.Close()
	id, _ := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	recent, _ := s.CreateUser(gitlabtest.UserSpec{Username: "recent", LastActivityOn: time.Now()})
	ldap, _ := s.CreateUser(gitlabtest.UserSpec{Username: "ldap", State: gitlabtest.StateLDAPBlocked})
	admin := s.AdminToken()
	post := func(id int64, action string) fakeAnswer {
		return fakeCall(t, s, admin, "POST", fmt.Sprintf("/users/%d/%s", id, action), nil)
	}
	state := func(id int64) gitlab.UserState { u, _ := s.User(id); return u.State }

	for _, step := range []struct {
		id     int64
		action string
		code   int
		body   string
		state  gitlab.UserState
	}{
		{id, "block", 201, "true", "blocked"},
		{id, "block", 201, "null", "blocked"},
		{id, "deactivate", 403, `{"message":"Error occurred. A blocked user cannot be deactivated"}`, "blocked"},
		{id, "activate", 403, `{"message":"Error occurred. A blocked user must be unblocked to be activated"}`, "blocked"},
		{id, "unblock", 201, "true", "active"},
		{id, "deactivate", 201, "true", "deactivated"},
		{id, "deactivate", 201, "null", "deactivated"},
		{id, "unblock", 403, `{"message":"403 Forbidden - Deactivated users cannot be unblocked by the API"}`, "deactivated"},
		{id, "activate", 201, "true", "active"},
		{id, "unblock", 201, "false", "active"},
		{1, "block", 403, `{"message":"403 Forbidden - The API initiating user cannot be blocked by the API"}`, "active"},
		{ldap, "block", 403, `{"message":"403 Forbidden - LDAP blocked users cannot be modified by the API"}`, "ldap_blocked"},
		{recent, "deactivate", 403, `{"message":"The user you are trying to deactivate has been active in the past 90 days and cannot be deactivated"}`, "active"},
	} {
		a := post(step.id, step.action)
		assert.Equal(t, step.code, a.code, "%s %d", step.action, step.id)
		assert.Equal(t, step.body, a.body, "%s %d", step.action, step.id)
		assert.Equal(t, step.state, state(step.id), "%s %d", step.action, step.id)
	}
	assert.Equal(t, 404, post(999, "block").code)
}

func TestServerFollow(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer()
	defer s.Close()
	janeID, jane := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	bobID, _ := s.CreateUser(gitlabtest.UserSpec{Username: "bob"})
	privID, _ := s.CreateUser(gitlabtest.UserSpec{Username: "priv", PrivateProfile: true})
	follow := func(id int64, action string) fakeAnswer {
		return fakeCall(t, s, jane, "POST", fmt.Sprintf("/users/%d/%s", id, action), nil)
	}
	a := follow(bobID, "follow")
	require.Equal(t, 201, a.code)
	assert.Equal(t, "bob", a.object(t)["username"])
	assert.Equal(t, 304, follow(bobID, "follow").code, "already following")
	assert.Equal(t, 304, follow(janeID, "follow").code, "following yourself")
	assert.Equal(t, []int64{bobID}, s.Following(janeID))
	assert.Equal(t, []int64{janeID}, s.Followers(bobID))

	a = fakeCall(t, s, jane, "GET", fmt.Sprintf("/users/%d/followers", bobID), nil)
	assert.Equal(t, []int64{janeID}, fakeIDs(t, a))
	assert.Equal(t, "1", a.hdr.Get("X-Total"))
	assert.Equal(t, 403, fakeCall(t, s, "", "GET", fmt.Sprintf("/users/%d/followers", bobID), nil).code)
	assert.Equal(t, 404, fakeCall(t, s, jane, "GET", fmt.Sprintf("/users/%d/following", privID), nil).code)
	assert.Equal(t, 200, fakeCall(t, s, s.AdminToken(), "GET", fmt.Sprintf("/users/%d/following", privID), nil).code)

	assert.Equal(t, 201, follow(bobID, "unfollow").code)
	assert.Equal(t, 304, follow(bobID, "unfollow").code, "not following")
	assert.Empty(t, s.Following(janeID))
}

func TestServerOffsetPagination(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer()
	defer s.Close()
	s.GenerateUsers(44) // 45 with root
	get := func(q string) fakeAnswer { return fakeCall(t, s, s.AdminToken(), "GET", "/users?"+q, nil) }

	a := get("per_page=20&active=true")
	assert.Equal(t, "45", a.hdr.Get("X-Total"))
	assert.Equal(t, "3", a.hdr.Get("X-Total-Pages"))
	assert.Equal(t, "20", a.hdr.Get("X-Per-Page"))
	assert.Equal(t, "1", a.hdr.Get("X-Page"))
	assert.Equal(t, "2", a.hdr.Get("X-Next-Page"))
	assert.Equal(t, []string{""}, a.hdr.Values("X-Prev-Page"), "present and empty")
	base := s.URL + "/api/v4/users?active=true&"
	assert.Equal(t, "<"+base+`page=2&per_page=20>; rel="next", <`+base+`page=1&per_page=20>; rel="first", <`+base+`page=3&per_page=20>; rel="last"`, a.hdr.Get("Link"))
	assert.Len(t, a.array(t), 20)

	a = get("per_page=20&page=3&active=true")
	assert.Len(t, a.array(t), 5)
	assert.Equal(t, []string{""}, a.hdr.Values("X-Next-Page"))
	assert.Equal(t, "2", a.hdr.Get("X-Prev-Page"))
	assert.Equal(t, "<"+base+`page=2&per_page=20>; rel="prev", <`+base+`page=1&per_page=20>; rel="first", <`+base+`page=3&per_page=20>; rel="last"`, a.hdr.Get("Link"))

	a = get("per_page=500")
	assert.Equal(t, "100", a.hdr.Get("X-Per-Page"), "per_page is capped at 100")
	assert.Len(t, a.array(t), 45)
	assert.Equal(t, "1", a.hdr.Get("X-Total-Pages"))

	a = get("page=7")
	assert.Empty(t, a.array(t))
	assert.Equal(t, "3", a.hdr.Get("X-Total-Pages"))

	// Every user exactly once across the pages.
	seen := map[int64]bool{}
	for p := 1; p <= 5; p++ {
		for _, id := range fakeIDs(t, get(fmt.Sprintf("per_page=10&page=%d", p))) {
			assert.False(t, seen[id])
			seen[id] = true
		}
	}
	assert.Len(t, seen, 45)

	a = get("page=1000&per_page=100")
	assert.Equal(t, 405, a.code)
	assert.Contains(t, a.body, "maximum allowed offset of 50000")
}

func TestServerPaginationAboveCountLimit(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer()
	defer s.Close()
	s.GenerateUsers(10000) // 10,001 with root
	a := fakeCall(t, s, s.AdminToken(), "GET", "/users?per_page=100&page=2", nil)
	require.Equal(t, 200, a.code)
	assert.Len(t, a.array(t), 100)
	assert.Empty(t, a.hdr.Values("X-Total"))
	assert.Empty(t, a.hdr.Values("X-Total-Pages"))
	assert.Equal(t, "3", a.hdr.Get("X-Next-Page"))
	assert.NotContains(t, a.hdr.Get("Link"), `rel="last"`)
	assert.Contains(t, a.hdr.Get("Link"), `rel="first"`)

	// At exactly 10,000 rows the totals are still there.
	a = fakeCall(t, s, s.AdminToken(), "GET", "/users?per_page=100&exclude_external=true&search=user", nil)
	assert.Equal(t, "10000", a.hdr.Get("X-Total"))

	// Last page: no next page.
	a = fakeCall(t, s, s.AdminToken(), "GET", "/users?per_page=100&page=101", nil)
	assert.Len(t, a.array(t), 1)
	assert.Equal(t, []string{""}, a.hdr.Values("X-Next-Page"))
}

func TestServerKeysetPagination(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer()
	defer s.Close()
	s.GenerateUsers(24) // 25 with root
	next := s.URL + "/api/v4/users?pagination=keyset&per_page=10"
	var ids []int64
	pages := 0
	for next != "" {
		req, _ := http.NewRequest("GET", next, nil)
		req.Header.Set("PRIVATE-TOKEN", s.AdminToken())
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		var users []map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&users))
		resp.Body.Close()
		for _, h := range []string{"X-Total", "X-Total-Pages", "X-Page", "X-Per-Page", "X-Next-Page", "X-Prev-Page"} {
			assert.Empty(t, resp.Header.Values(h), h)
		}
		for _, u := range users {
			ids = append(ids, int64(u["id"].(float64)))
		}
		next = ""
		if l := resp.Header.Get("Link"); l != "" {
			require.Contains(t, l, `rel="next"`)
			require.Contains(t, l, "cursor=")
			next = strings.TrimSuffix(strings.TrimPrefix(l, "<"), `>; rel="next"`)
		}
		pages++
	}
	assert.Equal(t, 3, pages)
	require.Len(t, ids, 25)
	for i := range ids {
		assert.Equal(t, int64(25-i), ids[i], "order_by=id sort=desc by default")
	}
	// Ascending by username works too.
	a := fakeCall(t, s, s.AdminToken(), "GET", "/users?pagination=keyset&per_page=5&order_by=username&sort=asc", nil)
	assert.Equal(t, "root", a.array(t)[0]["username"])
}

func TestServerRateLimit(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer(gitlabtest.WithRateLimit(3, time.Minute, 7*time.Second))
	defer s.Close()
	for i := range 3 {
		assert.Equal(t, 200, fakeCall(t, s, s.AdminToken(), "GET", "/user", nil).code, i)
	}
	a := fakeCall(t, s, s.AdminToken(), "GET", "/user", nil)
	assert.Equal(t, 429, a.code)
	assert.Equal(t, "7", a.hdr.Get("Retry-After"))
	assert.JSONEq(t, `{"message":{"error":"This endpoint has been requested too many times. Try again later."}}`, a.body)
	assert.Equal(t, 4, s.RequestCount())
	assert.Equal(t, 4, s.RouteCount("GET", "/user"))
	assert.Equal(t, 1, s.RateLimitedCount())

	s.Configure(gitlabtest.WithRateLimit(0, 0, 0))
	assert.Equal(t, 200, fakeCall(t, s, s.AdminToken(), "GET", "/user", nil).code)
}

func TestServerFaults(t *testing.T) {
	t.Parallel()
	outcomes := func(seed int64) ([]int, *gitlabtest.Server) {
		s := gitlabtest.NewServer(gitlabtest.WithFaults(0.5, seed))
		var codes []int
		for range 40 {
			a := fakeCall(t, s, s.AdminToken(), "GET", "/user", nil)
			if a.err != nil {
				codes = append(codes, -1)
				continue
			}
			codes = append(codes, a.code)
		}
		return codes, s
	}
	c1, s1 := outcomes(42)
	defer s1.Close()
	c2, s2 := outcomes(42)
	defer s2.Close()
	assert.Equal(t, c1, c2, "the same seed gives the same faults")
	failed := 0
	kinds := map[int]bool{}
	for _, c := range c1 {
		if c != 200 {
			failed++
			kinds[c] = true
		}
	}
	assert.Equal(t, failed, s1.FaultCount())
	assert.Equal(t, 40, s1.RequestCount())
	assert.Greater(t, failed, 5)
	assert.Less(t, failed, 35)
	assert.Len(t, kinds, 4, "500, 502, 503 and dropped connections: %v", kinds)
	assert.Equal(t, s1.FaultCount(), s1.FaultCount(gitlabtest.FaultStatus500, gitlabtest.FaultStatus502, gitlabtest.FaultStatus503, gitlabtest.FaultDrop))
}

func TestServerFaultsAndWrites(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		kind    gitlabtest.FaultKind
		applied bool
	}{
		{gitlabtest.FaultStatus500, false},
		{gitlabtest.FaultStatus502, false},
		{gitlabtest.FaultStatus503, false},
		{gitlabtest.FaultDrop, false},
		{gitlabtest.FaultDropAfterApply, true},
		{gitlabtest.FaultStatus502AfterApply, true},
	} {
		s := gitlabtest.NewServer()
		id, _ := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
		s.Configure(gitlabtest.WithFaults(1, 1, tc.kind))
		a := fakeCall(t, s, s.AdminToken(), "POST", fmt.Sprintf("/users/%d/block", id), nil)
		assert.True(t, a.err != nil || a.code >= 500, tc.kind.String())
		u, _ := s.User(id)
		assert.Equal(t, tc.applied, u.State == gitlabtest.StateBlocked, tc.kind.String())
		assert.Equal(t, tc.applied, tc.kind.Applied())
		assert.Equal(t, 1, s.FaultCount(tc.kind))
		assert.Equal(t, 1, s.RouteCount("POST", "/users/:id/block"))
		s.Close()
	}
}

func TestServerLatency(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer(gitlabtest.WithLatency(50 * time.Millisecond))
	defer s.Close()
	start := time.Now()
	assert.Equal(t, 200, fakeCall(t, s, s.AdminToken(), "GET", "/user", nil).code)
	assert.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)
}

func TestServerParallelServers(t *testing.T) {
	t.Parallel()
	for i := range 4 {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			t.Parallel()
			s := gitlabtest.NewServer()
			defer s.Close()
			ids := s.GenerateUsers(20)
			var wg sync.WaitGroup
			for _, id := range ids {
				wg.Add(1)
				go func() {
					defer wg.Done()
					a := fakeCall(t, s, s.AdminToken(), "POST", fmt.Sprintf("/users/%d/emails", id),
						url.Values{"email": {fmt.Sprintf("extra%d@example.com", id)}, "skip_confirmation": {"true"}})
					assert.Equal(t, 201, a.code)
					_ = fakeCall(t, s, s.AdminToken(), "GET", "/users?per_page=5", nil)
				}()
			}
			wg.Wait()
			for _, id := range ids {
				assert.Len(t, s.Emails(id), 2)
			}
			assert.Equal(t, 40, s.RequestCount())
			assert.Equal(t, 21, s.UserCount(), "servers share nothing")
		})
	}
}

func TestServerStatus(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer()
	defer s.Close()
	id, jane := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	a := fakeCall(t, s, "", "GET", "/users/JANE/status", nil)
	assert.JSONEq(t, `{"emoji":null,"message":null,"availability":null,"message_html":null,"clear_status_at":null}`, a.body)
	a = fakeCall(t, s, jane, "PUT", "/user/status", url.Values{"message": {"on <leave>"}, "clear_status_after": {"1_day"}})
	require.Equal(t, 200, a.code, a.body)
	m := a.object(t)
	assert.Equal(t, "speech_balloon", m["emoji"])
	assert.Equal(t, "on &lt;leave&gt;", m["message_html"])
	assert.NotNil(t, m["clear_status_at"])
	st, ok := s.Status(id)
	require.True(t, ok)
	assert.Equal(t, "on <leave>", st.Message)
	// A PUT without parameters clears the status.
	assert.Equal(t, 200, fakeCall(t, s, jane, "PUT", "/user/status", url.Values{}).code)
	_, ok = s.Status(id)
	assert.False(t, ok)
	assert.Equal(t, `{"error":"availability does not have a valid value"}`,
		fakeCall(t, s, jane, "PUT", "/user/status", url.Values{"availability": {"away"}}).body)
}

func TestServerMultipartAvatarAndJSONBody(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer()
	defer s.Close()
	req, _ := http.NewRequest("POST", s.URL+"/api/v4/users", strings.NewReader(
		`{"email":"j@example.com","name":"J","username":"j","password":"long enough","custom_attributes":{"a":"b"}}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.AdminToken())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 201, resp.StatusCode)
	u, ok := s.UserByUsername("J")
	require.True(t, ok)
	assert.Equal(t, "long enough", u.Password)
	assert.Equal(t, int64(1), u.CreatedBy)
}
