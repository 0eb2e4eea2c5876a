package gitlabtest

import (
	"net/http"
	"time"
)

// Email addresses of the current user and of any user, from
// lib/api/users.rb; see https://docs.gitlab.com/api/user_email_addresses/.

func (c *reqCtx) listEmails(u *user) {
	page, ok := paginate(c, c.s.st.userEmails(u.ID), false)
	if !ok {
		return
	}
	res := make([]*obj, 0, len(page))
	for _, e := range page {
		res = append(res, emailJSON(e))
	}
	c.json(http.StatusOK, res)
}

func (c *reqCtx) ownedEmail(u *user) *email {
	id, ok := c.pathID("email_id")
	if !ok {
		return nil
	}
	e := c.s.st.emails[id]
	if e == nil || e.UserID != u.ID {
		c.notFound("Email")
		return nil
	}
	return e
}

func (c *reqCtx) createEmail(u *user, addr string, confirmed bool) {
	var fe fieldErrs
	if !validEmail(addr) {
		fe.add("email", "is invalid")
	} else if taken, unconf := c.s.st.emailUse(addr, 0); taken || unconf {
		fe.add("email", "has already been taken")
	}
	if fe.any() {
		c.fieldErrors(fe)
		return
	}
	var at *time.Time
	if confirmed {
		at = ptrTime(c.now)
	}
	c.json(http.StatusCreated, emailJSON(c.s.st.addEmail(u.ID, addr, at, c.now)))
}

func (c *reqCtx) deleteEmail(u *user) {
	e := c.ownedEmail(u)
	if e == nil {
		return
	}
	if e.Primary {
		c.badRequest("Cannot delete primary email")
		return
	}
	if !c.unmodifiedSince(e.CreatedAt) {
		return
	}
	delete(c.s.st.emails, e.ID)
	c.noContent()
}

func hListOwnEmails(c *reqCtx) { c.listEmails(c.viewer) }

func hGetOwnEmail(c *reqCtx) {
	if e := c.ownedEmail(c.viewer); e != nil {
		c.json(http.StatusOK, emailJSON(e))
	}
}

func hCreateOwnEmail(c *reqCtx) {
	v := c.validate()
	addr := v.require("email")
	if v.ok() {
		c.createEmail(c.viewer, addr, false)
	}
}

func hDeleteOwnEmail(c *reqCtx) { c.deleteEmail(c.viewer) }

func hListUserEmails(c *reqCtx) {
	if u := c.adminTarget(); u != nil {
		c.listEmails(u)
	}
}

func hCreateUserEmail(c *reqCtx) {
	v := c.validate()
	addr := v.require("email")
	skip := v.flag("skip_confirmation")
	if !v.ok() || !c.requireAdmin() {
		return
	}
	if u := c.pathUser(); u != nil {
		c.createEmail(u, addr, skip)
	}
}

func hDeleteUserEmail(c *reqCtx) {
	if u := c.adminTarget(); u != nil {
		c.deleteEmail(u)
	}
}
