package gitlabtest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// Impersonation tokens (administrators), from lib/api/users.rb; see
// https://docs.gitlab.com/api/user_tokens/.

// availableScopes is Gitlab::Auth.all_available_scopes.
var availableScopes = []string{"api", "read_api", "read_user", "create_runner", "manage_runner", "k8s_proxy", "self_rotate",
	"read_repository", "write_repository", "read_registry", "write_registry", "read_virtual_registry",
	"write_virtual_registry", "read_observability", "write_observability", "ai_features", "sudo", "admin_mode", "read_service_ping"}

// The namespace runs before { authenticated_as_admin! }, so these
// endpoints answer 401 or 403 before they validate their parameters.

// tokenOwner runs the checks of an impersonation-token endpoint: 401 or
// 403, then v's parameters (400), then 404 User.
func (c *reqCtx) tokenOwner(v *validator) (*user, *answer) {
	if fail := c.requireAdmin(); fail != nil {
		return nil, fail
	}
	return c.owner(v, anyUser)
}

func hListTokens(c *reqCtx) answer {
	v := c.validate()
	state := v.optValue("state", "all", "active", "inactive")
	pg := v.pages()
	u, fail := c.tokenOwner(v)
	if fail != nil {
		return *fail
	}
	var list []*token
	for _, t := range c.s.st.UserTokens(u.ID, true) {
		if state == nil || *state == "all" || (*state == "active") == t.Active(c.now) {
			list = append(list, t)
		}
	}
	return listAnswer(c, list, pg, false, func(t *token) any { return c.tokenJSON(t, false) })
}

func hCreateToken(c *reqCtx) answer {
	v := c.validate()
	name := v.require("name")
	desc := v.optStr("description")
	expires := v.optDate("expires_at")
	granular := c.granularScopes(v)
	if granular != nil && c.has("scopes") {
		v.errs = append(v.errs, "scopes, granular_scopes are mutually exclusive")
	}
	u, fail := c.tokenOwner(v)
	if fail != nil {
		return *fail
	}
	scopes, _ := c.list("scopes")
	var fe fieldErrs
	if strings.TrimSpace(name) == "" {
		fe.add("name", "can't be blank")
	}
	if len(scopes) == 0 && granular == nil {
		fe.add("scopes", "can't be blank")
	}
	for _, s := range scopes {
		if !slices.Contains(availableScopes, s) {
			fe.add("scopes", "can only contain available scopes")
			break
		}
	}
	if !u.Admin && (slices.Contains(scopes, "sudo") || slices.Contains(scopes, "admin_mode")) {
		fe.add("scopes", "sudo and admin_mode can only be enabled for administrators")
	}
	limit := model.DayOf(c.now).AddDate(0, 0, 365)
	switch {
	case expires == nil:
		fe.add("expires_at", "can't be blank")
	case expires.After(limit):
		fe.add("expires_at", "must be before "+limit.Format("2006-01-02"))
	}
	if fail := fe.check(); fail != nil {
		return *fail
	}
	t := c.s.st.AddToken(u.ID, name, scopes, true, expires, "", c.now)
	t.Description = valueOr(desc, "")
	t.GranularScopes = granular
	return reply(http.StatusCreated, c.tokenJSON(t, true))
}

// pathToken finds the impersonation token :token_id of the user :id.
func (c *reqCtx) pathToken() (*token, *answer) {
	v := c.validate()
	id := v.pathID("token_id")
	u, fail := c.tokenOwner(v)
	if fail != nil {
		return nil, fail
	}
	t, ok := c.s.st.TokenOf(u.ID, id)
	if !ok || !t.Impersonation {
		return nil, halt(notFound("Impersonation Token"))
	}
	return t, nil
}

func hGetToken(c *reqCtx) answer {
	t, fail := c.pathToken()
	if fail != nil {
		return *fail
	}
	return reply(http.StatusOK, c.tokenJSON(t, false))
}

func hRevokeToken(c *reqCtx) answer {
	t, fail := c.pathToken()
	if fail != nil {
		return *fail
	}
	return c.destroy(t.CreatedAt, func() { t.Revoked = true })
}

// granularAccess are the access values of a granular scope.
var granularAccess = []string{"user", "instance", "all_memberships", "personal_projects", "selected_memberships"}

// granularScopes reads granular_scopes, an Array of {access (required,
// one of granularAccess), permissions (required), project_ids,
// group_ids}, from a JSON body (parseParams flattens it to
// granular_scopes[i][...]). It returns nil when none were sent. Each
// selected project or group becomes one scope, as GitLab presents them
// (project_id or group_id).
func (c *reqCtx) granularScopes(v *validator) []GranularScope {
	var out []GranularScope
	for i := 0; ; i++ {
		p := "granular_scopes[" + strconv.Itoa(i) + "]"
		access, ok := c.str(p + "[access]")
		perms, hasPerms := c.list(p + "[permissions]")
		if !ok && !hasPerms {
			break
		}
		switch {
		case !ok:
			v.errs = append(v.errs, "granular_scopes["+strconv.Itoa(i)+"][access] is missing")
		case !slices.Contains(granularAccess, access):
			v.errs = append(v.errs, "granular_scopes["+strconv.Itoa(i)+"][access] does not have a valid value")
		}
		if !hasPerms {
			v.errs = append(v.errs, "granular_scopes["+strconv.Itoa(i)+"][permissions] is missing")
		}
		g := GranularScope{Access: access, Permissions: perms}
		projects, _ := c.list(p + "[project_ids]")
		groups, _ := c.list(p + "[group_ids]")
		if len(projects) == 0 && len(groups) == 0 {
			out = append(out, g)
		}
		for _, id := range projects {
			n, _ := strconv.ParseInt(id, 10, 64)
			gp := g
			gp.ProjectID = &n
			out = append(out, gp)
		}
		for _, id := range groups {
			n, _ := strconv.ParseInt(id, 10, 64)
			gg := g
			gg.GroupID = &n
			out = append(out, gg)
		}
	}
	return out
}
