package gitlabtest

import (
	"cmp"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// SSH keys of the current user (resource :user) and of any user
// (resource :users), from lib/api/users.rb; see
// https://docs.gitlab.com/api/user_keys/. Listing, getting and deleting
// one are sshKeyKind's (h_owned.go).

func createKey(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		key, title := v.require("key"), v.require("title")
		expires := v.optTime("expires_at")
		usage := valueOr(v.optValue("usage_type", "auth", "signing", "auth_and_signing"), "auth_and_signing")
		u, fail := c.owner(v, o)
		if fail != nil {
			return *fail
		}
		var fe fieldErrs
		fp, valid := model.SSHFingerprint(key)
		if !valid {
			fe.add("key", "is invalid")
			fe.add("fingerprint_sha256", "cannot be generated")
		}
		if strings.TrimSpace(title) == "" {
			fe.add("title", "can't be blank")
		} else if len(title) > 255 {
			fe.add("title", "is too long (maximum is 255 characters)")
		}
		if valid {
			for _, k := range c.s.st.SSHKeys(0) {
				if k.Fingerprint == fp {
					fe.add("fingerprint_sha256", "has already been taken")
					break
				}
			}
		}
		if expires != nil && !expires.After(c.now) {
			fe.add("expires_at", "must be in the future")
		}
		if fail := fe.check(); fail != nil {
			return *fail
		}
		return reply(http.StatusCreated, c.sshKeyJSON(c.s.st.AddSSHKey(u.ID, title, key, usage, expires, c.now)))
	}
}

// The /keys API (lib/api/keys.rb, app/finders/keys_finder.rb): any SSH
// key by ID or by fingerprint, with its owner as UserPublic.

// keyWithUserJSON is Entities::SSHKeyWithUser.
func (c *reqCtx) keyWithUserJSON(k *sshKey) *obj {
	o := c.sshKeyJSON(k)
	if u := c.s.st.User(k.UserID); u != nil {
		o.set("user", c.userJSON(u, lvlPublic, false))
	}
	return o
}

// hGetKeyWithUser is GET /keys/:id: administrators only; an unknown ID
// is Key.find's 404 "Not found".
func hGetKeyWithUser(c *reqCtx) answer {
	v := c.validate()
	id := v.pathID("id")
	if fail := cmp.Or(v.check(), c.requireAdmin()); fail != nil {
		return *fail
	}
	k := c.s.st.SSHKey(id)
	if k == nil {
		return reply(http.StatusNotFound, msg("404 Not found"))
	}
	return reply(http.StatusOK, c.keyWithUserJSON(k))
}

var md5FingerprintRe = regexp.MustCompile(`^([0-9a-fA-F]{2}:){15}[0-9a-fA-F]{2}`)

// hKeyByFingerprint is GET /keys?fingerprint=: administrators (and
// auditors) only. "SHA256:"/"sha256:" and 32 bytes of Base64 are
// compared with the stored SHA256 fingerprint; anything else must be
// MD5 hex pairs, compared exactly (GitLab stores them lower-case).
func hKeyByFingerprint(c *reqCtx) answer {
	v := c.validate()
	fp := v.require("fingerprint")
	if fail := v.check(); fail != nil {
		return *fail
	}
	if !c.admin() {
		return forbidden("")
	}
	bad := reply(http.StatusBadRequest, msg("Failed to return the key"))
	var match func(k *sshKey) bool
	if rest, ok := strings.CutPrefix(fp, "SHA256:"); ok || strings.HasPrefix(fp, "sha256:") {
		if !ok {
			rest = fp[len("sha256:"):]
		}
		raw, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(rest, "="))
		if err != nil || len(raw) != sha256.Size {
			return bad
		}
		want := strings.TrimRight(rest, "=")
		match = func(k *sshKey) bool { return strings.TrimPrefix(k.Fingerprint, "SHA256:") == want }
	} else {
		if !md5FingerprintRe.MatchString(fp) {
			return bad
		}
		match = func(k *sshKey) bool { return sshMD5Fingerprint(k.Key) == fp }
	}
	for _, k := range c.s.st.SSHKeys(0) {
		if match(k) {
			return reply(http.StatusOK, c.keyWithUserJSON(k))
		}
	}
	return notFound("Key")
}

// ownedListAll returns every key by ascending ID.
func ownedListAll(m map[int64]*sshKey) []*sshKey {
	out := make([]*sshKey, 0, len(m))
	for _, k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b *sshKey) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// sshMD5Fingerprint is the MD5 fingerprint of a public key line's blob,
// "aa:bb:...", as ssh-keygen -l -E md5 prints it (without "MD5:").
func sshMD5Fingerprint(key string) string {
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
