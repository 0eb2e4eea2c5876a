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

func TestEmailsList(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/user/emails").AddMatcher(exactQuery(form("page", "1", "per_page", "2"))).
		Reply(200).SetHeader("X-Next-Page", "2").
		BodyString(string(fixture(t, "list_emails.json")))

	emails, resp, err := c.Emails.List(context.Background(), &ListOptions{Page: 1, PerPage: 2})
	require.NoError(t, err)
	require.Equal(t, emailsListWant(t), emails)
	assert.Equal(t, 2, resp.NextPage)
}

func TestEmailsListForUser(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/users/42/emails").AddMatcher(exactQuery(form("per_page", "100"))).
		Reply(200).BodyString(string(fixture(t, "list_emails.json")))

	emails, _, err := c.Emails.ListForUser(context.Background(), 42, &ListOptions{PerPage: 100})
	require.NoError(t, err)
	require.Equal(t, emailsListWant(t), emails)
}

func TestEmailsGet(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/user/emails/1").AddMatcher(exactQuery("")).
		Reply(200).BodyString(string(fixture(t, "get_email.json")))

	email, _, err := c.Emails.Get(context.Background(), 1)
	require.NoError(t, err)
	require.Equal(t, &Email{ID: 1, Email: "email@example.com", ConfirmedAt: mustTime(t, "2021-03-26T19:07:56.248Z")}, email)
}

func TestEmailsCreate(t *testing.T) {
	c := newTestClient(t)
	mock("POST", "/user/emails").AddMatcher(exactForm(form("email", "email@example.com"))).
		Reply(201).BodyString(string(fixture(t, "create_email.json")))

	email, resp, err := c.Emails.Create(context.Background(), &CreateEmailOptions{Email: Ptr("email@example.com")})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	require.Equal(t, &Email{ID: 4, Email: "email@example.com", ConfirmedAt: nil}, email)
}

func TestEmailsCreateForUser(t *testing.T) {
	c := newTestClient(t)
	mock("POST", "/users/42/emails").
		AddMatcher(exactForm(form("email", "jane.work@example.com", "skip_confirmation", "true"))).
		Reply(201).BodyString(string(fixture(t, "create_email_for_user.json")))

	email, _, err := c.Emails.CreateForUser(context.Background(), 42, &CreateEmailOptions{
		Email:            Ptr("jane.work@example.com"),
		SkipConfirmation: Ptr(true),
	})
	require.NoError(t, err)
	require.Equal(t, &Email{ID: 5, Email: "jane.work@example.com", ConfirmedAt: mustTime(t, "2024-02-29T13:05:09.512Z")}, email)
}

// An explicit false is sent, not dropped.
func TestEmailsCreateForUserSkipConfirmationFalse(t *testing.T) {
	c := newTestClient(t)
	mock("POST", "/users/42/emails").
		AddMatcher(exactForm(form("email", "email@example.com", "skip_confirmation", "false"))).
		Reply(201).BodyString(string(fixture(t, "create_email.json")))

	email, _, err := c.Emails.CreateForUser(context.Background(), 42, &CreateEmailOptions{
		Email:            Ptr("email@example.com"),
		SkipConfirmation: Ptr(false),
	})
	require.NoError(t, err)
	require.Equal(t, &Email{ID: 4, Email: "email@example.com"}, email)
}

// A taken address is a 400 whose per-field message is in
// ErrorResponse.Fields["email"], for both create methods.
func TestEmailsCreateTaken(t *testing.T) {
	calls := map[string]struct {
		path string
		call func(c *Client) (*Email, error)
	}{
		"Create": {"/user/emails", func(c *Client) (*Email, error) {
			e, _, err := c.Emails.Create(context.Background(), &CreateEmailOptions{Email: Ptr("email@example.com")})
			return e, err
		}},
		"CreateForUser": {"/users/42/emails", func(c *Client) (*Email, error) {
			e, _, err := c.Emails.CreateForUser(context.Background(), 42, &CreateEmailOptions{Email: Ptr("email@example.com")})
			return e, err
		}},
	}
	for name, tc := range calls {
		t.Run(name, func(t *testing.T) {
			c := newTestClient(t)
			mock("POST", tc.path).AddMatcher(exactForm(form("email", "email@example.com"))).
				Reply(400).SetHeader("Content-Type", "application/json").
				BodyString(string(fixture(t, "error_400_email_taken.json")))

			email, err := tc.call(c)
			assert.Nil(t, email)
			require.True(t, errors.Is(err, ErrBadRequest), "errors.Is(err, ErrBadRequest): %v", err)
			assert.False(t, errors.Is(err, ErrConflict))
			var er *ErrorResponse
			require.True(t, errors.As(err, &er))
			assert.Equal(t, 400, er.StatusCode)
			assert.Equal(t, "POST", er.Method)
			assert.Equal(t, testHost+apiPrefix+tc.path, er.URL)
			assert.Equal(t, map[string][]string{"email": {"has already been taken"}}, er.Fields)
			assert.Equal(t, "email has already been taken", er.Message)
		})
	}
}

func TestEmailsGetNotFound(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/user/emails/9").Reply(404).JSON(map[string]string{"message": "404 Email Not Found"})

	email, _, err := c.Emails.Get(context.Background(), 9)
	require.ErrorIs(t, err, ErrNotFound)
	assert.Nil(t, email)
}

func TestEmailsListIter(t *testing.T) {
	c := newTestClient(t)
	mockTwoPages(t, "/user/emails", "list_emails.json", "list_emails_page_2.json", "per_page", "2")

	opt := &ListOptions{PerPage: 2}
	var got []*Email
	for email, err := range c.Emails.ListIter(context.Background(), opt) {
		require.NoError(t, err)
		got = append(got, email)
	}
	want := append(emailsListWant(t), &Email{ID: 6, Email: "jsmith@example.org", ConfirmedAt: mustTime(t, "2022-07-14T11:45:02.000Z")})
	require.Equal(t, want, got)
	assert.Equal(t, &ListOptions{PerPage: 2}, opt, "the caller's options are not changed")
}

func TestEmailsListForUserIter(t *testing.T) {
	c := newTestClient(t)
	mockTwoPages(t, "/users/42/emails", "list_emails.json", "list_emails_page_2.json")

	var addrs []string
	for email, err := range c.Emails.ListForUserIter(context.Background(), 42, nil) {
		require.NoError(t, err)
		addrs = append(addrs, email.Email)
	}
	assert.Equal(t, []string{"john@example.com", "email2@example.com", "jsmith@example.org"}, addrs)
}

func TestEmailJSONRoundTrip(t *testing.T) {
	assertRoundTrip[Email](t, "get_email.json")
	assertRoundTrip[Email](t, "create_email.json")
	assertRoundTrip[Email](t, "create_email_for_user.json")
	assertRoundTrip[[]Email](t, "list_emails.json")
}
