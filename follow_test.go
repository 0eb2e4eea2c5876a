package gitlab

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// followJohn is follow_user.json decoded.
func followJohn() *User {
	return &User{
		ID:          3,
		Username:    "john_smith",
		PublicEmail: "john@example.com",
		Name:        "John Smith",
		State:       UserStateActive,
		Locked:      false,
		AvatarURL:   "http://localhost:3000/uploads/user/avatar/3/cd8.jpeg",
		WebURL:      "http://localhost:3000/john_smith",
	}
}

// followersWant is list_followers.json followed by list_followers_page_2.json.
func followersWant() []*User {
	return []*User{
		{
			ID:          2,
			Username:    "evette.kilback",
			PublicEmail: "evette@example.com",
			Name:        "Lennie Donnelly",
			State:       UserStateActive,
			Locked:      false,
			AvatarURL:   "https://www.gravatar.com/avatar/7955171a55ac4997ed81e5976287890a?s=80&d=identicon",
			WebURL:      "http://127.0.0.1:3000/evette.kilback",
		},
		{
			ID:          4,
			Username:    "cammy",
			PublicEmail: "",
			Name:        "Serena Bradtke",
			State:       UserStateBlocked,
			Locked:      true,
			AvatarURL:   "https://www.gravatar.com/avatar/a2daad869a7b60d3090b7b9bef4baf57?s=80&d=identicon",
			WebURL:      "http://127.0.0.1:3000/cammy",
		},
		{
			ID:          9,
			Username:    "ana",
			PublicEmail: "ana@example.com",
			Name:        "Ana Lima",
			State:       UserStateActive,
			AvatarURL:   "https://www.gravatar.com/avatar/0b5c1f8e0c4f4f6e9a1d2c3b4a5f6e7d?s=80&d=identicon",
			WebURL:      "http://127.0.0.1:3000/ana",
		},
	}
}

// followingWant is list_following.json followed by list_following_page_2.json.
func followingWant() []*User {
	return []*User{
		{
			ID:          5,
			Username:    "root",
			PublicEmail: "admin@example.com",
			Name:        "Administrator",
			State:       UserStateActive,
			AvatarURL:   "https://www.gravatar.com/avatar/e64c7d89f26bd1972efa854d13d7dd61?s=80&d=identicon",
			WebURL:      "http://127.0.0.1:3000/root",
		},
		{
			ID:          6,
			Username:    "deactivated.dev",
			PublicEmail: "",
			Name:        "Dee Activated",
			State:       UserStateDeactivated,
			AvatarURL:   "https://www.gravatar.com/avatar/3b5d5c3712955042212316173ccf37be?s=80&d=identicon",
			WebURL:      "http://127.0.0.1:3000/deactivated.dev",
		},
		{
			ID:          8,
			Username:    "zoe",
			PublicEmail: "zoe@example.com",
			Name:        "Zoe Park",
			State:       UserStateActive,
			AvatarURL:   "https://www.gravatar.com/avatar/9e107d9d372bb6826bd81d3542a419d6?s=80&d=identicon",
			WebURL:      "http://127.0.0.1:3000/zoe",
		},
	}
}

func TestFollowsFollow(t *testing.T) {
	c := newTestClient(t)
	mock("POST", "/users/3/follow").AddMatcher(exactQuery("")).AddMatcher(noBody).
		Reply(201).BodyString(string(fixture(t, "follow_user.json")))

	got, resp, err := c.Follows.Follow(context.Background(), 3)
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	require.Equal(t, followJohn(), got)
}

func TestFollowsFollowNotModified(t *testing.T) {
	// Already following, or following oneself.
	followNotModified(t, "/users/3/follow", (*FollowsService).Follow)
}

func TestFollowsUnfollow(t *testing.T) {
	c := newTestClient(t)
	mock("POST", "/users/3/unfollow").AddMatcher(exactQuery("")).AddMatcher(noBody).
		Reply(201).BodyString(string(fixture(t, "unfollow_user.json")))

	got, resp, err := c.Follows.Unfollow(context.Background(), 3)
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	want := followJohn()
	want.PublicEmail = ""
	require.Equal(t, want, got)
}

func TestFollowsUnfollowNotModified(t *testing.T) {
	// Unfollowing someone you don't follow.
	followNotModified(t, "/users/3/unfollow", (*FollowsService).Unfollow)
}

// followNotModified: a 304 with no body to call on user 3 (POST path) is
// not a failure; the user is nil and the status code tells the caller.
func followNotModified(t *testing.T, path string, call func(*FollowsService, context.Context, int64, ...RequestOption) (*User, *Response, error)) {
	t.Helper()
	c := newTestClient(t)
	mock("POST", path).Reply(304)

	got, resp, err := call(c.Follows, context.Background(), 3)
	require.NoError(t, err)
	require.Nil(t, got)
	require.NotNil(t, resp)
	require.Equal(t, http.StatusNotModified, resp.StatusCode)
}

func TestFollowsFollowErrors(t *testing.T) {
	c := newTestClient(t)
	mock("POST", "/users/99/follow").
		Reply(404).JSON(map[string]string{"message": "404 User Not Found"})
	mock("POST", "/users/4/follow").
		Reply(400).JSON(map[string]string{"message": "You can't follow more than 300 users. To follow more users, unfollow some others."})

	got, _, err := c.Follows.Follow(context.Background(), 99)
	require.ErrorIs(t, err, ErrNotFound)
	require.Nil(t, got)

	got, _, err = c.Follows.Follow(context.Background(), 4)
	require.ErrorIs(t, err, ErrBadRequest)
	require.Nil(t, got)
	var er *ErrorResponse
	require.ErrorAs(t, err, &er)
	require.Contains(t, er.Message, "You can't follow more than 300 users")
}

func TestFollowsFollowAndUnfollowAreRetried(t *testing.T) {
	// Both are idempotent POSTs, so a 502 is retried.
	cases := []struct {
		name string
		path string
		call func(*Client) (*User, *Response, error)
	}{
		{"follow", "/users/3/follow", func(c *Client) (*User, *Response, error) {
			return c.Follows.Follow(context.Background(), 3)
		}},
		{"unfollow", "/users/3/unfollow", func(c *Client) (*User, *Response, error) {
			return c.Follows.Unfollow(context.Background(), 3)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestClient(t, WithRetryMax(1), WithRetryWait(time.Millisecond, time.Millisecond))
			mock("POST", tc.path).Reply(502).BodyString(`{"message":"502 Bad Gateway"}`)
			mock("POST", tc.path).Reply(201).BodyString(string(fixture(t, "follow_user.json")))

			got, resp, err := tc.call(c)
			require.NoError(t, err)
			require.Equal(t, http.StatusCreated, resp.StatusCode)
			require.Equal(t, followJohn(), got)
		})
	}
}

// The list calls of FollowsService: the request each sends and what it
// decodes.
func TestFollowsList(t *testing.T) {
	pages := []string{"X-Total", "3", "X-Page", "1", "X-Next-Page", "2"}
	runEndpointCases(t, []endpointCase{
		{name: "Followers", method: "GET", path: "/users/3/followers", match: queryIs("page", "1", "per_page", "2"),
			headers: pages, fixture: "list_followers.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Follows.ListFollowers(ctx, 3, &ListOptions{Page: 1, PerPage: 2}))
			},
			want: followersWant()[:2],
			check: func(t *testing.T, resp *Response, _ error) {
				require.Equal(t, 3, resp.TotalItems)
				require.Equal(t, 2, resp.NextPage)
			}},
		{name: "Following", method: "GET", path: "/users/3/following", match: queryIs("page", "1", "per_page", "2"),
			headers: pages, fixture: "list_following.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Follows.ListFollowing(ctx, 3, &ListOptions{Page: 1, PerPage: 2}))
			},
			want:  followingWant()[:2],
			check: func(t *testing.T, resp *Response, _ error) { require.Equal(t, 3, resp.TotalItems) }},
		{name: "FollowersNilOptions", method: "GET", path: "/users/3/followers", match: queryIs(), fixture: "list_followers.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Follows.ListFollowers(ctx, 3, nil))
			},
			want: followersWant()[:2]},
		{name: "FollowingNilOptions", method: "GET", path: "/users/3/following", match: queryIs(), fixture: "list_following.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Follows.ListFollowing(ctx, 3, nil))
			},
			want: followingWant()[:2]},
		// A private profile is 404 for followers and following alike.
		{name: "PrivateProfile", method: "GET", path: "/users/7/followers",
			status: 404, json: map[string]string{"message": "404 User Not Found"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Follows.ListFollowers(ctx, 7, nil))
			},
			wantErr: ErrNotFound},
	})
}

// followMockPages registers two pages of path (two per page), the first
// announcing the second with X-Next-Page and both saying X-Total-Pages.
func followMockPages(t *testing.T, path, first, second string) {
	page1, page2 := mockTwoPages(t, path, first, second, "per_page", "2")
	page1.SetHeader("X-Total-Pages", "2")
	page2.SetHeader("X-Total-Pages", "2")
}

func TestFollowsListFollowersIter(t *testing.T) {
	c := newTestClient(t)
	followMockPages(t, "/users/3/followers", "list_followers.json", "list_followers_page_2.json")

	opt := &ListOptions{PerPage: 2}
	got := collect(t, c.Follows.ListFollowersIter(context.Background(), 3, opt))
	require.Equal(t, followersWant(), got)
	require.Equal(t, &ListOptions{PerPage: 2}, opt, "ListFollowersIter must not change the caller's options")
}

func TestFollowsListFollowingIter(t *testing.T) {
	c := newTestClient(t)
	followMockPages(t, "/users/3/following", "list_following.json", "list_following_page_2.json")

	opt := &ListOptions{PerPage: 2}
	got := collect(t, c.Follows.ListFollowingIter(context.Background(), 3, opt))
	require.Equal(t, followingWant(), got)
	require.Equal(t, &ListOptions{PerPage: 2}, opt, "ListFollowingIter must not change the caller's options")
}

func TestFollowsRoundTrip(t *testing.T) {
	assertRoundTrip[User](t, "follow_user.json")
	assertRoundTrip[User](t, "unfollow_user.json")
	for _, name := range []string{"list_followers.json", "list_followers_page_2.json", "list_following.json", "list_following_page_2.json"} {
		assertRoundTrip[[]*User](t, name)
	}
}
