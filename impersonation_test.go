package gitlab

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// impersonationListWant is list_impersonation_tokens.json decoded.
func impersonationListWant(t *testing.T) []*ImpersonationToken {
	return []*ImpersonationToken{
		{
			ID:            2,
			Name:          "mytoken",
			Description:   "Test Token description",
			Active:        true,
			Revoked:       false,
			Expired:       false,
			Granular:      false,
			Impersonation: true,
			Scopes:        []string{ScopeAPI},
			UserID:        42,
			CreatedAt:     mustTime(t, "2017-03-17T17:18:09.283Z"),
			LastUsedAt:    mustTime(t, "2017-03-24T09:44:21.722Z"),
			LastUsedIPs:   []string{"192.0.2.10"},
			ExpiresAt:     isoDate(2017, time.April, 4),
		},
		{
			ID:            3,
			Name:          "mytoken2",
			Description:   "",
			Active:        false,
			Revoked:       true,
			Expired:       false,
			Granular:      false,
			Impersonation: true,
			Scopes:        []string{ScopeReadUser, ScopeReadRepository},
			UserID:        42,
			CreatedAt:     mustTime(t, "2017-03-17T17:19:28.697Z"),
			LastUsedAt:    nil,
			LastUsedIPs:   []string{},
			ExpiresAt:     nil,
		},
	}
}

// impersonationCreatedWant is create_impersonation_token.json decoded.
func impersonationCreatedWant(t *testing.T) *ImpersonationToken {
	return &ImpersonationToken{
		ID:            7,
		Name:          "mytoken",
		Description:   "Test Token description",
		Active:        true,
		Impersonation: true,
		Scopes:        []string{ScopeAPI, ScopeReadRepository},
		UserID:        42,
		CreatedAt:     mustTime(t, "2017-03-17T17:18:09.283Z"),
		LastUsedAt:    nil,
		LastUsedIPs:   []string{},
		ExpiresAt:     isoDate(2017, time.April, 4),
		Token:         NewSecret("glpat-EsMo-vhKfXGwX9RKrwiy"),
	}
}

// The calls of ImpersonationTokensService: the request each sends and
// what it decodes.
func TestImpersonationTokens(t *testing.T) {
	exp := NewISODate(2025, time.April, 14)
	created := time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)
	cases := []endpointCase{
		{name: "List", method: "GET", path: "/users/42/impersonation_tokens",
			match:   queryIs("page", "2", "per_page", "50", "state", "active"),
			headers: []string{"X-Total", "52", "X-Page", "2", "X-Per-Page", "50"}, fixture: "list_impersonation_tokens.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.ImpersonationTokens.List(ctx, 42, &ListImpersonationTokensOptions{
					ListOptions: ListOptions{Page: 2, PerPage: 50},
					State:       Ptr(TokenStateActive),
				}))
			},
			want: impersonationListWant(t),
			check: func(t *testing.T, resp *Response, _ error) {
				require.Equal(t, 52, resp.TotalItems)
				require.Equal(t, 2, resp.CurrentPage)
			}},
		{name: "ListNilOptions", method: "GET", path: "/users/42/impersonation_tokens", match: queryIs(),
			fixture: "list_impersonation_tokens.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.ImpersonationTokens.List(ctx, 42, nil))
			},
			want: impersonationListWant(t)},
		{name: "Get", method: "GET", path: "/users/42/impersonation_tokens/2", match: queryIs(),
			fixture: "get_impersonation_token.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.ImpersonationTokens.Get(ctx, 42, 2))
			},
			want: &ImpersonationToken{
				ID:            2,
				Name:          "mytoken",
				Description:   "Test Token description",
				Active:        true,
				Revoked:       false,
				Expired:       false,
				Granular:      true,
				Impersonation: true,
				Scopes:        []string{ScopeAPI, ScopeWriteRepository},
				UserID:        42,
				CreatedAt:     mustTime(t, "2017-03-17T17:18:09.283Z"),
				LastUsedAt:    mustTime(t, "2017-03-24T09:44:21.722Z"),
				LastUsedIPs:   []string{"192.0.2.10", "2001:db8::1"},
				ExpiresAt:     isoDate(2017, time.April, 4),
				Token:         Secret{}, // never sent by Get
			}},
		{name: "GetNotFound", method: "GET", path: "/users/42/impersonation_tokens/99",
			status: 404, json: map[string]string{"message": "404 Impersonation Token Not Found"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.ImpersonationTokens.Get(ctx, 42, 99))
			},
			wantErr: ErrNotFound},
		{name: "Create", method: "POST", path: "/users/42/impersonation_tokens",
			match: formIs(
				"description", "Test Token description",
				"expires_at", "2017-04-04",
				"name", "mytoken",
				"scopes[]", "api",
				"scopes[]", "read_repository",
			),
			status: 201, fixture: "create_impersonation_token.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.ImpersonationTokens.Create(ctx, 42, &CreateImpersonationTokenOptions{
					Name:        Ptr("mytoken"),
					Description: Ptr("Test Token description"),
					ExpiresAt:   isoDate(2017, time.April, 4),
					Scopes:      []string{ScopeAPI, ScopeReadRepository},
				}))
			},
			want: impersonationCreatedWant(t)},
		{name: "CreateMinimal", method: "POST", path: "/users/42/impersonation_tokens",
			match:  formIs("name", "ci", "scopes[]", "read_api"),
			status: 201, fixture: "create_impersonation_token.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.ImpersonationTokens.Create(ctx, 42, &CreateImpersonationTokenOptions{
					Name: Ptr("ci"), Scopes: []string{ScopeReadAPI},
				}))
			},
			want: impersonationCreatedWant(t)},
		{name: "CreateServerValidation", method: "POST", path: "/users/42/impersonation_tokens",
			match:  formIs("name", "mytoken", "scopes[]", "api"),
			status: 400, json: map[string]any{"message": map[string][]string{"expires_at": {"can't be blank"}}},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.ImpersonationTokens.Create(ctx, 42, &CreateImpersonationTokenOptions{
					Name: Ptr("mytoken"), Scopes: []string{ScopeAPI},
				}))
			},
			wantErr: ErrBadRequest, errFields: map[string][]string{"expires_at": {"can't be blank"}}},
		// A token with granular scopes is sent as JSON, since a form cannot
		// carry an array of objects in order.
		{name: "CreateGranular", method: "POST", path: "/users/2/impersonation_tokens",
			match: []matcher{exactJSON(`{"name":"granular","expires_at":"2025-04-14","granular_scopes":[` +
				`{"access":"selected_memberships","permissions":["read_project"],"project_ids":[81]},` +
				`{"access":"user","permissions":["read_user","update_user"]}]}`)},
			status: 201, fixture: "create_granular_impersonation_token.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.ImpersonationTokens.Create(ctx, 2, &CreateImpersonationTokenOptions{
					Name: Ptr("granular"), ExpiresAt: &exp,
					GranularScopes: []*GranularScopeOptions{
						{Access: GranularAccessSelectedMemberships, Permissions: []string{"read_project"}, ProjectIDs: []int64{81}},
						{Access: GranularAccessUser, Permissions: []string{"read_user", "update_user"}},
					},
				}))
			},
			want: &ImpersonationToken{
				ID: 4, Name: "granular", Active: true, Granular: true, Impersonation: true,
				Scopes: []string{}, UserID: 2, CreatedAt: &created, LastUsedIPs: []string{},
				ExpiresAt: &exp, Token: NewSecret("glpat-granular-secret"),
				GranularScopes: []*GranularScope{
					{Access: GranularAccessSelectedMemberships, Permissions: []string{"read_project"}, ProjectID: Ptr[int64](81)},
					{Access: GranularAccessUser, Permissions: []string{"read_user", "update_user"}},
				},
			}},
	}
	runEndpointCases(t, cases)
}

func TestImpersonationTokensListStates(t *testing.T) {
	for _, st := range []TokenState{TokenStateAll, TokenStateActive, TokenStateInactive} {
		t.Run(string(st), func(t *testing.T) {
			c := newTestClient(t)
			mock("GET", "/users/42/impersonation_tokens").
				AddMatcher(exactQuery(form("state", string(st)))).
				Reply(200).BodyString("[]")
			got, _, err := c.ImpersonationTokens.List(context.Background(), 42, &ListImpersonationTokensOptions{State: Ptr(st)})
			require.NoError(t, err)
			require.Empty(t, got)
		})
	}
	require.Equal(t, []string{"all", "active", "inactive"},
		[]string{string(TokenStateAll), string(TokenStateActive), string(TokenStateInactive)})
}

func TestImpersonationTokensListIter(t *testing.T) {
	c := newTestClient(t)
	page1, page2 := mockTwoPages(t, "/users/42/impersonation_tokens",
		"list_impersonation_tokens.json", "list_impersonation_tokens_page_2.json", "per_page", "2", "state", "all")
	page1.SetHeader("X-Total-Pages", "2")
	page2.SetHeader("X-Total-Pages", "2")

	opt := &ListImpersonationTokensOptions{ListOptions: ListOptions{PerPage: 2}, State: Ptr(TokenStateAll)}
	got := collect(t, c.ImpersonationTokens.ListIter(context.Background(), 42, opt))
	want := append(impersonationListWant(t), &ImpersonationToken{
		ID:            5,
		Name:          "expired-token",
		Description:   "Past expiry",
		Active:        false,
		Expired:       true,
		Impersonation: true,
		Scopes:        []string{ScopeReadAPI},
		UserID:        42,
		CreatedAt:     mustTime(t, "2016-12-01T08:00:00Z"),
		LastUsedIPs:   []string{},
		ExpiresAt:     isoDate(2016, time.December, 28),
	})
	require.Equal(t, want, got)
	require.Equal(t, &ListImpersonationTokensOptions{ListOptions: ListOptions{PerPage: 2}, State: Ptr(TokenStateAll)}, opt,
		"ListIter must not change the caller's options")
}

func TestImpersonationTokensGetTimestampExpiry(t *testing.T) {
	// Some GitLab versions send expires_at as a full timestamp; ISODate
	// reads it as the same day.
	c := newTestClient(t)
	mock("GET", "/users/42/impersonation_tokens/2").
		Reply(200).BodyString(`{"id":2,"name":"t","expires_at":"2017-04-04T00:00:00.000Z","impersonation":true}`)

	got, _, err := c.ImpersonationTokens.Get(context.Background(), 42, 2)
	require.NoError(t, err)
	require.NotNil(t, got.ExpiresAt)
	require.Equal(t, "2017-04-04", got.ExpiresAt.String())
	require.True(t, got.ExpiresAt.Time().Equal(time.Date(2017, time.April, 4, 0, 0, 0, 0, time.UTC)))
}

func TestImpersonationTokensCreateExpiresAtIsADate(t *testing.T) {
	// expires_at is a date: the time of day and the zone of the value
	// are not sent, only its calendar day in its own zone.
	zone := time.FixedZone("UTC+10", 10*60*60)
	d := ISODate(time.Date(2017, time.April, 4, 23, 30, 15, 0, zone)) // 13:30 UTC the same day
	c := newTestClient(t)
	mock("POST", "/users/42/impersonation_tokens").
		AddMatcher(exactForm(form("expires_at", "2017-04-04", "name", "mytoken", "scopes[]", "api"))).
		Reply(201).BodyString(string(fixture(t, "create_impersonation_token.json")))

	_, _, err := c.ImpersonationTokens.Create(context.Background(), 42, &CreateImpersonationTokenOptions{
		Name:      Ptr("mytoken"),
		ExpiresAt: &d,
		Scopes:    []string{ScopeAPI},
	})
	require.NoError(t, err)
}

func TestImpersonationTokensCreateIsNotRetried(t *testing.T) {
	// Creating a token is not idempotent: a 502 must not be retried,
	// or the administrator could end up with two tokens.
	c := newTestClient(t, WithRetryMax(2), WithRetryWait(time.Millisecond, time.Millisecond))
	mock("POST", "/users/42/impersonation_tokens").
		Reply(502).BodyString(`{"message":"502 Bad Gateway"}`)

	_, resp, err := c.ImpersonationTokens.Create(context.Background(), 42, &CreateImpersonationTokenOptions{
		Name: Ptr("mytoken"), Scopes: []string{ScopeAPI},
	})
	require.Error(t, err)
	require.NotNil(t, resp)
	require.Equal(t, http.StatusBadGateway, resp.StatusCode)
}

func TestImpersonationTokensTokenOmittedWhenEmpty(t *testing.T) {
	// A token read by List or Get has no secret; encoding it must not
	// invent an empty "token" key.
	b, err := json.Marshal(&ImpersonationToken{ID: 1})
	require.NoError(t, err)
	require.NotContains(t, string(b), `"token"`)
}

func TestImpersonationTokensRoundTrip(t *testing.T) {
	assertRoundTrip[[]*ImpersonationToken](t, "list_impersonation_tokens.json")
	assertRoundTrip[[]*ImpersonationToken](t, "list_impersonation_tokens_page_2.json")
	assertRoundTrip[ImpersonationToken](t, "get_impersonation_token.json")
	assertRoundTrip[ImpersonationToken](t, "create_impersonation_token.json")
}

func TestGranularImpersonationTokenJSONRoundTrip(t *testing.T) {
	assertRoundTrip[ImpersonationToken](t, "create_granular_impersonation_token.json")
}
