package gitlabtest

// Seeding enterprise users, for tests of the enterprise users API
// (GET /groups/:id/enterprise_users and its routes). A user's claim
// reads back as UserSnapshot.EnterpriseGroupID, a group's domains as
// GroupSnapshot.VerifiedDomains.

// ClaimEnterpriseUser makes the user an enterprise user of the group,
// as GitLab.com does for a user whose email is on a domain the group
// verified: the group's Owners then manage the user through the
// enterprise users API. A user claimed by another group moves. The
// group must be top-level (an error otherwise). The claim is stored
// whatever the offering, but only a server answering as GitLab.com
// (WithGitLabCom) serves it: self-managed GitLab never claims users,
// so there the group has none. It panics if the user or the group does
// not exist.
func (s *Server) ClaimEnterpriseUser(groupID, userID int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.mustUser("ClaimEnterpriseUser", userID)
	g := mustFind(s.st.Group, "ClaimEnterpriseUser", "group", groupID)
	return s.st.ClaimEnterpriseUser(g, u)
}

// VerifyGroupDomain records an email domain as verified by the group
// (GitLab verifies it through a Pages domain of one of the group's
// projects): its enterprise users may then take addresses on it
// (PATCH /groups/:id/enterprise_users/:user_id refuses others). It
// panics if the group does not exist.
func (s *Server) VerifyGroupDomain(groupID int64, domain string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.VerifyDomain(mustFind(s.st.Group, "VerifyGroupDomain", "group", groupID), domain)
}
