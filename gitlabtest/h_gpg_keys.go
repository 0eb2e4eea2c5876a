package gitlabtest

import "net/http"

// GPG keys of the current user and of any user, from lib/api/users.rb;
// see https://docs.gitlab.com/api/user_keys/. Listing, getting and
// deleting one are gpgKeyKind's (h_owned.go); the rules are the
// domain's (internal/model/keys.go).

func createGPGKey(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		key := v.require("key")
		u, fail := c.owner(v, o)
		if fail != nil {
			return *fail
		}
		k, err := c.s.st.CreateGPGKey(u, key, c.now)
		if err != nil {
			return refusal(err)
		}
		return reply(http.StatusCreated, gpgKeyJSON(k))
	}
}

// revokeGPGKey is POST .../gpg_keys/:key_id/revoke: 202 once revoked.
func revokeGPGKey(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		k, fail := gpgKeyKind.find(c, o)
		if fail != nil {
			return *fail
		}
		c.s.st.RevokeGPGKey(k)
		return noBody(http.StatusAccepted)
	}
}
