package gitlab

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func invitationsWant(t *testing.T) []*Invitation {
	return []*Invitation{
		{AccessLevel: AccessLevelDeveloper, CreatedAt: mustTime(t, "2020-10-22T14:13:35Z"), ExpiresAt: isoDate(2020, time.November, 22),
			InviteEmail: "member@example.org", InviteToken: "d8e8fca2dc0f896fd7cb4cb0031ba249", UserName: "Raymond Smith",
			CreatedByName: Ptr("Administrator")},
		{AccessLevel: AccessLevelGuest, CreatedAt: mustTime(t, "2020-10-23T09:00:00Z"),
			InviteEmail: "new+tag@example.org", InviteToken: "0cc175b9c0f1b6a831c399e269772661"},
	}
}

// Every call of InvitationsService, for each way of naming the source.
func TestInvitationsBySource(t *testing.T) {
	for _, sc := range sourceCases {
		src, p := sc.src, sc.prefix
		t.Run(sc.name, func(t *testing.T) {
			runEndpointCases(t, []endpointCase{
				{name: "Create", method: "POST", path: p + "/invitations",
					match: formIs("access_level", "30", "email", "jane+test@example.com,ann@example.com", "expires_at", "2030-01-31",
						"invite_source", "hr", "member_role_id", "4", "user_id", "5,6"),
					status: 201, fixture: "create_invitation_partial.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Invitations.Create(ctx, src, &CreateInvitationOptions{
							Email: []string{"jane+test@example.com", "ann@example.com"}, UserID: []int64{5, 6},
							AccessLevel: Ptr(AccessLevelDeveloper), ExpiresAt: isoDate(2030, time.January, 31),
							InviteSource: Ptr("hr"), MemberRoleID: Ptr(int64(4)),
						}))
					},
					want: &InvitationResult{Status: AddMembersError, Failures: map[string]string{
						"jane+test@example.com": "Invite email is invalid",
						"alice":                 "Access level should be greater than or equal to Developer inherited membership from group Platform",
					}}},
				{name: "CreateSuccess", method: "POST", path: p + "/invitations",
					match:  formIs("access_level", "10", "email", "ann@example.com"),
					status: 201, body: `{"status":"success"}`,
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Invitations.Create(ctx, src, &CreateInvitationOptions{Email: []string{"ann@example.com"}, AccessLevel: Ptr(AccessLevelGuest)}))
					},
					want: &InvitationResult{Status: AddMembersSuccess}},
				{name: "CreateForbidden", method: "POST", path: p + "/invitations",
					status: 403, json: map[string]string{"message": "403 Forbidden"},
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Invitations.Create(ctx, src, &CreateInvitationOptions{UserID: []int64{5}, AccessLevel: Ptr(AccessLevelOwner)}))
					},
					wantErr: ErrForbidden},
				{name: "List", method: "GET", path: p + "/invitations", match: queryIs("page", "2", "query", "member@example.org"),
					fixture: "list_invitations.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Invitations.List(ctx, src, &ListInvitationsOptions{ListOptions: ListOptions{Page: 2}, Query: Ptr("member@example.org")}))
					},
					want: invitationsWant(t)},
				{name: "Update", method: "PUT", path: p + "/invitations/member@example.org",
					match:   formIs("access_level", "40", "expires_at", "2030-01-31", "member_role_id", "2"),
					fixture: "update_invitation.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Invitations.Update(ctx, src, "member@example.org", &UpdateInvitationOptions{
							AccessLevel: Ptr(AccessLevelMaintainer), ExpiresAt: isoDate(2030, time.January, 31), MemberRoleID: Ptr(int64(2))}))
					},
					want: &Invitation{AccessLevel: AccessLevelMaintainer, CreatedAt: mustTime(t, "2020-10-22T14:13:35Z"),
						ExpiresAt: isoDate(2030, time.January, 31), InviteEmail: "member@example.org",
						InviteToken: "d8e8fca2dc0f896fd7cb4cb0031ba249", CreatedByName: Ptr("Administrator")}},
				{name: "UpdateNotFound", method: "PUT", path: p + "/invitations/a%2Fb.c%2Bd@example.org",
					status: 404, json: map[string]string{"message": "404 Not Found"},
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Invitations.Update(ctx, src, "a/b.c+d@example.org", &UpdateInvitationOptions{ExpiresAt: isoDate(2030, 1, 1)}))
					},
					wantErr: ErrNotFound, errMsg: "404 Not Found"},
				{name: "Delete", method: "DELETE", path: p + "/invitations/new%2Btag@example.org", match: queryIs(), status: 204,
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.Invitations.Delete(ctx, src, "new+tag@example.org"))
					}},
			})
		})
	}
}

func TestInvitationsListIter(t *testing.T) {
	c := newTestClient(t)
	for _, sc := range sourceCases {
		mockTwoPages(t, sc.prefix+"/invitations", "list_invitations.json", "list_invitations_page_2.json", "per_page", "2")
		got := collect(t, c.Invitations.ListIter(context.Background(), sc.src, &ListInvitationsOptions{ListOptions: ListOptions{PerPage: 2}}))
		require.Equal(t, append(invitationsWant(t), &Invitation{AccessLevel: AccessLevelMaintainer, CreatedAt: mustTime(t, "2020-10-24T09:00:00Z"),
			InviteEmail: "lead@example.org", InviteToken: "92eb5ffee6ae2fec3ad71c777531578f", CreatedByName: Ptr("Administrator")}), got, sc.name)
	}
}

func TestInvitationsRoundTrip(t *testing.T) {
	assertRoundTrip[[]*Invitation](t, "list_invitations.json")
	assertRoundTrip[Invitation](t, "update_invitation.json")
	assertRoundTrip[InvitationResult](t, "create_invitation_partial.json")
}
