package gitlab

import (
	"context"
	"iter"
	"net/http"
	"time"
)

// AccessRequestsService lists, makes, approves and denies requests to
// join a group or project.
//
// GitLab API docs: https://docs.gitlab.com/api/access_requests/
type AccessRequestsService service

// AccessRequest is a user's pending request to join a group or project:
// the user's public fields and when they asked.
//
// GitLab API docs: https://docs.gitlab.com/api/access_requests/#list-access-requests-for-a-group-or-project
type AccessRequest struct {
	ID          int64      `json:"id"`
	Username    string     `json:"username"`
	PublicEmail string     `json:"public_email"`
	Name        string     `json:"name"`
	State       UserState  `json:"state"`
	Locked      bool       `json:"locked"`
	AvatarURL   string     `json:"avatar_url"`
	WebURL      string     `json:"web_url"`
	RequestedAt *time.Time `json:"requested_at"`
}

// ApproveAccessRequestOptions are the parameters of
// AccessRequestsService.Approve.
//
// GitLab API docs: https://docs.gitlab.com/api/access_requests/#approve-an-access-request
type ApproveAccessRequestOptions struct {
	// AccessLevel is the new member's role (GitLab's default: Developer).
	AccessLevel *AccessLevel `url:"access_level,omitempty"`
}

func (o *ApproveAccessRequestOptions) validate() error {
	if o == nil {
		return nil
	}
	return validMemberLevel("approve access request", o.AccessLevel, false)
}

// List returns one page of the pending access requests of a group or
// project. Group Owners, and project Maintainers and Owners, may call it
// (403, ErrForbidden, otherwise).
//
// GitLab API docs: https://docs.gitlab.com/api/access_requests/#list-access-requests-for-a-group-or-project
func (s *AccessRequestsService) List(ctx context.Context, src Source, opt *ListOptions, opts ...RequestOption) ([]*AccessRequest, *Response, error) {
	return doList[*AccessRequest](ctx, s.client, at(in(src), "access_requests"), opt, opts)
}

// ListIter yields every access request List would return, across pages.
//
// GitLab API docs: https://docs.gitlab.com/api/access_requests/#list-access-requests-for-a-group-or-project
func (s *AccessRequestsService) ListIter(ctx context.Context, src Source, opt *ListOptions, opts ...RequestOption) iter.Seq2[*AccessRequest, error] {
	return iterate[*AccessRequest](ctx, s.client, at(in(src), "access_requests"), opt, opts)
}

// Request asks, as the authenticated user, to join a group or project
// (GitLab grants Developer by default when an Owner or Maintainer
// approves). Members, and sources that do not take requests, get 403
// (ErrForbidden).
//
// Request is not retried once it may have reached GitLab: a repeat of an
// applied first attempt is refused (the request exists), which reads as
// "not applied". After a 5xx or a dropped connection, ask a maintainer
// or try once more and read a refusal as "already requested".
//
// GitLab API docs: https://docs.gitlab.com/api/access_requests/#request-access-to-a-group-or-project
func (s *AccessRequestsService) Request(ctx context.Context, src Source, opts ...RequestOption) (*AccessRequest, *Response, error) {
	return do[*AccessRequest](ctx, s.client, http.MethodPost, at(in(src), "access_requests"), nil, opts)
}

// Approve makes a user who requested access a member, at opt's role
// (Developer by default). Group Owners, and project Maintainers and
// Owners, may call it. A user without a pending request is 404
// (ErrNotFound).
//
// Approve is not retried once it may have reached GitLab: a repeat of an
// applied first attempt finds no request and gets that 404, which reads
// as "not applied". After a 5xx or a dropped connection, Get the member
// (MembersService.Get) to see whether it happened.
//
// GitLab API docs: https://docs.gitlab.com/api/access_requests/#approve-an-access-request
func (s *AccessRequestsService) Approve(ctx context.Context, src Source, userID int64, opt *ApproveAccessRequestOptions, opts ...RequestOption) (*Member, *Response, error) {
	return do[*Member](ctx, s.client, http.MethodPut, at(in(src), "access_requests", userID, "approve").markOnce(), opt, opts)
}

// Deny refuses, and deletes, a user's request to join. Group Owners,
// and project Maintainers and Owners, may call it, and the requester may
// withdraw their own. A user without a pending request is 404
// (ErrNotFound). Deny is retried like every DELETE: when the answer to
// an applied first attempt is lost, the retry answers 404.
//
// GitLab API docs: https://docs.gitlab.com/api/access_requests/#deny-an-access-request
func (s *AccessRequestsService) Deny(ctx context.Context, src Source, userID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at(in(src), "access_requests", userID), nil, opts)
}
