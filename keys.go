package gitlab

// SSHKeysService manages the SSH keys of the current user and, for administrators, of other users.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/
type SSHKeysService service
