package gitlabtest

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// Group and project members: lib/api/members.rb and
// ee/lib/ee/api/members.rb (https://docs.gitlab.com/api/members/). The
// rules are the model's (internal/model/member_ops.go, member_seats.go).

type member = model.Member

// pathSource is find_source: the group or project :ref the caller can
// see, or 404 "Group Not Found" / "Project Not Found".
func (c *reqCtx) pathSource(group bool) (model.Source, *answer) {
	src, err := c.s.st.FindSource(c.viewer, group, c.vars["ref"], c.now)
	if err != nil {
		return src, halt(refusal(err))
	}
	return src, nil
}

// memberJSON renders Entities::Member (with EE's fields) for row m.
func (c *reqCtx) memberJSON(m model.Member, seatInfo bool) *obj {
	u := c.s.st.User(m.UserID)
	o := c.userJSON(u, lvlBasic, false)
	o.set("access_level", m.AccessLevel).set("created_at", tsv(m.CreatedAt))
	if cb := c.s.st.User(m.CreatedByID); cb != nil {
		o.set("created_by", c.userJSON(cb, lvlBasic, false)) // expose_nil: false
	}
	o.set("expires_at", date(m.ExpiresAt))
	if c.admin() {
		o.set("email", u.Email)
	}
	if seatInfo {
		o.set("is_using_seat", !u.Bot && u.State == model.StateActive)
	}
	if m.LDAP && m.Source.IsGroup() {
		o.set("override", m.Override)
	}
	return o.set("membership_state", m.State)
}

// hListMembers is GET …/members, or with all …/members/all.
func hListMembers(group, all bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		f := model.MemberFilter{Query: c.get("query"), UserIDs: c.intList("user_ids")}
		if !all {
			f.SkipUsers = c.intList("skip_users")
		} else if s := v.optValue("state", "awaiting", "active"); s != nil {
			f.State = model.MemberState(*s)
		}
		seats := v.flag("show_seat_info")
		pg := v.pages()
		if fail := v.check(); fail != nil {
			return *fail
		}
		src, fail := c.pathSource(group)
		if fail != nil {
			return *fail
		}
		rows, err := c.s.st.ListMembers(c.viewer, src, all, f, c.now)
		if err != nil {
			return refusal(err)
		}
		return listAnswer(c, rows, pg, false, func(m model.Member) any { return c.memberJSON(m, seats) })
	}
}

// intList reads an Array[Integer] whose entries go through to_i: a
// non-number becomes 0 and matches nothing. nil when not sent.
func (c *reqCtx) intList(k string) []int64 {
	refs, ok := c.list(k)
	if !ok {
		return nil
	}
	out := []int64{}
	for _, r := range refs {
		n, _ := strconv.ParseInt(r, 10, 64)
		out = append(out, n)
	}
	return out
}

// hGetMember is GET …/members/:user_id, or with all
// …/members/all/:user_id.
func hGetMember(group, all bool) func(*reqCtx) answer {
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
		m, err := c.s.st.GetMember(c.viewer, src, id, all, c.now)
		if err != nil {
			return refusal(err)
		}
		return reply(http.StatusOK, c.memberJSON(m, false))
	}
}

// readLevel reads the required Integer access_level.
func (v *validator) readLevel() int {
	v.require("access_level")
	l := v.optInt("access_level")
	if l == nil {
		return 0
	}
	return int(*l)
}

// hAddMember is POST …/members: one user (the single path), or several
// separated by commas (the bulk path, always 201 with a status hash).
func hAddMember(group bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		level := v.readLevel()
		if c.has("user_id") && c.has("username") {
			v.errs = append(v.errs, "user_id, username are mutually exclusive")
		}
		v.atLeastOne("user_id", "username")
		expires := v.optDate("expires_at")
		if fail := v.check(); fail != nil {
			return *fail
		}
		src, fail := c.pathSource(group)
		if fail != nil {
			return *fail
		}
		a := model.AddMemberAttrs{AccessLevel: level, ExpiresAt: expires, UserCap: c.s.cfgUserCap()}
		ids, names := c.get("user_id"), c.get("username")
		if strings.Contains(ids, ",") || strings.Contains(names, ",") {
			refs := strings.Split(ids+names, ",")
			res, err := c.s.st.AddMembers(c.viewer, src, refs, a, c.now)
			return addResultAnswer(res, err, false)
		}
		var u *user
		if n, err := strconv.ParseInt(ids, 10, 64); err == nil {
			u = c.s.st.User(n)
		} else if x := c.s.st.UserByName(names); x != nil && x.Username == names {
			u = x // where(username:): case-sensitive
		}
		if u == nil {
			return notFound("User")
		}
		m, err := c.s.st.CreateMember(c.viewer, src, u, a, c.now)
		var e *model.Error
		if errors.As(err, &e) && e.Kind == model.BadRequest && e.Service {
			return reply(http.StatusBadRequest, (&obj{}).set("message", e.Text).set("status", "error"))
		}
		if err != nil {
			return refusal(err)
		}
		return reply(http.StatusCreated, c.memberJSON(*m, false))
	}
}

// addResultAnswer renders the result hash of Members::CreateService
// (members, with messages joined) or Members::InviteService
// (invitations, messages by email or username): always 201, except a
// refusal of the whole request (403).
func addResultAnswer(res model.AddResult, err error, byKey bool) answer {
	var e *model.Error
	if errors.As(err, &e) && e.Kind == model.BadRequest && e.Service {
		reason := "blank_invites_error"
		if strings.HasPrefix(e.Text, "Too many") {
			reason = "too_many_invites_error"
		}
		return reply(http.StatusCreated, (&obj{}).set("message", e.Text).set("status", "error").set("reason", reason))
	}
	if err != nil {
		return refusal(err)
	}
	if len(res.Keys) == 0 {
		return reply(http.StatusCreated, (&obj{}).set("status", "success"))
	}
	o := (&obj{}).set("status", "error")
	if byKey {
		m := &obj{}
		for _, k := range res.Keys {
			m.set(k, res.Errors[k])
		}
		o.set("message", m)
	} else {
		o.set("message", res.Message())
	}
	if res.Unauthorized {
		o.set("http_status", "unauthorized")
	}
	return reply(http.StatusCreated, o)
}

// hUpdateMember is PUT …/members/:user_id.
func hUpdateMember(group bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		id := v.pathID("user_id")
		level := v.readLevel()
		expires := v.optDate("expires_at")
		if fail := v.check(); fail != nil {
			return *fail
		}
		src, fail := c.pathSource(group)
		if fail != nil {
			return *fail
		}
		m, err := c.s.st.UpdateMember(c.viewer, src, id, level, expires, c.has("expires_at"), c.now)
		if err != nil {
			return refusal(err)
		}
		return reply(http.StatusOK, c.memberJSON(*m, false))
	}
}

// hRemoveMember is DELETE …/members/:user_id. unassign_issuables asks
// GitLab for a background job the fake has nothing for.
func hRemoveMember(group bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		id := v.pathID("user_id")
		skip := v.flag("skip_subresources")
		v.flag("unassign_issuables")
		if fail := v.check(); fail != nil {
			return *fail
		}
		src, fail := c.pathSource(group)
		if fail != nil {
			return *fail
		}
		m, err := c.s.st.MemberToRemove(c.viewer, src, id, c.now)
		if err != nil {
			return refusal(err)
		}
		return c.destroy(m.UpdatedAt, func() { c.s.st.RemoveMember(c.viewer, m, skip, c.now) })
	}
}

// --- group-only (EE) ---------------------------------------------------------

// hPendingMembers is GET /groups/:id/pending_members.
func hPendingMembers(c *reqCtx) answer {
	v := c.validate()
	pg := v.pages()
	if fail := v.check(); fail != nil {
		return *fail
	}
	g, fail := c.pathGroup()
	if fail != nil {
		return *fail
	}
	rows, err := c.s.st.PendingMembers(c.viewer, g, c.now)
	if err != nil {
		return refusal(err)
	}
	return listAnswer(c, rows, pg, false, func(m *member) any {
		o := (&obj{}).set("id", m.ID)
		u := c.s.st.User(m.UserID)
		if u != nil {
			o.set("name", u.Name).set("username", u.Username).set("web_url", c.webURL(u)).set("email", u.Email)
			o.set("invited", false).set("avatar_url", c.avatarURL(u))
		} else {
			o.set("email", m.InviteEmail).set("invited", true).set("avatar_url", c.avatarURL(&user{UserData: model.UserData{Email: m.InviteEmail}}))
		}
		return o.set("approved", m.State == model.MemberActive)
	})
}

// hApproveAll is POST /groups/:id/members/approve_all.
func hApproveAll(c *reqCtx) answer {
	g, fail := c.pathGroup()
	if fail != nil {
		return *fail
	}
	if err := c.s.st.ApproveAll(c.viewer, g, c.now); err != nil {
		return refusal(err)
	}
	return noBody(http.StatusNoContent)
}

// hBillableMembers is GET /groups/:id/billable_members.
func hBillableMembers(c *reqCtx) answer {
	v := c.validate()
	sort := v.optValue("sort", model.BillableSorts...)
	pg := v.pages()
	if fail := v.check(); fail != nil {
		return *fail
	}
	g, fail := c.pathGroup()
	if fail != nil {
		return *fail
	}
	rows, err := c.s.st.BillableMembers(c.viewer, g, c.get("search"), valueOr(sort, ""), c.now)
	if err != nil {
		return refusal(err)
	}
	return listAnswer(c, rows, pg, false, func(b model.Billable) any {
		u := b.User
		o := c.userJSON(u, lvlBasic, false)
		mail := nullIfEmpty(u.PublicEmail)
		if c.admin() {
			mail = u.Email
		}
		return o.set("email", mail).set("last_activity_on", date(u.LastActivityOn)).set("membership_type", b.MembershipType).
			set("removable", b.Removable).set("created_at", tsv(u.CreatedAt)).set("is_last_owner", b.LastOwner).
			set("last_login_at", ts(u.CurrentSignInAt))
	})
}

// hBillableMemberships is GET /groups/:id/billable_members/:user_id/
// memberships, or with indirect …/indirect.
func hBillableMemberships(indirect bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		id := v.pathID("user_id")
		pg := v.pages()
		if fail := v.check(); fail != nil {
			return *fail
		}
		g, fail := c.pathGroup()
		if fail != nil {
			return *fail
		}
		rows, err := c.s.st.BillableMemberships(c.viewer, g, id, indirect, c.now)
		if err != nil {
			return refusal(err)
		}
		return listAnswer(c, rows, pg, false, func(m *member) any {
			path := "/groups/" + c.sourcePath(m.Source) + "/-/group_members"
			if !m.Source.IsGroup() {
				path = "/" + c.sourcePath(m.Source) + "/-/project_members"
			}
			return (&obj{}).set("id", m.ID).set("source_id", m.Source.ID).set("source_full_name", c.s.st.SourceFullName(m.Source)).
				set("source_members_url", c.s.URL+path).set("created_at", tsv(m.CreatedAt)).set("expires_at", date(m.ExpiresAt)).
				set("access_level", (&obj{}).set("string_value", model.RoleName(m.AccessLevel)).set("integer_value", m.AccessLevel).set("custom_role", nil))
		})
	}
}

// sourcePath is a group's full path or a project's path with namespace.
func (c *reqCtx) sourcePath(src model.Source) string {
	if src.IsGroup() {
		if g := c.s.st.Group(src.ID); g != nil {
			return g.FullPath
		}
	} else if p := c.s.st.Project(src.ID); p != nil {
		return p.PathWithNamespace
	}
	return ""
}

// hOverride is POST (on: 201) and DELETE (off: 200)
// /groups/:id/members/:user_id/override.
func hOverride(on bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		id := v.pathID("user_id")
		if fail := v.check(); fail != nil {
			return *fail
		}
		g, fail := c.pathGroup()
		if fail != nil {
			return *fail
		}
		m, err := c.s.st.SetOverride(c.viewer, g, id, on, c.now)
		code := http.StatusOK
		if on {
			code = http.StatusCreated
		}
		switch {
		case err != nil:
			return refusal(err)
		case m == nil:
			return literal(code, "null")
		}
		return reply(code, c.memberJSON(*m, false))
	}
}

// hMemberState is PUT /groups/:id/members/:user_id/state.
func hMemberState(c *reqCtx) answer {
	v := c.validate()
	v.pathID("user_id")
	v.require("state")
	state := v.optValue("state", "awaiting", "active")
	if fail := v.check(); fail != nil {
		return *fail
	}
	g, fail := c.pathGroup()
	if fail != nil {
		return *fail
	}
	u := c.findUser(c.vars["user_id"])
	if u == nil {
		return notFound("User")
	}
	if err := c.s.st.SetMemberState(c.viewer, g, u, model.MemberState(*state), c.now); err != nil {
		return refusal(err)
	}
	return reply(http.StatusOK, (&obj{}).set("success", true))
}
