package model

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// aliceKey is an Ed25519 public key line; ssh-keygen -l prints the
// fingerprints below for it.
const (
	aliceKey    = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICTTew8jF2hcSyypSSBS6lN5t+c4qy8xm7L2mb5Tgt0q alice@example.com"
	aliceSHA256 = "SHA256:hcasVrJKm9aA5J2B32BvEgkF0iDIo06P8RT9TaHMA8g"
	aliceMD5    = "c9:db:0c:bb:20:c4:96:e6:c0:0f:8d:be:b8:93:6a:31"
	// bobKey differs from aliceKey in its last blob byte.
	bobKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICTTew8jF2hcSyypSSBS6lN5t+c4qy8xm7L2mb5Tgt0r bob@example.com"
)

func TestSSHFingerprints(t *testing.T) {
	fp, ok := SSHFingerprint(aliceKey)
	assert.True(t, ok)
	assert.Equal(t, aliceSHA256, fp)
	assert.Equal(t, aliceMD5, SSHMD5Fingerprint(aliceKey))
	for _, bad := range []string{"", "ssh-ed25519", "ssh-foo AAAAC3NzaC1lZDI1NTE5AAAAICTTew8j", "ssh-rsa " + strings.Fields(aliceKey)[1], "ssh-ed25519 !!!"} {
		fp, ok := SSHFingerprint(bad)
		assert.False(t, ok, bad)
		assert.Empty(t, fp, bad)
	}
	assert.Empty(t, SSHMD5Fingerprint("ssh-ed25519"))
}

// TestCreateSSHKey holds the Key model's validations: each case is
// refused with exactly its messages and stores nothing.
func TestCreateSSHKey(t *testing.T) {
	st, _, users := newTestStore(t, "alice", "bob")
	alice, bob := users[0], users[1]
	later := now.Add(time.Hour)
	k, err := st.CreateSSHKey(alice, SSHKeySpec{Title: "laptop", Key: aliceKey, ExpiresAt: &later}, now)
	require.NoError(t, err)
	assert.Equal(t, SSHKey{ID: 1, UserID: alice.ID, Title: "laptop", Key: aliceKey, Fingerprint: aliceSHA256,
		UsageType: UsageAuthAndSigning, CreatedAt: now, ExpiresAt: &later}, *k)

	cases := map[string]struct {
		spec SSHKeySpec
		want map[string][]string
	}{
		"unparsable key": {SSHKeySpec{Title: "t", Key: "ssh-ed25519 nope"},
			map[string][]string{"key": {"is invalid"}, "fingerprint_sha256": {"cannot be generated"}}},
		"blank title": {SSHKeySpec{Title: " \t", Key: bobKey}, map[string][]string{"title": {"can't be blank"}}},
		"long title": {SSHKeySpec{Title: strings.Repeat("é", 256), Key: bobKey},
			map[string][]string{"title": {"is too long (maximum is 255 characters)"}}},
		// The fingerprint is of the blob: another comment, another user,
		// the same key.
		"key of another user": {SSHKeySpec{Title: "t", Key: strings.Replace(aliceKey, "alice@", "bob@", 1)},
			map[string][]string{"fingerprint_sha256": {"has already been taken"}}},
		"expires now": {SSHKeySpec{Title: "t", Key: bobKey, ExpiresAt: &now},
			map[string][]string{"expires_at": {"must be in the future"}}},
		"everything": {SSHKeySpec{Title: "", Key: "x", ExpiresAt: PtrTime(now.Add(-time.Second))}, map[string][]string{
			"key": {"is invalid"}, "fingerprint_sha256": {"cannot be generated"},
			"title": {"can't be blank"}, "expires_at": {"must be in the future"}}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			k, err := st.CreateSSHKey(bob, tc.spec, now)
			assert.Nil(t, k)
			invalidAs(t, err, tc.want)
			assert.Len(t, st.SSHKeys(0), 1)
		})
	}

	k, err = st.CreateSSHKey(bob, SSHKeySpec{Title: strings.Repeat("é", 255), Key: bobKey, UsageType: UsageSigning}, now)
	require.NoError(t, err)
	assert.Equal(t, int64(2), k.ID)
	assert.Equal(t, UsageSigning, k.UsageType)
	assert.Nil(t, k.ExpiresAt)
	assert.Equal(t, []*SSHKey{k}, st.SSHKeys(bob.ID))
}

// TestDeleteSSHKey: a key is found only through its owner, and once
// deleted its fingerprint may be used again.
func TestDeleteSSHKey(t *testing.T) {
	st, _, users := newTestStore(t, "alice", "bob")
	alice, bob := users[0], users[1]
	k, err := st.CreateSSHKey(alice, SSHKeySpec{Title: "t", Key: aliceKey}, now)
	require.NoError(t, err)
	_, ok := st.SSHKeyOf(bob.ID, k.ID)
	assert.False(t, ok)
	got, ok := st.SSHKeyOf(alice.ID, k.ID)
	assert.True(t, ok)
	assert.Same(t, k, got)

	st.DeleteSSHKey(k.ID)
	assert.Nil(t, st.SSHKey(k.ID))
	assert.Empty(t, st.SSHKeys(alice.ID))
	k2, err := st.CreateSSHKey(bob, SSHKeySpec{Title: "t", Key: aliceKey}, now)
	require.NoError(t, err)
	assert.Equal(t, int64(2), k2.ID)
}

func TestFindSSHKey(t *testing.T) {
	st, _, users := newTestStore(t, "alice")
	k, err := st.CreateSSHKey(users[0], SSHKeySpec{Title: "t", Key: aliceKey}, now)
	require.NoError(t, err)
	got, err := st.FindSSHKey(k.ID)
	require.NoError(t, err)
	assert.Same(t, k, got)

	_, err = st.FindSSHKey(k.ID + 1)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, &Error{Kind: NotFound, Record: true}, e)
}

// TestSSHKeyByFingerprint holds KeysFinder's parsing of a fingerprint.
func TestSSHKeyByFingerprint(t *testing.T) {
	st, _, users := newTestStore(t, "alice", "bob")
	_, err := st.CreateSSHKey(users[0], SSHKeySpec{Title: "a", Key: aliceKey}, now)
	require.NoError(t, err)
	bob, err := st.CreateSSHKey(users[1], SSHKeySpec{Title: "b", Key: bobKey}, now)
	require.NoError(t, err)
	bobFP := strings.TrimPrefix(bob.Fingerprint, "SHA256:")

	for _, fp := range []string{bob.Fingerprint, "sha256:" + bobFP, bob.Fingerprint + "=", SSHMD5Fingerprint(bobKey)} {
		k, err := st.SSHKeyByFingerprint(fp)
		require.NoError(t, err, fp)
		assert.Equal(t, bob.ID, k.ID, fp)
	}
	for _, fp := range []string{"SHA256:" + bobFP[:20], "Sha256:" + bobFP, "SHA256:!!", "md5", aliceMD5[:20], ""} {
		_, err := st.SSHKeyByFingerprint(fp)
		refusedAs(t, err, BadRequest, "Failed to return the key")
		assert.True(t, err.(*Error).Service, fp)
	}
	// MD5 fingerprints are compared exactly, and GitLab stores them
	// lower-case.
	for _, fp := range []string{strings.ToUpper(aliceMD5), "00" + aliceMD5[2:], "SHA256:" + strings.Repeat("A", 43)} {
		_, err := st.SSHKeyByFingerprint(fp)
		refusedAs(t, err, NotFound, "Key")
		assert.False(t, err.(*Error).Service, fp)
	}
}

// testGPGKey is an armored block the fake accepts, derived from seed.
func testGPGKey(seed string) string {
	return "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n" + seed + "\n-----END PGP PUBLIC KEY BLOCK-----"
}

func TestCreateGPGKey(t *testing.T) {
	st, _, users := newTestStore(t, "alice", "bob")
	alice, bob := users[0], users[1]
	k, err := st.CreateGPGKey(alice, testGPGKey("mQINBF"), now)
	require.NoError(t, err)
	assert.Equal(t, GPGKey{ID: 1, UserID: alice.ID, Key: testGPGKey("mQINBF"), CreatedAt: now}, *k)

	_, err = st.CreateGPGKey(bob, "mQINBF", now)
	invalidAs(t, err, map[string][]string{"key": {"does not appear to be a valid PGP public key"}})
	_, err = st.CreateGPGKey(bob, "-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQINBF", now)
	invalidAs(t, err, map[string][]string{"key": {"does not appear to be a valid PGP public key"}})
	// The same key with other white space is the same fingerprint, for
	// any user.
	_, err = st.CreateGPGKey(bob, "  "+strings.ReplaceAll(testGPGKey("mQINBF"), "\n", "\r\n")+"\n", now)
	invalidAs(t, err, map[string][]string{"fingerprint": {"has already been taken"}, "primary_keyid": {"has already been taken"}})
	assert.Len(t, st.GPGKeys(0), 1)

	// Revoking removes the key, and its fingerprint is free again.
	st.RevokeGPGKey(k)
	assert.Nil(t, st.GPGKey(k.ID))
	k2, err := st.CreateGPGKey(bob, testGPGKey("mQINBF"), now)
	require.NoError(t, err)
	assert.Equal(t, int64(2), k2.ID)
	assert.Equal(t, bob.ID, k2.UserID)
}
