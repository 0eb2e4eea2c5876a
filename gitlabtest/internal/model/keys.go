package model

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// SSH and GPG keys: the validations of app/models/key.rb and
// app/models/gpg_key.rb, the look-ups of lib/api/keys.rb and
// app/finders/keys_finder.rb.

// The usage types of an SSH key (Key#usage_type).
const (
	UsageAuth           = "auth"
	UsageSigning        = "signing"
	UsageAuthAndSigning = "auth_and_signing"
)

// SSHKeySpec is a new SSH key as POST /user/keys and /users/:id/keys
// receive it.
type SSHKeySpec struct {
	Title string
	Key   string
	// UsageType is one of the Usage* constants; empty is the column's
	// default, auth_and_signing.
	UsageType string
	// ExpiresAt is nil for a key that never expires.
	ExpiresAt *time.Time
}

// CreateSSHKey is Keys::CreateService: it stores spec's key for u after
// the Key model's validations (app/models/key.rb): the key must parse
// (else neither it nor its fingerprint is valid), the title must be
// present and at most 255 characters, the SHA256 fingerprint must be
// unique among every user's keys, and expires_at must be in the future.
func (st *Store) CreateSSHKey(u *User, spec SSHKeySpec, now time.Time) (*SSHKey, error) {
	var fe Errors
	fp, valid := SSHFingerprint(spec.Key)
	if !valid {
		fe.Add("key", "is invalid")
		fe.Add("fingerprint_sha256", "cannot be generated")
	}
	if blank(spec.Title) {
		fe.Add("title", "can't be blank")
	} else if tooLong(spec.Title, 255) {
		fe.Add("title", "is too long (maximum is 255 characters)")
	}
	if valid && st.sshKeyWith(func(k *SSHKey) bool { return k.Fingerprint == fp }) != nil {
		fe.Add("fingerprint_sha256", "has already been taken")
	}
	if spec.ExpiresAt != nil && !spec.ExpiresAt.After(now) {
		fe.Add("expires_at", "must be in the future")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if spec.UsageType == "" {
		spec.UsageType = UsageAuthAndSigning
	}
	return st.AddSSHKey(u.ID, spec.Title, spec.Key, spec.UsageType, spec.ExpiresAt, now), nil
}

// sshKeyWith returns the key of least ID that match accepts, scanning
// every user's keys.
func (st *Store) sshKeyWith(match func(*SSHKey) bool) *SSHKey {
	for _, k := range st.SSHKeys(0) {
		if match(k) {
			return k
		}
	}
	return nil
}

// FindSSHKey is Key.find of GET /keys/:id: any user's key, or
// ActiveRecord::RecordNotFound.
func (st *Store) FindSSHKey(id int64) (*SSHKey, error) {
	if k := st.keys[id]; k != nil {
		return k, nil
	}
	return nil, recordNotFound()
}

var md5FingerprintRe = regexp.MustCompile(`^([0-9a-fA-F]{2}:){15}[0-9a-fA-F]{2}`)

// SSHKeyByFingerprint is GET /keys?fingerprint= (KeysFinder): a
// fingerprint starting "SHA256:" or "sha256:" with 32 bytes of Base64
// is compared with the stored SHA256 fingerprint; anything else must be
// MD5 hex pairs, compared exactly (GitLab stores them lower-case). A
// malformed one is refused with "Failed to return the key"
// (KeysFinder::InvalidFingerprint), an unknown one with 404 Key.
func (st *Store) SSHKeyByFingerprint(fp string) (*SSHKey, error) {
	bad := refused(BadRequest, "Failed to return the key")
	var match func(k *SSHKey) bool
	if rest, ok := strings.CutPrefix(fp, "SHA256:"); ok || strings.HasPrefix(fp, "sha256:") {
		if !ok {
			rest = fp[len("sha256:"):]
		}
		want := strings.TrimRight(rest, "=")
		raw, err := base64.RawStdEncoding.DecodeString(want)
		if err != nil || len(raw) != sha256.Size {
			return nil, bad
		}
		match = func(k *SSHKey) bool { return strings.TrimPrefix(k.Fingerprint, "SHA256:") == want }
	} else {
		if !md5FingerprintRe.MatchString(fp) {
			return nil, bad
		}
		match = func(k *SSHKey) bool { return SSHMD5Fingerprint(k.Key) == fp }
	}
	if k := st.sshKeyWith(match); k != nil {
		return k, nil
	}
	return nil, notFound("Key")
}

// SSHFingerprint parses an OpenSSH public key line and returns the
// SHA256 fingerprint of its blob.
func SSHFingerprint(key string) (string, bool) {
	f := strings.Fields(key)
	if len(f) < 2 {
		return "", false
	}
	switch f[0] {
	case "ssh-rsa", "ssh-dss", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
		"sk-ecdsa-sha2-nistp256@openssh.com", "sk-ssh-ed25519@openssh.com":
	default:
		return "", false
	}
	blob, err := base64.StdEncoding.DecodeString(f[1])
	if err != nil || len(blob) < 8 {
		return "", false
	}
	// The blob starts with the key type as an SSH string.
	n := int(blob[0])<<24 | int(blob[1])<<16 | int(blob[2])<<8 | int(blob[3])
	if n != len(f[0]) || 4+n > len(blob) || string(blob[4:4+n]) != f[0] {
		return "", false
	}
	sum := sha256.Sum256(blob)
	return "SHA256:" + strings.TrimRight(base64.StdEncoding.EncodeToString(sum[:]), "="), true
}

// SSHMD5Fingerprint is the MD5 fingerprint of a public key line's blob,
// "aa:bb:...", as ssh-keygen -l -E md5 prints it (without "MD5:"); ""
// when the line has no blob.
func SSHMD5Fingerprint(key string) string {
	f := strings.Fields(key)
	if len(f) < 2 {
		return ""
	}
	blob, err := base64.StdEncoding.DecodeString(f[1])
	if err != nil {
		return ""
	}
	sum := md5.Sum(blob)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = hex.EncodeToString([]byte{b})
	}
	return strings.Join(parts, ":")
}

// CreateGPGKey is GpgKeys::CreateService: it stores key for u after the
// GpgKey model's validations (app/models/gpg_key.rb): the key must be
// an armored PGP public key block, and its fingerprint (and so its
// primary key ID) must be unique among every user's keys.
func (st *Store) CreateGPGKey(u *User, key string, now time.Time) (*GPGKey, error) {
	var fe Errors
	if !GPGKeyValid(key) {
		fe.Add("key", "does not appear to be a valid PGP public key")
		return nil, fe.Err()
	}
	fp := GPGFingerprint(key)
	for _, k := range st.GPGKeys(0) {
		if GPGFingerprint(k.Key) == fp {
			fe.Add("fingerprint", "has already been taken")
			fe.Add("primary_keyid", "has already been taken")
			return nil, fe.Err()
		}
	}
	return st.AddGPGKey(u.ID, key, now), nil
}

// RevokeGPGKey is GpgKey#revoke: it unverifies the key's signatures
// (the fake keeps none) and destroys the key.
func (st *Store) RevokeGPGKey(k *GPGKey) { st.DeleteGPGKey(k.ID) }

// GPGKeyValid reports whether k is an armored PGP public key block.
func GPGKeyValid(k string) bool {
	k = strings.TrimSpace(k)
	return strings.HasPrefix(k, "-----BEGIN PGP PUBLIC KEY BLOCK-----") && strings.HasSuffix(k, "-----END PGP PUBLIC KEY BLOCK-----")
}

// GPGFingerprint is the fake's fingerprint of an armored key: the first
// 20 bytes of the SHA256 of its text without white space, in hex.
func GPGFingerprint(k string) string {
	sum := sha256.Sum256([]byte(strings.Join(strings.Fields(k), "")))
	return fmt.Sprintf("%X", sum[:20])
}
