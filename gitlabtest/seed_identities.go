package gitlabtest

import (
	"fmt"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// Seeding and reading back the SAML and SCIM identities of groups. The
// users a group provisioned are seeded with UserSpec.ProvisionedByGroupID.

type (
	// SAMLIdentitySnapshot is a user's identity at a group's SAML
	// provider: the user's UserIdentity with provider "group_saml" and
	// that provider's ID.
	SAMLIdentitySnapshot = model.SAMLIdentity
	// SCIMIdentitySnapshot is a user's SCIM identity in a group; Active
	// is false once the identity provider deprovisioned the user.
	SCIMIdentitySnapshot = model.SCIMIdentity
)

// EnableGroupSAML gives a top-level group a SAML provider, as an Owner
// does by configuring SAML single sign-on, and returns the provider's
// ID (the saml_provider_id of its identities); a group that has one
// keeps it. Without a provider GET /groups/:id/saml/identities answers
// 400. It panics if the group does not exist or is a subgroup.
func (s *Server) EnableGroupSAML(groupID int64) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, err := s.st.EnableSAML(mustFind(s.st.Group, "EnableGroupSAML", "group", groupID))
	if err != nil {
		panic(fmt.Sprintf("gitlabtest: EnableGroupSAML: group %d: %v", groupID, err))
	}
	return id
}

// AddSAMLIdentity links a user to a top-level group's SAML provider
// (given one first if it has none) as externUID, the NameID the
// identity provider sends: the user gains the identity
// {group_saml, externUID, provider ID}. It panics if the user or group
// does not exist, the group is a subgroup, externUID is empty or taken
// at the provider (case-insensitively), or the user is linked already.
func (s *Server) AddSAMLIdentity(groupID, userID int64, externUID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := mustFind(s.st.Group, "AddSAMLIdentity", "group", groupID)
	if err := s.st.AddSAMLIdentity(s.mustUser("AddSAMLIdentity", userID), g, externUID); err != nil {
		panic(fmt.Sprintf("gitlabtest: AddSAMLIdentity: %q: %v", externUID, err))
	}
}

// AddSCIMIdentity gives a user a SCIM identity in a group, as SCIM
// provisioning does; active false is a deprovisioned identity. It
// panics if the user or group does not exist, externUID is empty or
// taken in the group (case-insensitively), or the user has one there.
func (s *Server) AddSCIMIdentity(groupID, userID int64, externUID string, active bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := mustFind(s.st.Group, "AddSCIMIdentity", "group", groupID)
	if err := s.st.AddSCIMIdentity(s.mustUser("AddSCIMIdentity", userID), g, externUID, active); err != nil {
		panic(fmt.Sprintf("gitlabtest: AddSCIMIdentity: %q: %v", externUID, err))
	}
}

// SAMLIdentities returns the identities at a group's SAML provider, in
// creation order; nil when the group (or no group) has no provider.
func (s *Server) SAMLIdentities(groupID int64) []SAMLIdentitySnapshot {
	s.mu.RLock()
	defer s.mu.RUnlock()
	g := s.st.Group(groupID)
	if g == nil {
		return nil
	}
	ids, err := s.st.SAMLIdentities(g)
	if err != nil {
		return nil
	}
	return ids
}

// SCIMIdentities returns a group's SCIM identities, in creation order.
func (s *Server) SCIMIdentities(groupID int64) []SCIMIdentitySnapshot {
	s.mu.RLock()
	defer s.mu.RUnlock()
	g := s.st.Group(groupID)
	if g == nil {
		return nil
	}
	return s.st.SCIMIdentities(g)
}
