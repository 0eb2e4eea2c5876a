package gitlab

import (
	"context"
	"iter"
	"net/http"
	"time"
)

// AuditEventsService reads audit events: who changed what, when. GitLab
// records them itself (users created, blocked, banned, deactivated,
// deleted; tokens created and revoked; members added, changed and
// removed; and many more) and serves those of the whole instance to
// administrators, and a group's or a project's to its members from
// Developer up. Audit events are a GitLab Premium and Ultimate feature;
// without the license every call is 403.
//
// Pagination: GitLab pages audit events by offset (the default) or, with
// Pagination set to PaginationKeyset, by a cursor in the Link header.
// The iterators follow either. The instance list does not count its
// events (Response.TotalItems is 0) and announces a next page after
// every full page, even the last one: ListIter then reads the empty
// page that follows and ends there, without error.
//
// GitLab API docs: https://docs.gitlab.com/api/audit_events/
type AuditEventsService service

// AuditEventEntityType is the kind of thing an audit event is about (its
// scope), as ListAuditEventsOptions.EntityType filters it.
//
// GitLab API docs: https://docs.gitlab.com/api/audit_events/#retrieve-all-instance-audit-events
type AuditEventEntityType string

// The entity types GitLab filters instance audit events by.
const (
	AuditEventEntityUser     AuditEventEntityType = "User"
	AuditEventEntityGroup    AuditEventEntityType = "Group"
	AuditEventEntityProject  AuditEventEntityType = "Project"
	AuditEventEntityInstance AuditEventEntityType = "Gitlab::Audit::InstanceScope"
)

func (AuditEventEntityType) known() []string {
	return []string{string(AuditEventEntityUser), string(AuditEventEntityGroup), string(AuditEventEntityProject),
		string(AuditEventEntityInstance)}
}

// AuditEventSort orders the instance's audit events
// (ListAuditEventsOptions.Sort).
type AuditEventSort string

// The orders of the instance's audit events.
const (
	AuditEventSortCreatedDesc AuditEventSort = "created_desc" // newest first, GitLab's default
	AuditEventSortCreatedAsc  AuditEventSort = "created_asc"
)

func (AuditEventSort) known() []string {
	return []string{string(AuditEventSortCreatedDesc), string(AuditEventSortCreatedAsc)}
}

// AuditEvent is one audit event.
//
// GitLab API docs: https://docs.gitlab.com/api/audit_events/
type AuditEvent struct {
	ID int64 `json:"id"`
	// AuthorID is the user who acted; GitLab uses -1 for itself (an
	// author named "(System)"), -2 for a deploy token and -3 for a
	// deploy key.
	AuthorID int64 `json:"author_id"`
	// EntityType and EntityID name what the event is scoped to: a user,
	// a group, a project or the instance.
	EntityID   int64                `json:"entity_id"`
	EntityType AuditEventEntityType `json:"entity_type"`
	// EventName is the event's type ("user_blocked", "member_created",
	// "personal_access_token_revoked", ...); nil for old events recorded
	// without one.
	EventName *string `json:"event_name"`
	// Details is what GitLab stored with the event, as it sends it: most
	// events have author_name, author_class, author_email (the author's
	// current email, nil once the author is gone), target_id,
	// target_type, target_details and custom_message, and then keys of
	// their own (a membership change has change, from, to, expiry_from,
	// expiry_to, as and member_id). Numbers decode as float64.
	Details map[string]any `json:"details"`
	// CreatedAt is when it happened.
	CreatedAt *time.Time `json:"created_at"`
}

// ListAuditEventsOptions are the parameters of AuditEventsService.List
// and ListIter.
//
// GitLab API docs: https://docs.gitlab.com/api/audit_events/#retrieve-all-instance-audit-events
type ListAuditEventsOptions struct {
	ListOptions
	// EntityType keeps the events of one kind of entity; EntityID (which
	// needs EntityType) those of one entity.
	EntityType *AuditEventEntityType `url:"entity_type,omitempty"`
	EntityID   *int64                `url:"entity_id,omitempty"`
	// AuthorID keeps the events of one author.
	AuthorID *int64 `url:"author_id,omitempty"`
	// CreatedAfter and CreatedBefore bound the time, inclusive.
	CreatedAfter  *time.Time `url:"created_after,omitempty"`
	CreatedBefore *time.Time `url:"created_before,omitempty"`
	// Sort orders offset pages; keyset pages are always newest first.
	Sort *AuditEventSort `url:"sort,omitempty"`
	// Pagination set to PaginationKeyset pages by cursor (the next page
	// only through Response.NextLink; ListIter follows it).
	Pagination *Pagination `url:"pagination,omitempty"`
	// Cursor is the opaque position of a keyset page, as found in the
	// next-page link.
	Cursor *string `url:"cursor,omitempty"`
}

func (o *ListAuditEventsOptions) validate() error {
	switch {
	case o == nil:
		return nil
	case o.EntityID != nil && o.EntityType == nil:
		return invalidArg("list audit events: entity_id needs entity_type")
	case o.EntityID != nil && *o.EntityID <= 0:
		return invalidArg("list audit events: entity_id must be positive, got %d", *o.EntityID)
	}
	return nil
}

// ListAuditEventsForOptions are the parameters of
// AuditEventsService.ListFor and ListForIter. GitLab offers no other
// filter for a group's or a project's events.
//
// GitLab API docs: https://docs.gitlab.com/api/audit_events/#retrieve-all-group-audit-events
type ListAuditEventsForOptions struct {
	ListOptions
	// CreatedAfter and CreatedBefore bound the time, inclusive.
	CreatedAfter  *time.Time `url:"created_after,omitempty"`
	CreatedBefore *time.Time `url:"created_before,omitempty"`
	// Pagination set to PaginationKeyset pages by cursor.
	Pagination *Pagination `url:"pagination,omitempty"`
	// Cursor is the opaque position of a keyset page.
	Cursor *string `url:"cursor,omitempty"`
}

// List returns one page of the instance's audit events, newest first
// unless opt.Sort says otherwise. Administrators only: others get 403
// (ErrForbidden), as does an instance without the Premium license.
//
// GitLab does not count these events: Response.TotalItems and
// TotalPages are 0, and NextPage is set after every full page, even
// when no event follows (the next page is then empty).
//
// GitLab API docs: https://docs.gitlab.com/api/audit_events/#retrieve-all-instance-audit-events
func (s *AuditEventsService) List(ctx context.Context, opt *ListAuditEventsOptions, opts ...RequestOption) ([]*AuditEvent, *Response, error) {
	return doList[*AuditEvent](ctx, s.client, at("audit_events"), opt, opts)
}

// ListIter yields every instance audit event matching opt, across pages
// (offset or keyset). Who may call it is as for List. It ends on the
// empty page GitLab serves after a full last page. opt is not modified.
//
// GitLab API docs: https://docs.gitlab.com/api/audit_events/#retrieve-all-instance-audit-events
func (s *AuditEventsService) ListIter(ctx context.Context, opt *ListAuditEventsOptions, opts ...RequestOption) iter.Seq2[*AuditEvent, error] {
	return iterate[*AuditEvent](ctx, s.client, at("audit_events"), opt, opts)
}

// Get returns one instance audit event, of any entity. Administrators
// only (403, ErrForbidden, for others); an unknown ID is 404
// (ErrNotFound, "404 Not found").
//
// GitLab API docs: https://docs.gitlab.com/api/audit_events/#retrieve-single-instance-audit-event
func (s *AuditEventsService) Get(ctx context.Context, id int64, opts ...RequestOption) (*AuditEvent, *Response, error) {
	return do[*AuditEvent](ctx, s.client, http.MethodGet, at("audit_events", id), nil, opts)
}

// ListFor returns one page of the audit events of a group or a project
// (its own, not its subgroups' or projects'), newest first. Members from
// Developer up may call it: a Developer sees only the events they
// authored, group Owners, project Maintainers and Owners, and
// administrators see all. Reporters and below get 403 (ErrForbidden); a
// group or project the caller cannot see is 404.
//
// GitLab API docs: https://docs.gitlab.com/api/audit_events/#retrieve-all-group-audit-events
// and https://docs.gitlab.com/api/audit_events/#retrieve-all-project-audit-events
func (s *AuditEventsService) ListFor(ctx context.Context, src Source, opt *ListAuditEventsForOptions, opts ...RequestOption) ([]*AuditEvent, *Response, error) {
	return doList[*AuditEvent](ctx, s.client, at(in(src), "audit_events"), opt, opts)
}

// ListForIter yields every audit event ListFor would return, across
// pages (offset or keyset). Who may call it, and what it yields, is as
// for ListFor. opt is not modified.
//
// GitLab API docs: https://docs.gitlab.com/api/audit_events/#retrieve-all-group-audit-events
// and https://docs.gitlab.com/api/audit_events/#retrieve-all-project-audit-events
func (s *AuditEventsService) ListForIter(ctx context.Context, src Source, opt *ListAuditEventsForOptions, opts ...RequestOption) iter.Seq2[*AuditEvent, error] {
	return iterate[*AuditEvent](ctx, s.client, at(in(src), "audit_events"), opt, opts)
}

// GetFor returns one audit event of a group or a project. Who may call
// it is as for ListFor; an event of another group or project, or (for a
// Developer) of another author, is 404 (ErrNotFound, "404 Not found").
//
// GitLab API docs: https://docs.gitlab.com/api/audit_events/#retrieve-a-specific-group-audit-event
// and https://docs.gitlab.com/api/audit_events/#retrieve-a-specific-project-audit-event
func (s *AuditEventsService) GetFor(ctx context.Context, src Source, id int64, opts ...RequestOption) (*AuditEvent, *Response, error) {
	return do[*AuditEvent](ctx, s.client, http.MethodGet, at(in(src), "audit_events", id), nil, opts)
}
