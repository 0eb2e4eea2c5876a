package gitlab

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// userAction is a call on one user that answers no value (block, ban,
// approve, ...), as a method expression of UsersService.
type userAction = func(*UsersService, context.Context, int64, ...RequestOption) (*Response, error)

// moderationCalls are the moderation calls by action, with the method
// GitLab routes them under.
var moderationCalls = map[string]struct {
	method string
	call   userAction
}{
	"ban":                {http.MethodPost, (*UsersService).Ban},
	"unban":              {http.MethodPost, (*UsersService).Unban},
	"approve":            {http.MethodPost, (*UsersService).Approve},
	"reject":             {http.MethodPost, (*UsersService).Reject},
	"disable_two_factor": {http.MethodPatch, (*UsersService).DisableTwoFactor},
}

// userActionCall is an endpointCase.call of action on user 7.
func userActionCall(action userAction) func(context.Context, *Client) (any, *Response, error) {
	return func(ctx context.Context, c *Client) (any, *Response, error) { return noValue(action(c.Users, ctx, 7)) }
}

// refusal is a documented refusal of an action on user 7: GitLab's
// answer (status and fixture) and the sentinel and message it becomes.
type refusal struct {
	action, fixture, message string
	status                   int
	sentinel                 error
}

func (r refusal) endpointCase(method string, action userAction) endpointCase {
	return endpointCase{name: "refused/" + r.action + " " + r.fixture, method: method, path: "/users/7/" + r.action,
		status: r.status, headers: []string{"Content-Type", "application/json"}, fixture: r.fixture,
		call:    userActionCall(action),
		wantErr: r.sentinel, errMsg: r.message}
}

// Each moderation call sends no body and takes GitLab's success answer,
// whatever its body: true (ban, unban), {"message":"Success"} with 201
// (approve) or 200 (reject), or 204 without a body (2FA). GitLab's
// refusals come back with its message and sentinel.
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
	var cases []endpointCase
	for action, a := range answers {
		m := moderationCalls[action]
		cases = append(cases, endpointCase{name: action, method: m.method, path: "/users/7/" + action,
			match:  []matcher{exactQuery(""), noBody},
			status: a.status, headers: []string{"Content-Type", "application/json"}, body: a.body,
			call: userActionCall(m.call)})
	}
	for _, r := range []refusal{
		{"ban", "error_403_ban_banned.json", "You cannot ban banned users.", 403, ErrForbidden},
		{"approve", "error_409_approve_not_pending.json", "The user you are trying to approve is not pending approval", 409, ErrConflict},
		{"disable_two_factor", "error_400_two_factor_not_enabled.json", "400 Bad request - Two-factor authentication is not enabled for this user", 400, ErrBadRequest},
		{"reject", "error_404_user.json", "404 User Not Found", 404, ErrNotFound},
	} {
		m := moderationCalls[r.action]
		cases = append(cases, r.endpointCase(m.method, m.call))
	}
	runEndpointCases(t, cases)
}

// None of ban, unban, approve, disabling 2FA and reject is retried on a
// 5xx: GitLab refuses a repeat of the first four with a 4xx that would
// read as "not applied" (issue 25, defect 5), and a repeated reject
// would reject and mail again.
func TestUsersModerationRetries(t *testing.T) {
	for action, retried := range map[string]bool{"ban": false, "unban": false, "approve": false, "disable_two_factor": false, "reject": false} {
		t.Run(action, func(t *testing.T) {
			c := newTestClient(t, WithRetryMax(1), WithRetryWait(0, 0))
			m := moderationCalls[action]
			mock(m.method, "/users/7/"+action).Reply(502).BodyString("Bad Gateway")
			if retried {
				mock(m.method, "/users/7/"+action).Reply(201).BodyString("true")
			}

			_, err := m.call(c.Users, context.Background(), 7)
			if retried {
				require.NoError(t, err)
				return
			}
			assert.Equal(t, http.StatusBadGateway, err.(*ErrorResponse).StatusCode)
		})
	}
}
