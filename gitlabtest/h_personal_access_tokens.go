package gitlabtest

import (
	"net/http"
	"slices"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// Personal access tokens, from lib/api/personal_access_tokens.rb,
// lib/api/personal_access_tokens/self_information.rb,
// lib/api/personal_access_tokens/self_rotation.rb, lib/api/users.rb
// (the two create endpoints) and
// app/services/personal_access_tokens/{create,rotate,revoke}_service.rb;
// see https://docs.gitlab.com/api/personal_access_tokens/.

// patJSON renders the PersonalAccessToken entity; withSecret adds
// "token" (PersonalAccessTokenWithToken, create and rotate only).
func (c *reqCtx) patJSON(t *token, withSecret bool) *obj {
	scopes := t.Scopes
	if scopes == nil {
		scopes = []string{}
	}
	ips := t.LastUsedIPs
	if ips == nil {
		ips = []string{}
	}
	o := (&obj{}).set("id", t.ID).set("name", t.Name).set("revoked", t.Revoked).set("created_at", tsv(t.CreatedAt)).
		set("description", nullIfEmpty(t.Description)).set("scopes", scopes).set("user_id", t.UserID).
		set("last_used_at", ts(t.LastUsedAt)).set("active", t.Active(c.now)).set("granular", false).
		set("expires_at", date(t.ExpiresAt)).set("last_used_ips", ips)
	if withSecret {
		o.set("token", t.Token)
	}
	return o
}

// tokenFilter reads the access_token_params of
// lib/api/helpers/personal_access_tokens_helpers.rb (model.TokenFilter
// applies them).
func (v *validator) tokenFilter() model.TokenFilter {
	return model.TokenFilter{
		State:          v.optValue("state", "active", "inactive"),
		Revoked:        v.optBool("revoked"),
		CreatedBefore:  v.optTime("created_before"),
		CreatedAfter:   v.optTime("created_after"),
		LastUsedBefore: v.optTime("last_used_before"),
		LastUsedAfter:  v.optTime("last_used_after"),
		ExpiresBefore:  v.optDate("expires_before"),
		ExpiresAfter:   v.optDate("expires_after"),
		Search:         v.optStr("search"),
		Sort:           v.optStr("sort"),
	}
}

// restrictNonAdmins is the before filter restrict_non_admins! of
// lib/api/personal_access_tokens.rb: a user_id other than the caller's
// own is 401 for non-administrators.
func (c *reqCtx) restrictNonAdmins() *answer {
	if c.admin() || !c.has("user_id") {
		return nil
	}
	if c.get("user_id") != itoa(c.viewer.ID) {
		return halt(unauthorized())
	}
	return nil
}

func hListPATs(c *reqCtx) answer {
	if fail := c.restrictNonAdmins(); fail != nil {
		return *fail
	}
	v := c.validate()
	userID := v.optInt("user_id")
	f := v.tokenFilter()
	pg := v.pages()
	if fail := v.check(); fail != nil {
		return *fail
	}
	if c.has("user_id") && userID == nil {
		userID = new(int64) // a blank user_id names no user
	}
	tokens, err := c.s.st.ListableTokens(c.viewer, userID)
	if err != nil {
		return refusal(err)
	}
	return listAnswer(c, f.Apply(tokens, c.now), pg, false, func(t *token) any { return c.patJSON(t, false) })
}

// pathPAT runs restrict_non_admins!, then v's parameters, then finds
// :token_id for an endpoint whose permission is on the token's owner
// (model.Store.PersonalToken): a missing or forbidden
// token is 401 for non-admins and 404 "404 Not Found" for
// administrators, so that its existence is not leaked.
func (c *reqCtx) pathPAT(v *validator) (*token, *answer) {
	if fail := c.restrictNonAdmins(); fail != nil {
		return nil, fail
	}
	id := v.pathID("token_id")
	if fail := v.check(); fail != nil {
		return nil, fail
	}
	t, err := c.s.st.PersonalToken(c.viewer, id)
	switch {
	case err != nil && c.admin():
		return nil, halt(refusal(err))
	case err != nil:
		return nil, halt(unauthorized())
	}
	return t, nil
}

func hGetPAT(c *reqCtx) answer {
	t, fail := c.pathPAT(c.validate())
	if fail != nil {
		return *fail
	}
	return reply(http.StatusOK, c.patJSON(t, false))
}

func hRotatePAT(c *reqCtx) answer {
	v := c.validate()
	expires := v.optDate("expires_at")
	t, fail := c.pathPAT(v)
	if fail != nil {
		return *fail
	}
	return c.rotated(c.s.st.RotateToken(t, expires, c.now))
}

// rotated answers a rotation: 200 with the new token, or the refusal
// (400 "400 Bad request - <msg>").
func (c *reqCtx) rotated(n *token, err error) answer {
	if err != nil {
		return refusal(err)
	}
	return reply(http.StatusOK, c.patJSON(n, true))
}

// hRevokePAT is DELETE /personal_access_tokens/:token_id: a missing
// token is find's 404 "404 Not found" for everyone.
func hRevokePAT(c *reqCtx) answer {
	if fail := c.restrictNonAdmins(); fail != nil {
		return *fail
	}
	v := c.validate()
	id := v.pathID("token_id")
	if fail := v.check(); fail != nil {
		return *fail
	}
	return revokeAnswer(c.s.st.RevokeToken(c.viewer, id, c.now))
}

// revokeAnswer answers a revoke: 204, or the refusal.
func revokeAnswer(err error) answer {
	if err != nil {
		return refusal(err)
	}
	return noBody(http.StatusNoContent)
}

func hCurrentPAT(c *reqCtx) answer {
	return reply(http.StatusOK, c.patJSON(c.tok, false))
}

func hRotateCurrentPAT(c *reqCtx) answer {
	v := c.validate()
	expires := v.optDate("expires_at")
	if fail := v.check(); fail != nil {
		return *fail
	}
	return c.rotated(c.s.st.RotateToken(c.tok, expires, c.now))
}

func hRevokeCurrentPAT(c *reqCtx) answer {
	return revokeAnswer(c.s.st.RevokeToken(c.viewer, c.tok.ID, c.now))
}

// hCreatePATForUser is POST /users/:user_id/personal_access_tokens
// (lib/api/users.rb): admins, before its parameters are validated.
func hCreatePATForUser(c *reqCtx) answer {
	if fail := c.requireAdmin(); fail != nil {
		return *fail
	}
	v := c.validate()
	spec := v.tokenSpec(model.AvailableScopes)
	u, fail := c.owner(v, anyUser)
	if fail != nil {
		return *fail
	}
	return c.createPATAnswer(u, spec)
}

// hCreatePAT is POST /user/personal_access_tokens: the caller's own
// token, with only the scopes of model.SelfCreateScopes.
func hCreatePAT(c *reqCtx) answer {
	v := c.validate()
	spec := v.tokenSpec(model.SelfCreateScopes)
	if fail := v.check(); fail != nil {
		return *fail
	}
	return c.createPATAnswer(c.viewer, spec)
}

// tokenSpec reads the parameters of every personal access token create
// (lib/api/users.rb, lib/api/personal_access_tokens.rb and the service
// account APIs declare the same ones) in the order GitLab declares
// them, so that validation errors come in GitLab's order; scopes must
// be in allowed.
func (v *validator) tokenSpec(allowed []string) model.TokenSpec {
	var spec model.TokenSpec
	spec.Name = v.require("name")
	spec.Scopes = v.scopes(allowed)
	spec.Description = valueOr(v.optStr("description"), "")
	spec.ExpiresAt = v.optDate("expires_at")
	return spec
}

// createPATAnswer answers 201 with the new token, or the service's
// refusal (422).
func (c *reqCtx) createPATAnswer(u *user, spec model.TokenSpec) answer {
	t, err := c.s.st.CreatePersonalToken(c.viewer, u, spec, c.now)
	if err != nil {
		return refusal(err)
	}
	return reply(http.StatusCreated, c.patJSON(t, true))
}

// scopes reads the required Array[String] scopes (or a comma-separated
// string), each of which must be in values.
func (v *validator) scopes(values []string) []string {
	scopes, ok := v.c.list("scopes")
	if !ok {
		v.errs = append(v.errs, "scopes is missing")
		return nil
	}
	for _, s := range scopes {
		if !slices.Contains(values, s) {
			v.errs = append(v.errs, "scopes does not have a valid value")
			return nil
		}
	}
	return scopes
}
