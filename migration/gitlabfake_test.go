package migration

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientgo "gitlab.com/gitlab-org/api/client-go/v2"
)

// This file is the client-go recipe of docs/testing-with-gitlabfake.md: a
// client-go program tested against the gitlabfake binary, seeded from
// docs/recipes/seed.json and reset between tests, as a test in any
// language would do it. A Go test can also start gitlabtest in-process
// (clientgo_test.go); the binary is for sharing one seed file across
// languages, or for keeping this module out of a project's go.mod.

// offboard is the code under test: it removes a user's SSH keys and
// active personal access tokens, then blocks the user.
func offboard(ctx context.Context, cg *clientgo.Client, username string) error {
	users, _, err := cg.Users.ListUsers(&clientgo.ListUsersOptions{Username: clientgo.Ptr(username)}, clientgo.WithContext(ctx))
	if err != nil {
		return err
	}
	if len(users) != 1 {
		return fmt.Errorf("%d users named %q", len(users), username)
	}
	u := users[0]
	keys, _, err := cg.Users.ListSSHKeysForUser(u.ID, nil, clientgo.WithContext(ctx))
	if err != nil {
		return err
	}
	for _, k := range keys {
		if _, err := cg.Users.DeleteSSHKeyForUser(u.ID, k.ID, clientgo.WithContext(ctx)); err != nil {
			return err
		}
	}
	tokens, _, err := cg.PersonalAccessTokens.ListPersonalAccessTokens(&clientgo.ListPersonalAccessTokensOptions{
		UserID: clientgo.Ptr(u.ID), State: clientgo.Ptr("active"),
	}, clientgo.WithContext(ctx))
	if err != nil {
		return err
	}
	for _, tok := range tokens {
		if _, err := cg.PersonalAccessTokens.RevokePersonalAccessTokenByID(tok.ID, clientgo.WithContext(ctx)); err != nil {
			return err
		}
	}
	_, err = cg.Users.BlockUser(u.ID, clientgo.WithContext(ctx))
	return err
}

// onboard is the code under test: it gives a user a level in a group,
// adding the member or updating their level.
func onboard(ctx context.Context, cg *clientgo.Client, username, group string, level clientgo.AccessLevelValue) error {
	users, _, err := cg.Users.ListUsers(&clientgo.ListUsersOptions{Username: clientgo.Ptr(username)}, clientgo.WithContext(ctx))
	if err != nil {
		return err
	}
	if len(users) != 1 {
		return fmt.Errorf("%d users named %q", len(users), username)
	}
	u := users[0]
	_, resp, err := cg.GroupMembers.GetGroupMember(group, u.ID, clientgo.WithContext(ctx))
	switch {
	case err == nil:
		_, _, err = cg.GroupMembers.EditGroupMember(group, u.ID, &clientgo.EditGroupMemberOptions{AccessLevel: clientgo.Ptr(level)}, clientgo.WithContext(ctx))
	case resp != nil && resp.StatusCode == http.StatusNotFound:
		_, _, err = cg.GroupMembers.AddGroupMember(group, &clientgo.AddGroupMemberOptions{UserID: clientgo.Ptr(u.ID), AccessLevel: clientgo.Ptr(level)}, clientgo.WithContext(ctx))
	}
	return err
}

// ciKey is an SSH key the tests add to alice through the API.
const ciKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPbl8fEz4WtOzblxxM5JwwinWTDNiuUE4WSWQoI9FpyC alice-ci"

func TestGitlabfakeWithClientGo(t *testing.T) {
	fake := startGitlabfake(t, filepath.Join("..", "docs", "recipes", "seed.json"))
	cg, err := clientgo.NewClient(fake.AdminToken, clientgo.WithBaseURL(fake.APIURL))
	require.NoError(t, err)
	ctx := t.Context()
	alice := func(t *testing.T) *clientgo.User {
		users, _, err := cg.Users.ListUsers(&clientgo.ListUsersOptions{Username: clientgo.Ptr("alice")}, clientgo.WithContext(ctx))
		require.NoError(t, err)
		require.Len(t, users, 1)
		return users[0]
	}
	keyTitles := func(t *testing.T, id int64) []string {
		keys, _, err := cg.Users.ListSSHKeysForUser(id, nil, clientgo.WithContext(ctx))
		require.NoError(t, err)
		titles := []string{}
		for _, k := range keys {
			titles = append(titles, k.Title)
		}
		return titles
	}

	t.Run("seed", func(t *testing.T) {
		resetGitlabfake(t, fake)
		a := alice(t)
		assert.Equal(t, "active", a.State)
		assert.Equal(t, []string{"laptop"}, keyTitles(t, a.ID))
		attr, _, err := cg.CustomAttribute.GetCustomUserAttribute(a.ID, "team", clientgo.WithContext(ctx))
		require.NoError(t, err)
		assert.Equal(t, "platform", attr.Value)

		asAlice, err := clientgo.NewClient("glpat-alice-secret-0001", clientgo.WithBaseURL(fake.APIURL))
		require.NoError(t, err)
		me, _, err := asAlice.Users.CurrentUser(clientgo.WithContext(ctx))
		require.NoError(t, err, "the seeded secret authenticates")
		assert.Equal(t, "alice", me.Username)
	})

	t.Run("offboard", func(t *testing.T) {
		resetGitlabfake(t, fake)
		a := alice(t)
		// Seed more through the client.
		_, _, err := cg.Users.AddSSHKeyForUser(a.ID, &clientgo.AddSSHKeyOptions{Title: clientgo.Ptr("ci"), Key: clientgo.Ptr(ciKey)}, clientgo.WithContext(ctx))
		require.NoError(t, err)
		_, _, err = cg.Users.CreateImpersonationToken(a.ID, &clientgo.CreateImpersonationTokenOptions{
			Name: clientgo.Ptr("support"), Scopes: &[]string{"api"}, ExpiresAt: clientgo.Ptr(time.Now().AddDate(0, 0, 30)),
		}, clientgo.WithContext(ctx))
		require.NoError(t, err)

		require.NoError(t, offboard(ctx, cg, "alice"))

		assert.Equal(t, "blocked", alice(t).State)
		assert.Empty(t, keyTitles(t, a.ID))
		active, _, err := cg.PersonalAccessTokens.ListPersonalAccessTokens(&clientgo.ListPersonalAccessTokensOptions{
			UserID: clientgo.Ptr(a.ID), State: clientgo.Ptr("active"),
		}, clientgo.WithContext(ctx))
		require.NoError(t, err)
		assert.Empty(t, active)
		asCI, err := clientgo.NewClient("glpat-alice-ci-0002", clientgo.WithBaseURL(fake.APIURL))
		require.NoError(t, err)
		_, resp, err := asCI.Users.CurrentUser(clientgo.WithContext(ctx))
		require.Error(t, err, "a revoked seeded token still authenticates")
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	})

	t.Run("onboard", func(t *testing.T) {
		resetGitlabfake(t, fake)
		// Set up the tree through the client: payments, payments/backend,
		// payments/backend/ledger.
		group, _, err := cg.Groups.CreateGroup(&clientgo.CreateGroupOptions{Name: clientgo.Ptr("Payments"), Path: clientgo.Ptr("payments")}, clientgo.WithContext(ctx))
		require.NoError(t, err)
		sub, _, err := cg.Groups.CreateGroup(&clientgo.CreateGroupOptions{
			Name: clientgo.Ptr("Backend"), Path: clientgo.Ptr("backend"), ParentID: clientgo.Ptr(group.ID),
		}, clientgo.WithContext(ctx))
		require.NoError(t, err)
		project, _, err := cg.Projects.CreateProject(&clientgo.CreateProjectOptions{Name: clientgo.Ptr("ledger"), NamespaceID: clientgo.Ptr(sub.ID)}, clientgo.WithContext(ctx))
		require.NoError(t, err)
		assert.Equal(t, "payments/backend/ledger", project.PathWithNamespace)
		a := alice(t)
		asAlice, err := clientgo.NewClient("glpat-alice-secret-0001", clientgo.WithBaseURL(fake.APIURL))
		require.NoError(t, err)
		_, resp, err := asAlice.Projects.GetProject(project.ID, nil, clientgo.WithContext(ctx))
		require.Error(t, err, "alice reads the project before she is a member")
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)

		require.NoError(t, onboard(ctx, cg, "alice", "payments", clientgo.DeveloperPermissions))

		// The creator (root) is the group's owner; alice is a direct member
		// of payments and inherits her level in the subgroup and its project.
		levels := func(members []*clientgo.GroupMember, err error) map[string]clientgo.AccessLevelValue {
			require.NoError(t, err)
			m := map[string]clientgo.AccessLevelValue{}
			for _, member := range members {
				m[member.Username] = member.AccessLevel
			}
			return m
		}
		direct := func(gid int64) ([]*clientgo.GroupMember, error) {
			members, _, err := cg.Groups.ListGroupMembers(gid, nil, clientgo.WithContext(ctx))
			return members, err
		}
		effective := func(gid int64) ([]*clientgo.GroupMember, error) {
			members, _, err := cg.Groups.ListAllGroupMembers(gid, nil, clientgo.WithContext(ctx))
			return members, err
		}
		owner, developer, maintainer := clientgo.OwnerPermissions, clientgo.DeveloperPermissions, clientgo.MaintainerPermissions
		assert.Equal(t, map[string]clientgo.AccessLevelValue{"root": owner, "alice": developer}, levels(direct(group.ID)))
		assert.Equal(t, map[string]clientgo.AccessLevelValue{"root": owner}, levels(direct(sub.ID)))
		assert.Equal(t, map[string]clientgo.AccessLevelValue{"root": owner, "alice": developer}, levels(effective(sub.ID)))
		inherited, _, err := cg.ProjectMembers.GetInheritedProjectMember(project.ID, a.ID, clientgo.WithContext(ctx))
		require.NoError(t, err)
		assert.Equal(t, developer, inherited.AccessLevel)
		_, _, err = asAlice.Projects.GetProject(project.ID, nil, clientgo.WithContext(ctx))
		require.NoError(t, err, "alice reads the project as a member")

		require.NoError(t, onboard(ctx, cg, "alice", "payments", maintainer)) // a second run updates the level
		member, _, err := cg.GroupMembers.GetGroupMember(group.ID, a.ID, clientgo.WithContext(ctx))
		require.NoError(t, err)
		assert.Equal(t, maintainer, member.AccessLevel)
		inherited, _, err = cg.ProjectMembers.GetInheritedProjectMember(project.ID, a.ID, clientgo.WithContext(ctx))
		require.NoError(t, err)
		assert.Equal(t, maintainer, inherited.AccessLevel)

		_, err = cg.GroupMembers.RemoveGroupMember(group.ID, a.ID, nil, clientgo.WithContext(ctx)) // offboarding
		require.NoError(t, err)
		assert.Equal(t, map[string]clientgo.AccessLevelValue{"root": owner}, levels(effective(sub.ID)))
		_, resp, err = asAlice.Projects.GetProject(project.ID, nil, clientgo.WithContext(ctx))
		require.Error(t, err, "alice reads the project after her removal")
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	})

	t.Run("a reset restores the seed", func(t *testing.T) {
		// offboard blocked alice and deleted her keys; the reset undoes
		// that, so the key offboard added can be added again without a
		// 400 "has already been taken".
		resetGitlabfake(t, fake)
		a := alice(t)
		assert.Equal(t, "active", a.State)
		assert.Equal(t, []string{"laptop"}, keyTitles(t, a.ID))
		_, _, err := cg.Users.AddSSHKeyForUser(a.ID, &clientgo.AddSSHKeyOptions{Title: clientgo.Ptr("ci"), Key: clientgo.Ptr(ciKey)}, clientgo.WithContext(ctx))
		require.NoError(t, err)
	})
}

// fakeReady is the line gitlabfake -json prints when it is ready.
type fakeReady struct {
	URL        string `json:"url"`
	APIURL     string `json:"api_url"`
	AdminToken string `json:"admin_token"`
	PID        int    `json:"pid"`
}

// startGitlabfake runs gitlabfake -json -seed seed until the test ends
// and returns its ready line.
func startGitlabfake(t *testing.T, seed string) fakeReady {
	t.Helper()
	cmd := exec.Command(gitlabfakeBinary(t), "-json", "-seed", seed)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM) // gitlabfake stops cleanly
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	require.NoError(t, err, "gitlabfake exited before it was ready")
	var ready fakeReady
	require.NoError(t, json.Unmarshal(line, &ready), "ready line %q", line)
	return ready
}

// resetGitlabfake restores the state gitlabfake had right after loading
// its seed.
func resetGitlabfake(t *testing.T, fake fakeReady) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, fake.URL+"/-/gitlabfake/reset", nil)
	require.NoError(t, err)
	req.Header.Set("PRIVATE-TOKEN", fake.AdminToken)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
}

// gitlabfakeBinary returns $GITLABFAKE, or a gitlabfake built from this
// repository (../cmd/gitlabfake, through go.mod's replace).
func gitlabfakeBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("GITLABFAKE"); bin != "" {
		return bin
	}
	bin := filepath.Join(t.TempDir(), "gitlabfake")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/gitlabusers/gitlab/cmd/gitlabfake").CombinedOutput()
	require.NoError(t, err, "go build:\n%s", out)
	return bin
}
