package gitlab

// FollowsService follows and unfollows users and lists followers and followed users.
//
// GitLab API docs: https://docs.gitlab.com/api/user_follow_unfollow/
type FollowsService service
