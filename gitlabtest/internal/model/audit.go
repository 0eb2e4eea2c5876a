package model

import (
	"slices"
	"strconv"
	"time"
)

// Audit events: what GitLab records through Gitlab::Audit::Auditor
// (lib/gitlab/audit/auditor.rb) when a service changes a user's access,
// and what ee/lib/api/audit_events.rb, ee/lib/ee/api/groups.rb and
// ee/lib/ee/api/projects.rb serve of it.

// The entity types of an audit event (its scope).
const (
	AuditUser     = "User"
	AuditGroup    = "Group"
	AuditProject  = "Project"
	AuditInstance = "Gitlab::Audit::InstanceScope"
)

// AuditDetail is one key of an event's additional_details; Value is a
// string, an int64, a bool or nil.
type AuditDetail struct {
	Key   string
	Value any
}

// AuditEventSpec is what a service hands to Gitlab::Audit::Auditor.audit:
// name, author (nil for GitLab itself: Gitlab::Audit::UnauthenticatedAuthor
// "(System)"), scope (the entity), target, message and
// additional_details.
type AuditEventSpec struct {
	Name   string
	Author *User
	// EntityType (AuditUser, AuditGroup, AuditProject, AuditInstance)
	// and EntityID name the scope; EntityPath is its full path.
	EntityType string
	EntityID   int64
	EntityPath string
	// TargetID, TargetType and TargetDetails name what was acted on.
	TargetID      int64
	TargetType    string
	TargetDetails string
	Message       string
	Details       []AuditDetail
}

// AuditEvent is a stored audit event. Its Author is nil: AuthorID (-1
// for "(System)") and AuthorName, the author's name when the event was
// recorded, name the author.
type AuditEvent struct {
	ID int64
	AuditEventSpec
	AuthorID   int64
	AuthorName string
	CreatedAt  time.Time
}

// auditKey names an entity's events.
type auditKey struct {
	typ string
	id  int64
}

// audit records an audit event, as Gitlab::Audit::Auditor.audit does
// for a type saved to the database. Every operation that GitLab audits
// calls it once per event.
func (st *Store) audit(s AuditEventSpec, now time.Time) *AuditEvent {
	e := AuditEvent{AuditEventSpec: s, AuthorID: -1, AuthorName: "(System)", CreatedAt: now}
	if s.Author != nil {
		e.AuthorID, e.AuthorName = s.Author.ID, s.Author.Name
	}
	return st.AddAuditEvent(e)
}

// AddAuditEvent stores e with the next ID, as it is (for seeding; the
// store's operations record through audit).
func (st *Store) AddAuditEvent(e AuditEvent) *AuditEvent {
	st.nextAudit++
	e.ID, e.Author, e.Details = st.nextAudit, nil, slices.Clone(e.Details)
	if st.auditBy == nil {
		st.auditBy = map[auditKey][]*AuditEvent{}
	}
	st.auditEvents = append(st.auditEvents, &e)
	k := auditKey{e.EntityType, e.EntityID}
	st.auditBy[k] = append(st.auditBy[k], &e)
	return &e
}

// userScope is an event scoped to u and targeting u (the user services'
// scope: user, target: user, target_details: the username).
func userScope(name string, author, u *User, message string) AuditEventSpec {
	return AuditEventSpec{Name: name, Author: author, EntityType: AuditUser, EntityID: u.ID, EntityPath: u.Username,
		TargetID: u.ID, TargetType: "User", TargetDetails: u.Username, Message: message}
}

// sourceScope is an event scoped to a group or a project.
func (st *Store) sourceScope(name string, author *User, src Source) AuditEventSpec {
	s := AuditEventSpec{Name: name, Author: author, EntityID: src.ID}
	if src.IsGroup() {
		s.EntityType = AuditGroup
		if g := st.groups[src.ID]; g != nil {
			s.EntityPath = g.FullPath
		}
	} else {
		s.EntityType = AuditProject
		if p := st.projects[src.ID]; p != nil {
			s.EntityPath = p.PathWithNamespace
		}
	}
	return s
}

// AuditFilter selects audit events: GitLab's finder params.
type AuditFilter struct {
	// EntityType and EntityID (0: any) keep one entity's events.
	EntityType string
	EntityID   int64
	// AuthorID (0: any) keeps one author's events.
	AuthorID int64
	// CreatedAfter and CreatedBefore bound created_at, inclusive.
	CreatedAfter, CreatedBefore *time.Time
	// Ascending orders by ID ascending (sort=created_asc); the default
	// is newest first.
	Ascending bool
}

func (f AuditFilter) match(e *AuditEvent) bool {
	return (f.EntityType == "" || e.EntityType == f.EntityType) &&
		(f.EntityID == 0 || e.EntityID == f.EntityID) &&
		(f.AuthorID == 0 || e.AuthorID == f.AuthorID) &&
		(f.CreatedAfter == nil || !e.CreatedAt.Before(*f.CreatedAfter)) &&
		(f.CreatedBefore == nil || !e.CreatedAt.After(*f.CreatedBefore))
}

// filter returns the events of from that f keeps, in f's order.
func (f AuditFilter) filter(from []*AuditEvent) []*AuditEvent {
	var out []*AuditEvent
	for i := range from {
		e := from[len(from)-1-i]
		if f.Ascending {
			e = from[i]
		}
		if f.match(e) {
			out = append(out, e)
		}
	}
	return out
}

// InstanceAuditEvents is GET /audit_events: administrators only
// (authenticated_as_admin!, 403 otherwise), every entity's events.
func (st *Store) InstanceAuditEvents(actor *User, f AuditFilter) ([]*AuditEvent, error) {
	if actor == nil || !actor.Admin {
		return nil, forbidden("")
	}
	if f.EntityType != "" && f.EntityID != 0 {
		return f.filter(st.auditBy[auditKey{f.EntityType, f.EntityID}]), nil
	}
	return f.filter(st.auditEvents), nil
}

// InstanceAuditEvent is GET /audit_events/:id: administrators only;
// an unknown ID is RecordNotFound.
func (st *Store) InstanceAuditEvent(actor *User, id int64) (*AuditEvent, error) {
	if actor == nil || !actor.Admin {
		return nil, forbidden("")
	}
	if e := st.auditEventByID(id); e != nil {
		return e, nil
	}
	return nil, recordNotFound()
}

func (st *Store) auditEventByID(id int64) *AuditEvent {
	if id < 1 || id > int64(len(st.auditEvents)) {
		return nil
	}
	return st.auditEvents[id-1] // IDs are dense: events are never removed
}

// sourceAuditReader is the check of a group's or project's audit events
// (authorize! :read_audit_event): Developers and above may read, Reporters
// and below are refused (403). all says whether the caller sees every
// event (read_any_audit_event: group Owners, project Maintainers and
// Owners, administrators) or only the ones they authored
// (AuditEvents::GroupAuditEventFinder / ProjectAuditEventFinder add
// author_id = the caller).
func (st *Store) sourceAuditReader(actor *User, src Source, now time.Time) (all bool, err error) {
	lvl := st.callerLevel(actor, src, now)
	if lvl < AccessDeveloper {
		return false, forbidden("")
	}
	return st.canAdmin(actor, src, now), nil
}

// SourceAuditEvents is GET /groups/:id/audit_events and GET
// /projects/:id/audit_events: the source's own events, a Developer's
// only their own. The caller has resolved src (404 first). entity_type,
// entity_id, author_id and sort are not passed to these finders.
func (st *Store) SourceAuditEvents(actor *User, src Source, after, before *time.Time, now time.Time) ([]*AuditEvent, error) {
	all, err := st.sourceAuditReader(actor, src, now)
	if err != nil {
		return nil, err
	}
	f := AuditFilter{CreatedAfter: after, CreatedBefore: before}
	if !all {
		f.AuthorID = actor.ID
	}
	return f.filter(st.auditBy[st.sourceKey(src)]), nil
}

// SourceAuditEvent is GET …/audit_events/:audit_event_id: an event of
// another source, or (for a Developer) of another author, is
// RecordNotFound.
func (st *Store) SourceAuditEvent(actor *User, src Source, id int64, now time.Time) (*AuditEvent, error) {
	all, err := st.sourceAuditReader(actor, src, now)
	if err != nil {
		return nil, err
	}
	e := st.auditEventByID(id)
	k := st.sourceKey(src)
	if e == nil || e.EntityType != k.typ || e.EntityID != k.id || (!all && e.AuthorID != actor.ID) {
		return nil, recordNotFound()
	}
	return e, nil
}

func (st *Store) sourceKey(src Source) auditKey {
	if src.IsGroup() {
		return auditKey{AuditGroup, src.ID}
	}
	return auditKey{AuditProject, src.ID}
}

// AuditEvents returns every stored event by ascending ID (shared: do
// not modify).
func (st *Store) AuditEvents() []*AuditEvent { return st.auditEvents }

// --- what each audited action records ---------------------------------------

// auditDate renders a membership's expiry as its Date in details, or nil.
func auditDate(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(time.DateOnly)
}

// auditMember records a membership event of m (EE Members::CreateService,
// UpdateService and DestroyService#log_audit_event): scoped to the
// group or project, targeting the member's user.
func (st *Store) auditMember(name, message string, actor *User, m *Member, details []AuditDetail, now time.Time) {
	s := st.sourceScope(name, actor, m.Source)
	s.TargetType, s.TargetDetails, s.Message = "User", "Deleted User", message
	if u := st.users[m.UserID]; u != nil {
		s.TargetID, s.TargetDetails = u.ID, u.Name
	}
	s.Details = append(details, AuditDetail{"member_id", m.ID}, AuditDetail{"member_role_id", nil})
	st.audit(s, now)
}

// auditPersonalToken records personal_access_token_created or _revoked
// (EE PersonalAccessTokens::CreateService and RevokeService): scoped to
// the author (scope: current_user), targeting the token's user.
func (st *Store) auditPersonalToken(name, message string, actor *User, t *Token, details []AuditDetail, now time.Time) {
	s := AuditEventSpec{Name: name, Author: actor, Message: message, Details: details, TargetType: "User"}
	if actor != nil {
		s.EntityType, s.EntityID, s.EntityPath = AuditUser, actor.ID, actor.Username
	}
	if u := st.users[t.UserID]; u != nil {
		s.TargetID, s.TargetDetails = u.ID, u.Username
	}
	st.audit(s, now)
}

// auditResourceToken records <group|project>_access_token_created or
// _deleted (EE ResourceAccessTokens::CreateService and RevokeService):
// scoped to the group or project, targeting the token, with the bot's
// name as target_details and additional_details {action: :custom}.
func (st *Store) auditResourceToken(verb string, actor *User, src Source, t *Token, now time.Time) {
	kind := "project"
	if src.IsGroup() {
		kind = "group"
	}
	s := st.sourceScope(kind+"_access_token_"+verb, actor, src)
	s.TargetID, s.TargetType = t.ID, "PersonalAccessToken"
	if bot := st.users[t.UserID]; bot != nil {
		s.TargetDetails = bot.Name
	}
	s.Details = []AuditDetail{{"action", "custom"}}
	if verb == "created" {
		level := ""
		if l := st.ResourceTokenLevel(t, src); l != nil {
			level = RoleName(*l)
		}
		s.Message = "Created " + kind + " access token with token_id: " + idString(t.ID) + " with scopes: " +
			rubyStrings(t.Scopes) + " and " + level + " access level."
	} else {
		s.Message = "Revoked " + kind + " access token with token_id: " + idString(t.ID)
	}
	st.audit(s, now)
}

// rubyStrings is Ruby's Array#to_s of strings: ["api", "read_api"].
func rubyStrings(ss []string) string {
	b := []byte{'['}
	for i, s := range ss {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendQuote(b, s)
	}
	return string(append(b, ']'))
}

func idString(n int64) string { return strconv.FormatInt(n, 10) }

// auditTokenCreated records personal_access_token_created for t, made
// by actor (EE PersonalAccessTokens::CreateService#send_audit_event).
func (st *Store) auditTokenCreated(actor *User, t *Token, now time.Time) {
	st.auditPersonalToken("personal_access_token_created", "Created personal access token with id "+idString(t.ID), actor, t, nil, now)
}

// auditMemberDestroyed records member_destroyed for m, removed by actor.
func (st *Store) auditMemberDestroyed(actor *User, m *Member, now time.Time) {
	st.auditMember("member_destroyed", "Membership destroyed", actor, m,
		[]AuditDetail{{"remove", "user_access"}, {"as", RoleName(m.AccessLevel)}}, now)
}

// auditTokenRevoked records personal_access_token_revoked for t,
// revoked by actor (EE PersonalAccessTokens::RevokeService; the API
// passes no source, so revocation_source is null).
func (st *Store) auditTokenRevoked(actor *User, t *Token, now time.Time) {
	st.auditPersonalToken("personal_access_token_revoked", "Revoked personal access token with id "+idString(t.ID), actor, t,
		[]AuditDetail{{"revocation_source", nil}}, now)
}
