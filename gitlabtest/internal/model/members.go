package model

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Members of groups and projects, from app/models/member.rb,
// app/models/members/{group,project}_member.rb, app/finders/
// {group_members,members}_finder.rb and app/services/members/*.rb (EE:
// ee/app/models/ee/member.rb, ee/app/services/members/*.rb); see
// https://docs.gitlab.com/api/members/.

// Source is a group (Type SourceNamespace) or a project (SourceProject)
// that has members.
type Source struct {
	Type string
	ID   int64
}

// GroupSource is the source of group id.
func GroupSource(id int64) Source { return Source{Type: SourceNamespace, ID: id} }

// ProjectSource is the source of project id.
func ProjectSource(id int64) Source { return Source{Type: SourceProject, ID: id} }

// IsGroup reports whether s is a group.
func (s Source) IsGroup() bool { return s.Type == SourceNamespace }

// MemberState is a membership's state (EE's members.state): an
// awaiting member takes no seat and has no access until approved.
type MemberState string

// Member states, as GitLab names them in "membership_state".
const (
	MemberActive   MemberState = "active"
	MemberAwaiting MemberState = "awaiting"
)

// Member is a row of GitLab's members table: a user's direct membership
// of a group or a project, an email invitation (UserID 0, InviteEmail
// set) or an access request (RequestedAt set).
type Member struct {
	ID     int64
	Source Source
	UserID int64
	// InviteEmail (lower-cased) and InviteToken are an invitation's.
	InviteEmail string
	InviteToken string
	AccessLevel int
	// ExpiresAt is the day the membership ends (midnight UTC): it
	// counts for nothing from then on (Member#expired?).
	ExpiresAt   *time.Time
	CreatedByID int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	RequestedAt *time.Time
	State       MemberState
	// LDAP marks a member synced from LDAP; Override lets the API
	// change it anyway.
	LDAP, Override bool
	// sourceName is the name of a seeded source the store does not hold.
	sourceName string
}

// Invite reports whether m is a pending email invitation.
func (m *Member) Invite() bool { return m.UserID == 0 && m.InviteEmail != "" }

// Expired reports whether m's expiry day has come (Member#expired?).
func (m *Member) Expired(now time.Time) bool { return expiredAt(m.ExpiresAt, now) }

func expiredAt(t *time.Time, now time.Time) bool { return t != nil && !now.Before(*t) }

// member reports whether m is a membership (not an invitation or an
// access request) that has not expired.
func (m *Member) member(now time.Time) bool {
	return m.UserID != 0 && m.RequestedAt == nil && !m.Expired(now)
}

// counts reports whether m gives access: an active, unexpired
// membership.
func (m *Member) counts(now time.Time) bool { return m.member(now) && m.State == MemberActive }

// members indexes the member rows by source and by user, so that a
// source's members and a user's memberships are found without scanning
// every user or every row.
type members struct {
	byID     map[int64]*Member
	bySource map[Source][]*Member // ascending ID
	byUser   map[int64][]*Member  // ascending ID
	next     int64
}

// insert stores m with the next member ID and records its joined event.
func (st *Store) insert(m *Member) *Member { return st.joined(st.index(m), m.CreatedAt) }

// index stores m with the next member ID (seeding's way: no event).
func (st *Store) index(m *Member) *Member {
	x := &st.mem
	if x.byID == nil {
		x.byID, x.bySource, x.byUser = map[int64]*Member{}, map[Source][]*Member{}, map[int64][]*Member{}
	}
	x.next++
	m.ID = x.next
	if m.State == "" {
		m.State = MemberActive
	}
	m.UpdatedAt = m.CreatedAt
	x.byID[m.ID] = m
	x.bySource[m.Source] = append(x.bySource[m.Source], m)
	if m.UserID != 0 {
		x.byUser[m.UserID] = append(x.byUser[m.UserID], m)
	}
	return m
}

// remove deletes m from the store and its indexes.
func (st *Store) remove(m *Member) {
	x := &st.mem
	delete(x.byID, m.ID)
	x.bySource[m.Source] = slices.DeleteFunc(x.bySource[m.Source], func(o *Member) bool { return o == m })
	if len(x.bySource[m.Source]) == 0 {
		delete(x.bySource, m.Source)
	}
	if m.UserID != 0 {
		x.byUser[m.UserID] = slices.DeleteFunc(x.byUser[m.UserID], func(o *Member) bool { return o == m })
		if len(x.byUser[m.UserID]) == 0 {
			delete(x.byUser, m.UserID)
		}
	}
}

// setUser links invitation m to a user (Member#accept_invite!).
func (st *Store) setUser(m *Member, userID int64) {
	m.UserID, m.InviteToken = userID, ""
	st.mem.byUser[userID] = append(st.mem.byUser[userID], m)
	slices.SortFunc(st.mem.byUser[userID], func(a, b *Member) int { return cmp.Compare(a.ID, b.ID) })
}

// MemberRows returns every row of src (memberships, invitations and
// access requests) by ascending ID (shared: do not modify). Reads only.
func (st *Store) MemberRows(src Source) []*Member { return st.mem.bySource[src] }

// UserRows returns every row of the user by ascending ID (shared: do
// not modify). Reads only.
func (st *Store) UserRows(userID int64) []*Member { return st.mem.byUser[userID] }

// MemberByID returns the row with this ID, or nil. Reads only.
func (st *Store) MemberByID(id int64) *Member { return st.mem.byID[id] }

// row returns the user's row of src that is not an access request, or
// nil.
func (st *Store) row(userID int64, src Source) *Member {
	for _, m := range st.mem.byUser[userID] {
		if m.Source == src && m.RequestedAt == nil {
			return m
		}
	}
	return nil
}

// requestRow returns the user's access request to src, or nil.
func (st *Store) requestRow(userID int64, src Source) *Member {
	for _, m := range st.mem.byUser[userID] {
		if m.Source == src && m.RequestedAt != nil {
			return m
		}
	}
	return nil
}

// deleteUserMembers removes every row of a deleted user.
func (st *Store) deleteUserMembers(userID int64) {
	for _, m := range slices.Clone(st.mem.byUser[userID]) {
		st.remove(m)
	}
}

// --- sources -------------------------------------------------------------

// SourceName is the name of src (GitLab's source_name).
func (st *Store) SourceName(src Source) string {
	if src.IsGroup() {
		if g := st.groups[src.ID]; g != nil {
			return g.Name
		}
	} else if p := st.projects[src.ID]; p != nil {
		return p.Name
	}
	for _, m := range st.mem.bySource[src] {
		if m.sourceName != "" {
			return m.sourceName
		}
	}
	return ""
}

// SourceFullName is src's full name, "Parent / Child" as GitLab's
// full_name.
func (st *Store) SourceFullName(src Source) string {
	var names []string
	g := st.groups[src.ID]
	if !src.IsGroup() {
		p := st.projects[src.ID]
		if p == nil {
			return ""
		}
		names = append(names, p.Name)
		g = st.groups[p.GroupID]
	}
	for _, a := range st.selfAndAncestors(g) {
		names = append(names, a.Name)
	}
	slices.Reverse(names)
	return strings.Join(names, " / ")
}

// selfAndAncestors returns g and its ancestors, nearest first.
func (st *Store) selfAndAncestors(g *Group) []*Group {
	var out []*Group
	for ; g != nil && len(out) < 100; g = st.groups[g.ParentID] {
		out = append(out, g)
	}
	return out
}

// rootOf returns the top-level group of src, or nil for a project in a
// personal namespace.
func (st *Store) rootOf(src Source) *Group {
	g := st.groups[src.ID]
	if !src.IsGroup() {
		g = nil
		if p := st.projects[src.ID]; p != nil {
			g = st.groups[p.GroupID]
		}
	}
	a := st.selfAndAncestors(g)
	if len(a) == 0 {
		return nil
	}
	return a[len(a)-1]
}

// hierarchy returns the sources of root's hierarchy: its groups (root
// and every descendant) and their projects.
func (st *Store) hierarchy(root *Group) []Source {
	in := map[int64]bool{}
	var out []Source
	for _, g := range st.Groups() {
		for _, a := range st.selfAndAncestors(g) {
			if a.ID == root.ID {
				in[g.ID] = true
				out = append(out, GroupSource(g.ID))
				break
			}
		}
	}
	for _, p := range st.Projects() {
		if in[p.GroupID] {
			out = append(out, ProjectSource(p.ID))
		}
	}
	return out
}

// FindSource is find_source (lib/api/helpers/members_helpers.rb): the
// group or project ref (an ID or a full path) that actor can see, or
// NotFound "Group" or "Project". Reads only.
func (st *Store) FindSource(actor *User, group bool, ref string, now time.Time) (Source, error) {
	if group {
		if g := st.FindGroup(ref); g != nil && st.CanReadGroup(actor, g, now) {
			return GroupSource(g.ID), nil
		}
		return Source{}, notFound("Group")
	}
	if p := st.FindProject(ref); p != nil && st.CanReadProject(actor, p, now) {
		return ProjectSource(p.ID), nil
	}
	return Source{}, notFound("Project")
}

// --- access --------------------------------------------------------------

// level is the user's direct level in src: an active, unexpired
// membership's, or 0.
func (st *Store) level(userID int64, src Source, now time.Time) int {
	if m := st.row(userID, src); m != nil && m.counts(now) {
		return m.AccessLevel
	}
	return 0
}

// inherited is the user's level in g through g and its ancestors only.
func (st *Store) inherited(userID int64, g *Group, now time.Time) int {
	l := 0
	for _, a := range st.selfAndAncestors(g) {
		l = max(l, st.level(userID, GroupSource(a.ID), now))
	}
	return l
}

// shareLevel is what share s gives the user: their direct level in the
// shared-with group (with its ancestors' when withAncestors, as for a
// project), capped at the share's level; 0 once the share has expired.
func (st *Store) shareLevel(userID int64, s Share, withAncestors bool, now time.Time) int {
	if expiredAt(s.ExpiresAt, now) {
		return 0
	}
	l := st.level(userID, GroupSource(s.GroupID), now)
	if withAncestors {
		l = st.inherited(userID, st.groups[s.GroupID], now)
	}
	return min(l, s.Level)
}

// GroupAccess is u's role in g (Group#max_member_access_for_user): the
// highest of its unexpired, active memberships of g and g's ancestors,
// and of the groups g or an ancestor is shared with, capped at each
// share's level; 0 for none. Reads only.
func (st *Store) GroupAccess(u *User, g *Group, now time.Time) int {
	if u == nil || g == nil {
		return 0
	}
	l := 0
	for _, a := range st.selfAndAncestors(g) {
		l = max(l, st.level(u.ID, GroupSource(a.ID), now))
		for _, s := range a.SharedWith {
			l = max(l, st.shareLevel(u.ID, s, false, now))
		}
	}
	return l
}

// ProjectAccess is u's role in p (its project_authorizations): its
// membership of p, its role in p's group, the groups p is shared with
// (their members and their ancestors' members, capped at the share's
// level), and Owner of a project in u's personal namespace. Reads only.
func (st *Store) ProjectAccess(u *User, p *Project, now time.Time) int {
	if u == nil || p == nil {
		return 0
	}
	l := max(st.level(u.ID, ProjectSource(p.ID), now), st.GroupAccess(u, st.groups[p.GroupID], now))
	for _, s := range p.SharedWith {
		l = max(l, st.shareLevel(u.ID, s, true, now))
	}
	if p.GroupID == 0 && p.OwnerID == u.ID {
		l = AccessOwner
	}
	return l
}

// SourceAccess is u's role in src (GroupAccess or ProjectAccess).
// Reads only.
func (st *Store) SourceAccess(u *User, src Source, now time.Time) int {
	if src.IsGroup() {
		return st.GroupAccess(u, st.groups[src.ID], now)
	}
	return st.ProjectAccess(u, st.projects[src.ID], now)
}

// callerLevel is actor's role in src for the rules that compare roles:
// administrators count as Owner everywhere.
func (st *Store) callerLevel(actor *User, src Source, now time.Time) int {
	if actor == nil {
		return 0
	}
	if actor.Admin {
		return AccessOwner
	}
	return st.SourceAccess(actor, src, now)
}

// canAdmin is admin_group_member (Owner) or admin_project_member
// (Maintainer and above).
func (st *Store) canAdmin(actor *User, src Source, now time.Time) bool {
	least := AccessOwner
	if !src.IsGroup() {
		least = AccessMaintainer
	}
	return st.callerLevel(actor, src, now) >= least
}

// manageOwners is manage_owners on a project (its Owners), or a group's
// admin_group_member.
func (st *Store) manageOwners(actor *User, src Source, now time.Time) bool {
	return st.callerLevel(actor, src, now) >= AccessOwner
}

// lastOwner reports whether m is the last owner of its group
// (GroupMemberPolicy's last_owner, Group#last_owner?): the only active,
// unexpired Owner that is not a bot, counting for a subgroup the Owners
// its ancestors give.
func (st *Store) lastOwner(m *Member, now time.Time) bool {
	if !m.Source.IsGroup() || m.AccessLevel != AccessOwner || !m.counts(now) {
		return false
	}
	g := st.groups[m.Source.ID]
	for _, a := range st.selfAndAncestors(g) {
		for _, o := range st.mem.bySource[GroupSource(a.ID)] {
			if o != m && o.AccessLevel == AccessOwner && o.counts(now) && !st.isBot(o.UserID) {
				return false
			}
		}
	}
	return true
}

func (st *Store) isBot(userID int64) bool {
	u := st.users[userID]
	return u != nil && u.Bot
}

// --- memberships of a user ------------------------------------------------

// Memberships returns u's direct memberships, of sourceType only unless
// it is "" (GET /users/:id/memberships, type): rows that are not
// invitations or access requests and have not expired. Reads only.
func (st *Store) Memberships(u *User, sourceType string, now time.Time) []Membership {
	var out []Membership
	for _, m := range st.mem.byUser[u.ID] {
		if m.member(now) && (sourceType == "" || m.Source.Type == sourceType) {
			out = append(out, Membership{SourceID: m.Source.ID, SourceName: st.SourceName(m.Source),
				SourceType: m.Source.Type, AccessLevel: m.AccessLevel})
		}
	}
	return out
}

// AddMember makes u a direct, active member of a group (SourceNamespace)
// or a project (SourceProject) with the level, or changes its level
// there: the seeding methods' way, without the API's rules, dated at
// the source's creation. name is the source's name when the store does
// not hold the source.
func (st *Store) AddMember(u *User, sourceType string, id int64, name string, level int) *Member {
	return st.SeedMember(MemberSpec{Source: Source{Type: sourceType, ID: id}, UserID: u.ID, AccessLevel: level, sourceName: name}, time.Time{})
}

// MemberSpec is a membership to seed with SeedMember.
type MemberSpec struct {
	Source      Source
	UserID      int64
	AccessLevel int
	ExpiresAt   *time.Time
	CreatedByID int64
	State       MemberState // MemberActive when empty
	LDAP        bool
	sourceName  string
}

// SeedMember stores a membership as spec says, or changes the user's
// existing row of the source, without the API's rules. A zero now
// dates a new row at its source's creation.
func (st *Store) SeedMember(spec MemberSpec, now time.Time) *Member {
	if now.IsZero() {
		if g := st.groups[spec.Source.ID]; spec.Source.IsGroup() && g != nil {
			now = g.CreatedAt
		} else if p := st.projects[spec.Source.ID]; !spec.Source.IsGroup() && p != nil {
			now = p.CreatedAt
		}
	}
	if m := st.row(spec.UserID, spec.Source); m != nil {
		m.AccessLevel, m.ExpiresAt, m.LDAP = spec.AccessLevel, spec.ExpiresAt, spec.LDAP
		m.State = cmp.Or(spec.State, MemberActive)
		return m
	}
	return st.index(&Member{Source: spec.Source, UserID: spec.UserID, AccessLevel: spec.AccessLevel, ExpiresAt: spec.ExpiresAt,
		CreatedByID: spec.CreatedByID, CreatedAt: now, State: spec.State, LDAP: spec.LDAP, sourceName: spec.sourceName})
}

// RemoveSourceMembers removes every row of src, for a group or project
// being deleted.
func (st *Store) RemoveSourceMembers(src Source) {
	for _, m := range slices.Clone(st.mem.bySource[src]) {
		st.remove(m)
	}
}
