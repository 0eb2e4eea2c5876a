package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab/gitlabtest"
)

const seedFile = "testdata/seed.json"

// fake is one run of the command in the test's process.
type fake struct {
	s      *gitlabtest.Server
	stdout *bytes.Buffer
}

// start runs the command with args until the test ends, and returns
// once it is ready.
func start(t *testing.T, args ...string) fake {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan *gitlabtest.Server, 1)
	done := make(chan error, 1)
	var stdout bytes.Buffer
	go func() { done <- run(ctx, args, &stdout, io.Discard, ready) }()
	select {
	case s := <-ready:
		t.Cleanup(func() {
			cancel()
			assert.NoError(t, <-done)
		})
		return fake{s: s, stdout: &stdout}
	case err := <-done:
		cancel()
		require.NoError(t, err)
		panic("run returned nil before it was ready")
	}
}

// plainHTTP opens a connection per request.
var plainHTTP = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}

// call sends one request to base+path with an optional PRIVATE-TOKEN and
// returns the status and the body.
func call(t *testing.T, base, token, method, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, base+path, nil)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("PRIVATE-TOKEN", token)
	}
	resp, err := plainHTTP.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

// api calls the API and decodes a 200 answer into v.
func api(t *testing.T, f fake, token, path string, v any) {
	t.Helper()
	code, body := call(t, f.s.URL+"/api/v4", token, "GET", path)
	require.Equal(t, http.StatusOK, code, "GET %s: %s", path, body)
	require.NoError(t, json.Unmarshal([]byte(body), v), body)
}

// The seed format as the tests read testdata/seed.json, to know what to
// expect.
type (
	testSeed struct {
		Users      []testUser
		Groups     []testPlace
		Projects   []testPlace
		DeployKeys []testDeployKey `json:"deploy_keys"`
	}
	testDeployKey struct {
		Title, Key, User string
		UsageType        string `json:"usage_type"`
		Public           bool
		ExpiresAt        string `json:"expires_at"`
		Projects         []struct {
			Project string
			CanPush bool `json:"can_push"`
		}
	}
	testUser struct {
		Username, Name, Email, Password, State, Token string
		Admin, Bot, External                          bool
		Identities                                    []struct {
			Provider  string
			ExternUID string `json:"extern_uid"`
		}
		CustomAttributes map[string]string             `json:"custom_attributes"`
		SSHKeys          []struct{ Title, Key string } `json:"ssh_keys"`
		GPGKeys          []struct{ Key string }        `json:"gpg_keys"`
		Emails           []struct {
			Email     string
			Confirmed bool
		}
		Tokens []struct {
			Name, Token            string
			Scopes                 []string
			ExpiresAt              string `json:"expires_at"`
			Impersonation, Revoked bool
		}
	}
	testPlace struct {
		Path, Name, Parent, Group, Visibility string
		Members                               []struct {
			Username    string
			AccessLevel int `json:"access_level"`
		}
	}
	// The answers read back.
	testEmail struct {
		Email       string
		ConfirmedAt *string `json:"confirmed_at"`
	}
	testMembership struct {
		SourceID    int64  `json:"source_id"`
		SourceName  string `json:"source_name"`
		SourceType  string `json:"source_type"`
		AccessLevel int    `json:"access_level"`
	}
)

func readSeed(t *testing.T) testSeed {
	t.Helper()
	b, err := os.ReadFile(seedFile)
	require.NoError(t, err)
	var seed testSeed
	require.NoError(t, json.Unmarshal(b, &seed))
	return seed
}

// TestSeedRoundTrip loads testdata/seed.json and reads every part of it
// back through the API: the seeded secrets authenticate (or are refused
// as GitLab refuses a revoked or expired token or a blocked user), and
// users, identities, custom attributes, keys, emails, tokens, groups,
// projects and members are there as the file says.
func TestSeedRoundTrip(t *testing.T) {
	seed := readSeed(t)
	f := start(t, "-seed", seedFile, "-token", "glpat-test-admin")
	admin := f.s.AdminToken()
	require.Equal(t, "glpat-test-admin", admin)
	today := time.Now().UTC().Format(time.DateOnly)

	// whoAmI is what GET /user answers a token.
	whoAmI := func(token string) (int, string) {
		code, body := call(t, f.s.URL+"/api/v4", token, "GET", "/user")
		var u struct{ Username string }
		_ = json.Unmarshal([]byte(body), &u)
		return code, cmpOr(u.Username, body)
	}

	groupID, projectID := map[string]int64{}, map[string]int64{}
	for i, su := range seed.Users {
		var u struct {
			ID                           int64
			Username, Name, Email, State string
			IsAdmin                      bool `json:"is_admin"`
			Bot, External                bool
			Identities                   []map[string]string
		}
		api(t, f, admin, "/users/"+strconv.Itoa(i+2), &u)
		assert.Equal(t, su.Username, u.Username, "seeded users follow root (ID 1) in order")
		assert.Equal(t, cmpOr(su.Name, su.Username), u.Name)
		assert.Equal(t, cmpOr(su.Email, su.Username+"@example.com"), u.Email)
		assert.Equal(t, cmpOr(su.State, "active"), u.State)
		assert.Equal(t, [3]bool{su.Admin, su.Bot, su.External}, [3]bool{u.IsAdmin, u.Bot, u.External})
		ids := []map[string]string{}
		for _, id := range su.Identities {
			ids = append(ids, map[string]string{"provider": id.Provider, "extern_uid": id.ExternUID})
		}
		assert.Equal(t, ids, u.Identities)
		stored, _ := f.s.User(u.ID)
		assert.Equal(t, su.Password, stored.Password, "the password is stored as given")

		// The user's own token.
		code, who := whoAmI(su.Token)
		if su.State == "blocked" {
			assert.Equal(t, [2]any{403, `{"message":"403 Forbidden - Your account has been blocked."}`}, [2]any{code, who})
		} else {
			assert.Equal(t, [2]any{200, su.Username}, [2]any{code, who})
		}

		var attrs []struct{ Key, Value string }
		api(t, f, admin, "/users/"+strconv.FormatInt(u.ID, 10)+"/custom_attributes", &attrs)
		got := map[string]string{}
		for _, a := range attrs {
			got[a.Key] = a.Value
		}
		assert.Equal(t, len(su.CustomAttributes), len(got))
		for k, v := range su.CustomAttributes {
			assert.Equal(t, v, got[k], k)
		}

		var keys []struct{ Title, Key string }
		api(t, f, admin, "/users/"+strconv.FormatInt(u.ID, 10)+"/keys", &keys)
		require.Len(t, keys, len(su.SSHKeys))
		for j, k := range su.SSHKeys {
			assert.Equal(t, k.Title, keys[j].Title)
			assert.Equal(t, strings.Fields(k.Key)[:2], strings.Fields(keys[j].Key)[:2], "the key's type and blob")
		}
		var gpg []struct{ Key string }
		api(t, f, admin, "/users/"+strconv.FormatInt(u.ID, 10)+"/gpg_keys", &gpg)
		require.Len(t, gpg, len(su.GPGKeys))
		for j, k := range su.GPGKeys {
			assert.Equal(t, k.Key, gpg[j].Key)
		}

		var emails []testEmail
		api(t, f, admin, "/users/"+strconv.FormatInt(u.ID, 10)+"/emails", &emails)
		for _, e := range su.Emails {
			i := slices.IndexFunc(emails, func(x testEmail) bool { return x.Email == e.Email })
			require.GreaterOrEqual(t, i, 0, e.Email)
			assert.Equal(t, e.Confirmed, emails[i].ConfirmedAt != nil, e.Email)
		}

		// The tokens: the administrator's list has them all, impersonation
		// tokens included, and each secret authenticates unless revoked or
		// expired.
		var list []map[string]any
		api(t, f, admin, "/personal_access_tokens?per_page=100&user_id="+strconv.FormatInt(u.ID, 10), &list)
		for _, st := range su.Tokens {
			i := slices.IndexFunc(list, func(m map[string]any) bool { return m["name"] == st.Name })
			require.GreaterOrEqual(t, i, 0, st.Name)
			var scopes []string
			for _, s := range list[i]["scopes"].([]any) {
				scopes = append(scopes, s.(string))
			}
			assert.Equal(t, cmpSlice(st.Scopes, []string{"api"}), scopes, st.Name)
			assert.Equal(t, st.Revoked, list[i]["revoked"], st.Name)
			if st.ExpiresAt == "" {
				assert.Nil(t, list[i]["expires_at"], st.Name)
			} else {
				assert.Equal(t, st.ExpiresAt, list[i]["expires_at"], st.Name)
			}
			expired := st.ExpiresAt != "" && st.ExpiresAt <= today
			code, who := whoAmI(st.Token)
			switch {
			case st.Revoked:
				assert.Equal(t, [2]any{401, `{"error":"invalid_token","error_description":"Token was revoked. You have to re-authorize from the user."}`}, [2]any{code, who}, st.Name)
			case expired:
				assert.Equal(t, [2]any{401, `{"error":"invalid_token","error_description":"Token is expired. You can either do re-authorization or token refresh."}`}, [2]any{code, who}, st.Name)
			default:
				assert.Equal(t, [2]any{200, su.Username}, [2]any{code, who}, st.Name)
			}
			if st.Impersonation {
				var imp []struct{ Name string }
				api(t, f, admin, "/users/"+strconv.FormatInt(u.ID, 10)+"/impersonation_tokens", &imp)
				assert.Contains(t, imp, struct{ Name string }{st.Name})
			}
		}

		// Memberships: each group and project that lists the user.
		var ms []testMembership
		api(t, f, admin, "/users/"+strconv.FormatInt(u.ID, 10)+"/memberships", &ms)
		want := 0
		for kind, places := range map[string][]testPlace{"Namespace": seed.Groups, "Project": seed.Projects} {
			for _, p := range places {
				for _, m := range p.Members {
					if m.Username != su.Username {
						continue
					}
					want++
					i := slices.IndexFunc(ms, func(x testMembership) bool {
						return x.SourceType == kind && x.SourceName == cmpOr(p.Name, p.Path)
					})
					require.GreaterOrEqual(t, i, 0, "%s in %s", su.Username, p.Path)
					assert.Equal(t, m.AccessLevel, ms[i].AccessLevel)
					if kind == "Namespace" {
						groupID[fullPath(p.Parent, p.Path)] = ms[i].SourceID
					} else {
						projectID[fullPath(p.Group, p.Path)] = ms[i].SourceID
					}
				}
			}
		}
		assert.Len(t, ms, want, su.Username)
	}

	// Groups and projects are found by their full paths, and by the IDs
	// the memberships give.
	for _, g := range seed.Groups {
		full := fullPath(g.Parent, g.Path)
		code, body := call(t, f.s.URL+"/api/v4", admin, "GET", "/groups/"+url.PathEscape(full)+"/service_accounts")
		assert.Equal(t, 200, code, "%s: %s", full, body)
		code, _ = call(t, f.s.URL+"/api/v4", admin, "GET", "/groups/"+strconv.FormatInt(groupID[full], 10)+"/service_accounts")
		assert.Equal(t, 200, code, full)
		stored, ok := f.s.Group(groupID[full])
		require.True(t, ok, full)
		assert.Equal(t, [2]string{full, cmpOr(g.Visibility, "private")}, [2]string{stored.FullPath, stored.Visibility})
	}
	for _, p := range seed.Projects {
		full := fullPath(p.Group, p.Path)
		code, body := call(t, f.s.URL+"/api/v4", admin, "GET", "/projects/"+url.PathEscape(full)+"/service_accounts")
		assert.Equal(t, 200, code, "%s: %s", full, body)
		stored, ok := f.s.Project(projectID[full])
		require.True(t, ok, full)
		assert.Equal(t, [2]string{full, cmpOr(p.Visibility, "private")}, [2]string{stored.PathWithNamespace, stored.Visibility})
	}
	// Deploy keys, as the administrators' list shows them.
	var keys []struct {
		Title, Key string
		UsageType  string  `json:"usage_type"`
		ExpiresAt  *string `json:"expires_at"`
		Write      []struct {
			PathWithNamespace string `json:"path_with_namespace"`
		} `json:"projects_with_write_access"`
		Read []struct {
			PathWithNamespace string `json:"path_with_namespace"`
		} `json:"projects_with_readonly_access"`
	}
	api(t, f, admin, "/deploy_keys", &keys)
	require.Len(t, keys, len(seed.DeployKeys))
	for i, sk := range seed.DeployKeys {
		var write, read []string
		for _, p := range sk.Projects {
			if p.CanPush {
				write = append(write, p.Project)
			} else {
				read = append(read, p.Project)
			}
		}
		var gotWrite, gotRead []string
		for _, p := range keys[i].Write {
			gotWrite = append(gotWrite, p.PathWithNamespace)
		}
		for _, p := range keys[i].Read {
			gotRead = append(gotRead, p.PathWithNamespace)
		}
		assert.Equal(t, [4]any{sk.Title, sk.Key, write, read}, [4]any{keys[i].Title, keys[i].Key, gotWrite, gotRead})
		assert.Equal(t, cmpOr(sk.UsageType, "auth_and_signing"), keys[i].UsageType)
		if sk.ExpiresAt != "" {
			require.NotNil(t, keys[i].ExpiresAt)
			assert.True(t, strings.HasPrefix(*keys[i].ExpiresAt, sk.ExpiresAt), *keys[i].ExpiresAt)
		}
	}
	var public []struct{ Title string }
	api(t, f, admin, "/deploy_keys?public=true", &public)
	require.Len(t, public, 1)
	assert.Equal(t, "mirror", public[0].Title)

	code, _ := call(t, f.s.URL+"/api/v4", admin, "GET", "/groups/"+url.PathEscape("platform/nope")+"/service_accounts")
	assert.Equal(t, 404, code, "a group the seed does not have")
	assert.Equal(t, len(seed.Users)+1, f.s.UserCount())
}

func fullPath(parent, path string) string {
	if parent == "" {
		return path
	}
	return parent + "/" + path
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func cmpSlice(a, b []string) []string {
	if len(a) != 0 {
		return a
	}
	return b
}

// TestJSONLine: -json prints exactly one line, a JSON object with the
// URLs, the administrator's token and the process ID, and nothing else.
func TestJSONLine(t *testing.T) {
	f := start(t, "-json", "-seed", seedFile, "-users", "2")
	var line struct {
		URL        string `json:"url"`
		APIURL     string `json:"api_url"`
		AdminToken string `json:"admin_token"`
		PID        int    `json:"pid"`
	}
	out := f.stdout.String()
	require.Equal(t, 1, strings.Count(out, "\n"), out)
	require.True(t, strings.HasSuffix(out, "\n"), out)
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&line), out)
	assert.Equal(t, f.s.URL, line.URL)
	assert.Equal(t, f.s.URL+"/api/v4", line.APIURL)
	assert.Equal(t, f.s.AdminToken(), line.AdminToken)
	assert.Equal(t, os.Getpid(), line.PID)
	code, body := call(t, line.APIURL, line.AdminToken, "GET", "/user")
	assert.Equal(t, 200, code)
	assert.Contains(t, body, `"username":"root"`)
	assert.Equal(t, len(readSeed(t).Users)+3, f.s.UserCount(), "root, the seed's users, then -users 2")
}

// TestBadSeedsNameLineAndField: a seed that is not JSON, has an unknown
// field, a value of the wrong type or a semantic fault is refused with
// its line and field, and the server never becomes ready.
func TestBadSeedsNameLineAndField(t *testing.T) {
	good := `{"username": "alice", "token": "glpat-a"}`
	for _, c := range []struct {
		name, seed string
		extra      []string // more flags
		at         string   // the text on the faulty line (its first occurrence)
		path, says string
	}{
		{name: "syntax error", seed: "{\n  \"users\": [\n    {\"username\": \"a\" \"name\": \"b\"}\n  ]\n}",
			at: `"name": "b"`, says: `invalid character '"' after object key:value pair`},
		{name: "unknown field", seed: "{\"users\": [\n" + good + ",\n  {\"username\": \"bob\",\n   \"nmae\": \"Bob\"}]}",
			at: `"nmae"`, path: "users[1].nmae", says: `unknown field "nmae"`},
		{name: "unknown top-level field", seed: "{\"users\": [],\n \"runners\": []}",
			at: `"runners"`, path: "runners", says: `unknown field "runners"`},
		{name: "wrong type", seed: "{\"users\": [\n  {\"username\": \"a\",\n   \"admin\": \"yes\"}]}",
			at: `"yes"`, path: "users[0].admin", says: "got string, want true or false"},
		{name: "wrong type in a group", seed: "{\"users\": [" + good + "],\n\"groups\": [{\"path\": \"g\",\n \"members\": [{\"username\": \"alice\", \"access_level\": \"40\"}]}]}",
			at: `"40"`, path: "groups[0].members[0].access_level", says: "got string, want an integer"},
		{name: "not an object", seed: "\n[]", at: "[]", path: "", says: "got array, want an object"},
		{name: "duplicate username", seed: "{\"users\": [\n" + good + ",\n  {\"username\": \"ALICE\"}]}",
			at: `"ALICE"`, path: "users[1].username", says: "has already been taken"},
		{name: "root is taken", seed: "{\"users\": [\n  {\"username\": \"root\"}]}",
			at: `"root"`, path: "users[0].username", says: "has already been taken"},
		{name: "duplicate secret", seed: "{\"users\": [\n" + good + ",\n  {\"username\": \"bob\", \"tokens\": [\n    {\"name\": \"x\", \"token\": \"glpat-a\"}]}]}",
			at: `"x"`, path: "users[1].tokens[0].token", says: "is another token's secret"},
		{name: "the administrator's secret", seed: "{\"users\": [\n  {\"username\": \"a\", \"token\": \"glpat-admin\"}]}",
			extra: []string{"-token", "glpat-admin"}, at: `"glpat-admin"`, path: "users[0].token", says: "is another token's secret"},
		{name: "bad state", seed: "{\"users\": [\n  {\"username\": \"a\",\n   \"state\": \"asleep\"}]}",
			at: `"asleep"`, path: "users[0].state", says: "must be one of active, blocked, ldap_blocked, deactivated, banned, blocked_pending_approval"},
		{name: "bad date", seed: "{\"users\": [\n  {\"username\": \"a\", \"tokens\": [\n   {\"name\": \"t\",\n    \"expires_at\": \"31/01/2027\"}]}]}",
			at: `"31/01/2027"`, path: "users[0].tokens[0].expires_at", says: "is not a date (YYYY-MM-DD)"},
		{name: "unknown scope", seed: "{\"users\": [\n  {\"username\": \"a\", \"tokens\": [\n   {\"scopes\": [\"api\",\n \"everything\"]}]}]}",
			at: `"everything"`, path: "users[0].tokens[0].scopes[1]", says: `"everything" is not a scope GitLab knows`},
		{name: "unknown group", seed: "{\"projects\": [\n  {\"path\": \"api\",\n   \"group\": \"nowhere\"}]}",
			at: `"nowhere"`, path: "projects[0].group", says: "no group has this full path"},
		{name: "parent listed after", seed: "{\"groups\": [\n  {\"path\": \"sub\", \"parent\": \"top\"},\n  {\"path\": \"top\"}]}",
			at: `"top"`, path: "groups[0].parent", says: "no group has this full path"},
		{name: "unknown member", seed: "{\"groups\": [{\"path\": \"g\", \"members\": [\n  {\"username\": \"ghost\", \"access_level\": 30}]}]}",
			at: `"ghost"`, path: "groups[0].members[0].username", says: "no user has this username"},
		{name: "taken email", seed: "{\"users\": [\n" + good + ",\n  {\"username\": \"b\",\n   \"emails\": [{\"email\": \"ALICE@example.com\"}]}]}",
			at: `"ALICE@example.com"`, path: "users[1].emails[0].email", says: `"ALICE@example.com" has already been taken`},
		{name: "defaulted email taken", seed: "{\"users\": [\n  {\"username\": \"a\", \"email\": \"b@example.com\"},\n  {\"username\": \"b\"}]}",
			at: `"b"}`, path: "users[1].email", says: `"b@example.com" has already been taken`},
		{name: "deploy key in an unknown project", seed: "{\"deploy_keys\": [{\"title\": \"ci\", \"key\": \"" + gitlabtest.FakeSSHKey("ci") + "\",\n  \"projects\": [{\"project\": \"nowhere/api\"}]}]}",
			at: `"nowhere/api"`, path: "deploy_keys[0].projects[0].project", says: "no project has this full path"},
		{name: "deploy key not a key", seed: "{\"deploy_keys\": [\n  {\"title\": \"ci\", \"key\": \"ssh-rsa nope\"}]}",
			at: `"ssh-rsa nope"`, path: "deploy_keys[0].key", says: "is not an OpenSSH public key line"},
		{name: "deploy key of a user's key", seed: "{\"users\": [{\"username\": \"a\", \"ssh_keys\": [{\"title\": \"k\", \"key\": \"" + gitlabtest.FakeSSHKey("k") + "\"}]}],\n \"deploy_keys\": [{\"title\": \"ci\", \"key\": \"" + gitlabtest.FakeSSHKey("k") + "\"}]}",
			at: `"ci"`, path: "deploy_keys[0].key", says: "has already been taken (its fingerprint is another key's)"},
		{name: "empty file", seed: "", at: "", says: "the file is empty"},
		{name: "cut short", seed: "{\"users\": [\n  {\"username\": \"a\"", at: `"a"`, says: "unexpected end of file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "seed.json")
			require.NoError(t, os.WriteFile(path, []byte(c.seed), 0o600))
			ready := make(chan *gitlabtest.Server, 1)
			var stdout bytes.Buffer
			err := run(context.Background(), append([]string{"-seed", path}, c.extra...), &stdout, io.Discard, ready)
			require.Error(t, err)
			line := 1 + strings.Count(c.seed[:strings.Index(c.seed, c.at)], "\n")
			want := "-seed " + path + ": line " + strconv.Itoa(line) + ": "
			if c.path != "" {
				want += c.path + ": "
			}
			assert.Equal(t, want+c.says, err.Error())
			var se *gitlabtest.SeedError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, [2]any{line, c.path}, [2]any{se.Line, se.Path})
			assert.Empty(t, ready, "never ready")
			assert.Empty(t, stdout.String(), "nothing printed")
		})
	}
}

// TestResetRestoresTheSeed: POST /-/gitlabfake/reset with the
// administrator's token puts back the state the server was ready in;
// without the token it is 401, and other paths are 404.
func TestResetRestoresTheSeed(t *testing.T) {
	f := start(t, "-seed", seedFile, "-users", "2")
	admin := f.s.AdminToken()
	base := f.s.URL + "/api/v4"
	type brief struct {
		ID              int64
		Username, State string
	}
	users := func() []brief {
		var us []brief
		api(t, f, admin, "/users?per_page=100", &us)
		return us
	}
	before := users()
	require.Len(t, before, len(readSeed(t).Users)+3)

	// Change the state: block alice, add a user, revoke her ci token,
	// delete her SSH keys.
	code, _ := call(t, base, admin, "POST", "/users/2/block")
	require.Equal(t, 201, code)
	code, body := call(t, base, admin, "POST", "/users?username=zed&name=Zed&email=zed@example.com&password=correct-horse-battery-staple-9")
	require.Equal(t, 201, code, body)
	for _, tok := range f.s.PersonalTokens(2) {
		if tok.Token == "glpat-alice-ci-0002" {
			code, _ = call(t, base, admin, "DELETE", "/personal_access_tokens/"+strconv.FormatInt(tok.ID, 10))
			require.Equal(t, 204, code)
		}
	}
	code, _ = call(t, base, "glpat-alice-ci-0002", "GET", "/user")
	require.Equal(t, 401, code, "revoked")
	for _, k := range f.s.SSHKeys(2) {
		code, _ = call(t, base, admin, "DELETE", "/users/2/keys/"+strconv.FormatInt(k.ID, 10))
		require.Equal(t, 204, code)
	}
	require.NotEqual(t, before, users())

	for _, c := range []struct{ token, method, path, answer string }{
		{"", "POST", "/-/gitlabfake/reset", `401 {"message":"401 Unauthorized"}`},
		{"glpat-wrong", "POST", "/-/gitlabfake/reset", `401 {"message":"401 Unauthorized"}`},
		{"glpat-alice-seed-0001", "POST", "/-/gitlabfake/reset", `401 {"message":"401 Unauthorized"}`}, // a user's token
		{admin, "GET", "/-/gitlabfake/reset", `404 {"error":"404 Not Found"}`},
		{admin, "POST", "/-/gitlabfake/other", `404 {"error":"404 Not Found"}`},
		{admin, "POST", "/-/gitlabfake/reset/more", `404 {"error":"404 Not Found"}`},
	} {
		code, body := call(t, f.s.URL, c.token, c.method, c.path)
		assert.Equal(t, c.answer, strconv.Itoa(code)+" "+body, "%s %s", c.method, c.path)
	}
	require.NotEqual(t, before, users(), "refused resets change nothing")

	code, body = call(t, f.s.URL, admin, "POST", "/-/gitlabfake/reset")
	require.Equal(t, "204 ", strconv.Itoa(code)+" "+body)
	assert.Equal(t, before, users(), "the seed's users and the -users ones, with their IDs and states")
	code, _ = call(t, base, "glpat-alice-ci-0002", "GET", "/user")
	assert.Equal(t, 200, code, "the revoked token is back")
	assert.Len(t, f.s.SSHKeys(2), 2, "so are the keys")
	code, _ = call(t, base, admin, "GET", "/users/"+strconv.Itoa(len(before)+1))
	assert.Equal(t, 404, code, "the added user is gone")
	code, _ = call(t, base, admin, "GET", "/user")
	assert.Equal(t, 200, code, "the administrator's token stays")
}

// buildBinary builds the command into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "gitlabfake")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, string(out))
	return bin
}

// TestBinary runs the built command: it stops on SIGTERM within a second
// with status 0, and a bad seed makes it exit 2 without serving.
func TestBinary(t *testing.T) {
	bin := buildBinary(t)

	t.Run("SIGTERM", func(t *testing.T) {
		cmd := exec.Command(bin, "-json", "-seed", seedFile)
		stdout, err := cmd.StdoutPipe()
		require.NoError(t, err)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start())
		t.Cleanup(func() { _ = cmd.Process.Kill() })
		r := bufio.NewReader(stdout)
		line, err := r.ReadString('\n')
		require.NoError(t, err, "no ready line")
		var ready struct {
			APIURL     string `json:"api_url"`
			AdminToken string `json:"admin_token"`
			PID        int    `json:"pid"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &ready), line)
		assert.Equal(t, cmd.Process.Pid, ready.PID)

		// A client that keeps its connection open does not hold the
		// server up.
		keepAlive := &http.Client{}
		req, _ := http.NewRequest("GET", ready.APIURL+"/user", nil)
		req.Header.Set("PRIVATE-TOKEN", ready.AdminToken)
		resp, err := keepAlive.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		require.Equal(t, 200, resp.StatusCode)

		require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
		exited := make(chan error, 1)
		go func() {
			rest, _ := io.ReadAll(r)
			assert.Empty(t, string(rest), "one line on stdout")
			exited <- cmd.Wait()
		}()
		select {
		case err := <-exited:
			require.NoError(t, err, "exit status 0")
			assert.Empty(t, stderr.String())
		case <-time.After(time.Second):
			t.Fatal("still running a second after SIGTERM")
		}
		_, err = http.Get(ready.APIURL + "/version")
		assert.Error(t, err, "nothing listens any more")
	})

	t.Run("bad seed", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "seed.json")
		require.NoError(t, os.WriteFile(path, []byte("{\"users\": [\n  {\"username\": \"a\", \"admn\": true}]}"), 0o600))
		cmd := exec.Command(bin, "-json", "-seed", path)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit)
		assert.Equal(t, 2, exit.ExitCode())
		assert.Empty(t, stdout.String())
		assert.Equal(t, "gitlabfake: -seed "+path+`: line 2: users[0].admn: unknown field "admn"`+"\n", stderr.String())
	})
}

func TestRunServesGeneratedUsers(t *testing.T) {
	f := start(t, "-users", "3", "-token", "secret-admin")
	code, body := call(t, f.s.URL+"/api/v4", "secret-admin", "GET", "/users?per_page=100")
	require.Equal(t, 200, code)
	var users []map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &users))
	assert.Len(t, users, 4)
	out := f.stdout.String()
	assert.Contains(t, out, "GitLab fake serving at "+f.s.URL+" (API "+f.s.URL+"/api/v4)\n")
	assert.Contains(t, out, "admin token: secret-admin\n")
	assert.Contains(t, out, "reset: POST "+f.s.URL+"/-/gitlabfake/reset with the admin token\n")
}

// -gitlab-com makes the fake answer as GitLab.com: LDAP exists only on
// self-managed instances, so ldap_sync is 404 there and 202 here.
func TestGitLabComFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		want int
	}{{nil, 202}, {[]string{"-gitlab-com"}, 404}} {
		f := start(t, append(c.args, "-token", "secret-admin")...)
		code, body := call(t, f.s.URL+"/api/v4", "secret-admin", "POST", "/groups?path=g&name=g")
		require.Equal(t, 201, code, body)
		code, body = call(t, f.s.URL+"/api/v4", "secret-admin", "POST", "/groups/g/ldap_sync")
		assert.Equal(t, c.want, code, "%q: %s", c.args, body)
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-users", "-1"}, {"-nope"}, {"-seed", "testdata/missing.json"}, {"-addr", "256.0.0.1:0"}} {
		var stdout bytes.Buffer
		err := run(context.Background(), args, &stdout, io.Discard, nil)
		assert.Error(t, err, args)
		assert.False(t, errors.Is(err, flag.ErrHelp), args)
		assert.Empty(t, stdout.String(), args)
	}
}

// -h prints the usage and is reported as flag.ErrHelp, which main treats
// as success (exit 0).
func TestHelp(t *testing.T) {
	var stderr strings.Builder
	err := run(context.Background(), []string{"-h"}, io.Discard, &stderr, nil)
	require.ErrorIs(t, err, flag.ErrHelp)
	for _, f := range []string{"-addr", "-users", "-token", "-seed", "-json"} {
		assert.Contains(t, stderr.String(), f)
	}
}
