package gitlabtest

import (
	"net/http"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// Enterprise users, from ee/lib/api/group_enterprise_users.rb; the rules
// are the domain's (internal/model/enterprise_users.go); see
// https://docs.gitlab.com/api/group_enterprise_users/. Each route checks
// in GitLab's order: authenticate! (401, the route group), the before
// filter's user_group (404 Group Not Found) and top-level check (400),
// Grape's parameters (400), authorize! on the group (403), then
// enterprise_users.find (404 Not found). Off GitLab.com (WithGitLabCom
// not set) no group has enterprise users: the list is empty and every
// user 404.

// enterpriseRoute serves a route of the API: the before filter, the
// parameters params declares, authorize!, then serve.
func enterpriseRoute[P any](params func(*validator) P, serve func(*reqCtx, *group, P) answer) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		g, err := c.s.st.EnterpriseGroup(c.viewer, c.vars["ref"], c.now)
		if err != nil {
			return refusal(err)
		}
		v := c.validate()
		p := params(v)
		if fail := v.check(); fail != nil {
			return *fail
		}
		if err := c.s.st.AuthorizeEnterpriseUsers(c.viewer, g, c.now); err != nil {
			return refusal(err)
		}
		return serve(c, g, p)
	}
}

// enterpriseUserRoute is enterpriseRoute for a route on :user_id, which
// must be an enterprise user of the group.
func enterpriseUserRoute[P any](params func(*validator) P, serve func(*reqCtx, *group, *user, P) answer) func(*reqCtx) answer {
	type withID struct {
		id int64
		p  P
	}
	read := func(v *validator) withID { return withID{v.pathID("user_id"), params(v)} }
	return enterpriseRoute(read, func(c *reqCtx, g *group, p withID) answer {
		u, err := c.s.st.EnterpriseUser(g, p.id, c.s.cfgGitLabCom())
		if err != nil {
			return refusal(err)
		}
		return serve(c, g, u, p.p)
	})
}

// enterpriseList are the parameters of the list.
type enterpriseList struct {
	f  model.EnterpriseUserFilter
	pg pages
}

func noParams(*validator) struct{} { return struct{}{} }

var hListEnterpriseUsers = enterpriseRoute(func(v *validator) enterpriseList {
	f := model.EnterpriseUserFilter{Username: v.optStr("username"), Search: v.optStr("search"),
		Active: v.flag("active"), Blocked: v.flag("blocked"),
		CreatedAfter: v.optTime("created_after"), CreatedBefore: v.optTime("created_before"),
		TwoFactor: v.optStr("two_factor")}
	return enterpriseList{f, v.pages()}
}, func(c *reqCtx, g *group, p enterpriseList) answer {
	list := c.s.st.EnterpriseUsers(g, c.s.cfgGitLabCom(), p.f)
	return listAnswer(c, list, p.pg, false, func(u *user) any { return c.userJSON(u, lvlPublic, false) })
})

var hGetEnterpriseUser = enterpriseUserRoute(noParams, func(c *reqCtx, _ *group, u *user, _ struct{}) answer {
	return reply(http.StatusOK, c.userJSON(u, lvlPublic, false))
})

// enterpriseUpdate are the parameters of PATCH: name and email.
type enterpriseUpdate struct{ name, email *string }

var hUpdateEnterpriseUser = enterpriseUserRoute(func(v *validator) enterpriseUpdate {
	return enterpriseUpdate{v.optStr("name"), v.optStr("email")}
}, func(c *reqCtx, g *group, u *user, p enterpriseUpdate) answer {
	if err := c.s.st.UpdateEnterpriseUser(g, u, p.name, p.email, c.now); err != nil {
		return refusal(err)
	}
	return reply(http.StatusOK, c.userJSON(u, lvlPublic, false))
})

var hDisableEnterpriseTwoFactor = enterpriseUserRoute(noParams, func(c *reqCtx, g *group, u *user, _ struct{}) answer {
	if err := c.s.st.DisableEnterpriseTwoFactor(c.viewer, g, u, c.now); err != nil {
		return refusal(err)
	}
	return noBody(http.StatusNoContent)
})

var hDeleteEnterpriseUser = enterpriseUserRoute(func(v *validator) bool { return v.flag("hard_delete") },
	func(c *reqCtx, _ *group, u *user, hard bool) answer {
		if err := c.s.st.CheckEnterpriseRemovable(u, hard); err != nil {
			return refusal(err)
		}
		return c.destroy(u.UpdatedAt, func() { c.s.st.DeleteEnterpriseUser(u, hard) })
	})
