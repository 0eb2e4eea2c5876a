package model

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// store is the server's state; the Server's mu guards it: requests that
// only read (GET and HEAD) hold it for reading, many at once, so nothing
// may change the store, its indexes included, without holding it for
// writing (see answerFor).
//
// Its cost per request must not grow with the number of users: users
// are kept in ID order in byID (IDs only grow, so adding a user appends),
// and each user keeps the IDs of its followers. Add and remove users and
// follows only through addUser, deleteUser, follow and unfollow, which
// keep these indexes.
type Store struct {
	users    map[int64]*User
	byName   map[string]int64 // lower-cased username
	keys     map[int64]*SSHKey
	gpgKeys  map[int64]*GPGKey
	emails   map[int64]*Email
	tokens   map[int64]*Token
	bySecret map[string]int64 // token value -> token id
	// owners indexes keys, GPG keys, emails and tokens by their user, so
	// that a user's list costs the same however many others there are.
	owners    ownerIndexes
	nextUser  int64
	nextKey   int64
	nextGPG   int64
	nextEmail int64
	nextToken int64
	nextNS    int64
	// nextRunner numbers the runners of POST /user/runners.
	nextRunner int64
	groups     map[int64]*Group
	projects   map[int64]*Project
	nextGroup  int64
	nextProj   int64
	nextLink   int64 // numbers shares (group and project links)
	// byID holds every user by ascending ID.
	byID []*User
	// mem holds the member rows of groups and projects (members.go).
	mem members
	// runners holds the runners of POST /user/runners (runners.go).
	runners map[int64]*Runner
	// deployKeys holds the deploy keys (deploy_keys.go); their IDs come
	// from nextKey, as GitLab's share the keys table.
	deployKeys map[int64]*DeployKey
	// events holds the contribution events by ascending ID (events.go).
	events    []*Event
	nextEvent int64
	// eventsBy holds each author's events by ascending ID.
	eventsBy map[int64][]*Event

	// enterprise holds, per top-level group ID, the IDs of the users it
	// claimed as enterprise users, ascending (see enterprise_users.go).
	enterprise map[int64][]int64
	// ids indexes group SAML and SCIM identities and provisioned users
	// by group (group_identities.go).
	ids groupIdentities
	// samlLinks and ldapLinks hold each group's SAML and LDAP group
	// links in creation order, by group ID; ldapDirectory what the
	// LDAP directory answers for a CN or filter (group_links.go).
	samlLinks     map[int64][]*SAMLGroupLink
	ldapLinks     map[int64][]*LDAPGroupLink
	nextGroupLink int64
	ldapDirectory map[LDAPEntry][]int64
	// auditEvents holds the audit events by ascending ID, auditBy each
	// entity's (audit.go).
	auditEvents []*AuditEvent
	nextAudit   int64
	auditBy     map[auditKey][]*AuditEvent
}

// NewStore returns an empty store.
func NewStore() *Store {
	st := &Store{}
	st.users = map[int64]*User{}
	st.byName = map[string]int64{}
	st.keys = map[int64]*SSHKey{}
	st.gpgKeys = map[int64]*GPGKey{}
	st.emails = map[int64]*Email{}
	st.tokens = map[int64]*Token{}
	st.bySecret = map[string]int64{}
	st.groups = map[int64]*Group{}
	st.projects = map[int64]*Project{}
	st.runners = map[int64]*Runner{}
	st.deployKeys = map[int64]*DeployKey{}
	return st
}

// Lookups; each reads only, and returns nil when there is none.

// User returns the user with this ID.
func (st *Store) User(id int64) *User { return st.users[id] }

// FindUser resolves an ID or a username (case-insensitive; a leading
// "@" is part of the name, as on GitLab): find_user in
// lib/api/helpers.rb.
func (st *Store) FindUser(ref string) *User {
	if AllDigits(ref) {
		id, err := strconv.ParseInt(ref, 10, 64)
		if err != nil {
			return nil
		}
		return st.users[id]
	}
	return st.UserByName(ref)
}

// UserCount is the number of users.
func (st *Store) UserCount() int { return len(st.users) }

// SSHKey returns the SSH key with this ID.
func (st *Store) SSHKey(id int64) *SSHKey { return st.keys[id] }

// GPGKey returns the GPG key with this ID.
func (st *Store) GPGKey(id int64) *GPGKey { return st.gpgKeys[id] }

// Email returns the email with this ID.
func (st *Store) Email(id int64) *Email { return st.emails[id] }

// PrimaryEmail returns u's primary email.
func (st *Store) PrimaryEmail(u *User) *Email { return st.emails[u.primaryEmailID] }

// Token returns the token with this ID, of any kind.
func (st *Store) Token(id int64) *Token { return st.tokens[id] }

// TokenBySecret returns the token whose secret value is secret.
func (st *Store) TokenBySecret(secret string) *Token {
	if id, ok := st.bySecret[secret]; ok {
		return st.tokens[id]
	}
	return nil
}

// SecretTaken reports whether secret is a token's secret value.
func (st *Store) SecretTaken(secret string) bool {
	_, ok := st.bySecret[secret]
	return ok
}

// Group returns the group with this ID.
func (st *Store) Group(id int64) *Group { return st.groups[id] }

// Project returns the project with this ID.
func (st *Store) Project(id int64) *Project { return st.projects[id] }

// SSHKeys returns every SSH key by ascending ID, or userID's only when
// userID is not 0.
func (st *Store) SSHKeys(userID int64) []*SSHKey { return ownedList(st.keys, st.owners.keys, userID) }

// GPGKeys returns every GPG key by ascending ID, or userID's only when
// userID is not 0.
func (st *Store) GPGKeys(userID int64) []*GPGKey {
	return ownedList(st.gpgKeys, st.owners.gpgKeys, userID)
}

// Emails returns every email by ascending ID, or userID's only when
// userID is not 0.
func (st *Store) Emails(userID int64) []*Email { return ownedList(st.emails, st.owners.emails, userID) }

// Tokens returns every token of any kind by ascending ID, or userID's
// only when userID is not 0.
func (st *Store) Tokens(userID int64) []*Token { return ownedList(st.tokens, st.owners.tokens, userID) }

// Groups returns every group by ascending ID.
func (st *Store) Groups() []*Group { return byID(st.groups) }

// Projects returns every project by ascending ID.
func (st *Store) Projects() []*Project { return byID(st.projects) }

// byID returns m's values by ascending key.
func byID[T any](m map[int64]*T) []*T {
	keys := slices.Sorted(maps.Keys(m))
	out := make([]*T, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

// UsersByID returns all users in ascending ID order (shared; do not
// modify the slice).
func (st *Store) UsersByID() []*User { return st.byID }

// IndexAfter returns the index in usersByID of the first user whose ID
// is greater than id.
func (st *Store) IndexAfter(id int64) int {
	i, found := slices.BinarySearchFunc(st.byID, id, func(u *User, id int64) int { return cmp.Compare(u.ID, id) })
	if found {
		i++
	}
	return i
}

// UserByName returns the user with this username, compared
// case-insensitively as GitLab compares usernames.
func (st *Store) UserByName(name string) *User {
	if id, ok := st.byName[strings.ToLower(name)]; ok {
		return st.users[id]
	}
	return nil
}

// AddUser stores u, whose data the caller has filled in, with the next
// user and namespace IDs and its primary email in e (the two may come
// from blocks the caller allocates, as gitlabtest's GenerateUsers does).
// It does not validate: seeding does its own checks, and API creation
// runs CreateUser's rules first.
func (st *Store) AddUser(u *User, e *Email, now time.Time) *User {
	st.nextUser++
	st.nextNS++
	u.ID, u.NamespaceID = st.nextUser, st.nextNS
	st.users[u.ID] = u
	st.byName[strings.ToLower(u.Username)] = u.ID
	st.byID = append(st.byID, u) // the greatest ID so far
	st.addEmailIn(e, u.ID, u.Email, u.ConfirmedAt, now)
	st.ids.noteProvisioned(u)
	e.Primary = true
	u.primaryEmailID = e.ID
	return u
}

// The add functions are the one way to store each resource, for the
// endpoints and the seeding methods alike; they do not validate.

// AddSSHKey stores an SSH key of userID with its SHA256 fingerprint.
func (st *Store) AddSSHKey(userID int64, title, key, usage string, expires *time.Time, now time.Time) *SSHKey {
	st.nextKey++
	fp, _ := SSHFingerprint(key)
	k := &SSHKey{ID: st.nextKey, UserID: userID, Title: title, Key: key, Fingerprint: fp,
		UsageType: usage, CreatedAt: now, ExpiresAt: expires}
	st.keys[k.ID] = k
	st.owners.keys.add(userID, k.ID)
	return k
}

// AddGPGKey stores a GPG key of userID.
func (st *Store) AddGPGKey(userID int64, key string, now time.Time) *GPGKey {
	st.nextGPG++
	k := &GPGKey{ID: st.nextGPG, UserID: userID, Key: key, CreatedAt: now}
	st.gpgKeys[k.ID] = k
	st.owners.gpgKeys.add(userID, k.ID)
	return k
}

// AddEmail stores a secondary email of userID, confirmed at confirmed
// (nil for unconfirmed).
func (st *Store) AddEmail(userID int64, addr string, confirmed *time.Time, now time.Time) *Email {
	return st.addEmailIn(new(Email), userID, addr, confirmed, now)
}

func (st *Store) addEmailIn(e *Email, userID int64, addr string, confirmed *time.Time, now time.Time) *Email {
	st.nextEmail++
	*e = Email{ID: st.nextEmail, UserID: userID, Email: addr, ConfirmedAt: confirmed, CreatedAt: now}
	st.emails[e.ID] = e
	st.owners.emails.add(userID, e.ID)
	return e
}

// Reserve makes room for n more users, so that adding many at once
// grows each index once rather than step by step.
func (st *Store) Reserve(n int) {
	st.byID = slices.Grow(st.byID, n)
	if n < len(st.users) {
		return // growing as they come costs less than copying
	}
	st.users = grown(st.users, n)
	st.byName = grown(st.byName, n)
	st.emails = grown(st.emails, n)
}

// grown returns a copy of m with room for n more entries.
func grown[K comparable, V any](m map[K]V, n int) map[K]V {
	g := make(map[K]V, len(m)+n)
	maps.Copy(g, m)
	return g
}

// AddToken stores a personal or impersonation token of userID with the
// secret value secret, or a new random glpat- one when it is empty. It
// panics if secret is already another token's: a secret names one token
// (GitLab's index_personal_access_tokens_on_token_digest is unique), and
// the seeding methods that choose secrets check SecretTaken first.
func (st *Store) AddToken(userID int64, name string, scopes []string, impersonation bool, expires *time.Time, secret string, now time.Time) *Token {
	if st.SecretTaken(secret) {
		panic("model: AddToken: the secret is another token's")
	}
	for secret == "" || st.SecretTaken(secret) {
		secret = "glpat-" + RandomHex(10)
	}
	st.nextToken++
	t := &Token{ID: st.nextToken, UserID: userID, Name: name, Scopes: slices.Clone(scopes),
		Impersonation: impersonation, CreatedAt: now, ExpiresAt: expires, Token: secret}
	st.tokens[t.ID] = t
	st.owners.tokens.add(userID, t.ID)
	st.bySecret[secret] = t.ID
	return t
}

// AddGroup stores a group; its full path follows its parent's.
func (st *Store) AddGroup(spec GroupSpec, now time.Time) *Group {
	st.nextGroup++
	g := &Group{ID: st.nextGroup, ParentID: spec.ParentID, Path: spec.Path, FullPath: spec.Path,
		Name: cmp.Or(spec.Name, spec.Path), Visibility: cmp.Or(spec.Visibility, "private"), CreatedAt: now,
		Description: spec.Description}
	if p := st.groups[spec.ParentID]; p != nil {
		g.FullPath = p.FullPath + "/" + spec.Path
	}
	st.groups[g.ID] = g
	return g
}

// AddProject stores a project in its group, or in the personal
// namespace of spec.OwnerID when spec.GroupID is 0.
func (st *Store) AddProject(spec ProjectSpec, now time.Time) *Project {
	st.nextProj++
	p := &Project{ID: st.nextProj, GroupID: spec.GroupID, Path: spec.Path, Name: cmp.Or(spec.Name, spec.Path),
		Description: spec.Description, PathWithNamespace: spec.Path, Visibility: cmp.Or(spec.Visibility, "private"), CreatedAt: now}
	if g := st.groups[spec.GroupID]; g != nil {
		p.PathWithNamespace = g.FullPath + "/" + spec.Path
	} else if u := st.users[spec.OwnerID]; u != nil {
		p.OwnerID = u.ID
		p.PathWithNamespace = u.Username + "/" + spec.Path
	}
	st.projects[p.ID] = p
	return p
}

// FindGroup resolves a group ID or full path (case-insensitive).
func (st *Store) FindGroup(ref string) *Group {
	return findByRef(st.groups, ref, func(g *Group) string { return g.FullPath })
}

// FindProject resolves a project ID or full path (case-insensitive).
func (st *Store) FindProject(ref string) *Project {
	return findByRef(st.projects, ref, func(p *Project) string { return p.PathWithNamespace })
}

// findByRef resolves ref in m: digits are an ID, anything else is
// compared with each one's path, case-insensitively.
func findByRef[T any](m map[int64]*T, ref string, path func(*T) string) *T {
	if AllDigits(ref) {
		id, _ := strconv.ParseInt(ref, 10, 64)
		return m[id]
	}
	for _, r := range m {
		if strings.EqualFold(path(r), ref) {
			return r
		}
	}
	return nil
}

// owned is a stored resource that belongs to one user.
type owned interface {
	ids() (id, userID int64)
}

func (k *SSHKey) ids() (int64, int64) { return k.ID, k.UserID }
func (k *GPGKey) ids() (int64, int64) { return k.ID, k.UserID }
func (e *Email) ids() (int64, int64)  { return e.ID, e.UserID }
func (t *Token) ids() (int64, int64)  { return t.ID, t.UserID }

// ownedBy returns resource id of m if it belongs to userID.
func ownedBy[T owned](m map[int64]T, id, userID int64) (T, bool) {
	r, ok := m[id]
	if ok {
		if _, owner := r.ids(); owner == userID {
			return r, true
		}
	}
	var zero T
	return zero, false
}

// ownerIndexes are the owner indexes of the user-owned records.
type ownerIndexes struct{ keys, gpgKeys, emails, tokens ownerIndex }

// ownerIndex holds the IDs of a kind of record by their owner, each
// owner's in ascending order.
type ownerIndex map[int64][]int64

// add records that id belongs to owner.
func (x *ownerIndex) add(owner, id int64) {
	if *x == nil {
		*x = ownerIndex{}
	}
	ids := (*x)[owner]
	i, _ := slices.BinarySearch(ids, id)
	(*x)[owner] = slices.Insert(ids, i, id)
}

// remove forgets id of owner.
func (x ownerIndex) remove(owner, id int64) {
	if i, ok := slices.BinarySearch(x[owner], id); ok {
		x[owner] = slices.Delete(x[owner], i, i+1)
	}
	if len(x[owner]) == 0 {
		delete(x, owner)
	}
}

// ownedList returns userID's resources of m (all of them for 0) by
// ascending ID; x is m's owner index.
func ownedList[T owned](m map[int64]T, x ownerIndex, userID int64) []T {
	var out []T
	if userID != 0 {
		for _, id := range x[userID] {
			if r, ok := m[id]; ok {
				out = append(out, r)
			}
		}
		return out
	}
	for _, r := range m {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b T) int {
		x, _ := a.ids()
		y, _ := b.ids()
		return cmp.Compare(x, y)
	})
	return out
}

// DeleteUser removes a user and everything that belongs to them.
func (st *Store) DeleteUser(id int64) {
	u := st.users[id]
	if u == nil {
		return
	}
	st.forgetIdentities(u)
	delete(st.users, id)
	delete(st.byName, strings.ToLower(u.Username))
	if i, found := slices.BinarySearchFunc(st.byID, id, func(u *User, id int64) int { return cmp.Compare(u.ID, id) }); found {
		st.byID = slices.Delete(st.byID, i, i+1)
	}
	for _, k := range st.SSHKeys(id) {
		st.DeleteSSHKey(k.ID)
	}
	for _, k := range st.GPGKeys(id) {
		st.DeleteGPGKey(k.ID)
	}
	for _, e := range st.Emails(id) {
		st.DeleteEmail(e.ID)
	}
	for _, t := range st.Tokens(id) {
		delete(st.tokens, t.ID)
		delete(st.bySecret, t.Token)
	}
	delete(st.owners.tokens, id)
	st.deleteUserMembers(id)
	st.unclaimEnterprise(u)
	st.forgetEvents(id, 0)
	st.forgetDeployKeysOf(id)
	for _, f := range slices.Clone(u.Followers()) {
		if o := st.users[f]; o != nil {
			st.Unfollow(o, u)
		}
	}
	for _, f := range slices.Clone(u.Followees()) {
		if o := st.users[f]; o != nil {
			st.Unfollow(u, o)
		}
	}
}

// UserEmails returns the user's emails, primary first, then by ID.
func (st *Store) UserEmails(userID int64) []*Email {
	out := st.Emails(userID)
	slices.SortStableFunc(out, func(a, b *Email) int {
		switch {
		case a.Primary == b.Primary:
			return 0
		case a.Primary:
			return -1
		}
		return 1
	})
	return out
}

// EmailUse reports who uses addr: as a primary or unconfirmed primary
// email, or as a confirmed or unconfirmed secondary email. except is a
// user to ignore.
func (st *Store) EmailUse(addr string, except int64) (primaryOrConfirmed, unconfirmedSecondary bool) {
	for _, u := range st.users {
		if u.ID == except {
			continue
		}
		if strings.EqualFold(u.Email, addr) || (u.UnconfirmedEmail != "" && strings.EqualFold(u.UnconfirmedEmail, addr)) {
			primaryOrConfirmed = true
		}
	}
	for _, e := range st.emails {
		if e.UserID == except || !strings.EqualFold(e.Email, addr) {
			continue
		}
		if e.ConfirmedAt != nil || e.Primary {
			primaryOrConfirmed = true
		} else {
			unconfirmedSecondary = true
		}
	}
	return
}

// DeleteSSHKey removes an SSH key.
func (st *Store) DeleteSSHKey(id int64) {
	if k := st.keys[id]; k != nil {
		st.owners.keys.remove(k.UserID, id)
		delete(st.keys, id)
	}
}

// DeleteGPGKey removes a GPG key.
func (st *Store) DeleteGPGKey(id int64) {
	if k := st.gpgKeys[id]; k != nil {
		st.owners.gpgKeys.remove(k.UserID, id)
		delete(st.gpgKeys, id)
	}
}

// DeleteEmail removes an email.
func (st *Store) DeleteEmail(id int64) {
	if e := st.emails[id]; e != nil {
		st.owners.emails.remove(e.UserID, id)
		delete(st.emails, id)
	}
}

// Rename gives u a new username and keeps the username index.
func (st *Store) Rename(u *User, username string) {
	delete(st.byName, strings.ToLower(u.Username))
	u.Username = username
	st.byName[strings.ToLower(username)] = u.ID
}

// NextRunnerID numbers the runners of POST /user/runners.
func (st *Store) NextRunnerID() int64 {
	st.nextRunner++
	return st.nextRunner
}

// NextUserID is the ID the next user will get.
func (st *Store) NextUserID() int64 { return st.nextUser + 1 }

// SSHKeyOf returns key id if it belongs to userID.
func (st *Store) SSHKeyOf(userID, id int64) (*SSHKey, bool) { return ownedBy(st.keys, id, userID) }

// GPGKeyOf returns GPG key id if it belongs to userID.
func (st *Store) GPGKeyOf(userID, id int64) (*GPGKey, bool) { return ownedBy(st.gpgKeys, id, userID) }

// EmailOf returns email id if it belongs to userID.
func (st *Store) EmailOf(userID, id int64) (*Email, bool) { return ownedBy(st.emails, id, userID) }

// TokenOf returns token id (of any kind) if it belongs to userID.
func (st *Store) TokenOf(userID, id int64) (*Token, bool) { return ownedBy(st.tokens, id, userID) }
