package model

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// The SAML and SCIM identities of a group, and the users of a group's
// SAML provider or provisioned by a group: ee/lib/api/provider_identity.rb,
// ee/lib/ee/api/groups.rb (saml_users, provisioned_users),
// ee/app/finders/group_saml_identity_finder.rb,
// ee/app/models/group_scim_identity.rb and app/models/identity.rb; see
// https://docs.gitlab.com/api/saml/ and https://docs.gitlab.com/api/scim/.

// GroupSAMLProvider is the provider of a group SAML identity.
const GroupSAMLProvider = "group_saml"

// SAMLIdentity is a user's identity at a group's SAML provider: on
// GitLab an Identity with provider group_saml and saml_provider_id. The
// user's Identities hold it; the store indexes it by provider.
type SAMLIdentity struct {
	UserID     int64
	ExternUID  string
	ProviderID int64
}

// SCIMIdentity is a user's identity at a group's SCIM provisioning
// (GroupScimIdentity); Active is false once the identity provider
// deprovisioned the user.
type SCIMIdentity struct {
	GroupID   int64
	UserID    int64
	ExternUID string
	Active    bool
}

// groupIdentities indexes SAML and SCIM identities and provisioned
// users by group, so that a group's lists cost what the group holds,
// not what the instance holds. Its maps are nil until first written:
// reads (under the read lock) never make them.
type groupIdentities struct {
	nextProvider int64
	// provider is each top-level group's SAML provider ID.
	provider map[int64]int64
	// samlUsers are the users with an identity at each SAML provider, in
	// creation order.
	samlUsers map[int64][]int64
	// scim and scimOf hold the SCIM identities by group and by user, in
	// creation order.
	scim   map[int64][]*SCIMIdentity
	scimOf map[int64][]*SCIMIdentity
	// provisioned are the users each group provisioned
	// (provisioned_by_group_id), by ascending ID.
	provisioned map[int64][]int64
}

// noteProvisioned indexes u, just added, under the group that
// provisioned it.
func (ix *groupIdentities) noteProvisioned(u *User) {
	if u.ProvisionedByGroupID == 0 {
		return
	}
	if ix.provisioned == nil {
		ix.provisioned = map[int64][]int64{}
	}
	ix.provisioned[u.ProvisionedByGroupID] = append(ix.provisioned[u.ProvisionedByGroupID], u.ID)
}

// forgetIdentities drops u, being deleted, from every index: its SAML
// and SCIM identities go with it (dependent: :destroy on GitLab).
func (st *Store) forgetIdentities(u *User) {
	ix := &st.ids
	for _, id := range u.Identities {
		if _, ok := ix.samlUsers[id.SAMLProviderID]; ok {
			ix.samlUsers[id.SAMLProviderID] = without(ix.samlUsers[id.SAMLProviderID], u.ID)
		}
	}
	for _, s := range ix.scimOf[u.ID] {
		ix.scim[s.GroupID] = slices.DeleteFunc(ix.scim[s.GroupID], func(x *SCIMIdentity) bool { return x == s })
	}
	delete(ix.scimOf, u.ID)
	// A user whose provisioning group was set after it was stored is in
	// no list.
	if _, ok := ix.provisioned[u.ProvisionedByGroupID]; ok {
		ix.provisioned[u.ProvisionedByGroupID] = without(ix.provisioned[u.ProvisionedByGroupID], u.ID)
	}
}

func without(ids []int64, id int64) []int64 {
	return slices.DeleteFunc(ids, func(x int64) bool { return x == id })
}

// --- seeding ----------------------------------------------------------------

// SAMLProviderOf is the ID of g's SAML provider, 0 when it has none.
func (st *Store) SAMLProviderOf(g *Group) int64 { return st.ids.provider[g.ID] }

// EnableSAML gives g, a top-level group, a SAML provider (group SAML
// is configured on top-level groups only) and returns its ID; a group
// that has one keeps it.
func (st *Store) EnableSAML(g *Group) (int64, error) {
	if g.ParentID != 0 {
		return 0, badRequest("Must be a top-level group")
	}
	ix := &st.ids
	if id := ix.provider[g.ID]; id != 0 {
		return id, nil
	}
	if ix.provider == nil {
		ix.provider = map[int64]int64{}
	}
	ix.nextProvider++
	ix.provider[g.ID] = ix.nextProvider
	return ix.nextProvider, nil
}

// AddSAMLIdentity links u to g's SAML provider (made if g has none) as
// externUID, refused as the PATCH endpoint refuses an extern UID
// (UpdateSAMLIdentity), and when u already has an identity there.
func (st *Store) AddSAMLIdentity(u *User, g *Group, externUID string) error {
	pid, err := st.EnableSAML(g)
	if err != nil {
		return err
	}
	if _, ok := samlIdentityOf(u, pid); ok {
		return refused(BadRequest, "User has already been taken")
	}
	if err := st.checkSAMLExternUID(pid, externUID, 0); err != nil {
		return err
	}
	u.Identities = append(u.Identities, Identity{Provider: GroupSAMLProvider, ExternUID: externUID, SAMLProviderID: pid})
	if st.ids.samlUsers == nil {
		st.ids.samlUsers = map[int64][]int64{}
	}
	st.ids.samlUsers[pid] = append(st.ids.samlUsers[pid], u.ID)
	return nil
}

// AddSCIMIdentity gives u a SCIM identity in g, refused as the PATCH
// endpoint refuses an extern UID (UpdateSCIMIdentity), and when u
// already has one there (GroupScimIdentity validates the user unique
// per group).
func (st *Store) AddSCIMIdentity(u *User, g *Group, externUID string, active bool) error {
	ix := &st.ids
	if slices.ContainsFunc(ix.scimOf[u.ID], func(s *SCIMIdentity) bool { return s.GroupID == g.ID }) {
		return refused(BadRequest, "User has already been taken")
	}
	if err := st.checkSCIMExternUID(g, externUID, nil); err != nil {
		return err
	}
	s := &SCIMIdentity{GroupID: g.ID, UserID: u.ID, ExternUID: externUID, Active: active}
	if ix.scim == nil {
		ix.scim, ix.scimOf = map[int64][]*SCIMIdentity{}, map[int64][]*SCIMIdentity{}
	}
	ix.scim[g.ID] = append(ix.scim[g.ID], s)
	ix.scimOf[u.ID] = append(ix.scimOf[u.ID], s)
	return nil
}

// SCIMIdentitiesOf returns u's SCIM identities, in creation order: the
// scim_identities of EE's UserPublic entity. Reads only.
func (st *Store) SCIMIdentitiesOf(userID int64) []SCIMIdentity {
	out := make([]SCIMIdentity, 0, len(st.ids.scimOf[userID]))
	for _, s := range st.ids.scimOf[userID] {
		out = append(out, *s)
	}
	return out
}

// --- the identity API -------------------------------------------------------

// GroupIdentityAdmin is the before filter of
// ee/lib/api/provider_identity.rb, authorize_admin_group: the group ref
// (an ID or a full path) must exist and be visible to actor (NotFound
// Group), and actor must be its Owner or an administrator (Forbidden).
// There is no top-level check: a subgroup has no SAML provider, so its
// identities are refused or not found. Reads only.
func (st *Store) GroupIdentityAdmin(actor *User, ref string, now time.Time) (*Group, error) {
	g := st.FindGroup(ref)
	switch {
	case g == nil || !st.CanReadGroup(actor, g, now):
		return nil, notFound("Group")
	case actor == nil || !actor.Admin && st.GroupAccess(actor, g, now) < AccessOwner:
		return nil, forbidden("")
	}
	return g, nil
}

// samlIdentityOf returns u's identity at SAML provider pid.
func samlIdentityOf(u *User, pid int64) (int, bool) {
	i := slices.IndexFunc(u.Identities, func(id Identity) bool {
		return id.Provider == GroupSAMLProvider && id.SAMLProviderID == pid
	})
	return i, i >= 0
}

// SAMLIdentities is GET /groups/:id/saml/identities: every identity of
// g's SAML provider, in creation order; BadRequest (bad_request!) when
// g has none. Reads only.
func (st *Store) SAMLIdentities(g *Group) ([]SAMLIdentity, error) {
	pid := st.ids.provider[g.ID]
	if pid == 0 {
		return nil, badRequest("")
	}
	out := []SAMLIdentity{}
	for _, id := range st.ids.samlUsers[pid] {
		if u := st.users[id]; u != nil {
			if i, ok := samlIdentityOf(u, pid); ok {
				out = append(out, SAMLIdentity{UserID: id, ExternUID: u.Identities[i].ExternUID, ProviderID: pid})
			}
		}
	}
	return out, nil
}

// findSAML is GroupSamlIdentityFinder.find_by_group_and_uid: the
// identity of g's SAML provider whose extern UID is exactly uid
// (case-sensitive), as its user and the index in the user's Identities;
// NotFound Identity (not_found!('Identity')) when there is none.
func (st *Store) findSAML(g *Group, uid string) (*User, int, error) {
	pid := st.ids.provider[g.ID]
	for _, id := range st.ids.samlUsers[pid] {
		if u := st.users[id]; u != nil {
			if i, ok := samlIdentityOf(u, pid); ok && u.Identities[i].ExternUID == uid {
				return u, i, nil
			}
		}
	}
	return nil, 0, notFound("Identity")
}

// SAMLIdentity is GET /groups/:id/saml/:uid. Reads only.
func (st *Store) SAMLIdentity(g *Group, uid string) (SAMLIdentity, error) {
	u, i, err := st.findSAML(g, uid)
	if err != nil {
		return SAMLIdentity{}, err
	}
	return SAMLIdentity{UserID: u.ID, ExternUID: u.Identities[i].ExternUID, ProviderID: u.Identities[i].SAMLProviderID}, nil
}

// checkSAMLExternUID runs Identity's validations of extern_uid at SAML
// provider pid (app/models/identity.rb, with EE's group SAML scope):
// present, and unique per provider case-insensitively, except for the
// identity of user except. The messages are GitLab's full messages.
func (st *Store) checkSAMLExternUID(pid int64, uid string, except int64) error {
	if uid == "" {
		return refused(BadRequest, "SAML NameID is missing from your SAML response. Please contact your administrator")
	}
	for _, id := range st.ids.samlUsers[pid] {
		if u := st.users[id]; u != nil && id != except {
			if i, ok := samlIdentityOf(u, pid); ok && strings.EqualFold(u.Identities[i].ExternUID, uid) {
				return refused(BadRequest, "Extern uid has already been taken. Please contact your administrator to generate a unique extern_uid / NameID")
			}
		}
	}
	return nil
}

// UpdateSAMLIdentity is PATCH /groups/:id/saml/:uid: the identity
// (NotFound Identity) gets externUID, validated as Identity validates
// it (BadRequest, rendered as it is). The same value changes nothing.
func (st *Store) UpdateSAMLIdentity(g *Group, uid, externUID string) (SAMLIdentity, error) {
	u, i, err := st.findSAML(g, uid)
	if err != nil {
		return SAMLIdentity{}, err
	}
	id := &u.Identities[i]
	if externUID != id.ExternUID {
		if err := st.checkSAMLExternUID(id.SAMLProviderID, externUID, u.ID); err != nil {
			return SAMLIdentity{}, err
		}
		id.ExternUID = externUID
	}
	return SAMLIdentity{UserID: u.ID, ExternUID: id.ExternUID, ProviderID: id.SAMLProviderID}, nil
}

// DeleteSAMLIdentity is DELETE /groups/:id/saml/:uid: the identity
// (NotFound Identity) is deleted; its user and the user's memberships
// stay.
func (st *Store) DeleteSAMLIdentity(g *Group, uid string) error {
	u, i, err := st.findSAML(g, uid)
	if err != nil {
		return err
	}
	pid := u.Identities[i].SAMLProviderID
	u.Identities = slices.Delete(u.Identities, i, i+1)
	st.ids.samlUsers[pid] = without(st.ids.samlUsers[pid], u.ID)
	return nil
}

// SCIMIdentities is GET /groups/:id/scim/identities: g's SCIM
// identities in creation order, [] when it has none. Reads only.
func (st *Store) SCIMIdentities(g *Group) []SCIMIdentity {
	out := make([]SCIMIdentity, 0, len(st.ids.scim[g.ID]))
	for _, s := range st.ids.scim[g.ID] {
		out = append(out, *s)
	}
	return out
}

// findSCIM is group.scim_identities.with_extern_uid(uid).first: a
// case-insensitive match (iwhere); NotFound Identity when none.
func (st *Store) findSCIM(g *Group, uid string) (*SCIMIdentity, error) {
	for _, s := range st.ids.scim[g.ID] {
		if strings.EqualFold(s.ExternUID, uid) {
			return s, nil
		}
	}
	return nil, notFound("Identity")
}

// SCIMIdentity is GET /groups/:id/scim/:uid. Reads only.
func (st *Store) SCIMIdentity(g *Group, uid string) (SCIMIdentity, error) {
	s, err := st.findSCIM(g, uid)
	if err != nil {
		return SCIMIdentity{}, err
	}
	return *s, nil
}

// checkSCIMExternUID runs GroupScimIdentity's validations of extern_uid:
// present, and unique per group case-insensitively, except for the
// identity except.
func (st *Store) checkSCIMExternUID(g *Group, uid string, except *SCIMIdentity) error {
	if uid == "" {
		return refused(BadRequest, "Extern uid can't be blank")
	}
	for _, s := range st.ids.scim[g.ID] {
		if s != except && strings.EqualFold(s.ExternUID, uid) {
			return refused(BadRequest, "Extern uid has already been taken")
		}
	}
	return nil
}

// UpdateSCIMIdentity is PATCH /groups/:id/scim/:uid: as
// UpdateSAMLIdentity, with GroupScimIdentity's validations; active is
// not changed.
func (st *Store) UpdateSCIMIdentity(g *Group, uid, externUID string) (SCIMIdentity, error) {
	s, err := st.findSCIM(g, uid)
	if err != nil {
		return SCIMIdentity{}, err
	}
	if externUID != s.ExternUID {
		if err := st.checkSCIMExternUID(g, externUID, s); err != nil {
			return SCIMIdentity{}, err
		}
		s.ExternUID = externUID
	}
	return *s, nil
}

// DeleteSCIMIdentity is DELETE /groups/:id/scim/:uid: the identity
// (NotFound Identity) is deleted; its user stays.
func (st *Store) DeleteSCIMIdentity(g *Group, uid string) error {
	s, err := st.findSCIM(g, uid)
	if err != nil {
		return err
	}
	ix := &st.ids
	drop := func(x *SCIMIdentity) bool { return x == s }
	ix.scim[g.ID] = slices.DeleteFunc(ix.scim[g.ID], drop)
	ix.scimOf[s.UserID] = slices.DeleteFunc(ix.scimOf[s.UserID], drop)
	return nil
}

// --- users of a group's SAML provider, and provisioned users ---------------

// GroupUserFilter holds the UsersFinder parameters that saml_users and
// provisioned_users declare; a zero field filters nothing.
type GroupUserFilter struct {
	// Username is by_username: case-insensitive.
	Username *string
	// Search is User.search with private emails: name or username
	// containing the term, or the primary or public email equal to it
	// (case-insensitive; one leading "@" dropped). A blank term filters
	// nothing. The results are ordered by relevance (RankSearch).
	Search *string
	// Active keeps active users; Blocked keeps blocked and LDAP-blocked
	// ones. Both together keep none.
	Active, Blocked bool
	// CreatedAfter and CreatedBefore bound created_at, inclusively.
	CreatedAfter, CreatedBefore *time.Time
}

func (f GroupUserFilter) match(u *User) bool {
	switch {
	case f.Username != nil && !strings.EqualFold(u.Username, *f.Username),
		f.Active && u.State != StateActive,
		f.Blocked && u.State != StateBlocked && u.State != StateLDAPBlocked,
		f.CreatedAfter != nil && u.CreatedAt.Before(*f.CreatedAfter),
		f.CreatedBefore != nil && u.CreatedAt.After(*f.CreatedBefore):
		return false
	case f.search() == "":
		return true
	}
	t := strings.ToLower(f.search())
	return strings.Contains(strings.ToLower(u.Name), t) || strings.Contains(strings.ToLower(u.Username), t) ||
		strings.EqualFold(u.Email, t) || u.PublicEmail != "" && strings.EqualFold(u.PublicEmail, t)
}

func (f GroupUserFilter) search() string {
	if f.Search == nil {
		return ""
	}
	return strings.TrimSpace(strings.TrimPrefix(*f.Search, "@"))
}

// pick returns the users of ids that f keeps, by descending ID (by
// relevance with a search).
func (st *Store) pick(ids []int64, f GroupUserFilter) []*User {
	var out []*User
	for _, id := range ids {
		if u := st.users[id]; u != nil && f.match(u) {
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(a, b *User) int { return cmp.Compare(b.ID, a.ID) })
	if t := f.search(); t != "" {
		RankSearch(out, t)
	}
	return out
}

// SAMLUsers is GET /groups/:id/saml_users for actor (signed in: the
// endpoint's authenticate! comes first): the group ref must be visible
// (NotFound Group) and top-level (BadRequest "Must be a top-level
// group"), and actor its Owner or an administrator
// (Authn::GroupSamlUsersFinder raises AccessDeniedError: Forbidden).
// The users with an identity at its SAML provider that f keeps, by
// descending ID; none when the group has no SAML provider. Reads only.
func (st *Store) SAMLUsers(actor *User, ref string, f GroupUserFilter, now time.Time) ([]*User, error) {
	g := st.FindGroup(ref)
	switch {
	case g == nil || !st.CanReadGroup(actor, g, now):
		return nil, notFound("Group")
	case g.ParentID != 0:
		return nil, badRequest("Must be a top-level group")
	case actor == nil || !actor.Admin && st.GroupAccess(actor, g, now) < AccessOwner:
		return nil, forbidden("")
	}
	pid := st.ids.provider[g.ID]
	if pid == 0 {
		return []*User{}, nil
	}
	var ids []int64
	for _, id := range st.ids.samlUsers[pid] {
		if u := st.users[id]; u != nil {
			if _, ok := samlIdentityOf(u, pid); ok {
				ids = append(ids, id)
			}
		}
	}
	return st.pick(ids, f), nil
}

// ProvisionedUsers is GET /groups/:id/provisioned_users for actor: the
// group ref must be visible (NotFound Group), and actor must hold
// read_provisioned_user there: Maintainers, Owners and administrators
// (Forbidden otherwise, anonymous callers included). The users the
// group provisioned (provisioned_by_group_id: SCIM-provisioned users
// and the group's service accounts) that f keeps, by descending ID.
// Reads only.
func (st *Store) ProvisionedUsers(actor *User, ref string, f GroupUserFilter, now time.Time) ([]*User, error) {
	g := st.FindGroup(ref)
	switch {
	case g == nil || !st.CanReadGroup(actor, g, now):
		return nil, notFound("Group")
	case actor == nil || !actor.Admin && st.GroupAccess(actor, g, now) < AccessMaintainer:
		return nil, forbidden("")
	}
	return st.pick(st.ids.provisioned[g.ID], f), nil
}
