package gitlabtest

import (
	"net/http"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// Following users, from lib/api/users.rb; see
// https://docs.gitlab.com/api/user_follow_unfollow/. The rules are the
// domain's (internal/model/follow.go).

// followAnswer answers a follow or unfollow: 201 with the user when it
// changed something, else 304 (not_modified!).
func (c *reqCtx) followAnswer(u *user, o model.Outcome, err error) answer {
	switch {
	case err != nil:
		return refusal(err)
	case o == model.Unchanged:
		return noBody(http.StatusNotModified)
	}
	return reply(http.StatusCreated, c.userJSON(u, lvlBasic, false))
}

func hFollow(c *reqCtx) answer {
	u, fail := c.owner(c.validate(), anyUser)
	if fail != nil {
		return *fail
	}
	o, err := c.s.st.FollowUser(c.viewer, u)
	return c.followAnswer(u, o, err)
}

func hUnfollow(c *reqCtx) answer {
	u, fail := c.owner(c.validate(), anyUser)
	if fail != nil {
		return *fail
	}
	return c.followAnswer(u, c.s.st.UnfollowUser(c.viewer, u), nil)
}

// followList is GET /users/:id/following (following true) and
// /users/:id/followers.
func followList(following bool) func(*reqCtx) answer {
	list := (*model.Store).UserFollowers
	if following {
		list = (*model.Store).UserFollowing
	}
	return func(c *reqCtx) answer {
		v := c.validate()
		pg := v.pages()
		u, fail := c.owner(v, signedIn)
		if fail != nil {
			return *fail
		}
		users, err := list(c.s.st, c.viewer, u)
		if err != nil {
			return refusal(err)
		}
		return listAnswer(c, users, pg, false, func(f *user) any { return c.userJSON(f, lvlBasic, false) })
	}
}
