package gitlabtest

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// Group and project access tokens (lib/api/resource_access_tokens.rb,
// lib/api/resource_access_tokens/self_rotation.rb;
// https://docs.gitlab.com/api/group_access_tokens/ and
// https://docs.gitlab.com/api/project_access_tokens/) and the token
// information API for administrators (lib/api/admin/token.rb;
// https://docs.gitlab.com/api/admin/token/). The rules are the model's
// (internal/model/resource_tokens.go and admin_token.go).

// resourceTokenJSON renders Entities::ResourceAccessToken of t in src:
// the PersonalAccessToken entity, then the bot's access_level in src,
// resource_type and resource_id; withSecret adds "token"
// (ResourceAccessTokenWithToken, create and rotate only).
func (c *reqCtx) resourceTokenJSON(t *token, src model.Source, withSecret bool) *obj {
	o := c.patJSON(t, false)
	var lvl any
	if l := c.s.st.ResourceTokenLevel(t, src); l != nil {
		lvl = *l
	}
	typ := "project"
	if src.IsGroup() {
		typ = "group"
	}
	o.set("access_level", lvl).set("resource_type", typ).set("resource_id", src.ID)
	if withSecret {
		o.set("token", t.Token)
	}
	return o
}

// hListResourceTokens is GET /groups/:id/access_tokens and GET
// /projects/:id/access_tokens: the access_token_params and pagination
// (400), the group or project (404), then read_resource_access_tokens
// (401).
func hListResourceTokens(group bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		f := v.tokenFilter()
		pg := v.pages()
		if fail := v.check(); fail != nil {
			return *fail
		}
		src, fail := c.pathSource(group)
		if fail != nil {
			return *fail
		}
		tokens, err := c.s.st.ResourceTokens(c.viewer, src, c.now)
		if err != nil {
			return refusal(err)
		}
		return listAnswer(c, f.Apply(tokens, c.now), pg, false, func(t *token) any { return c.resourceTokenJSON(t, src, false) })
	}
}

// hGetResourceToken is GET …/access_tokens/:token_id (token_id is a
// String: no 400).
func hGetResourceToken(group bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		src, fail := c.pathSource(group)
		if fail != nil {
			return *fail
		}
		t, err := c.s.st.ResourceToken(c.viewer, src, c.vars["token_id"], c.now)
		if err != nil {
			return refusal(err)
		}
		return reply(http.StatusOK, c.resourceTokenJSON(t, src, false))
	}
}

// resourceAccessLevels are ALLOWED_RESOURCE_ACCESS_LEVELS
// (Gitlab::Access.options_with_owner) as Grape's values.
var resourceAccessLevels = []string{"10", "15", "20", "30", "40", "50"}

// hCreateResourceToken is POST /groups/:id/access_tokens and POST
// /projects/:id/access_tokens: the parameters in GitLab's order
// (create_personal_access_token_params, then scopes, expires_at and
// access_level, default 40), the group or project (404), then the
// service (400 "400 Bad request - <message>").
func hCreateResourceToken(group bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		var spec model.ResourceTokenSpec
		spec.Name = v.require("name")
		spec.Description = valueOr(v.optStr("description"), "")
		spec.ExpiresAt = v.optDate("expires_at")
		spec.ExpiresSet = c.has("expires_at")
		spec.Scopes = v.scopes(model.ResourceBotScopes)
		spec.AccessLevel = model.AccessMaintainer
		if l := v.optValue("access_level", resourceAccessLevels...); l != nil {
			n, _ := strconv.Atoi(*l)
			spec.AccessLevel = n
		}
		if fail := v.check(); fail != nil {
			return *fail
		}
		src, fail := c.pathSource(group)
		if fail != nil {
			return *fail
		}
		t, err := c.s.st.CreateResourceToken(c.viewer, src, spec, c.host(), c.now)
		if err != nil {
			return refusal(err)
		}
		return reply(http.StatusCreated, c.resourceTokenJSON(t, src, true))
	}
}

// hRotateResourceToken is POST …/access_tokens/:token_id/rotate: 200
// (set explicitly) with the new token.
func hRotateResourceToken(group bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		expires := v.optDate("expires_at")
		if fail := v.check(); fail != nil {
			return *fail
		}
		src, fail := c.pathSource(group)
		if fail != nil {
			return *fail
		}
		n, err := c.s.st.RotateResourceToken(c.viewer, src, c.vars["token_id"], expires, c.now)
		if err != nil {
			return refusal(err)
		}
		return reply(http.StatusOK, c.resourceTokenJSON(n, src, true))
	}
}

// hRotateSelfResourceToken is POST …/access_tokens/self/rotate: the
// presenting token rotates itself (its scopes were checked by
// groupTokenSelfRotate).
func hRotateSelfResourceToken(group bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		expires := v.optDate("expires_at")
		if fail := v.check(); fail != nil {
			return *fail
		}
		n, err := c.s.st.RotateSelfResourceToken(c.viewer, c.tok, group, c.vars["ref"], expires, c.now)
		if err != nil {
			return refusal(err)
		}
		src, _ := c.s.st.FindSource(c.viewer, group, c.vars["ref"], c.now)
		return reply(http.StatusOK, c.resourceTokenJSON(n, src, true))
	}
}

// hRevokeResourceToken is DELETE …/access_tokens/:token_id: the group
// or project (404), the token (404 "<group|project> Access Token"),
// then the service (400), 204.
func hRevokeResourceToken(group bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		src, fail := c.pathSource(group)
		if fail != nil {
			return *fail
		}
		return revokeAnswer(c.s.st.RevokeResourceToken(c.viewer, src, c.vars["token_id"], c.now))
	}
}

// adminTokenParam runs the checks POST and DELETE /admin/token share:
// authenticated_as_admin! (its before filter: 401, 403), then the
// required token (400), then the token's type and record (422 "Token
// type not supported.", 404 {"message":{"error":"Not found"}}).
func (c *reqCtx) adminTokenParam() (model.IdentifiedToken, *answer) {
	if fail := c.requireAdmin(); fail != nil {
		return model.IdentifiedToken{}, fail
	}
	v := c.validate()
	secret := v.require("token")
	if fail := v.check(); fail != nil {
		return model.IdentifiedToken{}, fail
	}
	id, err := c.s.st.IdentifyToken(secret)
	if err != nil {
		return id, halt(adminTokenRefusal(err))
	}
	return id, nil
}

// adminTokenRefusal renders a refusal of /admin/token: its own
// render_api_error! of a hash, {"message":{"error":"<message>"}}, for
// NotFound and BadRequest, and the message as it is for the 422 of an
// unknown type.
func adminTokenRefusal(err error) answer {
	var e *model.Error
	if errors.As(err, &e) && (e.Kind == model.NotFound || e.Kind == model.BadRequest) {
		return reply(statusOf[e.Kind], msg(map[string]string{"error": e.Text}))
	}
	return refusal(err)
}

// hIdentifyToken is POST /admin/token: 200 (set explicitly) with the
// entity of the token's type.
func hIdentifyToken(c *reqCtx) answer {
	id, fail := c.adminTokenParam()
	if fail != nil {
		return *fail
	}
	if id.Runner != nil {
		return reply(http.StatusOK, c.runnerJSON(id.Runner))
	}
	return reply(http.StatusOK, c.patJSON(id.Token, false))
}

// hRevokeIdentifiedToken is DELETE /admin/token: 204, or 400
// {"message":{"error":"<message>"}}.
func hRevokeIdentifiedToken(c *reqCtx) answer {
	id, fail := c.adminTokenParam()
	if fail != nil {
		return *fail
	}
	if err := c.s.st.RevokeIdentified(c.viewer, id, c.now); err != nil {
		return adminTokenRefusal(err)
	}
	return noBody(http.StatusNoContent)
}

// runnerJSON renders Entities::Ci::Runner (lib/api/entities/ci/runner.rb)
// for an administrator, who may read every creator: the fake's runners
// never contact it, so they are offline and idle.
func (c *reqCtx) runnerJSON(r *model.Runner) *obj {
	o := (&obj{}).set("id", r.ID).set("description", nullIfEmpty(r.Description)).set("ip_address", nil).
		set("active", !r.Paused).set("paused", r.Paused).set("is_shared", r.Type == model.RunnerInstance).
		set("runner_type", r.Type).set("name", nil).set("online", false)
	if u := c.s.st.User(r.CreatorID); u != nil {
		o.set("created_by", c.userJSON(u, lvlBasic, false))
	}
	return o.set("created_at", tsv(r.CreatedAt)).set("status", r.Status(c.now)).set("job_execution_status", "idle")
}
