package gitlabtest

import (
	"cmp"
	"net/http"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// SSH keys of the current user (resource :user) and of any user
// (resource :users), from lib/api/users.rb; see
// https://docs.gitlab.com/api/user_keys/. Listing, getting and deleting
// one are sshKeyKind's (h_owned.go); the rules are the domain's
// (internal/model/keys.go).

func createKey(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		spec := model.SSHKeySpec{Key: v.require("key"), Title: v.require("title"), ExpiresAt: v.optTime("expires_at"),
			UsageType: valueOr(v.optValue("usage_type", model.UsageAuth, model.UsageSigning, model.UsageAuthAndSigning), "")}
		u, fail := c.owner(v, o)
		if fail != nil {
			return *fail
		}
		k, err := c.s.st.CreateSSHKey(u, spec, c.now)
		if err != nil {
			return refusal(err)
		}
		return reply(http.StatusCreated, c.sshKeyJSON(k))
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

// keyAnswer answers a key of the /keys API or its refusal.
func (c *reqCtx) keyAnswer(k *sshKey, err error) answer {
	if err != nil {
		return refusal(err)
	}
	return reply(http.StatusOK, c.keyWithUserJSON(k))
}

// hGetKeyWithUser is GET /keys/:id: administrators only, then the key.
func hGetKeyWithUser(c *reqCtx) answer {
	v := c.validate()
	id := v.pathID("id")
	if fail := cmp.Or(v.check(), c.requireAdmin()); fail != nil {
		return *fail
	}
	return c.keyAnswer(c.s.st.FindSSHKey(id))
}

// hKeyByFingerprint is GET /keys?fingerprint=: administrators (and
// auditors) only, then the key.
func hKeyByFingerprint(c *reqCtx) answer {
	v := c.validate()
	fp := v.require("fingerprint")
	if fail := v.check(); fail != nil {
		return *fail
	}
	if !c.admin() {
		return forbidden("")
	}
	return c.keyAnswer(c.s.st.SSHKeyByFingerprint(fp))
}
