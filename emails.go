package gitlab

import (
	"context"
	"iter"
	"net/http"
	"time"
)

// EmailsService manages the email addresses of the current user and, for administrators, of other users.
//
// GitLab API docs: https://docs.gitlab.com/api/user_email_addresses/
type EmailsService service

// Email is one of a user's email addresses. Current GitLab lists the
// primary address first, then the secondary ones.
//
// GitLab API docs: https://docs.gitlab.com/api/user_email_addresses/
type Email struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	// ConfirmedAt is nil while the address is unconfirmed.
	ConfirmedAt *time.Time `json:"confirmed_at"`
}

// CreateEmailOptions are the parameters of EmailsService.Create and
// EmailsService.CreateForUser. Email is required.
//
// GitLab API docs: https://docs.gitlab.com/api/user_email_addresses/#add-an-email-address
type CreateEmailOptions struct {
	// Email is the address to add. Required.
	Email *string `url:"email,omitempty"`
	// SkipConfirmation marks the address as confirmed without sending a
	// confirmation mail. Only CreateForUser (an administrator's call)
	// honours it; GitLab ignores it in Create.
	SkipConfirmation *bool `url:"skip_confirmation,omitempty"`
}

func (o *CreateEmailOptions) validate() error {
	if o == nil || o.Email == nil || *o.Email == "" {
		return invalidArg("create email: email is required")
	}
	return nil
}

// List returns one page of the current user's email addresses, the
// primary one first. Any authenticated user may call it.
//
// GitLab API docs: https://docs.gitlab.com/api/user_email_addresses/#list-all-email-addresses
func (s *EmailsService) List(ctx context.Context, opt *ListOptions, opts ...RequestOption) ([]*Email, *Response, error) {
	return doList[*Email](ctx, s.client, at("user", "emails"), opt, opts)
}

// ListIter yields all of the current user's email addresses, across
// pages, the primary one first. Any authenticated user may call it.
//
// Deleting addresses inside the loop shifts the pages not yet fetched:
// others are skipped (or yielded twice), with no error. Collect them
// first (see Collect).
//
// GitLab API docs: https://docs.gitlab.com/api/user_email_addresses/#list-all-email-addresses
func (s *EmailsService) ListIter(ctx context.Context, opt *ListOptions, opts ...RequestOption) iter.Seq2[*Email, error] {
	return iterate[*Email](ctx, s.client, at("user", "emails"), opt, opts)
}

// ListForUser returns one page of another user's email addresses.
// Administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/user_email_addresses/#list-all-email-addresses-for-a-user
func (s *EmailsService) ListForUser(ctx context.Context, userID int64, opt *ListOptions, opts ...RequestOption) ([]*Email, *Response, error) {
	return doList[*Email](ctx, s.client, at("users", userID, "emails"), opt, opts)
}

// ListForUserIter yields all of another user's email addresses, across
// pages. Administrators only.
//
// Deleting addresses inside the loop shifts the pages not yet fetched:
// others are skipped (or yielded twice), with no error. Collect them
// first (see Collect).
//
// GitLab API docs: https://docs.gitlab.com/api/user_email_addresses/#list-all-email-addresses-for-a-user
func (s *EmailsService) ListForUserIter(ctx context.Context, userID int64, opt *ListOptions, opts ...RequestOption) iter.Seq2[*Email, error] {
	return iterate[*Email](ctx, s.client, at("users", userID, "emails"), opt, opts)
}

// Get returns one of the current user's email addresses. Any
// authenticated user may call it; an address of another user is 404,
// even for an administrator.
//
// GitLab API docs: https://docs.gitlab.com/api/user_email_addresses/#get-details-on-an-email-address
func (s *EmailsService) Get(ctx context.Context, emailID int64, opts ...RequestOption) (*Email, *Response, error) {
	return do[*Email](ctx, s.client, http.MethodGet, at("user", "emails", emailID), nil, opts)
}

// Create adds an email address to the current user's account; GitLab
// sends a confirmation mail and the address stays unconfirmed until it
// is answered. Any authenticated user may call it. GitLab ignores
// SkipConfirmation here. An address that is invalid or already in use
// is a 400 (ErrBadRequest) whose ErrorResponse.Fields["email"] says why.
//
// GitLab API docs: https://docs.gitlab.com/api/user_email_addresses/#add-an-email-address
func (s *EmailsService) Create(ctx context.Context, opt *CreateEmailOptions, opts ...RequestOption) (*Email, *Response, error) {
	return do[*Email](ctx, s.client, http.MethodPost, at("user", "emails"), opt, opts)
}

// CreateForUser adds an email address to another user's account; with
// SkipConfirmation it is confirmed at once. Administrators only. An
// address that is invalid or already in use (by anyone, as primary or
// secondary address) is a 400 (ErrBadRequest), never a 409.
//
// GitLab API docs: https://docs.gitlab.com/api/user_email_addresses/#add-an-email-address-for-a-user
func (s *EmailsService) CreateForUser(ctx context.Context, userID int64, opt *CreateEmailOptions, opts ...RequestOption) (*Email, *Response, error) {
	return do[*Email](ctx, s.client, http.MethodPost, at("users", userID, "emails"), opt, opts)
}

// Delete removes one of the current user's email addresses. Any
// authenticated user may call it.
//
// GitLab API docs: https://docs.gitlab.com/api/user_email_addresses/#delete-an-email-address
func (s *EmailsService) Delete(ctx context.Context, emailID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at("user", "emails", emailID), nil, opts)
}

// DeleteForUser removes an email address from another user's account.
// Administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/user_email_addresses/#delete-an-email-address-for-a-user
func (s *EmailsService) DeleteForUser(ctx context.Context, userID, emailID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at("users", userID, "emails", emailID), nil, opts)
}
