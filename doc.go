// Package gitlab is a client for GitLab's user API: users and their
// moderation, SSH keys, GPG keys, emails, status, follows, custom
// attributes, impersonation and personal access tokens, service
// accounts, activities, memberships, preferences and counts.
//
// # Services
//
// A Client holds one service per resource: Users, SSHKeys, GPGKeys,
// Emails, Status, Follows, ImpersonationTokens, PersonalAccessTokens,
// ServiceAccounts and CustomAttributes. Methods are named by their verb
// (List, Get, Create, Update, Delete, Block, Ban, Follow, Rotate, Revoke,
// Set); a ForUser suffix marks the administrator's variant that acts on
// another user, ForGroup and ForProject a group's or a project's service
// accounts. Client.NewRequest and Client.Do reach any other endpoint the
// same way.
//
//	client, err := gitlab.NewClient(token, gitlab.WithBaseURL("https://gitlab.example.com"))
//	user, resp, err := client.Users.Get(ctx, 42, nil)
//
// # Authentication
//
// NewClient sends a personal, project, group or impersonation access
// token as the PRIVATE-TOKEN header; NewOAuthClient sends an OAuth 2.0
// token as "Authorization: Bearer". An empty token makes anonymous calls.
// An administrator can act as another user with the request option
// WithSudo. Credentials are sent only to the base URL's host: a redirect
// elsewhere arrives without them.
//
// # Base URL
//
// WithBaseURL takes the instance root ("https://gitlab.example.com") or
// its API root ("https://gitlab.example.com/api/v4"), also under a
// relative root ("https://example.com/gitlab"). The default is
// https://gitlab.com.
//
// # Context, options and results
//
// Every method takes a context.Context first and an options struct
// where GitLab takes parameters; a nil options pointer is always allowed.
// Optional fields are pointers: set them with Ptr. Every method returns a
// *Response, which carries the HTTP answer and GitLab's pagination
// headers.
//
// # Errors
//
// Any answer outside 2xx is an *ErrorResponse with the status, the
// request, GitLab's message and per-field messages:
//
//	_, _, err := client.Users.Create(ctx, opt)
//	var er *gitlab.ErrorResponse
//	switch {
//	case errors.Is(err, gitlab.ErrConflict):
//		// the email or username is taken
//	case errors.As(err, &er) && er.Fields["password"] != nil:
//		// a validation error on the password
//	}
//
// ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict
// and ErrRateLimited match by status. Arguments that cannot be right
// (an ID <= 0, an empty username, a missing required field) fail before
// any request with an error matching ErrInvalidArgument. A 2xx answer
// that cannot be decoded matches ErrUnexpectedResponse. Tokens never
// appear in error texts or logs.
//
// # Retries and rate limits
//
// Requests that are safe to repeat (GET, HEAD, PUT, DELETE, and the
// idempotent actions such as block, unblock, activate, deactivate,
// follow and unfollow) are retried on 429, 500, 502, 503, 504 and
// transport errors.
// Any other POST or PATCH is retried only on 429 or when the connection
// was refused, so a write is never applied twice; that includes ban,
// unban, approve, disabling two-factor authentication and revoking a GPG
// key, whose repeat GitLab refuses with a 4xx that would read as "not
// applied". What an error says about a write: an *ErrorResponse below 500 (a 429 handed back included) means
// GitLab did not apply it; a 5xx, a dropped connection or an unreadable
// 2xx answer means it may have, and only the caller can check. A DELETE
// retried after an attempt that was applied but whose answer was lost
// ends in ErrNotFound, which a caller deleting can treat as done. The
// wait honours Retry-After and RateLimit-Reset, else backs off
// exponentially with jitter; a server that asks for longer than the
// maximum wait gets its 429 back at once, with ErrorResponse.RetryAfter
// saying how long it asked for. Cancelling ctx ends any wait.
//
// # Pagination and iterators
//
// List methods return one page; each has a ListXIter twin that yields
// every item across pages as an iter.Seq2, following GitLab's Link
// header or X-Next-Page, and stops at the first error or when the loop
// breaks:
//
//	for user, err := range client.Users.ListIter(ctx, nil) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(user.Username)
//	}
//
// # Testing code that uses this package
//
// Package gitlabtest starts an in-memory GitLab with the real API's
// semantics (permissions, status codes, pagination, rate limits and
// injected faults), so automation can be tested without a GitLab:
//
//	srv := gitlabtest.NewServer()
//	defer srv.Close()
//	client := srv.Client()
//
// GitLab API docs: https://docs.gitlab.com/api/users/
package gitlab
