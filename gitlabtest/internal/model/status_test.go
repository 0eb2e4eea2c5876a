package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClearStatusAfterOptions(t *testing.T) {
	assert.Equal(t, []string{"1_day", "30_days", "30_minutes", "3_days", "3_hours", "7_days", "8_hours"}, ClearStatusAfterOptions())
}

// TestSetUserStatus holds Users::SetStatusService: each case starts
// from the same stored status and sends a PUT or a PATCH.
func TestSetUserStatus(t *testing.T) {
	stored := Status{Emoji: "coffee", Message: "lunch", Availability: AvailabilityBusy, ClearStatusAt: PtrTime(now.Add(time.Hour))}
	cases := []struct {
		name  string
		ch    StatusChange
		patch bool
		want  *Status // the status returned and stored afterwards
		kept  bool    // nil returned, the stored status unchanged
	}{
		{name: "PUT emoji and message: not_set, no clearing", ch: StatusChange{Emoji: ptr("rocket"), Message: ptr("launch")},
			want: &Status{Emoji: "rocket", Message: "launch", Availability: AvailabilityNotSet}},
		{name: "PUT message: speech_balloon", ch: StatusChange{Message: ptr("hi")},
			want: &Status{Emoji: DefaultStatusEmoji, Message: "hi", Availability: AvailabilityNotSet}},
		{name: "PUT busy alone sets a status", ch: StatusChange{Availability: ptr(AvailabilityBusy)},
			want: &Status{Emoji: DefaultStatusEmoji, Availability: AvailabilityBusy}},
		{name: "PUT nothing clears", ch: StatusChange{}},
		{name: "PUT blanks and not_set clear", ch: StatusChange{Emoji: ptr(""), Message: ptr(""), Availability: ptr(AvailabilityNotSet)}},
		{name: "PUT clear_status_after alone clears", ch: StatusChange{ClearStatusAfter: ptr("1_day")}},
		{name: "PUT clear_status_after", ch: StatusChange{Message: ptr("away"), ClearStatusAfter: ptr("30_minutes")},
			want: &Status{Emoji: DefaultStatusEmoji, Message: "away", Availability: AvailabilityNotSet, ClearStatusAt: PtrTime(now.Add(30 * time.Minute))}},
		{name: "PATCH nothing does nothing", patch: true, kept: true},
		// A PATCH keeps message and clear_status_at, not emoji nor
		// availability.
		{name: "PATCH emoji", ch: StatusChange{Emoji: ptr("tea")}, patch: true,
			want: &Status{Emoji: "tea", Message: "lunch", Availability: AvailabilityNotSet, ClearStatusAt: stored.ClearStatusAt}},
		{name: "PATCH availability", ch: StatusChange{Availability: ptr(AvailabilityBusy)}, patch: true,
			want: &Status{Emoji: DefaultStatusEmoji, Message: "lunch", Availability: AvailabilityBusy, ClearStatusAt: stored.ClearStatusAt}},
		{name: "PATCH clear_status_after alone clears", ch: StatusChange{ClearStatusAfter: ptr("3_days")}, patch: true},
		{name: "PATCH message and clear_status_after", ch: StatusChange{Message: ptr("off"), ClearStatusAfter: ptr("7_days")}, patch: true,
			want: &Status{Emoji: DefaultStatusEmoji, Message: "off", Availability: AvailabilityNotSet, ClearStatusAt: PtrTime(now.Add(7 * 24 * time.Hour))}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, _, users := newTestStore(t, "alice")
			u := users[0]
			s := stored
			u.SetStatus(&s)
			got, err := st.SetUserStatus(u, tc.ch, tc.patch, now)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			switch {
			case tc.kept:
				assert.Equal(t, &stored, u.CurrentStatus(now))
			default:
				assert.Equal(t, tc.want, u.CurrentStatus(now))
			}
		})
	}
}

// TestSetUserStatusOfNone: a PATCH on a user without a status has
// nothing to keep; an expired status is none.
func TestSetUserStatusOfNone(t *testing.T) {
	st, _, users := newTestStore(t, "alice")
	u := users[0]
	u.SetStatus(&Status{Emoji: "coffee", Message: "old", Availability: AvailabilityBusy, ClearStatusAt: PtrTime(now)})
	got, err := st.SetUserStatus(u, StatusChange{Emoji: ptr("tea")}, true, now)
	require.NoError(t, err)
	assert.Equal(t, &Status{Emoji: "tea", Availability: AvailabilityNotSet}, got)
}

func TestSetUserStatusEmoji(t *testing.T) {
	st, _, users := newTestStore(t, "alice")
	u := users[0]
	for _, patch := range []bool{false, true} {
		got, err := st.SetUserStatus(u, StatusChange{Emoji: ptr("Thumbs Up"), Message: ptr("x")}, patch, now)
		assert.Nil(t, got)
		invalidAs(t, err, map[string][]string{"emoji": {"is not a valid emoji name"}})
		assert.Nil(t, u.CurrentStatus(now))
	}
	got, err := st.SetUserStatus(u, StatusChange{Emoji: ptr("+1")}, false, now)
	require.NoError(t, err)
	assert.Equal(t, "+1", got.Emoji)
}

// TestCurrentStatus: a status counts as cleared from its
// clear_status_at on.
func TestCurrentStatus(t *testing.T) {
	st, _, users := newTestStore(t, "alice")
	u := users[0]
	assert.Nil(t, u.CurrentStatus(now))
	s, err := st.SetUserStatus(u, StatusChange{Message: ptr("brb"), ClearStatusAfter: ptr("30_minutes")}, false, now)
	require.NoError(t, err)
	assert.Same(t, s, u.CurrentStatus(now.Add(30*time.Minute-time.Nanosecond)))
	assert.Nil(t, u.CurrentStatus(now.Add(30*time.Minute)))
	s, err = st.SetUserStatus(u, StatusChange{Message: ptr("here")}, false, now)
	require.NoError(t, err)
	assert.Same(t, s, u.CurrentStatus(now.AddDate(10, 0, 0)))
}
