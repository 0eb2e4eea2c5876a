package gitlab

import (
	"context"
	"slices"
	"strings"
)

// forSources is one case per Source that cannot be right.
func forSources(method string, call func(ctx context.Context, c *Client, s Source) error) []badArg {
	refs := []struct {
		bad string
		ref Source
	}{
		{"nil Source", nil},
		{"GroupID 0", GroupID(0)},
		{"GroupID -1", GroupID(-1)},
		{"empty group path", GroupPath("")},
		{"ProjectID 0", ProjectID(0)},
		{"project path with newline", ProjectPath("a/b\n")},
	}
	var out []badArg
	for _, r := range refs {
		out = append(out, badArg{method, r.bad, func(ctx context.Context, c *Client) error { return call(ctx, c, r.ref) }})
	}
	return out
}

// forLevels is one case per access level GitLab gives no membership:
// no access, admin, a level between roles, a negative one.
func forLevels(method string, call func(ctx context.Context, c *Client, l AccessLevel) error) []badArg {
	var out []badArg
	for _, l := range []AccessLevel{AccessLevelNone, AccessLevelAdmin, 13, -10} {
		out = append(out, badArg{method, "access level " + l.String(), func(ctx context.Context, c *Client) error { return call(ctx, c, l) }})
	}
	return out
}

// membershipBadArgs are the rows of badArgs for MembersService,
// InvitationsService and AccessRequestsService.
func membershipBadArgs() []badArg {
	var nilCtx context.Context
	src := GroupPath("a/b")
	dev := Ptr(AccessLevelDeveloper)
	add := &AddMemberOptions{UserID: Ptr(int64(5)), AccessLevel: dev}
	many := &AddMembersOptions{UserIDs: []int64{5, 6}, AccessLevel: dev}
	inv := &CreateInvitationOptions{Email: []string{"a@example.com"}, AccessLevel: dev}
	upd := &UpdateMemberOptions{AccessLevel: dev}
	tooMany := make([]int64, 101)
	for i := range tooMany {
		tooMany[i] = int64(i + 1)
	}
	m := func(name string) string { return "Members." + name }
	return slices.Concat(
		// Members: sources
		forSources(m("List"), func(ctx context.Context, c *Client, s Source) error { return rejected(c.Members.List(ctx, s, nil)) }),
		forSources(m("ListIter"), func(ctx context.Context, c *Client, s Source) error {
			return rejectedIter(c.Members.ListIter(ctx, s, nil))
		}),
		forSources(m("ListAll"), func(ctx context.Context, c *Client, s Source) error { return rejected(c.Members.ListAll(ctx, s, nil)) }),
		forSources(m("ListAllIter"), func(ctx context.Context, c *Client, s Source) error {
			return rejectedIter(c.Members.ListAllIter(ctx, s, nil))
		}),
		forSources(m("Get"), func(ctx context.Context, c *Client, s Source) error { return rejected(c.Members.Get(ctx, s, 1)) }),
		forSources(m("GetEffective"), func(ctx context.Context, c *Client, s Source) error {
			return rejected(c.Members.GetEffective(ctx, s, 1))
		}),
		forSources(m("Add"), func(ctx context.Context, c *Client, s Source) error { return rejected(c.Members.Add(ctx, s, add)) }),
		forSources(m("AddMany"), func(ctx context.Context, c *Client, s Source) error { return rejected(c.Members.AddMany(ctx, s, many)) }),
		forSources(m("Update"), func(ctx context.Context, c *Client, s Source) error {
			return rejected(c.Members.Update(ctx, s, 1, upd))
		}),
		forSources(m("Remove"), func(ctx context.Context, c *Client, s Source) error {
			return rejectedResp(c.Members.Remove(ctx, s, 1, nil))
		}),
		// Members: user ids
		forIDs(m("Get"), "user id", func(ctx context.Context, c *Client, id int64) error { return rejected(c.Members.Get(ctx, src, id)) }),
		forIDs(m("GetEffective"), "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.Members.GetEffective(ctx, src, id))
		}),
		forIDs(m("Update"), "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.Members.Update(ctx, src, id, upd))
		}),
		forIDs(m("Remove"), "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.Members.Remove(ctx, src, id, nil))
		}),
		forIDs(m("Add"), "user_id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.Members.Add(ctx, src, &AddMemberOptions{UserID: &id, AccessLevel: dev}))
		}),
		forIDs(m("AddMany"), "user_ids entry", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.Members.AddMany(ctx, src, &AddMembersOptions{UserIDs: []int64{5, id}, AccessLevel: dev}))
		}),
		// Members: levels
		forLevels(m("Add"), func(ctx context.Context, c *Client, l AccessLevel) error {
			return rejected(c.Members.Add(ctx, src, &AddMemberOptions{Username: Ptr("jane"), AccessLevel: &l}))
		}),
		forLevels(m("AddMany"), func(ctx context.Context, c *Client, l AccessLevel) error {
			return rejected(c.Members.AddMany(ctx, src, &AddMembersOptions{Usernames: []string{"jane"}, AccessLevel: &l}))
		}),
		forLevels(m("Update"), func(ctx context.Context, c *Client, l AccessLevel) error {
			return rejected(c.Members.Update(ctx, src, 1, &UpdateMemberOptions{AccessLevel: &l}))
		}),
		[]badArg{
			{m("List"), "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.Members.List(nilCtx, src, nil)) }},
			{m("ListAll"), "unknown state", func(ctx context.Context, c *Client) error {
				return rejected(c.Members.ListAll(ctx, src, &ListAllMembersOptions{State: Ptr(MemberState("pending"))}))
			}},
			{m("Add"), "nil options", func(ctx context.Context, c *Client) error { return rejected(c.Members.Add(ctx, src, nil)) }},
			{m("Add"), "no user", func(ctx context.Context, c *Client) error {
				return rejected(c.Members.Add(ctx, src, &AddMemberOptions{AccessLevel: dev}))
			}},
			{m("Add"), "user_id and username", func(ctx context.Context, c *Client) error {
				return rejected(c.Members.Add(ctx, src, &AddMemberOptions{UserID: Ptr(int64(1)), Username: Ptr("jane"), AccessLevel: dev}))
			}},
			{m("Add"), "empty username", func(ctx context.Context, c *Client) error {
				return rejected(c.Members.Add(ctx, src, &AddMemberOptions{Username: Ptr(""), AccessLevel: dev}))
			}},
			{m("Add"), "username with a comma", func(ctx context.Context, c *Client) error {
				return rejected(c.Members.Add(ctx, src, &AddMemberOptions{Username: Ptr("jane,joe"), AccessLevel: dev}))
			}},
			{m("Add"), "no access level", func(ctx context.Context, c *Client) error {
				return rejected(c.Members.Add(ctx, src, &AddMemberOptions{UserID: Ptr(int64(1))}))
			}},
			{m("AddMany"), "nil options", func(ctx context.Context, c *Client) error { return rejected(c.Members.AddMany(ctx, src, nil)) }},
			{m("AddMany"), "no users", func(ctx context.Context, c *Client) error {
				return rejected(c.Members.AddMany(ctx, src, &AddMembersOptions{AccessLevel: dev}))
			}},
			{m("AddMany"), "ids and usernames", func(ctx context.Context, c *Client) error {
				return rejected(c.Members.AddMany(ctx, src, &AddMembersOptions{UserIDs: []int64{1}, Usernames: []string{"jane"}, AccessLevel: dev}))
			}},
			{m("AddMany"), "101 users", func(ctx context.Context, c *Client) error {
				return rejected(c.Members.AddMany(ctx, src, &AddMembersOptions{UserIDs: tooMany, AccessLevel: dev}))
			}},
			{m("AddMany"), "empty username", func(ctx context.Context, c *Client) error {
				return rejected(c.Members.AddMany(ctx, src, &AddMembersOptions{Usernames: []string{"jane", ""}, AccessLevel: dev}))
			}},
			{m("AddMany"), "username with a comma", func(ctx context.Context, c *Client) error {
				return rejected(c.Members.AddMany(ctx, src, &AddMembersOptions{Usernames: []string{"a,b"}, AccessLevel: dev}))
			}},
			{m("AddMany"), "no access level", func(ctx context.Context, c *Client) error {
				return rejected(c.Members.AddMany(ctx, src, &AddMembersOptions{UserIDs: []int64{1, 2}}))
			}},
			{m("AddMany"), "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.Members.AddMany(nilCtx, src, many)) }},
			{m("Update"), "nil options", func(ctx context.Context, c *Client) error { return rejected(c.Members.Update(ctx, src, 1, nil)) }},
			{m("Update"), "only expires_at", func(ctx context.Context, c *Client) error {
				return rejected(c.Members.Update(ctx, src, 1, &UpdateMemberOptions{ExpiresAt: isoDate(2030, 1, 1)}))
			}},
		},

		// Members: groups only
		forGroupRefs(m("ListBillable"), func(ctx context.Context, c *Client, g GroupRef) error {
			return rejected(c.Members.ListBillable(ctx, g, nil))
		}),
		forGroupRefs(m("ListBillableIter"), func(ctx context.Context, c *Client, g GroupRef) error {
			return rejectedIter(c.Members.ListBillableIter(ctx, g, nil))
		}),
		forGroupRefs(m("ListBillableMemberships"), func(ctx context.Context, c *Client, g GroupRef) error {
			return rejected(c.Members.ListBillableMemberships(ctx, g, 1, nil))
		}),
		forIDs(m("ListBillableMemberships"), "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.Members.ListBillableMemberships(ctx, src, id, nil))
		}),
		forGroupRefs(m("ListBillableMembershipsIter"), func(ctx context.Context, c *Client, g GroupRef) error {
			return rejectedIter(c.Members.ListBillableMembershipsIter(ctx, g, 1, nil))
		}),
		forIDs(m("ListBillableMembershipsIter"), "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedIter(c.Members.ListBillableMembershipsIter(ctx, src, id, nil))
		}),
		forGroupRefs(m("ListBillableIndirectMemberships"), func(ctx context.Context, c *Client, g GroupRef) error {
			return rejected(c.Members.ListBillableIndirectMemberships(ctx, g, 1, nil))
		}),
		forIDs(m("ListBillableIndirectMemberships"), "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.Members.ListBillableIndirectMemberships(ctx, src, id, nil))
		}),
		forGroupRefs(m("ListBillableIndirectMembershipsIter"), func(ctx context.Context, c *Client, g GroupRef) error {
			return rejectedIter(c.Members.ListBillableIndirectMembershipsIter(ctx, g, 1, nil))
		}),
		forIDs(m("ListBillableIndirectMembershipsIter"), "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedIter(c.Members.ListBillableIndirectMembershipsIter(ctx, src, id, nil))
		}),
		forGroupRefs(m("RemoveBillable"), func(ctx context.Context, c *Client, g GroupRef) error {
			return rejectedResp(c.Members.RemoveBillable(ctx, g, 1))
		}),
		forIDs(m("RemoveBillable"), "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.Members.RemoveBillable(ctx, src, id))
		}),
		forGroupRefs(m("SetState"), func(ctx context.Context, c *Client, g GroupRef) error {
			return rejectedResp(c.Members.SetState(ctx, g, 1, MemberStateActive))
		}),
		forIDs(m("SetState"), "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.Members.SetState(ctx, src, id, MemberStateAwaiting))
		}),
		forGroupRefs(m("ListPending"), func(ctx context.Context, c *Client, g GroupRef) error {
			return rejected(c.Members.ListPending(ctx, g, nil))
		}),
		forGroupRefs(m("ListPendingIter"), func(ctx context.Context, c *Client, g GroupRef) error {
			return rejectedIter(c.Members.ListPendingIter(ctx, g, nil))
		}),
		forGroupRefs(m("Approve"), func(ctx context.Context, c *Client, g GroupRef) error {
			return rejectedResp(c.Members.Approve(ctx, g, 1))
		}),
		forIDs(m("Approve"), "member id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.Members.Approve(ctx, src, id))
		}),
		forGroupRefs(m("ApproveAll"), func(ctx context.Context, c *Client, g GroupRef) error {
			return rejectedResp(c.Members.ApproveAll(ctx, g))
		}),
		forGroupRefs(m("Override"), func(ctx context.Context, c *Client, g GroupRef) error { return rejected(c.Members.Override(ctx, g, 1)) }),
		forIDs(m("Override"), "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.Members.Override(ctx, src, id))
		}),
		forGroupRefs(m("RemoveOverride"), func(ctx context.Context, c *Client, g GroupRef) error {
			return rejected(c.Members.RemoveOverride(ctx, g, 1))
		}),
		forIDs(m("RemoveOverride"), "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.Members.RemoveOverride(ctx, src, id))
		}),
		[]badArg{
			{m("ListBillable"), "unknown sort", func(ctx context.Context, c *Client) error {
				return rejected(c.Members.ListBillable(ctx, src, &ListBillableMembersOptions{Sort: Ptr(BillableMemberSort("id_asc"))}))
			}},
			{m("SetState"), "empty state", func(ctx context.Context, c *Client) error { return rejectedResp(c.Members.SetState(ctx, src, 1, "")) }},
			{m("SetState"), "unknown state", func(ctx context.Context, c *Client) error {
				return rejectedResp(c.Members.SetState(ctx, src, 1, "pending"))
			}},
			{m("ApproveAll"), "nil ctx", func(_ context.Context, c *Client) error { return rejectedResp(c.Members.ApproveAll(nilCtx, src)) }},
		},

		// Invitations
		forSources("Invitations.Create", func(ctx context.Context, c *Client, s Source) error {
			return rejected(c.Invitations.Create(ctx, s, inv))
		}),
		forSources("Invitations.List", func(ctx context.Context, c *Client, s Source) error { return rejected(c.Invitations.List(ctx, s, nil)) }),
		forSources("Invitations.ListIter", func(ctx context.Context, c *Client, s Source) error {
			return rejectedIter(c.Invitations.ListIter(ctx, s, nil))
		}),
		forSources("Invitations.Update", func(ctx context.Context, c *Client, s Source) error {
			return rejected(c.Invitations.Update(ctx, s, "a@example.com", &UpdateInvitationOptions{AccessLevel: dev}))
		}),
		forSources("Invitations.Delete", func(ctx context.Context, c *Client, s Source) error {
			return rejectedResp(c.Invitations.Delete(ctx, s, "a@example.com"))
		}),
		forLevels("Invitations.Create", func(ctx context.Context, c *Client, l AccessLevel) error {
			return rejected(c.Invitations.Create(ctx, src, &CreateInvitationOptions{Email: []string{"a@example.com"}, AccessLevel: &l}))
		}),
		forLevels("Invitations.Update", func(ctx context.Context, c *Client, l AccessLevel) error {
			return rejected(c.Invitations.Update(ctx, src, "a@example.com", &UpdateInvitationOptions{AccessLevel: &l}))
		}),
		forIDs("Invitations.Create", "user_id entry", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.Invitations.Create(ctx, src, &CreateInvitationOptions{UserID: []int64{id}, AccessLevel: dev}))
		}),
		[]badArg{
			{"Invitations.Create", "nil options", func(ctx context.Context, c *Client) error { return rejected(c.Invitations.Create(ctx, src, nil)) }},
			{"Invitations.Create", "no email or user", func(ctx context.Context, c *Client) error {
				return rejected(c.Invitations.Create(ctx, src, &CreateInvitationOptions{AccessLevel: dev}))
			}},
			{"Invitations.Create", "empty email", func(ctx context.Context, c *Client) error {
				return rejected(c.Invitations.Create(ctx, src, &CreateInvitationOptions{Email: []string{""}, AccessLevel: dev}))
			}},
			{"Invitations.Create", "email with a comma", func(ctx context.Context, c *Client) error {
				return rejected(c.Invitations.Create(ctx, src, &CreateInvitationOptions{Email: []string{"a@b.c,d@e.f"}, AccessLevel: dev}))
			}},
			{"Invitations.Create", "email without @", func(ctx context.Context, c *Client) error {
				return rejected(c.Invitations.Create(ctx, src, &CreateInvitationOptions{Email: []string{"jane"}, AccessLevel: dev}))
			}},
			{"Invitations.Create", "no access level", func(ctx context.Context, c *Client) error {
				return rejected(c.Invitations.Create(ctx, src, &CreateInvitationOptions{Email: []string{"a@example.com"}}))
			}},
			{"Invitations.Create", "101 invitees", func(ctx context.Context, c *Client) error {
				emails := strings.Split(strings.Repeat("a@example.com ", 101), " ")[:101]
				return rejected(c.Invitations.Create(ctx, src, &CreateInvitationOptions{Email: emails, AccessLevel: dev}))
			}},
			{"Invitations.List", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.Invitations.List(nilCtx, src, nil)) }},
			{"Invitations.Update", "empty email", func(ctx context.Context, c *Client) error {
				return rejected(c.Invitations.Update(ctx, src, "", &UpdateInvitationOptions{AccessLevel: dev}))
			}},
			{"Invitations.Update", "nil options", func(ctx context.Context, c *Client) error {
				return rejected(c.Invitations.Update(ctx, src, "a@example.com", nil))
			}},
			{"Invitations.Update", "no field", func(ctx context.Context, c *Client) error {
				return rejected(c.Invitations.Update(ctx, src, "a@example.com", &UpdateInvitationOptions{}))
			}},
			{"Invitations.Update", "minimal access", func(ctx context.Context, c *Client) error {
				return rejected(c.Invitations.Update(ctx, src, "a@example.com", &UpdateInvitationOptions{AccessLevel: Ptr(AccessLevelMinimal)}))
			}},
			{"Invitations.Delete", "empty email", func(ctx context.Context, c *Client) error { return rejectedResp(c.Invitations.Delete(ctx, src, "")) }},
			{"Invitations.Delete", "not an email", func(ctx context.Context, c *Client) error {
				return rejectedResp(c.Invitations.Delete(ctx, src, "a/b"))
			}},
		},

		// Access requests
		forSources("AccessRequests.List", func(ctx context.Context, c *Client, s Source) error {
			return rejected(c.AccessRequests.List(ctx, s, nil))
		}),
		forSources("AccessRequests.ListIter", func(ctx context.Context, c *Client, s Source) error {
			return rejectedIter(c.AccessRequests.ListIter(ctx, s, nil))
		}),
		forSources("AccessRequests.Request", func(ctx context.Context, c *Client, s Source) error {
			return rejected(c.AccessRequests.Request(ctx, s))
		}),
		forSources("AccessRequests.Approve", func(ctx context.Context, c *Client, s Source) error {
			return rejected(c.AccessRequests.Approve(ctx, s, 1, nil))
		}),
		forIDs("AccessRequests.Approve", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.AccessRequests.Approve(ctx, src, id, nil))
		}),
		forLevels("AccessRequests.Approve", func(ctx context.Context, c *Client, l AccessLevel) error {
			return rejected(c.AccessRequests.Approve(ctx, src, 1, &ApproveAccessRequestOptions{AccessLevel: &l}))
		}),
		forSources("AccessRequests.Deny", func(ctx context.Context, c *Client, s Source) error {
			return rejectedResp(c.AccessRequests.Deny(ctx, s, 1))
		}),
		forIDs("AccessRequests.Deny", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.AccessRequests.Deny(ctx, src, id))
		}),
		[]badArg{
			{"AccessRequests.Request", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.AccessRequests.Request(nilCtx, src)) }},
		},
	)
}
