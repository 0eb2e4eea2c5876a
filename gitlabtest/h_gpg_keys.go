package gitlabtest

import (
	"net/http"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// GPG keys of the current user and of any user, from lib/api/users.rb;
// see https://docs.gitlab.com/api/user_keys/. Listing, getting and
// deleting one are gpgKeyKind's (h_owned.go).

func createGPGKey(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		key := v.require("key")
		u, fail := c.owner(v, o)
		if fail != nil {
			return *fail
		}
		if fail := newGPGKeyErrs(c.s.st, key).check(); fail != nil {
			return *fail
		}
		return reply(http.StatusCreated, gpgKeyJSON(c.s.st.AddGPGKey(u.ID, key, c.now)))
	}
}

// revokeGPGKey removes the key as GpgKey#revoke does (after unverifying
// its signatures, which the fake does not keep) and answers 202.
func revokeGPGKey(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		k, fail := gpgKeyKind.find(c, o)
		if fail != nil {
			return *fail
		}
		c.s.st.DeleteGPGKey(k.ID)
		return noBody(http.StatusAccepted)
	}
}

// newGPGKeyErrs are the GpgKey model's validations of a new key.
func newGPGKeyErrs(st *model.Store, key string) fieldErrs {
	var fe fieldErrs
	if !model.GPGKeyValid(key) {
		fe.add("key", "does not appear to be a valid PGP public key")
		return fe
	}
	fp := model.GPGFingerprint(key)
	for _, k := range st.GPGKeys(0) {
		if model.GPGFingerprint(k.Key) == fp {
			fe.add("fingerprint", "has already been taken")
			fe.add("primary_keyid", "has already been taken")
			break
		}
	}
	return fe
}
