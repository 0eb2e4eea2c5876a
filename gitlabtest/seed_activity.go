package gitlabtest

import (
	"slices"
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

type (
	// DeployKeySnapshot is a stored deploy key, with the projects it is
	// enabled in (Projects, by project ID).
	DeployKeySnapshot = model.DeployKey
	// DeployKeyProject enables a deploy key in a project, with write
	// access when CanPush.
	DeployKeyProject = model.DeployKeyProject
	// EventSnapshot is a stored contribution event.
	EventSnapshot = model.Event
	// PushData is a push event's payload.
	PushData = model.PushData
)

// The actions of a contribution event, as GitLab's events API filters
// them.
const (
	EventCreated   = model.EventCreated
	EventUpdated   = model.EventUpdated
	EventClosed    = model.EventClosed
	EventReopened  = model.EventReopened
	EventPushed    = model.EventPushed
	EventCommented = model.EventCommented
	EventMerged    = model.EventMerged
	EventJoined    = model.EventJoined
	EventLeft      = model.EventLeft
	EventDestroyed = model.EventDestroyed
	EventExpired   = model.EventExpired
	EventApproved  = model.EventApproved
)

// DeployKeySpec describes a deploy key to seed with AddDeployKey. Key is
// required: a public key line such as FakeSSHKey returns.
type DeployKeySpec struct {
	Title string
	Key   string
	// UsageType is auth, signing or auth_and_signing (the default).
	UsageType string
	// UserID is the user who created the key (none when 0).
	UserID int64
	// Public makes it an instance-wide key.
	Public     bool
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	// WriteProjects and ReadOnlyProjects are the projects the key is
	// enabled in, with and without write access.
	WriteProjects, ReadOnlyProjects []int64
}

// AddDeployKey stores a deploy key, its fingerprints computed from the
// key, enabled in the projects spec names, and returns its ID (deploy
// keys take their IDs from the SSH keys' sequence, as on GitLab). It
// panics if the creator or a project does not exist, or Key is empty.
func (s *Server) AddDeployKey(spec DeployKeySpec) int64 {
	if spec.Key == "" {
		panic("gitlabtest: AddDeployKey: Key is required")
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if spec.UserID != 0 {
		s.mustUser("AddDeployKey", spec.UserID)
	}
	return s.st.AddDeployKey(deployKeySpec(spec, func(id int64) {
		mustFind(s.st.Project, "AddDeployKey", "project", id)
	}), now).ID
}

// deployKeySpec turns spec into the model's, checking each project.
func deployKeySpec(spec DeployKeySpec, check func(projectID int64)) model.DeployKeySpec {
	out := model.DeployKeySpec{Title: spec.Title, Key: spec.Key, UsageType: spec.UsageType, UserID: spec.UserID,
		Public: spec.Public, ExpiresAt: spec.ExpiresAt, LastUsedAt: spec.LastUsedAt}
	for _, id := range spec.WriteProjects {
		check(id)
		out.Projects = append(out.Projects, model.DeployKeyProject{ProjectID: id, CanPush: true})
	}
	for _, id := range spec.ReadOnlyProjects {
		check(id)
		out.Projects = append(out.Projects, model.DeployKeyProject{ProjectID: id})
	}
	return out
}

// DeployKeys returns snapshots of every deploy key by ascending ID.
func (s *Server) DeployKeys() []DeployKeySnapshot {
	return snapshot(s, func(st *model.Store) []*model.DeployKey { return st.DeployKeys(false) }, func(k *model.DeployKey) DeployKeySnapshot {
		c := *k
		c.Projects = slices.Clone(k.Projects)
		c.ExpiresAt, c.LastUsedAt = clonePtr(k.ExpiresAt), clonePtr(k.LastUsedAt)
		return c
	})
}

// AddEvent stores a contribution event, for kinds the fake does not
// make itself (pushes, issues, merge requests, notes): e.AuthorID and
// e.Action are required, e.CreatedAt defaults to the server's clock,
// and the ID is the next event's, which it returns. The fake records
// joined, left, expired and created (project) events on its own. It
// panics if the author or a non-zero e.ProjectID does not exist.
func (s *Server) AddEvent(e EventSnapshot) int64 {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("AddEvent", e.AuthorID)
	if e.ProjectID != 0 {
		mustFind(s.st.Project, "AddEvent", "project", e.ProjectID)
	}
	if e.Action == "" {
		panic("gitlabtest: AddEvent: Action is required")
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt = now
	}
	if e.Push != nil {
		p := *e.Push
		e.Push = &p
	}
	return s.st.AddEvent(e).ID
}

// Events returns snapshots of the user's contribution events (every
// user's for 0) by ascending ID, whoever may see them.
func (s *Server) Events(authorID int64) []EventSnapshot {
	return snapshot(s, func(st *model.Store) []*model.Event { return st.Events(authorID) }, func(e *model.Event) EventSnapshot {
		c := *e
		if e.Push != nil {
			p := *e.Push
			c.Push = &p
		}
		return c
	})
}
