package conformance

import (
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"github.com/gitlabusers/gitlab/gitlabtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gitlab "gitlab.com/gitlab-org/api/client-go/v2"
)

// publishable is an SSH key as GitLab renders it (Key#publishable_key):
// the comment replaced by "<user name> (<host>)".
func (e *env) publishable(key, name string) string {
	f := strings.Fields(key)
	u, err := url.Parse(e.s.URL)
	require.NoError(e.t, err)
	return f[0] + " " + f[1] + " " + name + " (" + u.Hostname() + ")"
}

// lib/api/users.rb, resource :user, keys: list, add (201, the comment
// rewritten; 400 for a missing title or a taken fingerprint, from
// app/models/key.rb's validations), get (404 Key for another user's key)
// and delete (204).
func TestSSHKeysOfCurrentUser(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane", Name: "Jane Doe"})
	bobID, _ := e.user(gitlabtest.UserSpec{Username: "bob"})
	bobKey := e.s.AddSSHKey(bobID, "bob", gitlabtest.FakeSSHKey("bob"))
	key := gitlabtest.FakeSSHKey("jane")

	k, resp, err := jane.Users.AddSSHKey(&gitlab.AddSSHKeyOptions{Title: gitlab.Ptr("laptop"), Key: gitlab.Ptr(key), UsageType: gitlab.Ptr("auth")})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "laptop", k.Title)
	assert.Equal(t, "auth", k.UsageType)
	assert.Equal(t, e.publishable(key, "Jane Doe"), k.Key)
	stored := e.s.SSHKeys(janeID)
	require.Len(t, stored, 1)
	assert.Equal(t, k.ID, stored[0].ID)
	assert.Equal(t, key, stored[0].Key)

	_, _, err = jane.Users.AddSSHKey(&gitlab.AddSSHKeyOptions{Key: gitlab.Ptr(gitlabtest.FakeSSHKey("other"))})
	e.refused(err, 400, `{"error":"title is missing"}`)
	_, _, err = jane.Users.AddSSHKey(&gitlab.AddSSHKeyOptions{Title: gitlab.Ptr("again"), Key: gitlab.Ptr(key)})
	e.refused(err, 400, `{"message":{"fingerprint_sha256":["has already been taken"]}}`)

	keys, _, err := jane.Users.ListSSHKeys(nil)
	require.NoError(t, err)
	require.Len(t, keys, 1)
	assert.Equal(t, k.ID, keys[0].ID)

	got, _, err := jane.Users.GetSSHKey(k.ID)
	require.NoError(t, err)
	assert.Equal(t, k.Key, got.Key)
	_, _, err = jane.Users.GetSSHKey(bobKey)
	e.refused(err, 404, `{"message":"404 Key Not Found"}`)

	resp, err = jane.Users.DeleteSSHKey(k.ID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	assert.Empty(t, e.s.SSHKeys(janeID))
	_, err = jane.Users.DeleteSSHKey(k.ID)
	e.refused(err, 404, `{"message":"404 Key Not Found"}`)
}

// lib/api/users.rb, resource :users, keys: anyone may list a user's keys
// (by ID or username) and get one; adding and deleting are for
// administrators.
func TestSSHKeysForUser(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane", Name: "Jane"})
	bobID, _ := e.user(gitlabtest.UserSpec{Username: "bob"})
	bobKey := e.s.AddSSHKey(bobID, "bob", gitlabtest.FakeSSHKey("bob"))
	key := gitlabtest.FakeSSHKey("jane")

	k, resp, err := e.admin.Users.AddSSHKeyForUser(janeID, &gitlab.AddSSHKeyOptions{Title: gitlab.Ptr("ci"), Key: gitlab.Ptr(key)})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "auth_and_signing", k.UsageType, "the default usage type")
	require.Len(t, e.s.SSHKeys(janeID), 1)
	_, _, err = jane.Users.AddSSHKeyForUser(bobID, &gitlab.AddSSHKeyOptions{Title: gitlab.Ptr("x"), Key: gitlab.Ptr(gitlabtest.FakeSSHKey("x"))})
	e.refused(err, 403, `{"message":"403 Forbidden"}`)

	anon := e.client("")
	keys, _, err := anon.Users.ListSSHKeysForUser("JANE", nil)
	require.NoError(t, err)
	require.Len(t, keys, 1)
	assert.Equal(t, e.publishable(key, "Jane"), keys[0].Key)
	_, _, err = anon.Users.ListSSHKeysForUser("nobody", nil)
	e.refused(err, 404, `{"message":"404 User Not Found"}`)

	got, _, err := anon.Users.GetSSHKeyForUser(janeID, k.ID)
	require.NoError(t, err)
	assert.Equal(t, "ci", got.Title)
	_, _, err = anon.Users.GetSSHKeyForUser(janeID, bobKey)
	e.refused(err, 404, `{"message":"404 Key Not Found"}`)

	_, err = jane.Users.DeleteSSHKeyForUser(janeID, k.ID)
	e.refused(err, 403, `{"message":"403 Forbidden"}`)
	resp, err = e.admin.Users.DeleteSSHKeyForUser(janeID, k.ID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	assert.Empty(t, e.s.SSHKeys(janeID))
}

// lib/api/keys.rb and app/finders/keys_finder.rb: a key by ID or by
// SHA256 fingerprint with its user (UserPublic: email, no is_admin);
// administrators only; 404 "Not found" (Key.find) by ID, 404 Key by
// fingerprint, 400 for a malformed fingerprint.
func TestKeys(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	key := gitlabtest.FakeSSHKey("jane")
	keyID := e.s.AddSSHKey(janeID, "laptop", key)

	k, resp, err := e.admin.Keys.GetKeyWithUser(keyID)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "laptop", k.Title)
	assert.Equal(t, janeID, k.User.ID)
	assert.Equal(t, "jane@example.com", k.User.Email)
	_, _, err = e.admin.Keys.GetKeyWithUser(999)
	e.refused(err, 404, `{"message":"404 Not found"}`)
	_, _, err = jane.Keys.GetKeyWithUser(keyID)
	e.refused(err, 403, `{"message":"403 Forbidden"}`)

	k, _, err = e.admin.Keys.GetKeyByFingerprint(&gitlab.GetKeyByFingerprintOptions{Fingerprint: "SHA256:" + sha256Fingerprint(t, key)})
	require.NoError(t, err)
	assert.Equal(t, keyID, k.ID)
	assert.Equal(t, "jane", k.User.Username)
	_, _, err = e.admin.Keys.GetKeyByFingerprint(&gitlab.GetKeyByFingerprintOptions{Fingerprint: "SHA256:" + sha256Fingerprint(t, gitlabtest.FakeSSHKey("none"))})
	e.refused(err, 404, `{"message":"404 Key Not Found"}`)
	_, _, err = e.admin.Keys.GetKeyByFingerprint(&gitlab.GetKeyByFingerprintOptions{Fingerprint: "SHA256:short"})
	e.refused(err, 400, `{"message":"Failed to return the key"}`)
}

// sha256Fingerprint is ssh-keygen -l -E sha256 without its prefix.
func sha256Fingerprint(t *testing.T, key string) string {
	blob, err := base64.StdEncoding.DecodeString(strings.Fields(key)[1])
	require.NoError(t, err)
	sum := sha256.Sum256(blob)
	return base64.RawStdEncoding.EncodeToString(sum[:])
}

// lib/api/users.rb, resource :user, gpg_keys: add answers one GpgKey
// (201), get and delete refuse another user's key with 404 GPG Key.
func TestGPGKeysOfCurrentUser(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	bobID, _ := e.user(gitlabtest.UserSpec{Username: "bob"})
	bobKey := e.s.AddGPGKey(bobID, gitlabtest.FakeGPGKey("bob"))
	key := gitlabtest.FakeGPGKey("jane")

	k, resp, err := jane.Users.AddGPGKey(&gitlab.AddGPGKeyOptions{Key: gitlab.Ptr(key)})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, key, k.Key)
	stored := e.s.GPGKeys(janeID)
	require.Len(t, stored, 1)
	assert.Equal(t, k.ID, stored[0].ID)
	_, _, err = jane.Users.AddGPGKey(&gitlab.AddGPGKeyOptions{})
	e.refused(err, 400, `{"error":"key is missing"}`)

	keys, _, err := jane.Users.ListGPGKeys()
	require.NoError(t, err)
	require.Len(t, keys, 1)
	assert.Equal(t, k.ID, keys[0].ID)

	got, _, err := jane.Users.GetGPGKey(k.ID)
	require.NoError(t, err)
	assert.Equal(t, key, got.Key)
	_, _, err = jane.Users.GetGPGKey(bobKey)
	e.refused(err, 404, `{"message":"404 GPG Key Not Found"}`)

	resp, err = jane.Users.DeleteGPGKey(k.ID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	assert.Empty(t, e.s.GPGKeys(janeID))
	_, err = jane.Users.DeleteGPGKey(bobKey)
	e.refused(err, 404, `{"message":"404 GPG Key Not Found"}`)
}

// lib/api/users.rb, resource :users, gpg_keys: listing and getting need
// no authentication; adding and deleting are for administrators.
func TestGPGKeysForUser(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	key := gitlabtest.FakeGPGKey("jane")

	k, resp, err := e.admin.Users.AddGPGKeyForUser(janeID, &gitlab.AddGPGKeyOptions{Key: gitlab.Ptr(key)})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	require.Len(t, e.s.GPGKeys(janeID), 1)
	_, _, err = jane.Users.AddGPGKeyForUser(1, &gitlab.AddGPGKeyOptions{Key: gitlab.Ptr(gitlabtest.FakeGPGKey("x"))})
	e.refused(err, 403, `{"message":"403 Forbidden"}`)
	_, _, err = e.admin.Users.AddGPGKeyForUser(999, &gitlab.AddGPGKeyOptions{Key: gitlab.Ptr(gitlabtest.FakeGPGKey("y"))})
	e.refused(err, 404, `{"message":"404 User Not Found"}`)

	anon := e.client("")
	keys, _, err := anon.Users.ListGPGKeysForUser(janeID)
	require.NoError(t, err)
	require.Len(t, keys, 1)
	assert.Equal(t, k.ID, keys[0].ID)
	got, _, err := anon.Users.GetGPGKeyForUser(janeID, k.ID)
	require.NoError(t, err)
	assert.Equal(t, key, got.Key)
	_, _, err = anon.Users.GetGPGKeyForUser(janeID, 999)
	e.refused(err, 404, `{"message":"404 GPG Key Not Found"}`)

	resp, err = e.admin.Users.DeleteGPGKeyForUser(janeID, k.ID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	assert.Empty(t, e.s.GPGKeys(janeID))
}
