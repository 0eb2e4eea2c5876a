package gitlab

import (
	"context"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func eventAuthorWant() *User {
	return &User{ID: 1, Username: "jane", Name: "Jane Doe", State: UserStateActive,
		AvatarURL: "https://gitlab.example.com/uploads/-/system/user/avatar/1/avatar.png", WebURL: "https://gitlab.example.com/jane"}
}

// eventsWant is list_user_events.json decoded: a comment (a resolved
// diff note), a push, a bulk push of tags (imported) and a wiki edit.
func eventsWant(t *testing.T) []*Event {
	return []*Event{
		{ID: 4031, ProjectID: 15, ActionName: "commented on", TargetID: Ptr(int64(1312)), TargetIID: Ptr(int64(1312)),
			TargetType: Ptr("DiffNote"), AuthorID: 1, TargetTitle: Ptr("Rotate the deploy key"),
			CreatedAt: mustTime(t, "2024-03-04T10:33:58.089Z"),
			Note: &Note{ID: 1312, Type: Ptr("DiffNote"), Body: "This key still has write access.", Author: eventAuthorWant(),
				CreatedAt: mustTime(t, "2024-03-04T10:33:56.698Z"), UpdatedAt: mustTime(t, "2024-03-04T10:40:00.000Z"),
				NoteableID: 377, NoteableType: "MergeRequest", ProjectID: 15, CommitID: "c5feabde2d8cd023215af4d2ceeb7a64839fc428",
				Position: &NotePosition{BaseSHA: "50d4420237a9de7be1304607147aec22e4a14af7", StartSHA: "50d4420237a9de7be1304607147aec22e4a14af7",
					HeadSHA: "c5feabde2d8cd023215af4d2ceeb7a64839fc428", OldPath: "deploy/keys.yml", NewPath: "deploy/keys.yml",
					PositionType: "text", NewLine: Ptr(int64(12)),
					LineRange: &NoteLineRange{
						Start: &NoteLine{LineCode: "a1b2_10_11", Type: Ptr("new"), NewLine: Ptr(int64(11))},
						End:   &NoteLine{LineCode: "a1b2_11_12", OldLine: Ptr(int64(11)), NewLine: Ptr(int64(12))},
					}},
				Resolvable: true, Resolved: true,
				ResolvedBy: &User{ID: 2, Username: "ops-lead", PublicEmail: "lead@example.com", Name: "Ops Lead", State: UserStateActive,
					WebURL: "https://gitlab.example.com/ops-lead"},
				ResolvedAt: mustTime(t, "2024-03-05T09:00:00.000Z"), ImportedFrom: "none", NoteableIID: Ptr(int64(42)),
				CommandsChanges: map[string]any{"assignee_ids": []any{float64(2)},
					"spend_time": map[string]any{"duration": float64(3600), "user_id": float64(1)}},
			},
			Author: eventAuthorWant(), ImportedFrom: "none", AuthorUsername: "jane"},
		{ID: 4030, ProjectID: 15, ActionName: "pushed to", AuthorID: 1, CreatedAt: mustTime(t, "2024-03-04T09:00:00.000Z"),
			Author: eventAuthorWant(), ImportedFrom: "none",
			PushData: &EventPushData{CommitCount: 2, Action: "pushed", RefType: "branch",
				CommitFrom: Ptr("50d4420237a9de7be1304607147aec22e4a14af7"), CommitTo: Ptr("c5feabde2d8cd023215af4d2ceeb7a64839fc428"),
				Ref: Ptr("main"), CommitTitle: Ptr("Add simple search to projects in public area")},
			AuthorUsername: "jane"},
		{ID: 4029, ProjectID: 16, ActionName: "pushed new", AuthorID: 1, CreatedAt: mustTime(t, "2024-03-03T09:00:00.000Z"),
			Author: eventAuthorWant(), Imported: true, ImportedFrom: "github",
			PushData:       &EventPushData{Action: "created", RefType: "tag", RefCount: Ptr(int64(7))},
			AuthorUsername: "jane"},
		{ID: 4028, ProjectID: 16, ActionName: "updated", TargetID: Ptr(int64(88)), TargetIID: Ptr(int64(88)),
			TargetType: Ptr("WikiPage::Meta"), AuthorID: 1, TargetTitle: Ptr("Runbook"), CreatedAt: mustTime(t, "2024-03-02T09:00:00.000Z"),
			WikiPage: &EventWikiPage{Format: "markdown", Slug: "runbook", Title: "Runbook", WikiPageMetaID: 88},
			Author:   eventAuthorWant(), ImportedFrom: "none", AuthorUsername: "jane"},
	}
}

// eventsPage3Want is list_user_events_page_3.json decoded.
func eventsPage3Want(t *testing.T) *Event {
	return &Event{ID: 3001, ProjectID: 15, ActionName: "removed due to membership expiration from", AuthorID: 1,
		CreatedAt: mustTime(t, "2023-12-31T00:00:00.000Z"), Author: eventAuthorWant(), ImportedFrom: "none", AuthorUsername: "jane"}
}

// A user's events, for each way of naming the user, with every filter
// as GitLab reads it: dates as YYYY-MM-DD, the enums in lower case.
func TestUsersListEvents(t *testing.T) {
	for _, rc := range userRefCases {
		t.Run(rc.name, func(t *testing.T) {
			p := "/users/" + rc.segment + "/events"
			runEndpointCases(t, []endpointCase{
				{name: "AllFilters", method: "GET", path: p,
					match: queryIs("action", "closed", "after", "2016-12-01", "before", "2016-12-31", "page", "2", "per_page", "4",
						"sort", "asc", "target_type", "issue"),
					headers: []string{"X-Total", "9", "X-Next-Page", "3"}, fixture: "list_user_events.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Users.ListEvents(ctx, rc.ref, &ListUserEventsOptions{
							ListOptions: ListOptions{Page: 2, PerPage: 4}, Action: Ptr(EventActionClosed),
							TargetType: Ptr(EventTargetTypeIssue), Before: isoDate(2016, time.December, 31),
							After: isoDate(2016, time.December, 1), Sort: Ptr(SortOrderAsc),
						}))
					},
					want: eventsWant(t),
					check: func(t *testing.T, resp *Response, _ error) {
						require.Equal(t, 9, resp.TotalItems)
						require.Equal(t, 3, resp.NextPage)
					}},
				{name: "NoOptions", method: "GET", path: p, match: queryIs(), fixture: "list_user_events.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Users.ListEvents(ctx, rc.ref, nil))
					},
					want: eventsWant(t)},
			})
		})
	}
	runEndpointCases(t, []endpointCase{
		{name: "PrivateProfile", method: "GET", path: "/users/hidden/events", match: queryIs(), body: `[]`,
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Users.ListEvents(ctx, Username("hidden"), nil))
			},
			want: []*Event(nil)},
		{name: "UnknownUser", method: "GET", path: "/users/nobody/events", match: queryIs(),
			status: 404, json: map[string]string{"message": "404 User Not Found"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Users.ListEvents(ctx, Username("nobody"), nil))
			},
			wantErr: ErrNotFound, errMsg: "404 User Not Found"},
	})
}

// Every action and target type GitLab accepts goes out as it is named;
// "wiki" and "design" are among them although GitLab's docs omit them.
func TestUsersListEventsEveryFilterValue(t *testing.T) {
	for _, a := range EventAction("").known() {
		runEndpointCases(t, []endpointCase{{name: "action " + a, method: "GET", path: "/users/7/events", match: queryIs("action", a), body: `[]`,
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Users.ListEvents(ctx, UserID(7), &ListUserEventsOptions{Action: Ptr(EventAction(a))}))
			},
			want: []*Event(nil)}})
	}
	targets := EventTargetType("").known()
	require.Contains(t, targets, "wiki")
	require.Contains(t, targets, "design")
	require.NotContains(t, targets, "epic")
	for _, tt := range targets {
		runEndpointCases(t, []endpointCase{{name: "target " + tt, method: "GET", path: "/users/7/events", match: queryIs("target_type", tt), body: `[]`,
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Users.ListEvents(ctx, UserID(7), &ListUserEventsOptions{TargetType: Ptr(EventTargetType(tt))}))
			},
			want: []*Event(nil)}})
	}
}

// GitLab filters events for visibility after cutting the page, so a
// page can be empty while the next one is not, and above 10,000 events
// it sends no X-Total or X-Total-Pages: the iterator follows the
// next-page headers through a short page and an empty one.
func TestUsersListEventsIterShortAndEmptyPages(t *testing.T) {
	c := newTestClient(t)
	path := "/users/a%2Fb/events"
	mock("GET", path).AddMatcher(exactQuery(form("per_page", "4", "sort", "desc"))).
		Reply(200).SetHeader("X-Page", "1").SetHeader("X-Per-Page", "4").SetHeader("X-Next-Page", "2").
		BodyString(string(fixture(t, "list_user_events.json")))
	mock("GET", path).AddMatcher(exactQuery(form("page", "2", "per_page", "4", "sort", "desc"))).
		Reply(200).SetHeader("X-Page", "2").SetHeader("X-Per-Page", "4").SetHeader("X-Next-Page", "3").
		BodyString(`[]`)
	mock("GET", path).AddMatcher(exactQuery(form("page", "3", "per_page", "4", "sort", "desc"))).
		Reply(200).SetHeader("X-Page", "3").SetHeader("X-Per-Page", "4").SetHeader("X-Next-Page", "4").
		BodyString(string(fixture(t, "list_user_events_page_3.json")))
	mock("GET", path).AddMatcher(exactQuery(form("page", "4", "per_page", "4", "sort", "desc"))).
		Reply(200).SetHeader("X-Page", "4").SetHeader("X-Per-Page", "4").SetHeader("X-Next-Page", "").
		BodyString(`[]`)

	opt := &ListUserEventsOptions{ListOptions: ListOptions{PerPage: 4}, Sort: Ptr(SortOrderDesc)}
	got := collect(t, c.Users.ListEventsIter(context.Background(), Username("a/b"), opt))
	require.Equal(t, append(eventsWant(t), eventsPage3Want(t)), got)
	require.Equal(t, &ListUserEventsOptions{ListOptions: ListOptions{PerPage: 4}, Sort: Ptr(SortOrderDesc)}, opt)
}

// The same walk when GitLab reports a page count (fewer than 10,000
// events), with pages fetched several at once: an empty page in the
// middle does not end it either.
func TestUsersListEventsIterEmptyPageWithPageCount(t *testing.T) {
	srv := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		page := max(1, atoi(r.URL.Query().Get("page")))
		w.Header().Set("X-Page", strconv.Itoa(page))
		w.Header().Set("X-Per-Page", "4")
		w.Header().Set("X-Total", "9")
		w.Header().Set("X-Total-Pages", "3")
		if page < 3 {
			w.Header().Set("X-Next-Page", strconv.Itoa(page+1))
		}
		switch page {
		case 1:
			_, _ = w.Write(fixture(t, "list_user_events.json"))
		case 2:
			_, _ = w.Write([]byte(`[]`))
		case 3:
			_, _ = w.Write(fixture(t, "list_user_events_page_3.json"))
		default:
			t.Errorf("page %d asked for", page)
		}
	})
	c := fastClient(t, srv.URL, WithPageConcurrency(3))
	got := collect(t, c.Users.ListEventsIter(context.Background(), UserID(1), &ListUserEventsOptions{ListOptions: ListOptions{PerPage: 4}}))
	require.Equal(t, append(eventsWant(t), eventsPage3Want(t)), got)
	assert.Equal(t, 3, srv.count())
}

// Guard: a server that ignores ?page, sends no X-Page and always
// announces a next page after an empty one would keep the walk going
// for ever without an item; an empty page must carry a new X-Page.
func TestUsersListEventsIterEmptyPagesWithoutXPage(t *testing.T) {
	var n atomic.Int32
	srv := newRecordingServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Next-Page", strconv.Itoa(int(n.Add(1))+1))
		_, _ = w.Write([]byte(`[]`))
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	events, errs := drain(t, ctx, func(ctx context.Context) func(func(*Event, error) bool) {
		return fastClient(t, srv.URL).Users.ListEventsIter(ctx, UserID(1), nil)
	})
	assert.Empty(t, events)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrUnexpectedResponse)
	assert.Contains(t, errs[0].Error(), "empty page without a new X-Page")
	assert.LessOrEqual(t, srv.count(), 3)
}

// An empty first page that announces nothing more is the end of an
// empty list (a private profile), headers or not.
func TestUsersListEventsIterNothingToSee(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/users/hidden/events").AddMatcher(exactQuery("")).Reply(200).BodyString(`[]`)
	require.Empty(t, collect(t, c.Users.ListEventsIter(context.Background(), Username("hidden"), nil)))
}

func TestEventJSONRoundTrip(t *testing.T) {
	assertRoundTrip[[]*Event](t, "list_user_events.json")
	assertRoundTrip[[]*Event](t, "list_user_events_page_3.json")
}
