package gitlabtest

import (
	"net/http"
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// Email addresses of the current user and of any user, from
// lib/api/users.rb; see https://docs.gitlab.com/api/user_email_addresses/.
// Listing and getting one are emailKind's (h_owned.go).

// createEmail adds a secondary email; only administrators may confirm it
// at once with skip_confirmation.
func createEmail(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		addr := v.require("email")
		skip := o == adminOnly && v.flag("skip_confirmation")
		u, fail := c.owner(v, o)
		if fail != nil {
			return *fail
		}
		if fail := newEmailErrs(c.s.st, addr).check(); fail != nil {
			return *fail
		}
		var at *time.Time
		if skip {
			at = model.PtrTime(c.now)
		}
		return reply(http.StatusCreated, emailJSON(c.s.st.AddEmail(u.ID, addr, at, c.now)))
	}
}

func deleteEmail(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		e, fail := emailKind.find(c, o)
		if fail != nil {
			return *fail
		}
		if e.Primary {
			return badRequest("Cannot delete primary email")
		}
		return c.destroy(e.CreatedAt, func() { c.s.st.DeleteEmail(e.ID) })
	}
}

// newEmailErrs are the Email model's validations of a new address.
func newEmailErrs(st *model.Store, addr string) fieldErrs {
	var fe fieldErrs
	if !validEmail(addr) {
		fe.add("email", "is invalid")
	} else if taken, unconf := st.EmailUse(addr, 0); taken || unconf {
		fe.add("email", "has already been taken")
	}
	return fe
}
