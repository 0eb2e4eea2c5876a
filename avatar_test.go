package gitlab

import (
	"context"
	"testing"
)

// GET /avatar: the email escaped in the query ("+" as %2B, "@" as
// %40), size only when set, and a null avatar_url read as "".
func TestUsersGetAvatar(t *testing.T) {
	runEndpointCases(t, []endpointCase{
		{name: "WithSize", method: "GET", path: "/avatar", match: queryIs("email", "jane+ops@example.com", "size", "80"),
			fixture: "get_avatar.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Users.GetAvatar(ctx, &GetAvatarOptions{Email: Ptr("jane+ops@example.com"), Size: Ptr(80)}))
			},
			want: &Avatar{AvatarURL: "https://www.gravatar.com/avatar/0bc83cb571cd1c50ba6f3e8a78ef1346?s=160&d=identicon"}},
		{name: "EmailOnly", method: "GET", path: "/avatar", match: []matcher{exactQuery("email=jane%2Bops%40example.com")},
			fixture: "get_avatar.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Users.GetAvatar(ctx, &GetAvatarOptions{Email: Ptr("jane+ops@example.com")}))
			},
			want: &Avatar{AvatarURL: "https://www.gravatar.com/avatar/0bc83cb571cd1c50ba6f3e8a78ef1346?s=160&d=identicon"}},
		{name: "GravatarDisabled", method: "GET", path: "/avatar", match: queryIs("email", "nobody@example.com"),
			fixture: "get_avatar_gravatar_disabled.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Users.GetAvatar(ctx, &GetAvatarOptions{Email: Ptr("nobody@example.com")}))
			},
			want: &Avatar{}},
		{name: "PublicVisibilityRestricted", method: "GET", path: "/avatar", match: queryIs("email", "jane@example.com"),
			status: 403, json: map[string]string{"message": "403 Forbidden - Unauthorized access"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.Users.GetAvatar(ctx, &GetAvatarOptions{Email: Ptr("jane@example.com")}))
			},
			wantErr: ErrForbidden, errMsg: "403 Forbidden - Unauthorized access"},
	})
}

func TestAvatarJSONRoundTrip(t *testing.T) {
	assertRoundTrip[Avatar](t, "get_avatar.json")
}
