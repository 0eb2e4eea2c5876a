package gitlabtest

import (
	"net/http"
	"regexp"
	"slices"
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
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
		return reply(http.StatusOK, statusJSON(u.CurrentStatus(c.now)))
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
	// PATCH with no parameter changes nothing and answers null
	// (status :ok; break in lib/api/users.rb).
	if patch && emoji == nil && message == nil && avail == nil && clear == nil {
		return literal(http.StatusOK, "null")
	}
	// Users::SetStatusService receives every parameter (PUT, nil when not
	// sent) or only those sent (PATCH). message and clear_status_at not
	// sent by a PATCH are kept; emoji and availability are not: the
	// service sets a missing emoji to speech_balloon and a missing
	// availability to not_set.
	// status_cleared? looks at the parameters received, not at the
	// stored status: a PATCH of only clear_status_after deletes it.
	blank := func(p *string) bool { return p == nil || *p == "" }
	if blank(emoji) && blank(message) && (avail == nil || *avail == "not_set") {
		u.SetStatus(nil)
		if patch {
			return literal(http.StatusOK, "null") // the deleted status presents as null
		}
		return reply(http.StatusOK, statusJSON(nil))
	}
	cur := StatusSnapshot{Availability: "not_set"}
	if s := u.CurrentStatus(c.now); patch && s != nil {
		cur.Message, cur.ClearStatusAt = s.Message, s.ClearStatusAt
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
		cur.ClearStatusAt = model.PtrTime(c.now.Add(clearAfter[*clear]))
	} else if !patch {
		cur.ClearStatusAt = nil
	}
	if cur.Emoji == "" {
		cur.Emoji = "speech_balloon"
	}
	u.SetStatus(&cur)
	return reply(http.StatusOK, statusJSON(&cur))
}
