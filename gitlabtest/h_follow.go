package gitlabtest

import (
	"net/http"
	"slices"
)

// Following users, from lib/api/users.rb; see
// https://docs.gitlab.com/api/user_follow_unfollow/.

// maxFollowees is Users::UserFollowUser::MAX_FOLLOWEE_LIMIT.
const maxFollowees = 300

func hFollow(c *reqCtx) {
	u := c.pathUser()
	if u == nil {
		return
	}
	me := c.viewer
	if u.ID == me.ID || !u.FollowingEnabled || !me.FollowingEnabled || slices.Contains(me.followees, u.ID) {
		c.notModified()
		return
	}
	if len(me.followees) >= maxFollowees {
		c.json(http.StatusBadRequest, msg("You can't follow more than 300 users. To follow more users, unfollow some others."))
		return
	}
	me.followees = append(me.followees, u.ID)
	c.json(http.StatusCreated, c.userJSON(u, lvlBasic, false))
}

func hUnfollow(c *reqCtx) {
	u := c.pathUser()
	if u == nil {
		return
	}
	me := c.viewer
	i := slices.Index(me.followees, u.ID)
	if i < 0 {
		c.notModified()
		return
	}
	me.followees = slices.Delete(me.followees, i, i+1)
	c.json(http.StatusCreated, c.userJSON(u, lvlBasic, false))
}

func (c *reqCtx) followList(following bool) {
	if c.viewer == nil {
		c.forbidden("Not authorized!")
		return
	}
	u := c.pathUser()
	if u == nil {
		return
	}
	if !canReadProfile(c.viewer, u) {
		c.notFound("User")
		return
	}
	var list []*user
	if following {
		for _, id := range u.followees {
			if f := c.s.st.users[id]; f != nil {
				list = append(list, f)
			}
		}
	} else {
		list = c.s.st.followers(u.ID)
	}
	page, ok := paginate(c, list, false)
	if ok {
		c.json(http.StatusOK, c.usersJSON(page, lvlBasic, false))
	}
}

func hFollowers(c *reqCtx) { c.followList(false) }
func hFollowing(c *reqCtx) { c.followList(true) }
