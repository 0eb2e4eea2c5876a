package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var now = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// newTestStore returns a store with an administrator (ID 1) and the
// users named, active and plain, with IDs from 2 in order.
func newTestStore(t *testing.T, usernames ...string) (*Store, *User, []*User) {
	t.Helper()
	st := NewStore()
	admin := st.AddUser(&User{UserData: UserData{Username: "root", Email: "root@example.com", Admin: true}, State: StateActive}, new(Email), now)
	var users []*User
	for _, n := range usernames {
		users = append(users, st.AddUser(&User{UserData: UserData{Username: n, Email: n + "@example.com"}, State: StateActive}, new(Email), now))
	}
	return st, admin, users
}

// refusedAs asserts that err is a *Error of kind k with text.
func refusedAs(t *testing.T, err error, k Kind, text string) {
	t.Helper()
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, k, e.Kind)
	assert.Equal(t, text, e.Text)
}

// TestModerationTransitions walks every state change from every state,
// as app/models/user.rb's state machine and the Users::*Service classes
// allow or refuse it.
func TestModerationTransitions(t *testing.T) {
	all := []UserState{StateActive, StateBlocked, StateLDAPBlocked, StateDeactivated, StateBanned, StateBlockedPendingApproval}
	type result struct {
		to   UserState // the state afterwards
		out  Outcome
		kind Kind // the refusal's kind, 0 for none
	}
	ops := map[string]struct {
		run  func(st *Store, admin, u *User) (Outcome, error)
		want map[UserState]result
	}{
		"block": {
			func(st *Store, admin, u *User) (Outcome, error) { return st.Block(admin, u, now) },
			map[UserState]result{
				StateActive: {StateBlocked, Changed, 0}, StateBlocked: {StateBlocked, Unchanged, 0},
				StateLDAPBlocked: {StateLDAPBlocked, 0, Forbidden}, StateDeactivated: {StateBlocked, Changed, 0},
				StateBanned: {StateBlocked, Changed, 0}, StateBlockedPendingApproval: {StateBlocked, Changed, 0},
			},
		},
		"unblock": {
			func(st *Store, _, u *User) (Outcome, error) { return st.Unblock(u, now) },
			map[UserState]result{
				StateActive: {StateActive, Failed, 0}, StateBlocked: {StateActive, Changed, 0},
				StateLDAPBlocked: {StateLDAPBlocked, 0, Forbidden}, StateDeactivated: {StateDeactivated, 0, Forbidden},
				StateBanned: {StateActive, Changed, 0}, StateBlockedPendingApproval: {StateActive, Changed, 0},
			},
		},
		"deactivate": {
			func(st *Store, _, u *User) (Outcome, error) { return st.Deactivate(u, now) },
			map[UserState]result{
				StateActive: {StateDeactivated, Changed, 0}, StateBlocked: {StateBlocked, 0, Forbidden},
				StateLDAPBlocked: {StateLDAPBlocked, 0, Forbidden}, StateDeactivated: {StateDeactivated, Unchanged, 0},
				StateBanned: {StateDeactivated, Changed, 0}, StateBlockedPendingApproval: {StateDeactivated, Changed, 0},
			},
		},
		"activate": {
			func(st *Store, _, u *User) (Outcome, error) { return st.Activate(u, now) },
			map[UserState]result{
				StateActive: {StateActive, Changed, 0}, StateBlocked: {StateBlocked, 0, Forbidden},
				StateLDAPBlocked: {StateLDAPBlocked, 0, Forbidden}, StateDeactivated: {StateActive, Changed, 0},
				StateBanned: {StateActive, Changed, 0}, StateBlockedPendingApproval: {StateActive, Changed, 0},
			},
		},
		"ban": {
			func(st *Store, _, u *User) (Outcome, error) { return st.Ban(u, now) },
			map[UserState]result{
				StateActive: {StateBanned, Changed, 0}, StateBlocked: {StateBlocked, 0, Forbidden},
				StateLDAPBlocked: {StateLDAPBlocked, 0, Forbidden}, StateDeactivated: {StateDeactivated, 0, Forbidden},
				StateBanned: {StateBanned, 0, Forbidden}, StateBlockedPendingApproval: {StateBlockedPendingApproval, 0, Forbidden},
			},
		},
		"unban": {
			func(st *Store, _, u *User) (Outcome, error) { return st.Unban(u, now) },
			map[UserState]result{
				StateActive: {StateActive, 0, Forbidden}, StateBlocked: {StateBlocked, 0, Forbidden},
				StateLDAPBlocked: {StateLDAPBlocked, 0, Forbidden}, StateDeactivated: {StateDeactivated, 0, Forbidden},
				StateBanned: {StateActive, Changed, 0}, StateBlockedPendingApproval: {StateBlockedPendingApproval, 0, Forbidden},
			},
		},
	}
	for name, op := range ops {
		for _, from := range all {
			t.Run(name+"/"+string(from), func(t *testing.T) {
				st, admin, users := newTestStore(t, "jane")
				u := users[0]
				u.State = from
				out, err := op.run(st, admin, u)
				want := op.want[from]
				if want.kind != 0 {
					var e *Error
					require.ErrorAs(t, err, &e)
					assert.Equal(t, want.kind, e.Kind)
				} else {
					require.NoError(t, err)
					assert.Equal(t, want.out, out)
				}
				assert.Equal(t, want.to, u.State)
			})
		}
	}
}

func TestModerationTexts(t *testing.T) {
	st, admin, users := newTestStore(t, "jane")
	jane := users[0]

	_, err := st.Block(admin, admin, now)
	refusedAs(t, err, Forbidden, "The API initiating user cannot be blocked by the API")
	jane.State = StateBlocked
	_, err = st.Ban(jane, now)
	refusedAs(t, err, Forbidden, "You cannot ban blocked users.")
	jane.State = StateActive
	_, err = st.Unban(jane, now)
	refusedAs(t, err, Forbidden, "You cannot unban active users.")
}

func TestDeactivateRules(t *testing.T) {
	st, _, users := newTestStore(t, "recent", "dormant", "bot")
	recent, dormant, bot := users[0], users[1], users[2]
	recent.LastActivityOn = PtrTime(DayOf(now).AddDate(0, 0, -DormantDays+1))
	dormant.LastActivityOn = PtrTime(DayOf(now).AddDate(0, 0, -DormantDays))
	bot.Bot = true

	_, err := st.Deactivate(recent, now)
	refusedAs(t, err, Forbidden, "The user you are trying to deactivate has been active in the past 90 days and cannot be deactivated")
	out, err := st.Deactivate(dormant, now)
	require.NoError(t, err)
	assert.Equal(t, Changed, out)
	assert.Equal(t, now, dormant.UpdatedAt)
	_, err = st.Deactivate(bot, now)
	refusedAs(t, err, Forbidden, "Internal users cannot be deactivated")
}

func TestApproveAndReject(t *testing.T) {
	st, admin, users := newTestStore(t, "pending", "other")
	pending, other := users[0], users[1]
	pending.State = StateBlockedPendingApproval

	refusedAs(t, st.Approve(other, pending, now), Forbidden, "You are not allowed to approve a user")
	refusedAs(t, st.Approve(nil, pending, now), Forbidden, "You are not allowed to approve a user")
	refusedAs(t, st.Approve(admin, other, now), Conflict, "The user you are trying to approve is not pending approval")
	require.NoError(t, st.Approve(admin, pending, now))
	assert.Equal(t, StateActive, pending.State)

	refusedAs(t, st.Reject(admin, pending), Conflict, "User does not have a pending request")
	pending.State = StateBlockedPendingApproval
	refusedAs(t, st.Reject(other, pending), Forbidden, "You are not allowed to reject a user")
	require.NoError(t, st.Reject(admin, pending))
	assert.Nil(t, st.User(pending.ID), "a rejected user is deleted")
	assert.Nil(t, st.UserByName("pending"))
}

func TestDisableTwoFactor(t *testing.T) {
	st, admin, users := newTestStore(t, "jane")
	jane := users[0]
	admin.TwoFactorEnabled = true

	refusedAs(t, st.DisableTwoFactor(admin, now), Forbidden, "Two-factor authentication for admins cannot be disabled via the API. Use the Rails console")
	refusedAs(t, st.DisableTwoFactor(jane, now), BadRequest, "Two-factor authentication is not enabled for this user")
	jane.TwoFactorEnabled = true
	require.NoError(t, st.DisableTwoFactor(jane, now))
	assert.False(t, jane.TwoFactorEnabled)
}
