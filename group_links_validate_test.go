package gitlab

import (
	"context"
	"slices"
)

// groupLinksBadArgs are the rows of badArgs for SAMLGroupLinksService and
// LDAPGroupLinksService.
func groupLinksBadArgs() []badArg {
	var nilCtx context.Context
	g := GroupPath("a/b")
	saml := func(mod func(*CreateSAMLGroupLinkOptions)) *CreateSAMLGroupLinkOptions {
		o := &CreateSAMLGroupLinkOptions{SAMLGroupName: Ptr("devs"), AccessLevel: Ptr(AccessLevelDeveloper)}
		mod(o)
		return o
	}
	ldap := func(mod func(*CreateLDAPGroupLinkOptions)) *CreateLDAPGroupLinkOptions {
		o := &CreateLDAPGroupLinkOptions{CN: Ptr("devs"), GroupAccess: Ptr(AccessLevelDeveloper), Provider: Ptr("ldapmain")}
		mod(o)
		return o
	}
	createSAML := func(bad string, o *CreateSAMLGroupLinkOptions) badArg {
		return badArg{"SAMLGroupLinks.Create", bad, func(ctx context.Context, c *Client) error { return rejected(c.SAMLGroupLinks.Create(ctx, g, o)) }}
	}
	createLDAP := func(bad string, o *CreateLDAPGroupLinkOptions) badArg {
		return badArg{"LDAPGroupLinks.Create", bad, func(ctx context.Context, c *Client) error { return rejected(c.LDAPGroupLinks.Create(ctx, g, o)) }}
	}
	deleteLDAP := func(bad string, o *DeleteLDAPGroupLinkOptions) badArg {
		return badArg{"LDAPGroupLinks.Delete", bad, func(ctx context.Context, c *Client) error { return rejectedResp(c.LDAPGroupLinks.Delete(ctx, g, o)) }}
	}
	byProvider := forGroupRefs("LDAPGroupLinks.Delete", func(ctx context.Context, c *Client, r GroupRef) error {
		return rejectedResp(c.LDAPGroupLinks.Delete(ctx, r, &DeleteLDAPGroupLinkOptions{CN: Ptr("devs"), Provider: Ptr("ldapmain")}))
	})
	for i := range byProvider {
		byProvider[i].bad += ", by provider"
	}
	var levels []badArg
	for _, l := range []AccessLevel{AccessLevelNone, AccessLevelSecurityManager, AccessLevelAdmin, 13, -10} {
		levels = append(levels,
			createSAML("access level "+l.String(), saml(func(o *CreateSAMLGroupLinkOptions) { o.AccessLevel = &l })),
			createLDAP("group access "+l.String(), ldap(func(o *CreateLDAPGroupLinkOptions) { o.GroupAccess = &l })))
	}
	return slices.Concat(
		forGroupRefs("SAMLGroupLinks.List", func(ctx context.Context, c *Client, r GroupRef) error { return rejected(c.SAMLGroupLinks.List(ctx, r)) }),
		forGroupRefs("SAMLGroupLinks.Get", func(ctx context.Context, c *Client, r GroupRef) error {
			return rejected(c.SAMLGroupLinks.Get(ctx, r, "devs", nil))
		}),
		forGroupRefs("SAMLGroupLinks.Create", func(ctx context.Context, c *Client, r GroupRef) error {
			return rejected(c.SAMLGroupLinks.Create(ctx, r, saml(func(*CreateSAMLGroupLinkOptions) {})))
		}),
		forGroupRefs("SAMLGroupLinks.Delete", func(ctx context.Context, c *Client, r GroupRef) error {
			return rejectedResp(c.SAMLGroupLinks.Delete(ctx, r, "devs", nil))
		}),
		forGroupRefs("LDAPGroupLinks.List", func(ctx context.Context, c *Client, r GroupRef) error { return rejected(c.LDAPGroupLinks.List(ctx, r)) }),
		forGroupRefs("LDAPGroupLinks.Create", func(ctx context.Context, c *Client, r GroupRef) error {
			return rejected(c.LDAPGroupLinks.Create(ctx, r, ldap(func(*CreateLDAPGroupLinkOptions) {})))
		}),
		forGroupRefs("LDAPGroupLinks.Delete", func(ctx context.Context, c *Client, r GroupRef) error {
			return rejectedResp(c.LDAPGroupLinks.Delete(ctx, r, &DeleteLDAPGroupLinkOptions{CN: Ptr("devs")}))
		}),
		byProvider,
		forGroupRefs("LDAPGroupLinks.Sync", func(ctx context.Context, c *Client, r GroupRef) error {
			return rejectedResp(c.LDAPGroupLinks.Sync(ctx, r))
		}),
		levels,
		[]badArg{
			{"SAMLGroupLinks.List", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.SAMLGroupLinks.List(nilCtx, g)) }},
			{"SAMLGroupLinks.Get", "empty name", func(ctx context.Context, c *Client) error { return rejected(c.SAMLGroupLinks.Get(ctx, g, "", nil)) }},
			{"SAMLGroupLinks.Delete", "empty name", func(ctx context.Context, c *Client) error {
				return rejectedResp(c.SAMLGroupLinks.Delete(ctx, g, "", nil))
			}},
			createSAML("nil options", nil),
			createSAML("no name", saml(func(o *CreateSAMLGroupLinkOptions) { o.SAMLGroupName = nil })),
			createSAML("blank name", saml(func(o *CreateSAMLGroupLinkOptions) { o.SAMLGroupName = Ptr("  ") })),
			createSAML("no access level", saml(func(o *CreateSAMLGroupLinkOptions) { o.AccessLevel = nil })),
			{"LDAPGroupLinks.List", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.LDAPGroupLinks.List(nilCtx, g)) }},
			{"LDAPGroupLinks.Sync", "nil ctx", func(_ context.Context, c *Client) error { return rejectedResp(c.LDAPGroupLinks.Sync(nilCtx, g)) }},
			createLDAP("nil options", nil),
			createLDAP("cn and filter", ldap(func(o *CreateLDAPGroupLinkOptions) { o.Filter = Ptr("(ou=eng)") })),
			createLDAP("neither cn nor filter", ldap(func(o *CreateLDAPGroupLinkOptions) { o.CN = nil })),
			createLDAP("empty cn", ldap(func(o *CreateLDAPGroupLinkOptions) { o.CN = Ptr("") })),
			createLDAP("empty filter", ldap(func(o *CreateLDAPGroupLinkOptions) { o.CN, o.Filter = nil, Ptr("") })),
			createLDAP("no provider", ldap(func(o *CreateLDAPGroupLinkOptions) { o.Provider = nil })),
			createLDAP("empty provider", ldap(func(o *CreateLDAPGroupLinkOptions) { o.Provider = Ptr("") })),
			createLDAP("no group access", ldap(func(o *CreateLDAPGroupLinkOptions) { o.GroupAccess = nil })),
			deleteLDAP("nil options", nil),
			deleteLDAP("cn and filter", &DeleteLDAPGroupLinkOptions{CN: Ptr("devs"), Filter: Ptr("(ou=eng)"), Provider: Ptr("ldapmain")}),
			deleteLDAP("neither cn nor filter", &DeleteLDAPGroupLinkOptions{Provider: Ptr("ldapmain")}),
			deleteLDAP("empty cn", &DeleteLDAPGroupLinkOptions{CN: Ptr("")}),
			deleteLDAP("filter without provider", &DeleteLDAPGroupLinkOptions{Filter: Ptr("(ou=eng)")}),
			deleteLDAP("cn with a dot without provider", &DeleteLDAPGroupLinkOptions{CN: Ptr("ou.eng")}),
			deleteLDAP("empty provider", &DeleteLDAPGroupLinkOptions{CN: Ptr("devs"), Provider: Ptr("")}),
		},
	)
}
