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

func hGetOwnStatus(c *reqCtx) { c.json(http.StatusOK, statusJSON(currentStatus(c.viewer, c.now))) }

func hGetUserStatus(c *reqCtx) {
	u := c.findUser(c.vars["user_id"])
	if u == nil {
		c.notFound("User")
		return
	}
	c.json(http.StatusOK, statusJSON(currentStatus(u, c.now)))
}

// statusParams validates the status parameters; sent reports which
// were sent.
func (c *reqCtx) setStatus(patch bool) {
	v := c.validate()
	emoji, message := v.optStr("emoji"), v.optStr("message")
	avail := v.optValue("availability", "not_set", "busy")
	keys := make([]string, 0, len(clearAfter))
	for k := range clearAfter {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	clear := v.optValue("clear_status_after", keys...)
	if !v.ok() {
		return
	}
	if emoji != nil && *emoji != "" && !emojiRe.MatchString(*emoji) {
		var fe fieldErrs
		fe.add("emoji", "does not exist")
		c.fieldErrors(fe)
		return
	}
	u := c.viewer
	cur := StatusState{Availability: "not_set"}
	if patch {
		if s := currentStatus(u, c.now); s != nil {
			cur = *s
		} else if emoji == nil && message == nil && avail == nil && clear == nil {
			c.json(http.StatusOK, nil)
			return
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
		c.json(http.StatusOK, statusJSON(nil))
		return
	}
	if cur.Emoji == "" {
		cur.Emoji = "speech_balloon"
	}
	u.status = &cur
	c.json(http.StatusOK, statusJSON(u.status))
}

func hSetStatus(c *reqCtx)   { c.setStatus(false) }
func hPatchStatus(c *reqCtx) { c.setStatus(true) }
