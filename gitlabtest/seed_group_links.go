package gitlabtest

import "github.com/gitlabusers/gitlab/gitlabtest/internal/model"

// Reading back SAML and LDAP group links, and seeding what the LDAP
// directory answers to POST /groups/:id/ldap_sync.

type (
	// SAMLGroupLinkSnapshot is a stored SAML group link: Name,
	// AccessLevel and Provider (nil for any provider).
	SAMLGroupLinkSnapshot = model.SAMLGroupLink
	// LDAPGroupLinkSnapshot is a stored LDAP group link: CN or Filter,
	// GroupAccess and Provider.
	LDAPGroupLinkSnapshot = model.LDAPGroupLink
)

// SAMLGroupLinks returns the SAML group links of a group, in creation
// order.
func (s *Server) SAMLGroupLinks(groupID int64) []SAMLGroupLinkSnapshot {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return copied(s.st.SAMLLinksOf(groupID))
}

// LDAPGroupLinks returns the LDAP group links of a group, in creation
// order.
func (s *Server) LDAPGroupLinks(groupID int64) []LDAPGroupLinkSnapshot {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return copied(s.st.LDAPLinksOf(groupID))
}

// SetLDAPGroup sets what the fake's LDAP directory answers for an LDAP
// group (by its CN) or an LDAP filter on provider: the users it lists.
// The fake runs no LDAP server: until a test sets an answer, an LDAP
// sync (POST /groups/:id/ldap_sync) finds nobody for that link and
// changes nothing. As GitLab maps an LDAP entry to a user through the
// user's identity, only the users with an identity of provider
// (UserSpec.Identities) count. It panics if a user does not exist.
func (s *Server) SetLDAPGroup(provider, cnOrFilter string, userIDs ...int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range userIDs {
		s.mustUser("SetLDAPGroup", id)
	}
	s.st.SetLDAPDirectory(model.LDAPEntry{Provider: provider, CNOrFilter: cnOrFilter}, userIDs)
}

// copied returns copies of the records.
func copied[T any](in []*T) []T {
	out := make([]T, len(in))
	for i, p := range in {
		out[i] = *p
	}
	return out
}
