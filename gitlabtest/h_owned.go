package gitlabtest

import (
	"net/http"
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// ownedKind is one kind of resource a user owns (SSH keys, GPG keys,
// emails) as its list, get and delete endpoints see it. Those endpoints
// are the same for every kind, for the current user and for any user
// (lib/api/users.rb), so their handlers are ownedKind's methods; what
// differs (creating, revoking) stays in the kind's own h_*.go file;
// GitLab's rules, the refusals included, are the domain's
// (internal/model).
type ownedKind[T any] struct {
	param  string                                            // the path parameter naming one
	noun   string                                            // its 404 "<noun> Not Found"
	of     func(st *model.Store, userID, id int64) (T, bool) // one, if it is the user's
	mine   func(*model.Store, int64) []T                     // a user's, in the list endpoint's order
	remove func(*model.Store, T)                             // removes one
	check  func(*model.Store, T) error                       // refuses a removal (nil: none)
	stamp  func(T) time.Time                                 // its creation time (If-Unmodified-Since)
	json   func(*reqCtx, T) any                              // its entity
}

var (
	sshKeyKind = ownedKind[*sshKey]{
		param: "key_id", noun: "Key",
		of: (*model.Store).SSHKeyOf, mine: (*model.Store).SSHKeys,
		remove: func(st *model.Store, k *sshKey) { st.DeleteSSHKey(k.ID) },
		stamp:  func(k *sshKey) time.Time { return k.CreatedAt },
		json:   func(c *reqCtx, k *sshKey) any { return c.sshKeyJSON(k) },
	}
	gpgKeyKind = ownedKind[*gpgKey]{
		param: "key_id", noun: "GPG Key",
		of: (*model.Store).GPGKeyOf, mine: (*model.Store).GPGKeys,
		remove: func(st *model.Store, k *gpgKey) { st.DeleteGPGKey(k.ID) },
		stamp:  func(k *gpgKey) time.Time { return k.CreatedAt },
		json:   func(_ *reqCtx, k *gpgKey) any { return gpgKeyJSON(k) },
	}
	emailKind = ownedKind[*email]{
		param: "email_id", noun: "Email",
		of: (*model.Store).EmailOf, mine: (*model.Store).UserEmails,
		remove: func(st *model.Store, e *email) { st.DeleteEmail(e.ID) },
		check:  (*model.Store).CheckEmailRemoval,
		stamp:  func(e *email) time.Time { return e.CreatedAt },
		json:   func(_ *reqCtx, e *email) any { return emailJSON(e) },
	}
)

// find is pathOwned for this kind: o's resource named by the path.
func (k ownedKind[T]) find(c *reqCtx, o owner) (T, *answer) {
	return pathOwned(c, o, k.of, k.param, k.noun)
}

// list is GET .../<kind>: o's resources, paginated.
func (k ownedKind[T]) list(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		u, pg, fail := c.listOwner(o)
		if fail != nil {
			return *fail
		}
		return listAnswer(c, k.mine(c.s.st, u.ID), pg, false, func(r T) any { return k.json(c, r) })
	}
}

// get is GET .../<kind>/:<param>.
func (k ownedKind[T]) get(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		r, fail := k.find(c, o)
		if fail != nil {
			return *fail
		}
		return reply(http.StatusOK, k.json(c, r))
	}
}

// delete is DELETE .../<kind>/:<param>: the kind's refusals, then
// destroy_conditionally!.
func (k ownedKind[T]) delete(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		r, fail := k.find(c, o)
		if fail != nil {
			return *fail
		}
		if k.check != nil {
			if err := k.check(c.s.st, r); err != nil {
				return refusal(err)
			}
		}
		return c.destroy(k.stamp(r), func() { k.remove(c.s.st, r) })
	}
}
