package gitlabtest

import (
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
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
type store struct {
	users     map[int64]*user
	byName    map[string]int64 // lower-cased username
	keys      map[int64]*sshKey
	gpgKeys   map[int64]*gpgKey
	emails    map[int64]*email
	tokens    map[int64]*token
	bySecret  map[string]int64 // token value -> token id
	nextUser  int64
	nextKey   int64
	nextGPG   int64
	nextEmail int64
	nextToken int64
	nextNS    int64
	// nextRunner numbers the runners of POST /user/runners (the fake
	// keeps no runner otherwise).
	nextRunner int64
	groups     map[int64]*group
	projects   map[int64]*project
	nextGroup  int64
	nextProj   int64
	// byID holds every user by ascending ID.
	byID []*user
}

func (st *store) init() {
	st.users = map[int64]*user{}
	st.byName = map[string]int64{}
	st.keys = map[int64]*sshKey{}
	st.gpgKeys = map[int64]*gpgKey{}
	st.emails = map[int64]*email{}
	st.tokens = map[int64]*token{}
	st.bySecret = map[string]int64{}
	st.groups = map[int64]*group{}
	st.projects = map[int64]*project{}
}

// usersByID returns all users in ascending ID order (shared; do not
// modify the slice).
func (st *store) usersByID() []*user { return st.byID }

// indexAfter returns the index in usersByID of the first user whose ID
// is greater than id.
func (st *store) indexAfter(id int64) int {
	i, found := slices.BinarySearchFunc(st.byID, id, func(u *user, id int64) int { return cmp.Compare(u.ID, id) })
	if found {
		i++
	}
	return i
}

func (st *store) lookupName(name string) *user {
	if id, ok := st.byName[strings.ToLower(name)]; ok {
		return st.users[id]
	}
	return nil
}

// addUser stores a user from spec without validation (seeding).
func (st *store) addUser(spec UserSpec, now time.Time) *user {
	return st.addUserIn(new(user), new(email), spec, now)
}

// addUserIn is addUser storing the user in u and its primary email in
// e, which GenerateUsers allocates in blocks.
func (st *store) addUserIn(u *user, e *email, spec UserSpec, now time.Time) *user {
	st.nextUser++
	st.nextNS++
	id := spec.Username
	s := &u.UserSnapshot
	s.ID = st.nextUser
	s.NamespaceID = st.nextNS
	s.Username = id
	s.Name = cmp.Or(spec.Name, spec.Username)
	s.Email = cmp.Or(spec.Email, strings.ToLower(spec.Username)+"@example.com")
	s.PublicEmail, s.CommitEmail, s.Password = spec.PublicEmail, spec.CommitEmail, spec.Password
	s.State = cmp.Or(spec.State, StateActive)
	s.Admin, s.Bot, s.Locked, s.External = spec.Admin, spec.Bot, spec.Locked, spec.External
	s.PrivateProfile, s.TwoFactorEnabled = spec.PrivateProfile, spec.TwoFactorEnabled
	s.ServiceAccount, s.ProvisionedByGroupID, s.ProvisionedByProjectID = spec.ServiceAccount, spec.ProvisionedByGroupID, spec.ProvisionedByProjectID
	if s.ServiceAccount {
		s.Bot = true // GitLab counts service accounts among its bot user types
	}
	s.FollowingEnabled = !spec.DisableFollowing
	s.Bio, s.Location, s.Skype, s.Linkedin, s.Twitter, s.Discord = spec.Bio, spec.Location, spec.Skype, spec.Linkedin, spec.Twitter, spec.Discord
	s.WebsiteURL, s.Organization, s.JobTitle, s.Pronouns = spec.WebsiteURL, spec.Organization, spec.JobTitle, spec.Pronouns
	s.WorkInformation, s.Note = spec.WorkInformation, spec.Note
	s.ProjectsLimit = 100000
	if spec.ProjectsLimit != nil {
		s.ProjectsLimit = *spec.ProjectsLimit
	}
	s.CanCreateGroup = true
	if spec.CanCreateGroup != nil {
		s.CanCreateGroup = *spec.CanCreateGroup
	}
	s.ThemeID, s.ColorSchemeID = 3, 1
	s.Identities = slices.Clone(spec.Identities)
	s.CustomAttributes = maps.Clone(spec.CustomAttributes)
	s.Memberships = slices.Clone(spec.Memberships)
	s.Counts = spec.Counts
	s.IssuesAuthored, s.MergeRequestsAuthored = spec.IssuesAuthored, spec.MergeRequestsAuthored
	s.CreatedAt = now
	if !spec.CreatedAt.IsZero() {
		s.CreatedAt = spec.CreatedAt.UTC()
	}
	s.UpdatedAt = s.CreatedAt
	if !spec.Unconfirmed {
		s.ConfirmedAt = ptrTime(s.CreatedAt)
	}
	if !spec.LastActivityOn.IsZero() {
		s.LastActivityOn = ptrTime(dayOf(spec.LastActivityOn))
	}
	if !spec.LastSignInAt.IsZero() {
		s.LastSignInAt = ptrTime(spec.LastSignInAt.UTC())
	}
	if !spec.CurrentSignInAt.IsZero() {
		s.CurrentSignInAt = ptrTime(spec.CurrentSignInAt.UTC())
	}
	s.LastSignInIP, s.CurrentSignInIP, s.SignInCount = spec.LastSignInIP, spec.CurrentSignInIP, spec.SignInCount
	st.users[s.ID] = u
	st.byName[strings.ToLower(s.Username)] = s.ID
	st.byID = append(st.byID, u) // the greatest ID so far
	st.addEmailIn(e, s.ID, s.Email, s.ConfirmedAt, now)
	e.Primary = true
	u.primaryEmailID = e.ID
	return u
}

// The add functions are the one way to store each resource, for the
// endpoints and the seeding methods alike; they do not validate.

func (st *store) addSSHKey(userID int64, title, key, usage string, expires *time.Time, now time.Time) *sshKey {
	st.nextKey++
	fp, _ := sshFingerprint(key)
	k := &sshKey{SSHKeySnapshot{ID: st.nextKey, UserID: userID, Title: title, Key: key, Fingerprint: fp,
		UsageType: usage, CreatedAt: now, ExpiresAt: expires}}
	st.keys[k.ID] = k
	return k
}

func (st *store) addGPGKey(userID int64, key string, now time.Time) *gpgKey {
	st.nextGPG++
	k := &gpgKey{GPGKeySnapshot{ID: st.nextGPG, UserID: userID, Key: key, CreatedAt: now}}
	st.gpgKeys[k.ID] = k
	return k
}

func (st *store) addEmail(userID int64, addr string, confirmed *time.Time, now time.Time) *email {
	return st.addEmailIn(new(email), userID, addr, confirmed, now)
}

func (st *store) addEmailIn(e *email, userID int64, addr string, confirmed *time.Time, now time.Time) *email {
	st.nextEmail++
	*e = email{EmailSnapshot{ID: st.nextEmail, UserID: userID, Email: addr, ConfirmedAt: confirmed, CreatedAt: now}}
	st.emails[e.ID] = e
	return e
}

// reserve makes room for n more users, so that adding many at once
// grows each index once rather than step by step.
func (st *store) reserve(n int) {
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

func (st *store) addToken(userID int64, name string, scopes []string, impersonation bool, expires *time.Time, secret string, now time.Time) *token {
	st.nextToken++
	if secret == "" {
		secret = "glpat-" + randomHex(10)
	}
	t := &token{TokenSnapshot{ID: st.nextToken, UserID: userID, Name: name, Scopes: slices.Clone(scopes),
		Impersonation: impersonation, CreatedAt: now, ExpiresAt: expires, Token: secret}}
	st.tokens[t.ID] = t
	st.bySecret[secret] = t.ID
	return t
}

// addGroup stores a group; its full path follows its parent's.
func (st *store) addGroup(spec GroupSpec, now time.Time) *group {
	st.nextGroup++
	g := &group{GroupSnapshot{ID: st.nextGroup, ParentID: spec.ParentID, Path: spec.Path, FullPath: spec.Path,
		Name: cmp.Or(spec.Name, spec.Path), Visibility: cmp.Or(spec.Visibility, "private"), CreatedAt: now}}
	if p := st.groups[spec.ParentID]; p != nil {
		g.FullPath = p.FullPath + "/" + spec.Path
	}
	st.groups[g.ID] = g
	return g
}

// addProject stores a project in its group.
func (st *store) addProject(spec ProjectSpec, now time.Time) *project {
	st.nextProj++
	p := &project{ProjectSnapshot{ID: st.nextProj, GroupID: spec.GroupID, Path: spec.Path, Name: cmp.Or(spec.Name, spec.Path),
		Description: spec.Description, PathWithNamespace: spec.Path, Visibility: cmp.Or(spec.Visibility, "private"), CreatedAt: now}}
	if g := st.groups[spec.GroupID]; g != nil {
		p.PathWithNamespace = g.FullPath + "/" + spec.Path
	}
	st.projects[p.ID] = p
	return p
}

// addMember makes u a direct member of a group (SourceNamespace) or a
// project (SourceProject), or changes its role there.
func (st *store) addMember(u *user, sourceType string, id int64, name string, level int) {
	for i, m := range u.Memberships {
		if m.SourceType == sourceType && m.SourceID == id {
			u.Memberships[i].AccessLevel = level
			return
		}
	}
	u.Memberships = append(u.Memberships, UserMembership{SourceID: id, SourceName: name, SourceType: sourceType, AccessLevel: level})
}

// findGroup resolves a group ID or full path (case-insensitive).
func (st *store) findGroup(ref string) *group {
	return findByRef(st.groups, ref, func(g *group) string { return g.FullPath })
}

// findProject resolves a project ID or full path (case-insensitive).
func (st *store) findProject(ref string) *project {
	return findByRef(st.projects, ref, func(p *project) string { return p.PathWithNamespace })
}

// findByRef resolves ref in m: digits are an ID, anything else is
// compared with each one's path, case-insensitively.
func findByRef[T any](m map[int64]*T, ref string, path func(*T) string) *T {
	if allDigits(ref) {
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

// groupAccess is u's role in g: its direct membership or the highest
// inherited from g's ancestors; 0 for none.
func (st *store) groupAccess(u *user, g *group) int {
	level := 0
	for seen := 0; g != nil && seen < 100; seen++ {
		for _, m := range u.Memberships {
			if m.SourceType == SourceNamespace && m.SourceID == g.ID {
				level = max(level, m.AccessLevel)
			}
		}
		g = st.groups[g.ParentID]
	}
	return level
}

// projectAccess is u's role in p, directly or through its groups.
func (st *store) projectAccess(u *user, p *project) int {
	level := st.groupAccess(u, st.groups[p.GroupID])
	for _, m := range u.Memberships {
		if m.SourceType == SourceProject && m.SourceID == p.ID {
			level = max(level, m.AccessLevel)
		}
	}
	return level
}

// revokeFamily revokes every active token rotated, directly or not,
// from t: GitLab's reuse detection when a revoked token is presented for
// rotation.
func (st *store) revokeFamily(t *token) {
	for changed := true; changed; {
		changed = false
		for _, o := range st.tokens {
			if o.Revoked || o.PreviousID == 0 {
				continue
			}
			for p := st.tokens[o.PreviousID]; p != nil; p = st.tokens[p.PreviousID] {
				if p.ID == t.ID {
					o.Revoked, changed = true, true
					break
				}
				if p.PreviousID == 0 {
					break
				}
			}
		}
	}
}

// owned is a stored resource that belongs to one user.
type owned interface {
	ids() (id, userID int64)
}

func (k *sshKey) ids() (int64, int64) { return k.ID, k.UserID }
func (k *gpgKey) ids() (int64, int64) { return k.ID, k.UserID }
func (e *email) ids() (int64, int64)  { return e.ID, e.UserID }
func (t *token) ids() (int64, int64)  { return t.ID, t.UserID }

func (k *sshKey) created() time.Time { return k.CreatedAt }
func (k *gpgKey) created() time.Time { return k.CreatedAt }
func (e *email) created() time.Time  { return e.CreatedAt }

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

// ownedList returns userID's resources of m by ascending ID.
func ownedList[T owned](m map[int64]T, userID int64) []T {
	var out []T
	for _, r := range m {
		if _, owner := r.ids(); owner == userID {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b T) int {
		x, _ := a.ids()
		y, _ := b.ids()
		return cmp.Compare(x, y)
	})
	return out
}

// deleteUser removes a user and everything that belongs to them.
func (st *store) deleteUser(id int64) {
	u := st.users[id]
	if u == nil {
		return
	}
	delete(st.users, id)
	delete(st.byName, strings.ToLower(u.Username))
	if i, found := slices.BinarySearchFunc(st.byID, id, func(u *user, id int64) int { return cmp.Compare(u.ID, id) }); found {
		st.byID = slices.Delete(st.byID, i, i+1)
	}
	for _, k := range ownedList(st.keys, id) {
		delete(st.keys, k.ID)
	}
	for _, k := range ownedList(st.gpgKeys, id) {
		delete(st.gpgKeys, k.ID)
	}
	for _, e := range ownedList(st.emails, id) {
		delete(st.emails, e.ID)
	}
	for _, t := range ownedList(st.tokens, id) {
		delete(st.tokens, t.ID)
		delete(st.bySecret, t.Token)
	}
	for _, f := range slices.Clone(u.followers()) {
		if o := st.users[f]; o != nil {
			st.unfollow(o, u)
		}
	}
	for _, f := range slices.Clone(u.followees()) {
		if o := st.users[f]; o != nil {
			st.unfollow(u, o)
		}
	}
}

// follow makes follower follow followee (no checks but a repeat).
func (st *store) follow(follower, followee *user) {
	if slices.Contains(follower.followees(), followee.ID) {
		return
	}
	a, b := follower.follows(), followee.follows()
	a.followees = append(a.followees, followee.ID)
	i, _ := slices.BinarySearch(b.followers, follower.ID)
	b.followers = slices.Insert(b.followers, i, follower.ID)
}

// unfollow ends a follow, if there is one.
func (st *store) unfollow(follower, followee *user) {
	if i := slices.Index(follower.followees(), followee.ID); i >= 0 {
		follower.social.followees = slices.Delete(follower.social.followees, i, i+1)
	}
	if i, found := slices.BinarySearch(followee.followers(), follower.ID); found {
		followee.social.followers = slices.Delete(followee.social.followers, i, i+1)
	}
}

// userEmails returns the user's emails, primary first, then by ID.
func (st *store) userEmails(userID int64) []*email {
	out := ownedList(st.emails, userID)
	slices.SortStableFunc(out, func(a, b *email) int {
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

// userTokens returns the user's impersonation or personal tokens by ID.
func (st *store) userTokens(userID int64, impersonation bool) []*token {
	return slices.DeleteFunc(ownedList(st.tokens, userID), func(t *token) bool { return t.Impersonation != impersonation })
}

// followers returns the users following id, by follower ID.
func (st *store) followers(id int64) []*user {
	u := st.users[id]
	if u == nil {
		return nil
	}
	out := make([]*user, 0, len(u.followers()))
	for _, f := range u.followers() {
		if o := st.users[f]; o != nil {
			out = append(out, o)
		}
	}
	return out
}

// emailUse reports who uses addr: as a primary or unconfirmed primary
// email, or as a confirmed or unconfirmed secondary email. except is a
// user to ignore.
func (st *store) emailUse(addr string, except int64) (primaryOrConfirmed, unconfirmedSecondary bool) {
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

// sshFingerprint parses an OpenSSH public key line and returns the
// SHA256 fingerprint of its blob.
func sshFingerprint(key string) (string, bool) {
	f := strings.Fields(key)
	if len(f) < 2 {
		return "", false
	}
	switch f[0] {
	case "ssh-rsa", "ssh-dss", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
		"sk-ecdsa-sha2-nistp256@openssh.com", "sk-ssh-ed25519@openssh.com":
	default:
		return "", false
	}
	blob, err := base64.StdEncoding.DecodeString(f[1])
	if err != nil || len(blob) < 8 {
		return "", false
	}
	// The blob starts with the key type as an SSH string.
	n := int(blob[0])<<24 | int(blob[1])<<16 | int(blob[2])<<8 | int(blob[3])
	if n != len(f[0]) || 4+n > len(blob) || string(blob[4:4+n]) != f[0] {
		return "", false
	}
	sum := sha256.Sum256(blob)
	return "SHA256:" + strings.TrimRight(base64.StdEncoding.EncodeToString(sum[:]), "="), true
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

func gpgKeyValid(k string) bool {
	k = strings.TrimSpace(k)
	return strings.HasPrefix(k, "-----BEGIN PGP PUBLIC KEY BLOCK-----") && strings.HasSuffix(k, "-----END PGP PUBLIC KEY BLOCK-----")
}

func gpgFingerprint(k string) string {
	sum := sha256.Sum256([]byte(strings.Join(strings.Fields(k), "")))
	return fmt.Sprintf("%X", sum[:20])
}

func ptrTime(t time.Time) *time.Time { return &t }

// dayOf returns midnight UTC of t's day (in UTC).
func dayOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
