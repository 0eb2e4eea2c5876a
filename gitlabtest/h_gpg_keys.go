package gitlabtest

import "net/http"

// GPG keys of the current user and of any user, from lib/api/users.rb;
// see https://docs.gitlab.com/api/user_keys/.

func listGPGKeys(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		u, pg, fail := c.listOwner(o)
		if fail != nil {
			return *fail
		}
		return listAnswer(c, ownedList(c.s.st.gpgKeys, u.ID), pg, false, func(k *gpgKey) any { return gpgKeyJSON(k) })
	}
}

func getGPGKey(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		k, fail := pathOwned(c, o, c.s.st.gpgKeys, "key_id", "GPG Key")
		if fail != nil {
			return *fail
		}
		return reply(http.StatusOK, gpgKeyJSON(k))
	}
}

func createGPGKey(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		key := v.require("key")
		u, fail := c.owner(v, o)
		if fail != nil {
			return *fail
		}
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
		if fail := fe.check(); fail != nil {
			return *fail
		}
		return reply(http.StatusCreated, gpgKeyJSON(c.s.st.addGPGKey(u.ID, key, c.now)))
	}
}

func deleteGPGKey(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		k, fail := pathOwned(c, o, c.s.st.gpgKeys, "key_id", "GPG Key")
		if fail != nil {
			return *fail
		}
		return c.destroy(k.CreatedAt, func() { delete(c.s.st.gpgKeys, k.ID) })
	}
}

// revokeGPGKey removes the key as GpgKey#revoke does (after unverifying
// its signatures, which the fake does not keep) and answers 202.
func revokeGPGKey(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		k, fail := pathOwned(c, o, c.s.st.gpgKeys, "key_id", "GPG Key")
		if fail != nil {
			return *fail
		}
		delete(c.s.st.gpgKeys, k.ID)
		return noBody(http.StatusAccepted)
	}
}
