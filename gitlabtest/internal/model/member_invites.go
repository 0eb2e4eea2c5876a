package model

import (
	"slices"
	"strings"
	"time"
)

// Invitations (lib/api/invitations.rb, Members::InviteService) and access
// requests (lib/api/access_requests.rb, Members::RequestAccessService,
// Members::ApproveAccessRequestService).

// userByEmail is the user whose primary or confirmed secondary email is
// addr (User.find_by_any_email(confirmed: true)), or nil.
func (st *Store) userByEmail(addr string) *User {
	for _, e := range st.emails {
		if strings.EqualFold(e.Email, addr) && (e.Primary || e.ConfirmedAt != nil) {
			return st.users[e.UserID]
		}
	}
	return nil
}

// invitation returns src's pending invitation of addr (compared as
// stored, lower-cased), or nil.
func (st *Store) invitation(src Source, addr string) *Member {
	for _, m := range st.mem.bySource[src] {
		if m.Invite() && m.InviteEmail == addr {
			return m
		}
	}
	return nil
}

// CreateInvitations is POST …/invitations (Members::InviteService), after
// the API's blank check: admin_*_member (Forbidden; a project's Owner
// level needs manage_owners); then for each user ID and email in turn,
// an existing user (by ID, or by primary or confirmed email) becomes a
// member at once or has their membership updated, and any other email
// gets a pending invitation (an existing one is updated). Each
// failure goes into the result by email as sent, or username.
func (st *Store) CreateInvitations(actor *User, src Source, emails, userIDs []string, a AddMemberAttrs, now time.Time) (AddResult, error) {
	var res AddResult
	if !st.canAdmin(actor, src, now) || (!src.IsGroup() && a.AccessLevel == AccessOwner && !st.manageOwners(actor, src, now)) {
		return res, forbidden("")
	}
	if len(emails)+len(userIDs) > maxInvites {
		return res, refused(BadRequest, "Too many users specified (limit is 100)")
	}
	st.pruneExpired(src, now)
	for _, ref := range userIDs {
		if !AllDigits(ref) {
			continue // neither an ID nor an email: dropped, as GitLab does
		}
		if u := st.FindUser(ref); u != nil {
			if text := st.addOne(actor, src, u, a, now); text != "" {
				res.fail(u.Username, text)
			}
		}
	}
	for _, addr := range emails {
		if u := st.userByEmail(addr); u != nil {
			if text := st.addOne(actor, src, u, a, now); text != "" {
				res.fail(addr, text)
			}
			continue
		}
		if text := st.invite(actor, src, addr, a, now); text != "" {
			res.fail(addr, text)
		}
	}
	return res, nil
}

// invite stores or updates src's invitation of addr.
func (st *Store) invite(actor *User, src Source, addr string, a AddMemberAttrs, now time.Time) string {
	e := st.validateMember(0, src, a.AccessLevel, a.ExpiresAt, now)
	if msgs := e.m["expires_at"]; len(msgs) > 0 {
		return "Expires at " + msgs[0]
	}
	if st.roleTooHigh(actor, src, a.AccessLevel, now) {
		return TooHigh
	}
	lower := strings.ToLower(addr)
	if m := st.invitation(src, lower); m != nil {
		m.AccessLevel, m.ExpiresAt, m.UpdatedAt = a.AccessLevel, a.ExpiresAt, now
		return ""
	}
	st.insert(&Member{Source: src, InviteEmail: lower, InviteToken: RandomHex(20), AccessLevel: a.AccessLevel,
		ExpiresAt: a.ExpiresAt, CreatedByID: actor.ID, CreatedAt: now})
	return ""
}

// Invitations is GET …/invitations: admin_*_member (Forbidden), then
// src's pending invitations by ID, those whose stored (lower-cased)
// email equals query when it is not empty. Reads only.
func (st *Store) Invitations(actor *User, src Source, query string, now time.Time) ([]*Member, error) {
	if !st.canAdmin(actor, src, now) {
		return nil, forbidden("")
	}
	var out []*Member
	for _, m := range st.mem.bySource[src] {
		if m.Invite() && (query == "" || m.InviteEmail == query) {
			out = append(out, m)
		}
	}
	return out, nil
}

// invitationFor runs the checks the invitation routes share:
// admin_*_member (Forbidden), then the invitation of addr, compared
// exactly (NotFound, with no name).
func (st *Store) invitationFor(actor *User, src Source, addr string, now time.Time) (*Member, error) {
	if !st.canAdmin(actor, src, now) {
		return nil, forbidden("")
	}
	if m := st.invitation(src, addr); m != nil {
		return m, nil
	}
	return nil, notFound("")
}

// UpdateInvitation is PUT …/invitations/:email: the checks of
// invitationFor, then at least one of level and expiresSet (BadRequest),
// Members::UpdateService's (a level beyond the caller's, or a project's
// Owner level without manage_owners: Forbidden) and the validations
// (Invalid).
func (st *Store) UpdateInvitation(actor *User, src Source, addr string, level *int, expires *time.Time, expiresSet bool, now time.Time) (*Member, error) {
	m, err := st.invitationFor(actor, src, addr, now)
	if err != nil {
		return nil, err
	}
	if level == nil && !expiresSet {
		return nil, badRequest("")
	}
	l := m.AccessLevel
	if level != nil {
		l = *level
	}
	owners := !src.IsGroup() && (l == AccessOwner || m.AccessLevel == AccessOwner) && l != m.AccessLevel
	if st.roleTooHigh(actor, src, l, now) || (owners && !st.manageOwners(actor, src, now)) {
		return nil, forbidden("")
	}
	if !expiresSet {
		expires = m.ExpiresAt
	}
	if err := st.validateMember(0, src, l, expires, now).Err(); err != nil {
		return nil, err
	}
	m.AccessLevel, m.ExpiresAt, m.UpdatedAt = l, expires, now
	return m, nil
}

// InvitationToDelete runs the checks of DELETE …/invitations/:email:
// those of invitationFor, then a project's Owner-level invitation needs
// manage_owners (Forbidden). RemoveInvitation then removes it.
func (st *Store) InvitationToDelete(actor *User, src Source, addr string, now time.Time) (*Member, error) {
	m, err := st.invitationFor(actor, src, addr, now)
	if err != nil {
		return nil, err
	}
	if !src.IsGroup() && m.AccessLevel == AccessOwner && !st.manageOwners(actor, src, now) {
		return nil, forbidden("")
	}
	return m, nil
}

// RemoveInvitation removes an invitation (or any row).
func (st *Store) RemoveInvitation(m *Member) { st.remove(m) }

// AcceptInvitations turns every pending invitation of addr into a
// membership of u (Member#accept_invite!), as GitLab does when u signs
// up through the web, confirms addr or signs in; it returns how many it
// accepted. An invitation to a source u already belongs to is dropped.
func (st *Store) AcceptInvitations(addr string, u *User, now time.Time) int {
	lower := strings.ToLower(addr)
	n := 0
	for _, m := range slices.Collect(func(yield func(*Member) bool) {
		for _, m := range st.mem.byID {
			if m.Invite() && m.InviteEmail == lower && !yield(m) {
				return
			}
		}
	}) {
		if st.row(u.ID, m.Source) != nil {
			st.remove(m)
			continue
		}
		st.setUser(m, u.ID)
		m.UpdatedAt = now
		st.joined(m, now)
		n++
	}
	return n
}

// --- access requests ----------------------------------------------------------

// AccessRequests is GET …/access_requests (AccessRequestsFinder#execute!):
// admin_*_member (Forbidden), then src's access requests by ID. Reads
// only.
func (st *Store) AccessRequests(actor *User, src Source, now time.Time) ([]*Member, error) {
	if !st.canAdmin(actor, src, now) {
		return nil, forbidden("")
	}
	var out []*Member
	for _, m := range st.mem.bySource[src] {
		if m.RequestedAt != nil {
			out = append(out, m)
		}
	}
	return out, nil
}

// RequestAccess is POST …/access_requests (Members::RequestAccessService):
// request_access, which a member of src does not have (Forbidden); a
// second request fails Member's uniqueness validation of user_id
// (Invalid), as GitLab's spec/requests/api/access_requests_spec.rb has
// it ("when authenticated as an access requester returns 400").
func (st *Store) RequestAccess(actor *User, src Source, now time.Time) (*Member, error) {
	st.pruneExpired(src, now)
	if st.row(actor.ID, src) != nil || st.SourceAccess(actor, src, now) > 0 {
		return nil, forbidden("")
	}
	if st.requestRow(actor.ID, src) != nil {
		var e Errors
		e.Add("user_id", "already exists in source")
		return nil, e.Err()
	}
	return st.insert(&Member{Source: src, UserID: actor.ID, AccessLevel: AccessDeveloper, CreatedByID: actor.ID,
		CreatedAt: now, RequestedAt: PtrTime(now)}), nil
}

// ApproveAccessRequest is PUT …/access_requests/:user_id/approve
// (Members::ApproveAccessRequestService): the request (RecordNotFound),
// admin_*_member and a level the caller may grant (Forbidden); level
// defaults to Developer. The request becomes a membership.
func (st *Store) ApproveAccessRequest(actor *User, src Source, userID int64, level *int, now time.Time) (*Member, error) {
	m := st.requestRow(userID, src)
	if m == nil {
		return nil, recordNotFound()
	}
	l := AccessDeveloper
	if level != nil {
		l = *level
	}
	if !st.canAdmin(actor, src, now) || st.roleTooHigh(actor, src, l, now) {
		return nil, forbidden("")
	}
	if err := st.validateMember(userID, src, l, nil, now).Err(); err != nil {
		return nil, err
	}
	m.RequestedAt, m.AccessLevel, m.UpdatedAt, m.CreatedByID = nil, l, now, actor.ID
	return st.joined(m, now), nil
}

// AccessRequestToDeny runs the checks of DELETE …/access_requests/:user_id
// (Members::DestroyService on requesters): the request (RecordNotFound),
// then the requester themself or admin_*_member (Forbidden).
func (st *Store) AccessRequestToDeny(actor *User, src Source, userID int64, now time.Time) (*Member, error) {
	m := st.requestRow(userID, src)
	if m == nil {
		return nil, recordNotFound()
	}
	if actor.ID != userID && !st.canAdmin(actor, src, now) {
		return nil, forbidden("")
	}
	return m, nil
}
