package model

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Enterprise users, from ee/lib/api/group_enterprise_users.rb with
// Authn::EnterpriseUsersFinder, Users::UpdateService and EE
// User#enterprise_user_email_change, EE TwoFactor::DestroyService and
// User#delete_async; see https://docs.gitlab.com/api/group_enterprise_users/.
//
// Only GitLab.com claims users for a group (a verified domain and a
// subscription: https://docs.gitlab.com/user/enterprise_user/), so the
// operations take the offering: off GitLab.com a group has no
// enterprise users, whatever was seeded.

// ClaimEnterpriseUser makes u an enterprise user of g, a top-level
// group, as GitLab.com's Groups::EnterpriseUsers::AssociateService does;
// a user claimed by another group moves to g. Refused (Invalid) for a
// subgroup.
func (st *Store) ClaimEnterpriseUser(g *Group, u *User) error {
	if g.ParentID != 0 {
		var fe Errors
		fe.Add("enterprise_group", "must be a top-level group")
		return fe.Err()
	}
	st.unclaimEnterprise(u)
	if st.enterprise == nil {
		st.enterprise = map[int64][]int64{}
	}
	ids := st.enterprise[g.ID]
	i, _ := slices.BinarySearch(ids, u.ID)
	st.enterprise[g.ID] = slices.Insert(ids, i, u.ID)
	u.EnterpriseGroupID = g.ID
	return nil
}

// unclaimEnterprise drops u from its enterprise group, if any.
func (st *Store) unclaimEnterprise(u *User) {
	if u.EnterpriseGroupID == 0 {
		return
	}
	ids := st.enterprise[u.EnterpriseGroupID]
	if i, found := slices.BinarySearch(ids, u.ID); found {
		st.enterprise[u.EnterpriseGroupID] = slices.Delete(ids, i, i+1)
	}
	u.EnterpriseGroupID = 0
}

// forgetEnterpriseGroup releases the users a removed group claimed.
func (st *Store) forgetEnterpriseGroup(g *Group) {
	for _, id := range st.enterprise[g.ID] {
		if u := st.users[id]; u != nil {
			u.EnterpriseGroupID = 0
		}
	}
	delete(st.enterprise, g.ID)
}

// VerifyDomain records domain as verified by g, so that its enterprise
// users may take addresses on it (Group#owner_of_email?).
func (st *Store) VerifyDomain(g *Group, domain string) {
	d := strings.ToLower(domain)
	if !slices.Contains(g.VerifiedDomains, d) {
		g.VerifiedDomains = append(g.VerifiedDomains, d)
	}
}

// ownerOfEmail is Group#owner_of_email?: a valid address on a domain g
// verified.
func ownerOfEmail(g *Group, addr string) bool {
	if !ValidEmail(addr) {
		return false
	}
	_, domain, _ := strings.Cut(addr, "@")
	return slices.Contains(g.VerifiedDomains, strings.ToLower(domain))
}

// EnterpriseGroup is the before filter of group_enterprise_users.rb for
// actor: user_group (NotFound Group when the group is missing or
// actor may not read it), then the group must be top-level
// (bad_request! "Must be a top-level group"). Reads only.
func (st *Store) EnterpriseGroup(actor *User, ref string, now time.Time) (*Group, error) {
	g := st.FindGroup(ref)
	switch {
	case g == nil || !st.CanReadGroup(actor, g, now):
		return nil, notFound("Group")
	case g.ParentID != 0:
		return nil, badRequest("Must be a top-level group")
	}
	return g, nil
}

// AuthorizeEnterpriseUsers is each route's authorize! on the group
// (read_enterprise_user, update_enterprise_user, ...): the group's
// Owners and administrators, else Forbidden (the request spec: an Owner
// passes, a Maintainer gets 403). Reads only.
func (st *Store) AuthorizeEnterpriseUsers(actor *User, g *Group, now time.Time) error {
	if actor.Admin || st.GroupAccess(actor, g, now) >= AccessOwner {
		return nil
	}
	return forbidden("")
}

// EnterpriseUserFilter holds the filters of GET
// /groups/:id/enterprise_users (the UsersFinder filters
// Authn::EnterpriseUsersFinder passes on); a zero field filters
// nothing.
type EnterpriseUserFilter struct {
	// Username is case-insensitive; Search is User.search with private
	// emails (name or username containing the term, or the primary or
	// public email equal to it).
	Username, Search *string
	// Active and Blocked keep only such users (false: no filter).
	Active, Blocked bool
	// CreatedAfter and CreatedBefore are inclusive.
	CreatedAfter, CreatedBefore *time.Time
	// TwoFactor is "enabled" or "disabled"; any other value filters
	// nothing, as UsersFinder#by_2fa.
	TwoFactor *string
}

// EnterpriseUsers lists g's enterprise users that f keeps, by ID
// descending, or by relevance with a Search (User.search's order); none
// off GitLab.com. It reads g's users only. Reads only.
func (st *Store) EnterpriseUsers(g *Group, gitlabCom bool, f EnterpriseUserFilter) []*User {
	if !gitlabCom {
		return nil
	}
	uf := UserFilter{Username: f.Username, Search: f.Search, Active: f.Active, Blocked: f.Blocked,
		CreatedAfter: f.CreatedAfter, CreatedBefore: f.CreatedBefore, admin: true}
	if t := f.TwoFactor; t != nil && (*t == "enabled" || *t == "disabled") {
		uf.TwoFactor = t
	}
	ids := st.enterprise[g.ID]
	if f.Search != nil {
		uf.emailHit = map[int64]bool{}
		for _, id := range ids {
			if u := st.users[id]; u != nil && strings.EqualFold(u.Email, *f.Search) {
				uf.emailHit[id] = true
			}
		}
	}
	out := make([]*User, 0, len(ids))
	for i := len(ids) - 1; i >= 0; i-- {
		if u := st.users[ids[i]]; u != nil && uf.Match(u) {
			out = append(out, u)
		}
	}
	if f.Search != nil {
		RankSearch(out, *f.Search)
	}
	return out
}

// EnterpriseUser is user_group.enterprise_users.find(id): the user, if
// g claimed them, else ActiveRecord::RecordNotFound ("404 Not found");
// always the latter off GitLab.com. Reads only.
func (st *Store) EnterpriseUser(g *Group, id int64, gitlabCom bool) (*User, error) {
	u := st.users[id]
	if !gitlabCom || u == nil || u.EnterpriseGroupID != g.ID {
		return nil, recordNotFound()
	}
	return u, nil
}

// UpdateEnterpriseUser is PATCH /groups/:id/enterprise_users/:user_id:
// Users::UpdateService with force_name_change over the name and email
// sent. The email must be free (devise's uniqueness), valid, and on a
// domain the enterprise group verified (EE
// User#enterprise_user_email_change); it then replaces the primary
// email at once (skip_reconfirmation!). A refusal is a service's
// BadRequest whose text is the full messages joined by ". ", as
// Users::UpdateService words it.
func (st *Store) UpdateEnterpriseUser(g *Group, u *User, name, email *string, now time.Time) error {
	var msgs []string
	if name != nil && blank(*name) {
		msgs = append(msgs, "Name can't be blank")
	} else if name != nil && tooLong(*name, 255) {
		msgs = append(msgs, "Name is too long (maximum is 255 characters)")
	}
	changeEmail := email != nil && !strings.EqualFold(*email, u.Email)
	if changeEmail {
		if taken, _ := st.EmailUse(*email, u.ID); taken {
			msgs = append(msgs, "Email has already been taken")
		}
		if !ValidEmail(*email) {
			msgs = append(msgs, "Email is invalid")
		}
		if !ownerOfEmail(g, *email) {
			msgs = append(msgs, "Email must be owned by the user's enterprise group")
		}
	}
	if len(msgs) > 0 {
		return refused(BadRequest, strings.Join(msgs, ". "))
	}
	if name != nil {
		u.Name = *name
	}
	if changeEmail {
		u.Email, u.UnconfirmedEmail = *email, ""
		if e := st.PrimaryEmail(u); e != nil {
			e.Email, e.ConfirmedAt = *email, PtrTime(now)
		}
	}
	u.UpdatedAt = now
	return nil
}

// DisableEnterpriseTwoFactor is PATCH
// /groups/:id/enterprise_users/:user_id/disable_two_factor
// (TwoFactor::DestroyService): refused with bad_request! "Two-factor
// authentication is not enabled for this user" when it is off;
// otherwise every second factor is removed, and EE's service records
// user_disable_two_factor by actor, scoped to the group g, targeting u.
func (st *Store) DisableEnterpriseTwoFactor(actor *User, g *Group, u *User, now time.Time) error {
	if !u.TwoFactorEnabled {
		return badRequest("Two-factor authentication is not enabled for this user")
	}
	u.TwoFactorEnabled = false
	u.UpdatedAt = now
	s := st.sourceScope("user_disable_two_factor", actor, GroupSource(g.ID))
	s.TargetID, s.TargetType, s.TargetDetails = u.ID, "User", u.Username
	s.Message = "Disabled two-factor authentication"
	st.audit(s, now)
	return nil
}

// CheckEnterpriseRemovable is DELETE /groups/:id/enterprise_users/:user_id's
// rule: the sole owner of a group cannot be removed (User#can_be_removed?)
// unless hard_delete, refused with conflict! "Can not remove a user who
// is the sole owner of a group." (worded unlike DELETE /users/:id).
func (st *Store) CheckEnterpriseRemovable(u *User, hardDelete bool) error {
	if !hardDelete && st.SoleGroupOwner(u) {
		return refused(Conflict, "Can not remove a user who is the sole owner of a group.")
	}
	return nil
}

// DeleteEnterpriseUser deletes u (User#delete_async, done at once
// here). With hardDelete the groups u solely owns go too
// (Users::DestroyService with hard_delete).
func (st *Store) DeleteEnterpriseUser(u *User, hardDelete bool) {
	if hardDelete {
		for _, g := range st.soleOwnedGroups(u) {
			if st.groups[g.ID] != nil {
				st.removeGroup(g)
			}
		}
	}
	st.DeleteUser(u.ID)
}

// soleOwnedGroups are the groups u owns that no one else owns
// (User#solo_owned_groups), by ID.
func (st *Store) soleOwnedGroups(u *User) []*Group {
	var out []*Group
	for _, m := range st.mem.byUser[u.ID] {
		if !m.Source.IsGroup() || m.RequestedAt != nil || m.AccessLevel != AccessOwner {
			continue
		}
		if !slices.ContainsFunc(st.mem.bySource[m.Source], func(o *Member) bool {
			return o.UserID != u.ID && o.UserID != 0 && o.RequestedAt == nil && o.AccessLevel == AccessOwner
		}) {
			if g := st.groups[m.Source.ID]; g != nil {
				out = append(out, g)
			}
		}
	}
	slices.SortFunc(out, func(a, b *Group) int { return cmp.Compare(a.ID, b.ID) })
	return out
}
