package gitlab

import (
	"context"
	"slices"
)

// enterpriseUserBadArgs are the bad-argument rows of
// EnterpriseUsersService: each bad group ref, each bad user id, an
// unknown two-factor filter and a nil ctx.
func enterpriseUserBadArgs() []badArg {
	var nilCtx context.Context
	g := GroupID(1)
	unknown := &ListEnterpriseUsersOptions{TwoFactor: Ptr(TwoFactorFilter("on"))}
	return slices.Concat(
		forGroupRefs("EnterpriseUsers.List", func(ctx context.Context, c *Client, r GroupRef) error {
			return rejected(c.EnterpriseUsers.List(ctx, r, nil))
		}),
		forGroupRefs("EnterpriseUsers.ListIter", func(ctx context.Context, c *Client, r GroupRef) error {
			return rejectedIter(c.EnterpriseUsers.ListIter(ctx, r, nil))
		}),
		forGroupRefs("EnterpriseUsers.Get", func(ctx context.Context, c *Client, r GroupRef) error {
			return rejected(c.EnterpriseUsers.Get(ctx, r, 1))
		}),
		forIDs("EnterpriseUsers.Get", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.EnterpriseUsers.Get(ctx, g, id))
		}),
		forGroupRefs("EnterpriseUsers.Update", func(ctx context.Context, c *Client, r GroupRef) error {
			return rejected(c.EnterpriseUsers.Update(ctx, r, 1, &UpdateEnterpriseUserOptions{Name: Ptr("x")}))
		}),
		forIDs("EnterpriseUsers.Update", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.EnterpriseUsers.Update(ctx, g, id, &UpdateEnterpriseUserOptions{Name: Ptr("x")}))
		}),
		forGroupRefs("EnterpriseUsers.Delete", func(ctx context.Context, c *Client, r GroupRef) error {
			return rejectedResp(c.EnterpriseUsers.Delete(ctx, r, 1, nil))
		}),
		forIDs("EnterpriseUsers.Delete", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.EnterpriseUsers.Delete(ctx, g, id, &DeleteEnterpriseUserOptions{HardDelete: Ptr(true)}))
		}),
		forGroupRefs("EnterpriseUsers.DisableTwoFactor", func(ctx context.Context, c *Client, r GroupRef) error {
			return rejectedResp(c.EnterpriseUsers.DisableTwoFactor(ctx, r, 1))
		}),
		forIDs("EnterpriseUsers.DisableTwoFactor", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.EnterpriseUsers.DisableTwoFactor(ctx, g, id))
		}),
		[]badArg{
			{"EnterpriseUsers.List", "unknown two_factor", func(ctx context.Context, c *Client) error {
				return rejected(c.EnterpriseUsers.List(ctx, g, unknown))
			}},
			{"EnterpriseUsers.ListIter", "unknown two_factor", func(ctx context.Context, c *Client) error {
				return rejectedIter(c.EnterpriseUsers.ListIter(ctx, g, unknown))
			}},
			{"EnterpriseUsers.List", "nil ctx", func(_ context.Context, c *Client) error {
				return rejected(c.EnterpriseUsers.List(nilCtx, g, nil))
			}},
		},
	)
}
