package gitlabtest_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// LoadSeed reads cmd/gitlabfake's sample seed in a Go test: its secrets
// authenticate through the SDK.
func TestLoadSeedSampleFile(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer()
	defer s.Close()
	f, err := os.Open("../cmd/gitlabfake/testdata/seed.json")
	require.NoError(t, err)
	defer f.Close()
	require.NoError(t, s.LoadSeed(f))

	u, _, err := s.ClientFor("glpat-alice-ci-0002", gitlab.WithoutRetries()).Users.Current(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "alice", u.Username)
	alice, ok := s.UserByUsername("alice")
	require.True(t, ok)
	assert.Equal(t, "wonderland-rabbit-hole-42", alice.Password)
	assert.Equal(t, map[string]string{"team": "platform", "cost_center": "cc-1042"}, alice.CustomAttributes)
	assert.Len(t, s.SSHKeys(alice.ID), 2)
}

// LoadSeed stores all or nothing: a seed whose last part is wrong leaves
// the server as it was, and one that clashes with the server's state is
// refused like one that clashes with itself.
func TestLoadSeedAllOrNothing(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer()
	defer s.Close()
	janeID, _ := s.CreateUser(gitlabtest.UserSpec{Username: "jane", Token: "glpat-jane"})
	gid := s.CreateGroup(gitlabtest.GroupSpec{Path: "ops"})

	err := s.LoadSeed(strings.NewReader(`{"users": [{"username": "a", "token": "glpat-a"},
		{"username": "b", "tokens": [{"token": "glpat-jane"}]}]}`))
	var se *gitlabtest.SeedError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, gitlabtest.SeedError{Line: 2, Path: "users[1].tokens[0].token", Problem: "is another token's secret"}, *se)
	assert.Equal(t, 2, s.UserCount(), "nothing stored")
	_, ok := s.UserByUsername("a")
	assert.False(t, ok)

	err = s.LoadSeed(strings.NewReader(`{"users": [{"username": "Jane"}]}`))
	assert.EqualError(t, err, "line 1: users[0].username: has already been taken")

	// A seed may build on what the server holds: a group and a user.
	require.NoError(t, s.LoadSeed(strings.NewReader(`{
		"users": [{"username": "a", "token": "glpat-a"}],
		"groups": [{"path": "web", "parent": "ops", "members": [{"username": "jane", "access_level": 30}]}],
		"projects": [{"path": "site", "group": "ops/web", "members": [{"username": "a", "access_level": 40}]}]}`)))
	jane, _ := s.User(janeID)
	require.Len(t, jane.Memberships, 1)
	web, ok := s.Group(jane.Memberships[0].SourceID)
	require.True(t, ok)
	assert.Equal(t, [2]any{"ops/web", gid}, [2]any{web.FullPath, web.ParentID})
	a, _ := s.UserByUsername("a")
	require.Len(t, a.Memberships, 1)
	site, _ := s.Project(a.Memberships[0].SourceID)
	assert.Equal(t, "ops/web/site", site.PathWithNamespace)

	// Secrets are compared as they are, usernames ignoring case.
	require.NoError(t, s.LoadSeed(strings.NewReader(`{"users": [{"username": "b", "token": "glpat-A"}]}`)))
	err = s.LoadSeed(strings.NewReader(`{"users": [{"username": "B", "token": "glpat-B"}]}`))
	assert.EqualError(t, err, "line 1: users[0].username: has already been taken")
}

// A chosen secret is the token's value; a taken one is a mistake in the
// test's setup.
func TestSeedingWithChosenSecrets(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer(gitlabtest.WithAdminToken("glpat-admin"))
	defer s.Close()
	id, tok := s.CreateUser(gitlabtest.UserSpec{Username: "jane", Token: "glpat-jane-chosen"})
	assert.Equal(t, "glpat-jane-chosen", tok)
	tid, tok := s.CreateToken(id, gitlabtest.TokenSpec{Name: "ci", Token: "glpat-jane-ci"})
	assert.Equal(t, "glpat-jane-ci", tok)
	snap, _ := s.Token(tid)
	assert.Equal(t, "glpat-jane-ci", snap.Token)
	for _, secret := range []string{"glpat-jane-chosen", "glpat-jane-ci"} {
		u, _, err := s.ClientFor(secret, gitlab.WithoutRetries()).Users.Current(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "jane", u.Username)
	}
	assert.PanicsWithValue(t, "gitlabtest: CreateToken: the token secret is another token's", func() {
		s.CreateToken(id, gitlabtest.TokenSpec{Token: "glpat-admin"})
	})
	assert.PanicsWithValue(t, "gitlabtest: CreateUser: the token secret is another token's", func() {
		s.CreateUser(gitlabtest.UserSpec{Username: "joe", Token: "glpat-jane-ci"})
	})
	_, ok := s.UserByUsername("joe")
	assert.False(t, ok, "nothing stored")
}

// Reset puts back NewServer's state and runs the setup again; a setup
// that fails keeps the old state.
func TestReset(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer(gitlabtest.WithAdminToken("glpat-admin"))
	defer s.Close()
	setup := func(s *gitlabtest.Server) error {
		s.CreateUser(gitlabtest.UserSpec{Username: "jane", Token: "glpat-jane"})
		return s.LoadSeed(strings.NewReader(`{"users": [{"username": "joe"}]}`))
	}
	require.NoError(t, s.Reset(setup))
	c := s.Client(gitlab.WithoutRetries())
	ctx := context.Background()
	_, _, err := c.Users.Create(ctx, &gitlab.CreateUserOptions{Username: gitlab.Ptr("extra"), Name: gitlab.Ptr("Extra"),
		Email: gitlab.Ptr("extra@example.com"), Password: gitlab.Ptr("correct-horse-battery-staple-9")})
	require.NoError(t, err)
	_, err = c.Users.Block(ctx, 2)
	require.NoError(t, err)
	require.Equal(t, 4, s.UserCount())

	require.NoError(t, s.Reset(setup))
	var names []string
	for _, u := range s.Users() {
		names = append(names, u.Username+":"+string(u.State))
	}
	assert.Equal(t, []string{"root:active", "jane:active", "joe:active"}, names, "IDs 1, 2, 3 again")
	u, _, err := s.ClientFor("glpat-jane", gitlab.WithoutRetries()).Users.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(2), u.ID)
	u, _, err = c.Users.Current(ctx)
	require.NoError(t, err, "the administrator's token stays")
	assert.Equal(t, "root", u.Username)

	err = s.Reset(func(s *gitlabtest.Server) error {
		s.CreateUser(gitlabtest.UserSpec{Username: "half"})
		return s.LoadSeed(strings.NewReader(`{"users": [{"username": "ROOT"}]}`))
	})
	assert.EqualError(t, err, "line 1: users[0].username: has already been taken")
	assert.Equal(t, 3, s.UserCount(), "the old state is kept")
	require.NoError(t, s.Reset(nil))
	assert.Equal(t, 1, s.UserCount())
}

// Requests running while the server resets see the old state or the new
// one (run with -race).
func TestResetWhileServing(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer()
	defer s.Close()
	setup := func(s *gitlabtest.Server) error { s.GenerateUsers(20); return nil }
	require.NoError(t, s.Reset(setup))
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := s.Client(gitlab.WithoutRetries())
			for range 20 {
				us, resp, err := c.Users.List(context.Background(), &gitlab.ListUsersOptions{ListOptions: gitlab.ListOptions{PerPage: 100}})
				if assert.NoError(t, err) {
					assert.Len(t, us, 21)
					assert.Equal(t, 21, resp.TotalItems)
				}
			}
		}()
	}
	for range 10 {
		require.NoError(t, s.Reset(setup))
	}
	wg.Wait()
}

// The reset route is off by default: GitLab's routes only. With
// WithResetRoute, only the administrator's token resets, and a failing
// setup is a 500 that keeps the state.
func TestResetRoute(t *testing.T) {
	t.Parallel()
	plain := gitlabtest.NewServer()
	defer plain.Close()
	code, body := rawCall(t, plain.URL+"/-/gitlabfake/reset", "POST", plain.AdminToken())
	assert.Equal(t, `404 {"error":"404 Not Found"}`, code+" "+body)

	fail := false
	s := gitlabtest.NewServer(gitlabtest.WithResetRoute(func(s *gitlabtest.Server) error {
		s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
		if fail {
			return gitlab.ErrConflict
		}
		return nil
	}))
	defer s.Close()
	s.GenerateUsers(3)
	code, body = rawCall(t, s.URL+"/-/gitlabfake/reset", "POST", "")
	assert.Equal(t, `401 {"message":"401 Unauthorized"}`, code+" "+body)
	assert.Equal(t, 4, s.UserCount())
	code, body = rawCall(t, s.URL+"/-/gitlabfake/reset", "POST", s.AdminToken())
	assert.Equal(t, "204 ", code+" "+body)
	assert.Equal(t, 2, s.UserCount(), "root and the setup's jane")
	fail = true
	code, body = rawCall(t, s.URL+"/-/gitlabfake/reset", "POST", s.AdminToken())
	assert.Equal(t, `500 {"message":"`+gitlab.ErrConflict.Error()+`"}`, code+" "+body)
	assert.Equal(t, 2, s.UserCount())
	assert.Equal(t, 0, s.RequestCount(), "not an API request")
}

// rawCall sends one request to u, outside the API, and returns the
// status and the body.
func rawCall(t *testing.T, u, method, token string) (string, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("PRIVATE-TOKEN", token)
	}
	resp, err := fakeHTTP.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return strconv.Itoa(resp.StatusCode), string(b)
}
