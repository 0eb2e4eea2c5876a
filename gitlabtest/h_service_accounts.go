package gitlabtest

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// Service accounts, from lib/api/service_accounts.rb,
// lib/api/group_service_accounts.rb and lib/api/project_service_accounts.rb
// (CE since 18.11), Users::ServiceAccounts::CreateService and
// Namespaces::ServiceAccounts::*; see
// https://docs.gitlab.com/api/service_accounts/.

// serviceAccountJSON renders the ServiceAccount entity.
func serviceAccountJSON(u *user) *obj {
	o := (&obj{}).set("id", u.ID).set("username", u.Username).set("public_email", u.PublicEmail).
		set("name", u.Name).set("email", u.Email)
	if u.UnconfirmedEmail != "" {
		o.set("unconfirmed_email", u.UnconfirmedEmail)
	}
	return o.set("external", u.External)
}

// scope is where a service account route lives: the instance, a group
// or a project.
type scope struct {
	group   *group
	project *project
}

// provisioned reports whether u was created by this group or project.
func (s scope) provisioned(u *user) bool {
	switch {
	case s.group != nil:
		return u.ProvisionedByGroupID == s.group.ID
	case s.project != nil:
		return u.ProvisionedByProjectID == s.project.ID
	}
	return true
}

// usernamePrefix is the prefix of generated usernames
// (Gitlab::Utils::UsernameAndEmailGenerator callers).
func (s scope) usernamePrefix() string {
	switch {
	case s.group != nil:
		return "service_account_group_" + itoa(s.group.ID)
	case s.project != nil:
		return "service_account_project_" + itoa(s.project.ID)
	}
	return "service_account"
}

// newServiceAccount is the create service: GitLab's default name,
// username and email, external (instance accounts may say otherwise),
// and a custom email left unconfirmed. It returns the model's errors as
// a sentence when the account cannot be made.
func (c *reqCtx) newServiceAccount(sc scope, name, username, email *string, external *bool) (*user, string) {
	un := strings.TrimSpace(valueOr(username, ""))
	em := strings.TrimSpace(valueOr(email, ""))
	var errs []string
	if un != "" && c.s.st.UserByName(un) != nil {
		errs = append(errs, "Username has already been taken")
	}
	if em != "" {
		if taken, unconf := c.s.st.EmailUse(em, 0); taken || unconf {
			errs = append(errs, "Email has already been taken")
		}
	}
	if len(errs) > 0 {
		return nil, toSentence(errs)
	}
	host := "noreply." + c.host()
	if un == "" {
		base := sc.usernamePrefix() + "_" + model.RandomHex(16)
		un = base
		for n := 1; c.s.st.UserByName(un) != nil; n++ {
			un = base + itoa(int64(n))
		}
	}
	spec := UserSpec{Username: un, Name: cmp.Or(strings.TrimSpace(valueOr(name, "")), "Service account user"),
		Email: cmp.Or(em, un+"@"+host), ServiceAccount: true, External: external == nil || *external}
	if sc.group != nil {
		spec.ProvisionedByGroupID = sc.group.ID
	}
	if sc.project != nil {
		spec.ProvisionedByProjectID = sc.project.ID
	}
	u := addUser(c.s.st, spec, c.now)
	if em != "" {
		// A custom address waits for confirmation; the account keeps
		// its generated one until then.
		u.UnconfirmedEmail = em
		u.Email = un + "@" + host
		if e := c.s.st.PrimaryEmail(u); e != nil {
			e.Email = u.Email
		}
	}
	u.CreatedBy = c.viewer.ID
	return u, ""
}

// updateServiceAccount applies name, username and email (blank values
// ignored) and external; it returns a validation message on failure.
func (c *reqCtx) updateServiceAccount(u *user, name, username, email *string, external *bool) string {
	if un := strings.TrimSpace(valueOr(username, "")); un != "" && !strings.EqualFold(un, u.Username) {
		if c.s.st.UserByName(un) != nil {
			return "Username has already been taken"
		}
		c.s.st.Rename(u, un)
	}
	if em := strings.TrimSpace(valueOr(email, "")); em != "" && !strings.EqualFold(em, u.Email) {
		if taken, unconf := c.s.st.EmailUse(em, u.ID); taken || unconf {
			return "Email has already been taken"
		}
		u.UnconfirmedEmail = em
	}
	if n := strings.TrimSpace(valueOr(name, "")); n != "" {
		u.Name = n
	}
	if external != nil {
		u.External = *external
	}
	u.UpdatedAt = c.now
	return ""
}

// serviceAccountList answers a list of service accounts with GitLab's
// order_by (id or username, default id) and sort (default desc).
func (c *reqCtx) serviceAccountList(keep func(*user) bool, v *validator) answer {
	orderBy := v.optValue("order_by", "id", "username")
	sortDir := v.optValue("sort", "asc", "desc")
	pg := v.pages()
	if fail := v.check(); fail != nil {
		return *fail
	}
	var list []*user
	for _, u := range c.s.st.UsersByID() {
		if u.ServiceAccount && keep(u) {
			list = append(list, u)
		}
	}
	desc := sortDir == nil || *sortDir == "desc"
	slices.SortStableFunc(list, func(a, b *user) int {
		r := cmp.Compare(a.ID, b.ID)
		if orderBy != nil && *orderBy == "username" {
			r = cmp.Compare(a.Username, b.Username)
		}
		if desc {
			return -r
		}
		return r
	})
	return listAnswer(c, list, pg, false, func(u *user) any { return serviceAccountJSON(u) })
}

// --- instance: lib/api/service_accounts.rb (authenticated_as_admin!) --

func hListServiceAccounts(c *reqCtx) answer {
	if fail := c.requireAdmin(); fail != nil {
		return *fail
	}
	return c.serviceAccountList(func(*user) bool { return true }, c.validate())
}

func hCreateServiceAccount(c *reqCtx) answer {
	if fail := c.requireAdmin(); fail != nil {
		return *fail
	}
	v := c.validate()
	name, username, email, external := v.optStr("name"), v.optStr("username"), v.optStr("email"), v.optBool("external")
	if fail := v.check(); fail != nil {
		return *fail
	}
	u, failed := c.newServiceAccount(scope{}, name, username, email, external)
	if failed != "" {
		return badRequest(failed)
	}
	return reply(http.StatusCreated, serviceAccountJSON(u))
}

func hUpdateServiceAccount(c *reqCtx) answer {
	if fail := c.requireAdmin(); fail != nil {
		return *fail
	}
	v := c.validate()
	id := v.pathID("user_id")
	name, username, email, external := v.optStr("name"), v.optStr("username"), v.optStr("email"), v.optBool("external")
	if fail := v.check(); fail != nil {
		return *fail
	}
	u := c.s.st.User(id)
	switch {
	case u == nil:
		return reply(http.StatusNotFound, msg("404 Not found"))
	case !u.ServiceAccount:
		return reply(http.StatusBadRequest, msg("User is not a service account"))
	}
	if failed := c.updateServiceAccount(u, name, username, email, external); failed != "" {
		return reply(http.StatusBadRequest, msg(failed))
	}
	return reply(http.StatusOK, serviceAccountJSON(u))
}

// --- groups and projects ------------------------------------------------

// pathScope runs the before filter of the group and project service
// account APIs: the group or project :ref (404 "Group Not Found" /
// "Project Not Found"), then authorize! :admin_service_accounts (403):
// a group's Owners, a project's Maintainers and Owners, administrators.
func (c *reqCtx) pathScope(isProject bool) (scope, *answer) {
	ref := c.vars["ref"]
	if isProject {
		p := c.s.st.FindProject(ref)
		if p == nil || !c.canSeeProject(p) {
			return scope{}, halt(notFound("Project"))
		}
		if !c.admin() && c.s.st.ProjectAccess(c.viewer, p) < AccessMaintainer {
			return scope{}, halt(forbidden(""))
		}
		return scope{project: p}, nil
	}
	g := c.s.st.FindGroup(ref)
	if g == nil || !c.canSeeGroup(g) {
		return scope{}, halt(notFound("Group"))
	}
	if !c.admin() && c.s.st.GroupAccess(c.viewer, g) < AccessOwner {
		return scope{}, halt(forbidden(""))
	}
	return scope{group: g}, nil
}

func (c *reqCtx) canSeeGroup(g *group) bool {
	return c.admin() || g.Visibility != "private" || c.s.st.GroupAccess(c.viewer, g) > 0
}

func (c *reqCtx) canSeeProject(p *project) bool {
	return c.admin() || p.Visibility != "private" || c.s.st.ProjectAccess(c.viewer, p) > 0
}

// mayCreateOrDelete is create_service_account / delete_service_account:
// administrators; a group's Owners only where the instance lets them
// (WithOwnerServiceAccounts; off by default on self-managed GitLab); a
// project's Maintainers and Owners.
func (c *reqCtx) mayCreateOrDelete(sc scope) bool {
	return c.admin() || sc.project != nil || c.s.cfgOwnersCreateServiceAccounts()
}

// scopedAccount is validate_service_account_user: the account :user_id
// must be provisioned by the group or project (404 User), and, for
// groups, be a service account (400).
func (c *reqCtx) scopedAccount(sc scope, v *validator) (*user, *answer) {
	id := v.pathID("user_id")
	if fail := v.check(); fail != nil {
		return nil, fail
	}
	u := c.s.st.User(id)
	if u == nil || !sc.provisioned(u) {
		return nil, halt(notFound("User"))
	}
	if sc.group != nil && !u.ServiceAccount {
		return nil, halt(badRequest("User is not of type Service Account"))
	}
	return u, nil
}

func listScopedAccounts(isProject bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		sc, fail := c.pathScope(isProject)
		if fail != nil {
			return *fail
		}
		return c.serviceAccountList(sc.provisioned, c.validate())
	}
}

func createScopedAccount(isProject bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		sc, fail := c.pathScope(isProject)
		if fail != nil {
			return *fail
		}
		v := c.validate()
		name, username, email := v.optStr("name"), v.optStr("username"), v.optStr("email")
		if fail := v.check(); fail != nil {
			return *fail
		}
		if !c.mayCreateOrDelete(sc) {
			what := "group"
			if isProject {
				what = "project"
			}
			return badRequest("User does not have permission to create a service account in this " + what + ".")
		}
		u, failed := c.newServiceAccount(sc, name, username, email, nil)
		if failed != "" {
			return badRequest(failed)
		}
		return reply(http.StatusCreated, serviceAccountJSON(u))
	}
}

func updateScopedAccount(isProject bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		sc, fail := c.pathScope(isProject)
		if fail != nil {
			return *fail
		}
		v := c.validate()
		name, username, email := v.optStr("name"), v.optStr("username"), v.optStr("email")
		u, fail := c.scopedAccount(sc, v)
		if fail != nil {
			return *fail
		}
		if failed := c.updateServiceAccount(u, name, username, email, nil); failed != "" {
			return reply(http.StatusBadRequest, msg(failed))
		}
		return reply(http.StatusOK, serviceAccountJSON(u))
	}
}

func deleteScopedAccount(isProject bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		sc, fail := c.pathScope(isProject)
		if fail != nil {
			return *fail
		}
		v := c.validate()
		hard := v.flag("hard_delete")
		u, fail := c.scopedAccount(sc, v)
		if fail != nil {
			return *fail
		}
		if !isProject && !hard && c.soleGroupOwner(u) {
			return conflict("User cannot be removed while is the sole-owner of a group")
		}
		// destroy_conditionally! ignores the delete service's result: a
		// caller without delete_service_account gets 204 and nothing is
		// deleted. GitLab deletes in the background; the fake at once.
		allowed := c.mayCreateOrDelete(sc)
		return c.destroy(u.UpdatedAt, func() {
			if allowed {
				c.s.st.DeleteUser(u.ID)
			}
		})
	}
}

func listScopedTokens(isProject bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		sc, fail := c.pathScope(isProject)
		if fail != nil {
			return *fail
		}
		v := c.validate()
		f := v.tokenFilter()
		pg := v.pages()
		u, fail := c.scopedAccount(sc, v)
		if fail != nil {
			return *fail
		}
		return listAnswer(c, f.apply(c.s.st.UserTokens(u.ID, false), c.now), pg, false,
			func(t *token) any { return c.patJSON(t, false) })
	}
}

func createScopedToken(isProject bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		sc, fail := c.pathScope(isProject)
		if fail != nil {
			return *fail
		}
		v := c.validate()
		p := v.newPATParams(availableScopes)
		u, fail := c.scopedAccount(sc, v)
		if fail != nil {
			return *fail
		}
		return c.createPATAnswer(u, p)
	}
}

func revokeScopedToken(isProject bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		sc, fail := c.pathScope(isProject)
		if fail != nil {
			return *fail
		}
		v := c.validate()
		tokenID := v.pathID("token_id")
		u, fail := c.scopedAccount(sc, v)
		if fail != nil {
			return *fail
		}
		t, ok := c.s.st.TokenOf(u.ID, tokenID)
		if !ok {
			return notFound("Personal Access Token")
		}
		t.Revoked = true
		return noBody(http.StatusNoContent)
	}
}

func rotateScopedToken(isProject bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		sc, fail := c.pathScope(isProject)
		if fail != nil {
			return *fail
		}
		v := c.validate()
		tokenID := v.pathID("token_id")
		expires := v.optDate("expires_at")
		u, fail := c.scopedAccount(sc, v)
		if fail != nil {
			return *fail
		}
		t, ok := c.s.st.TokenOf(u.ID, tokenID)
		switch {
		case !ok && isProject:
			return notFound("Personal Access Token")
		case !ok:
			return reply(http.StatusNotFound, msg("404 Not Found"))
		}
		return c.rotateAnswer(t, expires)
	}
}

// --- GET /personal_access_tokens/self/associations ----------------------

// hTokenAssociations lists the groups and projects the caller can see
// (GroupsFinder and ProjectsFinder with default params), or with
// min_access_level their memberships at that level or higher and their
// descendants. Both lists are paginated with the same page; the headers
// are the projects'.
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
	var groups []*group
	for _, g := range c.s.st.Groups() {
		level := c.s.st.GroupAccess(c.viewer, g)
		if (minLevel == nil && c.canSeeGroup(g)) || (minLevel != nil && level >= *minLevel) {
			groups = append(groups, g)
		}
	}
	var projects []*project
	for _, p := range c.s.st.Projects() {
		level := c.s.st.ProjectAccess(c.viewer, p)
		if (minLevel == nil && c.canSeeProject(p)) || (minLevel != nil && level >= *minLevel) {
			projects = append(projects, p)
		}
	}
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
	if l := c.s.st.GroupAccess(c.viewer, g); l > 0 {
		level = l
	}
	return (&obj{}).set("id", g.ID).set("web_url", c.groupWebURL(g)).set("name", g.Name).
		set("parent_id", nullIfZero(g.ParentID)).set("organization_id", 1).set("access_levels", level).
		set("visibility", g.Visibility)
}

func (c *reqCtx) associatedProjectJSON(p *project) *obj {
	var projectLevel, groupLevel any
	for _, m := range c.viewer.Memberships {
		if m.SourceType == SourceProject && m.SourceID == p.ID {
			projectLevel = m.AccessLevel
		}
	}
	g := c.s.st.Group(p.GroupID)
	if l := c.s.st.GroupAccess(c.viewer, g); l > 0 {
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
