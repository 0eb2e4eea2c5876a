package gitlabtest

import (
	"slices"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// AddAuditEvent stores an audit event, for events of actions the fake
// does not perform (it records its own: users created, blocked, banned,
// deactivated and deleted; tokens created and revoked; members added,
// changed and removed). e.Name and e.EntityType are required; e.Author
// is ignored: e.AuthorID names the author (0 or -1: GitLab itself,
// "(System)"), whose name is taken when e.AuthorName is empty;
// e.CreatedAt defaults to the server's clock. It returns the event's ID
// and panics if the author does not exist.
func (s *Server) AddAuditEvent(e AuditEventSnapshot) int64 {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.Name == "" || e.EntityType == "" {
		panic("gitlabtest: AddAuditEvent: Name and EntityType are required")
	}
	if e.AuthorID > 0 {
		u := s.mustUser("AddAuditEvent", e.AuthorID)
		if e.AuthorName == "" {
			e.AuthorName = u.Name
		}
	} else {
		e.AuthorID, e.AuthorName = -1, "(System)"
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt = now
	}
	return s.st.AddAuditEvent(e).ID
}

// AuditEvents returns snapshots of every audit event by ascending ID:
// the ones the fake recorded and the ones added with AddAuditEvent.
func (s *Server) AuditEvents() []AuditEventSnapshot {
	return snapshot(s, func(st *model.Store) []*model.AuditEvent { return st.AuditEvents() }, func(e *model.AuditEvent) AuditEventSnapshot {
		c := *e
		c.Details = slices.Clone(e.Details)
		return c
	})
}
