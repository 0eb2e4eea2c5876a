package gitlab

import (
	"context"
	"fmt"
	"net/http"
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

func TestPersonalAccessTokensListEveryFilter(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/personal_access_tokens").
		AddMatcher(exactQuery(form(
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
		))).
		Reply(200).
		SetHeader("X-Total", "52").SetHeader("X-Page", "2").SetHeader("X-Per-Page", "50").
		BodyString(string(fixture(t, "list_personal_access_tokens.json")))

	zone := time.FixedZone("UTC+2", 2*60*60)
	opt := &ListPersonalAccessTokensOptions{
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
	got, resp, err := c.PersonalAccessTokens.List(context.Background(), opt)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, 52, resp.TotalItems)
	require.Equal(t, patListWant(t), got)
}

func TestPersonalAccessTokensListNilOptions(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/personal_access_tokens").AddMatcher(exactQuery("")).
		Reply(200).BodyString(string(fixture(t, "list_personal_access_tokens.json")))
	got, _, err := c.PersonalAccessTokens.List(context.Background(), nil)
	require.NoError(t, err)
	require.Equal(t, patListWant(t), got)
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
	var got []*PersonalAccessToken
	for tok, err := range c.PersonalAccessTokens.ListIter(context.Background(), opt) {
		require.NoError(t, err)
		got = append(got, tok)
	}
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

func TestPersonalAccessTokensGet(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/personal_access_tokens/4").AddMatcher(exactQuery("")).
		Reply(200).BodyString(string(fixture(t, "get_personal_access_token.json")))
	got, resp, err := c.PersonalAccessTokens.Get(context.Background(), 4)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, patGetWant(t), got)
}

func TestPersonalAccessTokensGetUnauthorized(t *testing.T) {
	// A non-administrator gets 401 for a token that is not theirs or
	// does not exist.
	c := newTestClient(t)
	mock("GET", "/personal_access_tokens/99").Reply(401).JSON(map[string]string{"message": "401 Unauthorized"})
	got, _, err := c.PersonalAccessTokens.Get(context.Background(), 99)
	require.ErrorIs(t, err, ErrUnauthorized)
	require.Nil(t, got)
}

func TestPersonalAccessTokensCurrent(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/personal_access_tokens/self").AddMatcher(exactQuery("")).
		Reply(200).BodyString(string(fixture(t, "get_personal_access_token.json")))
	got, _, err := c.PersonalAccessTokens.Current(context.Background())
	require.NoError(t, err)
	require.Equal(t, patGetWant(t), got)
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
		Token:       "glpat-s3cr3tRotatedValue0001",
	}
}

func TestPersonalAccessTokensRotate(t *testing.T) {
	c := newTestClient(t)
	mock("POST", "/personal_access_tokens/41/rotate").
		AddMatcher(exactForm(form("expires_at", "2023-08-15"))).
		Reply(200).BodyString(string(fixture(t, "rotate_personal_access_token.json")))
	got, resp, err := c.PersonalAccessTokens.Rotate(context.Background(), 41,
		&RotatePersonalAccessTokenOptions{ExpiresAt: isoDate(2023, time.August, 15)})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, patRotateWant(t), got)
}

func TestPersonalAccessTokensRotateDefaultExpiry(t *testing.T) {
	c := newTestClient(t)
	mock("POST", "/personal_access_tokens/41/rotate").AddMatcher(exactForm("")).
		Reply(200).BodyString(string(fixture(t, "rotate_personal_access_token.json")))
	got, _, err := c.PersonalAccessTokens.Rotate(context.Background(), 41, nil)
	require.NoError(t, err)
	require.Equal(t, patRotateWant(t), got)
}

func TestPersonalAccessTokensRotateRevoked(t *testing.T) {
	c := newTestClient(t)
	mock("POST", "/personal_access_tokens/41/rotate").
		Reply(400).JSON(map[string]string{"message": "400 Bad request - Token already revoked"})
	got, _, err := c.PersonalAccessTokens.Rotate(context.Background(), 41, nil)
	require.ErrorIs(t, err, ErrBadRequest)
	require.Contains(t, err.Error(), "Token already revoked")
	require.Nil(t, got)
}

func TestPersonalAccessTokensRotateCurrent(t *testing.T) {
	c := newTestClient(t)
	mock("POST", "/personal_access_tokens/self/rotate").
		AddMatcher(exactForm(form("expires_at", "2023-08-15"))).
		Reply(200).BodyString(string(fixture(t, "rotate_personal_access_token.json")))
	got, _, err := c.PersonalAccessTokens.RotateCurrent(context.Background(),
		&RotatePersonalAccessTokenOptions{ExpiresAt: isoDate(2023, time.August, 15)})
	require.NoError(t, err)
	require.Equal(t, patRotateWant(t), got)
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

func TestPersonalAccessTokensListCurrentAssociations(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/personal_access_tokens/self/associations").
		AddMatcher(exactQuery(form("min_access_level", "40", "page", "2", "per_page", "5"))).
		Reply(200).SetHeader("X-Next-Page", "3").
		BodyString(string(fixture(t, "token_associations.json")))
	got, resp, err := c.PersonalAccessTokens.ListCurrentAssociations(context.Background(), &ListTokenAssociationsOptions{
		ListOptions: ListOptions{Page: 2, PerPage: 5}, MinAccessLevel: Ptr(AccessLevelMaintainer),
	})
	require.NoError(t, err)
	require.Equal(t, 3, resp.NextPage)
	require.Equal(t, associationsWant(t), got)
}

func TestPersonalAccessTokensListCurrentAssociationsIter(t *testing.T) {
	// Page 1: two groups fill per_page=2 although the projects end
	// there (no X-Next-Page), so page 2 is asked for; it is short on
	// both lists and ends the iteration.
	c := newTestClient(t)
	mock("GET", "/personal_access_tokens/self/associations").
		AddMatcher(exactQuery(form("page", "1", "per_page", "2"))).
		Reply(200).SetHeader("X-Per-Page", "2").SetHeader("X-Next-Page", "").
		BodyString(string(fixture(t, "token_associations.json")))
	mock("GET", "/personal_access_tokens/self/associations").
		AddMatcher(exactQuery(form("page", "2", "per_page", "2"))).
		Reply(200).SetHeader("X-Per-Page", "2").SetHeader("X-Next-Page", "").
		BodyString(`{"groups":[{"id":8,"name":"Last","access_levels":null,"visibility":"internal"}],"projects":[]}`)

	opt := &ListTokenAssociationsOptions{ListOptions: ListOptions{PerPage: 2}}
	var got []*TokenAssociation
	for a, err := range c.PersonalAccessTokens.ListCurrentAssociationsIter(context.Background(), opt) {
		require.NoError(t, err)
		got = append(got, a)
	}
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

func TestPersonalAccessTokensCreate(t *testing.T) {
	c := newTestClient(t)
	mock("POST", "/user/personal_access_tokens").
		AddMatcher(exactForm(form(
			"description", "Test Token description",
			"expires_at", "2020-12-31",
			"name", "mytoken",
			"scopes[]", "k8s_proxy",
			"scopes[]", "self_rotate",
		))).
		Reply(201).BodyString(string(fixture(t, "create_personal_access_token.json")))
	got, resp, err := c.PersonalAccessTokens.Create(context.Background(), &CreatePersonalAccessTokenOptions{
		Name:        Ptr("mytoken"),
		Description: Ptr("Test Token description"),
		ExpiresAt:   isoDate(2020, time.December, 31),
		Scopes:      []string{ScopeK8sProxy, ScopeSelfRotate},
	})
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	require.Equal(t, &PersonalAccessToken{
		ID:          3,
		Name:        "mytoken",
		Description: "Test Token description",
		Active:      true,
		Scopes:      []string{ScopeK8sProxy, ScopeSelfRotate},
		UserID:      42,
		CreatedAt:   mustTime(t, "2020-10-14T11:58:53.526Z"),
		LastUsedIPs: []string{},
		ExpiresAt:   isoDate(2020, time.December, 31),
		Token:       "glpat-aaaaaaaaaaaaaaaaaaaa",
	}, got)
}

func TestPersonalAccessTokensCreateForUser(t *testing.T) {
	c := newTestClient(t)
	mock("POST", "/users/42/personal_access_tokens").
		AddMatcher(exactForm(form("name", "mytoken", "scopes[]", "api", "scopes[]", "read_user"))).
		Reply(201).BodyString(string(fixture(t, "create_personal_access_token.json")))
	got, _, err := c.PersonalAccessTokens.CreateForUser(context.Background(), 42, &CreatePersonalAccessTokenOptions{
		Name: Ptr("mytoken"), Scopes: []string{ScopeAPI, ScopeReadUser},
	})
	require.NoError(t, err)
	require.Equal(t, "glpat-aaaaaaaaaaaaaaaaaaaa", got.Token)
	require.Equal(t, int64(3), got.ID)
}

func TestPersonalAccessTokensCreateForUserServiceError(t *testing.T) {
	c := newTestClient(t)
	mock("POST", "/users/42/personal_access_tokens").
		Reply(422).JSON(map[string]string{"message": "Expires at must be before 2027-01-01"})
	got, _, err := c.PersonalAccessTokens.CreateForUser(context.Background(), 42, &CreatePersonalAccessTokenOptions{
		Name: Ptr("mytoken"), Scopes: []string{ScopeAPI}, ExpiresAt: isoDate(2030, time.January, 1),
	})
	var er *ErrorResponse
	require.ErrorAs(t, err, &er)
	require.Equal(t, 422, er.StatusCode)
	require.Equal(t, "Expires at must be before 2027-01-01", er.Message)
	require.Nil(t, got)
}

func TestPersonalAccessTokenSecretRedacted(t *testing.T) {
	tok := patRotateWant(t)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(verb, tok)
		require.NotContains(t, out, tok.Token, verb)
		require.Contains(t, out, "REDACTED", verb)
		require.Contains(t, out, "Rotated Token", verb)
	}
	require.Equal(t, "glpat-s3cr3tRotatedValue0001", tok.Token, "formatting must not change the token")
	require.NotContains(t, fmt.Sprint([]*PersonalAccessToken{tok}), tok.Token)
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
