package gitlabtest

import (
	"net/http"
	"strings"
)

// SSH keys of the current user (resource :user) and of any user
// (resource :users), from lib/api/users.rb; see
// https://docs.gitlab.com/api/user_keys/.

func listKeys(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		u, pg, fail := c.listOwner(o)
		if fail != nil {
			return *fail
		}
		return listAnswer(c, ownedList(c.s.st.keys, u.ID), pg, false, func(k *sshKey) any { return c.sshKeyJSON(k) })
	}
}

func getKey(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		k, fail := pathOwned(c, o, c.s.st.keys, "key_id", "Key")
		if fail != nil {
			return *fail
		}
		return reply(http.StatusOK, c.sshKeyJSON(k))
	}
}

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
		if fail := fe.check(); fail != nil {
			return *fail
		}
		return reply(http.StatusCreated, c.sshKeyJSON(c.s.st.addSSHKey(u.ID, title, key, usage, expires, c.now)))
	}
}

func deleteKey(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		k, fail := pathOwned(c, o, c.s.st.keys, "key_id", "Key")
		if fail != nil {
			return *fail
		}
		return c.destroy(k.CreatedAt, func() { delete(c.s.st.keys, k.ID) })
	}
}
