package gitlabtest

import (
	"net/http"
	"time"
)

// ownedKind is one kind of resource a user owns (SSH keys, GPG keys,
// emails) as its list, get and delete endpoints see it. Those endpoints
// are the same for every kind, for the current user and for any user
// (lib/api/users.rb), so their handlers are ownedKind's methods; what
// differs (creating, revoking, GitLab's refusals) stays in the kind's
// own h_*.go file.
type ownedKind[T ownedStamped] struct {
	param string                   // the path parameter naming one
	noun  string                   // its 404 "<noun> Not Found"
	all   func(*store) map[int64]T // every one, by ID
	mine  func(*store, int64) []T  // a user's, in the list endpoint's order
	json  func(*reqCtx, T) any     // its entity
}

// ownedStamped is an owned resource with its creation time, which
// destroy compares with If-Unmodified-Since.
type ownedStamped interface {
	owned
	created() time.Time
}

var (
	sshKeyKind = ownedKind[*sshKey]{
		param: "key_id", noun: "Key",
		all:  func(st *store) map[int64]*sshKey { return st.keys },
		mine: func(st *store, userID int64) []*sshKey { return ownedList(st.keys, userID) },
		json: func(c *reqCtx, k *sshKey) any { return c.sshKeyJSON(k) },
	}
	gpgKeyKind = ownedKind[*gpgKey]{
		param: "key_id", noun: "GPG Key",
		all:  func(st *store) map[int64]*gpgKey { return st.gpgKeys },
		mine: func(st *store, userID int64) []*gpgKey { return ownedList(st.gpgKeys, userID) },
		json: func(_ *reqCtx, k *gpgKey) any { return gpgKeyJSON(k) },
	}
	emailKind = ownedKind[*email]{
		param: "email_id", noun: "Email",
		all:  func(st *store) map[int64]*email { return st.emails },
		mine: (*store).userEmails,
		json: func(_ *reqCtx, e *email) any { return emailJSON(e) },
	}
)

// find is pathOwned for this kind: o's resource named by the path.
func (k ownedKind[T]) find(c *reqCtx, o owner) (T, *answer) {
	return pathOwned(c, o, k.all(&c.s.st), k.param, k.noun)
}

// list is GET .../<kind>: o's resources, paginated.
func (k ownedKind[T]) list(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		u, pg, fail := c.listOwner(o)
		if fail != nil {
			return *fail
		}
		return listAnswer(c, k.mine(&c.s.st, u.ID), pg, false, func(r T) any { return k.json(c, r) })
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

// delete is DELETE .../<kind>/:<param> (destroy_conditionally!).
func (k ownedKind[T]) delete(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		r, fail := k.find(c, o)
		if fail != nil {
			return *fail
		}
		id, _ := r.ids()
		return c.destroy(r.created(), func() { delete(k.all(&c.s.st), id) })
	}
}
