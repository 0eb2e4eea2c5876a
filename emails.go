package gitlab

// EmailsService manages the email addresses of the current user and, for administrators, of other users.
//
// GitLab API docs: https://docs.gitlab.com/api/user_email_addresses/
type EmailsService service
