package gitlab

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// samlUsersWant is list_saml_users.json decoded: UserPublic with EE's
// identities (saml_provider_id) and SCIM identities.
func samlUsersWant(t *testing.T) (john, jane *User) {
	john = &User{ID: 66, Username: "john.smith", Name: "John Smith", State: UserStateActive,
		AvatarURL: "https://www.gravatar.com/avatar/e1f2a3b4?s=80&d=identicon", WebURL: "https://gitlab.example.com/john.smith",
		CreatedAt: mustTime(t, "2024-01-15T09:30:00.000Z"), LastSignInAt: mustTime(t, "2025-02-01T08:00:00.000Z"),
		ConfirmedAt: mustTime(t, "2024-01-15T09:31:00.000Z"), LastActivityOn: isoDate(2025, time.March, 1),
		Email: "john.smith@corp.example", ThemeID: 3, ColorSchemeID: 1, ProjectsLimit: 100000,
		CurrentSignInAt: mustTime(t, "2025-03-01T07:55:00.000Z"),
		Identities:      []*Identity{{Provider: "group_saml", ExternUID: "john.smith@corp.example", SAMLProviderID: 7}},
		CanCreateGroup:  true, CanCreateProject: true, CommitEmail: "john.smith@corp.example", PreferredLanguage: "en",
		SCIMIdentities: []*SCIMIdentity{{ExternUID: "be20d8dcc028677c931e04f387", GroupID: Ptr(int64(33)), Active: true}}}
	jane = &User{ID: 65, Username: "jane.doe", Name: "Jane Doe", PublicEmail: "jane@corp.example", State: UserStateBlocked,
		AvatarURL: "https://www.gravatar.com/avatar/a9b8c7d6?s=80&d=identicon", WebURL: "https://gitlab.example.com/jane.doe",
		CreatedAt: mustTime(t, "2023-11-02T12:00:00.000Z"), ConfirmedAt: mustTime(t, "2023-11-02T12:01:00.000Z"),
		Email: "jane.doe@corp.example", ThemeID: 3, ColorSchemeID: 1, ProjectsLimit: 100000,
		Identities:     []*Identity{{Provider: "group_saml", ExternUID: "jane.doe@corp.example", SAMLProviderID: 7}},
		CanCreateGroup: true, CanCreateProject: true, TwoFactorEnabled: true, CommitEmail: "jane.doe@corp.example",
		PreferredLanguage: "en", SCIMIdentities: []*SCIMIdentity{}}
	return john, jane
}

// Both lists, for each way of naming the group, with every filter in
// GitLab's encoding (Booleans as true, times in RFC 3339).
func TestGroupUsersList(t *testing.T) {
	after := time.Date(2023, 1, 2, 3, 4, 5, 0, time.UTC)
	before := time.Date(2025, 6, 7, 8, 9, 10, 0, time.FixedZone("CEST", 2*3600))
	all := &ListGroupUsersOptions{ListOptions: ListOptions{Page: 2, PerPage: 50}, Username: Ptr("john.smith"), Search: Ptr("@john"),
		Active: Ptr(true), Blocked: Ptr(false), CreatedAfter: &after, CreatedBefore: &before}
	query := []string{"page", "2", "per_page", "50", "username", "john.smith", "search", "@john", "active", "true", "blocked", "false",
		"created_after", "2023-01-02T03:04:05Z", "created_before", "2025-06-07T08:09:10+02:00"}
	john, jane := samlUsersWant(t)
	for _, g := range groupRefSegments {
		t.Run(g.name, func(t *testing.T) {
			runEndpointCases(t, []endpointCase{
				{name: "ListSAML", method: "GET", path: "/groups/" + g.segment + "/saml_users", match: queryIs(query...),
					headers: []string{"X-Total", "2"}, fixture: "list_saml_users.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.GroupUsers.ListSAML(ctx, g.ref, all))
					},
					want:  []*User{john, jane},
					check: func(t *testing.T, resp *Response, _ error) { require.Equal(t, 2, resp.TotalItems) }},
				{name: "ListSAMLNoOptions", method: "GET", path: "/groups/" + g.segment + "/saml_users", match: queryIs(),
					fixture: "list_saml_users.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.GroupUsers.ListSAML(ctx, g.ref, nil))
					},
					want: []*User{john, jane}},
				{name: "ListProvisioned", method: "GET", path: "/groups/" + g.segment + "/provisioned_users", match: queryIs(query...),
					fixture: "list_saml_users.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.GroupUsers.ListProvisioned(ctx, g.ref, all))
					},
					want: []*User{john, jane}},
			})
		})
	}
}

// GitLab's refusals of these lists arrive with their status and words.
func TestGroupUsersErrors(t *testing.T) {
	runEndpointCases(t, []endpointCase{
		{name: "Subgroup", method: "GET", path: "/groups/corp%2Feng/saml_users", match: queryIs(),
			status: 400, json: map[string]string{"message": "400 Bad request - Must be a top-level group"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.GroupUsers.ListSAML(ctx, GroupPath("corp/eng"), nil))
			},
			wantErr: ErrBadRequest, errMsg: "400 Bad request - Must be a top-level group"},
		{name: "Developer", method: "GET", path: "/groups/33/provisioned_users", match: queryIs(),
			status: 403, json: map[string]string{"message": "403 Forbidden"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.GroupUsers.ListProvisioned(ctx, GroupID(33), nil))
			},
			wantErr: ErrForbidden, errMsg: "403 Forbidden"},
		{name: "NoGroup", method: "GET", path: "/groups/33/saml_users", match: queryIs(),
			status: 404, json: map[string]string{"message": "404 Group Not Found"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.GroupUsers.ListSAML(ctx, GroupID(33), nil))
			},
			wantErr: ErrNotFound, errMsg: "404 Group Not Found"},
	})
}

// The iterators follow X-Next-Page with the caller's filters and leave
// the caller's options as they were.
func TestGroupUsersListIter(t *testing.T) {
	john, jane := samlUsersWant(t)
	var bot []*User
	require.NoError(t, json.Unmarshal(fixture(t, "list_provisioned_users_page_2.json"), &bot))
	for _, tc := range []struct {
		path string
		iter func(*Client, *ListGroupUsersOptions) func(func(*User, error) bool)
	}{
		{"/groups/corp/saml_users", func(c *Client, o *ListGroupUsersOptions) func(func(*User, error) bool) {
			return c.GroupUsers.ListSAMLIter(context.Background(), GroupPath("corp"), o)
		}},
		{"/groups/corp/provisioned_users", func(c *Client, o *ListGroupUsersOptions) func(func(*User, error) bool) {
			return c.GroupUsers.ListProvisionedIter(context.Background(), GroupPath("corp"), o)
		}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			c := newTestClient(t)
			mockTwoPages(t, tc.path, "list_saml_users.json", "list_provisioned_users_page_2.json", "active", "true", "per_page", "2")
			opt := &ListGroupUsersOptions{ListOptions: ListOptions{PerPage: 2}, Active: Ptr(true)}
			got := collect(t, tc.iter(c, opt))
			assert.Equal(t, append([]*User{john, jane}, bot...), got)
			assert.Equal(t, &ListGroupUsersOptions{ListOptions: ListOptions{PerPage: 2}, Active: Ptr(true)}, opt)
		})
	}
}
