package model

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// The operations of lib/api/members.rb over the member rows.

// MemberFilter are the filters of GET …/members and …/members/all.
type MemberFilter struct {
	// Query is User.search: a public email equal to it, or a name or
	// username containing it (case-insensitive; a leading "@" dropped).
	Query string
	// UserIDs keeps only these users; SkipUsers drops these (EE, direct
	// list only).
	UserIDs, SkipUsers []int64
	// State keeps only "active" or "awaiting" members (EE, /all only).
	State MemberState
}

// readMembers is read_group_member / read_project_member: a private
// group's members are hidden from whoever has no role in it.
func (st *Store) readMembers(actor *User, src Source, now time.Time) error {
	if g := st.groups[src.ID]; src.IsGroup() && g != nil && g.Visibility == "private" && st.callerLevel(actor, src, now) == 0 {
		return forbidden("")
	}
	return nil
}

// ListMembers is GET …/members (direct: rows of src that are users'
// memberships, awaiting ones included) or, with all, GET …/members/all:
// one row per user over src's ancestors and the groups src or an
// ancestor is shared with (GroupMembersFinder, MembersFinder), with the
// user's effective level; ordered by member ID, or by relevance with a
// query. Expired memberships count for nothing. Reads only.
func (st *Store) ListMembers(actor *User, src Source, all bool, f MemberFilter, now time.Time) ([]Member, error) {
	if err := st.readMembers(actor, src, now); err != nil {
		return nil, err
	}
	var rows []Member
	if all {
		rows = st.effective(src, now)
	} else {
		for _, m := range st.mem.bySource[src] {
			if m.member(now) {
				rows = append(rows, *m)
			}
		}
	}
	q := strings.ToLower(strings.TrimPrefix(f.Query, "@"))
	out := rows[:0]
	for _, m := range rows {
		u := st.users[m.UserID]
		switch {
		case u == nil,
			f.UserIDs != nil && !slices.Contains(f.UserIDs, m.UserID),
			!all && slices.Contains(f.SkipUsers, m.UserID),
			all && f.State != "" && m.State != f.State,
			q != "" && searchRank(u, q) < 0:
			continue
		}
		out = append(out, m)
	}
	if q != "" {
		slices.SortStableFunc(out, func(a, b Member) int {
			x, y := st.users[a.UserID], st.users[b.UserID]
			return cmp.Or(cmp.Compare(searchRank(x, q), searchRank(y, q)), cmp.Compare(x.Name, y.Name))
		})
	}
	return out, nil
}

// searchRank is User.search's order for query q (lower-cased): exact
// public email 0, exact username 1, exact name 2, a partial match 3;
// -1 for no match.
func searchRank(u *User, q string) int {
	switch {
	case u.PublicEmail != "" && strings.ToLower(u.PublicEmail) == q:
		return 0
	case strings.ToLower(u.Username) == q:
		return 1
	case strings.ToLower(u.Name) == q:
		return 2
	case strings.Contains(strings.ToLower(u.Username), q) || strings.Contains(strings.ToLower(u.Name), q):
		return 3
	}
	return -1
}

// GetMember is GET …/members/:user_id, or with all …/members/all/:user_id:
// the user's row as ListMembers lists it, or RecordNotFound. Reads only.
func (st *Store) GetMember(actor *User, src Source, userID int64, all bool, now time.Time) (Member, error) {
	rows, err := st.ListMembers(actor, src, all, MemberFilter{UserIDs: []int64{userID}}, now)
	if err != nil {
		return Member{}, err
	}
	if len(rows) == 0 {
		return Member{}, recordNotFound()
	}
	return rows[0], nil
}

// effective returns one row per user with access to src, as
// GroupMembersFinder (a group) or MembersFinder (a project) merge them,
// each with the user's level in src.
func (st *Store) effective(src Source, now time.Time) []Member {
	var cands []Member
	add := func(rows []*Member, capAt int) {
		for _, m := range rows {
			if m.member(now) {
				c := *m
				c.AccessLevel = min(c.AccessLevel, capAt)
				cands = append(cands, c)
			}
		}
	}
	groupSet := func(g *Group) {
		for _, a := range st.selfAndAncestors(g) {
			add(st.mem.bySource[GroupSource(a.ID)], AccessOwner)
			for _, s := range a.SharedWith {
				if !expiredAt(s.ExpiresAt, now) {
					add(st.mem.bySource[GroupSource(s.GroupID)], s.Level)
				}
			}
		}
	}
	if src.IsGroup() {
		groupSet(st.groups[src.ID])
	} else if p := st.projects[src.ID]; p != nil {
		add(st.mem.bySource[src], AccessOwner)
		groupSet(st.groups[p.GroupID])
		for _, s := range p.SharedWith {
			if !expiredAt(s.ExpiresAt, now) {
				for _, a := range st.selfAndAncestors(st.groups[s.GroupID]) {
					add(st.mem.bySource[GroupSource(a.ID)], s.Level)
				}
			}
		}
	}
	best := map[int64]int{} // user -> index in out
	var out []Member
	for _, c := range cands {
		i, ok := best[c.UserID]
		if !ok {
			best[c.UserID] = len(out)
			out = append(out, c)
			continue
		}
		if st.better(c, out[i], src) {
			out[i] = c
		}
	}
	if !src.IsGroup() {
		for i := range out {
			out[i].AccessLevel = st.ProjectAccess(st.users[out[i].UserID], st.projects[src.ID], now)
		}
	}
	slices.SortFunc(out, func(a, b Member) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// better reports whether row a wins over row b for the same user: for a
// project its own row first; then the highest level, the requested
// source's row, no expiry or the later one, the older row.
func (st *Store) better(a, b Member, src Source) bool {
	if !src.IsGroup() && (a.Source == src) != (b.Source == src) {
		return a.Source == src
	}
	if a.AccessLevel != b.AccessLevel {
		return a.AccessLevel > b.AccessLevel
	}
	if (a.Source == src) != (b.Source == src) {
		return a.Source == src
	}
	switch {
	case a.ExpiresAt == nil && b.ExpiresAt != nil:
		return true
	case a.ExpiresAt != nil && b.ExpiresAt == nil:
		return false
	case a.ExpiresAt != nil && !a.ExpiresAt.Equal(*b.ExpiresAt):
		return a.ExpiresAt.After(*b.ExpiresAt)
	}
	return a.CreatedAt.Before(b.CreatedAt)
}

// --- validations ------------------------------------------------------------

// ValidLevel reports whether level is one of Gitlab::Access.all_values.
func ValidLevel(level int) bool {
	return slices.Contains([]int{AccessGuest, AccessPlanner, AccessReporter, AccessDeveloper, AccessMaintainer, AccessOwner}, level)
}

// RoleName is a level's name (Gitlab::Access.human_access).
func RoleName(level int) string {
	switch level {
	case AccessGuest:
		return "Guest"
	case AccessPlanner:
		return "Planner"
	case AccessReporter:
		return "Reporter"
	case AccessDeveloper:
		return "Developer"
	case AccessMaintainer:
		return "Maintainer"
	case AccessOwner:
		return "Owner"
	}
	return ""
}

// validateMember runs Member's validations (app/models/member.rb) on a
// row of the user in src at level with expiry expires: the level is
// one of GitLab's, not below one the user inherits from an ancestor
// group (access_level_inheritance), and the expiry is not in the past
// (today is allowed).
func (st *Store) validateMember(userID int64, src Source, level int, expires *time.Time, now time.Time) *Errors {
	var e Errors
	if !ValidLevel(level) {
		e.Add("access_level", "is not included in the list")
	} else if g, l := st.highestAncestorMember(userID, src, now); g != nil && l > level {
		e.Add("access_level", "should be greater than or equal to "+RoleName(l)+" inherited membership from group "+g.Name)
	}
	if expires != nil && expires.Before(DayOf(now)) {
		e.Add("expires_at", "cannot be a date in the past")
	}
	return &e
}

// highestAncestorMember is Member#highest_group_member: the user's
// highest membership in src's ancestor groups (a project's group and its
// ancestors).
func (st *Store) highestAncestorMember(userID int64, src Source, now time.Time) (*Group, int) {
	var g *Group
	if src.IsGroup() {
		if self := st.groups[src.ID]; self != nil {
			g = st.groups[self.ParentID]
		}
	} else if p := st.projects[src.ID]; p != nil {
		g = st.groups[p.GroupID]
	}
	var best *Group
	l := 0
	for _, a := range st.selfAndAncestors(g) {
		if x := st.level(userID, GroupSource(a.ID), now); x > l {
			best, l = a, x
		}
	}
	return best, l
}

// roleTooHigh is Members::CreatorService#role_too_high?
// (Gitlab::Access.level_encompasses?): a level above the caller's, or
// Planner for a caller who is not an Owner or a Planner.
func (st *Store) roleTooHigh(actor *User, src Source, level int, now time.Time) bool {
	mine := st.callerLevel(actor, src, now)
	if level == AccessPlanner {
		return mine != AccessOwner && mine != AccessPlanner
	}
	return level > mine
}

// TooHigh is the message of a level above the caller's.
const TooHigh = "the member access level can't be higher than the current user's one"

// --- add ------------------------------------------------------------------

// AddMemberAttrs are POST …/members' attributes.
type AddMemberAttrs struct {
	AccessLevel int
	ExpiresAt   *time.Time
	// UserCap is the top-level groups' user cap (0 for none): a user
	// who would take a seat beyond it is added awaiting approval.
	UserCap int
}

// CreateMember is POST …/members for one user (Members::CreateService,
// single path of lib/api/members.rb): 409 "Member already exists" for a
// member (checked before any permission); an access requester becomes a
// member; then Owner of a project needs manage_owners (Forbidden), the
// caller needs admin_*_member (Forbidden), the row must be valid
// (Invalid), and the level may not exceed the caller's (BadRequest,
// the service's "<username>: <message>"). With a user cap reached, the
// member is added awaiting (EE Member#set_membership_activation).
func (st *Store) CreateMember(actor *User, src Source, u *User, a AddMemberAttrs, now time.Time) (*Member, error) {
	st.pruneExpired(src, now)
	if st.row(u.ID, src) != nil {
		return nil, &Error{Kind: Conflict, Text: "Member already exists"}
	}
	if err := st.checkAdd(actor, src, a.AccessLevel, now); err != nil {
		return nil, err
	}
	if err := st.validateMember(u.ID, src, a.AccessLevel, a.ExpiresAt, now).Err(); err != nil {
		return nil, err
	}
	if st.roleTooHigh(actor, src, a.AccessLevel, now) {
		return nil, refused(BadRequest, u.Username+": "+TooHigh)
	}
	return st.put(actor, src, u, a, now), nil
}

// checkAdd is the permission part of Members::CreateService: a
// project's Owner level needs manage_owners, adding needs
// admin_*_member.
func (st *Store) checkAdd(actor *User, src Source, level int, now time.Time) error {
	if !src.IsGroup() && level == AccessOwner && !st.manageOwners(actor, src, now) {
		return forbidden("")
	}
	if !st.canAdmin(actor, src, now) {
		return forbidden("")
	}
	return nil
}

// put stores u's membership of src (approving an access request, or
// updating a row), awaiting when the user cap is reached.
func (st *Store) put(actor *User, src Source, u *User, a AddMemberAttrs, now time.Time) *Member {
	state := MemberActive
	if root := st.rootOf(src); a.UserCap > 0 && root != nil {
		seats := st.billable(root, now)
		if _, taken := seats[u.ID]; !taken && len(seats) >= a.UserCap {
			state = MemberAwaiting
		}
	}
	if m := st.requestRow(u.ID, src); m != nil {
		m.RequestedAt, m.AccessLevel, m.ExpiresAt, m.State, m.UpdatedAt = nil, a.AccessLevel, a.ExpiresAt, state, now
		m.CreatedByID = actor.ID
		return st.joined(m, now)
	}
	m := st.row(u.ID, src)
	if m != nil {
		m.AccessLevel, m.ExpiresAt, m.UpdatedAt = a.AccessLevel, a.ExpiresAt, now
	} else {
		m = st.insert(&Member{Source: src, UserID: u.ID, AccessLevel: a.AccessLevel, ExpiresAt: a.ExpiresAt,
			CreatedByID: actor.ID, CreatedAt: now, State: state})
	}
	// EE Members::CreateService#log_audit_event, for a new row and for
	// one the service updated alike.
	st.auditMember("member_created", "Membership created", actor, m,
		[]AuditDetail{{"add", "user_access"}, {"as", RoleName(m.AccessLevel)}, {"expires_at", auditDate(m.ExpiresAt)}}, now)
	return m
}

// pruneExpired removes src's expired memberships, as GitLab's
// RemoveExpiredMembersWorker does, before a write.
func (st *Store) pruneExpired(src Source, now time.Time) {
	for _, m := range slices.Clone(st.mem.bySource[src]) {
		if m.UserID != 0 && m.Expired(now) {
			st.leave(m, now)
		}
	}
}

// AddResult is what POST …/members for several users, or POST
// …/invitations, answers (always 201): the error of each user or email
// that failed, by username or email in the order sent; none is
// {"status":"success"}.
type AddResult struct {
	Keys   []string
	Errors map[string]string
	// Unauthorized is set when a failure was the caller's permission
	// ("http_status":"unauthorized").
	Unauthorized bool
}

func (r *AddResult) fail(key, text string) {
	if r.Errors == nil {
		r.Errors = map[string]string{}
	}
	if _, ok := r.Errors[key]; !ok {
		r.Keys = append(r.Keys, key)
	}
	r.Errors[key] = text
}

// Message joins the errors as Members::CreateService words them for the
// bulk path of POST …/members: "<key>: <error>", as an English list.
func (r AddResult) Message() string {
	parts := make([]string, len(r.Keys))
	for i, k := range r.Keys {
		parts[i] = k + ": " + r.Errors[k]
	}
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// maxInvites is Members::CreateService::DEFAULT_INVITE_LIMIT.
const maxInvites = 100

// AddMembers is the bulk path of POST …/members (Members::CreateService
// with several user IDs or usernames): unknown IDs and usernames are
// dropped, duplicates removed; an existing member is updated; each
// user's failure is reported in the result, never as a refusal, but a
// project Owner level without manage_owners refuses the whole request
// (Forbidden) and so does a list too long or empty (BadRequest, the
// service's words).
func (st *Store) AddMembers(actor *User, src Source, refs []string, a AddMemberAttrs, now time.Time) (AddResult, error) {
	var res AddResult
	if !src.IsGroup() && a.AccessLevel == AccessOwner && !st.manageOwners(actor, src, now) {
		return res, forbidden("")
	}
	var users []*User
	for _, ref := range refs {
		if u := st.FindUser(strings.TrimSpace(ref)); u != nil && !slices.Contains(users, u) {
			users = append(users, u)
		}
	}
	switch {
	case len(refs) > maxInvites:
		return res, refused(BadRequest, "Too many users specified (limit is 100)")
	case len(users) == 0:
		return res, refused(BadRequest, "No users specified.")
	}
	st.pruneExpired(src, now)
	for _, u := range users {
		if text := st.addOne(actor, src, u, a, now); text != "" {
			res.fail(u.Username, text)
			res.Unauthorized = res.Unauthorized || text == notAuthorizedCreate || text == notAuthorizedUpdate
		}
	}
	return res, nil
}

const (
	notAuthorizedCreate = "not authorized to create member"
	notAuthorizedUpdate = "not authorized to update member"
)

// addOne adds or updates one user's membership for AddMembers and
// CreateInvitations, returning the service's error sentence ("" when
// done).
func (st *Store) addOne(actor *User, src Source, u *User, a AddMemberAttrs, now time.Time) string {
	existing := st.row(u.ID, src)
	switch {
	case existing == nil && !st.canAdmin(actor, src, now):
		return notAuthorizedCreate
	case existing != nil && (!st.canAdmin(actor, src, now) || st.lastOwner(existing, now)):
		return notAuthorizedUpdate
	}
	if e := st.validateMember(u.ID, src, a.AccessLevel, a.ExpiresAt, now); len(e.m) > 0 {
		for _, attr := range []string{"access_level", "expires_at"} {
			if msgs := e.m[attr]; len(msgs) > 0 {
				return strings.ToUpper(attr[:1]) + strings.ReplaceAll(attr[1:], "_", " ") + " " + msgs[0]
			}
		}
	}
	if st.roleTooHigh(actor, src, a.AccessLevel, now) {
		return TooHigh
	}
	st.put(actor, src, u, a, now)
	return ""
}

// --- update and remove -------------------------------------------------------

// directRow is source_members(source).find_by!(user_id:): the user's
// membership of src (awaiting ones included), or RecordNotFound.
func (st *Store) directRow(src Source, userID int64, now time.Time) (*Member, error) {
	if m := st.row(userID, src); m != nil && m.member(now) {
		return m, nil
	}
	return nil, recordNotFound()
}

// protected reports whether no one may update or remove m through the
// members API: a group's last owner, a bot, the holder of a personal
// project, an LDAP member without override (GroupMemberPolicy,
// ProjectMemberPolicy).
func (st *Store) protected(m *Member, now time.Time) bool {
	p := st.projects[m.Source.ID]
	return st.lastOwner(m, now) || st.isBot(m.UserID) || (m.LDAP && !m.Override) ||
		(!m.Source.IsGroup() && p != nil && p.GroupID == 0 && p.OwnerID == m.UserID)
}

// UpdateMember is PUT …/members/:user_id (Members::UpdateService): the
// row (RecordNotFound), update_*_member (Forbidden: no admin role, or a
// protected member), a level beyond the caller's or a project's Owner
// level changed without manage_owners (Forbidden), then the row's
// validations (Invalid). expiresSet with a nil expires clears the
// expiry.
func (st *Store) UpdateMember(actor *User, src Source, userID int64, level int, expires *time.Time, expiresSet bool, now time.Time) (*Member, error) {
	m, err := st.directRow(src, userID, now)
	if err != nil {
		return nil, err
	}
	if !st.canAdmin(actor, src, now) || st.protected(m, now) {
		return nil, forbidden("")
	}
	owners := !src.IsGroup() && (level == AccessOwner || m.AccessLevel == AccessOwner) && level != m.AccessLevel
	if (owners && !st.manageOwners(actor, src, now)) || st.roleTooHigh(actor, src, level, now) {
		return nil, forbidden("")
	}
	if !expiresSet {
		expires = m.ExpiresAt
	}
	if err := st.validateMember(userID, src, level, expires, now).Err(); err != nil {
		return nil, err
	}
	from, expiryFrom := m.AccessLevel, m.ExpiresAt
	m.AccessLevel, m.ExpiresAt, m.UpdatedAt = level, expires, now
	// EE Members::UpdateService#log_audit_event.
	st.auditMember("member_updated", "Membership updated", actor, m, []AuditDetail{{"change", "access_level"},
		{"from", RoleName(from)}, {"to", RoleName(level)}, {"expiry_from", auditDate(expiryFrom)},
		{"expiry_to", auditDate(expires)}, {"as", RoleName(level)}}, now)
	return m, nil
}

// MemberToRemove runs the checks of DELETE …/members/:user_id
// (Members::DestroyService): the row (RecordNotFound), then
// destroy_*_member (Forbidden): the member themself or an admin role,
// never a protected member, and a project's Owner only by an Owner.
func (st *Store) MemberToRemove(actor *User, src Source, userID int64, now time.Time) (*Member, error) {
	m, err := st.directRow(src, userID, now)
	if err != nil {
		return nil, err
	}
	self := actor != nil && actor.ID == userID
	switch {
	case st.protected(m, now),
		!self && !st.canAdmin(actor, src, now),
		!self && !src.IsGroup() && m.AccessLevel == AccessOwner && !st.manageOwners(actor, src, now):
		return nil, forbidden("")
	}
	return m, nil
}

// RemoveMember removes m, checked by MemberToRemove. Unless
// skipSubresources, removing a group member also removes the user's
// memberships of the group's subgroups and projects, and the pending
// invitations the user created there (a project's, for a project
// member). Each membership removed records member_destroyed by actor
// (EE Members::DestroyService#log_audit_event).
func (st *Store) RemoveMember(actor *User, m *Member, skipSubresources bool, now time.Time) {
	st.leave(m, now)
	st.auditMemberDestroyed(actor, m, now)
	if skipSubresources {
		return
	}
	sources := []Source{m.Source}
	if g := st.groups[m.Source.ID]; m.Source.IsGroup() && g != nil {
		sources = st.descendants(g)
	}
	for _, src := range sources {
		for _, o := range slices.Clone(st.mem.bySource[src]) {
			if (o.UserID == m.UserID && m.Source.IsGroup()) || (o.Invite() && o.CreatedByID == m.UserID) {
				st.leave(o, now)
				if !o.Invite() {
					st.auditMemberDestroyed(actor, o, now)
				}
			}
		}
	}
}

// descendants returns g, its subgroups and every project in them.
func (st *Store) descendants(g *Group) []Source { return st.hierarchy(g) }
