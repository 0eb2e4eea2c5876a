package gitlab

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// groupRefCases are the ways to name a group, each with the path
// prefix it must become.
var groupRefCases = []struct {
	name   string
	ref    GroupRef
	prefix string
}{
	{"group id", GroupID(33), "/groups/33"},
	{"group path", GroupPath("platform/infra"), "/groups/platform%2Finfra"},
}

func samlLinksWant() []*SAMLGroupLink {
	return []*SAMLGroupLink{
		{Name: "saml-group-1", AccessLevel: AccessLevelGuest},
		{Name: "saml-group-2", AccessLevel: AccessLevelMaintainer, MemberRoleID: Ptr(int64(12)), Provider: Ptr("saml-okta")},
	}
}

func ldapLinksWant() []*LDAPGroupLink {
	return []*LDAPGroupLink{
		{CN: Ptr("group1"), GroupAccess: AccessLevelMaintainer, Provider: "ldapmain"},
		{GroupAccess: AccessLevelGuest, Provider: "ldapmain", Filter: Ptr("(department=Engineering)"), MemberRoleID: Ptr(int64(7))},
	}
}

func TestSAMLGroupLinks(t *testing.T) {
	one := &SAMLGroupLink{Name: "saml-group-with.period", AccessLevel: AccessLevelMaintainer, MemberRoleID: Ptr(int64(12)), Provider: Ptr("saml-okta")}
	for _, gc := range groupRefCases {
		g, p := gc.ref, gc.prefix+"/saml_group_links"
		t.Run(gc.name, func(t *testing.T) {
			runEndpointCases(t, []endpointCase{
				{name: "List", method: "GET", path: p, match: queryIs(), fixture: "list_saml_group_links.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.SAMLGroupLinks.List(ctx, g))
					},
					want: samlLinksWant()},
				{name: "ListDenied", method: "GET", path: p, status: 401, json: map[string]string{"message": "401 Unauthorized"},
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.SAMLGroupLinks.List(ctx, g))
					},
					wantErr: ErrUnauthorized, errMsg: "401 Unauthorized"},
				{name: "Get", method: "GET", path: p + "/saml-group-with.period", match: queryIs(), fixture: "get_saml_group_link.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.SAMLGroupLinks.Get(ctx, g, "saml-group-with.period", nil))
					},
					want: one},
				{name: "GetEscapedByProvider", method: "GET", path: p + "/a%2Fb%20c", match: queryIs("provider", "saml-okta"),
					fixture: "get_saml_group_link.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.SAMLGroupLinks.Get(ctx, g, "a/b c", &GetSAMLGroupLinkOptions{Provider: Ptr("saml-okta")}))
					},
					want: one},
				{name: "GetNoProvider", method: "GET", path: p + "/%2E%2E", match: queryIs("provider", ""),
					fixture: "get_saml_group_link.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.SAMLGroupLinks.Get(ctx, g, "..", &GetSAMLGroupLinkOptions{Provider: Ptr("")}))
					},
					want: one},
				{name: "GetAmbiguous", method: "GET", path: p + "/shared", status: 422, fixture: "error_422_saml_group_link_ambiguous.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.SAMLGroupLinks.Get(ctx, g, "shared", nil))
					},
					errMsg: "Multiple group links found with the same name. Please specify a provider parameter to disambiguate."},
				{name: "GetMissing", method: "GET", path: p + "/none", status: 404, json: map[string]string{"message": "404 Not Found"},
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.SAMLGroupLinks.Get(ctx, g, "none", nil))
					},
					wantErr: ErrNotFound, errMsg: "404 Not Found"},
				{name: "Create", method: "POST", path: p, status: 201, fixture: "get_saml_group_link.json",
					match: formIs("saml_group_name", "saml-group-with.period", "access_level", "40", "member_role_id", "12", "provider", "saml-okta"),
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.SAMLGroupLinks.Create(ctx, g, &CreateSAMLGroupLinkOptions{SAMLGroupName: Ptr("saml-group-with.period"),
							AccessLevel: Ptr(AccessLevelMaintainer), MemberRoleID: Ptr(int64(12)), Provider: Ptr("saml-okta")}))
					},
					want: one},
				{name: "CreateMinimalAccess", method: "POST", path: p, status: 201, fixture: "get_saml_group_link.json",
					match: formIs("saml_group_name", "g", "access_level", "5"),
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.SAMLGroupLinks.Create(ctx, g, &CreateSAMLGroupLinkOptions{SAMLGroupName: Ptr("g"), AccessLevel: Ptr(AccessLevelMinimal)}))
					},
					want: one},
				{name: "CreateTaken", method: "POST", path: p, status: 400,
					json: map[string]string{"message": "Saml group name has already been taken"},
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.SAMLGroupLinks.Create(ctx, g, &CreateSAMLGroupLinkOptions{SAMLGroupName: Ptr("g"), AccessLevel: Ptr(AccessLevelGuest)}))
					},
					wantErr: ErrBadRequest, errMsg: "Saml group name has already been taken"},
				{name: "Delete", method: "DELETE", path: p + "/saml-group-1", match: queryIs(), status: 204,
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.SAMLGroupLinks.Delete(ctx, g, "saml-group-1", nil))
					}},
				{name: "DeleteByProvider", method: "DELETE", path: p + "/saml-group-1", match: queryIs("provider", "saml-okta"), status: 204,
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.SAMLGroupLinks.Delete(ctx, g, "saml-group-1", &DeleteSAMLGroupLinkOptions{Provider: Ptr("saml-okta")}))
					}},
			})
		})
	}
}

func TestLDAPGroupLinks(t *testing.T) {
	for _, gc := range groupRefCases {
		g, p := gc.ref, gc.prefix+"/ldap_group_links"
		t.Run(gc.name, func(t *testing.T) {
			runEndpointCases(t, []endpointCase{
				{name: "List", method: "GET", path: p, match: queryIs(), fixture: "list_ldap_group_links.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.LDAPGroupLinks.List(ctx, g))
					},
					want: ldapLinksWant()},
				// GitLab's 404 for no links is an empty list.
				{name: "ListNone", method: "GET", path: p, status: 404, fixture: "error_404_ldap_no_links.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.LDAPGroupLinks.List(ctx, g))
					},
					want: []*LDAPGroupLink{}},
				// Any other 404 (a GitLab without the route) stays an error.
				{name: "ListNoRoute", method: "GET", path: p, status: 404, json: map[string]string{"error": "404 Not Found"},
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.LDAPGroupLinks.List(ctx, g))
					},
					wantErr: ErrNotFound, errMsg: "404 Not Found"},
				{name: "ListDenied", method: "GET", path: p, status: 403, json: map[string]string{"message": "403 Forbidden"},
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.LDAPGroupLinks.List(ctx, g))
					},
					wantErr: ErrForbidden, errMsg: "403 Forbidden"},
				{name: "CreateByCN", method: "POST", path: p, status: 201, fixture: "create_ldap_group_link.json",
					match: formIs("cn", "group1", "group_access", "30", "provider", "ldapmain"),
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.LDAPGroupLinks.Create(ctx, g, &CreateLDAPGroupLinkOptions{CN: Ptr("group1"),
							GroupAccess: Ptr(AccessLevelDeveloper), Provider: Ptr("ldapmain")}))
					},
					want: &LDAPGroupLink{CN: Ptr("group1"), GroupAccess: AccessLevelDeveloper, Provider: "ldapmain"}},
				{name: "CreateByFilter", method: "POST", path: p, status: 201, fixture: "create_ldap_group_link.json",
					match: formIs("filter", "(&(ou=eng)(l=Paris))", "group_access", "10", "provider", "ldapmain", "member_role_id", "7"),
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.LDAPGroupLinks.Create(ctx, g, &CreateLDAPGroupLinkOptions{Filter: Ptr("(&(ou=eng)(l=Paris))"),
							GroupAccess: Ptr(AccessLevelGuest), Provider: Ptr("ldapmain"), MemberRoleID: Ptr(int64(7))}))
					},
					want: &LDAPGroupLink{CN: Ptr("group1"), GroupAccess: AccessLevelDeveloper, Provider: "ldapmain"}},
				{name: "CreateTaken", method: "POST", path: p, status: 409, json: map[string]string{"message": "Cn has already been taken"},
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.LDAPGroupLinks.Create(ctx, g, &CreateLDAPGroupLinkOptions{CN: Ptr("group1"),
							GroupAccess: Ptr(AccessLevelDeveloper), Provider: Ptr("ldapmain")}))
					},
					wantErr: ErrConflict, errMsg: "Cn has already been taken"},
				{name: "DeleteByCN", method: "DELETE", path: p + "/a%2Fb%20c", match: queryIs(), status: 204,
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.LDAPGroupLinks.Delete(ctx, g, &DeleteLDAPGroupLinkOptions{CN: Ptr("a/b c")}))
					}},
				{name: "DeleteByProviderAndCN", method: "DELETE", path: p, match: append(queryIs("cn", "ou.eng", "provider", "ldapmain"), noBody), status: 204,
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.LDAPGroupLinks.Delete(ctx, g, &DeleteLDAPGroupLinkOptions{CN: Ptr("ou.eng"), Provider: Ptr("ldapmain")}))
					}},
				{name: "DeleteByFilter", method: "DELETE", path: p, match: queryIs("filter", "(ou=eng)", "provider", "ldapmain"), status: 204,
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.LDAPGroupLinks.Delete(ctx, g, &DeleteLDAPGroupLinkOptions{Filter: Ptr("(ou=eng)"), Provider: Ptr("ldapmain")}))
					}},
				{name: "DeleteMissing", method: "DELETE", path: p + "/none", status: 404, json: map[string]string{"message": "Linked LDAP group not found"},
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.LDAPGroupLinks.Delete(ctx, g, &DeleteLDAPGroupLinkOptions{CN: Ptr("none")}))
					},
					wantErr: ErrNotFound, errMsg: "Linked LDAP group not found"},
				{name: "Sync", method: "POST", path: gc.prefix + "/ldap_sync", match: []matcher{noBody}, status: 202, body: "202",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.LDAPGroupLinks.Sync(ctx, g))
					}},
				{name: "SyncOff", method: "POST", path: gc.prefix + "/ldap_sync", status: 404, json: map[string]string{"message": "404 Not Found"},
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.LDAPGroupLinks.Sync(ctx, g))
					},
					wantErr: ErrNotFound, errMsg: "404 Not Found"},
			})
		})
	}
}

// Sync is retried like a PUT (a repeat queues nothing more); Create is
// not, since a repeat of an applied first attempt answers 409.
func TestGroupLinksRetries(t *testing.T) {
	c := newTestClient(t, WithRetryMax(1), WithRetryWait(0, 0))
	mock("POST", "/groups/1/ldap_sync").Reply(http.StatusBadGateway)
	mock("POST", "/groups/1/ldap_sync").Reply(http.StatusAccepted).BodyString("202")
	resp, err := c.LDAPGroupLinks.Sync(context.Background(), GroupID(1))
	require.NoError(t, err)
	require.Equal(t, http.StatusAccepted, resp.StatusCode)

	mock("POST", "/groups/1/ldap_group_links").Reply(http.StatusBadGateway)
	_, _, err = c.LDAPGroupLinks.Create(context.Background(), GroupID(1),
		&CreateLDAPGroupLinkOptions{CN: Ptr("g"), GroupAccess: Ptr(AccessLevelGuest), Provider: Ptr("ldapmain")})
	var er *ErrorResponse
	require.ErrorAs(t, err, &er)
	require.Equal(t, 1, er.Attempts)
}

func TestGroupLinksRoundTrip(t *testing.T) {
	assertRoundTrip[[]*SAMLGroupLink](t, "list_saml_group_links.json")
	assertRoundTrip[SAMLGroupLink](t, "get_saml_group_link.json")
	assertRoundTrip[[]*LDAPGroupLink](t, "list_ldap_group_links.json")
	assertRoundTrip[LDAPGroupLink](t, "create_ldap_group_link.json")
}
