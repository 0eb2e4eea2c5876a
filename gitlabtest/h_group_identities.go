package gitlabtest

import (
	"net/http"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// The SAML and SCIM identities of a group, from
// ee/lib/api/provider_identity.rb (one class for both providers); the
// rules are the domain's (internal/model/group_identities.go); see
// https://docs.gitlab.com/api/saml/ and https://docs.gitlab.com/api/scim/.

// samlIdentityJSON renders API::Entities::IdentityDetail for a SAML
// identity, whose table has no active column: two keys.
func samlIdentityJSON(id model.SAMLIdentity) any {
	return (&obj{}).set("extern_uid", id.ExternUID).set("user_id", id.UserID)
}

// scimIdentityJSON renders IdentityDetail for a SCIM identity, with
// active.
func scimIdentityJSON(id model.SCIMIdentity) any {
	return (&obj{}).set("extern_uid", id.ExternUID).set("user_id", id.UserID).set("active", id.Active)
}

// identityRoute serves a route of provider_identity.rb: the class's
// before filters, authenticate! (the route's group, 401) and
// authorize_admin_group (model.Store.GroupIdentityAdmin: 404 Group,
// 403), come before the parameters (400), which serve reads.
func identityRoute(serve func(*reqCtx, *model.Group) answer) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		g, err := c.s.st.GroupIdentityAdmin(c.viewer, c.vars["ref"], c.now)
		if err != nil {
			return refusal(err)
		}
		return serve(c, g)
	}
}

// identityAnswer answers 200 with an identity, or the refusal.
func identityAnswer[T any](id T, err error, render func(T) any) answer {
	if err != nil {
		return refusal(err)
	}
	return reply(http.StatusOK, render(id))
}

// hListSAMLIdentities is GET /groups/:id/saml/identities: every
// identity, unpaginated; 400 when the group has no SAML provider.
var hListSAMLIdentities = identityRoute(func(c *reqCtx, g *model.Group) answer {
	ids, err := c.s.st.SAMLIdentities(g)
	if err != nil {
		return refusal(err)
	}
	return reply(http.StatusOK, renderAll(ids, samlIdentityJSON))
})

// hGetSAMLIdentity is GET /groups/:id/saml/:uid.
var hGetSAMLIdentity = identityRoute(func(c *reqCtx, g *model.Group) answer {
	id, err := c.s.st.SAMLIdentity(g, c.vars["uid"])
	return identityAnswer(id, err, samlIdentityJSON)
})

// hUpdateSAMLIdentity is PATCH /groups/:id/saml/:uid: extern_uid is
// required (400 {"error":"extern_uid is missing"}).
var hUpdateSAMLIdentity = identityRoute(func(c *reqCtx, g *model.Group) answer {
	v := c.validate()
	uid := v.require("extern_uid")
	if fail := v.check(); fail != nil {
		return *fail
	}
	id, err := c.s.st.UpdateSAMLIdentity(g, c.vars["uid"], uid)
	return identityAnswer(id, err, samlIdentityJSON)
})

// hDeleteSAMLIdentity is DELETE /groups/:id/saml/:uid: no_content!,
// 204 without a body; no If-Unmodified-Since.
var hDeleteSAMLIdentity = identityRoute(func(c *reqCtx, g *model.Group) answer {
	if err := c.s.st.DeleteSAMLIdentity(g, c.vars["uid"]); err != nil {
		return refusal(err)
	}
	return noBody(http.StatusNoContent)
})

// hListSCIMIdentities is GET /groups/:id/scim/identities: every
// identity, unpaginated; [] when there are none.
var hListSCIMIdentities = identityRoute(func(c *reqCtx, g *model.Group) answer {
	return reply(http.StatusOK, renderAll(c.s.st.SCIMIdentities(g), scimIdentityJSON))
})

// hGetSCIMIdentity is GET /groups/:id/scim/:uid, matched
// case-insensitively.
var hGetSCIMIdentity = identityRoute(func(c *reqCtx, g *model.Group) answer {
	id, err := c.s.st.SCIMIdentity(g, c.vars["uid"])
	return identityAnswer(id, err, scimIdentityJSON)
})

// hUpdateSCIMIdentity is PATCH /groups/:id/scim/:uid.
var hUpdateSCIMIdentity = identityRoute(func(c *reqCtx, g *model.Group) answer {
	v := c.validate()
	uid := v.require("extern_uid")
	if fail := v.check(); fail != nil {
		return *fail
	}
	id, err := c.s.st.UpdateSCIMIdentity(g, c.vars["uid"], uid)
	return identityAnswer(id, err, scimIdentityJSON)
})

// hDeleteSCIMIdentity is DELETE /groups/:id/scim/:uid: 204.
var hDeleteSCIMIdentity = identityRoute(func(c *reqCtx, g *model.Group) answer {
	if err := c.s.st.DeleteSCIMIdentity(g, c.vars["uid"]); err != nil {
		return refusal(err)
	}
	return noBody(http.StatusNoContent)
})

// renderAll renders every item, as a JSON array ([] for none).
func renderAll[T any](items []T, render func(T) any) []any {
	out := make([]any, 0, len(items))
	for _, it := range items {
		out = append(out, render(it))
	}
	return out
}
