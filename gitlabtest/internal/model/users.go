package model

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Users: GET /users and the user endpoints of lib/api/users.rb, with
// app/finders/users_finder.rb for lists, Users::CreateService and
// Users::UpdateService for writes, and app/models/user.rb's
// validations.

// --- lists ------------------------------------------------------------------

// UserFilter holds the filters of GET /users (lib/api/users.rb, with
// UsersFinder); a zero field filters nothing. Get one ready for Match
// from the Store's UsersFilter, which knows who asks: the filters
// marked admin-only are ignored for other callers, as UsersFinder does,
// and blocked, banned and LDAP-blocked users are hidden from them.
type UserFilter struct {
	// Username is by_username: case-insensitive.
	Username *string
	// PublicEmail is by_public_email: exact.
	PublicEmail *string
	// Identity is extern_uid with provider (administrators only; others
	// are refused).
	Identity *Identity
	// Search is User.search: name or username containing the term, or
	// an email equal to it (private emails for administrators only).
	Search *string

	Active, ExcludeActive, Blocked            bool
	External, ExcludeExternal                 bool
	Humans, ExcludeHumans, WithoutProjectBots bool

	// Admin-only.
	Admins                      bool
	CreatedAfter, CreatedBefore *time.Time
	TwoFactor                   *string // "enabled" or "disabled"
	WithoutProjects             bool
	CustomAttributes            map[string]string

	admin bool
	// emailHit holds the users with an email equal to Search (found
	// once, not once per user), for administrators.
	emailHit map[int64]bool
	// projectMember holds the users with a project membership, for
	// WithoutProjects.
	projectMember map[int64]bool
}

// UsersFilter readies f for actor (nil for anonymous), or refuses the
// list as lib/api/users.rb does: anonymous callers must name a username
// (403 "Not authorized to access /api/v4/users"), and only
// administrators may look users up by extern_uid and provider. It
// reads only; with a search by an administrator it reads every email,
// once.
func (st *Store) UsersFilter(actor *User, f UserFilter) (*UserFilter, error) {
	if actor == nil && (f.Username == nil || *f.Username == "") {
		return nil, forbidden("Not authorized to access /api/v4/users")
	}
	f.admin = actor != nil && actor.Admin
	if f.Identity != nil && !f.admin {
		return nil, forbidden("")
	}
	if f.WithoutProjects && f.admin {
		f.projectMember = map[int64]bool{}
		for src, rows := range st.mem.bySource {
			for _, m := range rows {
				if !src.IsGroup() && m.UserID != 0 && m.RequestedAt == nil {
					f.projectMember[m.UserID] = true
				}
			}
		}
	}
	if f.Search != nil && f.admin {
		f.emailHit = map[int64]bool{}
		for _, e := range st.emails {
			if strings.EqualFold(e.Email, *f.Search) {
				f.emailHit[e.UserID] = true
			}
		}
	}
	return &f, nil
}

// sameAs reports whether x is the identity id names: the same provider
// and extern UID (a group SAML identity's provider ID aside).
func (id *Identity) sameAs(x Identity) bool {
	return x.Provider == id.Provider && x.ExternUID == id.ExternUID
}

// Match reports whether the list keeps u. without_project_bots drops
// only the bots of group and project access tokens (user_type
// project_bot): service accounts and GitLab's internal bots stay
// (User.without_project_bot in app/models/concerns/has_user_type.rb).
func (f *UserFilter) Match(u *User) bool {
	switch {
	case !f.admin && u.HiddenFromLists(),
		f.Username != nil && !strings.EqualFold(u.Username, *f.Username),
		f.PublicEmail != nil && u.PublicEmail != *f.PublicEmail,
		f.Identity != nil && !slices.ContainsFunc(u.Identities, f.Identity.sameAs),
		f.Search != nil && !f.matchesSearch(u, *f.Search),
		f.Active && u.State != StateActive, f.ExcludeActive && u.State == StateActive,
		f.Blocked && u.State != StateBlocked && u.State != StateLDAPBlocked,
		f.External && !u.External, f.ExcludeExternal && u.External,
		f.Humans && u.Bot, f.ExcludeHumans && !u.Bot, f.WithoutProjectBots && u.ProjectBot:
		return false
	case !f.admin:
		return true
	}
	switch {
	case f.Admins && !u.Admin,
		f.CreatedAfter != nil && u.CreatedAt.Before(*f.CreatedAfter),
		f.CreatedBefore != nil && u.CreatedAt.After(*f.CreatedBefore),
		f.TwoFactor != nil && ((*f.TwoFactor == "enabled" && !u.TwoFactorEnabled) || (*f.TwoFactor == "disabled" && u.TwoFactorEnabled)),
		f.WithoutProjects && f.projectMember[u.ID]:
		return false
	}
	for k, val := range f.CustomAttributes {
		if got, ok := u.CustomAttributes[k]; !ok || got != val {
			return false
		}
	}
	return true
}

// KeepsAll reports whether Match keeps every user (an administrator's
// list without filters), so that a page is found by its index.
func (f *UserFilter) KeepsAll() bool {
	return f.admin && f.Username == nil && f.PublicEmail == nil && f.Identity == nil && f.Search == nil &&
		!f.Active && !f.ExcludeActive && !f.Blocked && !f.External && !f.ExcludeExternal && !f.Humans &&
		!f.ExcludeHumans && !f.WithoutProjectBots && !f.Admins && f.CreatedAfter == nil && f.CreatedBefore == nil &&
		f.TwoFactor == nil && !f.WithoutProjects && len(f.CustomAttributes) == 0
}

// matchesSearch is User.search: name and username contain the term,
// or the public email equals it, or (for administrators) any email.
func (f *UserFilter) matchesSearch(u *User, term string) bool {
	t := strings.ToLower(term)
	if strings.Contains(strings.ToLower(u.Name), t) || strings.Contains(strings.ToLower(u.Username), t) {
		return true
	}
	if u.PublicEmail != "" && strings.EqualFold(u.PublicEmail, term) {
		return true
	}
	return f.emailHit[u.ID]
}

// SortKey is u's value of the order_by field (name, username or
// updated_at), as CompareSortKeys compares it; "" for id.
func SortKey(u *User, field string) string {
	switch field {
	case "name":
		return u.Name
	case "username":
		return u.Username
	case "updated_at":
		return strconv.FormatInt(u.UpdatedAt.UnixNano(), 10)
	}
	return ""
}

// CompareSortKeys compares two SortKey values of field.
func CompareSortKeys(field, a, b string) int {
	if field == "updated_at" {
		x, _ := strconv.ParseInt(a, 10, 64)
		y, _ := strconv.ParseInt(b, 10, 64)
		return cmp.Compare(x, y)
	}
	return strings.Compare(a, b)
}

// SortUsers orders users, given by ascending ID, by order_by field
// (created_at sorts by id, as GitLab's keyset order does) with an ID
// tie-breaker in the same direction, descending when desc.
func SortUsers(users []*User, field string, desc bool) {
	if field == "created_at" {
		field = "id"
	}
	if field == "id" {
		if desc {
			slices.Reverse(users)
		}
		return
	}
	slices.SortStableFunc(users, func(a, b *User) int {
		r := CompareSortKeys(field, SortKey(a, field), SortKey(b, field))
		if r == 0 {
			r = cmp.Compare(a.ID, b.ID)
		}
		if desc {
			r = -r
		}
		return r
	})
}

// RankSearch orders search results by relevance, as User.search does
// without an order: exact username, exact name, exact email, then the
// rest by name and ID.
func RankSearch(users []*User, term string) {
	rank := func(u *User) int {
		switch {
		case strings.EqualFold(u.Username, term):
			return 0
		case strings.EqualFold(u.Name, term):
			return 1
		case strings.EqualFold(u.Email, term) || strings.EqualFold(u.PublicEmail, term):
			return 2
		}
		return 3
	}
	slices.SortStableFunc(users, func(a, b *User) int {
		if r := rank(a) - rank(b); r != 0 {
			return r
		}
		if r := strings.Compare(a.Name, b.Name); r != 0 {
			return r
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// Associations are the counts of GET /users/:id/associations_count.
type Associations struct {
	Groups, Projects, Issues, MergeRequests int
}

// AssociationsCount is GET /users/:id/associations_count
// (lib/api/users.rb): the user or an administrator may read it
// (authorize! :read_user_associations_count), anonymous callers must
// sign in. Groups and projects count the direct memberships. Reads
// only.
func (st *Store) AssociationsCount(actor, u *User) (Associations, error) {
	switch {
	case actor == nil:
		return Associations{}, &Error{Kind: Unauthorized}
	case !actor.Admin && actor.ID != u.ID:
		return Associations{}, forbidden("")
	}
	a := Associations{Issues: u.IssuesAuthored, MergeRequests: u.MergeRequestsAuthored}
	for _, m := range st.mem.byUser[u.ID] {
		switch {
		case m.UserID == 0 || m.RequestedAt != nil:
		case m.Source.IsGroup():
			a.Groups++
		default:
			a.Projects++
		}
	}
	return a, nil
}

// --- create and update -------------------------------------------------------

// UserAttrs are the attributes POST and PUT /users take; nil leaves
// one as it is (or at its default on create).
type UserAttrs struct {
	// Name, Username and Email are required on create.
	Name, Username, Email *string
	// Password is the password set; on create a nil one (or
	// RandomPassword) gets a random password.
	Password *string
	// RandomPassword is reset_password or force_random_password on
	// create (Users::BuildService): the password sent is ignored.
	RandomPassword bool
	// SkipConfirmation is skip_confirmation on create (the primary
	// email is confirmed) and skip_reconfirmation on update (a new
	// email replaces the primary one at once, confirmed).
	SkipConfirmation bool

	GitHub, Linkedin, Twitter, Discord, WebsiteURL, Organization *string
	Bio, Location, Pronouns, PublicEmail, CommitEmail, Note      *string
	JobTitle                                                     *string

	ProjectsLimit, ThemeID, ColorSchemeID     *int64
	Admin, CanCreateGroup, External, Private  *bool
	ViewDiffsFileByFile, PolicyAdvancedEditor *bool

	// Avatar is an uploaded avatar.
	Avatar *Avatar
	// Identity is extern_uid with provider: it sets the extern_uid of
	// the user's identity of that provider, or adds one.
	Identity *Identity
}

// Avatar is an uploaded avatar file.
type Avatar struct {
	Filename string
	Data     []byte
}

// CreateUser is POST /users by an administrator, actor
// (lib/api/users.rb, Users::CreateService): a taken email (a primary,
// unconfirmed primary or confirmed secondary one) or username refuses
// it with a conflict first, then the User model validates (an email
// that is someone's unconfirmed secondary is "taken" there). The new
// user is active, confirmed with SkipConfirmation, created by actor.
func (st *Store) CreateUser(actor *User, a UserAttrs, now time.Time) (*User, error) {
	name, username, addr := deref(a.Name), deref(a.Username), deref(a.Email)
	if taken, _ := st.EmailUse(addr, 0); taken {
		return nil, &Error{Kind: Conflict, Text: "Email has already been taken"}
	}
	if st.UserByName(username) != nil {
		return nil, &Error{Kind: Conflict, Text: "Username has already been taken"}
	}
	if a.RandomPassword {
		a.Password = nil
	}
	if err := st.validateUser(a, nil); err != nil {
		return nil, err
	}
	u := &User{UserData: UserData{Username: username, Name: name, Email: addr, Password: RandomHex(12),
		FollowingEnabled: true, ProjectsLimit: DefaultProjectsLimit, CanCreateGroup: true,
		ThemeID: DefaultThemeID, ColorSchemeID: DefaultColorSchemeID, CreatedAt: now, UpdatedAt: now}, State: StateActive}
	if a.SkipConfirmation {
		u.ConfirmedAt = PtrTime(now)
	}
	if a.Password != nil {
		u.Password = *a.Password
	}
	if actor != nil {
		u.CreatedBy = actor.ID
	}
	st.AddUser(u, new(Email), now)
	applyUserAttrs(u, &a)
	// EE Users::CreateService#log_audit_event: by the admin (or the user
	// themself when signing up), scoped to and targeting the new user.
	e := userScope("user_created", cmp.Or(actor, u), u, "User "+u.Username+" created")
	e.Details = []AuditDetail{{"add", "user"}}
	st.audit(e, now)
	return u, nil
}

// DestroyUser is DELETE /users/:id by actor (Users::DestroyService,
// checked by the handler): the user and what they own are removed, and
// EE's log_audit_event records user_destroyed, scoped to the group that
// provisioned the user if any, else to the user.
func (st *Store) DestroyUser(actor, u *User, now time.Time) {
	e := userScope("user_destroyed", actor, u, "User "+u.Username+" scheduled for deletion")
	if g := st.groups[u.ProvisionedByGroupID]; g != nil {
		e.EntityType, e.EntityID, e.EntityPath = AuditGroup, g.ID, g.FullPath
	}
	st.DeleteUser(u.ID)
	st.audit(e, now)
}

// UpdateUser is PUT /users/:id by an administrator, actor
// (lib/api/users.rb, Users::UpdateService): the conflicts and
// validations of CreateUser, against the other users. A new email waits
// for confirmation as the unconfirmed email, unless SkipConfirmation;
// a password set for another user expires at once (the user must
// change it at next sign-in, User#password_expires_at).
func (st *Store) UpdateUser(actor, u *User, a UserAttrs, now time.Time) error {
	if a.Email != nil {
		if taken, _ := st.EmailUse(*a.Email, u.ID); taken {
			return &Error{Kind: Conflict, Text: "Email has already been taken"}
		}
	}
	if a.Username != nil {
		if o := st.UserByName(*a.Username); o != nil && o.ID != u.ID {
			return &Error{Kind: Conflict, Text: "Username has already been taken"}
		}
	}
	if err := st.validateUser(a, u); err != nil {
		return err
	}
	if a.Name != nil {
		u.Name = *a.Name
	}
	if a.Username != nil && *a.Username != u.Username {
		st.Rename(u, *a.Username)
	}
	if addr := a.Email; addr != nil && !strings.EqualFold(*addr, u.Email) {
		if a.SkipConfirmation {
			u.Email, u.UnconfirmedEmail = *addr, ""
			if e := st.PrimaryEmail(u); e != nil {
				e.Email, e.ConfirmedAt = *addr, PtrTime(now)
			}
		} else {
			u.UnconfirmedEmail = *addr
		}
	}
	if a.Password != nil {
		u.Password = *a.Password
		if actor == nil || u.ID != actor.ID {
			u.PasswordExpiresAt = PtrTime(now)
		}
	}
	applyUserAttrs(u, &a)
	u.UpdatedAt = now
	return nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// usernameRe is Gitlab::PathRegex::NAMESPACE_FORMAT_REGEX
// (lib/gitlab/path_regex.rb) without its lookbehind (no .git or .atom
// at the end), which Go's regexp lacks; ociPathRe is
// Gitlab::Regex.oci_repository_path_regex (lib/gitlab/regex.rb). The
// user's namespace validates its path against both, and User moves the
// messages to username (set_username_errors).
var (
	usernameRe = regexp.MustCompile(`^(?:[a-zA-Z0-9_.][a-zA-Z0-9_.-]*[a-zA-Z0-9_-]|[a-zA-Z0-9_])$`)
	ociPathRe  = regexp.MustCompile(`^[a-zA-Z0-9]+(?:[._-][a-zA-Z0-9]+)*$`)
	discordRe  = regexp.MustCompile(`^[0-9]{17,20}$`)
)

// The messages of Gitlab::PathRegex.namespace_format_message and
// Gitlab::Regex.oci_repository_path_regex_message.
const (
	namespaceFormatMessage = "can contain only letters, digits, '_', '-' and '.'. Cannot start with '-' or end in '.', '.git' or '.atom'."
	ociPathMessage         = "can only include non-accented letters, digits, '_', '-' and '.'. It must not start with '-', '_', or '.', nor end with '-', '_', '.', '.git', or '.atom'."
)

// userDetailMaxLength is UserDetail::DEFAULT_FIELD_LENGTH.
const userDetailMaxLength = 500

// validateUser is the validations of app/models/user.rb, and of
// app/models/user_detail.rb for the profile fields it keeps, over the
// attributes sent, for u (nil on create). A UserDetail error is named
// user_detail.<attribute>, as Rails' autosave association names it,
// except bio, which the API renames back (lib/api/helpers/users_helpers.rb,
// model_errors). It also refuses an email equal to an unconfirmed
// secondary email of another user, and a weak password
// (User#check_password_weakness, see WeakPassword) for the name,
// username and email the user will have.
func (st *Store) validateUser(a UserAttrs, u *User) error {
	var fe Errors
	if a.Name != nil && blank(*a.Name) {
		fe.Add("name", "can't be blank")
	} else if a.Name != nil && tooLong(*a.Name, 255) {
		fe.Add("name", "is too long (maximum is 255 characters)")
	}
	if n := a.Username; n != nil {
		if !usernameRe.MatchString(*n) || strings.HasSuffix(*n, ".git") || strings.HasSuffix(*n, ".atom") {
			fe.Add("username", namespaceFormatMessage)
		}
		if !ociPathRe.MatchString(*n) {
			fe.Add("username", ociPathMessage)
		}
		if tooLong(*n, 255) { // Namespace::URL_MAX_LENGTH
			fe.Add("username", "is too long (maximum is 255 characters)")
		}
	}
	if a.Email != nil && !ValidEmail(*a.Email) {
		fe.Add("email", "is invalid")
	}
	if p := a.Password; p != nil {
		switch n := utf8.RuneCountInString(*p); {
		case n < MinPasswordLength:
			fe.Add("password", "is too short (minimum is 8 characters)")
		case n > MaxPasswordLength:
			fe.Add("password", "is too long (maximum is 128 characters)")
		}
		var name, username, email string
		if u != nil {
			name, username, email = u.Name, u.Username, u.Email
		}
		name, username, email = cmp.Or(deref(a.Name), name), cmp.Or(deref(a.Username), username), cmp.Or(deref(a.Email), email)
		if !blank(*p) && WeakPassword(*p, name, username, email) {
			fe.Add("password", weakPasswordMessage)
		}
	}
	if a.ProjectsLimit != nil && *a.ProjectsLimit < 0 {
		fe.Add("projects_limit", "must be greater than or equal to 0")
	}
	if a.Bio != nil && tooLong(*a.Bio, 255) {
		fe.Add("bio", "is too long (maximum is 255 characters)")
	}
	for _, f := range []struct {
		attr string
		v    *string
		max  int
	}{
		{"pronouns", a.Pronouns, 50}, {"job_title", a.JobTitle, 200},
		{"discord", a.Discord, userDetailMaxLength}, {"linkedin", a.Linkedin, userDetailMaxLength},
		{"location", a.Location, userDetailMaxLength}, {"organization", a.Organization, userDetailMaxLength},
		{"twitter", a.Twitter, userDetailMaxLength}, {"website_url", a.WebsiteURL, userDetailMaxLength},
	} {
		if f.v != nil && tooLong(*f.v, f.max) {
			fe.Add("user_detail."+f.attr, "is too long (maximum is "+strconv.Itoa(f.max)+" characters)")
		}
	}
	if d := a.Discord; d != nil && !blank(*d) && !discordRe.MatchString(*d) {
		fe.Add("user_detail.discord", "must contain only a discord user ID.")
	}
	for _, f := range []struct {
		attr string
		v    *string
	}{{"public_email", a.PublicEmail}, {"commit_email", a.CommitEmail}} {
		if f.v == nil || blank(*f.v) || f.attr == "commit_email" && *f.v == privateCommitEmail {
			continue
		}
		if !ValidEmail(*f.v) {
			fe.Add(f.attr, "is invalid")
		}
		if !st.verifiedEmail(u, a, *f.v) {
			fe.Add(f.attr, "must be an email you have verified")
		}
	}
	if a.ThemeID != nil && (*a.ThemeID < 1 || *a.ThemeID > 11) {
		fe.Add("theme_id", strconv.FormatInt(*a.ThemeID, 10)+" is not a valid theme")
	}
	if a.ColorSchemeID != nil && (*a.ColorSchemeID < 1 || *a.ColorSchemeID > 6) {
		fe.Add("color_scheme_id", strconv.FormatInt(*a.ColorSchemeID, 10)+" is not a valid color scheme")
	}
	if a.Email != nil {
		var except int64
		if u != nil {
			except = u.ID
		}
		if _, unconfirmed := st.EmailUse(*a.Email, except); unconfirmed {
			fe.Add("email", "has already been taken")
		}
	}
	return fe.Err()
}

// privateCommitEmail is Gitlab::PrivateCommitEmail::TOKEN: commit_email
// set to the user's private commit email, always verified.
const privateCommitEmail = "_private"

// verifiedEmail reports whether addr is one of User#verified_emails for
// u (nil on create) saved with a: the primary email once confirmed (on
// create, with skip_confirmation) and the confirmed secondary emails.
func (st *Store) verifiedEmail(u *User, a UserAttrs, addr string) bool {
	if u == nil {
		return a.SkipConfirmation && a.Email != nil && strings.EqualFold(*a.Email, addr)
	}
	if u.ConfirmedAt != nil && strings.EqualFold(u.Email, addr) {
		return true
	}
	return slices.ContainsFunc(st.Emails(u.ID), func(e *Email) bool {
		return e.ConfirmedAt != nil && strings.EqualFold(e.Email, addr)
	})
}

// applyUserAttrs sets the attributes of a that create and update share.
func applyUserAttrs(u *User, a *UserAttrs) {
	for _, f := range []struct {
		src *string
		dst *string
	}{
		{a.GitHub, &u.GitHub}, {a.Linkedin, &u.Linkedin}, {a.Twitter, &u.Twitter}, {a.Discord, &u.Discord},
		{a.WebsiteURL, &u.WebsiteURL}, {a.Organization, &u.Organization}, {a.Bio, &u.Bio}, {a.Location, &u.Location},
		{a.Pronouns, &u.Pronouns}, {a.PublicEmail, &u.PublicEmail}, {a.CommitEmail, &u.CommitEmail}, {a.Note, &u.Note},
		{a.JobTitle, &u.JobTitle},
	} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if u.CommitEmail == privateCommitEmail {
		u.CommitEmail = ""
	}
	for _, f := range []struct {
		src *int64
		dst *int
	}{{a.ProjectsLimit, &u.ProjectsLimit}, {a.ThemeID, &u.ThemeID}, {a.ColorSchemeID, &u.ColorSchemeID}} {
		if f.src != nil {
			*f.dst = int(*f.src)
		}
	}
	for _, f := range []struct {
		src *bool
		dst *bool
	}{
		{a.Admin, &u.Admin}, {a.CanCreateGroup, &u.CanCreateGroup}, {a.External, &u.External}, {a.Private, &u.PrivateProfile},
		{a.ViewDiffsFileByFile, &u.Preferences.ViewDiffsFileByFile}, {a.PolicyAdvancedEditor, &u.Preferences.PolicyAdvancedEditor},
	} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if a.Avatar != nil {
		u.AvatarFilename, u.Avatar = a.Avatar.Filename, a.Avatar.Data
	}
	if id := a.Identity; id != nil {
		if i := slices.IndexFunc(u.Identities, func(x Identity) bool { return x.Provider == id.Provider }); i >= 0 {
			u.Identities[i].ExternUID = id.ExternUID
		} else {
			u.Identities = append(u.Identities, *id)
		}
	}
}

// --- delete -------------------------------------------------------------------

// CheckRemovable is DELETE /users/:id's rule (lib/api/users.rb): a user
// who is the sole owner of a group cannot be removed
// (User#can_be_removed?), unless hard_delete. It reads the member rows
// of each group u owns.
func (st *Store) CheckRemovable(u *User, hardDelete bool) error {
	if !hardDelete && st.SoleGroupOwner(u) {
		return &Error{Kind: Conflict, Text: "User cannot be removed while is the sole-owner of a group"}
	}
	return nil
}

// SoleGroupOwner reports whether u owns a group no one else owns
// (User#solo_owned_groups). Reads only.
func (st *Store) SoleGroupOwner(u *User) bool {
	for _, m := range st.mem.byUser[u.ID] {
		if !m.Source.IsGroup() || m.RequestedAt != nil || m.AccessLevel != AccessOwner {
			continue
		}
		if !slices.ContainsFunc(st.mem.bySource[m.Source], func(o *Member) bool {
			return o.UserID != u.ID && o.UserID != 0 && o.RequestedAt == nil && o.AccessLevel == AccessOwner
		}) {
			return true
		}
	}
	return false
}

// DeleteIdentity is DELETE /users/:id/identities/:provider
// (lib/api/users.rb): NotFound Identity (not_found!('Identity')) when u
// has none of provider.
func (st *Store) DeleteIdentity(u *User, provider string, now time.Time) error {
	i := slices.IndexFunc(u.Identities, func(id Identity) bool { return id.Provider == provider })
	if i < 0 {
		return notFound("Identity")
	}
	u.Identities = slices.Delete(u.Identities, i, i+1)
	u.UpdatedAt = now
	return nil
}

// --- preferences and avatar ---------------------------------------------------

// PreferencesUpdate holds the preferences PUT /user/preferences sets;
// nil leaves one as it is.
type PreferencesUpdate struct {
	ViewDiffsFileByFile, ShowWhitespaceInDiffs, PassUserIdentitiesToCIJWT, PolicyAdvancedEditor *bool
}

// UpdatePreferences is PUT /user/preferences (lib/api/users.rb,
// UserPreferences::UpdateService): it sets the preferences given.
func (st *Store) UpdatePreferences(u *User, p PreferencesUpdate) {
	to := &u.Preferences
	for _, f := range []struct{ src, dst *bool }{
		{p.ViewDiffsFileByFile, &to.ViewDiffsFileByFile}, {p.ShowWhitespaceInDiffs, &to.ShowWhitespaceInDiffs},
		{p.PassUserIdentitiesToCIJWT, &to.PassUserIdentitiesToCIJWT}, {p.PolicyAdvancedEditor, &to.PolicyAdvancedEditor},
	} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
}

// MaxAvatarSize is Avatarable::MAXIMUM_FILE_SIZE.
const MaxAvatarSize = 200 << 10

// SetAvatar is PUT /user/avatar (lib/api/users.rb): the avatar
// replaces u's, unless it is larger than MaxAvatarSize (the Avatarable
// validation, rendered as the service's 400).
func (st *Store) SetAvatar(u *User, a Avatar, now time.Time) error {
	if len(a.Data) > MaxAvatarSize {
		return refused(BadRequest, "Avatar is too big (should be at most 200 KiB)")
	}
	u.AvatarFilename, u.Avatar = a.Filename, a.Data
	u.UpdatedAt = now
	return nil
}

// UserByPublicEmail is User.find_by_public_email: the user whose public
// email is addr, or nil. Reads only.
func (st *Store) UserByPublicEmail(addr string) *User {
	if addr == "" {
		return nil
	}
	for _, u := range st.byID {
		if u.PublicEmail == addr {
			return u
		}
	}
	return nil
}
