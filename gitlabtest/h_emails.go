package gitlabtest

import "net/http"

// Email addresses of the current user and of any user, from
// lib/api/users.rb; see https://docs.gitlab.com/api/user_email_addresses/.
// Listing, getting and deleting one are emailKind's (h_owned.go); the
// rules are the domain's (internal/model/emails.go).

// createEmail adds a secondary email; only the administrators' route
// declares skip_confirmation, which confirms it at once.
func createEmail(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		addr := v.require("email")
		skip := o == adminOnly && v.flag("skip_confirmation")
		u, fail := c.owner(v, o)
		if fail != nil {
			return *fail
		}
		e, err := c.s.st.CreateEmail(u, addr, skip, c.now)
		if err != nil {
			return refusal(err)
		}
		return reply(http.StatusCreated, emailJSON(e))
	}
}
