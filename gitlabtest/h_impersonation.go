package gitlabtest

import (
	"net/http"
	"slices"
	"strings"
)

// Impersonation tokens (administrators), from lib/api/users.rb; see
// https://docs.gitlab.com/api/user_tokens/.

// availableScopes is Gitlab::Auth.all_available_scopes.
var availableScopes = []string{"api", "read_api", "read_user", "create_runner", "manage_runner", "k8s_proxy", "self_rotate",
	"read_repository", "write_repository", "read_registry", "write_registry", "read_virtual_registry",
	"write_virtual_registry", "read_observability", "write_observability", "ai_features", "sudo", "admin_mode", "read_service_ping"}

func hListTokens(c *reqCtx) {
	if !c.requireAdmin() {
		return
	}
	v := c.validate()
	state := v.optValue("state", "all", "active", "inactive")
	if !v.ok() {
		return
	}
	u := c.pathUser()
	if u == nil {
		return
	}
	var list []*token
	for _, t := range c.s.st.userTokens(u.ID, true) {
		if state == nil || *state == "all" || (*state == "active") == t.active(c.now) {
			list = append(list, t)
		}
	}
	page, ok := paginate(c, list, false)
	if !ok {
		return
	}
	res := make([]*obj, 0, len(page))
	for _, t := range page {
		res = append(res, c.tokenJSON(t, false))
	}
	c.json(http.StatusOK, res)
}

func hCreateToken(c *reqCtx) {
	if !c.requireAdmin() {
		return
	}
	v := c.validate()
	name := v.require("name")
	desc := v.optStr("description")
	expires := v.optDate("expires_at")
	if !v.ok() {
		return
	}
	u := c.pathUser()
	if u == nil {
		return
	}
	scopes, _ := c.list("scopes")
	var fe fieldErrs
	if strings.TrimSpace(name) == "" {
		fe.add("name", "can't be blank")
	}
	if len(scopes) == 0 {
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
	limit := dayOf(c.now).AddDate(0, 0, 365)
	switch {
	case expires == nil:
		fe.add("expires_at", "can't be blank")
	case expires.After(limit):
		fe.add("expires_at", "must be before "+limit.Format("2006-01-02"))
	}
	if fe.any() {
		c.fieldErrors(fe)
		return
	}
	t := c.s.st.addToken(u.ID, name, scopes, true, expires, "", c.now)
	if desc != nil {
		t.Description = *desc
	}
	c.json(http.StatusCreated, c.tokenJSON(t, true))
}

func (c *reqCtx) pathToken() *token {
	if !c.requireAdmin() {
		return nil
	}
	u := c.pathUser()
	if u == nil {
		return nil
	}
	id, ok := c.pathID("token_id")
	if !ok {
		return nil
	}
	t := c.s.st.tokens[id]
	if t == nil || t.UserID != u.ID || !t.Impersonation {
		c.notFound("Impersonation Token")
		return nil
	}
	return t
}

func hGetToken(c *reqCtx) {
	if t := c.pathToken(); t != nil {
		c.json(http.StatusOK, c.tokenJSON(t, false))
	}
}

func hRevokeToken(c *reqCtx) {
	t := c.pathToken()
	if t == nil || !c.unmodifiedSince(t.CreatedAt) {
		return
	}
	t.Revoked = true
	c.noContent()
}
