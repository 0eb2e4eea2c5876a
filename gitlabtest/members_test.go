package gitlabtest_test

import (
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// The member, invitation and access-request routes through HTTP: each
// answer's status and body, and the fake's state after a write. The
// rules themselves are tested in internal/model/members_test.go.

var memberClock = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

type memberWorld struct {
	s                                 *gitlabtest.Server
	ids                               map[string]int64
	tokens                            map[string]string
	top, sub, other, proj             int64
	topSrc, subSrc, otherSrc, projSrc gitlabtest.MemberSource
}

func newMemberWorld(t *testing.T, opts ...gitlabtest.Option) memberWorld {
	t.Helper()
	s := gitlabtest.NewServer(append([]gitlabtest.Option{gitlabtest.WithClock(func() time.Time { return memberClock })}, opts...)...)
	t.Cleanup(s.Close)
	w := memberWorld{s: s, ids: map[string]int64{}, tokens: map[string]string{"root": s.AdminToken()}}
	for _, n := range []string{"owner", "maint", "dev", "jane", "stranger"} {
		w.ids[n], w.tokens[n] = s.CreateUser(gitlabtest.UserSpec{Username: n, Name: "N " + n, Email: n + "@example.com"})
	}
	w.top = s.CreateGroup(gitlabtest.GroupSpec{Path: "top", Visibility: "internal", Owners: []int64{w.ids["owner"]}})
	w.sub = s.CreateGroup(gitlabtest.GroupSpec{Path: "sub", ParentID: w.top})
	w.other = s.CreateGroup(gitlabtest.GroupSpec{Path: "other", Visibility: "internal"})
	w.proj = s.CreateProject(gitlabtest.ProjectSpec{Path: "api", GroupID: w.sub, Maintainers: []int64{w.ids["maint"]}})
	w.topSrc, w.subSrc, w.otherSrc, w.projSrc = gitlabtest.GroupSource(w.top), gitlabtest.GroupSource(w.sub),
		gitlabtest.GroupSource(w.other), gitlabtest.ProjectSource(w.proj)
	return w
}

func (w memberWorld) call(t *testing.T, who, method, path string, form url.Values) fakeAnswer {
	t.Helper()
	return fakeCall(t, w.s, w.tokens[who], method, path, form)
}

func (w memberWorld) id(name string) string { return strconv.FormatInt(w.ids[name], 10) }

func levelsOf(rows []gitlabtest.MemberSnapshot) map[int64]int {
	out := map[int64]int{}
	for _, m := range rows {
		out[m.UserID] = m.AccessLevel
	}
	return out
}

func TestMembersListAndGet(t *testing.T) {
	w := newMemberWorld(t)
	w.s.AddMember(gitlabtest.MemberSpec{Source: w.subSrc, UserID: w.ids["dev"], AccessLevel: gitlabtest.AccessDeveloper,
		ExpiresAt: gitlab.Ptr(memberClock.AddDate(0, 1, 0)), CreatedByID: w.ids["owner"]})

	a := w.call(t, "owner", "GET", "/groups/top%2Fsub/members", nil)
	require.Equal(t, 200, a.code, a.body)
	rows := a.array(t)
	require.Len(t, rows, 1)
	assert.Equal(t, "dev", rows[0]["username"])
	assert.EqualValues(t, 30, rows[0]["access_level"])
	assert.Equal(t, "2026-07-01", rows[0]["expires_at"])
	assert.Equal(t, "active", rows[0]["membership_state"])
	assert.Equal(t, "owner", rows[0]["created_by"].(map[string]any)["username"])
	assert.NotContains(t, rows[0], "email", "only administrators see the email")
	assert.Equal(t, "1", a.hdr.Get("X-Total"))

	a = w.call(t, "owner", "GET", "/groups/top%2Fsub/members/all?per_page=1", nil)
	require.Equal(t, 200, a.code, a.body)
	assert.Equal(t, "2", a.hdr.Get("X-Total"), "the parent's owner and the direct developer")
	assert.Equal(t, "owner", a.array(t)[0]["username"])
	assert.NotContains(t, a.array(t)[0], "created_by", "absent, not null, when nobody is recorded")

	a = w.call(t, "owner", "GET", "/groups/top%2Fsub/members/"+w.id("owner"), nil)
	assert.Equal(t, `404 {"message":"404 Not found"}`, a.status(), "an inherited member is not a direct one")
	a = w.call(t, "owner", "GET", "/groups/top%2Fsub/members/all/"+w.id("owner"), nil)
	require.Equal(t, 200, a.code, a.body)
	assert.EqualValues(t, 50, a.object(t)["access_level"])
	a = w.call(t, "root", "GET", "/projects/top%2Fsub%2Fapi/members/all?query=de", nil)
	require.Equal(t, 200, a.code, a.body)
	assert.Equal(t, "dev@example.com", a.array(t)[0]["email"], "administrators see the email")
	a = w.call(t, "owner", "GET", "/groups/top/members?user_ids=abc", nil)
	assert.Equal(t, "200 []", a.status(), "a non-number matches nothing")

	assert.Equal(t, `404 {"message":"404 Group Not Found"}`, w.call(t, "stranger", "GET", "/groups/top%2Fsub/members", nil).status(),
		"a private group is not found")
	assert.Equal(t, `404 {"message":"404 Project Not Found"}`, w.call(t, "owner", "GET", "/projects/nope/members", nil).status())
	assert.Equal(t, `400 {"error":"user_id is invalid"}`, w.call(t, "owner", "GET", "/groups/top/members/x", nil).status())
	assert.Equal(t, `400 {"error":"state does not have a valid value"}`, w.call(t, "owner", "GET", "/groups/top/members/all?state=x", nil).status())
	assert.Equal(t, `401 {"message":"401 Unauthorized"}`, w.call(t, "", "GET", "/groups/top/members", nil).status())
}

func TestMembersAdd(t *testing.T) {
	w := newMemberWorld(t)
	form := url.Values{"user_id": {w.id("jane")}, "access_level": {"30"}, "expires_at": {"2026-12-31"}}
	a := w.call(t, "owner", "POST", "/groups/top/members", form)
	require.Equal(t, 201, a.code, a.body)
	assert.Equal(t, "jane", a.object(t)["username"])
	assert.Equal(t, "2026-12-31", a.object(t)["expires_at"])
	assert.Equal(t, "owner", a.object(t)["created_by"].(map[string]any)["username"])
	assert.Equal(t, map[int64]int{w.ids["owner"]: 50, w.ids["jane"]: 30}, levelsOf(w.s.Members(w.topSrc)))

	assert.Equal(t, `409 {"message":"Member already exists"}`, w.call(t, "owner", "POST", "/groups/top/members", form).status())
	assert.Equal(t, `404 {"message":"404 User Not Found"}`,
		w.call(t, "stranger", "POST", "/groups/top/members", url.Values{"username": {"JANE"}, "access_level": {"30"}}).status(),
		"usernames are matched exactly; the user check comes before the permission")
	assert.Equal(t, `403 {"message":"403 Forbidden"}`,
		w.call(t, "jane", "POST", "/groups/top/members", url.Values{"username": {"dev"}, "access_level": {"30"}}).status())
	assert.Equal(t, `400 {"message":{"access_level":["is not included in the list"]}}`,
		w.call(t, "owner", "POST", "/groups/top/members", url.Values{"username": {"dev"}, "access_level": {"13"}}).status())
	assert.Equal(t, `400 {"message":{"expires_at":["cannot be a date in the past"]}}`,
		w.call(t, "owner", "POST", "/groups/top/members", url.Values{"username": {"dev"}, "access_level": {"30"}, "expires_at": {"2026-05-31"}}).status())
	assert.Equal(t, `400 {"error":"access_level is missing, user_id, username are mutually exclusive"}`,
		w.call(t, "owner", "POST", "/groups/top/members", url.Values{"username": {"dev"}, "user_id": {"2"}}).status())
	assert.Equal(t, `400 {"error":"user_id, username are missing, at least one parameter must be provided"}`,
		w.call(t, "owner", "POST", "/groups/top/members", url.Values{"access_level": {"30"}}).status())
	assert.Equal(t, `403 {"message":"403 Forbidden"}`,
		w.call(t, "maint", "POST", "/projects/top%2Fsub%2Fapi/members", url.Values{"username": {"dev"}, "access_level": {"50"}}).status(),
		"a maintainer cannot grant owner")
	assert.Equal(t, `400 {"message":"dev: the member access level can't be higher than the current user's one","status":"error"}`,
		w.call(t, "maint", "POST", "/projects/top%2Fsub%2Fapi/members", url.Values{"username": {"dev"}, "access_level": {"15"}}).status())
	assert.Len(t, w.s.Members(w.projSrc), 1, "nothing was added")
}

func TestAddManyWithOneBadUserHTTP(t *testing.T) {
	w := newMemberWorld(t)
	w.s.AddMember(gitlabtest.MemberSpec{Source: w.topSrc, UserID: w.ids["dev"], AccessLevel: gitlabtest.AccessMaintainer})
	a := w.call(t, "owner", "POST", "/groups/top%2Fsub/members", url.Values{"username": {"jane,dev,ghost"}, "access_level": {"30"}})
	assert.Equal(t, `201 {"status":"error","message":"dev: Access level should be greater than or equal to Maintainer inherited membership from group top"}`, a.status())
	assert.Equal(t, map[int64]int{w.ids["jane"]: 30}, levelsOf(w.s.Members(w.subSrc)))

	a = w.call(t, "owner", "POST", "/groups/top%2Fsub/members", url.Values{"user_id": {w.id("stranger") + ","}, "access_level": {"20"}})
	assert.Equal(t, `201 {"status":"success"}`, a.status())
	a = w.call(t, "owner", "POST", "/groups/top%2Fsub/members", url.Values{"user_id": {"9999,"}, "access_level": {"20"}})
	assert.Equal(t, `201 {"message":"No users specified.","status":"error","reason":"blank_invites_error"}`, a.status())
	a = w.call(t, "jane", "POST", "/groups/top%2Fsub/members", url.Values{"username": {"maint,"}, "access_level": {"20"}})
	assert.Equal(t, `201 {"status":"error","message":"maint: not authorized to create member","http_status":"unauthorized"}`, a.status())
}

func TestMembersUpdateAndRemove(t *testing.T) {
	w := newMemberWorld(t)
	w.s.AddMember(gitlabtest.MemberSpec{Source: w.topSrc, UserID: w.ids["jane"], AccessLevel: gitlabtest.AccessDeveloper})
	w.s.AddMember(gitlabtest.MemberSpec{Source: w.subSrc, UserID: w.ids["jane"], AccessLevel: gitlabtest.AccessMaintainer})

	a := w.call(t, "owner", "PUT", "/groups/top/members/"+w.id("jane"), url.Values{"access_level": {"40"}, "expires_at": {"2027-01-01"}})
	require.Equal(t, 200, a.code, a.body)
	assert.EqualValues(t, 40, a.object(t)["access_level"])
	got := w.s.Members(w.topSrc)[1]
	assert.Equal(t, [2]any{40, "2027-01-01"}, [2]any{got.AccessLevel, got.ExpiresAt.Format("2006-01-02")})
	a = w.call(t, "owner", "PUT", "/groups/top/members/"+w.id("jane"), url.Values{"access_level": {"40"}, "expires_at": {""}})
	require.Equal(t, 200, a.code, a.body)
	assert.Nil(t, a.object(t)["expires_at"], "an empty expires_at clears it")

	assert.Equal(t, `403 {"message":"403 Forbidden"}`, w.call(t, "root", "PUT", "/groups/top/members/"+w.id("owner"), url.Values{"access_level": {"40"}}).status(),
		"the last owner cannot be demoted")
	assert.Equal(t, `403 {"message":"403 Forbidden"}`, w.call(t, "owner", "DELETE", "/groups/top/members/"+w.id("owner"), nil).status(),
		"the last owner cannot leave")
	assert.Equal(t, `404 {"message":"404 Not found"}`, w.call(t, "owner", "PUT", "/groups/top/members/"+w.id("dev"), url.Values{"access_level": {"40"}}).status())
	assert.Equal(t, `400 {"error":"access_level is missing"}`, w.call(t, "owner", "PUT", "/groups/top/members/"+w.id("jane"), url.Values{}).status())
	assert.Equal(t, `403 {"message":"403 Forbidden"}`, w.call(t, "dev", "DELETE", "/groups/top/members/"+w.id("jane"), nil).status())

	a = w.call(t, "owner", "DELETE", "/groups/top/members/"+w.id("jane")+"?skip_subresources=true", nil)
	assert.Equal(t, "204 ", a.status())
	assert.Len(t, w.s.Members(w.subSrc), 1, "skip_subresources keeps the subgroup's")
	w.s.AddMember(gitlabtest.MemberSpec{Source: w.topSrc, UserID: w.ids["jane"], AccessLevel: gitlabtest.AccessDeveloper})
	assert.Equal(t, "204 ", w.call(t, "jane", "DELETE", "/groups/top/members/"+w.id("jane"), nil).status(), "a member may leave")
	assert.Empty(t, w.s.Members(w.subSrc), "and leaves the subgroups too")
}

func TestMembersExpiryMovesWithServerClock(t *testing.T) {
	now := memberClock
	s := gitlabtest.NewServer(gitlabtest.WithClock(func() time.Time { return now }))
	defer s.Close()
	owner, tok := s.CreateUser(gitlabtest.UserSpec{Username: "owner"})
	dev, _ := s.CreateUser(gitlabtest.UserSpec{Username: "dev"})
	g := s.CreateGroup(gitlabtest.GroupSpec{Path: "g", Owners: []int64{owner}})
	s.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.GroupSource(g), UserID: dev, AccessLevel: 30, ExpiresAt: gitlab.Ptr(now.AddDate(0, 0, 1))})
	assert.Len(t, fakeCall(t, s, tok, "GET", "/groups/g/members", nil).array(t), 2)
	now = now.AddDate(0, 0, 1)
	assert.Len(t, fakeCall(t, s, tok, "GET", "/groups/g/members", nil).array(t), 1, "expired: it counts for nothing")
	a := fakeCall(t, s, s.AdminToken(), "GET", "/users/"+strconv.FormatInt(dev, 10)+"/memberships", nil)
	assert.Equal(t, "200 []", a.status())
}

func TestSharedGroupMembersHTTP(t *testing.T) {
	w := newMemberWorld(t)
	w.s.AddMember(gitlabtest.MemberSpec{Source: w.otherSrc, UserID: w.ids["jane"], AccessLevel: gitlabtest.AccessOwner})
	w.s.ShareGroup(w.sub, w.other, gitlabtest.AccessReporter, nil)
	a := w.call(t, "owner", "GET", "/projects/top%2Fsub%2Fapi/members/all/"+w.id("jane"), nil)
	require.Equal(t, 200, a.code, a.body)
	assert.EqualValues(t, 20, a.object(t)["access_level"])
	assert.Equal(t, 200, w.call(t, "jane", "GET", "/groups/top%2Fsub/members", nil).code, "a share lets its members read")
}

func TestSeatEndpoints(t *testing.T) {
	w := newMemberWorld(t, gitlabtest.WithUserCap(2))
	w.s.AddMember(gitlabtest.MemberSpec{Source: w.projSrc, UserID: w.ids["dev"], AccessLevel: 30})

	a := w.call(t, "owner", "GET", "/groups/top/billable_members", nil)
	require.Equal(t, 200, a.code, a.body)
	var names []any
	for _, r := range a.array(t) {
		names = append(names, r["username"], r["membership_type"])
	}
	assert.Equal(t, []any{"owner", "group_member", "maint", "project_member", "dev", "project_member"}, names)
	assert.Equal(t, `400 {"message":"400 Bad request"}`, w.call(t, "owner", "GET", "/groups/top%2Fsub/billable_members", nil).status())
	assert.Equal(t, `400 {"message":"400 Bad request"}`, w.call(t, "maint", "GET", "/groups/top/billable_members", nil).status())
	assert.Equal(t, `400 {"error":"sort does not have a valid value"}`, w.call(t, "owner", "GET", "/groups/top/billable_members?sort=x", nil).status())

	a = w.call(t, "owner", "GET", "/groups/top/billable_members/"+w.id("dev")+"/memberships", nil)
	require.Equal(t, 200, a.code, a.body)
	assert.Equal(t, "top / sub / api", a.array(t)[0]["source_full_name"])
	assert.Equal(t, map[string]any{"string_value": "Developer", "integer_value": float64(30), "custom_role": nil}, a.array(t)[0]["access_level"])
	assert.Equal(t, "200 []", w.call(t, "owner", "GET", "/groups/top/billable_members/"+w.id("dev")+"/indirect", nil).status())
	assert.Equal(t, `404 {"message":"404 User Not Found"}`, w.call(t, "owner", "GET", "/groups/top/billable_members/"+w.id("jane")+"/memberships", nil).status())
	assert.Equal(t, `404 {"message":"404 Not found"}`, w.call(t, "owner", "GET", "/groups/top/billable_members/999/memberships", nil).status())

	// Three seats are taken, over the cap of two: jane waits.
	a = w.call(t, "owner", "POST", "/groups/top%2Fsub/members", url.Values{"user_id": {w.id("jane")}, "access_level": {"30"}})
	require.Equal(t, 201, a.code, a.body)
	assert.Equal(t, "awaiting", a.object(t)["membership_state"])
	a = w.call(t, "owner", "GET", "/groups/top/pending_members", nil)
	require.Equal(t, 200, a.code, a.body)
	pending := a.array(t)
	require.Len(t, pending, 1)
	assert.Equal(t, []any{"jane", "jane@example.com", false, false}, []any{pending[0]["username"], pending[0]["email"], pending[0]["invited"], pending[0]["approved"]})
	memberID := strconv.FormatInt(int64(pending[0]["id"].(float64)), 10)
	assert.Equal(t, `404 {"message":"404 Not Found"}`, w.call(t, "owner", "PUT", "/groups/top/members/999/approve", nil).status())
	assert.Equal(t, "204 ", w.call(t, "owner", "PUT", "/groups/top/members/"+memberID+"/approve", nil).status())
	assert.Equal(t, gitlabtest.MemberActive, w.s.Members(w.subSrc)[0].State)
	assert.Equal(t, `400 {"message":"400 Bad request - No memberships found"}`, w.call(t, "owner", "POST", "/groups/top/members/approve_all", nil).status())

	a = w.call(t, "owner", "PUT", "/groups/top/members/"+w.id("jane")+"/state", url.Values{"state": {"awaiting"}})
	assert.Equal(t, `200 {"success":true}`, a.status())
	assert.Equal(t, gitlabtest.MemberAwaiting, w.s.Members(w.subSrc)[0].State)
	assert.Equal(t, "204 ", w.call(t, "owner", "POST", "/groups/top/members/approve_all", nil).status())
	assert.Equal(t, `422 {"message":"The last owner cannot be set to awaiting"}`,
		w.call(t, "root", "PUT", "/groups/top/members/"+w.id("owner")+"/state", url.Values{"state": {"awaiting"}}).status())
	assert.Equal(t, `400 {"error":"state does not have a valid value"}`,
		w.call(t, "owner", "PUT", "/groups/top/members/"+w.id("jane")+"/state", url.Values{"state": {"x"}}).status())

	assert.Equal(t, `400 {"message":"400 Bad request - Must be a root namespace"}`, w.call(t, "owner", "DELETE", "/groups/top%2Fsub/billable_members/"+w.id("dev"), nil).status())
	assert.Equal(t, `400 {"message":"400 Bad request - User not authorized"}`, w.call(t, "maint", "DELETE", "/groups/top/billable_members/"+w.id("dev"), nil).status())
	w.s.AddMember(gitlabtest.MemberSpec{Source: w.topSrc, UserID: w.ids["dev"], AccessLevel: 10})
	assert.Equal(t, "204 ", w.call(t, "owner", "DELETE", "/groups/top/billable_members/"+w.id("dev"), nil).status())
	assert.Len(t, w.s.Members(w.projSrc), 1, "dev left the project")
	assert.Len(t, w.s.Members(w.topSrc), 1, "and the group")
}

func TestLDAPOverride(t *testing.T) {
	w := newMemberWorld(t)
	w.s.AddMember(gitlabtest.MemberSpec{Source: w.topSrc, UserID: w.ids["jane"], AccessLevel: 30, LDAP: true})
	path := "/groups/top/members/" + w.id("jane")
	assert.Equal(t, `403 {"message":"403 Forbidden"}`, w.call(t, "owner", "PUT", path, url.Values{"access_level": {"40"}}).status(),
		"an LDAP member is locked")
	assert.Equal(t, `403 {"message":"403 Forbidden"}`, w.call(t, "owner", "POST", path+"/override", nil).status())
	a := w.call(t, "root", "POST", path+"/override", nil)
	require.Equal(t, 201, a.code, a.body)
	assert.Equal(t, true, a.object(t)["override"])
	assert.Equal(t, 200, w.call(t, "owner", "PUT", path, url.Values{"access_level": {"40"}}).code, "after an override, PUT works")
	a = w.call(t, "root", "DELETE", path+"/override", nil)
	require.Equal(t, 200, a.code, a.body)
	assert.Equal(t, false, a.object(t)["override"])
	assert.Equal(t, `403 {"message":"403 Forbidden"}`, w.call(t, "root", "POST", "/groups/top/members/"+w.id("owner")+"/override", nil).status(),
		"not an LDAP member")
	assert.Equal(t, "201 null", w.call(t, "root", "POST", "/groups/top/members/"+w.id("dev")+"/override", nil).status())
}

func TestInvitationsHTTP(t *testing.T) {
	w := newMemberWorld(t)
	a := w.call(t, "owner", "POST", "/groups/top/invitations", url.Values{"email": {"jane@example.com,New@Example.com"}, "access_level": {"20"}})
	assert.Equal(t, `201 {"status":"success"}`, a.status())
	assert.Equal(t, map[int64]int{w.ids["owner"]: 50, w.ids["jane"]: 20}, levelsOf(w.s.Members(w.topSrc)), "an existing user's email adds them at once")
	inv := w.s.Invitations(w.topSrc)
	require.Len(t, inv, 1)
	assert.Equal(t, "new@example.com", inv[0].InviteEmail)

	a = w.call(t, "owner", "GET", "/groups/top/invitations", nil)
	require.Equal(t, 200, a.code, a.body)
	row := a.array(t)[0]
	assert.Equal(t, []any{"new@example.com", float64(20), "N owner"}, []any{row["invite_email"], row["access_level"], row["created_by_name"]})
	assert.NotContains(t, row, "id")
	assert.Equal(t, "200 []", w.call(t, "owner", "GET", "/groups/top/invitations?query=New@Example.com", nil).status(), "exact match on the stored email")
	assert.Equal(t, `403 {"message":"403 Forbidden"}`, w.call(t, "jane", "GET", "/groups/top/invitations", nil).status())

	a = w.call(t, "owner", "POST", "/groups/top/invitations", url.Values{"email": {"x@example.com"}, "access_level": {"20"}, "expires_at": {"2020-01-01"}})
	assert.Equal(t, `201 {"status":"error","message":{"x@example.com":"Expires at cannot be a date in the past"}}`, a.status())
	assert.Equal(t, `400 {"message":"400 Bad request - Must provide either email or user_id as a parameter"}`,
		w.call(t, "owner", "POST", "/groups/nope/invitations", url.Values{"access_level": {"20"}}).status())
	assert.Equal(t, `400 {"error":"email contains an invalid email address"}`,
		w.call(t, "owner", "POST", "/groups/top/invitations", url.Values{"email": {"bad"}, "access_level": {"20"}}).status())
	assert.Equal(t, `400 {"error":"access_level does not have a valid value"}`,
		w.call(t, "owner", "POST", "/groups/top/invitations", url.Values{"email": {"a@b.c"}, "access_level": {"60"}}).status())

	a = w.call(t, "owner", "PUT", "/groups/top/invitations/new%40example.com", url.Values{"access_level": {"30"}})
	require.Equal(t, 200, a.code, a.body)
	assert.Equal(t, 30, w.s.Invitations(w.topSrc)[0].AccessLevel)
	assert.Equal(t, `400 {"message":"400 Bad request"}`, w.call(t, "owner", "PUT", "/groups/top/invitations/new%40example.com", url.Values{}).status())
	assert.Equal(t, `400 {"message":{"expires_at":["cannot be a date in the past"]}}`,
		w.call(t, "owner", "PUT", "/groups/top/invitations/new%40example.com", url.Values{"expires_at": {"2020-01-01"}}).status())
	assert.Equal(t, `404 {"message":"404 Not Found"}`, w.call(t, "owner", "DELETE", "/groups/top/invitations/x%40example.com", nil).status())

	// An API-created user's invitation stays pending until accepted.
	a = fakeCall(t, w.s, w.s.AdminToken(), "POST", "/users", url.Values{"username": {"new"}, "name": {"New"}, "email": {"new@example.com"}, "password": {"Str0ng-enough-pass!"}, "skip_confirmation": {"true"}})
	require.Equal(t, 201, a.code, a.body)
	require.Len(t, w.s.Invitations(w.topSrc), 1)
	newID := int64(a.object(t)["id"].(float64))
	assert.Equal(t, 1, w.s.AcceptInvitation("new@example.com", newID))
	assert.Equal(t, 30, levelsOf(w.s.Members(w.topSrc))[newID])

	w.call(t, "owner", "POST", "/groups/top/invitations", url.Values{"email": {"gone@example.com"}, "access_level": {"20"}})
	assert.Equal(t, "204 ", w.call(t, "owner", "DELETE", "/groups/top/invitations/gone%40example.com", nil).status())
	assert.Empty(t, w.s.Invitations(w.topSrc))
}

func TestAccessRequestsHTTP(t *testing.T) {
	w := newMemberWorld(t)
	a := w.call(t, "jane", "POST", "/projects/top%2Fsub%2Fapi/access_requests", nil)
	assert.Equal(t, `404 {"message":"404 Project Not Found"}`, a.status(), "a private project is not found")
	w.s.AddMember(gitlabtest.MemberSpec{Source: w.otherSrc, UserID: w.ids["owner"], AccessLevel: 50})
	a = w.call(t, "jane", "POST", "/groups/other/access_requests", nil)
	require.Equal(t, 201, a.code, a.body)
	assert.Equal(t, "jane", a.object(t)["username"])
	assert.Equal(t, "2026-06-01T09:00:00.000Z", a.object(t)["requested_at"])
	require.Len(t, w.s.AccessRequests(w.otherSrc), 1)

	assert.Equal(t, `403 {"message":"403 Forbidden"}`, w.call(t, "jane", "GET", "/groups/other/access_requests", nil).status())
	a = w.call(t, "owner", "GET", "/groups/other/access_requests", nil)
	require.Equal(t, 200, a.code, a.body)
	assert.Len(t, a.array(t), 1)
	assert.Equal(t, `404 {"message":"404 Not found"}`, w.call(t, "owner", "PUT", "/groups/other/access_requests/"+w.id("dev")+"/approve", nil).status())
	a = w.call(t, "owner", "PUT", "/groups/other/access_requests/"+w.id("jane")+"/approve", url.Values{"access_level": {"20"}})
	require.Equal(t, 201, a.code, a.body)
	assert.EqualValues(t, 20, a.object(t)["access_level"])
	assert.Empty(t, w.s.AccessRequests(w.otherSrc))
	assert.Equal(t, 20, levelsOf(w.s.Members(w.otherSrc))[w.ids["jane"]])

	w.call(t, "dev", "POST", "/groups/other/access_requests", nil)
	assert.Equal(t, "204 ", w.call(t, "dev", "DELETE", "/groups/other/access_requests/"+w.id("dev"), nil).status(), "a requester may withdraw")
	assert.Empty(t, w.s.AccessRequests(w.otherSrc))
}

func TestUserMembershipsFromMemberRows(t *testing.T) {
	w := newMemberWorld(t)
	a := fakeCall(t, w.s, w.s.AdminToken(), "GET", "/users/"+w.id("maint")+"/memberships", nil)
	assert.Equal(t, `200 [{"source_id":`+strconv.FormatInt(w.proj, 10)+`,"source_name":"api","source_type":"Project","access_level":40}]`, a.status())
	snap, _ := w.s.User(w.ids["maint"])
	assert.Equal(t, []gitlabtest.UserMembership{{SourceID: w.proj, SourceName: "api", SourceType: gitlabtest.SourceProject, AccessLevel: 40}}, snap.Memberships)
}

func TestSeededOwnerDatedAtGroupCreation(t *testing.T) {
	w := newMemberWorld(t)
	a := w.call(t, "owner", "GET", "/groups/top/members/"+w.id("owner"), nil)
	require.Equal(t, 200, a.code, a.body)
	assert.Equal(t, "2026-06-01T09:00:00.000Z", a.object(t)["created_at"])
}
