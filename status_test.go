package gitlab

import (
	"context"
	"errors"
	"net/http"
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

func TestStatusGet(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/user/status").AddMatcher(exactQuery("")).
		Reply(200).BodyString(string(fixture(t, "get_user_status.json")))

	got, resp, err := c.Status.Get(context.Background())
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, statusFixtureWant(t), got)
}

func TestStatusGetNoStatus(t *testing.T) {
	// With no status set GitLab sends every key as null.
	c := newTestClient(t)
	mock("GET", "/user/status").AddMatcher(exactQuery("")).
		Reply(200).BodyString(string(fixture(t, "get_user_status_none.json")))

	got, _, err := c.Status.Get(context.Background())
	require.NoError(t, err)
	require.Equal(t, &UserStatus{}, got)
}

func TestStatusGetForUser(t *testing.T) {
	cases := []struct {
		name string
		user UserRef
		path string
	}{
		{"id", UserID(42), "/users/42/status"},
		{"username", Username("janedoe"), "/users/janedoe/status"},
		{"leading at trimmed", Username("@jane"), "/users/jane/status"},
		{"slash escaped", Username("a/b"), "/users/a%2Fb/status"},
		{"non-ASCII escaped", Username("jöhn"), "/users/j%C3%B6hn/status"},
		{"dot segment escaped", Username(".."), "/users/%2E%2E/status"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestClient(t)
			mock("GET", tc.path).AddMatcher(exactQuery("")).
				Reply(200).BodyString(string(fixture(t, "get_user_status.json")))

			got, resp, err := c.Status.GetForUser(context.Background(), tc.user)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			require.Equal(t, statusFixtureWant(t), got)
		})
	}
}

func TestStatusGetForUserNotFound(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/users/nobody/status").
		Reply(404).JSON(map[string]string{"message": "404 User Not Found"})

	got, resp, err := c.Status.GetForUser(context.Background(), Username("nobody"))
	require.ErrorIs(t, err, ErrNotFound)
	require.Nil(t, got)
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestStatusSet(t *testing.T) {
	c := newTestClient(t)
	mock("PUT", "/user/status").
		AddMatcher(exactForm(form(
			"availability", "busy",
			"clear_status_after", "30_minutes",
			"emoji", "coffee",
			"message", "I crave coffee",
		))).
		Reply(200).BodyString(string(fixture(t, "set_user_status.json")))

	got, resp, err := c.Status.Set(context.Background(), &SetStatusOptions{
		Emoji:            Ptr("coffee"),
		Message:          Ptr("I crave coffee"),
		Availability:     Ptr(AvailabilityBusy),
		ClearStatusAfter: Ptr(ClearStatusAfter30Minutes),
	})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, &UserStatus{
		Emoji:         "coffee",
		Availability:  AvailabilityBusy,
		Message:       "I crave coffee",
		MessageHTML:   "I crave coffee",
		ClearStatusAt: mustTime(t, "2024-05-01T13:00:00Z"),
	}, got)
}

func TestStatusSetEveryClearInterval(t *testing.T) {
	for _, v := range []ClearStatusAfter{
		ClearStatusAfter30Minutes, ClearStatusAfter3Hours, ClearStatusAfter8Hours,
		ClearStatusAfter1Day, ClearStatusAfter3Days, ClearStatusAfter7Days, ClearStatusAfter30Days,
	} {
		t.Run(string(v), func(t *testing.T) {
			c := newTestClient(t)
			mock("PUT", "/user/status").
				AddMatcher(exactForm(form("availability", "not_set", "clear_status_after", string(v)))).
				Reply(200).BodyString(string(fixture(t, "set_user_status.json")))
			_, _, err := c.Status.Set(context.Background(), &SetStatusOptions{
				Availability:     Ptr(AvailabilityNotSet),
				ClearStatusAfter: Ptr(v),
			})
			require.NoError(t, err)
		})
	}
	require.Equal(t, []string{"30_minutes", "3_hours", "8_hours", "1_day", "3_days", "7_days", "30_days"}, []string{
		string(ClearStatusAfter30Minutes), string(ClearStatusAfter3Hours), string(ClearStatusAfter8Hours),
		string(ClearStatusAfter1Day), string(ClearStatusAfter3Days), string(ClearStatusAfter7Days), string(ClearStatusAfter30Days),
	})
}

func TestStatusSetEmptyClears(t *testing.T) {
	// An empty PUT is how a status is removed: nothing may be sent, not
	// even empty values, and GitLab answers with the all-null status.
	for name, opt := range map[string]*SetStatusOptions{"nil options": nil, "empty options": {}} {
		t.Run(name, func(t *testing.T) {
			c := newTestClient(t)
			mock("PUT", "/user/status").AddMatcher(exactForm("")).
				Reply(200).BodyString(string(fixture(t, "get_user_status_none.json")))

			got, _, err := c.Status.Set(context.Background(), opt)
			require.NoError(t, err)
			require.Equal(t, &UserStatus{}, got)
		})
	}
}

func TestStatusSetEmptyStringsAreSent(t *testing.T) {
	// A pointer to "" is a value the caller chose, so it is sent.
	c := newTestClient(t)
	mock("PUT", "/user/status").AddMatcher(exactForm(form("emoji", "", "message", ""))).
		Reply(200).BodyString(string(fixture(t, "get_user_status_none.json")))

	_, _, err := c.Status.Set(context.Background(), &SetStatusOptions{Emoji: Ptr(""), Message: Ptr("")})
	require.NoError(t, err)
}

func TestStatusSetValidationError(t *testing.T) {
	c := newTestClient(t)
	mock("PUT", "/user/status").AddMatcher(exactForm(form("emoji", "no_such_emoji"))).
		Reply(400).JSON(map[string]any{"message": map[string][]string{"emoji": {"does not exist"}}})

	got, _, err := c.Status.Set(context.Background(), &SetStatusOptions{Emoji: Ptr("no_such_emoji")})
	require.ErrorIs(t, err, ErrBadRequest)
	require.Nil(t, got)
	var er *ErrorResponse
	require.True(t, errors.As(err, &er))
	require.Equal(t, []string{"does not exist"}, er.Fields["emoji"])
}

func TestStatusRoundTrip(t *testing.T) {
	assertRoundTrip[UserStatus](t, "get_user_status.json")
	assertRoundTrip[UserStatus](t, "set_user_status.json")
}

// Update sends PATCH with only the fields that are set.
func TestStatusUpdate(t *testing.T) {
	c := newTestClient(t)
	mock("PATCH", "/user/status").AddMatcher(exactForm(form("message", "Working on :rocket:", "clear_status_after", "3_hours"))).
		Reply(200).BodyString(string(fixture(t, "update_user_status.json")))

	st, resp, err := c.Status.Update(context.Background(), &UpdateStatusOptions{
		Message: Ptr("Working on :rocket:"), ClearStatusAfter: Ptr(ClearStatusAfter3Hours)})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	clearAt := time.Date(2025, 3, 14, 12, 26, 53, 0, time.UTC)
	require.Equal(t, &UserStatus{Emoji: "speech_balloon", Availability: AvailabilityNotSet, Message: "Working on :rocket:",
		MessageHTML:   `Working on <gl-emoji title="rocket" data-name="rocket" data-unicode-version="6.0">🚀</gl-emoji>`,
		ClearStatusAt: &clearAt}, st)
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
