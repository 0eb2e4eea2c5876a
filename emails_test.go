package gitlab

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// emailsListWant is list_emails.json decoded: the primary address
// first, then an unconfirmed secondary one.
func emailsListWant(t *testing.T) []*Email {
	return []*Email{
		{ID: 1, Email: "john@example.com", ConfirmedAt: mustTime(t, "2021-03-26T19:07:56.248Z")},
		{ID: 3, Email: "email2@example.com", ConfirmedAt: nil},
	}
}

// The calls of EmailsService: the request each sends and what it
// decodes.
func TestEmails(t *testing.T) {
	cases := []endpointCase{
		{name: "List", method: "GET", path: "/user/emails", match: queryIs("page", "1", "per_page", "2"),
			headers: []string{"X-Next-Page", "2"}, fixture: "list_emails.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Emails.List(ctx, &ListOptions{Page: 1, PerPage: 2}))
			},
			want:  emailsListWant(t),
			check: func(t *testing.T, resp *Response, _ error) { assert.Equal(t, 2, resp.NextPage) }},
		{name: "ListForUser", method: "GET", path: "/users/42/emails", match: queryIs("per_page", "100"), fixture: "list_emails.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Emails.ListForUser(ctx, 42, &ListOptions{PerPage: 100}))
			},
			want: emailsListWant(t)},
		{name: "Get", method: "GET", path: "/user/emails/1", match: queryIs(), fixture: "get_email.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) { return value(c.Emails.Get(ctx, 1)) },
			want: &Email{ID: 1, Email: "email@example.com", ConfirmedAt: mustTime(t, "2021-03-26T19:07:56.248Z")}},
		{name: "GetNotFound", method: "GET", path: "/user/emails/9",
			status: 404, json: map[string]string{"message": "404 Email Not Found"},
			call:    func(ctx context.Context, c *Client) (any, *Response, error) { return value(c.Emails.Get(ctx, 9)) },
			wantErr: ErrNotFound},
		{name: "Create", method: "POST", path: "/user/emails", match: formIs("email", "email@example.com"),
			status: 201, fixture: "create_email.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Emails.Create(ctx, &CreateEmailOptions{Email: Ptr("email@example.com")}))
			},
			want: &Email{ID: 4, Email: "email@example.com", ConfirmedAt: nil}},
		{name: "CreateForUser", method: "POST", path: "/users/42/emails",
			match:  formIs("email", "jane.work@example.com", "skip_confirmation", "true"),
			status: 201, fixture: "create_email_for_user.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Emails.CreateForUser(ctx, 42, &CreateEmailOptions{
					Email:            Ptr("jane.work@example.com"),
					SkipConfirmation: Ptr(true),
				}))
			},
			want: &Email{ID: 5, Email: "jane.work@example.com", ConfirmedAt: mustTime(t, "2024-02-29T13:05:09.512Z")}},
		// An explicit false is sent, not dropped.
		{name: "CreateForUserSkipConfirmationFalse", method: "POST", path: "/users/42/emails",
			match:  formIs("email", "email@example.com", "skip_confirmation", "false"),
			status: 201, fixture: "create_email.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Emails.CreateForUser(ctx, 42, &CreateEmailOptions{
					Email:            Ptr("email@example.com"),
					SkipConfirmation: Ptr(false),
				}))
			},
			want: &Email{ID: 4, Email: "email@example.com"}},
	}
	// A taken address is a 400 whose per-field message is in
	// ErrorResponse.Fields["email"], for both create methods.
	for name, call := range map[string]struct {
		path string
		call func(context.Context, *Client) (any, *Response, error)
	}{
		"Create": {"/user/emails", func(ctx context.Context, c *Client) (any, *Response, error) {
			return value(c.Emails.Create(ctx, &CreateEmailOptions{Email: Ptr("email@example.com")}))
		}},
		"CreateForUser": {"/users/42/emails", func(ctx context.Context, c *Client) (any, *Response, error) {
			return value(c.Emails.CreateForUser(ctx, 42, &CreateEmailOptions{Email: Ptr("email@example.com")}))
		}},
	} {
		cases = append(cases, endpointCase{name: "CreateTaken/" + name, method: "POST", path: call.path,
			match:  formIs("email", "email@example.com"),
			status: 400, headers: []string{"Content-Type", "application/json"}, fixture: "error_400_email_taken.json",
			call:    call.call,
			wantErr: ErrBadRequest, errMsg: "email has already been taken",
			errFields: map[string][]string{"email": {"has already been taken"}},
			check: func(t *testing.T, _ *Response, err error) {
				assert.False(t, errors.Is(err, ErrConflict))
				var er *ErrorResponse
				require.True(t, errors.As(err, &er))
				assert.Equal(t, 400, er.StatusCode)
				assert.Equal(t, "POST", er.Method)
				assert.Equal(t, testHost+apiPrefix+call.path, er.URL)
				assert.Equal(t, map[string][]string{"email": {"has already been taken"}}, er.Fields)
			}})
	}
	runEndpointCases(t, cases)
}

// emailsBothPagesWant is list_emails.json then its page 2 decoded.
func emailsBothPagesWant(t *testing.T) []*Email {
	return append(emailsListWant(t), &Email{ID: 6, Email: "jsmith@example.org", ConfirmedAt: mustTime(t, "2022-07-14T11:45:02.000Z")})
}

func TestEmailsListIter(t *testing.T) {
	c := newTestClient(t)
	mockTwoPages(t, "/user/emails", "list_emails.json", "list_emails_page_2.json", "per_page", "2")

	opt := &ListOptions{PerPage: 2}
	got := collect(t, c.Emails.ListIter(context.Background(), opt))
	require.Equal(t, emailsBothPagesWant(t), got)
	assert.Equal(t, &ListOptions{PerPage: 2}, opt, "the caller's options are not changed")
}

func TestEmailsListForUserIter(t *testing.T) {
	c := newTestClient(t)
	mockTwoPages(t, "/users/42/emails", "list_emails.json", "list_emails_page_2.json")

	got := collect(t, c.Emails.ListForUserIter(context.Background(), 42, nil))
	require.Equal(t, emailsBothPagesWant(t), got)
}

func TestEmailJSONRoundTrip(t *testing.T) {
	assertRoundTrip[Email](t, "get_email.json")
	assertRoundTrip[Email](t, "create_email.json")
	assertRoundTrip[Email](t, "create_email_for_user.json")
	assertRoundTrip[[]Email](t, "list_emails.json")
}
