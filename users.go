package gitlab

// UsersService manages users: listing, creating, updating, blocking and deleting them, and reading their activities, memberships and counts.
//
// GitLab API docs: https://docs.gitlab.com/api/users/
type UsersService service
