package gitlabtest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// SAML and LDAP group links (ee/lib/api/saml_group_links.rb,
// ee/lib/api/ldap_group_links.rb, https://docs.gitlab.com/api/saml_group_links/,
// https://docs.gitlab.com/api/group_ldap_links/) and LDAP sync
// (ee/lib/ee/api/groups.rb). The rules are the model's
// (internal/model/group_links.go).

// linkLevels are Gitlab::Access.values_with_minimal_access, the values
// Grape accepts for access_level and group_access.
var linkLevels = []string{"5", "10", "15", "20", "30", "40", "50"}

// linkGroup is find_group(params[:id]): the group of :ref, visible or
// not, or nil.
func (c *reqCtx) linkGroup() *group { return c.s.st.FindGroup(c.vars["ref"]) }

// readLinkLevel reads a required Integer limited to linkLevels.
func (v *validator) readLinkLevel(k string) int {
	v.require(k)
	n := v.optInt(k)
	if n == nil {
		return 0
	}
	if !slices.Contains(linkLevels, strconv.FormatInt(*n, 10)) {
		v.errs = append(v.errs, k+" does not have a valid value")
	}
	return int(*n)
}

// exactlyOne checks Grape's exactly_one_of.
func (v *validator) exactlyOne(keys ...string) {
	n := 0
	for _, k := range keys {
		if v.c.has(k) {
			n++
		}
	}
	switch {
	case n == 0:
		v.errs = append(v.errs, strings.Join(keys, ", ")+" are missing, exactly one parameter must be provided")
	case n > 1:
		v.errs = append(v.errs, strings.Join(keys, ", ")+" are mutually exclusive")
	}
}

// samlLinkJSON renders API::Entities::SamlGroupLink (member_role_id
// only where custom roles are on, which the fake never has).
func samlLinkJSON(l *model.SAMLGroupLink) *obj {
	var provider any
	if l.Provider != nil {
		provider = *l.Provider
	}
	return (&obj{}).set("name", l.Name).set("access_level", l.AccessLevel).set("provider", provider)
}

// ldapLinkJSON renders API::Entities::LdapGroupLink: filter is shown,
// the fake's license having filter links; member_role_id is not.
func ldapLinkJSON(l *model.LDAPGroupLink) *obj {
	var cn, filter any
	if l.CN != nil {
		cn = *l.CN
	}
	if l.Filter != nil {
		filter = *l.Filter
	}
	return (&obj{}).set("cn", cn).set("group_access", l.GroupAccess).set("provider", l.Provider).set("filter", filter)
}

// samlProvider is the provider filter of the GET and DELETE of one
// link: nil unless the request has the key (params.key?(:provider)).
func (c *reqCtx) samlProvider() *string {
	if !c.has("provider") {
		return nil
	}
	p := c.get("provider")
	return &p
}

// hListSAMLGroupLinks is GET /groups/:id/saml_group_links.
func hListSAMLGroupLinks(c *reqCtx) answer {
	links, err := c.s.st.SAMLGroupLinks(c.viewer, c.linkGroup(), c.now)
	if err != nil {
		return refusal(err)
	}
	out := make([]any, len(links))
	for i, l := range links {
		out[i] = samlLinkJSON(l)
	}
	return reply(http.StatusOK, out)
}

// hGetSAMLGroupLink is GET /groups/:id/saml_group_links/:saml_group_name.
func hGetSAMLGroupLink(c *reqCtx) answer {
	l, err := c.s.st.SAMLGroupLink(c.viewer, c.linkGroup(), c.vars["saml_group_name"], c.samlProvider(), c.now)
	if err != nil {
		return refusal(err)
	}
	return reply(http.StatusOK, samlLinkJSON(l))
}

// hCreateSAMLGroupLink is POST /groups/:id/saml_group_links.
func hCreateSAMLGroupLink(c *reqCtx) answer {
	v := c.validate()
	name := v.require("saml_group_name")
	level := v.readLinkLevel("access_level")
	v.optInt("member_role_id") // dropped: custom roles are off
	provider := v.optStr("provider")
	if fail := v.check(); fail != nil {
		return *fail
	}
	l, err := c.s.st.CreateSAMLGroupLink(c.viewer, c.linkGroup(), model.SAMLLinkSpec{Name: name, AccessLevel: level, Provider: provider}, c.now)
	if err != nil {
		return refusal(err)
	}
	return reply(http.StatusCreated, samlLinkJSON(l))
}

// hDeleteSAMLGroupLink is DELETE /groups/:id/saml_group_links/:saml_group_name.
func hDeleteSAMLGroupLink(c *reqCtx) answer {
	if err := c.s.st.DeleteSAMLGroupLink(c.viewer, c.linkGroup(), c.vars["saml_group_name"], c.samlProvider(), c.now); err != nil {
		return refusal(err)
	}
	return noBody(http.StatusNoContent)
}

// hListLDAPGroupLinks is GET /groups/:id/ldap_group_links.
func hListLDAPGroupLinks(c *reqCtx) answer {
	links, err := c.s.st.LDAPGroupLinks(c.viewer, c.linkGroup(), c.now)
	if err != nil {
		return refusal(err)
	}
	out := make([]any, len(links))
	for i, l := range links {
		out[i] = ldapLinkJSON(l)
	}
	return reply(http.StatusOK, out)
}

// hCreateLDAPGroupLink is POST /groups/:id/ldap_group_links.
func hCreateLDAPGroupLink(c *reqCtx) answer {
	v := c.validate()
	spec := model.LDAPLinkSpec{CN: v.optStr("cn"), Filter: v.optStr("filter")}
	spec.GroupAccess = v.readLinkLevel("group_access")
	provider := v.require("provider")
	v.optInt("member_role_id") // dropped: custom roles are off
	v.exactlyOne("cn", "filter")
	if fail := v.check(); fail != nil {
		return *fail
	}
	spec.Provider = &provider
	l, err := c.s.st.CreateLDAPGroupLink(c.viewer, c.linkGroup(), spec, c.now)
	if err != nil {
		return refusal(err)
	}
	return reply(http.StatusCreated, ldapLinkJSON(l))
}

// hDeleteLDAPGroupLink is DELETE /groups/:id/ldap_group_links, its cn or
// filter and provider in the query or body.
func hDeleteLDAPGroupLink(c *reqCtx) answer {
	v := c.validate()
	spec := model.LDAPLinkSpec{CN: v.optStr("cn"), Filter: v.optStr("filter")}
	provider := v.require("provider")
	v.exactlyOne("cn", "filter")
	if fail := v.check(); fail != nil {
		return *fail
	}
	spec.Provider = &provider
	return c.deleteLDAPLink(spec)
}

// hDeleteLDAPGroupLinkAt is DELETE /groups/:id/ldap_group_links/:cn and
// …/:provider/:cn. Their segments, as every Grape path parameter without
// requirements, stop at a dot: such a path matches no route.
func hDeleteLDAPGroupLinkAt(c *reqCtx) answer {
	cn := c.vars["cn"]
	spec := model.LDAPLinkSpec{CN: &cn}
	if p, ok := c.vars["provider"]; ok {
		spec.Provider = &p
	}
	if strings.Contains(cn, ".") || spec.Provider != nil && strings.Contains(*spec.Provider, ".") {
		return reply(http.StatusNotFound, map[string]string{"error": "404 Not Found"})
	}
	return c.deleteLDAPLink(spec)
}

func (c *reqCtx) deleteLDAPLink(spec model.LDAPLinkSpec) answer {
	if err := c.s.st.DeleteLDAPGroupLink(c.viewer, c.linkGroup(), spec, c.now); err != nil {
		return refusal(err)
	}
	return noBody(http.StatusNoContent)
}

// hLDAPSync is POST /groups/:id/ldap_sync: 404 where LDAP group sync is
// off (WithGitLabCom), then find_group! (404 Group Not Found), then
// admin_group (403); 202 with the status as its body.
func hLDAPSync(c *reqCtx) answer {
	if !model.LDAPSyncAvailable(c.s.cfgGitLabCom()) {
		return notFound("")
	}
	g, fail := c.pathGroup()
	if fail != nil {
		return *fail
	}
	if err := c.s.st.SyncLDAP(c.viewer, g, c.now); err != nil {
		return refusal(err)
	}
	return literal(http.StatusAccepted, "202")
}
