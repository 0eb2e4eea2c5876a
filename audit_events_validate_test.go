package gitlab

import (
	"context"
	"slices"
)

// auditEventsBadArgs are the rows of badArgs for AuditEventsService.
func auditEventsBadArgs() []badArg {
	var nilCtx context.Context
	return slices.Concat(
		forIDs("AuditEvents.Get", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.AuditEvents.Get(ctx, id))
		}),
		forSources("AuditEvents.ListFor", func(ctx context.Context, c *Client, s Source) error {
			return rejected(c.AuditEvents.ListFor(ctx, s, nil))
		}),
		forSources("AuditEvents.ListForIter", func(ctx context.Context, c *Client, s Source) error {
			return rejectedIter(c.AuditEvents.ListForIter(ctx, s, nil))
		}),
		forSources("AuditEvents.GetFor", func(ctx context.Context, c *Client, s Source) error {
			return rejected(c.AuditEvents.GetFor(ctx, s, 1))
		}),
		forIDs("AuditEvents.GetFor", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.AuditEvents.GetFor(ctx, GroupID(7), id))
		}),
		[]badArg{
			{"AuditEvents.List", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.AuditEvents.List(nilCtx, nil)) }},
			{"AuditEvents.ListIter", "nil ctx", func(_ context.Context, c *Client) error {
				return rejectedIter(c.AuditEvents.ListIter(nilCtx, nil))
			}},
			{"AuditEvents.List", "entity_id without entity_type", func(ctx context.Context, c *Client) error {
				return rejected(c.AuditEvents.List(ctx, &ListAuditEventsOptions{EntityID: Ptr[int64](3)}))
			}},
			{"AuditEvents.ListIter", "entity_id without entity_type", func(ctx context.Context, c *Client) error {
				return rejectedIter(c.AuditEvents.ListIter(ctx, &ListAuditEventsOptions{EntityID: Ptr[int64](3)}))
			}},
			{"AuditEvents.List", "entity_id 0", func(ctx context.Context, c *Client) error {
				return rejected(c.AuditEvents.List(ctx, &ListAuditEventsOptions{EntityType: Ptr(AuditEventEntityUser), EntityID: Ptr[int64](0)}))
			}},
			{"AuditEvents.List", "entity_type users", func(ctx context.Context, c *Client) error {
				return rejected(c.AuditEvents.List(ctx, &ListAuditEventsOptions{EntityType: Ptr(AuditEventEntityType("users"))}))
			}},
			{"AuditEvents.List", "sort asc", func(ctx context.Context, c *Client) error {
				return rejected(c.AuditEvents.List(ctx, &ListAuditEventsOptions{Sort: Ptr(AuditEventSort("asc"))}))
			}},
			{"AuditEvents.ListFor", "pagination keysets", func(ctx context.Context, c *Client) error {
				return rejected(c.AuditEvents.ListFor(ctx, ProjectID(1), &ListAuditEventsForOptions{Pagination: Ptr(Pagination("keysets"))}))
			}},
			{"AuditEvents.ListFor", "nil ctx", func(_ context.Context, c *Client) error {
				return rejected(c.AuditEvents.ListFor(nilCtx, GroupID(1), nil))
			}},
		},
	)
}
