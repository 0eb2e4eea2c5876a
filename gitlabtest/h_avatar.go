package gitlabtest

import (
	"net/http"
	"strings"
)

// hAvatar is GET /avatar (lib/api/avatar.rb): no user needed; email
// (required) and size (Integer). The user whose public email is email
// stands for it, or a new user with that email: an uploaded avatar's
// URL, else the Gravatar URL of the user's email (GravatarService), at
// twice size (40 by default); null for a blank email.
func hAvatar(c *reqCtx) answer {
	v := c.validate()
	addr := v.require("email")
	size := v.optInt("size")
	if fail := v.check(); fail != nil {
		return *fail
	}
	px := 0
	if size != nil && *size > 0 && *size < 1<<20 {
		px = int(*size)
	}
	var url any
	if u := c.s.st.UserByPublicEmail(addr); u != nil {
		url = c.avatarURLAt(u, px)
	} else if strings.TrimSpace(addr) != "" {
		url = gravatarURL(addr, px)
	}
	return reply(http.StatusOK, (&obj{}).set("avatar_url", url))
}
