package gitlabtest

import (
	"net/http"
	"strings"
	"time"
)

// SSH keys of the current user (resource :user) and of any user
// (resource :users), from lib/api/users.rb; see
// https://docs.gitlab.com/api/user_keys/.

func (c *reqCtx) listKeys(u *user) {
	page, ok := paginate(c, c.s.st.userKeys(u.ID), false)
	if !ok {
		return
	}
	res := make([]*obj, 0, len(page))
	for _, k := range page {
		res = append(res, c.sshKeyJSON(k))
	}
	c.json(http.StatusOK, res)
}

func hListOwnKeys(c *reqCtx) { c.listKeys(c.viewer) }

func hListUserKeys(c *reqCtx) {
	u := c.findUser(c.vars["user_id"])
	if u == nil {
		c.notFound("User")
		return
	}
	c.listKeys(u)
}

// ownedKey finds key :key_id of u; it answers 404 Key otherwise.
func (c *reqCtx) ownedKey(u *user) *sshKey {
	id, ok := c.pathID("key_id")
	if !ok {
		return nil
	}
	k := c.s.st.keys[id]
	if k == nil || k.UserID != u.ID {
		c.notFound("Key")
		return nil
	}
	return k
}

func hGetOwnKey(c *reqCtx) {
	if k := c.ownedKey(c.viewer); k != nil {
		c.json(http.StatusOK, c.sshKeyJSON(k))
	}
}

func hGetUserKey(c *reqCtx) {
	u := c.pathUser()
	if u == nil {
		return
	}
	if k := c.ownedKey(u); k != nil {
		c.json(http.StatusOK, c.sshKeyJSON(k))
	}
}

// keyParams validates POST .../keys parameters.
func (c *reqCtx) keyParams() (key, title string, expires *time.Time, usage string, ok bool) {
	v := c.validate()
	key = v.require("key")
	title = v.require("title")
	expires = v.optTime("expires_at")
	u := v.optValue("usage_type", "auth", "signing", "auth_and_signing")
	usage = "auth_and_signing"
	if u != nil {
		usage = *u
	}
	return key, title, expires, usage, v.ok()
}

func (c *reqCtx) createKey(u *user, key, title string, expires *time.Time, usage string) {
	var fe fieldErrs
	fp, valid := sshFingerprint(key)
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
		for _, k := range c.s.st.keys {
			if k.Fingerprint == fp {
				fe.add("fingerprint_sha256", "has already been taken")
				break
			}
		}
	}
	if expires != nil && !expires.After(c.now) {
		fe.add("expires_at", "must be in the future")
	}
	if fe.any() {
		c.fieldErrors(fe)
		return
	}
	st := &c.s.st
	st.nextKey++
	k := &sshKey{SSHKeyState{ID: st.nextKey, UserID: u.ID, Title: title, Key: key, Fingerprint: fp, UsageType: usage, CreatedAt: c.now, ExpiresAt: expires}}
	st.keys[k.ID] = k
	c.json(http.StatusCreated, c.sshKeyJSON(k))
}

func hCreateOwnKey(c *reqCtx) {
	key, title, expires, usage, ok := c.keyParams()
	if ok {
		c.createKey(c.viewer, key, title, expires, usage)
	}
}

func hCreateUserKey(c *reqCtx) {
	key, title, expires, usage, ok := c.keyParams()
	if !ok || !c.requireAdmin() {
		return
	}
	if u := c.pathUser(); u != nil {
		c.createKey(u, key, title, expires, usage)
	}
}

func (c *reqCtx) deleteKey(u *user) {
	k := c.ownedKey(u)
	if k == nil || !c.unmodifiedSince(k.CreatedAt) {
		return
	}
	delete(c.s.st.keys, k.ID)
	c.noContent()
}

func hDeleteOwnKey(c *reqCtx) { c.deleteKey(c.viewer) }

func hDeleteUserKey(c *reqCtx) {
	if !c.requireAdmin() {
		return
	}
	if u := c.pathUser(); u != nil {
		c.deleteKey(u)
	}
}
