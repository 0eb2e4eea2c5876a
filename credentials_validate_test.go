package gitlab

import (
	"context"
	"slices"
)

// credentialsBadArgs are the rows of badArgs for DeployKeysService and
// for UsersService's ListEvents, ListEventsIter and GetAvatar.
func credentialsBadArgs() []badArg {
	var nilCtx context.Context
	return slices.Concat(
		forUserRefs("DeployKeys.ListForUser", func(ctx context.Context, c *Client, u UserRef) error {
			return rejected(c.DeployKeys.ListForUser(ctx, u, nil))
		}),
		forUserRefs("DeployKeys.ListForUserIter", func(ctx context.Context, c *Client, u UserRef) error {
			return rejectedIter(c.DeployKeys.ListForUserIter(ctx, u, nil))
		}),
		forUserRefs("Users.ListEvents", func(ctx context.Context, c *Client, u UserRef) error {
			return rejected(c.Users.ListEvents(ctx, u, nil))
		}),
		forUserRefs("Users.ListEventsIter", func(ctx context.Context, c *Client, u UserRef) error {
			return rejectedIter(c.Users.ListEventsIter(ctx, u, nil))
		}),
		[]badArg{
			{"DeployKeys.ListForUser", "nil ctx", func(_ context.Context, c *Client) error {
				return rejected(c.DeployKeys.ListForUser(nilCtx, Username("jane"), nil))
			}},
			{"DeployKeys.ListForUserIter", "nil ctx", func(_ context.Context, c *Client) error {
				return rejectedIter(c.DeployKeys.ListForUserIter(nilCtx, UserID(1), nil))
			}},
			{"DeployKeys.List", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.DeployKeys.List(nilCtx, nil)) }},
			{"DeployKeys.ListIter", "nil ctx", func(_ context.Context, c *Client) error {
				return rejectedIter(c.DeployKeys.ListIter(nilCtx, nil))
			}},
			{"Users.ListEvents", "nil ctx", func(_ context.Context, c *Client) error {
				return rejected(c.Users.ListEvents(nilCtx, UserID(1), nil))
			}},
			{"Users.ListEvents", "action epic", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.ListEvents(ctx, UserID(1), &ListUserEventsOptions{Action: Ptr(EventAction("epic"))}))
			}},
			{"Users.ListEvents", "target type epic (GitLab refuses it)", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.ListEvents(ctx, UserID(1), &ListUserEventsOptions{TargetType: Ptr(EventTargetType("epic"))}))
			}},
			{"Users.ListEvents", "target type in capitals", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.ListEvents(ctx, UserID(1), &ListUserEventsOptions{TargetType: Ptr(EventTargetType("Issue"))}))
			}},
			{"Users.ListEvents", "sort newest", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.ListEvents(ctx, UserID(1), &ListUserEventsOptions{Sort: Ptr(SortOrder("newest"))}))
			}},
			{"Users.ListEventsIter", "nil ctx", func(_ context.Context, c *Client) error {
				return rejectedIter(c.Users.ListEventsIter(nilCtx, Username("jane"), nil))
			}},
			{"Users.ListEventsIter", "action merge", func(ctx context.Context, c *Client) error {
				return rejectedIter(c.Users.ListEventsIter(ctx, UserID(1), &ListUserEventsOptions{Action: Ptr(EventAction("merge"))}))
			}},
			{"Users.GetAvatar", "nil ctx", func(_ context.Context, c *Client) error {
				return rejected(c.Users.GetAvatar(nilCtx, &GetAvatarOptions{Email: Ptr("a@example.com")}))
			}},
			{"Users.GetAvatar", "nil options", func(ctx context.Context, c *Client) error { return rejected(c.Users.GetAvatar(ctx, nil)) }},
			{"Users.GetAvatar", "empty email", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.GetAvatar(ctx, &GetAvatarOptions{Size: Ptr(80)}))
			}},
			{"Users.GetAvatar", "blank email", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.GetAvatar(ctx, &GetAvatarOptions{Email: Ptr(" \t")}))
			}},
		},
	)
}
