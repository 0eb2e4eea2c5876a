package gitlab

import (
	"context"
	"slices"
)

// identityBadArgs are the rows of badArgs for SAMLIdentitiesService,
// SCIMIdentitiesService and GroupUsersService.
func identityBadArgs() []badArg {
	var nilCtx context.Context
	uid := &UpdateGroupIdentityOptions{ExternUID: Ptr("new")}
	var rows []badArg
	for _, svc := range []struct {
		name string
		of   func(*Client) groupIdentities
		iter func(*Client, context.Context, GroupRef) error
	}{
		{"SAMLIdentities", func(c *Client) groupIdentities { return c.SAMLIdentities },
			func(c *Client, ctx context.Context, g GroupRef) error {
				return rejectedIter(c.SAMLIdentities.ListIter(ctx, g))
			}},
		{"SCIMIdentities", func(c *Client) groupIdentities { return c.SCIMIdentities },
			func(c *Client, ctx context.Context, g GroupRef) error {
				return rejectedIter(c.SCIMIdentities.ListIter(ctx, g))
			}},
	} {
		m := func(name string) string { return svc.name + "." + name }
		rows = slices.Concat(rows,
			forGroupRefs(m("List"), func(ctx context.Context, c *Client, g GroupRef) error { return rejected(svc.of(c).List(ctx, g)) }),
			forGroupRefs(m("ListIter"), func(ctx context.Context, c *Client, g GroupRef) error { return svc.iter(c, ctx, g) }),
			forGroupRefs(m("Get"), func(ctx context.Context, c *Client, g GroupRef) error { return rejected(svc.of(c).Get(ctx, g, "u")) }),
			forGroupRefs(m("Update"), func(ctx context.Context, c *Client, g GroupRef) error {
				return rejected(svc.of(c).Update(ctx, g, "u", uid))
			}),
			forGroupRefs(m("Delete"), func(ctx context.Context, c *Client, g GroupRef) error {
				return rejectedResp(svc.of(c).Delete(ctx, g, "u"))
			}),
			[]badArg{
				{m("List"), "nil ctx", func(_ context.Context, c *Client) error { return rejected(svc.of(c).List(nilCtx, GroupID(1))) }},
				{m("ListIter"), "nil ctx", func(_ context.Context, c *Client) error { return svc.iter(c, nilCtx, GroupID(1)) }},
				{m("Get"), "empty uid", func(ctx context.Context, c *Client) error { return rejected(svc.of(c).Get(ctx, GroupID(1), "")) }},
				{m("Get"), "nil ctx", func(_ context.Context, c *Client) error { return rejected(svc.of(c).Get(nilCtx, GroupID(1), "u")) }},
				{m("Update"), "empty uid", func(ctx context.Context, c *Client) error {
					return rejected(svc.of(c).Update(ctx, GroupID(1), "", uid))
				}},
				{m("Update"), "nil options", func(ctx context.Context, c *Client) error {
					return rejected(svc.of(c).Update(ctx, GroupID(1), "u", nil))
				}},
				{m("Update"), "no extern_uid", func(ctx context.Context, c *Client) error {
					return rejected(svc.of(c).Update(ctx, GroupID(1), "u", &UpdateGroupIdentityOptions{}))
				}},
				{m("Update"), "empty extern_uid", func(ctx context.Context, c *Client) error {
					return rejected(svc.of(c).Update(ctx, GroupID(1), "u", &UpdateGroupIdentityOptions{ExternUID: Ptr("")}))
				}},
				{m("Delete"), "empty uid", func(ctx context.Context, c *Client) error { return rejectedResp(svc.of(c).Delete(ctx, GroupID(1), "")) }},
				{m("Delete"), "nil ctx", func(_ context.Context, c *Client) error {
					return rejectedResp(svc.of(c).Delete(nilCtx, GroupID(1), "u"))
				}},
			})
	}
	return slices.Concat(rows,
		forGroupRefs("GroupUsers.ListSAML", func(ctx context.Context, c *Client, g GroupRef) error {
			return rejected(c.GroupUsers.ListSAML(ctx, g, nil))
		}),
		forGroupRefs("GroupUsers.ListSAMLIter", func(ctx context.Context, c *Client, g GroupRef) error {
			return rejectedIter(c.GroupUsers.ListSAMLIter(ctx, g, nil))
		}),
		forGroupRefs("GroupUsers.ListProvisioned", func(ctx context.Context, c *Client, g GroupRef) error {
			return rejected(c.GroupUsers.ListProvisioned(ctx, g, nil))
		}),
		forGroupRefs("GroupUsers.ListProvisionedIter", func(ctx context.Context, c *Client, g GroupRef) error {
			return rejectedIter(c.GroupUsers.ListProvisionedIter(ctx, g, nil))
		}),
		[]badArg{
			{"GroupUsers.ListSAML", "nil ctx", func(_ context.Context, c *Client) error {
				return rejected(c.GroupUsers.ListSAML(nilCtx, GroupID(1), nil))
			}},
			{"GroupUsers.ListSAMLIter", "nil ctx", func(_ context.Context, c *Client) error {
				return rejectedIter(c.GroupUsers.ListSAMLIter(nilCtx, GroupID(1), nil))
			}},
			{"GroupUsers.ListProvisioned", "nil ctx", func(_ context.Context, c *Client) error {
				return rejected(c.GroupUsers.ListProvisioned(nilCtx, GroupID(1), nil))
			}},
			{"GroupUsers.ListProvisionedIter", "nil ctx", func(_ context.Context, c *Client) error {
				return rejectedIter(c.GroupUsers.ListProvisionedIter(nilCtx, GroupID(1), nil))
			}},
		},
	)
}
