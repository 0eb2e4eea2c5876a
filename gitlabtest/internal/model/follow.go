package model

import (
	"slices"
	"strconv"
)

// Following users: User#follow and User#unfollow (app/models/user.rb),
// Users::UserFollowUser (app/models/users/user_follow_user.rb) and the
// follow endpoints of lib/api/users.rb.

// MaxFollowees is Users::UserFollowUser::MAX_FOLLOWEE_LIMIT.
const MaxFollowees = 300

// CanReadProfile is the read_user_profile ability
// (app/policies/user_policy.rb): a profile is readable unless it is
// private, and a private one by the user and administrators only.
func CanReadProfile(viewer, u *User) bool {
	return !u.PrivateProfile || (viewer != nil && (viewer.Admin || viewer.ID == u.ID))
}

// FollowUser is POST /users/:id/follow by actor: User#follow does
// nothing (Unchanged, which the API answers 304 Not Modified) when u is
// actor, when either has following disabled, or when actor already
// follows u; Users::UserFollowUser refuses a follow beyond MaxFollowees.
func (st *Store) FollowUser(actor, u *User) (Outcome, error) {
	if u.ID == actor.ID || !u.FollowingEnabled || !actor.FollowingEnabled || slices.Contains(actor.Followees(), u.ID) {
		return Unchanged, nil
	}
	if len(actor.Followees()) >= MaxFollowees {
		return 0, refused(BadRequest, "You can't follow more than "+strconv.Itoa(MaxFollowees)+
			" users. To follow more users, unfollow some others.")
	}
	st.Follow(actor, u)
	return Changed, nil
}

// UnfollowUser is POST /users/:id/unfollow by actor: Unchanged (304)
// when actor does not follow u.
func (st *Store) UnfollowUser(actor, u *User) Outcome {
	if !slices.Contains(actor.Followees(), u.ID) {
		return Unchanged
	}
	st.Unfollow(actor, u)
	return Changed
}

// UserFollowing is GET /users/:id/following for viewer: the users u
// follows, in follow order; a profile viewer may not read is 404 User.
func (st *Store) UserFollowing(viewer, u *User) ([]*User, error) {
	if !CanReadProfile(viewer, u) {
		return nil, notFound("User")
	}
	var out []*User
	for _, id := range u.Followees() {
		if f := st.users[id]; f != nil {
			out = append(out, f)
		}
	}
	return out, nil
}

// UserFollowers is GET /users/:id/followers for viewer: u's followers
// by ID; a profile viewer may not read is 404 User.
func (st *Store) UserFollowers(viewer, u *User) ([]*User, error) {
	if !CanReadProfile(viewer, u) {
		return nil, notFound("User")
	}
	return st.FollowersOf(u.ID), nil
}

// Follow makes follower follow followee (no checks but a repeat).
func (st *Store) Follow(follower, followee *User) {
	if slices.Contains(follower.Followees(), followee.ID) {
		return
	}
	a, b := follower.follows(), followee.follows()
	a.followees = append(a.followees, followee.ID)
	i, _ := slices.BinarySearch(b.followers, follower.ID)
	b.followers = slices.Insert(b.followers, i, follower.ID)
}

// Unfollow ends a follow, if there is one.
func (st *Store) Unfollow(follower, followee *User) {
	if i := slices.Index(follower.Followees(), followee.ID); i >= 0 {
		follower.social.followees = slices.Delete(follower.social.followees, i, i+1)
	}
	if i, found := slices.BinarySearch(followee.Followers(), follower.ID); found {
		followee.social.followers = slices.Delete(followee.social.followers, i, i+1)
	}
}

// FollowersOf returns the users following id, by follower ID.
func (st *Store) FollowersOf(id int64) []*User {
	u := st.users[id]
	if u == nil {
		return nil
	}
	out := make([]*User, 0, len(u.Followers()))
	for _, f := range u.Followers() {
		if o := st.users[f]; o != nil {
			out = append(out, o)
		}
	}
	return out
}
