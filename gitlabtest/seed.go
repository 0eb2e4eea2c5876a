package gitlabtest

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// CreateUser stores a user described by spec and returns its ID and a
// new personal access token for it (scopes api, read_api and read_user,
// plus sudo for administrators). It bypasses the API: no request is
// counted and no validation beyond uniqueness runs. It panics if
// spec.Username is empty or the username or email is already taken
// (case-insensitively), since that is a mistake in the test's setup.
func (s *Server) CreateUser(spec UserSpec) (id int64, token string) {
	if spec.Username == "" {
		panic("gitlabtest: CreateUser: empty Username")
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.lookupName(spec.Username) != nil {
		panic(fmt.Sprintf("gitlabtest: CreateUser: username %q is taken", spec.Username))
	}
	addr := cmp.Or(spec.Email, strings.ToLower(spec.Username)+"@example.com")
	if taken, unconf := s.st.emailUse(addr, 0); taken || unconf {
		panic(fmt.Sprintf("gitlabtest: CreateUser: email %q is taken", addr))
	}
	u := s.st.addUser(spec, now)
	scopes := []string{"api", "read_api", "read_user"}
	if spec.Admin {
		scopes = append(scopes, "sudo", "admin_mode")
	}
	t := s.st.addToken(u.ID, "seed", scopes, false, nil, "", now)
	return u.ID, t.Token
}

// GenerateUsers stores n plain active users named user<ID> ("User <ID>",
// user<ID>@example.com) and returns their IDs in order. It is cheap:
// 100,000 users take a fraction of a second and under 1 KB each. No
// tokens are made; use CreatePersonalToken for the users that need one.
func (s *Server) GenerateUsers(n int) []int64 {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.st
	st.reserve(n)
	// The users, their emails and their names are allocated in blocks:
	// fewer, exactly sized objects for the heap and the GC.
	users, emails := make([]user, n), make([]email, n)
	type span struct{ start, user, name, addr int } // offsets in text
	spans := make([]span, n)
	text := make([]byte, 0, n*48)
	var num []byte
	for i := range n {
		num = strconv.AppendInt(num[:0], st.nextUser+1+int64(i), 10)
		start := len(text)
		text = append(append(text, "user"...), num...)
		for st.lookupName(string(text[start:])) != nil {
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
		ids[i] = st.addUserIn(&users[i], &emails[i], spec, now).ID
	}
	return ids
}

// CreatePersonalToken makes a personal access token for the user and
// returns its value. Without scopes it gets api. It panics if the user
// does not exist.
func (s *Server) CreatePersonalToken(userID int64, scopes ...string) string {
	if len(scopes) == 0 {
		scopes = []string{"api"}
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("CreatePersonalToken", userID)
	return s.st.addToken(userID, "personal", scopes, false, nil, "", now).Token
}

// AddSSHKey stores an SSH key (usage type auth_and_signing) for the user
// and returns its ID. key should be a well-formed public key line, such
// as FakeSSHKey returns. It panics if the user does not exist.
func (s *Server) AddSSHKey(userID int64, title, key string) int64 {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("AddSSHKey", userID)
	return s.st.addSSHKey(userID, title, key, "auth_and_signing", nil, now).ID
}

// AddGPGKey stores a GPG key for the user and returns its ID. It panics
// if the user does not exist.
func (s *Server) AddGPGKey(userID int64, key string) int64 {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("AddGPGKey", userID)
	return s.st.addGPGKey(userID, key, now).ID
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
		c = ptrTime(now)
	}
	return s.st.addEmail(userID, addr, c, now).ID
}

// SetStatus sets the user's status; a zero spec clears it. It panics if
// the user does not exist.
func (s *Server) SetStatus(userID int64, spec StatusSpec) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.mustUser("SetStatus", userID)
	if spec == (StatusSpec{}) {
		u.status = nil
		return
	}
	st := &StatusSnapshot{Emoji: cmp.Or(spec.Emoji, "speech_balloon"), Message: spec.Message, Availability: cmp.Or(spec.Availability, "not_set")}
	if !spec.ClearStatusAt.IsZero() {
		st.ClearStatusAt = ptrTime(spec.ClearStatusAt.UTC())
	}
	u.status = st
}

// Follow makes follower follow followee (no checks). It panics if either
// user does not exist.
func (s *Server) Follow(followerID, followeeID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.mustUser("Follow", followerID)
	s.st.follow(u, s.mustUser("Follow", followeeID))
}

// UpdateUser changes a stored user in place through f, e.g. to set a
// state or a last activity date the API cannot set. Changing ID has no
// effect; a changed Username is re-indexed. It panics if the user does
// not exist.
func (s *Server) UpdateUser(id int64, f func(*UserSnapshot)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.mustUser("UpdateUser", id)
	old := u.Username
	f(&u.UserSnapshot)
	u.ID = id
	if u.Username != old {
		delete(s.st.byName, strings.ToLower(old))
		s.st.byName[strings.ToLower(u.Username)] = id
	}
	if e := s.st.emails[u.primaryEmailID]; e != nil {
		e.Email = u.Email
	}
}

// User returns a snapshot of the user with this ID.
func (s *Server) User(id int64) (UserSnapshot, bool) {
	return one(s, func(st *store) *user { return st.users[id] }, (*user).snapshot)
}

// UserByUsername returns a snapshot of the user with this username
// (case-insensitive, as GitLab matches usernames).
func (s *Server) UserByUsername(username string) (UserSnapshot, bool) {
	return one(s, func(st *store) *user { return st.lookupName(username) }, (*user).snapshot)
}

func (u *user) snapshot() UserSnapshot { return u.UserSnapshot.clone() }

// one copies, under the store's lock, the state of the resource that
// find returns; false when there is none.
func one[T, S any](s *Server, find func(*store) *T, state func(*T) S) (S, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if r := find(&s.st); r != nil {
		return state(r), true
	}
	var zero S
	return zero, false
}

// Users returns snapshots of all users, root included, by ascending ID.
func (s *Server) Users() []UserSnapshot {
	s.mu.RLock()
	defer s.mu.RUnlock()
	all := s.st.usersByID()
	out := make([]UserSnapshot, len(all))
	for i, u := range all {
		out[i] = u.UserSnapshot.clone()
	}
	return out
}

// UserCount returns the number of users, root included.
func (s *Server) UserCount() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.st.users)
}

// Following returns the IDs of the users that userID follows, in the
// order they were followed.
func (s *Server) Following(userID int64) []int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if u := s.st.users[userID]; u != nil {
		return slices.Clone(u.followees())
	}
	return nil
}

// Followers returns the IDs of the users following userID, ascending.
func (s *Server) Followers(userID int64) []int64 {
	return snapshot(s, func(st *store) []*user { return st.followers(userID) }, func(u *user) int64 { return u.ID })
}

// SSHKeys returns the user's SSH keys by ascending ID.
func (s *Server) SSHKeys(userID int64) []SSHKeySnapshot {
	return snapshot(s, func(st *store) []*sshKey { return ownedList(st.keys, userID) }, func(k *sshKey) SSHKeySnapshot { return k.SSHKeySnapshot })
}

// GPGKeys returns the user's GPG keys by ascending ID.
func (s *Server) GPGKeys(userID int64) []GPGKeySnapshot {
	return snapshot(s, func(st *store) []*gpgKey { return ownedList(st.gpgKeys, userID) }, func(k *gpgKey) GPGKeySnapshot { return k.GPGKeySnapshot })
}

// Emails returns the user's emails: the primary one first, then the
// secondary ones by ascending ID.
func (s *Server) Emails(userID int64) []EmailSnapshot {
	return snapshot(s, func(st *store) []*email { return st.userEmails(userID) }, func(e *email) EmailSnapshot { return e.EmailSnapshot })
}

// snapshot copies, under the store's lock, the state of each resource
// that list returns.
func snapshot[T, S any](s *Server, list func(*store) []T, state func(T) S) []S {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []S
	for _, r := range list(&s.st) {
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
	u := s.st.users[userID]
	if u == nil {
		return StatusSnapshot{}, false
	}
	st := currentStatus(u, now)
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

// PersonalTokens returns the user's personal access tokens (those of
// CreateUser and CreatePersonalToken) by ascending ID.
func (s *Server) PersonalTokens(userID int64) []TokenSnapshot {
	return s.tokens(userID, false)
}

func (s *Server) tokens(userID int64, imp bool) []TokenSnapshot {
	return snapshot(s, func(st *store) []*token { return st.userTokens(userID, imp) }, func(t *token) TokenSnapshot {
		c := t.TokenSnapshot
		c.Scopes = slices.Clone(c.Scopes)
		return c
	})
}

// mustUser returns the user or panics; s.mu must be held.
func (s *Server) mustUser(fn string, id int64) *user {
	return mustFind(s.st.users, fn, "user", id)
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
func mustFind[T any](m map[int64]*T, fn, what string, id int64) *T {
	r := m[id]
	if r == nil {
		panic(fmt.Sprintf("gitlabtest: %s: no %s with ID %d", fn, what, id))
	}
	return r
}

// currentStatus returns u's status unless it is unset or expired.
func currentStatus(u *user, now time.Time) *StatusSnapshot {
	if u.status == nil || (u.status.ClearStatusAt != nil && !u.status.ClearStatusAt.After(now)) {
		return nil
	}
	return u.status
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
}

// CreateToken stores a personal access token for the user described by
// spec and returns its ID and secret value. It panics if the user does
// not exist.
func (s *Server) CreateToken(userID int64, spec TokenSpec) (id int64, token string) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("CreateToken", userID)
	scopes := spec.Scopes
	if len(scopes) == 0 {
		scopes = []string{"api"}
	}
	var expires *time.Time
	if !spec.ExpiresAt.IsZero() {
		expires = ptrTime(dayOf(spec.ExpiresAt))
	}
	created := now
	if !spec.CreatedAt.IsZero() {
		created = spec.CreatedAt.UTC()
	}
	t := s.st.addToken(userID, cmp.Or(spec.Name, "personal"), scopes, spec.Impersonation, expires, "", created)
	t.Description, t.Revoked = spec.Description, spec.Revoked
	if !spec.LastUsedAt.IsZero() {
		t.LastUsedAt = ptrTime(spec.LastUsedAt.UTC())
	}
	return t.ID, t.Token
}

// Token returns a snapshot of the token with this ID (any kind), with
// its secret value.
func (s *Server) Token(id int64) (TokenSnapshot, bool) {
	return one(s, func(st *store) *token { return st.tokens[id] }, func(t *token) TokenSnapshot {
		c := t.TokenSnapshot
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
		mustFind(s.st.groups, "CreateGroup", "group", spec.ParentID)
	}
	g := s.st.addGroup(spec, now)
	for _, id := range spec.Owners {
		s.st.addMember(s.mustUser("CreateGroup", id), SourceNamespace, g.ID, g.Name, AccessOwner)
	}
	return g.ID
}

// CreateProject stores a project in its group, makes spec.Maintainers
// and spec.Owners members with those roles, and returns its ID. It
// panics if the group or a member does not exist, or Path is empty.
func (s *Server) CreateProject(spec ProjectSpec) int64 {
	mustHavePath("CreateProject", spec.Path)
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	mustFind(s.st.groups, "CreateProject", "group", spec.GroupID)
	p := s.st.addProject(spec, now)
	for _, id := range spec.Maintainers {
		s.st.addMember(s.mustUser("CreateProject", id), SourceProject, p.ID, p.Name, AccessMaintainer)
	}
	for _, id := range spec.Owners {
		s.st.addMember(s.mustUser("CreateProject", id), SourceProject, p.ID, p.Name, AccessOwner)
	}
	return p.ID
}

// AddGroupMember makes the user a direct member of the group with the
// access level (AccessGuest ... AccessOwner), or changes their level.
// It panics if either does not exist.
func (s *Server) AddGroupMember(groupID, userID int64, level int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := mustFind(s.st.groups, "AddGroupMember", "group", groupID)
	s.st.addMember(s.mustUser("AddGroupMember", userID), SourceNamespace, g.ID, g.Name, level)
}

// AddProjectMember makes the user a direct member of the project with
// the access level, or changes their level. It panics if either does
// not exist.
func (s *Server) AddProjectMember(projectID, userID int64, level int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := mustFind(s.st.projects, "AddProjectMember", "project", projectID)
	s.st.addMember(s.mustUser("AddProjectMember", userID), SourceProject, p.ID, p.Name, level)
}

// Group returns a snapshot of the group with this ID.
func (s *Server) Group(id int64) (GroupSnapshot, bool) {
	return one(s, func(st *store) *group { return st.groups[id] }, func(g *group) GroupSnapshot { return g.GroupSnapshot })
}

// Project returns a snapshot of the project with this ID.
func (s *Server) Project(id int64) (ProjectSnapshot, bool) {
	return one(s, func(st *store) *project { return st.projects[id] }, func(p *project) ProjectSnapshot { return p.ProjectSnapshot })
}

// CreateServiceAccount stores a service account: an instance one, or a
// group's or a project's when spec.ProvisionedByGroupID or
// spec.ProvisionedByProjectID is set (spec.ServiceAccount is implied).
// It returns the ID and a token with the api scope, like CreateUser.
func (s *Server) CreateServiceAccount(spec UserSpec) (id int64, token string) {
	spec.ServiceAccount = true
	return s.CreateUser(spec)
}
