package gitlabtest

import (
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// Seeding and reading back memberships, invitations, access requests and
// shares, for tests of member management.

type (
	// MemberSource is a group or a project that has members; make one
	// with GroupSource or ProjectSource.
	MemberSource = model.Source
	// MemberSnapshot is a stored member row: a user's membership
	// (UserID, AccessLevel, ExpiresAt, State ...), an invitation
	// (InviteEmail) or an access request (RequestedAt).
	MemberSnapshot = model.Member
	// MemberState is a membership's state: MemberActive or
	// MemberAwaiting (waiting for an Owner's approval under a user cap).
	MemberState = model.MemberState
)

// Membership states.
const (
	MemberActive   = model.MemberActive
	MemberAwaiting = model.MemberAwaiting
)

// GroupSource is the group with this ID, as a source of members.
func GroupSource(id int64) MemberSource { return model.GroupSource(id) }

// ProjectSource is the project with this ID, as a source of members.
func ProjectSource(id int64) MemberSource { return model.ProjectSource(id) }

// MemberSpec describes a membership to seed with AddMember.
type MemberSpec struct {
	Source      MemberSource
	UserID      int64
	AccessLevel int // AccessGuest ... AccessOwner
	// ExpiresAt is the day the membership ends: from 00:00 UTC of that
	// day (by the server's clock, WithClock) it counts for nothing.
	ExpiresAt *time.Time
	// CreatedByID is the user shown as created_by (none when 0).
	CreatedByID int64
	// Awaiting adds the member awaiting approval (pending).
	Awaiting bool
	// LDAP marks a member synced from LDAP: the members API may not
	// change it until an administrator sets its override.
	LDAP bool
}

// AddMember makes a user a direct member of a group or project as spec
// says (or changes their membership), without the API's rules, and
// returns the member's ID. It panics if the user or the source does
// not exist.
func (s *Server) AddMember(spec MemberSpec) int64 {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("AddMember", spec.UserID)
	s.mustSource("AddMember", spec.Source)
	state := model.MemberActive
	if spec.Awaiting {
		state = model.MemberAwaiting
	}
	var expires *time.Time
	if spec.ExpiresAt != nil {
		expires = model.PtrTime(model.DayOf(*spec.ExpiresAt))
	}
	return s.st.SeedMember(model.MemberSpec{Source: spec.Source, UserID: spec.UserID, AccessLevel: spec.AccessLevel,
		ExpiresAt: expires, CreatedByID: spec.CreatedByID, State: state, LDAP: spec.LDAP}, now).ID
}

func (s *Server) mustSource(what string, src MemberSource) {
	if src.IsGroup() {
		mustFind(s.st.Group, what, "group", src.ID)
	} else {
		mustFind(s.st.Project, what, "project", src.ID)
	}
}

// AcceptInvitation accepts every pending invitation of email for the
// user, as GitLab does when that person signs up through the web,
// confirms the email or signs in (never when an administrator creates
// the user through the API), and returns how many it accepted. It
// panics if the user does not exist.
func (s *Server) AcceptInvitation(email string, userID int64) int {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.AcceptInvitations(email, s.mustUser("AcceptInvitation", userID), now)
}

// Members returns snapshots of the source's memberships (not its
// invitations or access requests), expired ones included, by ascending
// member ID.
func (s *Server) Members(src MemberSource) []MemberSnapshot {
	return s.memberRows(src, func(m *member) bool { return m.UserID != 0 && m.RequestedAt == nil })
}

// Invitations returns snapshots of the source's pending invitations.
func (s *Server) Invitations(src MemberSource) []MemberSnapshot {
	return s.memberRows(src, (*member).Invite)
}

// AccessRequests returns snapshots of the source's access requests.
func (s *Server) AccessRequests(src MemberSource) []MemberSnapshot {
	return s.memberRows(src, func(m *member) bool { return m.RequestedAt != nil })
}

func (s *Server) memberRows(src MemberSource, keep func(*member) bool) []MemberSnapshot {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []MemberSnapshot
	for _, m := range s.st.MemberRows(src) {
		if keep(m) {
			c := *m
			c.ExpiresAt, c.RequestedAt = clonePtr(m.ExpiresAt), clonePtr(m.RequestedAt)
			out = append(out, c)
		}
	}
	return out
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}
