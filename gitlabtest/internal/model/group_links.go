package model

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"time"
)

// SAML group links (ee/lib/api/saml_group_links.rb, ee/app/models/
// saml_group_link.rb, GroupSaml::SamlGroupLinks::CreateService) and LDAP
// group links (ee/lib/api/ldap_group_links.rb, ee/app/models/
// ldap_group_link.rb) are configuration: storing them changes no
// membership. An LDAP synchronization (SyncLDAP, EE::Gitlab::Auth::Ldap::
// Sync::Group) applies the LDAP links to what the directory answers,
// which tests seed with SetLDAPDirectory; the fake has no LDAP server.
//
// The fake answers as a licensed instance where SAML group sync is
// available to every group and filter links are allowed, without custom
// roles (member_role_id is dropped, as GitLab drops it then) and without
// the Minimal Access license.

// LDAPEntry names what the directory answers for: an LDAP group by its
// CN, or an LDAP filter, on one provider.
type LDAPEntry struct{ Provider, CNOrFilter string }

// SAMLLinkSpec is the parameters of CreateSAMLGroupLink.
type SAMLLinkSpec struct {
	Name        string
	AccessLevel int
	Provider    *string
}

// LDAPLinkSpec is the parameters of CreateLDAPGroupLink and, without
// GroupAccess, of DeleteLDAPGroupLink (where a nil Provider is the older
// route that names the CN only).
type LDAPLinkSpec struct {
	CN, Filter  *string
	GroupAccess int
	Provider    *string
}

// canAdminSAMLLinks is admin_saml_group_links (ee/app/policies/ee/
// group_policy.rb): administrators and the group's Owners, SAML group
// sync being available. The API calls find_group, without a visibility
// check, so a missing group (nil) is refused the same way: Unauthorized.
func (st *Store) canAdminSAMLLinks(actor *User, g *Group, now time.Time) error {
	if actor == nil || g == nil || st.groupRole(actor, g, now) < AccessOwner {
		return &Error{Kind: Unauthorized}
	}
	return nil
}

// canAdminGroup is authorize! :admin_group for the LDAP link routes:
// administrators and the group's Owners; a missing group (nil) is
// Forbidden too.
func (st *Store) canAdminGroup(actor *User, g *Group, now time.Time) error {
	if actor == nil || g == nil || st.groupRole(actor, g, now) < AccessOwner {
		return forbidden("")
	}
	return nil
}

// SAMLGroupLinks is GET /groups/:id/saml_group_links: g's links in
// creation order. Reads only.
func (st *Store) SAMLGroupLinks(actor *User, g *Group, now time.Time) ([]*SAMLGroupLink, error) {
	if err := st.canAdminSAMLLinks(actor, g, now); err != nil {
		return nil, err
	}
	return st.samlLinks[g.ID], nil
}

// SAMLGroupLink is GET /groups/:id/saml_group_links/:name
// (find_saml_group_link_with_provider): the link of this exact name;
// when providerSent, the one of provider (blank meaning none). Several
// matches without a provider is Unprocessable; none is NotFound
// ("404 Not Found"). Reads only.
func (st *Store) SAMLGroupLink(actor *User, g *Group, name string, provider *string, now time.Time) (*SAMLGroupLink, error) {
	if err := st.canAdminSAMLLinks(actor, g, now); err != nil {
		return nil, err
	}
	var found []*SAMLGroupLink
	for _, l := range st.samlLinks[g.ID] {
		if l.Name == name && (provider == nil || equalPtr(l.Provider, blankNil(*provider))) {
			found = append(found, l)
		}
	}
	switch {
	case len(found) > 1 && provider == nil:
		return nil, refused(Unprocessable, "Multiple group links found with the same name. Please specify a provider parameter to disambiguate.")
	case len(found) == 0:
		return nil, notFound("")
	}
	return found[0], nil
}

// CreateSAMLGroupLink is POST /groups/:id/saml_group_links: the name and
// provider stripped, a blank provider none, then SamlGroupLink's
// validations in its order; a refusal is BadRequest with every message
// joined by ",", as the service words it.
func (st *Store) CreateSAMLGroupLink(actor *User, g *Group, spec SAMLLinkSpec, now time.Time) (*SAMLGroupLink, error) {
	if err := st.canAdminSAMLLinks(actor, g, now); err != nil {
		return nil, err
	}
	l := &SAMLGroupLink{GroupID: g.ID, Name: strings.TrimSpace(spec.Name), AccessLevel: spec.AccessLevel}
	if spec.Provider != nil {
		l.Provider = blankNil(strings.TrimSpace(*spec.Provider))
	}
	var msgs []string
	if l.Name == "" {
		msgs = append(msgs, "Saml group name can't be blank")
	}
	if slices.ContainsFunc(st.samlLinks[g.ID], func(o *SAMLGroupLink) bool { return o.Name == l.Name && equalPtr(o.Provider, l.Provider) }) {
		msgs = append(msgs, "Saml group name has already been taken")
	}
	if len([]rune(l.Name)) > 255 {
		msgs = append(msgs, "Saml group name is too long (maximum is 255 characters)")
	}
	if l.Provider != nil && len([]rune(*l.Provider)) > 255 {
		msgs = append(msgs, "Provider is too long (maximum is 255 characters)")
	}
	if !ValidLevel(l.AccessLevel) { // group.access_level_roles: no Minimal Access without its license
		msgs = append(msgs, "Access level is invalid")
	}
	if len(msgs) > 0 {
		return nil, refused(BadRequest, strings.Join(msgs, ","))
	}
	st.nextGroupLink++
	l.ID = st.nextGroupLink
	if st.samlLinks == nil {
		st.samlLinks = map[int64][]*SAMLGroupLink{}
	}
	st.samlLinks[g.ID] = append(st.samlLinks[g.ID], l)
	return l, nil
}

// DeleteSAMLGroupLink is DELETE /groups/:id/saml_group_links/:name: the
// link SAMLGroupLink finds. The members it gave a role keep it.
func (st *Store) DeleteSAMLGroupLink(actor *User, g *Group, name string, provider *string, now time.Time) error {
	l, err := st.SAMLGroupLink(actor, g, name, provider, now)
	if err != nil {
		return err
	}
	st.samlLinks[g.ID] = slices.DeleteFunc(st.samlLinks[g.ID], func(o *SAMLGroupLink) bool { return o == l })
	return nil
}

// LDAPGroupLinks is GET /groups/:id/ldap_group_links: g's links in
// creation order, and none is NotFound "No linked LDAP groups found"
// (render_api_error!, not an empty list). Reads only.
func (st *Store) LDAPGroupLinks(actor *User, g *Group, now time.Time) ([]*LDAPGroupLink, error) {
	if err := st.canAdminGroup(actor, g, now); err != nil {
		return nil, err
	}
	if len(st.ldapLinks[g.ID]) == 0 {
		return nil, refused(NotFound, "No linked LDAP groups found")
	}
	return st.ldapLinks[g.ID], nil
}

// ldapFilterRe approximates Net::LDAP::Filter::FilterParser (ee/app/
// validators/ldap_filter_validator.rb): one attribute=value item, or
// items in balanced parentheses (checked by balanced).
var ldapFilterRe = regexp.MustCompile(`^\(?[&|!(]*[A-Za-z][\w.;-]*[~<>:]?=`)

// CreateLDAPGroupLink is POST /groups/:id/ldap_group_links: a blank CN
// or filter becomes none, then LdapGroupLink's validations in its order;
// a refusal is Conflict with the first message (the API's 409).
func (st *Store) CreateLDAPGroupLink(actor *User, g *Group, spec LDAPLinkSpec, now time.Time) (*LDAPGroupLink, error) {
	if err := st.canAdminGroup(actor, g, now); err != nil {
		return nil, err
	}
	l := &LDAPGroupLink{GroupID: g.ID, CN: nilIfBlank(spec.CN), Filter: nilIfBlank(spec.Filter), GroupAccess: spec.GroupAccess}
	if spec.Provider != nil {
		l.Provider = *spec.Provider
	}
	taken := func(same func(o *LDAPGroupLink) bool) bool {
		return slices.ContainsFunc(st.ldapLinks[g.ID], func(o *LDAPGroupLink) bool { return o.Provider == l.Provider && same(o) })
	}
	var msgs []string
	if l.CN != nil && taken(func(o *LDAPGroupLink) bool { return equalPtr(o.CN, l.CN) }) {
		msgs = append(msgs, "Cn has already been taken")
	}
	if l.Filter != nil {
		if taken(func(o *LDAPGroupLink) bool { return equalPtr(o.Filter, l.Filter) }) {
			msgs = append(msgs, "Filter has already been taken")
		}
		if !ldapFilterRe.MatchString(*l.Filter) || !balanced(*l.Filter) {
			msgs = append(msgs, "Filter must be a valid filter")
		}
		if len([]rune(*l.Filter)) > 8192 {
			msgs = append(msgs, "Filter is too long (maximum is 8192 characters)")
		}
	}
	if l.CN != nil && len([]rune(*l.CN)) > 255 {
		msgs = append(msgs, "Cn is too long (maximum is 255 characters)")
	}
	if len([]rune(l.Provider)) > 255 {
		msgs = append(msgs, "Provider is too long (maximum is 255 characters)")
	}
	if strings.TrimSpace(l.Provider) == "" {
		msgs = append(msgs, "Provider can't be blank")
	}
	if len(msgs) > 0 {
		return nil, refused(Conflict, msgs[0])
	}
	st.nextGroupLink++
	l.ID = st.nextGroupLink
	if st.ldapLinks == nil {
		st.ldapLinks = map[int64][]*LDAPGroupLink{}
	}
	st.ldapLinks[g.ID] = append(st.ldapLinks[g.ID], l)
	return l, nil
}

// DeleteLDAPGroupLink is the three DELETE routes of
// ee/lib/api/ldap_group_links.rb: the first link (by ID, as find_by
// finds it) with this CN, and with this provider when spec has one, or
// with this filter and provider. None is NotFound "Linked LDAP group not
// found".
func (st *Store) DeleteLDAPGroupLink(actor *User, g *Group, spec LDAPLinkSpec, now time.Time) error {
	if err := st.canAdminGroup(actor, g, now); err != nil {
		return err
	}
	i := slices.IndexFunc(st.ldapLinks[g.ID], func(l *LDAPGroupLink) bool {
		return (spec.Provider == nil || l.Provider == *spec.Provider) &&
			(spec.CN == nil || equalPtr(l.CN, spec.CN)) && (spec.Filter == nil || equalPtr(l.Filter, spec.Filter))
	})
	if i < 0 {
		return refused(NotFound, "Linked LDAP group not found")
	}
	st.ldapLinks[g.ID] = slices.Delete(st.ldapLinks[g.ID], i, i+1)
	return nil
}

// SetLDAPDirectory sets what the LDAP directory answers for e: the users
// in that LDAP group or matching that filter (those of them with an
// identity of e's provider, as GitLab maps a DN to a user).
func (st *Store) SetLDAPDirectory(e LDAPEntry, userIDs []int64) {
	if st.ldapDirectory == nil {
		st.ldapDirectory = map[LDAPEntry][]int64{}
	}
	st.ldapDirectory[e] = slices.Clone(userIDs)
}

// LDAPSyncAvailable is ::Gitlab::Auth::Ldap::Config.group_sync_enabled?
// as POST /groups/:id/ldap_sync checks it (ee/lib/ee/api/groups.rb):
// LDAP exists on self-managed instances only.
func LDAPSyncAvailable(gitlabCom bool) bool { return !gitlabCom }

// SyncLDAP is POST /groups/:id/ldap_sync for administrators and the
// group's Owners (Forbidden otherwise). GitLab queues the
// synchronization; the fake runs it at once
// (EE::Gitlab::Auth::Ldap::Sync::Group#update_permissions, provider by
// provider): each link gives the users the directory lists for it its
// role (the highest when several links list them); the group's direct
// members with an identity of the provider get that role (unless their
// override is set), or leave the group when no link lists them; the
// listed users not yet members join. Members without an identity of the
// provider are left alone, and the last Owner is neither demoted nor
// removed. The rows it keeps or adds are marked LDAP. Roles inherited
// from parent groups are not merged in.
func (st *Store) SyncLDAP(actor *User, g *Group, now time.Time) error {
	if err := st.canAdminGroup(actor, g, now); err != nil {
		return err
	}
	var providers []string
	for _, l := range st.ldapLinks[g.ID] {
		if !slices.Contains(providers, l.Provider) {
			providers = append(providers, l.Provider)
		}
	}
	for _, p := range providers {
		st.syncLDAPProvider(g, p, now)
	}
	return nil
}

// syncLDAPProvider applies g's links of provider p.
func (st *Store) syncLDAPProvider(g *Group, p string, now time.Time) {
	access := map[int64]int{}
	for _, l := range st.ldapLinks[g.ID] {
		name := cmp.Or(l.CN, l.Filter)
		if l.Provider != p || name == nil || !ValidLevel(l.GroupAccess) {
			continue
		}
		for _, id := range st.ldapDirectory[LDAPEntry{p, *name}] {
			if u := st.users[id]; u != nil && hasIdentity(u, p) {
				access[id] = max(access[id], l.GroupAccess)
			}
		}
	}
	src := GroupSource(g.ID)
	for _, m := range slices.Clone(st.mem.bySource[src]) {
		u := st.users[m.UserID]
		if m.UserID == 0 || m.RequestedAt != nil || u == nil || !hasIdentity(u, p) {
			continue
		}
		m.LDAP = true
		want, listed := access[m.UserID]
		delete(access, m.UserID)
		switch {
		case listed && (m.AccessLevel == want || m.Override):
		case st.lastOwner(m, now):
		case listed:
			m.AccessLevel = want
		default:
			st.RemoveMember(nil, m, true, now) // the sync acts as GitLab itself
		}
	}
	ids := make([]int64, 0, len(access))
	for id := range access {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		st.SeedMember(MemberSpec{Source: src, UserID: id, AccessLevel: access[id], LDAP: true}, now)
	}
}

// hasIdentity reports whether u has an identity of provider.
func hasIdentity(u *User, provider string) bool {
	return slices.ContainsFunc(u.Identities, func(i Identity) bool { return i.Provider == provider && i.ExternUID != "" })
}

// balanced reports whether s's parentheses are balanced.
func balanced(s string) bool {
	depth := 0
	for _, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			if depth--; depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}

// blankNil is nil for a blank s, else &s.
func blankNil(s string) *string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return &s
}

// nilIfBlank is nullify_blank_attributes: nil for a nil or blank s.
func nilIfBlank(s *string) *string {
	if s == nil {
		return nil
	}
	return blankNil(*s)
}

// equalPtr reports whether a and b are both nil or point to equal
// strings.
func equalPtr(a, b *string) bool { return a == b || a != nil && b != nil && *a == *b }

// SAMLLinksOf returns the SAML group links of the group with this ID, in
// creation order (shared; do not modify). Reads only.
func (st *Store) SAMLLinksOf(groupID int64) []*SAMLGroupLink { return st.samlLinks[groupID] }

// LDAPLinksOf returns the LDAP group links of the group with this ID, in
// creation order (shared; do not modify). Reads only.
func (st *Store) LDAPLinksOf(groupID int64) []*LDAPGroupLink { return st.ldapLinks[groupID] }
