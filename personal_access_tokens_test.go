package gitlab

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// patListWant is list_personal_access_tokens.json decoded.
func patListWant(t *testing.T) []*PersonalAccessToken {
	return []*PersonalAccessToken{
		{
			ID:          4,
			Name:        "Test Token",
			Description: "Test Token description",
			Active:      true,
			Scopes:      []string{ScopeAPI},
			UserID:      3,
			CreatedAt:   mustTime(t, "2020-07-23T14:31:47.729Z"),
			LastUsedAt:  mustTime(t, "2021-10-06T17:58:37.550Z"),
			LastUsedIPs: []string{"192.0.2.10"},
			ExpiresAt:   isoDate(2026, time.January, 31),
		},
		{
			ID:          9,
			Name:        "ci",
			Description: "", // null
			Active:      false,
			Revoked:     true,
			Scopes:      []string{ScopeReadAPI, ScopeSelfRotate},
			UserID:      5,
			CreatedAt:   mustTime(t, "2020-07-24T09:00:00.000Z"),
			LastUsedAt:  nil,
			LastUsedIPs: []string{},
			ExpiresAt:   nil,
		},
	}
}

func TestPersonalAccessTokensListIter(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/personal_access_tokens").
		AddMatcher(exactQuery(form("per_page", "2", "state", "inactive"))).
		Reply(200).
		SetHeader("X-Page", "1").SetHeader("X-Next-Page", "2").SetHeader("X-Total-Pages", "2").
		BodyString(string(fixture(t, "list_personal_access_tokens.json")))
	mock("GET", "/personal_access_tokens").
		AddMatcher(exactQuery(form("page", "2", "per_page", "2", "state", "inactive"))).
		Reply(200).
		SetHeader("X-Page", "2").SetHeader("X-Next-Page", "").SetHeader("X-Total-Pages", "2").
		BodyString(string(fixture(t, "list_personal_access_tokens_page_2.json")))

	opt := &ListPersonalAccessTokensOptions{ListOptions: ListOptions{PerPage: 2}, State: Ptr(TokenStateInactive)}
	got := collect(t, c.PersonalAccessTokens.ListIter(context.Background(), opt))
	want := append(patListWant(t), &PersonalAccessToken{
		ID:          12,
		Name:        "granular",
		Description: "fine-grained",
		Active:      true,
		Granular:    true,
		Scopes:      []string{},
		GranularScopes: []*GranularScope{
			{Access: "selected_memberships", Permissions: []string{"read_issue"}, ProjectID: Ptr(int64(77))},
			{Access: "user", Permissions: []string{"read_user"}},
		},
		UserID:      3,
		CreatedAt:   mustTime(t, "2020-08-01T10:00:00.000Z"),
		LastUsedIPs: []string{},
		ExpiresAt:   isoDate(2026, time.February, 1),
	})
	require.Equal(t, want, got)
	require.Equal(t, &ListPersonalAccessTokensOptions{ListOptions: ListOptions{PerPage: 2}, State: Ptr(TokenStateInactive)}, opt,
		"ListIter must not change the caller's options")
}

// patGetWant is get_personal_access_token.json decoded.
func patGetWant(t *testing.T) *PersonalAccessToken {
	return &PersonalAccessToken{
		ID:          4,
		Name:        "Test Token",
		Description: "Test Token description",
		Active:      true,
		Scopes:      []string{ScopeAPI, ScopeSelfRotate},
		UserID:      3,
		CreatedAt:   mustTime(t, "2020-07-23T14:31:47.729Z"),
		LastUsedAt:  mustTime(t, "2021-10-06T17:58:37.550Z"),
		LastUsedIPs: []string{"192.0.2.10", "2001:db8::1"},
		ExpiresAt:   isoDate(2026, time.January, 31),
	}
}

// patRotateWant is rotate_personal_access_token.json decoded.
func patRotateWant(t *testing.T) *PersonalAccessToken {
	return &PersonalAccessToken{
		ID:          42,
		Name:        "Rotated Token",
		Description: "Test Token description",
		Active:      true,
		Scopes:      []string{ScopeAPI},
		UserID:      1337,
		CreatedAt:   mustTime(t, "2023-08-01T15:00:00.000Z"),
		LastUsedIPs: []string{},
		ExpiresAt:   isoDate(2023, time.August, 15),
		Token:       NewSecret("glpat-s3cr3tRotatedValue0001"),
	}
}

// associationsWant is token_associations.json decoded.
func associationsWant(t *testing.T) *TokenAssociations {
	return &TokenAssociations{
		Groups: []*AssociatedGroup{
			{ID: 1, WebURL: "http://gitlab.example.com/groups/test", Name: "Test", OrganizationID: 1,
				AccessLevels: Ptr(AccessLevelReporter), Visibility: "public"},
			{ID: 3, WebURL: "http://gitlab.example.com/groups/test/test_private", Name: "Test Private", ParentID: Ptr(int64(1)),
				OrganizationID: 1, AccessLevels: Ptr(AccessLevelOwner), Visibility: "private"},
		},
		Projects: []*AssociatedProject{{
			ID: 1337, Description: "Leet.", Name: "Test Project", NameWithNamespace: "Test / Test Project",
			Path: "test-project", PathWithNamespace: "test/test-project", CreatedAt: mustTime(t, "2024-07-02T13:37:00.123Z"),
			AccessLevels: ProjectAccessLevels{GroupAccessLevel: Ptr(AccessLevelReporter)},
			Visibility:   "private", WebURL: "http://gitlab.example.com/test/test-project",
			Namespace: &AssociatedProjectParent{ID: 1, Name: "Test", Path: "test", Kind: "group", FullPath: "test",
				WebURL: "http://gitlab.example.com/groups/test"},
		}},
	}
}

func TestPersonalAccessTokensListCurrentAssociationsIter(t *testing.T) {
	// Page 1: two groups fill per_page=2 although the projects end
	// there (no X-Next-Page), so page 2 is asked for; it is short on
	// both lists and ends the iteration. The first request, as every
	// iterator's, carries the caller's page (none).
	c := newTestClient(t)
	mock("GET", "/personal_access_tokens/self/associations").
		AddMatcher(exactQuery(form("per_page", "2"))).
		Reply(200).SetHeader("X-Per-Page", "2").SetHeader("X-Next-Page", "").
		BodyString(string(fixture(t, "token_associations.json")))
	mock("GET", "/personal_access_tokens/self/associations").
		AddMatcher(exactQuery(form("page", "2", "per_page", "2"))).
		Reply(200).SetHeader("X-Per-Page", "2").SetHeader("X-Next-Page", "").
		BodyString(`{"groups":[{"id":8,"name":"Last","access_levels":null,"visibility":"internal"}],"projects":[]}`)

	opt := &ListTokenAssociationsOptions{ListOptions: ListOptions{PerPage: 2}}
	got := collect(t, c.PersonalAccessTokens.ListCurrentAssociationsIter(context.Background(), opt))
	w := associationsWant(t)
	require.Equal(t, []*TokenAssociation{
		{Group: w.Groups[0]}, {Group: w.Groups[1]}, {Project: w.Projects[0]},
		{Group: &AssociatedGroup{ID: 8, Name: "Last", Visibility: "internal"}},
	}, got)
	require.Equal(t, &ListTokenAssociationsOptions{ListOptions: ListOptions{PerPage: 2}}, opt)
}

func TestPersonalAccessTokensListCurrentAssociationsIterError(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/personal_access_tokens/self/associations").
		Reply(401).JSON(map[string]string{"message": "401 Unauthorized"})
	n := 0
	for a, err := range c.PersonalAccessTokens.ListCurrentAssociationsIter(context.Background(), nil) {
		n++
		require.Nil(t, a)
		require.ErrorIs(t, err, ErrUnauthorized)
	}
	require.Equal(t, 1, n)
}

// patCreatedWant is create_personal_access_token.json decoded.
func patCreatedWant(t *testing.T) *PersonalAccessToken {
	return &PersonalAccessToken{
		ID:          3,
		Name:        "mytoken",
		Description: "Test Token description",
		Active:      true,
		Scopes:      []string{ScopeK8sProxy, ScopeSelfRotate},
		UserID:      42,
		CreatedAt:   mustTime(t, "2020-10-14T11:58:53.526Z"),
		LastUsedIPs: []string{},
		ExpiresAt:   isoDate(2020, time.December, 31),
		Token:       NewSecret("glpat-aaaaaaaaaaaaaaaaaaaa"),
	}
}

// The calls of PersonalAccessTokensService: the request each sends and
// what it decodes.
func TestPersonalAccessTokens(t *testing.T) {
	zone := time.FixedZone("UTC+2", 2*60*60)
	everyFilter := &ListPersonalAccessTokensOptions{
		ListOptions:    ListOptions{Page: 2, PerPage: 50},
		UserID:         Ptr(int64(3)),
		State:          Ptr(TokenStateActive),
		Revoked:        Ptr(false),
		CreatedBefore:  Ptr(time.Date(2022, 2, 1, 12, 30, 0, 0, zone)),
		CreatedAfter:   Ptr(time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)),
		LastUsedBefore: Ptr(time.Date(2022, 4, 1, 0, 0, 0, 0, time.UTC)),
		LastUsedAfter:  Ptr(time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)),
		ExpiresBefore:  isoDate(2026, time.March, 1),
		ExpiresAfter:   isoDate(2026, time.January, 1),
		Search:         Ptr("ci token"),
		Sort:           Ptr(PersonalAccessTokenSortExpiresAsc),
	}
	rotateTo := &RotatePersonalAccessTokenOptions{ExpiresAt: isoDate(2023, time.August, 15)}
	cases := []endpointCase{
		{name: "ListEveryFilter", method: "GET", path: "/personal_access_tokens",
			match: queryIs(
				"created_after", "2022-01-01T00:00:00Z",
				"created_before", "2022-02-01T12:30:00+02:00",
				"expires_after", "2026-01-01",
				"expires_before", "2026-03-01",
				"last_used_after", "2022-03-01T00:00:00Z",
				"last_used_before", "2022-04-01T00:00:00Z",
				"page", "2",
				"per_page", "50",
				"revoked", "false",
				"search", "ci token",
				"sort", "expires_asc",
				"state", "active",
				"user_id", "3",
			),
			headers: []string{"X-Total", "52", "X-Page", "2", "X-Per-Page", "50"}, fixture: "list_personal_access_tokens.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.PersonalAccessTokens.List(ctx, everyFilter))
			},
			want:  patListWant(t),
			check: func(t *testing.T, resp *Response, _ error) { require.Equal(t, 52, resp.TotalItems) }},
		{name: "ListNilOptions", method: "GET", path: "/personal_access_tokens", match: queryIs(),
			fixture: "list_personal_access_tokens.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.PersonalAccessTokens.List(ctx, nil))
			},
			want: patListWant(t)},
		{name: "Get", method: "GET", path: "/personal_access_tokens/4", match: queryIs(), fixture: "get_personal_access_token.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.PersonalAccessTokens.Get(ctx, 4))
			},
			want: patGetWant(t)},
		// A non-administrator gets 401 for a token that is not theirs or
		// does not exist.
		{name: "GetUnauthorized", method: "GET", path: "/personal_access_tokens/99",
			status: 401, json: map[string]string{"message": "401 Unauthorized"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.PersonalAccessTokens.Get(ctx, 99))
			},
			wantErr: ErrUnauthorized},
		{name: "Current", method: "GET", path: "/personal_access_tokens/self", match: queryIs(),
			fixture: "get_personal_access_token.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.PersonalAccessTokens.Current(ctx))
			},
			want: patGetWant(t)},
		{name: "Rotate", method: "POST", path: "/personal_access_tokens/41/rotate", match: formIs("expires_at", "2023-08-15"),
			fixture: "rotate_personal_access_token.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.PersonalAccessTokens.Rotate(ctx, 41, rotateTo))
			},
			want: patRotateWant(t)},
		{name: "RotateDefaultExpiry", method: "POST", path: "/personal_access_tokens/41/rotate", match: formIs(),
			fixture: "rotate_personal_access_token.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.PersonalAccessTokens.Rotate(ctx, 41, nil))
			},
			want: patRotateWant(t)},
		{name: "RotateRevoked", method: "POST", path: "/personal_access_tokens/41/rotate",
			status: 400, json: map[string]string{"message": "400 Bad request - Token already revoked"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.PersonalAccessTokens.Rotate(ctx, 41, nil))
			},
			wantErr: ErrBadRequest,
			check:   func(t *testing.T, _ *Response, err error) { require.Contains(t, err.Error(), "Token already revoked") }},
		{name: "RotateCurrent", method: "POST", path: "/personal_access_tokens/self/rotate", match: formIs("expires_at", "2023-08-15"),
			fixture: "rotate_personal_access_token.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.PersonalAccessTokens.RotateCurrent(ctx, rotateTo))
			},
			want: patRotateWant(t)},
		{name: "ListCurrentAssociations", method: "GET", path: "/personal_access_tokens/self/associations",
			match:   queryIs("min_access_level", "40", "page", "2", "per_page", "5"),
			headers: []string{"X-Next-Page", "3"}, fixture: "token_associations.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.PersonalAccessTokens.ListCurrentAssociations(ctx, &ListTokenAssociationsOptions{
					ListOptions: ListOptions{Page: 2, PerPage: 5}, MinAccessLevel: Ptr(AccessLevelMaintainer),
				}))
			},
			want:  associationsWant(t),
			check: func(t *testing.T, resp *Response, _ error) { require.Equal(t, 3, resp.NextPage) }},
		{name: "Create", method: "POST", path: "/user/personal_access_tokens",
			match: formIs(
				"description", "Test Token description",
				"expires_at", "2020-12-31",
				"name", "mytoken",
				"scopes[]", "k8s_proxy",
				"scopes[]", "self_rotate",
			),
			status: 201, fixture: "create_personal_access_token.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.PersonalAccessTokens.Create(ctx, &CreatePersonalAccessTokenOptions{
					Name:        Ptr("mytoken"),
					Description: Ptr("Test Token description"),
					ExpiresAt:   isoDate(2020, time.December, 31),
					Scopes:      []string{ScopeK8sProxy, ScopeSelfRotate},
				}))
			},
			want: patCreatedWant(t)},
		{name: "CreateForUser", method: "POST", path: "/users/42/personal_access_tokens",
			match:  formIs("name", "mytoken", "scopes[]", "api", "scopes[]", "read_user"),
			status: 201, fixture: "create_personal_access_token.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.PersonalAccessTokens.CreateForUser(ctx, 42, &CreatePersonalAccessTokenOptions{
					Name: Ptr("mytoken"), Scopes: []string{ScopeAPI, ScopeReadUser},
				}))
			},
			want: patCreatedWant(t)},
		{name: "CreateForUserServiceError", method: "POST", path: "/users/42/personal_access_tokens",
			status: 422, json: map[string]string{"message": "Expires at must be before 2027-01-01"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.PersonalAccessTokens.CreateForUser(ctx, 42, &CreatePersonalAccessTokenOptions{
					Name: Ptr("mytoken"), Scopes: []string{ScopeAPI}, ExpiresAt: isoDate(2030, time.January, 1),
				}))
			},
			errMsg: "Expires at must be before 2027-01-01"},
	}
	runEndpointCases(t, cases)
}

func TestPersonalAccessTokenSecretRedacted(t *testing.T) {
	tok := patRotateWant(t)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(verb, tok)
		require.NotContains(t, out, tok.Token.Value(), verb)
		require.Contains(t, out, "REDACTED", verb)
		require.Contains(t, out, "Rotated Token", verb)
	}
	require.Equal(t, "glpat-s3cr3tRotatedValue0001", tok.Token.Value(), "formatting must not change the token")
	require.NotContains(t, fmt.Sprint([]*PersonalAccessToken{tok}), tok.Token.Value())
	// A token without a secret shows no REDACTED marker.
	require.NotContains(t, fmt.Sprintf("%+v", patGetWant(t)), "REDACTED")
	var nilTok *PersonalAccessToken
	require.Equal(t, "<nil>", fmt.Sprintf("%v", nilTok))
}

func TestPersonalAccessTokensRoundTrip(t *testing.T) {
	assertRoundTrip[[]*PersonalAccessToken](t, "list_personal_access_tokens_page_2.json")
	assertRoundTrip[PersonalAccessToken](t, "get_personal_access_token.json")
	assertRoundTrip[PersonalAccessToken](t, "rotate_personal_access_token.json")
	assertRoundTrip[PersonalAccessToken](t, "create_personal_access_token.json")
}
