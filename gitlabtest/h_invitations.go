package gitlabtest

import (
	"net/http"
	"net/mail"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// Invitations: lib/api/invitations.rb
// (https://docs.gitlab.com/api/invitations/); the rules are the model's
// (internal/model/member_invites.go).

// invitationJSON renders Entities::Invitation (it has no id).
func (c *reqCtx) invitationJSON(m *member) *obj {
	var by any
	if u := c.s.st.User(m.CreatedByID); u != nil {
		by = u.Name
	}
	return (&obj{}).set("access_level", m.AccessLevel).set("created_at", tsv(m.CreatedAt)).set("expires_at", date(m.ExpiresAt)).
		set("invite_email", m.InviteEmail).set("invite_token", m.InviteToken).set("created_by_name", by)
}

// hCreateInvitations is POST …/invitations: always 201 with a status
// hash, once the parameters, the blank check (before the source's
// lookup), the source and the permission pass.
func hCreateInvitations(group bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		level := v.readLevel()
		if level != 0 && !model.ValidLevel(level) {
			v.errs = append(v.errs, "access_level does not have a valid value")
		}
		emails, _ := c.list("email")
		for _, e := range emails {
			if _, err := mail.ParseAddress(e); err != nil {
				v.errs = append(v.errs, "email contains an invalid email address")
				break
			}
		}
		ids, _ := c.list("user_id")
		expires := v.optDate("expires_at")
		if fail := v.check(); fail != nil {
			return *fail
		}
		if len(emails) == 0 && len(ids) == 0 {
			return badRequest("Must provide either email or user_id as a parameter")
		}
		src, fail := c.pathSource(group)
		if fail != nil {
			return *fail
		}
		res, err := c.s.st.CreateInvitations(c.viewer, src, emails, ids,
			model.AddMemberAttrs{AccessLevel: level, ExpiresAt: expires, UserCap: c.s.cfgUserCap()}, c.now)
		return addResultAnswer(res, err, true)
	}
}

// hListInvitations is GET …/invitations.
func hListInvitations(group bool) func(*reqCtx) answer {
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
		rows, err := c.s.st.Invitations(c.viewer, src, c.get("query"), c.now)
		if err != nil {
			return refusal(err)
		}
		return listAnswer(c, rows, pg, false, func(m *member) any { return c.invitationJSON(m) })
	}
}

// hUpdateInvitation is PUT …/invitations/:email.
func hUpdateInvitation(group bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		var level *int
		if l := v.optInt("access_level"); l != nil {
			if !model.ValidLevel(int(*l)) {
				v.errs = append(v.errs, "access_level does not have a valid value")
			}
			n := int(*l)
			level = &n
		}
		expires := v.optDate("expires_at")
		if fail := v.check(); fail != nil {
			return *fail
		}
		src, fail := c.pathSource(group)
		if fail != nil {
			return *fail
		}
		m, err := c.s.st.UpdateInvitation(c.viewer, src, c.vars["email"], level, expires, c.has("expires_at"), c.now)
		if err != nil {
			return refusal(err)
		}
		return reply(http.StatusOK, c.invitationJSON(m))
	}
}

// hDeleteInvitation is DELETE …/invitations/:email.
func hDeleteInvitation(group bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		src, fail := c.pathSource(group)
		if fail != nil {
			return *fail
		}
		m, err := c.s.st.InvitationToDelete(c.viewer, src, c.vars["email"], c.now)
		if err != nil {
			return refusal(err)
		}
		return c.destroy(m.UpdatedAt, func() { c.s.st.RemoveInvitation(m) })
	}
}
