package model

import (
	"cmp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestModerationTransitions walks every state change from every state,
// as app/models/user.rb's state machine and the Users::*Service classes
// allow or refuse it.
func TestModerationTransitions(t *testing.T) {
	type result struct {
		to      UserState // the state afterwards; "" for the state before
		out     Outcome
		refused bool // refused as Forbidden
	}
	to := func(s UserState) result { return result{to: s, out: Changed} }
	unchanged, failed, refused := result{out: Unchanged}, result{out: Failed}, result{refused: true}
	type op = func(st *Store, admin, u *User) (Outcome, error)
	ops := map[string]struct {
		run  op
		want map[UserState]result
	}{
		"block": {func(st *Store, admin, u *User) (Outcome, error) { return st.Block(admin, u, now) }, map[UserState]result{
			StateActive: to(StateBlocked), StateBlocked: unchanged, StateLDAPBlocked: refused, StateDeactivated: to(StateBlocked),
			StateBanned: to(StateBlocked), StateBlockedPendingApproval: to(StateBlocked)}},
		"unblock": {func(st *Store, admin, u *User) (Outcome, error) { return st.Unblock(admin, u, now) }, map[UserState]result{
			StateActive: failed, StateBlocked: to(StateActive), StateLDAPBlocked: refused, StateDeactivated: refused,
			StateBanned: to(StateActive), StateBlockedPendingApproval: to(StateActive)}},
		"deactivate": {func(st *Store, _, u *User) (Outcome, error) { return st.Deactivate(nil, u, now) }, map[UserState]result{
			StateActive: to(StateDeactivated), StateBlocked: refused, StateLDAPBlocked: refused, StateDeactivated: unchanged,
			StateBanned: to(StateDeactivated), StateBlockedPendingApproval: to(StateDeactivated)}},
		"activate": {func(st *Store, _, u *User) (Outcome, error) { return st.Activate(u, now) }, map[UserState]result{
			StateActive: to(StateActive), StateBlocked: refused, StateLDAPBlocked: refused, StateDeactivated: to(StateActive),
			StateBanned: to(StateActive), StateBlockedPendingApproval: to(StateActive)}},
		"ban": {func(st *Store, _, u *User) (Outcome, error) { return st.Ban(nil, u, now) }, map[UserState]result{
			StateActive: to(StateBanned), StateBlocked: refused, StateLDAPBlocked: refused, StateDeactivated: refused,
			StateBanned: refused, StateBlockedPendingApproval: refused}},
		"unban": {func(st *Store, _, u *User) (Outcome, error) { return st.Unban(u, now) }, map[UserState]result{
			StateActive: refused, StateBlocked: refused, StateLDAPBlocked: refused, StateDeactivated: refused,
			StateBanned: to(StateActive), StateBlockedPendingApproval: refused}},
	}
	for name, op := range ops {
		require.Len(t, op.want, 6, name)
		for from, want := range op.want {
			t.Run(name+"/"+string(from), func(t *testing.T) {
				st, admin, users := newTestStore(t, "jane")
				u := users[0]
				u.State = from
				out, err := op.run(st, admin, u)
				if want.refused {
					assert.Equal(t, Forbidden, asError(t, err).Kind)
				} else {
					require.NoError(t, err)
					assert.Equal(t, want.out, out)
				}
				assert.Equal(t, cmp.Or(want.to, from), u.State)
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
	_, err = st.Ban(nil, jane, now)
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

	_, err := st.Deactivate(nil, recent, now)
	refusedAs(t, err, Forbidden, "The user you are trying to deactivate has been active in the past 90 days and cannot be deactivated")
	out, err := st.Deactivate(nil, dormant, now)
	require.NoError(t, err)
	assert.Equal(t, Changed, out)
	assert.Equal(t, now, dormant.UpdatedAt)
	_, err = st.Deactivate(nil, bot, now)
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

// TestBlockRecordsWhoAndWhen: Users::BlockService and
// Users::UnblockService upsert blocked_by and unblocked_by with the
// administrator and the time; the other moderation services record
// nothing, nor does a block or unblock that changes nothing.
func TestBlockRecordsWhoAndWhen(t *testing.T) {
	st, admin, users := newTestStore(t, "jane", "bob")
	jane, bob := users[0], users[1]
	at := time.Date(2026, 12, 1, 13, 4, 5, 678, time.FixedZone("CET", 3600))

	out, err := st.Block(admin, jane, at)
	require.NoError(t, err)
	require.Equal(t, Changed, out)
	assert.Equal(t, map[string]string{"blocked_by": "root/1+2026-12-01 12:04:05 UTC"}, jane.CustomAttributes)
	out, err = st.Block(admin, jane, at.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, Unchanged, out)
	assert.Equal(t, "root/1+2026-12-01 12:04:05 UTC", jane.CustomAttributes["blocked_by"], "a blocked user is left alone")

	_, err = st.Unblock(admin, jane, at.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, map[string]string{
		"blocked_by":   "root/1+2026-12-01 12:04:05 UTC",
		"unblocked_by": "root/1+2026-12-01 13:04:05 UTC",
	}, jane.CustomAttributes)
	_, err = st.Block(admin, jane, at.Add(2*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, "root/1+2026-12-01 14:04:05 UTC", jane.CustomAttributes["blocked_by"], "upserted")

	out, err = st.Unblock(admin, bob, at)
	require.NoError(t, err)
	require.Equal(t, Failed, out)
	for _, op := range []func() (Outcome, error){
		func() (Outcome, error) { return st.Ban(nil, bob, at) },
		func() (Outcome, error) { return st.Unban(bob, at) },
		func() (Outcome, error) { return st.Deactivate(nil, bob, at) },
		func() (Outcome, error) { return st.Activate(bob, at) },
	} {
		_, err := op()
		require.NoError(t, err)
	}
	bob.State = StateBlockedPendingApproval
	require.NoError(t, st.Approve(admin, bob, at))
	assert.Empty(t, bob.CustomAttributes)
}
