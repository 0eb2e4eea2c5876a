package gitlab

import (
	"context"
	"iter"
	"net/http"
	"strings"
	"time"
)

// InvitationsService invites people to groups and projects by email (or
// user ID) and manages the invitations still pending. Inviting the email
// of an existing user (their primary email, or a confirmed secondary
// one) makes them a member at once, without an invitation; any other
// email gets an invitation, which GitLab turns into a membership when
// that person signs up, confirms the email or signs in through the web
// (not when an administrator creates their account through the API).
//
// GitLab API docs: https://docs.gitlab.com/api/invitations/
type InvitationsService service

// Invitation is a pending invitation of an email to a group or project.
// GitLab's answer has no ID: an invitation is named by its email.
//
// GitLab API docs: https://docs.gitlab.com/api/invitations/#list-all-invitations-pending-for-a-group-or-project
type Invitation struct {
	AccessLevel AccessLevel `json:"access_level"`
	CreatedAt   *time.Time  `json:"created_at"`
	// ExpiresAt is the last day of the membership the invitation grants;
	// nil when it does not expire.
	ExpiresAt *ISODate `json:"expires_at"`
	// InviteEmail is the invited email, as GitLab stores it (lower
	// case).
	InviteEmail string `json:"invite_email"`
	// InviteToken is the stored digest of the invitation's token, not
	// the token sent by email: it cannot accept the invitation.
	InviteToken string `json:"invite_token"`
	// UserName is the name of the user linked to the invitation; empty
	// for an email without an account.
	UserName string `json:"user_name"`
	// CreatedByName is the inviter's name; nil when unknown.
	CreatedByName *string `json:"created_by_name"`
}

// InvitationResult is GitLab's answer to InvitationsService.Create: a
// status, always with HTTP 201. Status is AddMembersError when at least
// one invitee failed; the others were invited or added. Failures maps
// each failed invitee (the email as sent, or the username of a user ID)
// to GitLab's reason, e.g. "Expires at cannot be a date in the past". A
// failure of the whole request (too many invitees, no seats left) names
// nobody: Message and Reason say why.
//
// GitLab API docs: https://docs.gitlab.com/api/invitations/#add-a-member-to-a-group-or-project
type InvitationResult struct {
	Status AddMembersStatus
	// Message is GitLab's error text when it sent one text; empty on
	// success and when it sent one message per invitee.
	Message string
	// Failures maps each invitee GitLab reported to why it failed.
	Failures map[string]string
	// Reason is GitLab's code for a whole-request failure, e.g.
	// "too_many_invites_error".
	Reason string
	// HTTPStatus is "unauthorized" when an invitee failed because the
	// caller may not update their existing membership.
	HTTPStatus string
	// QueuedUsers maps users whose promotion waits for an
	// administrator's approval to GitLab's message (Enterprise Edition).
	QueuedUsers map[string]string
}

// Failed reports whether GitLab reported any failure.
func (r *InvitationResult) Failed() bool { return r.Status != AddMembersSuccess }

// UnmarshalJSON reads GitLab's answer, as AddMembersResult does.
func (r *InvitationResult) UnmarshalJSON(b []byte) error {
	return (*AddMembersResult)(r).UnmarshalJSON(b)
}

// MarshalJSON writes the result in GitLab's shape.
func (r InvitationResult) MarshalJSON() ([]byte, error) { return AddMembersResult(r).MarshalJSON() }

// CreateInvitationOptions are the parameters of InvitationsService.Create:
// at least one email or user ID (at most 100 in all), and AccessLevel.
//
// GitLab API docs: https://docs.gitlab.com/api/invitations/#add-a-member-to-a-group-or-project
type CreateInvitationOptions struct {
	// Email lists the emails to invite, sent comma-separated.
	Email []string `url:"email,omitempty,comma"`
	// UserID lists users to add by ID, sent comma-separated.
	UserID []int64 `url:"user_id,omitempty,comma"`
	// AccessLevel is the role the invitation grants. Required.
	AccessLevel *AccessLevel `url:"access_level,omitempty"`
	// ExpiresAt is the last day of the membership; today or later.
	ExpiresAt *ISODate `url:"expires_at,omitempty"`
	// InviteSource tells GitLab's usage tracking where the invitation
	// came from (GitLab's default: "invitations-api").
	InviteSource *string `url:"invite_source,omitempty"`
	// MemberRoleID assigns a custom role (GitLab Ultimate).
	MemberRoleID *int64 `url:"member_role_id,omitempty"`
}

func (o *CreateInvitationOptions) validate() error {
	const what = "create invitation"
	switch {
	case o == nil:
		return invalidArg("%s: options are required (email or user ID, and access level)", what)
	case len(o.Email) == 0 && len(o.UserID) == 0:
		return invalidArg("%s: an email or a user ID is required", what)
	case len(o.Email)+len(o.UserID) > maxBulkUsers:
		return invalidArg("%s: at most %d invitees at once, got %d", what, maxBulkUsers, len(o.Email)+len(o.UserID))
	}
	for _, e := range o.Email {
		if err := validEmail(what, e); err != nil {
			return err
		}
	}
	for _, id := range o.UserID {
		if id <= 0 {
			return invalidArg("%s: user IDs must be positive, got %d", what, id)
		}
	}
	return validMemberLevel(what, o.AccessLevel, true)
}

// validEmail refuses what cannot be one email: empty, without "@", or
// holding a comma or a space (which would split it into several).
func validEmail(what, e string) error {
	if e == "" || !strings.Contains(e, "@") || strings.ContainsAny(e, ", \t\r\n") {
		return invalidArg("%s: %q is not an email address", what, e)
	}
	return nil
}

// ListInvitationsOptions are the parameters of InvitationsService.List
// and ListIter.
//
// GitLab API docs: https://docs.gitlab.com/api/invitations/#list-all-invitations-pending-for-a-group-or-project
type ListInvitationsOptions struct {
	ListOptions
	// Query keeps the invitation of exactly this email. GitLab stores
	// emails in lower case and compares exactly: give it in lower case.
	Query *string `url:"query,omitempty"`
}

// UpdateInvitationOptions are the parameters of InvitationsService.Update;
// at least one is required.
//
// GitLab API docs: https://docs.gitlab.com/api/invitations/#update-an-invitation-to-a-group-or-project
type UpdateInvitationOptions struct {
	// AccessLevel is the new role (Minimal Access is refused here).
	AccessLevel *AccessLevel `url:"access_level,omitempty"`
	// ExpiresAt is the new last day of the membership; today or later.
	ExpiresAt *ISODate `url:"expires_at,omitempty"`
	// MemberRoleID assigns a custom role (GitLab Ultimate).
	MemberRoleID *int64 `url:"member_role_id,omitempty"`
}

func (o *UpdateInvitationOptions) validate() error {
	const what = "update invitation"
	if o == nil || (o.AccessLevel == nil && o.ExpiresAt == nil && o.MemberRoleID == nil) {
		return invalidArg("%s: set at least one of access_level, expires_at and member_role_id", what)
	}
	if o.AccessLevel != nil && *o.AccessLevel == AccessLevelMinimal {
		return invalidArg("%s: GitLab does not give Minimal Access to an invitation here", what)
	}
	return validMemberLevel(what, o.AccessLevel, false)
}

// Create invites emails, and adds users by ID, to a group or project at
// one role. Group Owners, and project Maintainers and Owners, may call
// it (only Owners may invite an Owner to a project). GitLab answers 201
// with a status whether or not every invitee succeeded: see
// InvitationResult. An email already invited gets its invitation
// updated, and an existing member their role, rather than a failure.
//
// Create is retried like a PUT: a repeat invites nobody twice (it
// updates the invitations and memberships the first attempt made, to the
// same role and expiry) and gets the same status.
//
// GitLab API docs: https://docs.gitlab.com/api/invitations/#add-a-member-to-a-group-or-project
func (s *InvitationsService) Create(ctx context.Context, src Source, opt *CreateInvitationOptions, opts ...RequestOption) (*InvitationResult, *Response, error) {
	return do[*InvitationResult](ctx, s.client, http.MethodPost, at(in(src), "invitations").markIdempotent(), opt, opts)
}

// List returns one page of the pending invitations of a group or
// project. Group Owners, and project Maintainers and Owners, may call it
// (403, ErrForbidden, otherwise).
//
// GitLab API docs: https://docs.gitlab.com/api/invitations/#list-all-invitations-pending-for-a-group-or-project
func (s *InvitationsService) List(ctx context.Context, src Source, opt *ListInvitationsOptions, opts ...RequestOption) ([]*Invitation, *Response, error) {
	return doList[*Invitation](ctx, s.client, at(in(src), "invitations"), opt, opts)
}

// ListIter yields every invitation List would return, across pages.
//
// GitLab API docs: https://docs.gitlab.com/api/invitations/#list-all-invitations-pending-for-a-group-or-project
func (s *InvitationsService) ListIter(ctx context.Context, src Source, opt *ListInvitationsOptions, opts ...RequestOption) iter.Seq2[*Invitation, error] {
	return iterate[*Invitation](ctx, s.client, at(in(src), "invitations"), opt, opts)
}

// Update changes the role or expiry of a pending invitation, named by
// its email (sent as one escaped path segment). Callers as for List. An
// email without a pending invitation is 404 (ErrNotFound) "404 Not
// Found". Update is retried like every PUT: a repeat sets the same
// values.
//
// GitLab API docs: https://docs.gitlab.com/api/invitations/#update-an-invitation-to-a-group-or-project
func (s *InvitationsService) Update(ctx context.Context, src Source, email string, opt *UpdateInvitationOptions, opts ...RequestOption) (*Invitation, *Response, error) {
	if err := validEmail("update invitation", email); err != nil {
		return nil, nil, err
	}
	return do[*Invitation](ctx, s.client, http.MethodPut, at(in(src), "invitations", segment{"email", email}), opt, opts)
}

// Delete withdraws a pending invitation, named by its email. Callers as
// for List (a project Maintainer cannot withdraw an Owner's invitation).
// Delete is retried like every DELETE: when the answer to an applied
// first attempt is lost, the retry answers 404.
//
// GitLab API docs: https://docs.gitlab.com/api/invitations/#delete-an-invitation-to-a-group-or-project
func (s *InvitationsService) Delete(ctx context.Context, src Source, email string, opts ...RequestOption) (*Response, error) {
	if err := validEmail("delete invitation", email); err != nil {
		return nil, err
	}
	return doNoValue(ctx, s.client, http.MethodDelete, at(in(src), "invitations", segment{"email", email}), nil, opts)
}
