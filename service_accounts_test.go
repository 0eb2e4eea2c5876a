package gitlab

import (
	"context"
	"iter"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func serviceAccountListWant() []*ServiceAccount {
	return []*ServiceAccount{
		{ID: 114, Username: "service_account_33", Name: "Service account user",
			Email: "service_account_33@noreply.gitlab.example.com", External: true},
		{ID: 137, Username: "service_account_group_345_6018816a18e515214e0c34c2b33523fc", Name: "john doe",
			Email:            "service_account_group_345_6018816a18e515214e0c34c2b33523fc@noreply.gitlab.example.com",
			UnconfirmedEmail: "custom_email@example.com"},
	}
}

func serviceAccountCreateWant() *ServiceAccount {
	return &ServiceAccount{ID: 57, Username: "service_account_6018816a18e515214e0c34c2b33523fc", Name: "Service account user",
		Email: "service_account_6018816a18e515214e0c34c2b33523fc@noreply.gitlab.example.com", External: true}
}

func serviceAccountUpdateWant() *ServiceAccount {
	return &ServiceAccount{ID: 57, Username: "deploy-bot", Name: "Updated Service Account",
		Email:            "service_account_6018816a18e515214e0c34c2b33523fc@noreply.gitlab.example.com",
		UnconfirmedEmail: "custom_email@example.com"}
}

func TestServiceAccountsListIter(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/service_accounts").AddMatcher(exactQuery(form("per_page", "2"))).
		Reply(200).SetHeader("X-Next-Page", "2").
		BodyString(string(fixture(t, "list_service_accounts.json")))
	mock("GET", "/service_accounts").AddMatcher(exactQuery(form("page", "2", "per_page", "2"))).
		Reply(200).SetHeader("X-Next-Page", "").
		BodyString("[" + string(fixture(t, "create_service_account.json")) + "]")
	got := collect(t, c.ServiceAccounts.ListIter(context.Background(), &ListServiceAccountsOptions{ListOptions: ListOptions{PerPage: 2}}))
	require.Equal(t, append(serviceAccountListWant(), serviceAccountCreateWant()), got)
}

// The instance-wide calls of ServiceAccountsService: the request each
// sends and what it decodes.
func TestServiceAccounts(t *testing.T) {
	runEndpointCases(t, []endpointCase{
		{name: "List", method: "GET", path: "/service_accounts",
			match:   queryIs("order_by", "username", "page", "2", "per_page", "2", "sort", "asc"),
			headers: []string{"X-Total", "4"}, fixture: "list_service_accounts.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.ServiceAccounts.List(ctx, &ListServiceAccountsOptions{
					ListOptions: ListOptions{Page: 2, PerPage: 2},
					OrderBy:     Ptr(ServiceAccountOrderByUsername), Sort: Ptr(SortOrderAsc),
				}))
			},
			want:  serviceAccountListWant(),
			check: func(t *testing.T, resp *Response, _ error) { require.Equal(t, 4, resp.TotalItems) }},
		{name: "Create", method: "POST", path: "/service_accounts",
			match:  formIs("email", "bot@example.com", "external", "false", "name", "Deploy", "username", "deploy-bot"),
			status: 201, fixture: "create_service_account.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.ServiceAccounts.Create(ctx, &CreateServiceAccountOptions{
					Name: Ptr("Deploy"), Username: Ptr("deploy-bot"), Email: Ptr("bot@example.com"), External: Ptr(false),
				}))
			},
			want: serviceAccountCreateWant()},
		{name: "CreateDefaults", method: "POST", path: "/service_accounts", match: formIs(),
			status: 201, fixture: "create_service_account.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.ServiceAccounts.Create(ctx, nil))
			},
			want: serviceAccountCreateWant()},
		{name: "Update", method: "PATCH", path: "/service_accounts/57",
			match:   formIs("email", "custom_email@example.com", "name", "Updated Service Account", "username", "deploy-bot"),
			fixture: "update_service_account.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.ServiceAccounts.Update(ctx, 57, &UpdateServiceAccountOptions{
					Name: Ptr("Updated Service Account"), Username: Ptr("deploy-bot"), Email: Ptr("custom_email@example.com"),
				}))
			},
			want: serviceAccountUpdateWant()},
		{name: "UpdateNotAServiceAccount", method: "PATCH", path: "/service_accounts/2",
			status: 400, json: map[string]string{"message": "User is not a service account"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.ServiceAccounts.Update(ctx, 2, &UpdateServiceAccountOptions{Name: Ptr("x")}))
			},
			wantErr: ErrBadRequest, errMsg: "User is not a service account"},
	})
}

// ownedAccounts are the ten service-account methods of one kind of
// owner (group or project), as method expressions over its ref type R,
// so that a test can run the same case against both kinds.
type ownedAccounts[R any] struct {
	kind           string // "Group" or "Project", as the methods end
	list           func(*ServiceAccountsService, context.Context, R, *ListServiceAccountsOptions, ...RequestOption) ([]*ServiceAccount, *Response, error)
	listIter       func(*ServiceAccountsService, context.Context, R, *ListServiceAccountsOptions, ...RequestOption) iter.Seq2[*ServiceAccount, error]
	create         func(*ServiceAccountsService, context.Context, R, *CreateServiceAccountOptions, ...RequestOption) (*ServiceAccount, *Response, error)
	update         func(*ServiceAccountsService, context.Context, R, int64, *UpdateServiceAccountOptions, ...RequestOption) (*ServiceAccount, *Response, error)
	del            func(*ServiceAccountsService, context.Context, R, int64, *DeleteServiceAccountOptions, ...RequestOption) (*Response, error)
	listTokens     func(*ServiceAccountsService, context.Context, R, int64, *ListServiceAccountTokensOptions, ...RequestOption) ([]*PersonalAccessToken, *Response, error)
	listTokensIter func(*ServiceAccountsService, context.Context, R, int64, *ListServiceAccountTokensOptions, ...RequestOption) iter.Seq2[*PersonalAccessToken, error]
	createToken    func(*ServiceAccountsService, context.Context, R, int64, *CreatePersonalAccessTokenOptions, ...RequestOption) (*PersonalAccessToken, *Response, error)
	revokeToken    func(*ServiceAccountsService, context.Context, R, int64, int64, ...RequestOption) (*Response, error)
	rotateToken    func(*ServiceAccountsService, context.Context, R, int64, int64, *RotatePersonalAccessTokenOptions, ...RequestOption) (*PersonalAccessToken, *Response, error)
}

var groupAccounts = ownedAccounts[GroupRef]{"Group",
	(*ServiceAccountsService).ListForGroup, (*ServiceAccountsService).ListForGroupIter,
	(*ServiceAccountsService).CreateForGroup, (*ServiceAccountsService).UpdateForGroup, (*ServiceAccountsService).DeleteForGroup,
	(*ServiceAccountsService).ListTokensForGroup, (*ServiceAccountsService).ListTokensForGroupIter,
	(*ServiceAccountsService).CreateTokenForGroup, (*ServiceAccountsService).RevokeTokenForGroup, (*ServiceAccountsService).RotateTokenForGroup,
}

var projectAccounts = ownedAccounts[ProjectRef]{"Project",
	(*ServiceAccountsService).ListForProject, (*ServiceAccountsService).ListForProjectIter,
	(*ServiceAccountsService).CreateForProject, (*ServiceAccountsService).UpdateForProject, (*ServiceAccountsService).DeleteForProject,
	(*ServiceAccountsService).ListTokensForProject, (*ServiceAccountsService).ListTokensForProjectIter,
	(*ServiceAccountsService).CreateTokenForProject, (*ServiceAccountsService).RevokeTokenForProject, (*ServiceAccountsService).RotateTokenForProject,
}

// scopeCase is the methods of one kind of owner bound to one way of
// naming the owner, with the path segment it must produce.
type scopeCase struct {
	name    string
	prefix  string // "/groups/<ref>" or "/projects/<ref>"
	list    func(*Client) ([]*ServiceAccount, *Response, error)
	iter    func(*Client) iter.Seq2[*ServiceAccount, error]
	create  func(*Client, *CreateServiceAccountOptions) (*ServiceAccount, *Response, error)
	update  func(*Client, int64, *UpdateServiceAccountOptions) (*ServiceAccount, *Response, error)
	del     func(*Client, int64, *DeleteServiceAccountOptions) (*Response, error)
	tokens  func(*Client, int64, *ListServiceAccountTokensOptions) ([]*PersonalAccessToken, *Response, error)
	tokIter func(*Client, int64, *ListServiceAccountTokensOptions) iter.Seq2[*PersonalAccessToken, error]
	create2 func(*Client, int64, *CreatePersonalAccessTokenOptions) (*PersonalAccessToken, *Response, error)
	revoke  func(*Client, int64, int64) (*Response, error)
	rotate  func(*Client, int64, int64, *RotatePersonalAccessTokenOptions) (*PersonalAccessToken, *Response, error)
}

func ownerCase[R any](m ownedAccounts[R], ref R, prefix string) scopeCase {
	ctx := context.Background()
	sorted := func() *ListServiceAccountsOptions {
		return &ListServiceAccountsOptions{OrderBy: Ptr(ServiceAccountOrderByID), Sort: Ptr(SortOrderDesc)}
	}
	return scopeCase{
		name: strings.ToLower(m.kind) + " " + prefix, prefix: prefix,
		list: func(c *Client) ([]*ServiceAccount, *Response, error) {
			return m.list(c.ServiceAccounts, ctx, ref, sorted())
		},
		iter: func(c *Client) iter.Seq2[*ServiceAccount, error] {
			return m.listIter(c.ServiceAccounts, ctx, ref, sorted())
		},
		create: func(c *Client, o *CreateServiceAccountOptions) (*ServiceAccount, *Response, error) {
			return m.create(c.ServiceAccounts, ctx, ref, o)
		},
		update: func(c *Client, id int64, o *UpdateServiceAccountOptions) (*ServiceAccount, *Response, error) {
			return m.update(c.ServiceAccounts, ctx, ref, id, o)
		},
		del: func(c *Client, id int64, o *DeleteServiceAccountOptions) (*Response, error) {
			return m.del(c.ServiceAccounts, ctx, ref, id, o)
		},
		tokens: func(c *Client, id int64, o *ListServiceAccountTokensOptions) ([]*PersonalAccessToken, *Response, error) {
			return m.listTokens(c.ServiceAccounts, ctx, ref, id, o)
		},
		tokIter: func(c *Client, id int64, o *ListServiceAccountTokensOptions) iter.Seq2[*PersonalAccessToken, error] {
			return m.listTokensIter(c.ServiceAccounts, ctx, ref, id, o)
		},
		create2: func(c *Client, id int64, o *CreatePersonalAccessTokenOptions) (*PersonalAccessToken, *Response, error) {
			return m.createToken(c.ServiceAccounts, ctx, ref, id, o)
		},
		revoke: func(c *Client, id, tok int64) (*Response, error) {
			return m.revokeToken(c.ServiceAccounts, ctx, ref, id, tok)
		},
		rotate: func(c *Client, id, tok int64, o *RotatePersonalAccessTokenOptions) (*PersonalAccessToken, *Response, error) {
			return m.rotateToken(c.ServiceAccounts, ctx, ref, id, tok, o)
		},
	}
}

func scopedCases() []scopeCase {
	return []scopeCase{
		ownerCase[GroupRef](groupAccounts, GroupID(345), "/groups/345"),
		ownerCase[GroupRef](groupAccounts, GroupPath("parent/child"), "/groups/parent%2Fchild"),
		ownerCase[ProjectRef](projectAccounts, ProjectID(7), "/projects/7"),
		ownerCase[ProjectRef](projectAccounts, ProjectPath("group/sub/app"), "/projects/group%2Fsub%2Fapp"),
	}
}

func TestServiceAccountsScoped(t *testing.T) {
	for _, sc := range scopedCases() {
		t.Run(sc.name, func(t *testing.T) {
			c := newTestClient(t)
			base := sc.prefix + "/service_accounts"
			mock("GET", base).AddMatcher(exactQuery(form("order_by", "id", "sort", "desc"))).
				Reply(200).BodyString(string(fixture(t, "list_service_accounts.json")))
			got, _, err := sc.list(c)
			require.NoError(t, err)
			require.Equal(t, serviceAccountListWant(), got)

			mock("GET", base).AddMatcher(exactQuery(form("order_by", "id", "sort", "desc"))).
				Reply(200).BodyString(string(fixture(t, "list_service_accounts.json")))
			require.Equal(t, serviceAccountListWant(), collect(t, sc.iter(c)))

			mock("POST", base).AddMatcher(exactForm(form("email", "bot@example.com", "name", "Deploy", "username", "deploy-bot"))).
				Reply(201).BodyString(string(fixture(t, "create_service_account.json")))
			sa, resp, err := sc.create(c, &CreateServiceAccountOptions{Name: Ptr("Deploy"), Username: Ptr("deploy-bot"), Email: Ptr("bot@example.com")})
			require.NoError(t, err)
			require.Equal(t, 201, resp.StatusCode)
			require.Equal(t, serviceAccountCreateWant(), sa)

			mock("PATCH", base+"/57").AddMatcher(exactForm(form("name", "Updated Service Account"))).
				Reply(200).BodyString(string(fixture(t, "update_service_account.json")))
			sa, _, err = sc.update(c, 57, &UpdateServiceAccountOptions{Name: Ptr("Updated Service Account")})
			require.NoError(t, err)
			require.Equal(t, serviceAccountUpdateWant(), sa)

			mock("DELETE", base+"/57").AddMatcher(exactQuery(form("hard_delete", "true"))).Reply(204)
			resp, err = sc.del(c, 57, &DeleteServiceAccountOptions{HardDelete: Ptr(true)})
			require.NoError(t, err)
			require.Equal(t, 204, resp.StatusCode)

			toks := base + "/57/personal_access_tokens"
			mock("GET", toks).AddMatcher(exactQuery(form(
				"created_after", "2025-01-01T00:00:00Z", "created_before", "2025-03-27T00:00:00Z",
				"expires_after", "2025-04-01", "expires_before", "2025-05-01",
				"last_used_after", "2025-02-01T00:00:00Z", "last_used_before", "2025-02-02T00:00:00Z",
				"per_page", "10", "revoked", "true", "search", "token2b", "sort", "id_desc", "state", "inactive"))).
				Reply(200).BodyString(string(fixture(t, "list_personal_access_tokens.json")))
			topt := &ListServiceAccountTokensOptions{
				ListOptions:    ListOptions{PerPage: 10},
				State:          Ptr(TokenStateInactive),
				Revoked:        Ptr(true),
				CreatedBefore:  Ptr(time.Date(2025, 3, 27, 0, 0, 0, 0, time.UTC)),
				CreatedAfter:   Ptr(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)),
				LastUsedBefore: Ptr(time.Date(2025, 2, 2, 0, 0, 0, 0, time.UTC)),
				LastUsedAfter:  Ptr(time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)),
				ExpiresBefore:  isoDate(2025, time.May, 1),
				ExpiresAfter:   isoDate(2025, time.April, 1),
				Search:         Ptr("token2b"),
				Sort:           Ptr(PersonalAccessTokenSortIDDesc),
			}
			list, _, err := sc.tokens(c, 57, topt)
			require.NoError(t, err)
			require.Equal(t, patListWant(t), list)

			mock("GET", toks).AddMatcher(exactQuery("")).
				Reply(200).BodyString(string(fixture(t, "list_personal_access_tokens.json")))
			require.Equal(t, patListWant(t), collect(t, sc.tokIter(c, 57, nil)))

			mock("POST", toks).AddMatcher(exactForm(form("expires_at", "2025-06-01", "name", "deploy", "scopes[]", "api"))).
				Reply(201).BodyString(string(fixture(t, "rotate_personal_access_token.json")))
			tok, _, err := sc.create2(c, 57, &CreatePersonalAccessTokenOptions{Name: Ptr("deploy"), Scopes: []string{ScopeAPI},
				ExpiresAt: isoDate(2025, time.June, 1)})
			require.NoError(t, err)
			require.Equal(t, patRotateWant(t), tok)

			mock("DELETE", toks+"/41").AddMatcher(exactQuery("")).Reply(204)
			resp, err = sc.revoke(c, 57, 41)
			require.NoError(t, err)
			require.Equal(t, 204, resp.StatusCode)

			mock("POST", toks+"/41/rotate").AddMatcher(exactForm(form("expires_at", "2023-08-15"))).
				Reply(200).BodyString(string(fixture(t, "rotate_personal_access_token.json")))
			tok, _, err = sc.rotate(c, 57, 41, &RotatePersonalAccessTokenOptions{ExpiresAt: isoDate(2023, time.August, 15)})
			require.NoError(t, err)
			require.Equal(t, patRotateWant(t), tok)
		})
	}
}

func TestServiceAccountsRoundTrip(t *testing.T) {
	assertRoundTrip[[]*ServiceAccount](t, "list_service_accounts.json")
	assertRoundTrip[ServiceAccount](t, "create_service_account.json")
	assertRoundTrip[ServiceAccount](t, "update_service_account.json")
}
