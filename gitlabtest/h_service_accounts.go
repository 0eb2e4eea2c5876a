package gitlabtest

import (
	"net/http"
	"strings"
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// Service accounts, from lib/api/service_accounts.rb,
// lib/api/group_service_accounts.rb and lib/api/project_service_accounts.rb
// (CE since 18.11); the rules are the domain's
// (internal/model/service_accounts.go); see
// https://docs.gitlab.com/api/service_accounts/.

// serviceAccountJSON renders the ServiceAccount entity.
func serviceAccountJSON(u *user) any {
	o := (&obj{}).set("id", u.ID).set("username", u.Username).set("public_email", u.PublicEmail).
		set("name", u.Name).set("email", u.Email)
	if u.UnconfirmedEmail != "" {
		o.set("unconfirmed_email", u.UnconfirmedEmail)
	}
	return o.set("external", u.External)
}

// accountSpec reads name, username and email, and external where the
// endpoint declares it.
func (v *validator) accountSpec(external bool) model.ServiceAccountSpec {
	spec := model.ServiceAccountSpec{Name: valueOr(v.optStr("name"), ""), Username: valueOr(v.optStr("username"), ""),
		Email: valueOr(v.optStr("email"), "")}
	if external {
		spec.External = v.optBool("external")
	}
	return spec
}

// accountAnswer answers code with the account, or the refusal.
func accountAnswer(code int, u *user, err error) answer {
	if err != nil {
		return refusal(err)
	}
	return reply(code, serviceAccountJSON(u))
}

// serviceAccountList answers the service accounts of sc with GitLab's
// order_by and sort.
func (c *reqCtx) serviceAccountList(sc model.ServiceAccountScope, v *validator) answer {
	orderBy := v.optValue("order_by", "id", "username")
	sortDir := v.optValue("sort", "asc", "desc")
	pg := v.pages()
	if fail := v.check(); fail != nil {
		return *fail
	}
	list := c.s.st.ServiceAccounts(sc, valueOr(orderBy, ""), valueOr(sortDir, ""))
	return listAnswer(c, list, pg, false, serviceAccountJSON)
}

// createAccount answers the creation of a service account in sc.
func (c *reqCtx) createAccount(sc model.ServiceAccountScope, spec model.ServiceAccountSpec) answer {
	u, err := c.s.st.CreateServiceAccount(c.viewer, sc, spec, c.host(), c.now)
	return accountAnswer(http.StatusCreated, u, err)
}

// --- instance: lib/api/service_accounts.rb (authenticated_as_admin!) --

func hListServiceAccounts(c *reqCtx) answer {
	if fail := c.requireAdmin(); fail != nil {
		return *fail
	}
	return c.serviceAccountList(model.ServiceAccountScope{}, c.validate())
}

func hCreateServiceAccount(c *reqCtx) answer {
	if fail := c.requireAdmin(); fail != nil {
		return *fail
	}
	v := c.validate()
	spec := v.accountSpec(true)
	if fail := v.check(); fail != nil {
		return *fail
	}
	return c.createAccount(model.ServiceAccountScope{}, spec)
}

func hUpdateServiceAccount(c *reqCtx) answer {
	if fail := c.requireAdmin(); fail != nil {
		return *fail
	}
	v := c.validate()
	id := v.pathID("user_id")
	spec := v.accountSpec(true)
	if fail := v.check(); fail != nil {
		return *fail
	}
	u, err := c.s.st.InstanceServiceAccount(id)
	if err != nil {
		return refusal(err)
	}
	return accountAnswer(http.StatusOK, u, c.s.st.UpdateServiceAccount(u, spec, c.now))
}

// --- groups and projects ------------------------------------------------

// pathScope runs the before filter of the group and project service
// account APIs (model.Store.GroupServiceAccounts and
// ProjectServiceAccounts): the group or project :ref (404), then
// authorize! :admin_service_accounts (403).
func (c *reqCtx) pathScope(isProject bool) (model.ServiceAccountScope, *answer) {
	var sc model.ServiceAccountScope
	var err error
	if isProject {
		sc, err = c.s.st.ProjectServiceAccounts(c.viewer, c.vars["ref"], c.now)
	} else {
		sc, err = c.s.st.GroupServiceAccounts(c.viewer, c.vars["ref"], c.s.cfgOwnersCreateServiceAccounts(), c.now)
	}
	if err != nil {
		return sc, halt(refusal(err))
	}
	return sc, nil
}

// scopeRoute serves an endpoint of a group's or project's service
// accounts: the scope's before filter (404, 403), then the parameters
// params declares (400), then serve.
func scopeRoute[P any](isProject bool, params func(*validator) P, serve func(*reqCtx, model.ServiceAccountScope, *validator, P) answer) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		sc, fail := c.pathScope(isProject)
		if fail != nil {
			return *fail
		}
		v := c.validate()
		return serve(c, sc, v, params(v))
	}
}

// accountRoute is scopeRoute for an endpoint on the account :user_id,
// which validate_service_account_user then checks
// (model.Store.ScopedServiceAccount: 404 User, 400).
func accountRoute[P any](isProject bool, params func(*validator) P, serve func(*reqCtx, model.ServiceAccountScope, *user, P) answer) func(*reqCtx) answer {
	return scopeRoute(isProject, params, func(c *reqCtx, sc model.ServiceAccountScope, v *validator, p P) answer {
		id := v.pathID("user_id")
		if fail := v.check(); fail != nil {
			return *fail
		}
		u, err := c.s.st.ScopedServiceAccount(sc, id)
		if err != nil {
			return refusal(err)
		}
		return serve(c, sc, u, p)
	})
}

func scopedSpec(v *validator) model.ServiceAccountSpec { return v.accountSpec(false) }

func listScopedAccounts(isProject bool) func(*reqCtx) answer {
	return scopeRoute(isProject, func(*validator) struct{} { return struct{}{} },
		func(c *reqCtx, sc model.ServiceAccountScope, v *validator, _ struct{}) answer {
			return c.serviceAccountList(sc, v)
		})
}

func createScopedAccount(isProject bool) func(*reqCtx) answer {
	return scopeRoute(isProject, scopedSpec, func(c *reqCtx, sc model.ServiceAccountScope, v *validator, spec model.ServiceAccountSpec) answer {
		if fail := v.check(); fail != nil {
			return *fail
		}
		return c.createAccount(sc, spec)
	})
}

func updateScopedAccount(isProject bool) func(*reqCtx) answer {
	return accountRoute(isProject, scopedSpec, func(c *reqCtx, _ model.ServiceAccountScope, u *user, spec model.ServiceAccountSpec) answer {
		return accountAnswer(http.StatusOK, u, c.s.st.UpdateServiceAccount(u, spec, c.now))
	})
}

func deleteScopedAccount(isProject bool) func(*reqCtx) answer {
	hardDelete := func(v *validator) bool { return v.flag("hard_delete") }
	return accountRoute(isProject, hardDelete, func(c *reqCtx, sc model.ServiceAccountScope, u *user, hard bool) answer {
		if !isProject && !hard && c.s.st.SoleGroupOwner(u) {
			return conflict("User cannot be removed while is the sole-owner of a group")
		}
		// destroy_conditionally! ignores the delete service's result: a
		// caller who may not delete gets 204 and nothing is deleted.
		return c.destroy(u.UpdatedAt, func() { c.s.st.DeleteServiceAccount(c.viewer, sc, u) })
	})
}

// tokenList are the parameters of a token list.
type tokenList struct {
	filter model.TokenFilter
	pg     pages
}

func listScopedTokens(isProject bool) func(*reqCtx) answer {
	params := func(v *validator) tokenList { return tokenList{v.tokenFilter(), v.pages()} }
	return accountRoute(isProject, params, func(c *reqCtx, _ model.ServiceAccountScope, u *user, p tokenList) answer {
		return listAnswer(c, p.filter.Apply(c.s.st.UserTokens(u.ID, false), c.now), p.pg, false,
			func(t *token) any { return c.patJSON(t, false) })
	})
}

func createScopedToken(isProject bool) func(*reqCtx) answer {
	params := func(v *validator) model.TokenSpec { return v.tokenSpec(model.AvailableScopes) }
	return accountRoute(isProject, params, func(c *reqCtx, _ model.ServiceAccountScope, u *user, spec model.TokenSpec) answer {
		return c.createPATAnswer(u, spec)
	})
}

func tokenID(v *validator) int64 { return v.pathID("token_id") }

func revokeScopedToken(isProject bool) func(*reqCtx) answer {
	return accountRoute(isProject, tokenID, func(c *reqCtx, _ model.ServiceAccountScope, u *user, id int64) answer {
		return revokeAnswer(c.s.st.RevokeServiceAccountToken(u, id))
	})
}

// rotation are the parameters of a rotate.
type rotation struct {
	id      int64
	expires *time.Time
}

func rotateScopedToken(isProject bool) func(*reqCtx) answer {
	params := func(v *validator) rotation { return rotation{tokenID(v), v.optDate("expires_at")} }
	return accountRoute(isProject, params, func(c *reqCtx, sc model.ServiceAccountScope, u *user, r rotation) answer {
		return c.rotated(c.s.st.RotateServiceAccountToken(sc, u, r.id, r.expires, c.now))
	})
}

// --- GET /personal_access_tokens/self/associations ----------------------

// hTokenAssociations lists the groups and projects of
// model.Store.TokenAssociations. Both lists are paginated with the same
// page; the headers are the projects'.
func hTokenAssociations(c *reqCtx) answer {
	v := c.validate()
	minLevel := optParsed(v, "min_access_level", func(s string) (int, bool) {
		for _, l := range []int{5, 10, 15, 20, 25, 30, 40, 50} {
			if itoa(int64(l)) == strings.TrimSpace(s) {
				return l, true
			}
		}
		return 0, false
	})
	if len(v.errs) > 0 {
		v.errs = []string{"min_access_level does not have a valid value"}
	}
	pg := v.pages()
	if fail := v.check(); fail != nil {
		return *fail
	}
	groups, projects := c.s.st.TokenAssociations(c.viewer, minLevel, c.now)
	start, end := pageBounds(len(groups), pg)
	gs := make([]any, 0, end-start)
	for _, g := range groups[start:end] {
		gs = append(gs, c.associatedGroupJSON(g))
	}
	a := listAnswer(c, projects, pg, false, func(p *project) any { return c.associatedProjectJSON(p) })
	body := &obj{}
	body.set("groups", gs)
	ps := make([]any, 0)
	start, end = pageBounds(len(projects), pg)
	for _, p := range projects[start:end] {
		ps = append(ps, c.associatedProjectJSON(p))
	}
	body.set("projects", ps)
	out := reply(http.StatusOK, body)
	out.header = a.header
	return out
}

func pageBounds(total int, pg pages) (int, int) {
	start := min((pg.page-1)*pg.perPage, total)
	return start, min(start+pg.perPage, total)
}

func (c *reqCtx) groupWebURL(g *group) string { return c.s.URL + "/groups/" + g.FullPath }

func nullIfZero(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func (c *reqCtx) associatedGroupJSON(g *group) *obj {
	var level any
	if l := c.s.st.GroupAccess(c.viewer, g, c.now); l > 0 {
		level = l
	}
	return (&obj{}).set("id", g.ID).set("web_url", c.groupWebURL(g)).set("name", g.Name).
		set("parent_id", nullIfZero(g.ParentID)).set("organization_id", 1).set("access_levels", level).
		set("visibility", g.Visibility)
}

func (c *reqCtx) associatedProjectJSON(p *project) *obj {
	var projectLevel, groupLevel any
	for _, m := range c.s.st.Memberships(c.viewer, SourceProject, c.now) {
		if m.SourceID == p.ID {
			projectLevel = m.AccessLevel
		}
	}
	g := c.s.st.Group(p.GroupID)
	if l := c.s.st.GroupAccess(c.viewer, g, c.now); l > 0 {
		groupLevel = l
	}
	ns := &obj{}
	nsName := ""
	if g != nil {
		nsName = g.Name
		ns.set("id", g.ID).set("name", g.Name).set("path", g.Path).set("kind", "group").set("full_path", g.FullPath).
			set("parent_id", nullIfZero(g.ParentID)).set("avatar_url", nil).set("web_url", c.groupWebURL(g))
	}
	return (&obj{}).set("id", p.ID).set("description", p.Description).set("name", p.Name).
		set("name_with_namespace", nsName+" / "+p.Name).set("path", p.Path).set("path_with_namespace", p.PathWithNamespace).
		set("created_at", tsv(p.CreatedAt)).
		set("access_levels", (&obj{}).set("project_access_level", projectLevel).set("group_access_level", groupLevel)).
		set("visibility", p.Visibility).set("web_url", c.s.URL+"/"+p.PathWithNamespace).set("namespace", ns)
}
