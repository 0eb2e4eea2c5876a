package gitlab

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sourceCases are the ways to name a group or project, each with the
// path prefix it must become: a path is one escaped segment.
var sourceCases = []struct {
	name   string
	src    Source
	prefix string
}{
	{"group id", GroupID(33), "/groups/33"},
	{"group path", GroupPath("platform/infra"), "/groups/platform%2Finfra"},
	{"project id", ProjectID(7), "/projects/7"},
	{"project path", ProjectPath("platform/infra/app"), "/projects/platform%2Finfra%2Fapp"},
}

func memberWant(t *testing.T) *Member {
	return &Member{
		ID: 1, Username: "raymond_smith", Name: "Raymond Smith", State: UserStateActive,
		AvatarURL:   "https://www.gravatar.com/avatar/c2525a7f58ae3776070e44c106c48e15?s=80&d=identicon",
		WebURL:      "http://192.168.1.8:3000/root",
		AccessLevel: AccessLevelDeveloper, CreatedAt: mustTime(t, "2012-09-22T14:13:35.000Z"),
		CreatedBy: &User{ID: 2, Username: "john_doe", PublicEmail: "john@example.com", Name: "John Doe", State: UserStateActive,
			AvatarURL: "https://www.gravatar.com/avatar/c2525a7f58ae3776070e44c106c48e15?s=80&d=identicon",
			WebURL:    "http://192.168.1.8:3000/root"},
		ExpiresAt:       isoDate(2012, time.October, 22),
		MembershipState: MemberStateActive,
	}
}

func memberListWant(t *testing.T) []*Member {
	return []*Member{memberWant(t), {
		ID: 2, Username: "john_doe", PublicEmail: "john@example.com", Name: "John Doe", State: UserStateActive, Locked: true,
		AvatarURL:   "https://www.gravatar.com/avatar/c2525a7f58ae3776070e44c106c48e15?s=80&d=identicon",
		WebURL:      "http://192.168.1.8:3000/root",
		AccessLevel: AccessLevelMaintainer, CreatedAt: mustTime(t, "2012-09-22T14:13:35.000Z"),
		GroupSAMLIdentity: &MemberSAMLIdentity{Provider: "group_saml", ExternUID: "ABC-1234567890", SAMLProviderID: 10},
		GroupSCIMIdentity: &MemberSCIMIdentity{ExternUID: "be20d8dcc028677c931e04f3871a9b5d", GroupID: 33, Active: true},
		Email:             "john@corp.example.com", IsUsingSeat: true, Override: true, MembershipState: MemberStateAwaiting,
		MemberRole: &MemberRole{ID: 14, GroupID: Ptr(int64(33)), Name: "Security reviewer", Description: "Reads vulnerabilities",
			BaseAccessLevel: AccessLevelReporter,
			Permissions:     map[string]bool{"read_code": true, "read_vulnerability": true, "admin_merge_request": false}},
	}}
}

func memberPage2Want(t *testing.T) *Member {
	return &Member{ID: 7, Username: "ops-bot", Name: "Ops Bot", State: UserStateBlocked, WebURL: "http://192.168.1.8:3000/ops-bot",
		AccessLevel: AccessLevelGuest, CreatedAt: mustTime(t, "2024-02-01T08:00:00.000Z"), ExpiresAt: isoDate(2026, time.January, 31),
		MembershipState: MemberStateActive}
}

// Every call of MembersService that groups and projects share, for
// each way of naming the source: method, escaped path, every parameter
// and every decoded field.
func TestMembersBySource(t *testing.T) {
	for _, sc := range sourceCases {
		src, p := sc.src, sc.prefix
		t.Run(sc.name, func(t *testing.T) {
			runEndpointCases(t, []endpointCase{
				{name: "List", method: "GET", path: p + "/members",
					match: queryIs("page", "2", "per_page", "2", "query", "@john", "show_seat_info", "true",
						"skip_users[]", "4", "skip_users[]", "5", "user_ids[]", "1", "user_ids[]", "2", "with_saml_identity", "true"),
					headers: []string{"X-Total", "3"}, fixture: "list_members.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Members.List(ctx, src, &ListMembersOptions{
							ListOptions: ListOptions{Page: 2, PerPage: 2}, Query: Ptr("@john"),
							UserIDs: []int64{1, 2}, SkipUsers: []int64{4, 5}, ShowSeatInfo: Ptr(true), WithSAMLIdentity: Ptr(true),
						}))
					},
					want:  memberListWant(t),
					check: func(t *testing.T, resp *Response, _ error) { require.Equal(t, 3, resp.TotalItems) }},
				{name: "ListNoOptions", method: "GET", path: p + "/members", match: queryIs(), fixture: "list_members.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Members.List(ctx, src, nil))
					},
					want: memberListWant(t)},
				{name: "ListAll", method: "GET", path: p + "/members/all",
					match: queryIs("per_page", "50", "query", "john", "show_seat_info", "false", "state", "awaiting",
						"user_ids[]", "2"),
					fixture: "list_members.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Members.ListAll(ctx, src, &ListAllMembersOptions{
							ListOptions: ListOptions{PerPage: 50}, Query: Ptr("john"), UserIDs: []int64{2},
							ShowSeatInfo: Ptr(false), State: Ptr(MemberStateAwaiting),
						}))
					},
					want: memberListWant(t)},
				{name: "Get", method: "GET", path: p + "/members/1", match: queryIs(), fixture: "get_member.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) { return value(c.Members.Get(ctx, src, 1)) },
					want: memberWant(t)},
				{name: "GetNotDirect", method: "GET", path: p + "/members/9",
					status: 404, json: map[string]string{"message": "404 Not found"},
					call:    func(ctx context.Context, c *Client) (any, *Response, error) { return value(c.Members.Get(ctx, src, 9)) },
					wantErr: ErrNotFound, errMsg: "404 Not found"},
				{name: "GetEffective", method: "GET", path: p + "/members/all/1", match: queryIs(), fixture: "get_member.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Members.GetEffective(ctx, src, 1))
					},
					want: memberWant(t)},
				{name: "AddByID", method: "POST", path: p + "/members",
					match: formIs("access_level", "30", "expires_at", "2012-10-22", "invite_source", "onboarding",
						"member_role_id", "14", "user_id", "1"),
					status: 201, fixture: "get_member.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Members.Add(ctx, src, &AddMemberOptions{UserID: Ptr(int64(1)), AccessLevel: Ptr(AccessLevelDeveloper),
							ExpiresAt: isoDate(2012, time.October, 22), InviteSource: Ptr("onboarding"), MemberRoleID: Ptr(int64(14))}))
					},
					want: memberWant(t)},
				{name: "AddByUsername", method: "POST", path: p + "/members",
					match:  formIs("access_level", "30", "username", "raymond_smith"),
					status: 201, fixture: "get_member.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Members.Add(ctx, src, &AddMemberOptions{Username: Ptr("raymond_smith"), AccessLevel: Ptr(AccessLevelDeveloper)}))
					},
					want: memberWant(t)},
				{name: "AddExisting", method: "POST", path: p + "/members",
					status: 409, json: map[string]string{"message": "Member already exists"},
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Members.Add(ctx, src, &AddMemberOptions{UserID: Ptr(int64(1)), AccessLevel: Ptr(AccessLevelGuest)}))
					},
					wantErr: ErrConflict, errMsg: "Member already exists"},
				{name: "AddPastExpiry", method: "POST", path: p + "/members",
					status: 400, body: `{"message":{"expires_at":["cannot be a date in the past"]}}`,
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Members.Add(ctx, src, &AddMemberOptions{UserID: Ptr(int64(1)), AccessLevel: Ptr(AccessLevelGuest),
							ExpiresAt: isoDate(2001, time.January, 1)}))
					},
					wantErr: ErrBadRequest, errFields: map[string][]string{"expires_at": {"cannot be a date in the past"}}},
				{name: "AddManyByID", method: "POST", path: p + "/members",
					match:  formIs("access_level", "20", "expires_at", "2030-01-31", "invite_source", "sync", "member_role_id", "3", "user_id", "1,2,3"),
					status: 201, fixture: "add_members_partial.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Members.AddMany(ctx, src, &AddMembersOptions{UserIDs: []int64{1, 2, 3}, AccessLevel: Ptr(AccessLevelReporter),
							ExpiresAt: isoDate(2030, time.January, 31), InviteSource: Ptr("sync"), MemberRoleID: Ptr(int64(3))}))
					},
					want: addManyPartialWant()},
				{name: "AddManyOneUsername", method: "POST", path: p + "/members",
					match:  formIs("access_level", "50", "username", "dave,"),
					status: 201, fixture: "add_members_success.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Members.AddMany(ctx, src, &AddMembersOptions{Usernames: []string{"dave"}, AccessLevel: Ptr(AccessLevelOwner)}))
					},
					want: &AddMembersResult{Status: AddMembersSuccess, QueuedUsers: map[string]string{"dave": "Request queued for administrator approval."}}},
				{name: "AddManyOneID", method: "POST", path: p + "/members",
					match:  formIs("access_level", "10", "user_id", "5,"),
					status: 201, body: `{"status":"success"}`,
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Members.AddMany(ctx, src, &AddMembersOptions{UserIDs: []int64{5}, AccessLevel: Ptr(AccessLevelGuest)}))
					},
					want: &AddMembersResult{Status: AddMembersSuccess}},
				{name: "AddManyWholeRequestFails", method: "POST", path: p + "/members",
					match:  formIs("access_level", "10", "username", "a,b"),
					status: 201, fixture: "add_members_too_many.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Members.AddMany(ctx, src, &AddMembersOptions{Usernames: []string{"a", "b"}, AccessLevel: Ptr(AccessLevelGuest)}))
					},
					want: &AddMembersResult{Status: AddMembersError, Message: "Too many users specified (limit is 100)", Reason: "too_many_invites_error"}},
				{name: "Update", method: "PUT", path: p + "/members/1",
					match:   formIs("access_level", "40", "expires_at", "2030-01-31", "member_role_id", "14"),
					fixture: "get_member.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Members.Update(ctx, src, 1, &UpdateMemberOptions{AccessLevel: Ptr(AccessLevelMaintainer),
							ExpiresAt: isoDate(2030, time.January, 31), MemberRoleID: Ptr(int64(14))}))
					},
					want: memberWant(t)},
				{name: "UpdateLastOwner", method: "PUT", path: p + "/members/1",
					match:  formIs("access_level", "30"),
					status: 403, json: map[string]string{"message": "403 Forbidden"},
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Members.Update(ctx, src, 1, &UpdateMemberOptions{AccessLevel: Ptr(AccessLevelDeveloper)}))
					},
					wantErr: ErrForbidden, errMsg: "403 Forbidden"},
				{name: "Remove", method: "DELETE", path: p + "/members/1",
					match:  queryIs("skip_subresources", "true", "unassign_issuables", "true"),
					status: 204,
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.Members.Remove(ctx, src, 1, &RemoveMemberOptions{SkipSubresources: Ptr(true), UnassignIssuables: Ptr(true)}))
					}},
				{name: "RemoveDefaults", method: "DELETE", path: p + "/members/1", match: queryIs(), status: 204,
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.Members.Remove(ctx, src, 1, nil))
					}},
			})
		})
	}
}

func addManyPartialWant() *AddMembersResult {
	return &AddMembersResult{
		Status: AddMembersError, HTTPStatus: "unauthorized",
		Message: "alice: Access level should be greater than or equal to Developer inherited membership from group Platform" +
			" and Expires at cannot be a date in the past, bob.smith: User project bots cannot be added to other groups / projects," +
			" and carol-x: not authorized to create member",
		Failures: map[string]string{
			"alice":     "Access level should be greater than or equal to Developer inherited membership from group Platform and Expires at cannot be a date in the past",
			"bob.smith": "User project bots cannot be added to other groups / projects",
			"carol-x":   "not authorized to create member",
		},
	}
}

// GitLab's sentence of per-user failures is split at each "username: "
// that follows Rails' to_sentence connectors, and nowhere else.
func TestAddMembersFailuresSplit(t *testing.T) {
	for msg, want := range map[string]map[string]string{
		"alice: Access level is invalid":                         {"alice": "Access level is invalid"},
		"alice: A and B and bob: C":                              {"alice": "A and B", "bob": "C"},
		"a: x, b: y, and c: z":                                   {"a": "x", "b": "y", "c": "z"},
		"a: Access level should be ... from group Ops: Infra":    {"a": "Access level should be ... from group Ops: Infra"},
		"No users specified.":                                    nil,
		"Invite email is invalid and jane.doe-2: Expires at bad": {"jane.doe-2": "Expires at bad"},
	} {
		assert.Equal(t, want, splitFailures(msg), msg)
	}
}

func TestMembersIterators(t *testing.T) {
	ctx := context.Background()
	for _, sc := range sourceCases {
		t.Run(sc.name, func(t *testing.T) {
			c := newTestClient(t)
			want := append(memberListWant(t), memberPage2Want(t))
			mockTwoPages(t, sc.prefix+"/members", "list_members.json", "list_members_page_2.json", "query", "j")
			require.Equal(t, want, collect(t, c.Members.ListIter(ctx, sc.src, &ListMembersOptions{Query: Ptr("j")})))
			mockTwoPages(t, sc.prefix+"/members/all", "list_members.json", "list_members_page_2.json", "state", "active")
			require.Equal(t, want, collect(t, c.Members.ListAllIter(ctx, sc.src, &ListAllMembersOptions{State: Ptr(MemberStateActive)})))
		})
	}
}

func billableWant(t *testing.T) []*BillableMember {
	return []*BillableMember{
		{ID: 1, Username: "raymond_smith", Name: "Raymond Smith", State: UserStateActive,
			AvatarURL: "https://www.gravatar.com/avatar/c2525a7f58ae3776070e44c106c48e15?s=80&d=identicon",
			WebURL:    "http://192.168.1.8:3000/root", LastActivityOn: isoDate(2021, time.January, 27),
			MembershipType: BillableGroupMember, Removable: true, CreatedAt: mustTime(t, "2021-01-03T12:16:02.000Z"),
			IsLastOwner: true, LastLoginAt: mustTime(t, "2022-10-09T01:33:06.000Z")},
		{ID: 2, Username: "john_doe", PublicEmail: "john@example.com", Name: "John Doe", State: UserStateActive,
			WebURL: "http://192.168.1.8:3000/john_doe", Email: Ptr("john@example.com"),
			MembershipType: BillableGroupInvite, CreatedAt: mustTime(t, "2021-01-03T12:16:02.000Z")},
	}
}

func billableMembershipsWant(t *testing.T) []*BillableMembership {
	return []*BillableMembership{
		{ID: 168, SourceID: 131, SourceFullName: "Root Group / Sub Group One",
			SourceMembersURL: "https://gitlab.example.com/groups/root-group/sub-group-one/-/group_members",
			CreatedAt:        mustTime(t, "2021-03-31T17:28:44.812Z"), ExpiresAt: isoDate(2022, time.March, 21),
			AccessLevel: BillableAccessLevel{StringValue: "Developer", IntegerValue: AccessLevelDeveloper}},
		{ID: 169, SourceID: 63, SourceFullName: "Root Group / Sub Group One / My Project",
			SourceMembersURL: "https://gitlab.example.com/root-group/sub-group-one/my-project/-/project_members",
			CreatedAt:        mustTime(t, "2021-03-31T17:29:14.934Z"),
			AccessLevel: BillableAccessLevel{StringValue: "Security reviewer", IntegerValue: AccessLevelReporter,
				CustomRole: &CustomRoleRef{ID: 14, Name: "Security reviewer"}}},
	}
}

func pendingWant() []*PendingMember {
	return []*PendingMember{
		{ID: 168, Name: "Alex Garcia", Username: "alex_garcia", Email: "alex@example.com",
			AvatarURL: "http://example.com/uploads/user/avatar/1/cd8.jpeg", WebURL: "http://example.com/alex_garcia"},
		{ID: 169, Email: "sidney@example.com", Invited: true,
			AvatarURL: "http://www.gravatar.com/avatar/bc1e44d5b0e97b7e8b4ac1c0f3b25d5a?s=80&d=identicon"},
	}
}

// The group-only calls of MembersService, for a group by ID and by path.
func TestMembersGroupOnly(t *testing.T) {
	for _, gc := range []struct {
		name   string
		group  GroupRef
		prefix string
	}{{"id", GroupID(33), "/groups/33"}, {"path", GroupPath("platform/infra"), "/groups/platform%2Finfra"}} {
		g, p := gc.group, gc.prefix
		t.Run(gc.name, func(t *testing.T) {
			runEndpointCases(t, []endpointCase{
				{name: "ListBillable", method: "GET", path: p + "/billable_members",
					match: queryIs("page", "1", "per_page", "2", "search", "john", "sort", "recent_sign_in"), fixture: "list_billable_members.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Members.ListBillable(ctx, g, &ListBillableMembersOptions{ListOptions: ListOptions{Page: 1, PerPage: 2},
							Search: Ptr("john"), Sort: Ptr(BillableMemberSortRecentSignIn)}))
					},
					want: billableWant(t)},
				{name: "ListBillableSubgroup", method: "GET", path: p + "/billable_members",
					status: 400, json: map[string]string{"message": "400 Bad request"},
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Members.ListBillable(ctx, g, nil))
					},
					wantErr: ErrBadRequest, errMsg: "400 Bad request"},
				{name: "ListBillableMemberships", method: "GET", path: p + "/billable_members/12/memberships",
					match: queryIs("per_page", "5"), fixture: "list_billable_memberships.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Members.ListBillableMemberships(ctx, g, 12, &ListOptions{PerPage: 5}))
					},
					want: billableMembershipsWant(t)},
				{name: "ListBillableIndirectMemberships", method: "GET", path: p + "/billable_members/12/indirect",
					match: queryIs(), fixture: "list_billable_memberships.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Members.ListBillableIndirectMemberships(ctx, g, 12, nil))
					},
					want: billableMembershipsWant(t)},
				{name: "RemoveBillable", method: "DELETE", path: p + "/billable_members/12", match: queryIs(), status: 204,
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.Members.RemoveBillable(ctx, g, 12))
					}},
				{name: "RemoveBillableScheduled", method: "DELETE", path: p + "/billable_members/12", status: 400,
					json: map[string]string{"message": `400 Bad request - ["User already scheduled for deletion"]`},
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.Members.RemoveBillable(ctx, g, 12))
					},
					wantErr: ErrBadRequest, errMsg: `400 Bad request - ["User already scheduled for deletion"]`},
				{name: "SetState", method: "PUT", path: p + "/members/12/state", match: formIs("state", "awaiting"),
					body: `{"success":true}`,
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.Members.SetState(ctx, g, 12, MemberStateAwaiting))
					}},
				{name: "SetStateNothing", method: "PUT", path: p + "/members/12/state", match: formIs("state", "active"),
					status: 422, json: map[string]string{"message": "No memberships found"},
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.Members.SetState(ctx, g, 12, MemberStateActive))
					},
					errMsg: "No memberships found"},
				{name: "ListPending", method: "GET", path: p + "/pending_members", match: queryIs("page", "3"),
					fixture: "list_pending_members.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Members.ListPending(ctx, g, &ListOptions{Page: 3}))
					},
					want: pendingWant()},
				{name: "Approve", method: "PUT", path: p + "/members/168/approve", match: []matcher{noBody}, status: 204,
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.Members.Approve(ctx, g, 168))
					}},
				{name: "ApproveNothing", method: "PUT", path: p + "/members/168/approve", status: 400,
					json: map[string]string{"message": "400 Bad request - No memberships found"},
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.Members.Approve(ctx, g, 168))
					},
					wantErr: ErrBadRequest, errMsg: "400 Bad request - No memberships found"},
				{name: "ApproveAll", method: "POST", path: p + "/members/approve_all", match: []matcher{noBody}, status: 204,
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return noValue(c.Members.ApproveAll(ctx, g))
					}},
				{name: "Override", method: "POST", path: p + "/members/1/override", match: []matcher{noBody}, status: 201,
					fixture: "get_member.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Members.Override(ctx, g, 1))
					},
					want: memberWant(t)},
				{name: "RemoveOverride", method: "DELETE", path: p + "/members/1/override", match: queryIs(),
					fixture: "get_member.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.Members.RemoveOverride(ctx, g, 1))
					},
					want: memberWant(t)},
			})
		})
	}
}

func TestMembersGroupOnlyIterators(t *testing.T) {
	ctx := context.Background()
	c := newTestClient(t)
	g, p := GroupPath("platform/infra"), "/groups/platform%2Finfra"
	mockTwoPages(t, p+"/billable_members", "list_billable_members.json", "list_billable_members_page_2.json", "sort", "name_asc")
	got := collect(t, c.Members.ListBillableIter(ctx, g, &ListBillableMembersOptions{Sort: Ptr(BillableMemberSortNameAsc)}))
	require.Equal(t, append(billableWant(t), &BillableMember{ID: 3, Username: "ops", Name: "Ops", State: UserStateBlocked,
		WebURL: "http://192.168.1.8:3000/ops", LastActivityOn: isoDate(2022, time.March, 4), MembershipType: BillableProjectMember,
		Removable: true, CreatedAt: mustTime(t, "2021-02-03T12:16:02.000Z")}), got)

	page3 := &BillableMembership{ID: 170, SourceID: 64, SourceFullName: "Root Group / Other",
		SourceMembersURL: "https://gitlab.example.com/root-group/other/-/project_members", CreatedAt: mustTime(t, "2021-04-01T10:00:00Z"),
		AccessLevel: BillableAccessLevel{StringValue: "Maintainer", IntegerValue: AccessLevelMaintainer}}
	mockTwoPages(t, p+"/billable_members/12/memberships", "list_billable_memberships.json", "list_billable_memberships_page_2.json")
	require.Equal(t, append(billableMembershipsWant(t), page3), collect(t, c.Members.ListBillableMembershipsIter(ctx, g, 12, nil)))
	mockTwoPages(t, p+"/billable_members/12/indirect", "list_billable_memberships.json", "list_billable_memberships_page_2.json", "per_page", "2")
	require.Equal(t, append(billableMembershipsWant(t), page3),
		collect(t, c.Members.ListBillableIndirectMembershipsIter(ctx, g, 12, &ListOptions{PerPage: 2})))

	mockTwoPages(t, p+"/pending_members", "list_pending_members.json", "list_pending_members_page_2.json")
	require.Equal(t, append(pendingWant(), &PendingMember{ID: 170, Name: "Zhang Wei", Username: "zhang_wei", Email: "zhang@example.com",
		WebURL: "http://example.com/zhang_wei", Approved: true, Invited: true}), collect(t, c.Members.ListPendingIter(ctx, g, nil)))
}

func TestMembersRoundTrip(t *testing.T) {
	assertRoundTrip[[]*Member](t, "list_members.json")
	assertRoundTrip[Member](t, "get_member.json")
	assertRoundTrip[AddMembersResult](t, "add_members_partial.json")
	assertRoundTrip[AddMembersResult](t, "add_members_success.json")
	assertRoundTrip[AddMembersResult](t, "add_members_too_many.json")
	assertRoundTrip[[]*BillableMember](t, "list_billable_members.json")
	assertRoundTrip[[]*BillableMembership](t, "list_billable_memberships.json")
	assertRoundTrip[[]*PendingMember](t, "list_pending_members.json")
}

// Which member writes are repeated after a 502: those whose repeat
// GitLab answers as it answered the first (AddMany, Update, Remove,
// Override, RemoveOverride) are; those whose repeat GitLab refuses
// (Add 409, Approve and ApproveAll "No memberships found", SetState
// 422, RemoveBillable "already scheduled") are sent once.
func TestMemberWritesRetriedOnlyWhenRepeatable(t *testing.T) {
	ctx := context.Background()
	g := GroupID(3)
	lvl := Ptr(AccessLevelDeveloper)
	calls := []struct {
		name    string
		repeats bool
		call    func(c *Client) error
	}{
		{"Add", false, func(c *Client) error {
			return errOf(c.Members.Add(ctx, g, &AddMemberOptions{UserID: Ptr(int64(1)), AccessLevel: lvl}))
		}},
		{"AddMany", true, func(c *Client) error {
			return errOf(c.Members.AddMany(ctx, g, &AddMembersOptions{UserIDs: []int64{1, 2}, AccessLevel: lvl}))
		}},
		{"Update", true, func(c *Client) error {
			return errOf(c.Members.Update(ctx, g, 1, &UpdateMemberOptions{AccessLevel: lvl}))
		}},
		{"Remove", true, func(c *Client) error { return errOfResp(c.Members.Remove(ctx, g, 1, nil)) }},
		{"RemoveBillable", false, func(c *Client) error { return errOfResp(c.Members.RemoveBillable(ctx, g, 1)) }},
		{"SetState", false, func(c *Client) error { return errOfResp(c.Members.SetState(ctx, g, 1, MemberStateActive)) }},
		{"Approve", false, func(c *Client) error { return errOfResp(c.Members.Approve(ctx, g, 1)) }},
		{"ApproveAll", false, func(c *Client) error { return errOfResp(c.Members.ApproveAll(ctx, g)) }},
		{"Override", true, func(c *Client) error { return errOf(c.Members.Override(ctx, g, 1)) }},
		{"RemoveOverride", true, func(c *Client) error { return errOf(c.Members.RemoveOverride(ctx, g, 1)) }},
		{"Invitations.Create", true, func(c *Client) error {
			return errOf(c.Invitations.Create(ctx, g, &CreateInvitationOptions{Email: []string{"a@example.com"}, AccessLevel: lvl}))
		}},
		{"Invitations.Update", true, func(c *Client) error {
			return errOf(c.Invitations.Update(ctx, g, "a@example.com", &UpdateInvitationOptions{AccessLevel: lvl}))
		}},
		{"Invitations.Delete", true, func(c *Client) error { return errOfResp(c.Invitations.Delete(ctx, g, "a@example.com")) }},
		{"AccessRequests.Request", false, func(c *Client) error { return errOf(c.AccessRequests.Request(ctx, g)) }},
		{"AccessRequests.Approve", false, func(c *Client) error { return errOf(c.AccessRequests.Approve(ctx, g, 1, nil)) }},
		{"AccessRequests.Deny", true, func(c *Client) error { return errOfResp(c.AccessRequests.Deny(ctx, g, 1)) }},
	}
	for _, tc := range calls {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			if n.Add(1) == 1 {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(`{"id":1,"status":"success"}`))
		}))
		err := tc.call(fastClient(t, srv.URL, WithRetryMax(3)))
		srv.Close()
		if tc.repeats {
			assert.NoError(t, err, tc.name)
			assert.EqualValues(t, 2, n.Load(), "%s: retried after the 502", tc.name)
		} else {
			var er *ErrorResponse
			require.ErrorAs(t, err, &er, tc.name)
			assert.Equal(t, http.StatusBadGateway, er.StatusCode, tc.name)
			assert.EqualValues(t, 1, n.Load(), "%s: sent once", tc.name)
		}
	}
}
