package gitlabtest

import (
	"net/http"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// User status, from lib/api/users.rb; see
// https://docs.gitlab.com/api/users/. The rules are the domain's
// (internal/model/status.go).

func getStatus(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		u, fail := c.owner(c.validate(), o)
		if fail != nil {
			return *fail
		}
		return reply(http.StatusOK, statusJSON(u.CurrentStatus(c.now)))
	}
}

// setStatus is PUT (patch false: a parameter not sent is cleared) and
// PATCH (patch true: it is kept) /user/status.
func setStatus(patch bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		ch := model.StatusChange{Emoji: v.optStr("emoji"), Message: v.optStr("message"),
			Availability:     v.optValue("availability", model.AvailabilityNotSet, model.AvailabilityBusy),
			ClearStatusAfter: v.optValue("clear_status_after", model.ClearStatusAfterOptions()...)}
		if fail := v.check(); fail != nil {
			return *fail
		}
		s, err := c.s.st.SetUserStatus(c.viewer, ch, patch, c.now)
		switch {
		case err != nil:
			return refusal(err)
		case s == nil && patch:
			return literal(http.StatusOK, "null") // status :ok, or the deleted status
		}
		return reply(http.StatusOK, statusJSON(s))
	}
}
