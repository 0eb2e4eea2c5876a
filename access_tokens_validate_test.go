package gitlab

import (
	"context"
	"slices"
	"time"
)

// tokenBadArgs are the rows of badArgs for AccessTokensService and
// TokenInformationService.
func tokenBadArgs() []badArg {
	var nilCtx context.Context
	src := ProjectPath("a/b")
	create := func(mod func(*CreateAccessTokenOptions)) *CreateAccessTokenOptions {
		o := &CreateAccessTokenOptions{Name: Ptr("ci"), Scopes: []string{ScopeAPI}, ExpiresAt: isoDate(2030, time.January, 1)}
		mod(o)
		return o
	}
	a := func(name string) string { return "AccessTokens." + name }
	ti := func(name string) string { return "TokenInformation." + name }
	return slices.Concat(
		forSources(a("List"), func(ctx context.Context, c *Client, s Source) error {
			return rejected(c.AccessTokens.List(ctx, s, nil))
		}),
		forSources(a("ListIter"), func(ctx context.Context, c *Client, s Source) error {
			return rejectedIter(c.AccessTokens.ListIter(ctx, s, nil))
		}),
		forSources(a("Get"), func(ctx context.Context, c *Client, s Source) error { return rejected(c.AccessTokens.Get(ctx, s, 1)) }),
		forSources(a("Create"), func(ctx context.Context, c *Client, s Source) error {
			return rejected(c.AccessTokens.Create(ctx, s, create(func(*CreateAccessTokenOptions) {})))
		}),
		forSources(a("Rotate"), func(ctx context.Context, c *Client, s Source) error {
			return rejected(c.AccessTokens.Rotate(ctx, s, 1, nil))
		}),
		forSources(a("RotateCurrent"), func(ctx context.Context, c *Client, s Source) error {
			return rejected(c.AccessTokens.RotateCurrent(ctx, s, nil))
		}),
		forSources(a("Revoke"), func(ctx context.Context, c *Client, s Source) error {
			return rejectedResp(c.AccessTokens.Revoke(ctx, s, 1))
		}),
		forIDs(a("Get"), "token id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.AccessTokens.Get(ctx, src, id))
		}),
		forIDs(a("Rotate"), "token id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.AccessTokens.Rotate(ctx, src, id, nil))
		}),
		forIDs(a("Revoke"), "token id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.AccessTokens.Revoke(ctx, src, id))
		}),
		[]badArg{
			{a("List"), "state all", func(ctx context.Context, c *Client) error {
				return rejected(c.AccessTokens.List(ctx, src, &ListAccessTokensOptions{State: Ptr(TokenStateAll)}))
			}},
			{a("List"), "unknown state", func(ctx context.Context, c *Client) error {
				return rejected(c.AccessTokens.List(ctx, src, &ListAccessTokensOptions{State: Ptr(TokenState("expired"))}))
			}},
			{a("List"), "unknown sort", func(ctx context.Context, c *Client) error {
				return rejected(c.AccessTokens.List(ctx, src, &ListAccessTokensOptions{Sort: Ptr(PersonalAccessTokenSort("newest"))}))
			}},
			{a("ListIter"), "state all", func(ctx context.Context, c *Client) error {
				return rejectedIter(c.AccessTokens.ListIter(ctx, src, &ListAccessTokensOptions{State: Ptr(TokenStateAll)}))
			}},
			{a("List"), "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.AccessTokens.List(nilCtx, src, nil)) }},
			{a("Create"), "nil options", func(ctx context.Context, c *Client) error { return rejected(c.AccessTokens.Create(ctx, src, nil)) }},
			{a("Create"), "empty options", func(ctx context.Context, c *Client) error {
				return rejected(c.AccessTokens.Create(ctx, src, &CreateAccessTokenOptions{}))
			}},
			{a("Create"), "no name", func(ctx context.Context, c *Client) error {
				return rejected(c.AccessTokens.Create(ctx, src, create(func(o *CreateAccessTokenOptions) { o.Name = nil })))
			}},
			{a("Create"), "empty name", func(ctx context.Context, c *Client) error {
				return rejected(c.AccessTokens.Create(ctx, src, create(func(o *CreateAccessTokenOptions) { o.Name = Ptr("") })))
			}},
			{a("Create"), "no scopes", func(ctx context.Context, c *Client) error {
				return rejected(c.AccessTokens.Create(ctx, src, create(func(o *CreateAccessTokenOptions) { o.Scopes = nil })))
			}},
			{a("Create"), "empty scope", func(ctx context.Context, c *Client) error {
				return rejected(c.AccessTokens.Create(ctx, src, create(func(o *CreateAccessTokenOptions) { o.Scopes = []string{ScopeAPI, ""} })))
			}},
			{a("Create"), "minimal access level", func(ctx context.Context, c *Client) error {
				return rejected(c.AccessTokens.Create(ctx, src, create(func(o *CreateAccessTokenOptions) { o.AccessLevel = Ptr(AccessLevelMinimal) })))
			}},
			{a("Create"), "no access level", func(ctx context.Context, c *Client) error {
				return rejected(c.AccessTokens.Create(ctx, src, create(func(o *CreateAccessTokenOptions) { o.AccessLevel = Ptr(AccessLevelNone) })))
			}},
			{a("Create"), "admin access level", func(ctx context.Context, c *Client) error {
				return rejected(c.AccessTokens.Create(ctx, src, create(func(o *CreateAccessTokenOptions) { o.AccessLevel = Ptr(AccessLevelAdmin) })))
			}},
			{a("RotateCurrent"), "nil ctx", func(_ context.Context, c *Client) error {
				return rejected(c.AccessTokens.RotateCurrent(nilCtx, src, nil))
			}},
			{a("Revoke"), "nil ctx", func(_ context.Context, c *Client) error { return rejectedResp(c.AccessTokens.Revoke(nilCtx, src, 1)) }},
		},
		badTokens(ti("Get"), func(ctx context.Context, c *Client, token string) error {
			return rejected(c.TokenInformation.Get(ctx, token))
		}),
		badTokens(ti("Revoke"), func(ctx context.Context, c *Client, token string) error {
			return rejectedResp(c.TokenInformation.Revoke(ctx, token))
		}),
		[]badArg{
			{ti("Get"), "nil ctx", func(_ context.Context, c *Client) error {
				return rejected(c.TokenInformation.Get(nilCtx, "glpat-0123456789abcdefghij"))
			}},
			{ti("Revoke"), "nil ctx", func(_ context.Context, c *Client) error {
				return rejectedResp(c.TokenInformation.Revoke(nilCtx, "glpat-0123456789abcdefghij"))
			}},
		},
	)
}

// badTokenSecrets are secrets no GitLab token can be, each named.
var badTokenSecrets = []struct{ bad, token string }{
	{"empty token", ""},
	{"trailing newline", "glpat-0123456789abcdefghij\n"},
	{"trailing CRLF", "glpat-0123456789abcdefghij\r\n"},
	{"leading space", " glpat-0123456789abcdefghij"},
	{"inner space", "glpat-0123456789 abcdefghij"},
	{"tab", "glpat-0123456789\tabcdefghij"},
	{"NUL", "glpat-0123456789\x00abcdefghij"},
	{"no-break space", "glpat-0123456789\u00a0abcdefghij"},
	{"invalid UTF-8", "glpat-0123456789\xffabcdefghij"},
}

// badTokens is one case per secret in badTokenSecrets.
func badTokens(method string, call func(ctx context.Context, c *Client, token string) error) []badArg {
	var out []badArg
	for _, b := range badTokenSecrets {
		out = append(out, badArg{method, b.bad, func(ctx context.Context, c *Client) error { return call(ctx, c, b.token) }})
	}
	return out
}
