package gitlabtest

import "net/http"

// Custom attributes of users (one file per SDK file:
// custom_attributes.go), from lib/api/custom_attributes_endpoints.rb; see
// https://docs.gitlab.com/api/custom_attributes/. The order of checks is
// the same for the four routes: the resource's 401 (PUT, DELETE), then
// the user (404 with the generic "404 Not Found" wording, for every
// caller), then the admin-only abilities (403); then the domain's rules
// (internal/model/custom_attributes.go).

// customAttrUser finds the user, then requires an administrator.
func (c *reqCtx) customAttrUser(v *validator) (*user, *answer) {
	if fail := v.check(); fail != nil {
		return nil, fail
	}
	u := c.findUser(c.vars["id"])
	if u == nil {
		return nil, halt(reply(http.StatusNotFound, msg("404 Not Found"))) // not_found! without a name
	}
	if !c.admin() {
		return nil, halt(forbidden(""))
	}
	return u, nil
}

func attrJSON(k, v string) *obj { return (&obj{}).set("key", k).set("value", v) }

// attrAnswer answers the attribute k of value val, or err.
func attrAnswer(k, val string, err error) answer {
	if err != nil {
		return refusal(err)
	}
	return reply(http.StatusOK, attrJSON(k, val))
}

func hListCustomAttributes(c *reqCtx) answer {
	u, fail := c.customAttrUser(c.validate())
	if fail != nil {
		return *fail
	}
	return reply(http.StatusOK, customAttributesJSON(u.CustomAttributes))
}

func hGetCustomAttribute(c *reqCtx) answer {
	u, fail := c.customAttrUser(c.validate())
	if fail != nil {
		return *fail
	}
	val, err := c.s.st.CustomAttribute(u, c.vars["key"])
	return attrAnswer(c.vars["key"], val, err)
}

// hSetCustomAttribute is an upsert: 200 whether it creates or updates.
func hSetCustomAttribute(c *reqCtx) answer {
	v := c.validate()
	val := v.require("value")
	u, fail := c.customAttrUser(v)
	if fail != nil {
		return *fail
	}
	return attrAnswer(c.vars["key"], val, c.s.st.SetCustomAttribute(u, c.vars["key"], val))
}

func hDeleteCustomAttribute(c *reqCtx) answer {
	u, fail := c.customAttrUser(c.validate())
	if fail != nil {
		return *fail
	}
	if err := c.s.st.DeleteCustomAttribute(u, c.vars["key"]); err != nil {
		return refusal(err)
	}
	return noBody(http.StatusNoContent)
}
