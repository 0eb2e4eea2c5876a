package gitlab

// StatusService reads and sets user status: emoji, message and availability.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#get-the-status-of-a-user
type StatusService service
