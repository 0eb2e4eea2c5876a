package model

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// followers returns a store whose users (after the admin) have
// following enabled.
func followers(t *testing.T, usernames ...string) (*Store, *User, []*User) {
	st, admin, users := newTestStore(t, usernames...)
	admin.FollowingEnabled = true
	for _, u := range users {
		u.FollowingEnabled = true
	}
	return st, admin, users
}

func TestCanReadProfile(t *testing.T) {
	_, admin, users := newTestStore(t, "alice", "bob")
	alice, bob := users[0], users[1]
	assert.True(t, CanReadProfile(nil, alice))
	assert.True(t, CanReadProfile(bob, alice))
	alice.PrivateProfile = true
	assert.False(t, CanReadProfile(nil, alice))
	assert.False(t, CanReadProfile(bob, alice))
	assert.True(t, CanReadProfile(alice, alice))
	assert.True(t, CanReadProfile(admin, alice))
}

// TestFollowUser holds User#follow: what does nothing (304), what is
// refused, and what both users' lists hold after.
func TestFollowUser(t *testing.T) {
	st, _, users := followers(t, "alice", "bob", "carol")
	alice, bob, carol := users[0], users[1], users[2]

	o, err := st.FollowUser(alice, bob)
	require.NoError(t, err)
	assert.Equal(t, Changed, o)
	o, err = st.FollowUser(carol, bob)
	require.NoError(t, err)
	assert.Equal(t, Changed, o)
	assert.Equal(t, []int64{bob.ID}, alice.Followees())
	assert.Equal(t, []int64{alice.ID, carol.ID}, bob.Followers())

	unchanged := func(actor, u *User) {
		t.Helper()
		o, err := st.FollowUser(actor, u)
		require.NoError(t, err)
		assert.Equal(t, Unchanged, o)
	}
	unchanged(alice, bob)   // already
	unchanged(alice, alice) // self
	carol.FollowingEnabled = false
	unchanged(alice, carol) // the followee disabled following
	unchanged(carol, alice) // the follower did
	assert.Equal(t, []int64{bob.ID}, alice.Followees())
	assert.Empty(t, carol.Followers())
	assert.Empty(t, alice.Followers())
}

func TestFollowLimit(t *testing.T) {
	names := make([]string, MaxFollowees+2)
	for i := range names {
		names[i] = "u" + strconv.Itoa(i)
	}
	st, _, users := followers(t, names...)
	me := users[0]
	for _, u := range users[1 : MaxFollowees+1] {
		o, err := st.FollowUser(me, u)
		require.NoError(t, err)
		require.Equal(t, Changed, o)
	}
	last := users[MaxFollowees+1]
	o, err := st.FollowUser(me, last)
	assert.Equal(t, Outcome(0), o)
	refusedAs(t, err, BadRequest, "You can't follow more than 300 users. To follow more users, unfollow some others.")
	assert.True(t, err.(*Error).Service)
	assert.Len(t, me.Followees(), MaxFollowees)
	assert.Empty(t, last.Followers())
	// A repeat is still answered Unchanged, not refused.
	o, err = st.FollowUser(me, users[1])
	assert.NoError(t, err)
	assert.Equal(t, Unchanged, o)
}

func TestUnfollowUser(t *testing.T) {
	st, _, users := followers(t, "alice", "bob")
	alice, bob := users[0], users[1]
	assert.Equal(t, Unchanged, st.UnfollowUser(alice, bob))
	st.Follow(alice, bob)
	st.Follow(bob, alice)
	assert.Equal(t, Changed, st.UnfollowUser(alice, bob))
	assert.Empty(t, alice.Followees())
	assert.Empty(t, bob.Followers())
	assert.Equal(t, []int64{alice.ID}, bob.Followees()) // the other way stays
	assert.Equal(t, Unchanged, st.UnfollowUser(alice, bob))
}

// TestFollowLists: following in follow order, followers by ID, and
// neither for those who may not read a private profile.
func TestFollowLists(t *testing.T) {
	st, admin, users := followers(t, "alice", "bob", "carol")
	alice, bob, carol := users[0], users[1], users[2]
	st.Follow(alice, carol)
	st.Follow(alice, bob)
	st.Follow(carol, bob)
	st.Follow(alice, admin)
	st.Follow(admin, bob)

	got, err := st.UserFollowing(nil, alice)
	require.NoError(t, err)
	assert.Equal(t, []*User{carol, bob, admin}, got)
	got, err = st.UserFollowers(carol, bob)
	require.NoError(t, err)
	assert.Equal(t, []*User{admin, alice, carol}, got)
	got, err = st.UserFollowing(alice, carol)
	require.NoError(t, err)
	assert.Equal(t, []*User{bob}, got)
	got, err = st.UserFollowers(nil, carol)
	require.NoError(t, err)
	assert.Equal(t, []*User{alice}, got)

	bob.PrivateProfile = true
	for _, viewer := range []*User{nil, alice} {
		_, err = st.UserFollowers(viewer, bob)
		refusedAs(t, err, NotFound, "User")
		_, err = st.UserFollowing(viewer, bob)
		refusedAs(t, err, NotFound, "User")
	}
	for _, viewer := range []*User{bob, admin} {
		got, err = st.UserFollowers(viewer, bob)
		require.NoError(t, err)
		assert.Len(t, got, 3)
		got, err = st.UserFollowing(viewer, bob)
		require.NoError(t, err)
		assert.Empty(t, got)
	}

	// A deleted user leaves both lists.
	st.DeleteUser(carol.ID)
	got, _ = st.UserFollowing(nil, alice)
	assert.Equal(t, []*User{bob, admin}, got)
	got, _ = st.UserFollowers(admin, bob)
	assert.Equal(t, []*User{admin, alice}, got)
}
