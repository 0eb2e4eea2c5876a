package gitlabtest

import (
	"net/http"
)

// GPG keys of the current user and of any user, from lib/api/users.rb;
// see https://docs.gitlab.com/api/user_keys/.

func (c *reqCtx) listGPG(u *user) {
	page, ok := paginate(c, c.s.st.userGPGKeys(u.ID), false)
	if !ok {
		return
	}
	res := make([]*obj, 0, len(page))
	for _, k := range page {
		res = append(res, gpgKeyJSON(k))
	}
	c.json(http.StatusOK, res)
}

func (c *reqCtx) ownedGPG(u *user) *gpgKey {
	id, ok := c.pathID("key_id")
	if !ok {
		return nil
	}
	k := c.s.st.gpgKeys[id]
	if k == nil || k.UserID != u.ID {
		c.notFound("GPG Key")
		return nil
	}
	return k
}

func (c *reqCtx) createGPG(u *user, key string) {
	var fe fieldErrs
	if !gpgKeyValid(key) {
		fe.add("key", "does not appear to be a valid PGP public key")
	} else {
		fp := gpgFingerprint(key)
		for _, k := range c.s.st.gpgKeys {
			if gpgFingerprint(k.Key) == fp {
				fe.add("fingerprint", "has already been taken")
				fe.add("primary_keyid", "has already been taken")
				break
			}
		}
	}
	if fe.any() {
		c.fieldErrors(fe)
		return
	}
	st := &c.s.st
	st.nextGPG++
	k := &gpgKey{GPGKeyState{ID: st.nextGPG, UserID: u.ID, Key: key, CreatedAt: c.now}}
	st.gpgKeys[k.ID] = k
	c.json(http.StatusCreated, gpgKeyJSON(k))
}

func hListOwnGPG(c *reqCtx) { c.listGPG(c.viewer) }

func hCreateOwnGPG(c *reqCtx) {
	v := c.validate()
	key := v.require("key")
	if v.ok() {
		c.createGPG(c.viewer, key)
	}
}

func hGetOwnGPG(c *reqCtx) {
	if k := c.ownedGPG(c.viewer); k != nil {
		c.json(http.StatusOK, gpgKeyJSON(k))
	}
}

func (c *reqCtx) removeGPG(u *user, revoke bool) {
	k := c.ownedGPG(u)
	if k == nil {
		return
	}
	if revoke {
		delete(c.s.st.gpgKeys, k.ID)
		c.w.WriteHeader(http.StatusAccepted)
		return
	}
	if !c.unmodifiedSince(k.CreatedAt) {
		return
	}
	delete(c.s.st.gpgKeys, k.ID)
	c.noContent()
}

func hDeleteOwnGPG(c *reqCtx) { c.removeGPG(c.viewer, false) }
func hRevokeOwnGPG(c *reqCtx) { c.removeGPG(c.viewer, true) }

func hListUserGPG(c *reqCtx) {
	if u := c.pathUser(); u != nil {
		c.listGPG(u)
	}
}

func hGetUserGPG(c *reqCtx) {
	u := c.pathUser()
	if u == nil {
		return
	}
	if k := c.ownedGPG(u); k != nil {
		c.json(http.StatusOK, gpgKeyJSON(k))
	}
}

func hCreateUserGPG(c *reqCtx) {
	v := c.validate()
	key := v.require("key")
	if !v.ok() || !c.requireAdmin() {
		return
	}
	if u := c.pathUser(); u != nil {
		c.createGPG(u, key)
	}
}

func hDeleteUserGPG(c *reqCtx) {
	if u := c.adminTarget(); u != nil {
		c.removeGPG(u, false)
	}
}

func hRevokeUserGPG(c *reqCtx) {
	if u := c.adminTarget(); u != nil {
		c.removeGPG(u, true)
	}
}
