package gitlabtest

import (
	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// The users of a group's SAML provider and the users a group
// provisioned, from ee/lib/ee/api/groups.rb (saml_users,
// provisioned_users) with UsersFinder's filters; the rules are the
// domain's (internal/model/group_identities.go); see
// https://docs.gitlab.com/api/groups/#list-all-saml-users and
// https://docs.gitlab.com/api/groups/#list-provisioned-users.

// groupUserParams reads the parameters both routes declare, in Grape's
// order: username, search, active and blocked (Booleans defaulting to
// false), created_after and created_before (DateTime), then pagination.
func groupUserParams(v *validator) (model.GroupUserFilter, pages) {
	f := model.GroupUserFilter{Username: v.optStr("username"), Search: v.optStr("search")}
	f.Active, f.Blocked = v.flag("active"), v.flag("blocked")
	f.CreatedAfter, f.CreatedBefore = v.optTime("created_after"), v.optTime("created_before")
	return f, v.pages()
}

// groupUserList answers a page of users as API::Entities::UserPublic,
// whoever asks.
func (c *reqCtx) groupUserList(users []*user, err error, pg pages) answer {
	if err != nil {
		return refusal(err)
	}
	return listAnswer(c, users, pg, false, func(u *user) any { return c.userJSON(u, lvlPublic, false) })
}

// hSAMLUsers is GET /groups/:id/saml_users: the parameters (400), then
// the endpoint's authenticate! (401: the groups API lets anonymous GETs
// through), then the model (404 Group, 400 top-level, 403).
func hSAMLUsers(c *reqCtx) answer {
	v := c.validate()
	f, pg := groupUserParams(v)
	if fail := v.check(); fail != nil {
		return *fail
	}
	if c.viewer == nil {
		return unauthorized()
	}
	users, err := c.s.st.SAMLUsers(c.viewer, c.vars["ref"], f, c.now)
	return c.groupUserList(users, err, pg)
}

// hProvisionedUsers is GET /groups/:id/provisioned_users: the
// parameters (400), then the model (404 Group, 403; an anonymous
// caller of a public group gets 403 from authorize!).
func hProvisionedUsers(c *reqCtx) answer {
	v := c.validate()
	f, pg := groupUserParams(v)
	if fail := v.check(); fail != nil {
		return *fail
	}
	users, err := c.s.st.ProvisionedUsers(c.viewer, c.vars["ref"], f, c.now)
	return c.groupUserList(users, err, pg)
}
