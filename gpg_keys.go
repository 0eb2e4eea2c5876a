package gitlab

// GPGKeysService manages the GPG keys of the current user and, for administrators, of other users.
//
// GitLab API docs: https://docs.gitlab.com/api/user_gpg_keys/
type GPGKeysService service
