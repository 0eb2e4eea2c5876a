package gitlab

// ImpersonationTokensService manages impersonation tokens, which let an administrator act as a user. Administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/user_tokens/
type ImpersonationTokensService service
