package gitlabtest

import (
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// CreateUser stores a user described by spec and returns its ID and a
// new personal access token for it, named "seed", with the scopes api,
// read_api and read_user (plus sudo and admin_mode for administrators),
// no expiry date (it never expires) and the secret spec.Token (a random
// one when empty). It bypasses the API: no request is counted and no
// validation beyond uniqueness runs. It panics if spec.Username is empty
// or the username or email is already taken (case-insensitively), or
// spec.Token is another token's, since that is a mistake in the test's
// setup.
func (s *Server) CreateUser(spec UserSpec) (id int64, token string) {
	if spec.Username == "" {
		panic("gitlabtest: CreateUser: empty Username")
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.UserByName(spec.Username) != nil {
		panic(fmt.Sprintf("gitlabtest: CreateUser: username %q is taken", spec.Username))
	}
	addr := cmp.Or(spec.Email, strings.ToLower(spec.Username)+"@example.com")
	if taken, unconf := s.st.EmailUse(addr, 0); taken || unconf {
		panic(fmt.Sprintf("gitlabtest: CreateUser: email %q is taken", addr))
	}
	mustBeFree("CreateUser", s.st, spec.Token)
	u := addUser(s.st, spec, now)
	t := s.st.AddToken(u.ID, "seed", seedScopes(spec.Admin), false, nil, spec.Token, now)
	return u.ID, t.Token
}

// seedScopes are the scopes of CreateUser's token.
func seedScopes(admin bool) []string {
	if admin {
		return []string{"api", "read_api", "read_user", "sudo", "admin_mode"}
	}
	return []string{"api", "read_api", "read_user"}
}

// mustBeFree panics with fn's name when secret is another token's.
func mustBeFree(fn string, st *model.Store, secret string) {
	if secret != "" && st.SecretTaken(secret) {
		panic("gitlabtest: " + fn + ": the token secret is another token's")
	}
}

// GenerateUsers stores n plain active users named user<ID> ("User <ID>",
// user<ID>@example.com) and returns their IDs in order. It is cheap:
// 100,000 users take a fraction of a second and under 1 KB each. No
// tokens are made; use CreatePersonalToken for the users that need one.
func (s *Server) GenerateUsers(n int) []int64 {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	st.Reserve(n)
	// The users, their emails and their names are allocated in blocks:
	// fewer, exactly sized objects for the heap and the GC.
	users, emails := make([]user, n), make([]email, n)
	type span struct{ start, user, name, addr int } // offsets in text
	spans := make([]span, n)
	text := make([]byte, 0, n*48)
	var num []byte
	for i := range n {
		num = strconv.AppendInt(num[:0], st.NextUserID()+int64(i), 10)
		start := len(text)
		text = append(append(text, "user"...), num...)
		for st.UserByName(string(text[start:])) != nil {
			text = append(text, 'x')
		}
		userEnd := len(text)
		text = append(append(text, "User "...), num...)
		nameEnd := len(text)
		text = append(append(text, text[start:userEnd]...), "@example.com"...)
		spans[i] = span{start, userEnd, nameEnd, len(text)}
	}
	block := string(text)
	ids := make([]int64, n)
	for i, sp := range spans {
		spec := UserSpec{Username: block[sp.start:sp.user], Name: block[sp.user:sp.name], Email: block[sp.name:sp.addr]}
		ids[i] = addUserIn(st, &users[i], &emails[i], spec, now).ID
	}
	return ids
}

// CreatePersonalToken makes a personal access token for the user and
// returns its value. Without scopes it gets api. The token never
// expires. It panics if the user does not exist.
func (s *Server) CreatePersonalToken(userID int64, scopes ...string) string {
	if len(scopes) == 0 {
		scopes = []string{"api"}
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("CreatePersonalToken", userID)
	return s.st.AddToken(userID, "personal", scopes, false, nil, "", now).Token
}

// AddSSHKey stores an SSH key (usage type auth_and_signing) for the user
// and returns its ID. key should be a well-formed public key line, such
// as FakeSSHKey returns. It panics if the user does not exist.
func (s *Server) AddSSHKey(userID int64, title, key string) int64 {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("AddSSHKey", userID)
	return s.st.AddSSHKey(userID, title, key, "auth_and_signing", nil, now).ID
}

// AddGPGKey stores a GPG key for the user and returns its ID. It panics
// if the user does not exist.
func (s *Server) AddGPGKey(userID int64, key string) int64 {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("AddGPGKey", userID)
	return s.st.AddGPGKey(userID, key, now).ID
}

// AddEmail stores a secondary email for the user and returns its ID. It
// panics if the user does not exist.
func (s *Server) AddEmail(userID int64, addr string, confirmed bool) int64 {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("AddEmail", userID)
	var c *time.Time
	if confirmed {
		c = model.PtrTime(now)
	}
	return s.st.AddEmail(userID, addr, c, now).ID
}

// SetStatus sets the user's status; a zero spec clears it. It panics if
// the user does not exist.
func (s *Server) SetStatus(userID int64, spec StatusSpec) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.mustUser("SetStatus", userID)
	if spec == (StatusSpec{}) {
		u.SetStatus(nil)
		return
	}
	st := &StatusSnapshot{Emoji: cmp.Or(spec.Emoji, model.DefaultStatusEmoji), Message: spec.Message,
		Availability: cmp.Or(spec.Availability, model.AvailabilityNotSet)}
	if !spec.ClearStatusAt.IsZero() {
		st.ClearStatusAt = model.PtrTime(spec.ClearStatusAt.UTC())
	}
	u.SetStatus(st)
}

// Follow makes follower follow followee (no checks). It panics if either
// user does not exist.
func (s *Server) Follow(followerID, followeeID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.mustUser("Follow", followerID)
	s.st.Follow(u, s.mustUser("Follow", followeeID))
}

// UpdateUser changes a stored user in place through f, e.g. to set a
// state or a last activity date the API cannot set. Changing ID has no
// effect; a changed Username is re-indexed. It panics if the user does
// not exist.
func (s *Server) UpdateUser(id int64, f func(*UserSnapshot)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.mustUser("UpdateUser", id)
	snap := snapshotOf(s.st, u, s.now())
	f(&snap)
	username := snap.Username
	snap.ID, snap.Username = id, u.Username
	u.UserData, u.State = snap.UserData, model.UserState(snap.State)
	if username != u.Username {
		s.st.Rename(u, username)
	}
	if e := s.st.PrimaryEmail(u); e != nil {
		e.Email = u.Email
	}
}

// User returns a snapshot of the user with this ID.
func (s *Server) User(id int64) (UserSnapshot, bool) {
	return one(s, func(st *model.Store) *user { return st.User(id) }, s.snapshot)
}

// UserByUsername returns a snapshot of the user with this username
// (case-insensitive, as GitLab matches usernames).
func (s *Server) UserByUsername(username string) (UserSnapshot, bool) {
	return one(s, func(st *model.Store) *user { return st.UserByName(username) }, s.snapshot)
}

// snapshot is snapshotOf at the server's time; the store's lock must be
// held.
func (s *Server) snapshot(u *user) UserSnapshot { return snapshotOf(s.st, u, s.now()) }

// one copies, under the store's lock, the state of the resource that
// find returns; false when there is none.
func one[T, S any](s *Server, find func(*model.Store) *T, state func(*T) S) (S, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if r := find(s.st); r != nil {
		return state(r), true
	}
	var zero S
	return zero, false
}

// Users returns snapshots of all users, root included, by ascending ID.
func (s *Server) Users() []UserSnapshot {
	s.mu.RLock()
	defer s.mu.RUnlock()
	all := s.st.UsersByID()
	out := make([]UserSnapshot, len(all))
	for i, u := range all {
		out[i] = s.snapshot(u)
	}
	return out
}

// UserCount returns the number of users, root included.
func (s *Server) UserCount() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.st.UserCount()
}

// Following returns the IDs of the users that userID follows, in the
// order they were followed.
func (s *Server) Following(userID int64) []int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if u := s.st.User(userID); u != nil {
		return slices.Clone(u.Followees())
	}
	return nil
}

// Followers returns the IDs of the users following userID, ascending.
func (s *Server) Followers(userID int64) []int64 {
	return snapshot(s, func(st *model.Store) []*user { return st.FollowersOf(userID) }, func(u *user) int64 { return u.ID })
}

// SSHKeys returns the user's SSH keys by ascending ID.
func (s *Server) SSHKeys(userID int64) []SSHKeySnapshot {
	return snapshot(s, func(st *model.Store) []*sshKey { return st.SSHKeys(userID) }, func(k *sshKey) SSHKeySnapshot { return *k })
}

// GPGKeys returns the user's GPG keys by ascending ID.
func (s *Server) GPGKeys(userID int64) []GPGKeySnapshot {
	return snapshot(s, func(st *model.Store) []*gpgKey { return st.GPGKeys(userID) }, func(k *gpgKey) GPGKeySnapshot { return *k })
}

// Emails returns the user's emails: the primary one first, then the
// secondary ones by ascending ID.
func (s *Server) Emails(userID int64) []EmailSnapshot {
	return snapshot(s, func(st *model.Store) []*email { return st.UserEmails(userID) }, func(e *email) EmailSnapshot { return *e })
}

// snapshot copies, under the store's lock, the state of each resource
// that list returns.
func snapshot[T, S any](s *Server, list func(*model.Store) []T, state func(T) S) []S {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []S
	for _, r := range list(s.st) {
		out = append(out, state(r))
	}
	return out
}

// Status returns the user's current status; false when none is set (or
// it has been cleared by its clear_status_at time).
func (s *Server) Status(userID int64) (StatusSnapshot, bool) {
	now := s.now()
	s.mu.RLock()
	defer s.mu.RUnlock()
	u := s.st.User(userID)
	if u == nil {
		return StatusSnapshot{}, false
	}
	st := u.CurrentStatus(now)
	if st == nil {
		return StatusSnapshot{}, false
	}
	return *st, true
}

// ImpersonationTokens returns the user's impersonation tokens (revoked
// ones included) by ascending ID, with their secret values.
func (s *Server) ImpersonationTokens(userID int64) []TokenSnapshot {
	return s.tokens(userID, true)
}

// PersonalTokens returns every personal access token of the user (all
// but the impersonation tokens) by ascending ID, with their secret
// values: revoked and expired ones too, whether seeded (CreateUser,
// CreateServiceAccount, CreatePersonalToken, CreateToken) or made
// through the API (created for the user, by the user, for a service
// account, or by a rotation). Root's (ID 1) include AdminToken.
func (s *Server) PersonalTokens(userID int64) []TokenSnapshot {
	return s.tokens(userID, false)
}

func (s *Server) tokens(userID int64, imp bool) []TokenSnapshot {
	return snapshot(s, func(st *model.Store) []*token { return st.UserTokens(userID, imp) }, func(t *token) TokenSnapshot {
		c := *t
		c.Scopes = slices.Clone(c.Scopes)
		return c
	})
}

// mustUser returns the user or panics; s.mu must be held.
func (s *Server) mustUser(fn string, id int64) *user {
	return mustFind(s.st.User, fn, "user", id)
}

// mustHavePath panics with fn's name when a group's or a project's
// path is empty.
func mustHavePath(fn, path string) {
	if path == "" {
		panic("gitlabtest: " + fn + ": empty Path")
	}
}

// mustFind returns the resource id of m (a user, a group, a project) or
// panics with fn's name; s.mu must be held.
func mustFind[T any](find func(int64) *T, fn, what string, id int64) *T {
	r := find(id)
	if r == nil {
		panic(fmt.Sprintf("gitlabtest: %s: no %s with ID %d", fn, what, id))
	}
	return r
}

// TokenSpec describes a personal access token to seed with CreateToken.
// Zero fields take defaults.
type TokenSpec struct {
	// Name defaults to "personal".
	Name        string
	Description string
	// Scopes default to api.
	Scopes []string
	// ExpiresAt is the day the token stops working; zero never expires.
	ExpiresAt time.Time
	// CreatedAt defaults to the server's clock.
	CreatedAt time.Time
	// LastUsedAt is when the token was last used; zero means never.
	LastUsedAt time.Time
	// Revoked stores the token revoked.
	Revoked bool
	// Impersonation makes it an impersonation token.
	Impersonation bool
	// Token is the secret value; empty makes a random glpat- one.
	Token string
}

// CreateToken stores a personal access token for the user described by
// spec and returns its ID and secret value. It panics if the user does
// not exist or spec.Token is another token's.
func (s *Server) CreateToken(userID int64, spec TokenSpec) (id int64, token string) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("CreateToken", userID)
	mustBeFree("CreateToken", s.st, spec.Token)
	t := addToken(s.st, userID, spec, now)
	return t.ID, t.Token
}

// addToken stores a token of userID described by spec.
func addToken(st *model.Store, userID int64, spec TokenSpec, now time.Time) *token {
	scopes := spec.Scopes
	if len(scopes) == 0 {
		scopes = []string{"api"}
	}
	var expires *time.Time
	if !spec.ExpiresAt.IsZero() {
		expires = model.PtrTime(model.DayOf(spec.ExpiresAt))
	}
	created := now
	if !spec.CreatedAt.IsZero() {
		created = spec.CreatedAt.UTC()
	}
	t := st.AddToken(userID, cmp.Or(spec.Name, "personal"), scopes, spec.Impersonation, expires, spec.Token, created)
	t.Description, t.Revoked = spec.Description, spec.Revoked
	if !spec.LastUsedAt.IsZero() {
		t.LastUsedAt = model.PtrTime(spec.LastUsedAt.UTC())
	}
	return t
}

// Token returns a snapshot of the token with this ID (any kind), with
// its secret value.
func (s *Server) Token(id int64) (TokenSnapshot, bool) {
	return one(s, func(st *model.Store) *token { return st.Token(id) }, func(t *token) TokenSnapshot {
		c := *t
		c.Scopes, c.LastUsedIPs = slices.Clone(c.Scopes), slices.Clone(c.LastUsedIPs)
		return c
	})
}

// CreateGroup stores a group and makes spec.Owners its Owners, and
// returns its ID. It panics if the parent or an owner does not exist,
// or Path is empty.
func (s *Server) CreateGroup(spec GroupSpec) int64 {
	mustHavePath("CreateGroup", spec.Path)
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if spec.ParentID != 0 {
		mustFind(s.st.Group, "CreateGroup", "group", spec.ParentID)
	}
	g := s.st.AddGroup(spec, now)
	for _, id := range spec.Owners {
		s.st.AddMember(s.mustUser("CreateGroup", id), SourceNamespace, g.ID, g.Name, AccessOwner)
	}
	return g.ID
}

// CreateProject stores a project in its group, or with OwnerID and no
// GroupID in that user's personal namespace (the user becomes its
// Owner), makes spec.Maintainers and spec.Owners members with those
// roles, and returns its ID. It panics if the group, the owner or a
// member does not exist, or Path is empty.
func (s *Server) CreateProject(spec ProjectSpec) int64 {
	mustHavePath("CreateProject", spec.Path)
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if spec.GroupID == 0 && spec.OwnerID != 0 {
		spec.Owners = append([]int64{spec.OwnerID}, spec.Owners...)
		s.mustUser("CreateProject", spec.OwnerID)
	} else {
		mustFind(s.st.Group, "CreateProject", "group", spec.GroupID)
	}
	p := s.st.AddProject(spec, now)
	for _, id := range spec.Maintainers {
		s.st.AddMember(s.mustUser("CreateProject", id), SourceProject, p.ID, p.Name, AccessMaintainer)
	}
	for _, id := range spec.Owners {
		s.st.AddMember(s.mustUser("CreateProject", id), SourceProject, p.ID, p.Name, AccessOwner)
	}
	return p.ID
}

// AddGroupMember makes the user a direct member of the group with the
// access level (AccessGuest ... AccessOwner), or changes their level.
// It panics if either does not exist.
func (s *Server) AddGroupMember(groupID, userID int64, level int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := mustFind(s.st.Group, "AddGroupMember", "group", groupID)
	s.st.AddMember(s.mustUser("AddGroupMember", userID), SourceNamespace, g.ID, g.Name, level)
}

// AddProjectMember makes the user a direct member of the project with
// the access level, or changes their level. It panics if either does
// not exist.
func (s *Server) AddProjectMember(projectID, userID int64, level int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := mustFind(s.st.Project, "AddProjectMember", "project", projectID)
	s.st.AddMember(s.mustUser("AddProjectMember", userID), SourceProject, p.ID, p.Name, level)
}

// ShareGroup shares the group with the group withID: the members of
// withID get their level there, at most level, until expires (nil: no
// end). It panics if either group does not exist or they are already
// shared.
func (s *Server) ShareGroup(groupID, withID int64, level int, expires *time.Time) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	g := mustFind(s.st.Group, "ShareGroup", "group", groupID)
	with := mustFind(s.st.Group, "ShareGroup", "group", withID)
	if _, err := s.st.ShareGroup(&user{UserData: model.UserData{Admin: true}}, g, with, level, expires, now); err != nil {
		panic("gitlabtest: ShareGroup: " + err.Error())
	}
}

// ShareProject shares the project with the group withID, as ShareGroup
// does. It panics if either does not exist, they are already shared,
// or the group holds the project.
func (s *Server) ShareProject(projectID, withID int64, level int, expires *time.Time) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	p := mustFind(s.st.Project, "ShareProject", "project", projectID)
	with := mustFind(s.st.Group, "ShareProject", "group", withID)
	if _, err := s.st.ShareProject(&user{UserData: model.UserData{Admin: true}}, p, with, level, expires, now); err != nil {
		panic("gitlabtest: ShareProject: " + err.Error())
	}
}

// cloneShares deep-copies shares, their expiry included.
func cloneShares(shares []model.Share) []model.Share {
	out := slices.Clone(shares)
	for i, sh := range out {
		if sh.ExpiresAt != nil {
			out[i].ExpiresAt = model.PtrTime(*sh.ExpiresAt)
		}
	}
	return out
}

// Group returns a snapshot of the group with this ID.
func (s *Server) Group(id int64) (GroupSnapshot, bool) {
	return one(s, func(st *model.Store) *group { return st.Group(id) }, func(g *group) GroupSnapshot {
		c := *g
		c.SharedWith = cloneShares(c.SharedWith)
		c.VerifiedDomains = slices.Clone(c.VerifiedDomains)
		return c
	})
}

// Project returns a snapshot of the project with this ID.
func (s *Server) Project(id int64) (ProjectSnapshot, bool) {
	return one(s, func(st *model.Store) *project { return st.Project(id) }, func(p *project) ProjectSnapshot {
		c := *p
		c.SharedWith = cloneShares(c.SharedWith)
		return c
	})
}

// CreateServiceAccount stores a service account: an instance one, or a
// group's or a project's when spec.ProvisionedByGroupID or
// spec.ProvisionedByProjectID is set (spec.ServiceAccount is implied).
// It returns the ID and a token like CreateUser's: scopes api, read_api
// and read_user, and no expiry date, so it never expires.
func (s *Server) CreateServiceAccount(spec UserSpec) (id int64, token string) {
	spec.ServiceAccount = true
	return s.CreateUser(spec)
}

// FakeSSHKey returns a well-formed "ssh-ed25519 AAAA... comment" public
// key line derived from seed: the same seed gives the same key (and the
// same fingerprint, which GitLab requires to be unique), different seeds
// give different keys. The key is not usable for SSH.
func FakeSSHKey(seed string) string {
	sum := sha256.Sum256([]byte("gitlabtest-ssh:" + seed))
	const typ = "ssh-ed25519"
	blob := make([]byte, 0, 4+len(typ)+4+32)
	blob = append(blob, 0, 0, 0, byte(len(typ)))
	blob = append(blob, typ...)
	blob = append(blob, 0, 0, 0, 32)
	blob = append(blob, sum[:]...)
	return typ + " " + base64.StdEncoding.EncodeToString(blob) + " " + seed + "@example.com"
}

// FakeGPGKey returns an ASCII-armored block that the server accepts as a
// GPG public key, derived from seed like FakeSSHKey. It is not a usable
// OpenPGP key.
func FakeGPGKey(seed string) string {
	sum := sha256.Sum256([]byte("gitlabtest-gpg:" + seed))
	body := base64.StdEncoding.EncodeToString(append(sum[:], sum[:]...))
	return "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n" + body + "\n=" + body[:4] + "\n-----END PGP PUBLIC KEY BLOCK-----"
}
