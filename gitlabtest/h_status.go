package gitlabtest

import (
	"net/http"
	"regexp"
	"slices"
	"time"
)

// User status, from lib/api/users.rb and Users::SetStatusService; see
// https://docs.gitlab.com/api/users/.

var emojiRe = regexp.MustCompile(`^[a-z0-9_+-]+$`)

var clearAfter = map[string]time.Duration{
	"30_minutes": 30 * time.Minute, "3_hours": 3 * time.Hour, "8_hours": 8 * time.Hour,
	"1_day": 24 * time.Hour, "3_days": 72 * time.Hour, "7_days": 7 * 24 * time.Hour, "30_days": 30 * 24 * time.Hour,
}

func getStatus(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		u, fail := c.owner(c.validate(), o)
		if fail != nil {
			return *fail
		}
		return reply(http.StatusOK, statusJSON(currentStatus(u, c.now)))
	}
}

// setStatus is PUT (patch false: a parameter not sent is cleared) and
// PATCH (patch true: it is kept) /user/status.
func setStatus(patch bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer { return c.applyStatus(patch) }
}

func (c *reqCtx) applyStatus(patch bool) answer {
	v := c.validate()
	emoji, message := v.optStr("emoji"), v.optStr("message")
	avail := v.optValue("availability", "not_set", "busy")
	keys := make([]string, 0, len(clearAfter))
	for k := range clearAfter {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	clear := v.optValue("clear_status_after", keys...)
	if fail := v.check(); fail != nil {
		return *fail
	}
	if emoji != nil && *emoji != "" && !emojiRe.MatchString(*emoji) {
		var fe fieldErrs
		fe.add("emoji", "does not exist")
		return *fe.check()
	}
	u := c.viewer
	cur := StatusState{Availability: "not_set"}
	if patch {
		if s := currentStatus(u, c.now); s != nil {
			cur = *s
		} else if emoji == nil && message == nil && avail == nil && clear == nil {
			return literal(http.StatusOK, "null")
		}
	}
	if emoji != nil {
		cur.Emoji = *emoji
	}
	if message != nil {
		cur.Message = *message
	}
	if avail != nil {
		cur.Availability = *avail
	}
	if clear != nil {
		cur.ClearStatusAt = ptrTime(c.now.Add(clearAfter[*clear]))
	} else if !patch {
		cur.ClearStatusAt = nil
	}
	if cur.Emoji == "" && cur.Message == "" && (cur.Availability == "" || cur.Availability == "not_set") {
		u.status = nil
		return reply(http.StatusOK, statusJSON(nil))
	}
	if cur.Emoji == "" {
		cur.Emoji = "speech_balloon"
	}
	u.status = &cur
	return reply(http.StatusOK, statusJSON(u.status))
}
