package gitlab

import (
	"context"
	"iter"
	"net/http"
	"strings"
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

func (SSHKeyUsageType) known() []string {
	return []string{string(SSHKeyUsageTypeAuth), string(SSHKeyUsageTypeSigning), string(SSHKeyUsageTypeAuthAndSigning)}
}

// SSHKey is a user's public SSH key.
//
// GitLab rewrites the comment of the key it returns to
// "<user name> (<gitlab host>)", so Key does not always equal the text
// that was uploaded.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/
type SSHKey struct {
	ID        int64      `json:"id"`
	Title     string     `json:"title"`
	Key       string     `json:"key"`
	CreatedAt *time.Time `json:"created_at"`
	ExpiresAt *time.Time `json:"expires_at"` // nil when the key never expires
	// LastUsedAt is when the key last authenticated; nil if never (or
	// on GitLab versions that do not track it).
	LastUsedAt *time.Time      `json:"last_used_at"`
	UsageType  SSHKeyUsageType `json:"usage_type"`
}

// KeyWithUser is an SSH key found through the /keys API, with its owner.
// When the key is a deploy key, GitLab sends the key as stored (its
// comment is not rewritten) and adds its fingerprints and the projects
// it is enabled in (DeployKeysProjects); for a user's key those fields
// are empty.
//
// GitLab API docs: https://docs.gitlab.com/api/keys/
type KeyWithUser struct {
	SSHKey
	// User is the key's owner (for a deploy key, the user who added it),
	// with the fields a user sees of themself (Email, Identities...), but
	// not the administrative ones.
	User *User `json:"user"`
	// Fingerprint is the MD5 fingerprint ("aa:bb:..."); deploy keys only,
	// and absent on FIPS instances.
	Fingerprint string `json:"fingerprint,omitempty"`
	// FingerprintSHA256 is the SHA256 fingerprint; deploy keys only.
	FingerprintSHA256 string `json:"fingerprint_sha256,omitempty"`
	// DeployKeysProjects lists the projects a deploy key is enabled in;
	// nil for a user's key.
	DeployKeysProjects []*DeployKeyProject `json:"deploy_keys_projects,omitempty"`
}

// DeployKeyProject is a deploy key's link to one project.
//
// GitLab API docs: https://docs.gitlab.com/api/keys/
type DeployKeyProject struct {
	ID          int64 `json:"id"`
	DeployKeyID int64 `json:"deploy_key_id"`
	ProjectID   int64 `json:"project_id"`
	// CanPush is true when the key has write access to the project.
	CanPush   bool       `json:"can_push"`
	CreatedAt *time.Time `json:"created_at"`
	UpdatedAt *time.Time `json:"updated_at"`
}

// keyFingerprint is the query of GET /keys.
type keyFingerprint struct {
	Fingerprint string `url:"fingerprint"`
}

func (o *keyFingerprint) validate() error {
	fp := o.Fingerprint
	if strings.HasPrefix(fp, "SHA256:") || strings.HasPrefix(fp, "sha256:") {
		fp = fp[len("SHA256:"):]
	}
	if strings.TrimSpace(fp) == "" {
		return invalidArg("get key by fingerprint: fingerprint must not be empty")
	}
	return nil
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
// Deleting keys inside the loop shifts the pages not yet fetched:
// others are skipped (or yielded twice), with no error. Collect them
// first (see Collect).
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
// Deleting keys inside the loop shifts the pages not yet fetched:
// others are skipped (or yielded twice), with no error. Collect them
// first (see Collect).
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

// GetForUser returns one SSH key of a user named by numeric ID (GitLab
// takes no username here). It needs no authentication. A key of another
// user is 404 (ErrNotFound), as is a missing user.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#get-an-ssh-key-for-a-user
func (s *SSHKeysService) GetForUser(ctx context.Context, userID, keyID int64, opts ...RequestOption) (*SSHKey, *Response, error) {
	return do[*SSHKey](ctx, s.client, http.MethodGet, at("users", userID, "keys", keyID), nil, opts)
}

// GetWithUser returns any SSH key by ID, deploy keys included, with its
// owner. Administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/keys/#get-ssh-key-with-user-by-id-of-an-ssh-key
func (s *SSHKeysService) GetWithUser(ctx context.Context, keyID int64, opts ...RequestOption) (*KeyWithUser, *Response, error) {
	return do[*KeyWithUser](ctx, s.client, http.MethodGet, at("keys", keyID), nil, opts)
}

// GetByFingerprint finds the SSH key with a fingerprint, and its owner:
// "SHA256:" followed by the unpadded Base64 of ssh-keygen -l, or the
// MD5 form in lower-case hex ("aa:bb:...:ff"). The fingerprint is
// escaped in the query, so "+" and "/" arrive intact. For a deploy key
// the result carries its projects (KeyWithUser.DeployKeysProjects).
// Administrators and auditors only. A malformed fingerprint is 400
// (ErrBadRequest, "Failed to return the key"); an unknown one is 404
// (ErrNotFound).
//
// GitLab API docs: https://docs.gitlab.com/api/keys/#get-user-by-fingerprint-of-ssh-key
func (s *SSHKeysService) GetByFingerprint(ctx context.Context, fingerprint string, opts ...RequestOption) (*KeyWithUser, *Response, error) {
	return do[*KeyWithUser](ctx, s.client, http.MethodGet, at("keys"), &keyFingerprint{Fingerprint: fingerprint}, opts)
}
