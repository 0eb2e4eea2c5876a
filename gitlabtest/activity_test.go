package gitlabtest_test

import (
	"crypto/md5"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab/gitlabtest"
)

// Deploy keys, contribution events and GET /avatar through HTTP: each
// answer's status, body and headers, and the fake's state. The rules
// are tested in internal/model/deploy_keys_test.go and events_test.go.

func TestUserProjectDeployKeys(t *testing.T) {
	w := newMemberWorld(t)
	s := w.s
	web := s.CreateProject(gitlabtest.ProjectSpec{Path: "web", GroupID: w.other, Maintainers: []int64{w.ids["maint"], w.ids["jane"]}})
	key := gitlabtest.FakeSSHKey("ci")
	both := s.AddDeployKey(gitlabtest.DeployKeySpec{Title: "ci", Key: key, UserID: w.ids["owner"],
		WriteProjects: []int64{w.proj}, ReadOnlyProjects: []int64{web}})
	s.AddDeployKey(gitlabtest.DeployKeySpec{Title: "unused", Key: gitlabtest.FakeSSHKey("unused")})

	a := w.call(t, "maint", "GET", "/users/MAINT/project_deploy_keys", nil)
	require.Equal(t, 200, a.code, a.body)
	keys := a.array(t)
	require.Len(t, keys, 2, "enabled in two of maint's projects: listed twice")
	sha := s.DeployKeys()[0].FingerprintSHA256
	assert.Equal(t, `{"id":`+strconv.FormatInt(both, 10)+`,"title":"ci","created_at":"2026-06-01T09:00:00.000Z","expires_at":null,`+
		`"last_used_at":null,"key":"`+key+`","usage_type":"auth_and_signing","fingerprint":"`+s.DeployKeys()[0].Fingerprint+
		`","fingerprint_sha256":"`+sha+`"}`, strings.SplitN(strings.TrimPrefix(a.body, "["), "},", 2)[0]+"}")
	assert.Equal(t, "2", a.hdr.Get("X-Total"))

	a = w.call(t, "maint", "GET", "/users/jane/project_deploy_keys?per_page=1&page=1", nil)
	require.Equal(t, 200, a.code, a.body)
	assert.Len(t, a.array(t), 1, "web is the one project both maintain")
	assert.Equal(t, "1", a.hdr.Get("X-Total"))

	assert.Equal(t, `403 {"message":"403 Forbidden - No common authorized project found"}`,
		w.call(t, "dev", "GET", "/users/maint/project_deploy_keys", nil).status())
	assert.Equal(t, `403 {"message":"403 Forbidden - No common authorized project found"}`,
		w.call(t, "root", "GET", "/users/maint/project_deploy_keys", nil).status(), "an administrator's implicit access does not count")
	assert.Equal(t, `404 {"message":"404 User Not Found"}`, w.call(t, "maint", "GET", "/users/ghost/project_deploy_keys", nil).status())
	assert.Equal(t, `404 {"message":"404 User Not Found"}`, fakeCall(t, s, "", "GET", "/users/ghost/project_deploy_keys", nil).status())
	assert.Equal(t, `500 {"message":"500 Internal Server Error"}`, fakeCall(t, s, "", "GET", "/users/maint/project_deploy_keys", nil).status(),
		"GitLab's code calls a method on the nil user")
	assert.Equal(t, `400 {"error":"per_page has a value not allowed"}`, w.call(t, "maint", "GET", "/users/maint/project_deploy_keys?per_page=0", nil).status())
}

func TestAdminDeployKeys(t *testing.T) {
	w := newMemberWorld(t)
	s := w.s
	web := s.CreateProject(gitlabtest.ProjectSpec{Path: "web", GroupID: w.other})
	s.AddDeployKey(gitlabtest.DeployKeySpec{Title: "ci", Key: gitlabtest.FakeSSHKey("ci"), WriteProjects: []int64{web}, ReadOnlyProjects: []int64{w.proj}})
	s.AddDeployKey(gitlabtest.DeployKeySpec{Title: "mirror", Key: gitlabtest.FakeSSHKey("mirror"), Public: true, UsageType: "auth"})

	assert.Equal(t, `401 {"message":"401 Unauthorized"}`, fakeCall(t, s, "", "GET", "/deploy_keys", nil).status())
	assert.Equal(t, `403 {"message":"403 Forbidden"}`, w.call(t, "owner", "GET", "/deploy_keys", nil).status())
	assert.Equal(t, `400 {"error":"public is invalid"}`, w.call(t, "root", "GET", "/deploy_keys?public=maybe", nil).status())

	a := w.call(t, "root", "GET", "/deploy_keys", nil)
	require.Equal(t, 200, a.code, a.body)
	keys := a.array(t)
	require.Len(t, keys, 2)
	assert.Equal(t, []any{map[string]any{"id": float64(web), "description": nil, "name": "web", "name_with_namespace": "other / web",
		"path": "web", "path_with_namespace": "other/web", "created_at": "2026-06-01T09:00:00.000Z"}}, keys[0]["projects_with_write_access"])
	read := keys[0]["projects_with_readonly_access"].([]any)
	require.Len(t, read, 1)
	assert.Equal(t, "top/sub/api", read[0].(map[string]any)["path_with_namespace"])
	assert.Equal(t, []any{}, keys[1]["projects_with_write_access"])
	assert.True(t, strings.HasSuffix(a.body[:strings.Index(a.body, "},")], `"projects_with_readonly_access":[{"id":`+strconv.FormatInt(w.proj, 10)+`,"description":null,"name":"api","name_with_namespace":"top / sub / api","path":"api","path_with_namespace":"top/sub/api","created_at":"2026-06-01T09:00:00.000Z"}]`), a.body)

	a = w.call(t, "root", "GET", "/deploy_keys?public=true", nil)
	require.Equal(t, 200, a.code, a.body)
	pub := a.array(t)
	require.Len(t, pub, 1)
	assert.Equal(t, [2]any{"mirror", "auth"}, [2]any{pub[0]["title"], pub[0]["usage_type"]})
}

func TestUserEventsRecordedThroughTheAPI(t *testing.T) {
	w := newMemberWorld(t)
	s := w.s
	src := "/projects/" + strconv.FormatInt(w.proj, 10) + "/members"
	a := w.call(t, "owner", "POST", src, url.Values{"user_id": {w.id("dev")}, "access_level": {"30"}})
	require.Equal(t, 201, a.code, a.body)
	a = w.call(t, "owner", "DELETE", src+"/"+w.id("dev"), nil)
	require.Equal(t, 204, a.code, a.body)

	evs := s.Events(w.ids["dev"])
	require.Len(t, evs, 2)
	assert.Equal(t, [2]string{gitlabtest.EventJoined, gitlabtest.EventLeft}, [2]string{evs[0].Action, evs[1].Action})

	a = w.call(t, "owner", "GET", "/users/DEV/events", nil)
	require.Equal(t, 200, a.code, a.body)
	p := strconv.FormatInt(w.proj, 10)
	assert.Equal(t, `[{"id":`+strconv.FormatInt(evs[1].ID, 10)+`,"project_id":`+p+`,"action_name":"left","target_id":`+p+
		`,"target_iid":`+p+`,"target_type":"Project","author_id":`+w.id("dev")+`,"target_title":"api","created_at":"2026-06-01T09:00:00.000Z",`+
		`"author":{"id":`+w.id("dev")+`,"username":"dev","public_email":null,"name":"N dev","state":"active","locked":false,`+
		`"avatar_url":"https://www.gravatar.com/avatar/`+md5hex("dev@example.com")+`?s=80&d=identicon","web_url":"`+s.URL+`/dev"},`+
		`"imported":false,"imported_from":"none","author_username":"dev"}`, strings.SplitN(a.body, `},{"id"`, 2)[0]+"}")
	assert.Len(t, a.array(t), 2)
	assert.Equal(t, "2", a.hdr.Get("X-Total"))

	a = w.call(t, "owner", "GET", "/users/dev/events?sort=asc&action=joined&target_type=project&after=2026-05-31&before=2026-06-02", nil)
	require.Equal(t, 200, a.code, a.body)
	got := a.array(t)
	require.Len(t, got, 1)
	assert.Equal(t, "joined", got[0]["action_name"])
	a = w.call(t, "owner", "GET", "/users/dev/events?after=2026-06-01", nil)
	assert.Equal(t, "200 []", a.status(), "after's day is excluded")

	assert.Equal(t, "200 []", w.call(t, "stranger", "GET", "/users/dev/events", nil).status(), "the project is private")
	assert.Equal(t, "200 []", fakeCall(t, s, "", "GET", "/users/dev/events", nil).status())
	assert.Len(t, w.call(t, "dev", "GET", "/events", nil).array(t), 0, "dev no longer reads the private project")
	assert.Len(t, w.call(t, "root", "GET", "/users/dev/events", nil).array(t), 2)
	assert.Equal(t, `401 {"message":"401 Unauthorized"}`, fakeCall(t, s, "", "GET", "/events", nil).status())
	assert.Equal(t, `404 {"message":"404 User Not Found"}`, w.call(t, "owner", "GET", "/users/ghost/events", nil).status())
	assert.Equal(t, `400 {"error":"action does not have a valid value, target_type does not have a valid value, before is invalid"}`,
		w.call(t, "owner", "GET", "/users/ghost/events?action=opened&target_type=epic&before=soon", nil).status(),
		"parameters before the user")
	assert.Equal(t, `400 {"error":"sort does not have a valid value"}`, w.call(t, "owner", "GET", "/events?sort=newest", nil).status())
}

func TestUserEventsPageCutBeforeVisibility(t *testing.T) {
	w := newMemberWorld(t)
	s := w.s
	pub := s.CreateProject(gitlabtest.ProjectSpec{Path: "pub", GroupID: w.other, Visibility: "public"})
	at := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	for i := range 4 {
		s.AddEvent(gitlabtest.EventSnapshot{AuthorID: w.ids["jane"], ProjectID: w.proj, Action: gitlabtest.EventPushed, CreatedAt: at})
		if i == 3 {
			s.AddEvent(gitlabtest.EventSnapshot{AuthorID: w.ids["jane"], ProjectID: pub, Action: gitlabtest.EventPushed, CreatedAt: at,
				Push: &gitlabtest.PushData{CommitCount: 1, Action: "created", RefType: "branch", CommitTo: "abc", Ref: "main", CommitTitle: "init"}})
		}
	}
	// maint is a Guest of the private project: it reads the project but
	// not its code, so the pushes there are cut from the page after it
	// was counted.
	s.AddProjectMember(w.proj, w.ids["maint"], gitlabtest.AccessGuest)
	a := w.call(t, "maint", "GET", "/users/jane/events?per_page=2&sort=asc", nil)
	require.Equal(t, 200, a.code, a.body)
	assert.Equal(t, "[]", a.body, "a page of hidden events is empty")
	assert.Equal(t, [3]string{"5", "3", "2"}, [3]string{a.hdr.Get("X-Total"), a.hdr.Get("X-Total-Pages"), a.hdr.Get("X-Next-Page")})
	a = w.call(t, "maint", "GET", "/users/jane/events?per_page=2&sort=asc&page=3", nil)
	got := a.array(t)
	require.Len(t, got, 1, a.body)
	assert.Equal(t, "pushed new", got[0]["action_name"])
	assert.Equal(t, map[string]any{"commit_count": float64(1), "action": "created", "ref_type": "branch", "commit_from": nil,
		"commit_to": "abc", "ref": "main", "commit_title": "init", "ref_count": nil}, got[0]["push_data"])
	assert.Len(t, w.call(t, "stranger", "GET", "/users/jane/events", nil).array(t), 1, "only the public project joins")

	s.UpdateUser(w.ids["jane"], func(u *gitlabtest.UserSnapshot) { u.PrivateProfile = true })
	a = w.call(t, "maint", "GET", "/users/jane/events", nil)
	assert.Equal(t, [2]string{"200 []", "0"}, [2]string{a.status(), a.hdr.Get("X-Total")}, "a private profile: an empty list with its headers")
	assert.Len(t, w.call(t, "root", "GET", "/users/jane/events", nil).array(t), 5, "administrators read a private profile")
	assert.Len(t, w.call(t, "jane", "GET", "/users/jane/events", nil).array(t), 1, "and so does its user, in the projects they read")
}

func TestAvatar(t *testing.T) {
	w := newMemberWorld(t)
	s := w.s
	s.CreateUser(gitlabtest.UserSpec{Username: "pub", Email: "primary@example.com", PublicEmail: "shown@example.com"})
	assert.Equal(t, `400 {"error":"email is missing"}`, fakeCall(t, s, "", "GET", "/avatar", nil).status())
	assert.Equal(t, `400 {"error":"size is invalid"}`, fakeCall(t, s, "", "GET", "/avatar?email=a@example.com&size=big", nil).status())
	assert.Equal(t, `200 {"avatar_url":"https://www.gravatar.com/avatar/`+md5hex("nobody@example.com")+`?s=80&d=identicon"}`,
		fakeCall(t, s, "", "GET", "/avatar?email="+url.QueryEscape(" Nobody@Example.com "), nil).status())
	assert.Equal(t, `200 {"avatar_url":"https://www.gravatar.com/avatar/`+md5hex("nobody@example.com")+`?s=64&d=identicon"}`,
		w.call(t, "dev", "GET", "/avatar?email=nobody@example.com&size=32", nil).status())
	assert.Equal(t, `200 {"avatar_url":"https://www.gravatar.com/avatar/`+md5hex("primary@example.com")+`?s=80&d=identicon"}`,
		fakeCall(t, s, "", "GET", "/avatar?email=shown@example.com", nil).status(), "the user of that public email, by their email")
	assert.Equal(t, `200 {"avatar_url":"https://www.gravatar.com/avatar/`+md5hex("dev@example.com")+`?s=80&d=identicon"}`,
		fakeCall(t, s, "", "GET", "/avatar?email=dev@example.com", nil).status(), "a private email is anybody's")
	assert.Equal(t, `200 {"avatar_url":null}`, fakeCall(t, s, "", "GET", "/avatar?email=", nil).status())

	s.UpdateUser(w.ids["dev"], func(u *gitlabtest.UserSnapshot) {
		u.PublicEmail, u.AvatarFilename, u.Avatar = "dev@example.com", "me.png", []byte("png")
	})
	assert.Equal(t, `200 {"avatar_url":"`+s.URL+`/uploads/-/system/user/avatar/`+w.id("dev")+`/me.png"}`,
		fakeCall(t, s, "", "GET", "/avatar?email=dev@example.com&size=10", nil).status())
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}
