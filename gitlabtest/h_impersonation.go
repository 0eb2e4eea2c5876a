package gitlabtest

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// Impersonation tokens (administrators), from lib/api/users.rb; see
// https://docs.gitlab.com/api/user_tokens/.

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
	var f model.TokenFilter
	if state := v.optValue("state", "all", "active", "inactive"); state != nil && *state != "all" {
		f.State = state
	}
	pg := v.pages()
	u, fail := c.tokenOwner(v)
	if fail != nil {
		return *fail
	}
	return listAnswer(c, f.Apply(c.s.st.UserTokens(u.ID, true), c.now), pg, false, func(t *token) any { return c.tokenJSON(t, false) })
}

func hCreateToken(c *reqCtx) answer {
	v := c.validate()
	spec := model.TokenSpec{Name: v.require("name"), Description: valueOr(v.optStr("description"), ""),
		ExpiresAt: v.optDate("expires_at"), GranularScopes: c.granularScopes(v)}
	if spec.GranularScopes != nil && c.has("scopes") {
		v.errs = append(v.errs, "scopes, granular_scopes are mutually exclusive")
	}
	u, fail := c.tokenOwner(v)
	if fail != nil {
		return *fail
	}
	spec.Scopes, _ = c.list("scopes")
	t, err := c.s.st.CreateImpersonationToken(c.viewer, u, spec, c.now)
	if err != nil {
		return refusal(err)
	}
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
	t, err := c.s.st.ImpersonationToken(u, id)
	if err != nil {
		return nil, halt(refusal(err))
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
	return c.destroy(t.CreatedAt, t.Revoke)
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
