package gitlab

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// auditEventListWant is audit_event_list.json decoded: details as a map,
// numbers as float64, a null event_name as nil.
func auditEventListWant(t *testing.T) []*AuditEvent {
	return []*AuditEvent{
		{ID: 106, AuthorID: 1, EntityID: 42, EntityType: AuditEventEntityUser, EventName: Ptr("user_blocked"),
			Details: map[string]any{
				"event_name": "user_blocked", "author_name": "Administrator", "author_class": "User",
				"target_id": float64(42), "target_type": "User", "target_details": "jane", "custom_message": "Blocked user",
				"ip_address": "192.0.2.1", "entity_path": "jane", "author_email": "admin@example.com",
			},
			CreatedAt: mustTime(t, "2025-03-14T09:26:53.123Z")},
		{ID: 105, AuthorID: -1, EntityID: 7, EntityType: AuditEventEntityGroup,
			Details: map[string]any{
				"remove": "user_access", "author_name": "(System)", "target_id": float64(42), "target_type": "User",
				"target_details": "Jane Doe", "system_event": true, "reason": "access expired on 2025-03-01",
				"member_id": float64(900), "author_email": nil,
			},
			CreatedAt: mustTime(t, "2025-03-01T00:00:01.000Z")},
	}
}

// auditEventGetWant is audit_event_get.json decoded.
func auditEventGetWant(t *testing.T) *AuditEvent {
	return &AuditEvent{ID: 101, AuthorID: 5, EntityID: 7, EntityType: AuditEventEntityGroup, EventName: Ptr("member_updated"),
		Details: map[string]any{
			"event_name": "member_updated", "author_name": "Owner Olga", "author_class": "User",
			"target_id": float64(42), "target_type": "User", "target_details": "Jane Doe", "custom_message": "Membership updated",
			"change": "access_level", "from": "Developer", "to": "Maintainer", "expiry_from": "2025-06-30", "expiry_to": nil,
			"as": "Maintainer", "member_id": float64(900), "member_role_id": nil, "entity_path": "acme",
			"author_email": "olga@example.com",
		},
		CreatedAt: mustTime(t, "2025-03-10T12:00:00.000Z")}
}

// The calls of AuditEventsService: the request each sends and what it
// decodes.
func TestAuditEvents(t *testing.T) {
	zone := time.FixedZone("UTC+2", 2*60*60)
	every := &ListAuditEventsOptions{
		ListOptions:   ListOptions{Page: 3, PerPage: 50},
		EntityType:    Ptr(AuditEventEntityUser),
		EntityID:      Ptr[int64](42),
		AuthorID:      Ptr[int64](1),
		CreatedAfter:  Ptr(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)),
		CreatedBefore: Ptr(time.Date(2025, 3, 31, 12, 30, 0, 0, zone)),
		Sort:          Ptr(AuditEventSortCreatedAsc),
		Pagination:    Ptr(PaginationOffset),
	}
	cases := []endpointCase{
		{name: "ListEveryFilter", method: "GET", path: "/audit_events",
			match: queryIs(
				"author_id", "1",
				"created_after", "2025-03-01T00:00:00Z",
				"created_before", "2025-03-31T12:30:00+02:00",
				"entity_id", "42",
				"entity_type", "User",
				"page", "3",
				"pagination", "offset",
				"per_page", "50",
				"sort", "created_asc",
			),
			fixture: "audit_event_list.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.AuditEvents.List(ctx, every))
			},
			want: auditEventListWant(t)},
		{name: "ListInstanceScopeKeyset", method: "GET", path: "/audit_events",
			match:   queryIs("cursor", "eyJpZCI6MTA2fQ", "entity_type", "Gitlab::Audit::InstanceScope", "pagination", "keyset"),
			fixture: "audit_event_list.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.AuditEvents.List(ctx, &ListAuditEventsOptions{EntityType: Ptr(AuditEventEntityInstance),
					Pagination: Ptr(PaginationKeyset), Cursor: Ptr("eyJpZCI6MTA2fQ")}))
			},
			want: auditEventListWant(t)},
		{name: "ListNotAdmin", method: "GET", path: "/audit_events", match: queryIs(),
			status: 403, json: map[string]string{"message": "403 Forbidden"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.AuditEvents.List(ctx, nil))
			},
			wantErr: ErrForbidden, errMsg: "403 Forbidden"},
		{name: "Get", method: "GET", path: "/audit_events/101", match: queryIs(), fixture: "audit_event_get.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.AuditEvents.Get(ctx, 101))
			},
			want: auditEventGetWant(t)},
		{name: "GetUnknown", method: "GET", path: "/audit_events/9", status: 404, json: map[string]string{"message": "404 Not found"},
			call:    func(ctx context.Context, c *Client) (any, *Response, error) { return value(c.AuditEvents.Get(ctx, 9)) },
			wantErr: ErrNotFound, errMsg: "404 Not found"},
		{name: "ListForGroupPath", method: "GET", path: "/groups/acme%2Fplatform/audit_events",
			match: queryIs("created_after", "2025-03-01T00:00:00Z", "created_before", "2025-03-02T00:00:00Z",
				"pagination", "keyset", "per_page", "2"),
			fixture: "audit_event_list.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.AuditEvents.ListFor(ctx, GroupPath("acme/platform"), &ListAuditEventsForOptions{
					ListOptions:   ListOptions{PerPage: 2},
					CreatedAfter:  Ptr(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)),
					CreatedBefore: Ptr(time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC)),
					Pagination:    Ptr(PaginationKeyset),
				}))
			},
			want: auditEventListWant(t)},
		{name: "ListForProjectReporter", method: "GET", path: "/projects/42/audit_events", match: queryIs(),
			status: 403, json: map[string]string{"message": "403 Forbidden"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.AuditEvents.ListFor(ctx, ProjectID(42), nil))
			},
			wantErr: ErrForbidden},
		{name: "GetForGroup", method: "GET", path: "/groups/7/audit_events/101", match: queryIs(), fixture: "audit_event_get.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.AuditEvents.GetFor(ctx, GroupID(7), 101))
			},
			want: auditEventGetWant(t)},
		{name: "GetForProjectPathOtherAuthor", method: "GET", path: "/projects/acme%2Fapp/audit_events/101",
			status: 404, json: map[string]string{"message": "404 Not found"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.AuditEvents.GetFor(ctx, ProjectPath("acme/app"), 101))
			},
			wantErr: ErrNotFound, errMsg: "404 Not found"},
	}
	runEndpointCases(t, cases)
}

// The instance list announces a next page after every full page, even
// the last: ListIter reads the empty page that follows and ends there,
// without an error.
func TestAuditEventsListIterEndsOnTheEmptyPageAfterAFullLastPage(t *testing.T) {
	c := newTestClient(t)
	opt := &ListAuditEventsOptions{ListOptions: ListOptions{PerPage: 2}}
	for page, f := range map[string]string{"1": "audit_event_list.json", "2": "audit_event_list_page_2_full.json", "3": "audit_event_list_empty.json"} {
		q := []string{"per_page", "2"}
		if page != "1" {
			q = append(q, "page", page)
		}
		next := map[string]string{"1": "2", "2": "3", "3": ""}[page]
		mock("GET", "/audit_events").AddMatcher(exactQuery(form(q...))).Reply(200).
			SetHeader("X-Page", page).SetHeader("X-Per-Page", "2").SetHeader("X-Next-Page", next).
			BodyString(string(fixture(t, f)))
	}
	got := collect(t, c.AuditEvents.ListIter(context.Background(), opt))
	assert.Len(t, got, 4)
	assert.Equal(t, 0, opt.Page, "the caller's options are not changed")
}

// With keyset pagination ListForIter follows Link rel="next" until a
// page has none.
func TestAuditEventsListForIterFollowsKeysetLinks(t *testing.T) {
	c := newTestClient(t)
	next := testHost + apiPrefix + "/groups/7/audit_events?cursor=eyJpZCI6MTA1fQ&pagination=keyset&per_page=2"
	mock("GET", "/groups/7/audit_events").AddMatcher(exactQuery(form("pagination", "keyset", "per_page", "2"))).Reply(200).
		SetHeader("Link", "<"+next+`>; rel="next"`).BodyString(string(fixture(t, "audit_event_list.json")))
	mock("GET", "/groups/7/audit_events").AddMatcher(exactQuery(form("cursor", "eyJpZCI6MTA1fQ", "pagination", "keyset", "per_page", "2"))).
		Reply(200).BodyString(string(fixture(t, "audit_event_list_page_2.json")))
	got := collect(t, c.AuditEvents.ListForIter(context.Background(), GroupID(7),
		&ListAuditEventsForOptions{ListOptions: ListOptions{PerPage: 2}, Pagination: Ptr(PaginationKeyset)}))
	require.Len(t, got, 3)
	assert.Equal(t, []int64{106, 105, 104}, []int64{got[0].ID, got[1].ID, got[2].ID})
	assert.Equal(t, AuditEventEntityInstance, got[2].EntityType)
}

func TestAuditEventRoundTrip(t *testing.T) {
	assertRoundTrip[[]*AuditEvent](t, "audit_event_list.json")
	assertRoundTrip[AuditEvent](t, "audit_event_get.json")
	assertRoundTrip[[]*AuditEvent](t, "audit_event_list_page_2.json")
}
