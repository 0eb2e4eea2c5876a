package model

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deployWorld is a tree with projects a, b and c in group other: maint
// is a Maintainer of a and b, jane of b and c, dev a Developer of a.
type deployWorld struct {
	tree
	a, b, c *Project
}

func newDeployWorld(t *testing.T) deployWorld {
	w := deployWorld{tree: newTree(t)}
	w.a = w.st.AddProject(ProjectSpec{Path: "a", GroupID: w.other.ID}, now)
	w.b = w.st.AddProject(ProjectSpec{Path: "b", GroupID: w.other.ID}, now)
	w.c = w.st.AddProject(ProjectSpec{Path: "c", GroupID: w.other.ID}, now)
	w.add(w.maint, ProjectSource(w.a.ID), AccessMaintainer, nil)
	w.add(w.maint, ProjectSource(w.b.ID), AccessMaintainer, nil)
	w.add(w.jane, ProjectSource(w.b.ID), AccessMaintainer, nil)
	w.add(w.jane, ProjectSource(w.c.ID), AccessOwner, nil)
	w.add(w.dev, ProjectSource(w.a.ID), AccessDeveloper, nil)
	return w
}

func (w deployWorld) key(title string, projects ...int64) *DeployKey {
	var links []DeployKeyProject
	for _, id := range projects {
		links = append(links, DeployKeyProject{ProjectID: id})
	}
	return w.st.AddDeployKey(DeployKeySpec{Title: title, Key: testKey(title), Projects: links}, now)
}

// testKey is a well-formed ed25519 public key line made of seed.
func testKey(seed string) string {
	blob := append([]byte{0, 0, 0, 11}, "ssh-ed25519"...)
	blob = append(blob, 0, 0, 0, 32)
	for i := range 32 {
		blob = append(blob, seed[i%len(seed)])
	}
	return "ssh-ed25519 " + base64.StdEncoding.EncodeToString(blob) + " " + seed + "@example.com"
}

func keyTitles(rows []EnabledKey) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Key.Title)
	}
	return out
}

func TestDeployKeyFingerprintsComputedFromKey(t *testing.T) {
	w := newDeployWorld(t)
	k := w.key("deploy", w.a.ID)
	sha, ok := SSHFingerprint(k.Key)
	require.True(t, ok)
	assert.Equal(t, sha, k.FingerprintSHA256)
	assert.Equal(t, SSHMD5Fingerprint(k.Key), k.Fingerprint)
	assert.Regexp(t, `^([0-9a-f]{2}:){15}[0-9a-f]{2}$`, k.Fingerprint)
	assert.Equal(t, UsageAuthAndSigning, k.UsageType, "the column's default")
}

func TestDeployKeyIDsShareTheKeysSequence(t *testing.T) {
	w := newDeployWorld(t)
	ssh := w.st.AddSSHKey(w.jane.ID, "mine", testKey("mine"), UsageAuth, nil, now)
	k := w.key("deploy")
	assert.Equal(t, ssh.ID+1, k.ID)
}

func TestDeployKeysOfCommonProjectsOnly(t *testing.T) {
	w := newDeployWorld(t)
	w.key("in-a", w.a.ID)
	w.key("in-b", w.b.ID)
	w.key("in-c", w.c.ID)
	rows, err := w.st.ProjectDeployKeys(w.maint, w.jane, now)
	require.NoError(t, err)
	assert.Equal(t, []string{"in-b"}, keyTitles(rows), "b is the only project both maintain")

	rows, err = w.st.ProjectDeployKeys(w.jane, w.jane, now)
	require.NoError(t, err)
	assert.Equal(t, []string{"in-b", "in-c"}, keyTitles(rows), "for themself, every project they maintain")
}

func TestDeployKeyInTwoProjectsListedTwice(t *testing.T) {
	w := newDeployWorld(t)
	both := w.key("both", w.a.ID, w.b.ID)
	rows, err := w.st.ProjectDeployKeys(w.maint, w.maint, now)
	require.NoError(t, err)
	assert.Equal(t, []EnabledKey{{both, w.a.ID}, {both, w.b.ID}}, rows, "no DISTINCT")
}

func TestDeployKeysNoCommonProjectForbidden(t *testing.T) {
	w := newDeployWorld(t)
	_, err := w.st.ProjectDeployKeys(w.dev, w.maint, now)
	refusedAs(t, err, Forbidden, "No common authorized project found")
	_, err = w.st.ProjectDeployKeys(w.dev, w.dev, now)
	refusedAs(t, err, Forbidden, "No common authorized project found")
}

func TestDeployKeysAdminAccessDoesNotCount(t *testing.T) {
	w := newDeployWorld(t)
	w.key("in-a", w.a.ID)
	_, err := w.st.ProjectDeployKeys(w.admin, w.maint, now)
	refusedAs(t, err, Forbidden, "No common authorized project found")
}

func TestDeployKeysThroughInheritedAndExpiringRoles(t *testing.T) {
	w := newDeployWorld(t)
	w.key("in-api", w.proj.ID)
	rows, err := w.st.ProjectDeployKeys(w.owner, w.owner, now)
	require.NoError(t, err)
	assert.Equal(t, []string{"in-api"}, keyTitles(rows), "Owner of the project's ancestor group")

	w.add(w.dev, GroupSource(w.sub.ID), AccessMaintainer, ptr(now.AddDate(0, 0, 1)))
	rows, err = w.st.ProjectDeployKeys(w.owner, w.dev, now)
	require.NoError(t, err)
	assert.Equal(t, []string{"in-api"}, keyTitles(rows))
	_, err = w.st.ProjectDeployKeys(w.owner, w.dev, now.AddDate(0, 0, 2))
	refusedAs(t, err, Forbidden, "No common authorized project found")
}

func TestDeployKeysAnonymousFails(t *testing.T) {
	w := newDeployWorld(t)
	_, err := w.st.ProjectDeployKeys(nil, w.maint, now)
	assert.Equal(t, Internal, asError(t, err).Kind)
}

func TestDeployKeysPublicFilter(t *testing.T) {
	w := newDeployWorld(t)
	private := w.key("private", w.a.ID)
	public := w.st.AddDeployKey(DeployKeySpec{Title: "public", Key: testKey("public"), Public: true}, now)
	assert.Equal(t, []*DeployKey{private, public}, w.st.DeployKeys(false))
	assert.Equal(t, []*DeployKey{public}, w.st.DeployKeys(true))
}

func TestDeployKeysOutliveCreatorNotProject(t *testing.T) {
	w := newDeployWorld(t)
	k := w.st.AddDeployKey(DeployKeySpec{Title: "k", Key: testKey("k"), UserID: w.jane.ID,
		Projects: []DeployKeyProject{{ProjectID: w.b.ID, CanPush: true}, {ProjectID: w.a.ID}}}, now)
	assert.Equal(t, []DeployKeyProject{{ProjectID: w.a.ID}, {ProjectID: w.b.ID, CanPush: true}}, k.Projects, "ordered by project")
	w.st.DeleteUser(w.jane.ID)
	assert.Zero(t, k.UserID)
	require.NoError(t, w.st.DeleteProject(w.admin, w.a, false, "", now))
	require.NoError(t, w.st.DeleteProject(w.admin, w.a, true, w.a.PathWithNamespace, now))
	assert.Equal(t, []DeployKeyProject{{ProjectID: w.b.ID, CanPush: true}}, k.Projects)
}
