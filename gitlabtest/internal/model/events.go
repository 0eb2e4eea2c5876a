package model

import (
	"slices"
	"time"
)

// Contribution events: app/models/event.rb, app/services/
// event_create_service.rb and app/finders/events_finder.rb, served by
// lib/api/events.rb (https://docs.gitlab.com/api/events/).

// The actions of an event (Event.actions), as GET /users/:id/events
// filters them.
const (
	EventCreated   = "created"
	EventUpdated   = "updated"
	EventClosed    = "closed"
	EventReopened  = "reopened"
	EventPushed    = "pushed"
	EventCommented = "commented"
	EventMerged    = "merged"
	EventJoined    = "joined"
	EventLeft      = "left"
	EventDestroyed = "destroyed"
	EventExpired   = "expired"
	EventApproved  = "approved"
)

// EventActions are the values the action filter accepts, in Event's
// enum order.
var EventActions = []string{EventCreated, EventUpdated, EventClosed, EventReopened, EventPushed, EventCommented,
	EventMerged, EventJoined, EventLeft, EventDestroyed, EventExpired, EventApproved}

// eventTargetTypes are Event::TARGET_TYPES: the target_type filter's
// values and the class each stands for ("project" is special: see
// matchesTarget).
var eventTargetTypes = map[string]string{
	"issue": "Issue", "milestone": "Milestone", "merge_request": "MergeRequest", "note": "Note",
	"project": "Project", "snippet": "Snippet", "user": "User", "wiki": "WikiPage::Meta",
	"design": "DesignManagement::Design",
}

// EventTargetTypes are the values the target_type filter accepts.
var EventTargetTypes = []string{"issue", "milestone", "merge_request", "note", "project", "snippet", "user", "wiki", "design"}

// AddEvent stores e, whose fields the caller has filled in, with the
// next event ID. It does not validate: the store's own operations and
// the seeding methods call it.
func (st *Store) AddEvent(e Event) *Event {
	st.nextEvent++
	e.ID = st.nextEvent
	st.events = append(st.events, &e)
	if st.eventsBy == nil {
		st.eventsBy = map[int64][]*Event{}
	}
	st.eventsBy[e.AuthorID] = append(st.eventsBy[e.AuthorID], &e)
	return &e
}

// Events returns every event by ascending ID, or authorID's only when
// authorID is not 0 (shared: do not modify). Reads only.
func (st *Store) Events(authorID int64) []*Event {
	if authorID == 0 {
		return st.events
	}
	return st.eventsBy[authorID]
}

// projectEvent records u's action on project p, its target the project
// itself as EventCreateService#create_record_event makes it (join_source,
// leave_project, expired_leave_project and create_project all pass the
// project as the record).
func (st *Store) projectEvent(userID int64, p *Project, action string, now time.Time) {
	if p == nil || st.users[userID] == nil {
		return
	}
	st.AddEvent(Event{AuthorID: userID, ProjectID: p.ID, Action: action, TargetType: "Project", TargetID: p.ID,
		TargetIID: p.ID, TargetTitle: p.Name, CreatedAt: now})
}

// joined records that m's user joined its project, as
// ProjectMember#post_create_hook does (EventCreateService#join_source,
// which records nothing for a group) once a row is a membership: not
// for an invitation or an access request (Member#pending?), nor for the
// holder of the personal namespace the project is in. It returns m.
func (st *Store) joined(m *Member, now time.Time) *Member {
	p := st.projects[m.Source.ID]
	if m.Source.IsGroup() || m.UserID == 0 || m.RequestedAt != nil || p == nil || (p.GroupID == 0 && p.OwnerID == m.UserID) {
		return m
	}
	st.projectEvent(m.UserID, p, EventJoined, now)
	return m
}

// leave removes membership m and records, for a project's,
// ProjectMember#post_destroy_hook's event: expired when the membership
// had expired (EventCreateService#expired_leave_project), left
// otherwise. A group's records nothing.
func (st *Store) leave(m *Member, now time.Time) {
	st.remove(m)
	if m.Source.IsGroup() || m.UserID == 0 || m.RequestedAt != nil {
		return
	}
	action := EventLeft
	if m.Expired(now) {
		action = EventExpired
	}
	st.projectEvent(m.UserID, st.projects[m.Source.ID], action, now)
}

// forgetEvents removes a deleted user's events (User has_many
// :events, dependent: :delete_all) or, with a project ID, a deleted
// project's.
func (st *Store) forgetEvents(authorID, projectID int64) {
	gone := func(e *Event) bool {
		return (authorID != 0 && e.AuthorID == authorID) || (projectID != 0 && e.ProjectID == projectID)
	}
	st.events = slices.DeleteFunc(st.events, gone)
	if authorID != 0 {
		delete(st.eventsBy, authorID)
	}
	if projectID != 0 {
		for a, list := range st.eventsBy {
			st.eventsBy[a] = slices.DeleteFunc(list, gone)
		}
	}
}

// ActionName is the event's action_name (Event#action_name).
func (e *Event) ActionName() string {
	switch e.Action {
	case EventPushed:
		switch {
		case e.Push != nil && e.Push.Action == "created":
			return "pushed new"
		case e.Push != nil && e.Push.Action == "removed":
			return "deleted"
		}
		return "pushed to"
	case EventClosed, EventJoined, EventLeft, EventDestroyed, EventApproved:
		return e.Action
	case EventMerged:
		return "accepted"
	case EventExpired:
		return "removed due to membership expiration from"
	case EventCommented:
		return "commented on"
	case EventCreated:
		if e.TargetType == "" || e.TargetType == "Project" || e.TargetType == "WikiPage::Meta" {
			return "created"
		}
	case EventUpdated:
		if e.TargetType == "WikiPage::Meta" {
			return "updated"
		}
	}
	return "opened"
}

// EventFilter are the parameters of GET /users/:id/events and GET
// /events.
type EventFilter struct {
	// Action is one of EventActions, "" for any.
	Action string
	// TargetType is one of EventTargetTypes, "" for any.
	TargetType string
	// Before and After are days (midnight UTC): only events before the
	// start of Before, and after the end of After, are kept; both days
	// are excluded.
	Before, After *time.Time
	// Asc sorts by ascending event ID; the default is descending.
	Asc bool
	// All is the undeclared scope=all: for a signed-in caller, the
	// events of every project the caller is authorized in, whoever the
	// author.
	All bool
}

// matchesTarget is EventsFinder#by_target_type: the class of the type,
// and for "project" also events without a target whose action is about
// the project (created, pushed, joined, left, expired).
func (e *Event) matchesTarget(targetType string) bool {
	if targetType == "" {
		return true
	}
	if targetType == "project" && e.TargetType == "" {
		return slices.Contains([]string{EventCreated, EventPushed, EventJoined, EventLeft, EventExpired}, e.Action)
	}
	return e.TargetType == eventTargetTypes[targetType]
}

// UserEvents is EventsFinder for GET /users/:id/events (and, with u the
// caller, GET /events): nil when actor may not read u's profile (a
// private profile, a blocked, banned or unconfirmed user; u themself
// and administrators may), which the API answers as an empty list;
// otherwise u's events (or, with f.All and a signed-in actor, those of
// actor's authorized projects) that have a project actor can read,
// filtered by f and sorted by ID. The API cuts the page from this list
// and only then drops the events EventVisible refuses. Reads only.
func (st *Store) UserEvents(actor, u *User, f EventFilter, now time.Time) []*Event {
	if !canReadUserProfile(actor, u) {
		return nil
	}
	// One author's events come from their index, so that the cost of a
	// request does not grow with everyone else's events.
	from := st.eventsBy[u.ID]
	if f.All && actor != nil {
		from = st.events
	}
	var out []*Event
	for _, e := range from {
		p := st.projects[e.ProjectID]
		switch {
		case p == nil || !st.CanReadProject(actor, p, now),
			f.All && actor != nil && st.ProjectAccess(actor, p, now) == 0,
			!(f.All && actor != nil) && e.AuthorID != u.ID,
			f.Action != "" && e.Action != f.Action,
			!e.matchesTarget(f.TargetType),
			f.Before != nil && !e.CreatedAt.Before(DayOf(*f.Before)),
			f.After != nil && e.CreatedAt.Before(DayOf(*f.After).AddDate(0, 0, 1)):
			continue
		}
		out = append(out, e)
	}
	if !f.Asc {
		slices.Reverse(out)
	}
	return out
}

// canReadUserProfile is read_user_profile (app/policies/user_policy.rb):
// refused for a private profile and for a blocked, banned or unconfirmed
// user, except to the user themself and administrators.
func canReadUserProfile(actor, u *User) bool {
	if actor != nil && (actor.Admin || actor.ID == u.ID) {
		return true
	}
	switch u.State {
	case StateBlocked, StateLDAPBlocked, StateBlockedPendingApproval, StateBanned:
		return false
	}
	return !u.PrivateProfile && u.ConfirmedAt != nil
}

// EventVisible is Event#visible_to_user?: a push or a commit note needs
// download_code (a Reporter of a private project, anyone who can read
// a public or internal one), a membership change or a created project
// read_project, an issue, milestone, note, snippet, wiki or design event
// reading the project (the fake keeps no confidential issue), a merge
// request the merge requests' access (download_code's); any other kind
// is hidden. Reads only.
func (st *Store) EventVisible(actor *User, e *Event, now time.Time) bool {
	p := st.projects[e.ProjectID]
	if p == nil || !st.CanReadProject(actor, p, now) {
		return false
	}
	code := p.Visibility != "private" || (actor != nil && actor.Admin) || st.ProjectAccess(actor, p, now) >= AccessReporter
	switch {
	case e.Action == EventPushed, e.TargetType == "MergeRequest":
		return code
	case e.Action == EventJoined, e.Action == EventLeft, e.Action == EventExpired:
		return true
	case e.Action == EventCreated && (e.TargetType == "" || e.TargetType == "Project"):
		return true
	}
	return slices.Contains([]string{"Issue", "Milestone", "Note", "DiffNote", "Snippet", "WikiPage::Meta", "DesignManagement::Design"}, e.TargetType)
}

// projectGone removes a deleted project's events and deploy key links.
func (st *Store) projectGone(projectID int64) {
	st.forgetEvents(0, projectID)
	st.disableDeployKeysIn(projectID)
}
