package gitlab

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// moderationCalls are the moderation calls by action, with the method
// GitLab routes them under.
func moderationCalls(c *Client) map[string]struct {
	method string
	call   func(context.Context, int64, ...RequestOption) (*Response, error)
} {
	type entry = struct {
		method string
		call   func(context.Context, int64, ...RequestOption) (*Response, error)
	}
	return map[string]entry{
		"ban":                {http.MethodPost, c.Users.Ban},
		"unban":              {http.MethodPost, c.Users.Unban},
		"approve":            {http.MethodPost, c.Users.Approve},
		"reject":             {http.MethodPost, c.Users.Reject},
		"disable_two_factor": {http.MethodPatch, c.Users.DisableTwoFactor},
	}
}

// Each moderation call sends no body and takes GitLab's success answer,
// whatever its body: true (ban, unban), {"message":"Success"} with 201
// (approve) or 200 (reject), or 204 without a body (2FA).
func TestUsersModeration(t *testing.T) {
	answers := map[string]struct {
		status int
		body   string
	}{
		"ban":                {201, "true"},
		"unban":              {201, "true"},
		"approve":            {201, `{"message":"Success"}`},
		"reject":             {200, `{"message":"Success"}`},
		"disable_two_factor": {204, ""},
	}
	for action, a := range answers {
		t.Run(action, func(t *testing.T) {
			c := newTestClient(t)
			m := moderationCalls(c)[action]
			mock(m.method, "/users/7/"+action).AddMatcher(exactQuery("")).AddMatcher(noBody).
				Reply(a.status).SetHeader("Content-Type", "application/json").BodyString(a.body)

			resp, err := m.call(context.Background(), 7)
			require.NoError(t, err)
			assert.Equal(t, a.status, resp.StatusCode)
		})
	}
}

// Ban, unban, approve and disabling 2FA fail harmlessly when repeated,
// so they are retried; reject deletes the user and is not.
func TestUsersModerationRetries(t *testing.T) {
	for action, retried := range map[string]bool{"ban": true, "unban": true, "approve": true, "disable_two_factor": true, "reject": false} {
		t.Run(action, func(t *testing.T) {
			c := newTestClient(t, WithRetryMax(1), WithRetryWait(0, 0))
			m := moderationCalls(c)[action]
			mock(m.method, "/users/7/"+action).Reply(502).BodyString("Bad Gateway")
			if retried {
				mock(m.method, "/users/7/"+action).Reply(201).BodyString("true")
			}

			_, err := m.call(context.Background(), 7)
			if retried {
				require.NoError(t, err)
				return
			}
			assert.Equal(t, http.StatusBadGateway, err.(*ErrorResponse).StatusCode)
		})
	}
}

// GitLab's refusals come back with its message and sentinel.
func TestUsersModerationRefusals(t *testing.T) {
	cases := []struct {
		action, fixture, message string
		status                   int
		sentinel                 error
	}{
		{"ban", "error_403_ban_banned.json", "You cannot ban banned users.", 403, ErrForbidden},
		{"approve", "error_409_approve_not_pending.json", "The user you are trying to approve is not pending approval", 409, ErrConflict},
		{"disable_two_factor", "error_400_two_factor_not_enabled.json", "400 Bad request - Two-factor authentication is not enabled for this user", 400, ErrBadRequest},
		{"reject", "error_404_user.json", "404 User Not Found", 404, ErrNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.action, func(t *testing.T) {
			c := newTestClient(t)
			m := moderationCalls(c)[tc.action]
			mock(m.method, "/users/7/"+tc.action).
				Reply(tc.status).SetHeader("Content-Type", "application/json").BodyString(string(fixture(t, tc.fixture)))

			_, err := m.call(context.Background(), 7)
			require.ErrorIs(t, err, tc.sentinel)
			var er *ErrorResponse
			require.ErrorAs(t, err, &er)
			assert.Equal(t, tc.message, er.Message)
			assert.Equal(t, m.method, er.Method)
		})
	}
}
