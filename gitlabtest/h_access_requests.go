package gitlabtest

import "net/http"

// Access requests: lib/api/access_requests.rb
// (https://docs.gitlab.com/api/access_requests/); the rules are the
// model's (internal/model/member_invites.go).

// accessRequesterJSON renders Entities::AccessRequester: UserBasic and
// requested_at.
func (c *reqCtx) accessRequesterJSON(m *member) *obj {
	return c.userJSON(c.s.st.User(m.UserID), lvlBasic, false).set("requested_at", ts(m.RequestedAt))
}

// hListAccessRequests is GET …/access_requests.
func hListAccessRequests(group bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		pg := v.pages()
		if fail := v.check(); fail != nil {
			return *fail
		}
		src, fail := c.pathSource(group)
		if fail != nil {
			return *fail
		}
		rows, err := c.s.st.AccessRequests(c.viewer, src, c.now)
		if err != nil {
			return refusal(err)
		}
		return listAnswer(c, rows, pg, false, func(m *member) any { return c.accessRequesterJSON(m) })
	}
}

// hRequestAccess is POST …/access_requests: 201 with the request.
func hRequestAccess(group bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		src, fail := c.pathSource(group)
		if fail != nil {
			return *fail
		}
		m, err := c.s.st.RequestAccess(c.viewer, src, c.now)
		if err != nil {
			return refusal(err)
		}
		return reply(http.StatusCreated, c.accessRequesterJSON(m))
	}
}

// hApproveAccessRequest is PUT …/access_requests/:user_id/approve: 201
// with the new Member.
func hApproveAccessRequest(group bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		id := v.pathID("user_id")
		var level *int
		if l := v.optInt("access_level"); l != nil {
			n := int(*l)
			level = &n
		}
		if fail := v.check(); fail != nil {
			return *fail
		}
		src, fail := c.pathSource(group)
		if fail != nil {
			return *fail
		}
		m, err := c.s.st.ApproveAccessRequest(c.viewer, src, id, level, c.now)
		if err != nil {
			return refusal(err)
		}
		return reply(http.StatusCreated, c.memberJSON(*m, false))
	}
}

// hDenyAccessRequest is DELETE …/access_requests/:user_id.
func hDenyAccessRequest(group bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		id := v.pathID("user_id")
		if fail := v.check(); fail != nil {
			return *fail
		}
		src, fail := c.pathSource(group)
		if fail != nil {
			return *fail
		}
		m, err := c.s.st.AccessRequestToDeny(c.viewer, src, id, c.now)
		if err != nil {
			return refusal(err)
		}
		return c.destroy(m.UpdatedAt, func() { c.s.st.RemoveInvitation(m) })
	}
}
