package gitlab

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// accessTokenListWant is access_token_list.json decoded.
func accessTokenListWant(t *testing.T) []*AccessToken {
	return []*AccessToken{
		{
			ID: 21, Name: "deploy bot", Description: "pushes release tags", Active: true,
			Scopes: []string{ScopeAPI, ScopeReadRepository}, UserID: 88,
			CreatedAt:   mustTime(t, "2025-03-14T09:26:53.123Z"),
			LastUsedAt:  mustTime(t, "2025-04-01T10:00:00.000Z"),
			LastUsedIPs: []string{"192.0.2.7"},
			ExpiresAt:   isoDate(2026, time.March, 14),
			AccessLevel: AccessLevelMaintainer, ResourceType: "group", ResourceID: 7,
		},
		{
			ID: 22, Name: "old reporter", Description: "", Revoked: true, Active: false,
			Scopes: []string{ScopeReadAPI}, UserID: 89,
			CreatedAt:   mustTime(t, "2024-01-02T08:00:00.000Z"),
			LastUsedIPs: []string{},
			AccessLevel: AccessLevelReporter, ResourceType: "group", ResourceID: 7,
		},
	}
}

// accessTokenGetWant is access_token_get.json decoded.
func accessTokenGetWant(t *testing.T) *AccessToken {
	return &AccessToken{
		ID: 31, Name: "ci", Description: "project pipeline", Active: true,
		Scopes: []string{ScopeAPI}, UserID: 120,
		CreatedAt:   mustTime(t, "2025-03-14T09:26:53.123Z"),
		LastUsedAt:  mustTime(t, "2025-03-20T18:00:00.000Z"),
		LastUsedIPs: []string{"192.0.2.10", "2001:db8::1"},
		ExpiresAt:   isoDate(2026, time.March, 14),
		AccessLevel: AccessLevelDeveloper, ResourceType: "project", ResourceID: 42,
	}
}

// accessTokenCreatedWant is access_token_create.json decoded.
func accessTokenCreatedWant(t *testing.T) *AccessToken {
	return &AccessToken{
		ID: 32, Name: "release", Description: "tags releases", Active: true,
		Scopes: []string{ScopeAPI, ScopeWriteRepository}, UserID: 121,
		CreatedAt:   mustTime(t, "2025-03-14T09:26:53.123Z"),
		LastUsedIPs: []string{},
		ExpiresAt:   isoDate(2025, time.June, 30),
		AccessLevel: AccessLevelMaintainer, ResourceType: "project", ResourceID: 42,
		Token: NewSecret("glpat-prjCreated0000secret01"),
	}
}

// accessTokenRotatedWant is access_token_rotate.json decoded.
func accessTokenRotatedWant(t *testing.T) *AccessToken {
	return &AccessToken{
		ID: 33, Name: "ci", Description: "project pipeline", Active: true,
		Scopes: []string{ScopeAPI}, UserID: 120,
		CreatedAt:   mustTime(t, "2025-03-21T09:00:00.000Z"),
		LastUsedIPs: []string{},
		ExpiresAt:   isoDate(2025, time.March, 28),
		AccessLevel: AccessLevelDeveloper, ResourceType: "project", ResourceID: 42,
		Token: NewSecret("glpat-prjRotated0000secret02"),
	}
}

// The calls of AccessTokensService: the request each sends, for a group
// and a project named by ID and by path, and what it decodes.
func TestAccessTokens(t *testing.T) {
	zone := time.FixedZone("UTC+2", 2*60*60)
	everyFilter := &ListAccessTokensOptions{
		ListOptions:    ListOptions{Page: 2, PerPage: 50},
		State:          Ptr(TokenStateInactive),
		Revoked:        Ptr(true),
		CreatedBefore:  Ptr(time.Date(2022, 2, 1, 12, 30, 0, 0, zone)),
		CreatedAfter:   Ptr(time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)),
		LastUsedBefore: Ptr(time.Date(2022, 4, 1, 0, 0, 0, 0, time.UTC)),
		LastUsedAfter:  Ptr(time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)),
		ExpiresBefore:  isoDate(2026, time.March, 1),
		ExpiresAfter:   isoDate(2026, time.January, 1),
		Search:         Ptr("deploy bot"),
		Sort:           Ptr(PersonalAccessTokenSortLastUsedDesc),
	}
	create := &CreateAccessTokenOptions{
		Name:        Ptr("release"),
		Description: Ptr("tags releases"),
		Scopes:      []string{ScopeAPI, ScopeWriteRepository},
		AccessLevel: Ptr(AccessLevelMaintainer),
		ExpiresAt:   isoDate(2025, time.June, 30),
	}
	rotateTo := &RotateAccessTokenOptions{ExpiresAt: isoDate(2025, time.March, 28)}
	cases := []endpointCase{
		{name: "ListEveryFilter", method: "GET", path: "/groups/7/access_tokens",
			match: queryIs(
				"created_after", "2022-01-01T00:00:00Z",
				"created_before", "2022-02-01T12:30:00+02:00",
				"expires_after", "2026-01-01",
				"expires_before", "2026-03-01",
				"last_used_after", "2022-03-01T00:00:00Z",
				"last_used_before", "2022-04-01T00:00:00Z",
				"page", "2",
				"per_page", "50",
				"revoked", "true",
				"search", "deploy bot",
				"sort", "last_used_desc",
				"state", "inactive",
			),
			headers: []string{"X-Total", "52"}, fixture: "access_token_list.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.AccessTokens.List(ctx, GroupID(7), everyFilter))
			},
			want:  accessTokenListWant(t),
			check: func(t *testing.T, resp *Response, _ error) { require.Equal(t, 52, resp.TotalItems) }},
		{name: "ListGroupPathNilOptions", method: "GET", path: "/groups/acme%2Fplatform/access_tokens", match: queryIs(),
			fixture: "access_token_list.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.AccessTokens.List(ctx, GroupPath("acme/platform"), nil))
			},
			want: accessTokenListWant(t)},
		// A member without the rights gets 401, not 403.
		{name: "ListWithoutRights", method: "GET", path: "/projects/42/access_tokens",
			status: 401, json: map[string]string{"message": "401 Unauthorized"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.AccessTokens.List(ctx, ProjectID(42), nil))
			},
			wantErr: ErrUnauthorized, errMsg: "401 Unauthorized"},
		{name: "GetProjectPath", method: "GET", path: "/projects/acme%2Fapp/access_tokens/31", match: queryIs(),
			fixture: "access_token_get.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.AccessTokens.Get(ctx, ProjectPath("acme/app"), 31))
			},
			want: accessTokenGetWant(t)},
		{name: "GetOtherResource", method: "GET", path: "/projects/42/access_tokens/99",
			status: 404, json: map[string]string{"message": "404 project Access Token Not Found"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.AccessTokens.Get(ctx, ProjectID(42), 99))
			},
			wantErr: ErrNotFound, errMsg: "404 project Access Token Not Found"},
		{name: "Create", method: "POST", path: "/projects/42/access_tokens",
			match: formIs(
				"access_level", "40",
				"description", "tags releases",
				"expires_at", "2025-06-30",
				"name", "release",
				"scopes[]", "api",
				"scopes[]", "write_repository",
			),
			status: 201, fixture: "access_token_create.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.AccessTokens.Create(ctx, ProjectID(42), create))
			},
			want: accessTokenCreatedWant(t)},
		{name: "CreateMinimal", method: "POST", path: "/groups/acme/access_tokens",
			match:  formIs("name", "release", "scopes[]", "read_api"),
			status: 201, fixture: "access_token_create.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.AccessTokens.Create(ctx, GroupPath("acme"), &CreateAccessTokenOptions{
					Name: Ptr("release"), Scopes: []string{ScopeReadAPI},
				}))
			},
			want: accessTokenCreatedWant(t)},
		// GitLab's default configuration requires an expiry; every
		// refusal of Create is a 400.
		{name: "CreateWithoutExpiry", method: "POST", path: "/groups/7/access_tokens",
			status: 400, json: map[string]string{"message": "400 Bad request - expires_at is missing"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.AccessTokens.Create(ctx, GroupID(7), &CreateAccessTokenOptions{
					Name: Ptr("x"), Scopes: []string{ScopeAPI},
				}))
			},
			wantErr: ErrBadRequest, errMsg: "400 Bad request - expires_at is missing"},
		{name: "CreateWithoutRights", method: "POST", path: "/groups/7/access_tokens",
			status: 400, json: map[string]string{"message": "400 Bad request - User does not have permission to create group access token"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.AccessTokens.Create(ctx, GroupID(7), create))
			},
			wantErr: ErrBadRequest},
		{name: "Rotate", method: "POST", path: "/projects/42/access_tokens/31/rotate",
			match:   formIs("expires_at", "2025-03-28"),
			fixture: "access_token_rotate.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.AccessTokens.Rotate(ctx, ProjectID(42), 31, rotateTo))
			},
			want: accessTokenRotatedWant(t)},
		{name: "RotateDefaultExpiry", method: "POST", path: "/groups/acme%2Fplatform/access_tokens/31/rotate", match: formIs(),
			fixture: "access_token_rotate.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.AccessTokens.Rotate(ctx, GroupPath("acme/platform"), 31, nil))
			},
			want: accessTokenRotatedWant(t)},
		// A group Maintainer (tokens need Owner) gets 401.
		{name: "RotateWithoutRights", method: "POST", path: "/groups/7/access_tokens/31/rotate",
			status: 401, json: map[string]string{"message": "401 Unauthorized"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.AccessTokens.Rotate(ctx, GroupID(7), 31, nil))
			},
			wantErr: ErrUnauthorized},
		{name: "RotateCurrent", method: "POST", path: "/projects/42/access_tokens/self/rotate",
			match:   formIs("expires_at", "2025-03-28"),
			fixture: "access_token_rotate.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.AccessTokens.RotateCurrent(ctx, ProjectID(42), rotateTo))
			},
			want: accessTokenRotatedWant(t)},
		// A personal access token is not a bot's: 405.
		{name: "RotateCurrentHumanToken", method: "POST", path: "/groups/7/access_tokens/self/rotate",
			status: 405, json: map[string]string{"message": "405 Method Not Allowed"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.AccessTokens.RotateCurrent(ctx, GroupID(7), nil))
			},
			errMsg: "405 Method Not Allowed"},
		{name: "Revoke", method: "DELETE", path: "/groups/acme%2Fplatform/access_tokens/21", match: queryIs(), status: 204,
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noValue(c.AccessTokens.Revoke(ctx, GroupPath("acme/platform"), 21))
			}},
		// Without the rights GitLab answers 400, not 403.
		{name: "RevokeWithoutRights", method: "DELETE", path: "/projects/42/access_tokens/31",
			status: 400, json: map[string]string{"message": "400 Bad request - Jane Doe cannot delete ci"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noValue(c.AccessTokens.Revoke(ctx, ProjectID(42), 31))
			},
			wantErr: ErrBadRequest, errMsg: "400 Bad request - Jane Doe cannot delete ci"},
	}
	runEndpointCases(t, cases)
}

// ListIter follows the pages and leaves the caller's options as they
// were.
func TestAccessTokensListIter(t *testing.T) {
	c := newTestClient(t)
	mockTwoPages(t, "/groups/7/access_tokens", "access_token_list.json", "access_token_list_page_2.json", "per_page", "2", "state", "active")
	opt := &ListAccessTokensOptions{ListOptions: ListOptions{PerPage: 2}, State: Ptr(TokenStateActive)}
	got := collect(t, c.AccessTokens.ListIter(context.Background(), GroupID(7), opt))
	want := append(accessTokenListWant(t), &AccessToken{
		ID: 30, Name: "owner bot", Active: true, Scopes: []string{ScopeSelfRotate}, UserID: 95,
		CreatedAt: mustTime(t, "2025-05-01T12:00:00.000Z"), LastUsedIPs: []string{},
		ExpiresAt: isoDate(2025, time.December, 31), AccessLevel: AccessLevelOwner, ResourceType: "group", ResourceID: 7,
	})
	require.Equal(t, want, got)
	require.Equal(t, &ListAccessTokensOptions{ListOptions: ListOptions{PerPage: 2}, State: Ptr(TokenStateActive)}, opt)
}

func TestAccessTokensRoundTrip(t *testing.T) {
	assertRoundTrip[[]*AccessToken](t, "access_token_list_page_2.json")
	assertRoundTrip[AccessToken](t, "access_token_get.json")
	assertRoundTrip[AccessToken](t, "access_token_create.json")
	assertRoundTrip[AccessToken](t, "access_token_rotate.json")
}

// The secret of a created or rotated access token appears in no print
// and no log record.
func TestAccessTokenSecretInNoPrintOrLog(t *testing.T) {
	for _, name := range []string{"access_token_create.json", "access_token_rotate.json"} {
		tok := decodeFixture[AccessToken](t, name)
		secret := secretIn(t, fixture(t, name), "token")
		require.Equal(t, secret, tok.Token.Value())
		assertNotPrinted(t, tok, secret, "project")
	}
}

// An access-token rotation answered 502, or whose connection drops
// after the request was sent, may have happened: it is sent exactly
// once, even with retries on. A 429 (GitLab did not act) is retried.
func TestAccessTokenRotateSentOnceWhenAmbiguous(t *testing.T) {
	rotated := string(fixture(t, "access_token_rotate.json"))
	for _, step := range []struct {
		name string
		h    http.HandlerFunc
	}{
		{"502", reply(502, `<html><body><h1>502 Bad Gateway</h1></body></html>`)},
		{"dropped connection", hangUp},
	} {
		srv, n := tokenServer(t, step.h, reply(200, rotated))
		c := fastClient(t, srv.URL, WithRetryMax(5))
		tok, _, err := c.AccessTokens.Rotate(context.Background(), ProjectID(42), 31, nil)
		require.Error(t, err, step.name)
		assert.Nil(t, tok)
		assert.Equal(t, 1, n(), "%s: the rotation reached the server once", step.name)
		assert.Equal(t, []string{"/api/v4/projects/42/access_tokens/31/rotate"}, srv.paths())
	}

	srv, n := tokenServer(t, reply(429, `{"message":{"error":"slow down"}}`, "Retry-After", "0"), reply(200, rotated))
	c := fastClient(t, srv.URL)
	tok, _, err := c.AccessTokens.Rotate(context.Background(), ProjectID(42), 31, nil)
	require.NoError(t, err)
	assert.Equal(t, "glpat-prjRotated0000secret02", tok.Token.Value())
	assert.Equal(t, 2, n())
}

// Revoke is a DELETE that GitLab answers 204 again for a revoked token:
// it is retried on gateway errors.
func TestAccessTokenRevokeRetried(t *testing.T) {
	srv, n := tokenServer(t, reply(502, `{}`), hangUp, reply(204, ``))
	c := fastClient(t, srv.URL)
	_, err := c.AccessTokens.Revoke(context.Background(), GroupID(7), 21)
	require.NoError(t, err)
	assert.Equal(t, 3, n())
}
