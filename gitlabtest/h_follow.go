package gitlabtest

import (
	"net/http"
	"slices"
)

// Following users, from lib/api/users.rb; see
// https://docs.gitlab.com/api/user_follow_unfollow/.

// maxFollowees is Users::UserFollowUser::MAX_FOLLOWEE_LIMIT.
const maxFollowees = 300

func hFollow(c *reqCtx) answer {
	u, fail := c.owner(c.validate(), anyUser)
	if fail != nil {
		return *fail
	}
	me := c.viewer
	if u.ID == me.ID || !u.FollowingEnabled || !me.FollowingEnabled || slices.Contains(me.Followees(), u.ID) {
		return noBody(http.StatusNotModified)
	}
	if len(me.Followees()) >= maxFollowees {
		return reply(http.StatusBadRequest, msg("You can't follow more than 300 users. To follow more users, unfollow some others."))
	}
	c.s.st.Follow(me, u)
	return reply(http.StatusCreated, c.userJSON(u, lvlBasic, false))
}

func hUnfollow(c *reqCtx) answer {
	u, fail := c.owner(c.validate(), anyUser)
	if fail != nil {
		return *fail
	}
	me := c.viewer
	if !slices.Contains(me.Followees(), u.ID) {
		return noBody(http.StatusNotModified)
	}
	c.s.st.Unfollow(me, u)
	return reply(http.StatusCreated, c.userJSON(u, lvlBasic, false))
}

// followList is GET /users/:id/following (following true) and
// /users/:id/followers.
func followList(following bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		pg := v.pages()
		u, fail := c.owner(v, signedIn)
		if fail != nil {
			return *fail
		}
		if !canReadProfile(c.viewer, u) {
			return notFound("User")
		}
		var list []*user
		if following {
			for _, id := range u.Followees() {
				if f := c.s.st.User(id); f != nil {
					list = append(list, f)
				}
			}
		} else {
			list = c.s.st.FollowersOf(u.ID)
		}
		return listAnswer(c, list, pg, false, func(f *user) any { return c.userJSON(f, lvlBasic, false) })
	}
}
