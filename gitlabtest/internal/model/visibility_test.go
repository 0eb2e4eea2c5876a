package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestHiddenFromLists(t *testing.T) {
	want := map[UserState]bool{
		StateActive: false, StateBlocked: true, StateLDAPBlocked: true, StateDeactivated: false,
		StateBanned: true, StateBlockedPendingApproval: false,
	}
	for state, hidden := range want {
		u := &User{State: state}
		assert.Equal(t, hidden, u.HiddenFromLists(), string(state))
	}
}

// TestActivities checks the window (six months back by default, from
// a given day otherwise), the order (by last activity, then ID) and
// that private profiles show to themselves and administrators only.
func TestActivities(t *testing.T) {
	st, admin, users := newTestStore(t, "old", "recent", "today", "private", "never", "edge")
	old, recent, today, private, edge := users[0], users[1], users[2], users[3], users[5]
	old.LastActivityOn = PtrTime(DayOf(now).AddDate(0, -7, 0))
	recent.LastActivityOn = PtrTime(DayOf(now).AddDate(0, 0, -3))
	today.LastActivityOn = PtrTime(DayOf(now))
	private.LastActivityOn = PtrTime(DayOf(now).AddDate(0, 0, -5))
	private.PrivateProfile = true
	edge.LastActivityOn = PtrTime(DayOf(now).AddDate(0, -6, 0)) // the window's first day
	viewer := users[4]

	names := func(us []*User) []string {
		var out []string
		for _, u := range us {
			out = append(out, u.Username)
		}
		return out
	}
	assert.Equal(t, []string{"edge", "recent", "today"}, names(st.Activities(viewer, nil, now)), "a private profile is hidden from others")
	assert.Equal(t, []string{"edge", "private", "recent", "today"}, names(st.Activities(private, nil, now)), "the user sees themself")
	assert.Equal(t, []string{"edge", "private", "recent", "today"}, names(st.Activities(admin, nil, now)))
	from := now.AddDate(0, 0, -4)
	assert.Equal(t, []string{"recent", "today"}, names(st.Activities(viewer, &from, now)), "from keeps its day and later")
	from = now.AddDate(-1, 0, 0)
	assert.Equal(t, []string{"old", "edge", "recent", "today"}, names(st.Activities(viewer, &from, now)))
}
