package gitlab

import (
	"context"
	"iter"
	"net/http"
	"time"
)

// SSHKeysService manages the SSH keys of the current user and, for administrators, of other users.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/
type SSHKeysService service

// SSHKeyUsageType says what an SSH key may be used for.
type SSHKeyUsageType string

// The usage types GitLab knows. A key created without a usage type is
// SSHKeyUsageTypeAuthAndSigning.
const (
	SSHKeyUsageTypeAuth           SSHKeyUsageType = "auth"             // Git over SSH only
	SSHKeyUsageTypeSigning        SSHKeyUsageType = "signing"          // commit signing only
	SSHKeyUsageTypeAuthAndSigning SSHKeyUsageType = "auth_and_signing" // both (GitLab's default)
)

// SSHKey is a user's public SSH key.
//
// GitLab rewrites the comment of the key it returns to
// "<user name> (<gitlab host>)", so Key does not always equal the text
// that was uploaded.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/
type SSHKey struct {
	ID        int64           `json:"id"`
	Title     string          `json:"title"`
	Key       string          `json:"key"`
	CreatedAt *time.Time      `json:"created_at"`
	ExpiresAt *time.Time      `json:"expires_at"` // nil when the key never expires
	UsageType SSHKeyUsageType `json:"usage_type"`
}

// CreateSSHKeyOptions are the parameters of SSHKeysService.Create and
// SSHKeysService.CreateForUser. Title and Key are required.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#add-an-ssh-key
type CreateSSHKeyOptions struct {
	// Title names the key, e.g. "laptop". Required.
	Title *string `url:"title,omitempty"`
	// Key is the public key in OpenSSH format ("ssh-ed25519 AAAA... comment"). Required.
	Key *string `url:"key,omitempty"`
	// ExpiresAt is when the key expires. It is sent as an RFC 3339
	// timestamp to the second, e.g. 2026-01-21T00:00:00Z for a UTC time
	// (other zones keep their offset, which GitLab accepts).
	ExpiresAt *time.Time `url:"expires_at,omitempty"`
	// UsageType restricts the key to authentication or signing.
	UsageType *SSHKeyUsageType `url:"usage_type,omitempty"`
}

func (o *CreateSSHKeyOptions) validate() error {
	switch {
	case o == nil:
		return invalidArg("create SSH key: options are required (title and key)")
	case o.Title == nil || *o.Title == "":
		return invalidArg("create SSH key: title is required")
	case o.Key == nil || *o.Key == "":
		return invalidArg("create SSH key: key is required")
	}
	return nil
}

// List returns one page of the current user's SSH keys. Any
// authenticated user may call it.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#list-all-ssh-keys
func (s *SSHKeysService) List(ctx context.Context, opt *ListOptions, opts ...RequestOption) ([]*SSHKey, *Response, error) {
	return doList[*SSHKey](ctx, s.client, at("user", "keys"), opt, opts)
}

// ListIter yields all of the current user's SSH keys, across pages.
// Any authenticated user may call it.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#list-all-ssh-keys
func (s *SSHKeysService) ListIter(ctx context.Context, opt *ListOptions, opts ...RequestOption) iter.Seq2[*SSHKey, error] {
	return iterate[*SSHKey](ctx, s.client, at("user", "keys"), opt, opts)
}

// ListForUser returns one page of another user's SSH keys, named by ID
// or username. It needs no authentication.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#list-all-ssh-keys-for-a-user
func (s *SSHKeysService) ListForUser(ctx context.Context, user UserRef, opt *ListOptions, opts ...RequestOption) ([]*SSHKey, *Response, error) {
	return doList[*SSHKey](ctx, s.client, at("users", user, "keys"), opt, opts)
}

// ListForUserIter yields all of another user's SSH keys, named by ID or
// username, across pages. It needs no authentication.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#list-all-ssh-keys-for-a-user
func (s *SSHKeysService) ListForUserIter(ctx context.Context, user UserRef, opt *ListOptions, opts ...RequestOption) iter.Seq2[*SSHKey, error] {
	return iterate[*SSHKey](ctx, s.client, at("users", user, "keys"), opt, opts)
}

// Get returns one of the current user's SSH keys. Any authenticated
// user may call it; a key of another user is 404, even for an
// administrator.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#get-an-ssh-key
func (s *SSHKeysService) Get(ctx context.Context, keyID int64, opts ...RequestOption) (*SSHKey, *Response, error) {
	return do[*SSHKey](ctx, s.client, http.MethodGet, at("user", "keys", keyID), nil, opts)
}

// Create adds an SSH key to the current user's account. Any
// authenticated user may call it.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#add-an-ssh-key
func (s *SSHKeysService) Create(ctx context.Context, opt *CreateSSHKeyOptions, opts ...RequestOption) (*SSHKey, *Response, error) {
	return do[*SSHKey](ctx, s.client, http.MethodPost, at("user", "keys"), opt, opts)
}

// CreateForUser adds an SSH key to another user's account.
// Administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#add-an-ssh-key-for-a-user
func (s *SSHKeysService) CreateForUser(ctx context.Context, userID int64, opt *CreateSSHKeyOptions, opts ...RequestOption) (*SSHKey, *Response, error) {
	return do[*SSHKey](ctx, s.client, http.MethodPost, at("users", userID, "keys"), opt, opts)
}

// Delete removes one of the current user's SSH keys. Any authenticated
// user may call it.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#delete-an-ssh-key
func (s *SSHKeysService) Delete(ctx context.Context, keyID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at("user", "keys", keyID), nil, opts)
}

// DeleteForUser removes an SSH key from another user's account.
// Administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#delete-an-ssh-key-for-a-user
func (s *SSHKeysService) DeleteForUser(ctx context.Context, userID, keyID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at("users", userID, "keys", keyID), nil, opts)
}
