package gitlab

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

func accessRequestWant(t *testing.T) *AccessRequest {
	return &AccessRequest{ID: 1, Username: "raymond_smith", Name: "Raymond Smith", State: UserStateActive,
		AvatarURL: "https://www.gravatar.com/avatar/c2525a7f58ae3776070e44c106c48e15?s=80&d=identicon",
		WebURL:    "http://192.168.1.8:3000/root", RequestedAt: mustTime(t, "2012-10-22T14:13:35Z")}
}

// Every call of AccessRequestsService, for each way of naming the source.
func TestAccessRequestsBySource(t *testing.T) {
	for _, sc := range sourceCases {
		src, p := sc.src, sc.prefix
		t.Run(sc.name, func(t *testing.T) {
			runEndpointCases(t, []endpointCase{
				{name: "List", method: "GET", path: p + "/access_requests", match: queryIs("page", "2", "per_page", "1"),
					fixture: "list_access_requests.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.AccessRequests.List(ctx, src, &ListOptions{Page: 2, PerPage: 1}))
					},
					want: []*AccessRequest{accessRequestWant(t)}},
				{name: "Request", method: "POST", path: p + "/access_requests", match: []matcher{noBody}, status: 201,
					fixture: "request_access.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.AccessRequests.Request(ctx, src))
					},
					want: accessRequestWant(t)},
				{name: "Approve", method: "PUT", path: p + "/access_requests/1/approve", match: formIs("access_level", "40"),
					status: 201, fixture: "get_member.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.AccessRequests.Approve(ctx, src, 1, &ApproveAccessRequestOptions{AccessLevel: Ptr(AccessLevelMaintainer)}))
					},
					want: memberWant(t)},
				{name: "ApproveDefaultLevel", method: "PUT", path: p + "/access_requests/1/approve", match: formIs(),
					status: 201, fixture: "get_member.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.AccessRequests.Approve(ctx, src, 1, nil))
					},
					want: memberWant(t)},
				{name: "Deny", method: "DELETE", path: p + "/access_requests/1", match: queryIs(), status: 204,
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.AccessRequests.Deny(ctx, src, 1))
					}},
				{name: "DenyNone", method: "DELETE", path: p + "/access_requests/9", status: 404,
					json: map[string]string{"message": "404 Not found"},
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.AccessRequests.Deny(ctx, src, 9))
					},
					wantErr: ErrNotFound, errMsg: "404 Not found"},
			})
		})
	}
}

func TestAccessRequestsListIter(t *testing.T) {
	c := newTestClient(t)
	for _, sc := range sourceCases {
		mockTwoPages(t, sc.prefix+"/access_requests", "list_access_requests.json", "list_access_requests_page_2.json")
		got := collect(t, c.AccessRequests.ListIter(context.Background(), sc.src, nil))
		require.Equal(t, []*AccessRequest{accessRequestWant(t), {ID: 2, Username: "john_doe", PublicEmail: "john@example.com",
			Name: "John Doe", State: UserStateActive, Locked: true, WebURL: "http://192.168.1.8:3000/john_doe",
			RequestedAt: mustTime(t, "2012-10-23T08:00:00Z")}}, got, sc.name)
	}
}

func TestAccessRequestsRoundTrip(t *testing.T) {
	assertRoundTrip[[]*AccessRequest](t, "list_access_requests.json")
	assertRoundTrip[AccessRequest](t, "request_access.json")
}
