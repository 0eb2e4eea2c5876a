package gitlab

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

// enterpriseUserWant is testdata/get_enterprise_user.json decoded.
func enterpriseUserWant(t *testing.T) *User {
	return &User{ID: 66, Username: "user22", Name: "Sidney Jones22", State: UserStateActive,
		AvatarURL: "https://www.gravatar.com/avatar/xxx?s=80&d=identicon", WebURL: "http://my.gitlab.com/user22",
		CreatedAt: mustTime(t, "2021-09-10T12:48:22.381Z"), ConfirmedAt: mustTime(t, "2021-09-10T12:48:22.330Z"),
		Email: "user22@example.org", ThemeID: 1, ColorSchemeID: 1, ProjectsLimit: 100000,
		Identities:     []*Identity{{Provider: "group_saml", ExternUID: "2435223452345", SAMLProviderID: 1}},
		CanCreateGroup: true, CanCreateProject: true, TwoFactorEnabled: true,
		CommitEmail: "user22@example.org", PreferredLanguage: "en"}
}

// ifUnmodifiedSince matches a request carrying that header.
func ifUnmodifiedSince(want string) matcher {
	return func(r *http.Request, _ *gock.Request) (bool, error) {
		return r.Header.Get("If-Unmodified-Since") == want, nil
	}
}

// Every call of EnterpriseUsersService, for a group named by ID and by
// path.
func TestEnterpriseUsers(t *testing.T) {
	groups := []struct {
		name   string
		ref    GroupRef
		prefix string
	}{
		{"group id", GroupID(33), "/groups/33"},
		{"group path", GroupPath("acme"), "/groups/acme"},
		{"group path with slash", GroupPath("acme/sub"), "/groups/acme%2Fsub"},
	}
	after := time.Date(2021, 9, 1, 0, 0, 0, 0, time.UTC)
	before := time.Date(2021, 9, 30, 12, 0, 0, 0, time.FixedZone("", 2*3600))
	for _, g := range groups {
		ref, p := g.ref, g.prefix
		t.Run(g.name, func(t *testing.T) {
			second := *enterpriseUserWant(t)
			second.ID, second.Username, second.Name, second.State = 65, "user21", "Sidney Jones21", UserStateBlocked
			second.Email, second.CommitEmail, second.TwoFactorEnabled, second.Identities = "user21@example.org", "user21@example.org", false, []*Identity{}
			second.WebURL, second.CreatedAt = "http://my.gitlab.com/user21", mustTime(t, "2021-09-09T08:00:00Z")
			runEndpointCases(t, []endpointCase{
				{name: "List", method: "GET", path: p + "/enterprise_users",
					match: queryIs("page", "2", "per_page", "2", "username", "user22", "search", "Sidney",
						"active", "true", "blocked", "true", "created_after", "2021-09-01T00:00:00Z",
						"created_before", "2021-09-30T12:00:00+02:00", "two_factor", "enabled"),
					headers: []string{"X-Total", "3"}, fixture: "list_enterprise_users.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.EnterpriseUsers.List(ctx, ref, &ListEnterpriseUsersOptions{
							ListOptions: ListOptions{Page: 2, PerPage: 2}, Username: Ptr("user22"), Search: Ptr("Sidney"),
							Active: Ptr(true), Blocked: Ptr(true), CreatedAfter: &after, CreatedBefore: &before,
							TwoFactor: Ptr(TwoFactorFilterEnabled)}))
					},
					want:  []*User{enterpriseUserWant(t), &second},
					check: func(t *testing.T, resp *Response, _ error) { require.Equal(t, 3, resp.TotalItems) }},
				{name: "ListNilOptions", method: "GET", path: p + "/enterprise_users", match: queryIs(), body: "[]",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.EnterpriseUsers.List(ctx, ref, nil))
					},
					want: []*User(nil)},
				{name: "ListSubgroup", method: "GET", path: p + "/enterprise_users", status: 400, fixture: "error_400_enterprise_top_level.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.EnterpriseUsers.List(ctx, ref, nil))
					},
					wantErr: ErrBadRequest, errMsg: "400 Bad request - Must be a top-level group"},
				{name: "Get", method: "GET", path: p + "/enterprise_users/66", match: queryIs(), fixture: "get_enterprise_user.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.EnterpriseUsers.Get(ctx, ref, 66))
					},
					want: enterpriseUserWant(t)},
				{name: "GetNotEnterprise", method: "GET", path: p + "/enterprise_users/7", status: 404,
					json: map[string]string{"message": "404 Not found"},
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.EnterpriseUsers.Get(ctx, ref, 7))
					},
					wantErr: ErrNotFound, errMsg: "404 Not found"},
				{name: "Update", method: "PATCH", path: p + "/enterprise_users/66",
					match: formIs("name", "Sidney Jones", "email", "sidney@example.org"), fixture: "update_enterprise_user.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.EnterpriseUsers.Update(ctx, ref, 66, &UpdateEnterpriseUserOptions{
							Name: Ptr("Sidney Jones"), Email: Ptr("sidney@example.org")}))
					},
					want: func() *User {
						u := enterpriseUserWant(t)
						u.Name, u.Email, u.CommitEmail = "Sidney Jones", "sidney@example.org", "sidney@example.org"
						return u
					}()},
				{name: "UpdateNothing", method: "PATCH", path: p + "/enterprise_users/66", match: formIs(),
					fixture: "get_enterprise_user.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.EnterpriseUsers.Update(ctx, ref, 66, nil))
					},
					want: enterpriseUserWant(t)},
				{name: "UpdateForeignDomain", method: "PATCH", path: p + "/enterprise_users/66", match: formIs("email", "a@example.com"),
					status: 400, fixture: "error_400_enterprise_user_email.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.EnterpriseUsers.Update(ctx, ref, 66, &UpdateEnterpriseUserOptions{Email: Ptr("a@example.com")}))
					},
					wantErr: ErrBadRequest, errMsg: "Email must be owned by the user's enterprise group"},
				{name: "Delete", method: "DELETE", path: p + "/enterprise_users/66", match: queryIs(), status: 204,
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.EnterpriseUsers.Delete(ctx, ref, 66, nil))
					}},
				{name: "DeleteHard", method: "DELETE", path: p + "/enterprise_users/66", match: queryIs("hard_delete", "true"), status: 204,
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.EnterpriseUsers.Delete(ctx, ref, 66, &DeleteEnterpriseUserOptions{HardDelete: Ptr(true)}))
					}},
				{name: "DeleteSoleOwner", method: "DELETE", path: p + "/enterprise_users/66", match: queryIs("hard_delete", "false"),
					status: 409, fixture: "error_409_enterprise_user_sole_owner.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.EnterpriseUsers.Delete(ctx, ref, 66, &DeleteEnterpriseUserOptions{HardDelete: Ptr(false)}))
					},
					wantErr: ErrConflict, errMsg: "Can not remove a user who is the sole owner of a group."},
				{name: "DeleteIfUnmodifiedSince", method: "DELETE", path: p + "/enterprise_users/66",
					match:  []matcher{ifUnmodifiedSince("Fri, 10 Sep 2021 12:00:00 GMT")},
					status: 412, json: map[string]string{"message": "412 Precondition Failed"},
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.EnterpriseUsers.Delete(ctx, ref, 66, nil,
							WithHeader("If-Unmodified-Since", "Fri, 10 Sep 2021 12:00:00 GMT")))
					},
					errMsg: "412 Precondition Failed"},
				{name: "DisableTwoFactor", method: "PATCH", path: p + "/enterprise_users/66/disable_two_factor",
					match: []matcher{noBody}, status: 204,
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.EnterpriseUsers.DisableTwoFactor(ctx, ref, 66))
					}},
				{name: "DisableTwoFactorNotEnabled", method: "PATCH", path: p + "/enterprise_users/66/disable_two_factor",
					status: 400, fixture: "error_400_two_factor_not_enabled.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.EnterpriseUsers.DisableTwoFactor(ctx, ref, 66))
					},
					wantErr: ErrBadRequest, errMsg: "400 Bad request - Two-factor authentication is not enabled for this user"},
			})
		})
	}
}

// ListIter follows the pages with the caller's filters and leaves opt
// as it was.
func TestEnterpriseUsersListIter(t *testing.T) {
	c := newTestClient(t)
	mockTwoPages(t, "/groups/acme%2Fsub/enterprise_users", "list_enterprise_users.json", "list_enterprise_users_page_2.json",
		"two_factor", "disabled")
	opt := &ListEnterpriseUsersOptions{TwoFactor: Ptr(TwoFactorFilterDisabled)}
	got := collect(t, c.EnterpriseUsers.ListIter(context.Background(), GroupPath("acme/sub"), opt))
	ids := make([]int64, 0, len(got))
	for _, u := range got {
		ids = append(ids, u.ID)
	}
	require.Equal(t, []int64{66, 65, 12}, ids)
	require.Equal(t, &ListEnterpriseUsersOptions{TwoFactor: Ptr(TwoFactorFilterDisabled)}, opt)
	require.True(t, gock.IsDone())
}

func TestEnterpriseUsersRoundTrip(t *testing.T) {
	assertRoundTrip[User](t, "get_enterprise_user.json")
	assertRoundTrip[[]*User](t, "list_enterprise_users.json")
	assertRoundTrip[User](t, "update_enterprise_user.json")
}
