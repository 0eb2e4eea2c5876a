package model

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The group-only member endpoints of ee/lib/ee/api/members.rb: billable
// members (ee/app/finders/billed_users_finder.rb), pending members and
// their approval (ee/app/services/members/activate_service.rb), member
// state (Members::AwaitService) and the LDAP override.

// Billable is a billable member of a top-level group (EE's
// BillableMember entity): the user, how they take their seat, whether
// they can be removed and whether they are the group's last owner.
type Billable struct {
	User *User
	// MembershipType is "group_member", "project_member", "group_invite"
	// or "project_invite", the first that applies.
	MembershipType string
	Removable      bool
	LastOwner      bool
}

// rootAdmin runs the checks shared by these endpoints: a top-level group
// (BadRequest), whose admin_group_member actor has (BadRequest: these
// endpoints answer 400, not 403).
func (st *Store) rootAdmin(actor *User, g *Group, now time.Time) error {
	if g.ParentID != 0 || !st.canAdmin(actor, GroupSource(g.ID), now) {
		return badRequest("")
	}
	return nil
}

// billable returns the billable users of root's hierarchy by how they
// take their seat: its active, unexpired memberships (groups first),
// then the members of the groups shared into it. Bots and banned users
// take no seat.
func (st *Store) billable(root *Group, now time.Time) map[int64]string {
	out := map[int64]string{}
	take := func(rows []*Member, how string) {
		for _, m := range rows {
			u := st.users[m.UserID]
			if _, ok := out[m.UserID]; !ok && m.counts(now) && u != nil && !u.Bot && u.State != StateBanned {
				out[m.UserID] = how
			}
		}
	}
	srcs := st.hierarchy(root)
	for _, pass := range []string{SourceNamespace, SourceProject} {
		for _, src := range srcs {
			if src.Type == pass {
				take(st.mem.bySource[src], map[string]string{SourceNamespace: "group_member", SourceProject: "project_member"}[pass])
			}
		}
	}
	for _, pass := range []string{SourceNamespace, SourceProject} {
		for _, src := range srcs {
			if src.Type == pass {
				for _, s := range st.sharesOf(src) {
					if !expiredAt(s.ExpiresAt, now) {
						take(st.mem.bySource[GroupSource(s.GroupID)], map[string]string{SourceNamespace: "group_invite", SourceProject: "project_invite"}[pass])
					}
				}
			}
		}
	}
	return out
}

func (st *Store) sharesOf(src Source) []Share {
	if src.IsGroup() {
		if g := st.groups[src.ID]; g != nil {
			return g.SharedWith
		}
	} else if p := st.projects[src.ID]; p != nil {
		return p.SharedWith
	}
	return nil
}

// BillableSorts are the sort values GET /groups/:id/billable_members
// accepts.
var BillableSorts = []string{"access_level_asc", "access_level_desc", "last_joined", "name_asc", "name_desc",
	"oldest_joined", "oldest_sign_in", "recent_sign_in", "last_activity_on_asc", "last_activity_on_desc"}

// BillableMembers is GET /groups/:id/billable_members: top-level groups
// only, for admin_group_member holders (BadRequest otherwise); search
// is User.search, sort one of BillableSorts (access_level_*,
// last_joined and oldest_joined are accepted and change nothing, as on
// GitLab; the default is by user ID). Reads only.
func (st *Store) BillableMembers(actor *User, g *Group, search, sort string, now time.Time) ([]Billable, error) {
	if err := st.rootAdmin(actor, g, now); err != nil {
		return nil, err
	}
	seats, srcs := st.billable(g, now), st.hierarchy(g)
	q := strings.ToLower(strings.TrimPrefix(search, "@"))
	var out []Billable
	for _, id := range slices.Sorted(mapKeys(seats)) {
		u := st.users[id]
		if q != "" && searchRank(u, q) < 0 {
			continue
		}
		b := Billable{User: u, MembershipType: seats[id]}
		for _, src := range srcs {
			if m := st.row(id, src); m != nil && m.member(now) {
				b.Removable = true
				b.LastOwner = b.LastOwner || (src == GroupSource(g.ID) && st.lastOwner(m, now))
			}
		}
		out = append(out, b)
	}
	timeOf := func(t *time.Time) int64 {
		if t == nil {
			return 0
		}
		return t.Unix()
	}
	by := map[string]func(a, b Billable) int{
		"name_asc":  func(a, b Billable) int { return cmp.Compare(a.User.Name, b.User.Name) },
		"name_desc": func(a, b Billable) int { return cmp.Compare(b.User.Name, a.User.Name) },
		"recent_sign_in": func(a, b Billable) int {
			return cmp.Compare(timeOf(b.User.CurrentSignInAt), timeOf(a.User.CurrentSignInAt))
		},
		"oldest_sign_in": func(a, b Billable) int {
			return cmp.Compare(timeOf(a.User.CurrentSignInAt), timeOf(b.User.CurrentSignInAt))
		},
		"last_activity_on_asc": func(a, b Billable) int {
			return cmp.Compare(timeOf(a.User.LastActivityOn), timeOf(b.User.LastActivityOn))
		},
		"last_activity_on_desc": func(a, b Billable) int {
			return cmp.Compare(timeOf(b.User.LastActivityOn), timeOf(a.User.LastActivityOn))
		},
	}
	if f := by[sort]; f != nil {
		slices.SortStableFunc(out, f)
	}
	if q != "" {
		slices.SortStableFunc(out, func(a, b Billable) int { return cmp.Compare(searchRank(a.User, q), searchRank(b.User, q)) })
	}
	return out, nil
}

func mapKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// BillableMemberships is GET /groups/:id/billable_members/:user_id/
// memberships (indirect false: the user's direct memberships in the
// hierarchy) or …/indirect (the user's memberships of the groups shared
// into it): the checks of BillableMembers, then an unknown user
// (RecordNotFound) or one who is not billable (NotFound User). Reads
// only.
func (st *Store) BillableMemberships(actor *User, g *Group, userID int64, indirect bool, now time.Time) ([]*Member, error) {
	if err := st.rootAdmin(actor, g, now); err != nil {
		return nil, err
	}
	if st.users[userID] == nil {
		return nil, recordNotFound()
	}
	if _, ok := st.billable(g, now)[userID]; !ok {
		return nil, notFound("User")
	}
	var out []*Member
	for _, src := range st.hierarchy(g) {
		if !indirect {
			if m := st.row(userID, src); m != nil && m.member(now) {
				out = append(out, m)
			}
			continue
		}
		for _, s := range st.sharesOf(src) {
			if m := st.row(userID, GroupSource(s.GroupID)); m != nil && m.member(now) && !expiredAt(s.ExpiresAt, now) && !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	slices.SortFunc(out, func(a, b *Member) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// RemoveBillable is DELETE /groups/:id/billable_members/:user_id
// (Members::ScheduleDeletionService and the worker that carries it out,
// done at once here): a top-level group (BadRequest "Must be a root
// namespace"), admin_group_member (BadRequest "User not authorized"), a
// known user (BadRequest, the validation's words); then every
// membership of the user in the hierarchy is removed, except where they
// are a group's last owner, which Members::DestroyService refuses.
func (st *Store) RemoveBillable(actor *User, g *Group, userID int64, now time.Time) error {
	switch {
	case g.ParentID != 0:
		return badRequest("Must be a root namespace")
	case !st.canAdmin(actor, GroupSource(g.ID), now):
		return badRequest("User not authorized")
	case st.users[userID] == nil:
		return badRequest(`["User must exist"]`)
	}
	for _, src := range st.hierarchy(g) {
		if m := st.row(userID, src); m != nil && !st.lastOwner(m, now) {
			st.leave(m, now)
		}
	}
	return nil
}

// PendingMembers is GET /groups/:id/pending_members: the checks of
// BillableMembers, then the awaiting memberships and the invitations of
// the hierarchy, one per user or email, by user ID, then the invitations
// by email. Reads
// only.
func (st *Store) PendingMembers(actor *User, g *Group, now time.Time) ([]*Member, error) {
	if err := st.rootAdmin(actor, g, now); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []*Member
	for _, src := range st.hierarchy(g) {
		for _, m := range st.mem.bySource[src] {
			key := m.InviteEmail
			if m.UserID != 0 {
				key = "#" + strconv.FormatInt(m.UserID, 10)
			}
			if (m.Invite() || (m.member(now) && m.State == MemberAwaiting)) && !seen[key] {
				seen[key] = true
				out = append(out, m)
			}
		}
	}
	// ORDER BY user_id, invite_email (ee/app/models/ee/member.rb's
	// distinct_awaiting_or_invited_for_group): PostgreSQL sorts the
	// invitations' NULL user_id after every user.
	slices.SortFunc(out, func(a, b *Member) int {
		invite := func(m *Member) int {
			if m.UserID == 0 {
				return 1
			}
			return 0
		}
		return cmp.Or(cmp.Compare(invite(a), invite(b)), cmp.Compare(a.UserID, b.UserID), strings.Compare(a.InviteEmail, b.InviteEmail))
	})
	return out, nil
}

// ApproveMember is PUT /groups/:id/members/:member_id/approve: the row
// (NotFound, with no name), then the checks of BillableMembers; every
// awaiting row of that user (or invitation email) in the hierarchy is
// activated, or BadRequest "No memberships found".
func (st *Store) ApproveMember(actor *User, g *Group, memberID int64, now time.Time) error {
	m := st.mem.byID[memberID]
	if m == nil {
		return notFound("")
	}
	if err := st.rootAdmin(actor, g, now); err != nil {
		return err
	}
	return st.activate(g, func(o *Member) bool {
		return (m.UserID != 0 && o.UserID == m.UserID) || (m.UserID == 0 && o.InviteEmail == m.InviteEmail)
	}, now)
}

// ApproveAll is POST /groups/:id/members/approve_all: as ApproveMember,
// for every awaiting row of the hierarchy.
func (st *Store) ApproveAll(actor *User, g *Group, now time.Time) error {
	if err := st.rootAdmin(actor, g, now); err != nil {
		return err
	}
	return st.activate(g, func(*Member) bool { return true }, now)
}

func (st *Store) activate(g *Group, which func(*Member) bool, now time.Time) error {
	n := 0
	for _, src := range st.hierarchy(g) {
		for _, m := range st.mem.bySource[src] {
			if m.State == MemberAwaiting && m.RequestedAt == nil && which(m) {
				m.State, m.UpdatedAt = MemberActive, now
				n++
			}
		}
	}
	if n == 0 {
		return badRequest("No memberships found")
	}
	return nil
}

// SetMemberState is PUT /groups/:id/members/:user_id/state: the checks
// of BillableMembers, then every membership of the user in the
// hierarchy takes the state (Members::ActivateService or AwaitService);
// refusals are the services' (Unprocessable): "No memberships found",
// and for awaiting "The last owner cannot be set to awaiting" and "You
// cannot set yourself to awaiting".
func (st *Store) SetMemberState(actor *User, g *Group, u *User, state MemberState, now time.Time) error {
	if err := st.rootAdmin(actor, g, now); err != nil {
		return err
	}
	var rows []*Member
	for _, src := range st.hierarchy(g) {
		if m := st.row(u.ID, src); m != nil && m.member(now) && m.State != state {
			rows = append(rows, m)
		}
	}
	switch {
	case len(rows) == 0:
		return refused(Unprocessable, "No memberships found")
	case state == MemberAwaiting && actor.ID == u.ID:
		return refused(Unprocessable, "You cannot set yourself to awaiting")
	case state == MemberAwaiting && slices.ContainsFunc(rows, func(m *Member) bool { return st.lastOwner(m, now) }):
		return refused(Unprocessable, "The last owner cannot be set to awaiting")
	}
	for _, m := range rows {
		m.State, m.UpdatedAt = state, now
	}
	return nil
}

// SetOverride is POST (on) and DELETE (off) /groups/:id/members/:user_id/
// override: override_group_member, which administrators have (Forbidden
// otherwise), then the member's row (nil when the user is not a member,
// which GitLab answers with a null body), which must be an LDAP
// member's (Forbidden).
func (st *Store) SetOverride(actor *User, g *Group, userID int64, on bool, now time.Time) (*Member, error) {
	if !actor.Admin {
		return nil, forbidden("")
	}
	m := st.row(userID, GroupSource(g.ID))
	if m == nil || !m.member(now) {
		return nil, nil
	}
	if !m.LDAP {
		return nil, forbidden("")
	}
	m.Override, m.UpdatedAt = on, now
	return m, nil
}
