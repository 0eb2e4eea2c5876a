package gitlab

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"net/http"
	"time"
)

// GPGKeysService manages the GPG keys of the current user and, for administrators, of other users.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/
type GPGKeysService service

// GPGKey is a user's public GPG key.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/
type GPGKey struct {
	ID        int64      `json:"id"`
	Key       string     `json:"key"` // ASCII-armored public key
	CreatedAt *time.Time `json:"created_at"`
}

// CreateGPGKeyOptions are the parameters of GPGKeysService.Create and
// GPGKeysService.CreateForUser. Key is required.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#add-a-gpg-key
type CreateGPGKeyOptions struct {
	// Key is the ASCII-armored public key
	// ("-----BEGIN PGP PUBLIC KEY BLOCK-----..."). Required.
	Key *string `url:"key,omitempty"`
}

func (o *CreateGPGKeyOptions) validate() error {
	if o == nil || o.Key == nil || *o.Key == "" {
		return invalidArg("create GPG key: key is required")
	}
	return nil
}

// createdGPGKey decodes the answer to POST .../gpg_keys. GitLab answers
// with one GPGKey object; its documentation shows a one-element array.
// Both are accepted; any other array length is an error.
type createdGPGKey struct{ key *GPGKey }

func (c *createdGPGKey) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var keys []*GPGKey
		if err := jsonUnmarshal(b, &keys); err != nil {
			return err
		}
		if len(keys) != 1 || keys[0] == nil {
			return fmt.Errorf("gitlab: created GPG key: want one key, got an array of %d", len(keys))
		}
		c.key = keys[0]
		return nil
	}
	var k GPGKey
	if err := jsonUnmarshal(b, &k); err != nil {
		return err
	}
	c.key = &k
	return nil
}

// createGPGKey sends a create request and unwraps the answer.
func (s *GPGKeysService) createGPGKey(ctx context.Context, ep endpoint, opt *CreateGPGKeyOptions, opts []RequestOption) (*GPGKey, *Response, error) {
	c, resp, err := do[createdGPGKey](ctx, s.client, http.MethodPost, ep, opt, opts)
	return c.key, resp, err
}

// List returns one page of the current user's GPG keys. Any
// authenticated user may call it.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#list-all-gpg-keys
func (s *GPGKeysService) List(ctx context.Context, opt *ListOptions, opts ...RequestOption) ([]*GPGKey, *Response, error) {
	return doList[*GPGKey](ctx, s.client, at("user", "gpg_keys"), opt, opts)
}

// ListIter yields all of the current user's GPG keys, across pages.
// Any authenticated user may call it.
//
// Deleting or revoking keys inside the loop shifts the pages not yet
// fetched: others are skipped (or yielded twice), with no error.
// Collect them first (see Collect).
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#list-all-gpg-keys
func (s *GPGKeysService) ListIter(ctx context.Context, opt *ListOptions, opts ...RequestOption) iter.Seq2[*GPGKey, error] {
	return iterate[*GPGKey](ctx, s.client, at("user", "gpg_keys"), opt, opts)
}

// Get returns one of the current user's GPG keys. Any authenticated
// user may call it; a key of another user is 404, even for an
// administrator.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#get-a-gpg-key
func (s *GPGKeysService) Get(ctx context.Context, keyID int64, opts ...RequestOption) (*GPGKey, *Response, error) {
	return do[*GPGKey](ctx, s.client, http.MethodGet, at("user", "gpg_keys", keyID), nil, opts)
}

// Create adds a GPG key to the current user's account. Any
// authenticated user may call it. GitLab answers with the key as an
// object, while its documentation shows a one-element array; both are
// accepted.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#add-a-gpg-key
func (s *GPGKeysService) Create(ctx context.Context, opt *CreateGPGKeyOptions, opts ...RequestOption) (*GPGKey, *Response, error) {
	return s.createGPGKey(ctx, at("user", "gpg_keys"), opt, opts)
}

// Delete removes one of the current user's GPG keys. Any authenticated
// user may call it.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#delete-a-gpg-key
func (s *GPGKeysService) Delete(ctx context.Context, keyID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at("user", "gpg_keys", keyID), nil, opts)
}

// ListForUser returns one page of another user's GPG keys. GitLab
// serves it without authentication (the old docs say administrators
// only); the user must be given by numeric ID.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#list-all-gpg-keys-for-a-user
func (s *GPGKeysService) ListForUser(ctx context.Context, userID int64, opt *ListOptions, opts ...RequestOption) ([]*GPGKey, *Response, error) {
	return doList[*GPGKey](ctx, s.client, at("users", userID, "gpg_keys"), opt, opts)
}

// ListForUserIter yields all of another user's GPG keys, across pages.
// GitLab serves it without authentication.
//
// Deleting or revoking keys inside the loop shifts the pages not yet
// fetched: others are skipped (or yielded twice), with no error.
// Collect them first (see Collect).
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#list-all-gpg-keys-for-a-user
func (s *GPGKeysService) ListForUserIter(ctx context.Context, userID int64, opt *ListOptions, opts ...RequestOption) iter.Seq2[*GPGKey, error] {
	return iterate[*GPGKey](ctx, s.client, at("users", userID, "gpg_keys"), opt, opts)
}

// GetForUser returns one of another user's GPG keys. GitLab serves it
// without authentication (the old docs say administrators only).
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#get-a-gpg-key-for-a-user
func (s *GPGKeysService) GetForUser(ctx context.Context, userID, keyID int64, opts ...RequestOption) (*GPGKey, *Response, error) {
	return do[*GPGKey](ctx, s.client, http.MethodGet, at("users", userID, "gpg_keys", keyID), nil, opts)
}

// CreateForUser adds a GPG key to another user's account.
// Administrators only. Like Create, it accepts GitLab's object answer
// and the documented one-element array.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#add-a-gpg-key-for-a-user
func (s *GPGKeysService) CreateForUser(ctx context.Context, userID int64, opt *CreateGPGKeyOptions, opts ...RequestOption) (*GPGKey, *Response, error) {
	return s.createGPGKey(ctx, at("users", userID, "gpg_keys"), opt, opts)
}

// DeleteForUser removes a GPG key from another user's account.
// Administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#delete-a-gpg-key-for-a-user
func (s *GPGKeysService) DeleteForUser(ctx context.Context, userID, keyID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at("users", userID, "gpg_keys", keyID), nil, opts)
}

// Revoke revokes one of the current user's GPG keys: the commits it
// signed become unverified, and the key is removed (unlike Delete, which
// keeps their verification). Any authenticated user may call it. GitLab
// answers 202 Accepted.
//
// Revoke is not retried once it may have reached GitLab (a 5xx answer,
// a dropped connection), only on 429 and refused connections. GitLab
// answers a repeated revoke 404 "GPG Key Not Found", the same answer as
// for a key that never existed or that was deleted (which, unlike a
// revoke, keeps the commits verified): a retry would turn an applied
// revoke into a 404 that reads as "not applied". After such an error
// the outcome is unknown: list the keys (Get answers 404 once the key is
// revoked or deleted) and revoke again if it is still there.
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#revoke-a-gpg-key
func (s *GPGKeysService) Revoke(ctx context.Context, keyID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodPost, at("user", "gpg_keys", keyID, "revoke"), nil, opts)
}

// RevokeForUser revokes a GPG key of another user, as Revoke does.
// Administrators only. Like Revoke, it is not retried once it may have
// reached GitLab: a repeat is answered 404, which would read as "not
// applied".
//
// GitLab API docs: https://docs.gitlab.com/api/user_keys/#revoke-a-gpg-key-for-a-user
func (s *GPGKeysService) RevokeForUser(ctx context.Context, userID, keyID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodPost, at("users", userID, "gpg_keys", keyID, "revoke"), nil, opts)
}
