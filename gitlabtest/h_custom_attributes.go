package gitlabtest

import "net/http"

// Custom attributes of users (one file per SDK file:
// custom_attributes.go), from lib/api/custom_attributes_endpoints.rb; see
// https://docs.gitlab.com/api/custom_attributes/. The order of checks is
// the same for the four routes: the resource's 401 (PUT, DELETE), then
// the user (404 with the generic "404 Not Found" wording, for every
// caller), then the admin-only abilities (403).

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
	k := c.vars["key"]
	val, ok := u.CustomAttributes[k]
	if !ok {
		return reply(http.StatusNotFound, msg("404 Not found")) // find_by!
	}
	return reply(http.StatusOK, attrJSON(k, val))
}

// hSetCustomAttribute is an upsert: 200 whether it creates or updates.
// A blank value fails the model's presence check.
func hSetCustomAttribute(c *reqCtx) answer {
	v := c.validate()
	val := v.require("value")
	u, fail := c.customAttrUser(v)
	if fail != nil {
		return *fail
	}
	if val == "" {
		return reply(http.StatusBadRequest, msg([]string{"Value can't be blank"}))
	}
	k := c.vars["key"]
	if u.CustomAttributes == nil {
		u.CustomAttributes = map[string]string{}
	}
	u.CustomAttributes[k] = val
	return reply(http.StatusOK, attrJSON(k, val))
}

func hDeleteCustomAttribute(c *reqCtx) answer {
	u, fail := c.customAttrUser(c.validate())
	if fail != nil {
		return *fail
	}
	k := c.vars["key"]
	if _, ok := u.CustomAttributes[k]; !ok {
		return notFound("Custom attribute")
	}
	delete(u.CustomAttributes, k)
	return noBody(http.StatusNoContent)
}
