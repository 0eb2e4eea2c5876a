package gitlab

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func statusFixtureWant(t *testing.T) *UserStatus {
	return &UserStatus{
		Emoji:         "coffee",
		Availability:  AvailabilityBusy,
		Message:       "I crave coffee :coffee:",
		MessageHTML:   `I crave coffee <gl-emoji title="hot beverage" data-name="coffee" data-unicode-version="4.0">☕</gl-emoji>`,
		ClearStatusAt: mustTime(t, "2024-05-01T12:30:00Z"),
	}
}

// statusSetWant is set_user_status.json decoded.
func statusSetWant(t *testing.T) *UserStatus {
	return &UserStatus{
		Emoji:         "coffee",
		Availability:  AvailabilityBusy,
		Message:       "I crave coffee",
		MessageHTML:   "I crave coffee",
		ClearStatusAt: mustTime(t, "2024-05-01T13:00:00Z"),
	}
}

// The calls of StatusService: the request each sends and what it
// decodes.
func TestStatus(t *testing.T) {
	clearAt := time.Date(2025, 3, 14, 12, 26, 53, 0, time.UTC)
	cases := []endpointCase{
		{name: "Get", method: "GET", path: "/user/status", match: queryIs(), fixture: "get_user_status.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) { return value(c.Status.Get(ctx)) },
			want: statusFixtureWant(t)},
		// With no status set GitLab sends every key as null.
		{name: "GetNoStatus", method: "GET", path: "/user/status", match: queryIs(), fixture: "get_user_status_none.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) { return value(c.Status.Get(ctx)) },
			want: &UserStatus{}},
		{name: "GetForUserNotFound", method: "GET", path: "/users/nobody/status",
			status: 404, json: map[string]string{"message": "404 User Not Found"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Status.GetForUser(ctx, Username("nobody")))
			},
			wantErr: ErrNotFound},
		{name: "Set", method: "PUT", path: "/user/status",
			match:   formIs("availability", "busy", "clear_status_after", "30_minutes", "emoji", "coffee", "message", "I crave coffee"),
			fixture: "set_user_status.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Status.Set(ctx, &SetStatusOptions{
					Emoji:            Ptr("coffee"),
					Message:          Ptr("I crave coffee"),
					Availability:     Ptr(AvailabilityBusy),
					ClearStatusAfter: Ptr(ClearStatusAfter30Minutes),
				}))
			},
			want: statusSetWant(t)},
		// A pointer to "" is a value the caller chose, so it is sent.
		{name: "SetEmptyStringsAreSent", method: "PUT", path: "/user/status", match: formIs("emoji", "", "message", ""),
			fixture: "get_user_status_none.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Status.Set(ctx, &SetStatusOptions{Emoji: Ptr(""), Message: Ptr("")}))
			},
			want: &UserStatus{}},
		{name: "SetValidationError", method: "PUT", path: "/user/status", match: formIs("emoji", "no_such_emoji"),
			status: 400, json: map[string]any{"message": map[string][]string{"emoji": {"does not exist"}}},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Status.Set(ctx, &SetStatusOptions{Emoji: Ptr("no_such_emoji")}))
			},
			wantErr: ErrBadRequest, errFields: map[string][]string{"emoji": {"does not exist"}}},
		// Update sends PATCH with only the fields that are set.
		{name: "Update", method: "PATCH", path: "/user/status",
			match: formIs("message", "Working on :rocket:", "clear_status_after", "3_hours"), fixture: "update_user_status.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Status.Update(ctx, &UpdateStatusOptions{
					Message: Ptr("Working on :rocket:"), ClearStatusAfter: Ptr(ClearStatusAfter3Hours)}))
			},
			want: &UserStatus{Emoji: "speech_balloon", Availability: AvailabilityNotSet, Message: "Working on :rocket:",
				MessageHTML:   `Working on <gl-emoji title="rocket" data-name="rocket" data-unicode-version="6.0">🚀</gl-emoji>`,
				ClearStatusAt: &clearAt}},
	}
	for _, user := range userRefCases {
		cases = append(cases, endpointCase{name: "GetForUser/" + user.name, method: "GET", path: "/users/" + user.segment + "/status",
			match: queryIs(), fixture: "get_user_status.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Status.GetForUser(ctx, user.ref))
			},
			want: statusFixtureWant(t)})
	}
	for _, v := range []ClearStatusAfter{
		ClearStatusAfter30Minutes, ClearStatusAfter3Hours, ClearStatusAfter8Hours,
		ClearStatusAfter1Day, ClearStatusAfter3Days, ClearStatusAfter7Days, ClearStatusAfter30Days,
	} {
		cases = append(cases, endpointCase{name: "SetEveryClearInterval/" + string(v), method: "PUT", path: "/user/status",
			match: formIs("availability", "not_set", "clear_status_after", string(v)), fixture: "set_user_status.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Status.Set(ctx, &SetStatusOptions{Availability: Ptr(AvailabilityNotSet), ClearStatusAfter: Ptr(v)}))
			},
			want: statusSetWant(t)})
	}
	// An empty PUT is how a status is removed: nothing may be sent, not
	// even empty values, and GitLab answers with the all-null status.
	for name, opt := range map[string]*SetStatusOptions{"nil options": nil, "empty options": {}} {
		cases = append(cases, endpointCase{name: "SetEmptyClears/" + name, method: "PUT", path: "/user/status",
			match: []matcher{exactForm("")}, fixture: "get_user_status_none.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) { return value(c.Status.Set(ctx, opt)) },
			want: &UserStatus{}})
	}
	runEndpointCases(t, cases)
}

// The values GitLab knows for clear_status_after.
func TestStatusClearIntervals(t *testing.T) {
	require.Equal(t, []string{"30_minutes", "3_hours", "8_hours", "1_day", "3_days", "7_days", "30_days"}, []string{
		string(ClearStatusAfter30Minutes), string(ClearStatusAfter3Hours), string(ClearStatusAfter8Hours),
		string(ClearStatusAfter1Day), string(ClearStatusAfter3Days), string(ClearStatusAfter7Days), string(ClearStatusAfter30Days),
	})
}

func TestStatusRoundTrip(t *testing.T) {
	assertRoundTrip[UserStatus](t, "get_user_status.json")
	assertRoundTrip[UserStatus](t, "set_user_status.json")
}

// GitLab answers 200 null when the status ends up empty (deleted) or a
// PATCH changed nothing: that is success with an empty status. Null is
// accepted here only.
func TestStatusUpdateNull(t *testing.T) {
	c := newTestClient(t)
	mock("PATCH", "/user/status").AddMatcher(exactForm("")).
		Reply(200).SetHeader("Content-Type", "application/json").BodyString("null")

	st, _, err := c.Status.Update(context.Background(), nil)
	require.NoError(t, err)
	require.Equal(t, &UserStatus{}, st)

	mock("PUT", "/user/status").Reply(200).SetHeader("Content-Type", "application/json").BodyString("null")
	_, _, err = c.Status.Set(context.Background(), nil)
	require.ErrorIs(t, err, ErrUnexpectedResponse, "PUT always answers the status")
}

// The same PATCH applied twice leaves the same status, so it is retried.
func TestStatusUpdateRetried(t *testing.T) {
	c := newTestClient(t, WithRetryMax(1), WithRetryWait(0, 0))
	mock("PATCH", "/user/status").Reply(502)
	mock("PATCH", "/user/status").Reply(200).BodyString(string(fixture(t, "update_user_status.json")))

	_, _, err := c.Status.Update(context.Background(), &UpdateStatusOptions{Availability: Ptr(AvailabilityBusy)})
	require.NoError(t, err)
}
