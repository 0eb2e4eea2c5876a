package model

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stamped is newTestStore with every user created and updated at now.
func stamped(t *testing.T, usernames ...string) (*Store, *User, []*User) {
	t.Helper()
	st, admin, users := newTestStore(t, usernames...)
	for _, u := range st.UsersByID() {
		u.CreatedAt, u.UpdatedAt = now, now
	}
	return st, admin, users
}

// keptIDs lists the IDs of the users f keeps, in ID order.
func keptIDs(st *Store, f *UserFilter) []int64 {
	var out []int64
	for _, u := range st.UsersByID() {
		if f.Match(u) {
			out = append(out, u.ID)
		}
	}
	return out
}

func TestUsersFilterRefusals(t *testing.T) {
	st, _, users := newTestStore(t, "jane")

	_, err := st.UsersFilter(nil, UserFilter{})
	refusedAs(t, err, Forbidden, "Not authorized to access /api/v4/users")
	_, err = st.UsersFilter(nil, UserFilter{Username: ptr("")})
	refusedAs(t, err, Forbidden, "Not authorized to access /api/v4/users")
	f, err := st.UsersFilter(nil, UserFilter{Username: ptr("JANE")})
	require.NoError(t, err)
	assert.Equal(t, []int64{2}, keptIDs(st, f), "anonymous callers may look a username up, case-insensitively")

	_, err = st.UsersFilter(users[0], UserFilter{Identity: &Identity{Provider: "ldap", ExternUID: "x"}})
	refusedFully(t, err, Forbidden, "", false)
}

// TestUsersFilterHidden: blocked, banned and LDAP-blocked users are in
// administrators' lists only.
func TestUsersFilterHidden(t *testing.T) {
	st, admin, users := newTestStore(t, "active", "blocked", "banned", "ldap", "deactivated", "pending")
	users[1].State, users[2].State, users[3].State = StateBlocked, StateBanned, StateLDAPBlocked
	users[4].State, users[5].State = StateDeactivated, StateBlockedPendingApproval

	f, err := st.UsersFilter(users[0], UserFilter{})
	require.NoError(t, err)
	assert.Equal(t, []int64{1, 2, 6, 7}, keptIDs(st, f))
	f, _ = st.UsersFilter(admin, UserFilter{})
	assert.Equal(t, []int64{1, 2, 3, 4, 5, 6, 7}, keptIDs(st, f))
	f, _ = st.UsersFilter(admin, UserFilter{Blocked: true})
	assert.Equal(t, []int64{3, 5}, keptIDs(st, f), "blocked keeps blocked and LDAP-blocked users")
	f, _ = st.UsersFilter(users[0], UserFilter{Blocked: true})
	assert.Empty(t, keptIDs(st, f), "non-administrators see no blocked user even asking for them")
}

func TestUsersFilterFlags(t *testing.T) {
	st, admin, users := newTestStore(t, "human", "bot", "external", "off", "svc")
	users[1].Bot, users[1].ProjectBot, users[2].External, users[3].State = true, true, true, StateDeactivated
	users[4].Bot, users[4].ServiceAccount = true, true
	for _, c := range []struct {
		name string
		f    UserFilter
		want []int64
	}{
		{"active", UserFilter{Active: true}, []int64{1, 2, 3, 4, 6}},
		{"exclude_active", UserFilter{ExcludeActive: true}, []int64{5}},
		{"external", UserFilter{External: true}, []int64{4}},
		{"exclude_external", UserFilter{ExcludeExternal: true}, []int64{1, 2, 3, 5, 6}},
		{"humans", UserFilter{Humans: true}, []int64{1, 2, 4, 5}},
		{"exclude_humans", UserFilter{ExcludeHumans: true}, []int64{3, 6}},
		{"without_project_bots keeps service accounts", UserFilter{WithoutProjectBots: true}, []int64{1, 2, 4, 5, 6}},
		{"public_email is exact", UserFilter{PublicEmail: ptr("")}, []int64{1, 2, 3, 4, 5, 6}},
		{"identity", UserFilter{Identity: &Identity{Provider: "ldap", ExternUID: "uid=off"}}, []int64{5}},
	} {
		users[3].Identities = []Identity{{Provider: "ldap", ExternUID: "uid=off"}, {Provider: "saml", ExternUID: "uid=x"}}
		f, err := st.UsersFilter(admin, c.f)
		require.NoError(t, err)
		assert.Equal(t, c.want, keptIDs(st, f), c.name)
	}
}

// TestUsersFilterAdminOnly: admins, created_after/before, two_factor,
// without_projects and custom attributes filter administrators' lists
// and are ignored for others.
func TestUsersFilterAdminOnly(t *testing.T) {
	st, admin, users := stamped(t, "old", "tfa", "member", "tagged")
	users[0].CreatedAt = now.AddDate(-1, 0, 0)
	users[1].TwoFactorEnabled = true
	st.AddMember(users[2], SourceProject, 9, "p", AccessDeveloper)
	users[3].CustomAttributes = map[string]string{"team": "a", "site": "x"}
	after, before := now.AddDate(0, -1, 0), now.AddDate(0, -1, 0)
	for _, c := range []struct {
		name string
		f    UserFilter
		want []int64
	}{
		{"admins", UserFilter{Admins: true}, []int64{1}},
		{"created_after", UserFilter{CreatedAfter: &after}, []int64{1, 3, 4, 5}},
		{"created_before", UserFilter{CreatedBefore: &before}, []int64{2}},
		{"two_factor enabled", UserFilter{TwoFactor: ptr("enabled")}, []int64{3}},
		{"two_factor disabled", UserFilter{TwoFactor: ptr("disabled")}, []int64{1, 2, 4, 5}},
		{"without_projects", UserFilter{WithoutProjects: true}, []int64{1, 2, 3, 5}},
		{"custom attributes", UserFilter{CustomAttributes: map[string]string{"team": "a"}}, []int64{5}},
		{"custom attributes, all of them", UserFilter{CustomAttributes: map[string]string{"team": "a", "site": "y"}}, nil},
	} {
		f, err := st.UsersFilter(admin, c.f)
		require.NoError(t, err)
		assert.Equal(t, c.want, keptIDs(st, f), c.name)
		assert.False(t, f.KeepsAll(), c.name)
		f, err = st.UsersFilter(users[0], c.f)
		require.NoError(t, err)
		assert.Equal(t, []int64{1, 2, 3, 4, 5}, keptIDs(st, f), c.name+" is ignored for non-administrators")
	}
}

func TestUsersFilterKeepsAll(t *testing.T) {
	st, admin, users := newTestStore(t, "jane")
	f, _ := st.UsersFilter(admin, UserFilter{})
	assert.True(t, f.KeepsAll())
	f, _ = st.UsersFilter(users[0], UserFilter{})
	assert.False(t, f.KeepsAll(), "non-administrators do not see blocked users")
	f, _ = st.UsersFilter(admin, UserFilter{Search: ptr("x")})
	assert.False(t, f.KeepsAll())
	f, _ = st.UsersFilter(admin, UserFilter{WithoutProjectBots: true})
	assert.False(t, f.KeepsAll())
}

// TestUsersFilterSearch: name and username contain the term, the
// public email equals it, and any email equals it for administrators.
func TestUsersFilterSearch(t *testing.T) {
	st, admin, users := newTestStore(t, "jdoe", "mary", "priv", "second")
	users[0].Name = "Jane Doe"
	users[1].PublicEmail = "Mary.Public@example.com"
	st.AddEmail(users[3].ID, "alias@example.com", PtrTime(now), now)

	for _, c := range []struct {
		term            string
		admin, nonAdmin []int64
	}{
		{"DOE", []int64{2}, []int64{2}},
		{"ar", []int64{3}, []int64{3}},
		{"mary.public@example.com", []int64{3}, []int64{3}},
		{"mary.public", nil, nil},
		{"priv@example.com", []int64{4}, nil},
		{"ALIAS@example.com", []int64{5}, nil},
	} {
		f, _ := st.UsersFilter(admin, UserFilter{Search: ptr(c.term)})
		assert.Equal(t, c.admin, keptIDs(st, f), "admin, "+c.term)
		f, _ = st.UsersFilter(users[0], UserFilter{Search: ptr(c.term)})
		assert.Equal(t, c.nonAdmin, keptIDs(st, f), "non-admin, "+c.term)
	}
}

func TestSortUsers(t *testing.T) {
	st, _, users := newTestStore(t, "b", "a", "c", "a2")
	users[0].Name, users[1].Name, users[2].Name, users[3].Name = "Same", "Zed", "Same", "Abe"
	users[0].UpdatedAt = now.Add(3)
	users[1].UpdatedAt = now.Add(1)
	order := func(field string, desc bool) []int64 {
		us := append([]*User(nil), st.UsersByID()...)
		SortUsers(us, field, desc)
		var out []int64
		for _, u := range us {
			out = append(out, u.ID)
		}
		return out
	}
	assert.Equal(t, []int64{1, 2, 3, 4, 5}, order("id", false))
	assert.Equal(t, []int64{5, 4, 3, 2, 1}, order("created_at", true), "created_at orders by ID")
	assert.Equal(t, []int64{1, 5, 2, 4, 3}, order("name", false), "ties by ascending ID") // "" (root), Abe, Same, Same, Zed
	assert.Equal(t, []int64{3, 4, 2, 5, 1}, order("name", true), "ties by descending ID")
	assert.Equal(t, []int64{3, 5, 2, 4, 1}, order("username", false))
	assert.Equal(t, []int64{1, 4, 5, 3, 2}, order("updated_at", false))
	assert.Equal(t, "Zed", SortKey(users[1], "name"))
	assert.Equal(t, "", SortKey(users[1], "id"))
	assert.Equal(t, -1, CompareSortKeys("updated_at", "9", "10"), "updated_at compares as numbers")
	assert.Equal(t, 1, CompareSortKeys("name", "9", "10"))
}

func TestRankSearch(t *testing.T) {
	st, _, users := newTestStore(t, "bob", "bobby", "x", "y")
	users[1].Name = "bob"
	users[2].Name, users[2].Email = "Zed", "BOB"
	users[3].Name = "Bobcat"
	list := append([]*User(nil), st.UsersByID()[1:]...)
	RankSearch(list, "Bob")
	var out []int64
	for _, u := range list {
		out = append(out, u.ID)
	}
	// exact username, exact name, exact email, then by name
	assert.Equal(t, []int64{2, 3, 4, 5}, out)
}

func TestMembershipsOf(t *testing.T) {
	st, _, users := newTestStore(t, "jane")
	u := users[0]
	st.AddMember(u, SourceProject, 1, "a", AccessGuest)
	st.AddMember(u, SourceNamespace, 2, "b", AccessGuest)
	st.AddMember(u, SourceProject, 3, "c", AccessOwner)
	st.SeedMember(MemberSpec{Source: ProjectSource(4), UserID: u.ID, AccessLevel: AccessGuest, ExpiresAt: PtrTime(DayOf(now))}, now)
	assert.Equal(t, []Membership{{SourceID: 1, SourceName: "a", SourceType: SourceProject, AccessLevel: AccessGuest},
		{SourceID: 3, SourceName: "c", SourceType: SourceProject, AccessLevel: AccessOwner}}, st.Memberships(u, SourceProject, now))
	assert.Len(t, st.Memberships(u, "", now), 3, "the membership that expires today counts for nothing")
	assert.Len(t, st.Memberships(u, "", DayOf(now).Add(-time.Second)), 4)
}

func TestAssociationsCount(t *testing.T) {
	st, admin, users := newTestStore(t, "jane", "other")
	jane := users[0]
	st.AddMember(jane, SourceNamespace, 1, "g", AccessGuest)
	st.AddMember(jane, SourceProject, 1, "p", AccessGuest)
	st.AddMember(jane, SourceProject, 2, "q", AccessGuest)
	jane.IssuesAuthored, jane.MergeRequestsAuthored = 4, 5

	_, err := st.AssociationsCount(nil, jane)
	refusedAs(t, err, Unauthorized, "")
	_, err = st.AssociationsCount(users[1], jane)
	refusedAs(t, err, Forbidden, "")
	want := Associations{Groups: 1, Projects: 2, Issues: 4, MergeRequests: 5}
	for _, actor := range []*User{jane, admin} {
		got, err := st.AssociationsCount(actor, jane)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
}

// --- create and update -----------------------------------------------------

func newAttrs(name, username, addr string) UserAttrs {
	return UserAttrs{Name: &name, Username: &username, Email: &addr}
}

func TestCreateUser(t *testing.T) {
	st, admin, _ := newTestStore(t)
	a := newAttrs("Jane Doe", "jane", "jane@example.com")
	a.Password, a.CommitEmail, a.Bio = ptr("secret123"), ptr("_private"), ptr("hi")
	a.ProjectsLimit, a.Private, a.ViewDiffsFileByFile = ptr(int64(7)), ptr(true), ptr(true)
	a.Identity = &Identity{Provider: "ldap", ExternUID: "uid=jane"}
	u, err := st.CreateUser(admin, a, now)
	require.NoError(t, err)

	assert.Equal(t, int64(2), u.ID)
	assert.Same(t, u, st.UserByName("JANE"))
	assert.Equal(t, StateActive, u.State)
	assert.Equal(t, "secret123", u.Password)
	assert.Equal(t, admin.ID, u.CreatedBy)
	assert.Nil(t, u.ConfirmedAt, "unconfirmed without skip_confirmation")
	assert.Equal(t, now, u.CreatedAt)
	assert.Equal(t, "", u.CommitEmail, "_private is no commit email")
	assert.Equal(t, "hi", u.Bio)
	assert.Equal(t, 7, u.ProjectsLimit)
	assert.True(t, u.CanCreateGroup)
	assert.Equal(t, DefaultThemeID, u.ThemeID)
	assert.Equal(t, DefaultColorSchemeID, u.ColorSchemeID)
	assert.True(t, u.PrivateProfile)
	assert.True(t, u.FollowingEnabled)
	assert.True(t, u.Preferences.ViewDiffsFileByFile)
	assert.Equal(t, []Identity{{Provider: "ldap", ExternUID: "uid=jane"}}, u.Identities)
	e := st.PrimaryEmail(u)
	require.NotNil(t, e)
	assert.Equal(t, "jane@example.com", e.Email)
	assert.True(t, e.Primary)

	b := newAttrs("Bob", "bob", "bob@example.com")
	b.Password, b.RandomPassword, b.SkipConfirmation = ptr("short"), true, true
	bob, err := st.CreateUser(admin, b, now)
	require.NoError(t, err, "reset_password and force_random_password ignore the password")
	assert.Len(t, bob.Password, 24)
	assert.Equal(t, &now, bob.ConfirmedAt)
	assert.Equal(t, DefaultProjectsLimit, bob.ProjectsLimit)
}

// TestCreateUserRefusals: conflicts (409) come before validations
// (400), the email's before the username's; an email in use as
// someone's unconfirmed secondary email is a validation error.
func TestCreateUserRefusals(t *testing.T) {
	st, admin, users := newTestStore(t, "jane")
	st.AddEmail(users[0].ID, "confirmed@example.com", PtrTime(now), now)
	st.AddEmail(users[0].ID, "pending@example.com", nil, now)
	users[0].UnconfirmedEmail = "next@example.com"

	_, err := st.CreateUser(admin, newAttrs("", "JANE", "Jane@Example.com"), now)
	refusedAs(t, err, Conflict, "Email has already been taken")
	for _, addr := range []string{"CONFIRMED@example.com", "next@example.com"} {
		_, err = st.CreateUser(admin, newAttrs("X", "x", addr), now)
		refusedAs(t, err, Conflict, "Email has already been taken")
	}
	_, err = st.CreateUser(admin, newAttrs("", "Jane", "new@example.com"), now)
	refusedAs(t, err, Conflict, "Username has already been taken")
	_, err = st.CreateUser(admin, newAttrs("X", "x", "Pending@example.com"), now)
	invalidAs(t, err, map[string][]string{"email": {"has already been taken"}})
	_, err = st.CreateUser(admin, newAttrs("", "x.", "nope"), now)
	invalidAs(t, err, map[string][]string{
		"name":     {"can't be blank"},
		"username": {namespaceFormatMessage, ociPathMessage},
		"email":    {"is invalid"},
	})
	assert.Equal(t, 2, st.UserCount(), "no user was created")
}

// TestUserValidations walks app/models/user.rb's rules, one attribute
// at a time, on update.
func TestUserValidations(t *testing.T) {
	st, admin, users := newTestStore(t, "jane")
	jane := users[0]
	st.AddEmail(jane.ID, "pending@example.com", nil, now)
	long := strings.Repeat("x", 256)
	for _, c := range []struct {
		a    UserAttrs
		attr string
		msg  string
	}{
		{UserAttrs{Name: ptr("  ")}, "name", "can't be blank"},
		{UserAttrs{Name: &long}, "name", "is too long (maximum is 255 characters)"},
		{UserAttrs{Username: ptr("jane.git")}, "username", namespaceFormatMessage},
		{UserAttrs{Username: ptr("jane.atom")}, "username", namespaceFormatMessage},
		{UserAttrs{Username: ptr(".jane")}, "username", ociPathMessage},
		{UserAttrs{Username: ptr("jane__doe")}, "username", ociPathMessage},
		{UserAttrs{Username: ptr("jane_")}, "username", ociPathMessage},
		{UserAttrs{Username: ptr(strings.Repeat("j", 256))}, "username", "is too long (maximum is 255 characters)"},
		{UserAttrs{Email: ptr("jane@localhost")}, "email", "is invalid"},
		{UserAttrs{Email: ptr("Jane <jane@example.com>")}, "email", "is invalid"},
		{UserAttrs{Password: ptr("1234567")}, "password", "is too short (minimum is 8 characters)"},
		{UserAttrs{ProjectsLimit: ptr(int64(-1))}, "projects_limit", "must be greater than or equal to 0"},
		{UserAttrs{Bio: &long}, "bio", "is too long (maximum is 255 characters)"},
		{UserAttrs{PublicEmail: ptr("jane.other@example.com")}, "public_email", "must be an email you have verified"},
		{UserAttrs{PublicEmail: ptr("pending@example.com")}, "public_email", "must be an email you have verified"},
		{UserAttrs{CommitEmail: ptr("jane@example.com")}, "commit_email", "must be an email you have verified"},
		{UserAttrs{ThemeID: ptr(int64(0))}, "theme_id", "0 is not a valid theme"},
		{UserAttrs{ThemeID: ptr(int64(12))}, "theme_id", "12 is not a valid theme"},
		{UserAttrs{ColorSchemeID: ptr(int64(7))}, "color_scheme_id", "7 is not a valid color scheme"},
		{UserAttrs{Name: ptr(strings.Repeat("é", 256))}, "name", "is too long (maximum is 255 characters)"},
		{UserAttrs{Password: ptr(strings.Repeat("Zq8#", 32) + "x")}, "password", "is too long (maximum is 128 characters)"},
		{UserAttrs{Pronouns: ptr(strings.Repeat("p", 51))}, "user_detail.pronouns", "is too long (maximum is 50 characters)"},
		{UserAttrs{JobTitle: ptr(strings.Repeat("j", 201))}, "user_detail.job_title", "is too long (maximum is 200 characters)"},
		{UserAttrs{Linkedin: ptr(strings.Repeat("l", 501))}, "user_detail.linkedin", "is too long (maximum is 500 characters)"},
		{UserAttrs{Twitter: ptr(strings.Repeat("t", 501))}, "user_detail.twitter", "is too long (maximum is 500 characters)"},
		{UserAttrs{Location: ptr(strings.Repeat("l", 501))}, "user_detail.location", "is too long (maximum is 500 characters)"},
		{UserAttrs{Organization: ptr(strings.Repeat("o", 501))}, "user_detail.organization", "is too long (maximum is 500 characters)"},
		{UserAttrs{WebsiteURL: ptr("https://" + strings.Repeat("w", 493))}, "user_detail.website_url", "is too long (maximum is 500 characters)"},
		{UserAttrs{Discord: ptr("1234567890123456")}, "user_detail.discord", "must contain only a discord user ID."},
		{UserAttrs{Discord: ptr("jane#1234")}, "user_detail.discord", "must contain only a discord user ID."},
	} {
		invalidAs(t, st.UpdateUser(admin, jane, c.a, now), map[string][]string{c.attr: {c.msg}})
	}
	invalidAs(t, st.UpdateUser(admin, jane, UserAttrs{PublicEmail: ptr("nope")}, now),
		map[string][]string{"public_email": {"is invalid", "must be an email you have verified"}})
	assert.Equal(t, "jane", jane.Username, "a refused update changes nothing")
	// User#verified_emails: the primary email once confirmed, and the
	// confirmed secondary ones.
	st.AddEmail(jane.ID, "jane.work@example.com", PtrTime(now), now)
	jane.ConfirmedAt = PtrTime(now)
	for _, a := range []UserAttrs{{PublicEmail: ptr("jane@example.com")}, {PublicEmail: ptr("Jane.Work@example.com")},
		{CommitEmail: ptr("jane.work@example.com")}, {CommitEmail: ptr("_private")}} {
		require.NoError(t, st.UpdateUser(admin, jane, a, now))
	}
	for _, a := range []UserAttrs{
		{Username: ptr("j_a-n.e")}, {Name: ptr(long[:255])}, {PublicEmail: ptr("")}, {ThemeID: ptr(int64(11))},
		{ColorSchemeID: ptr(int64(1))}, {ProjectsLimit: ptr(int64(0))}, {Password: ptr("zq8#Lw3!")},
		{Password: ptr(strings.Repeat("Zq8#", 32))}, {Name: ptr(strings.Repeat("é", 255))}, {Bio: ptr(strings.Repeat("é", 255))},
		{Pronouns: ptr(strings.Repeat("p", 50))}, {JobTitle: ptr(strings.Repeat("j", 200))}, {Discord: ptr("12345678901234567")},
		{Discord: ptr("")}, {Linkedin: ptr(strings.Repeat("l", 500))}, {Username: ptr("jane.doe")},
		{Username: ptr(strings.Repeat("j", 255))},
	} {
		require.NoError(t, st.UpdateUser(admin, jane, a, now))
	}
}

func TestUpdateUser(t *testing.T) {
	st, admin, users := newTestStore(t, "jane", "bob")
	jane, bob := users[0], users[1]
	later := now.Add(time.Hour)

	// A new email waits for confirmation; with skip_reconfirmation it
	// replaces the primary one, confirmed.
	require.NoError(t, st.UpdateUser(admin, jane, UserAttrs{Email: ptr("new@example.com")}, later))
	assert.Equal(t, "jane@example.com", jane.Email)
	assert.Equal(t, "new@example.com", jane.UnconfirmedEmail)
	assert.Equal(t, later, jane.UpdatedAt)
	require.NoError(t, st.UpdateUser(admin, jane, UserAttrs{Email: ptr("now@example.com"), SkipConfirmation: true}, later))
	assert.Equal(t, "now@example.com", jane.Email)
	assert.Equal(t, "", jane.UnconfirmedEmail)
	assert.Equal(t, "now@example.com", st.PrimaryEmail(jane).Email)
	assert.Equal(t, &later, st.PrimaryEmail(jane).ConfirmedAt)

	// Her own email and username in another case are no conflict.
	require.NoError(t, st.UpdateUser(admin, jane, UserAttrs{Email: ptr("NOW@example.com"), Username: ptr("Jane")}, later))
	assert.Equal(t, "now@example.com", jane.Email, "the same address in another case changes nothing")
	assert.Same(t, jane, st.UserByName("jane"))
	assert.Equal(t, "Jane", jane.Username)
	require.NoError(t, st.UpdateUser(admin, jane, UserAttrs{Username: ptr("janet")}, later))
	assert.Nil(t, st.UserByName("jane"), "the old username is free")
	assert.Same(t, jane, st.UserByName("janet"))

	refusedAs(t, st.UpdateUser(admin, jane, UserAttrs{Email: ptr("BOB@example.com"), Username: ptr("bob")}, later),
		Conflict, "Email has already been taken")
	refusedAs(t, st.UpdateUser(admin, jane, UserAttrs{Username: ptr("BOB"), Name: ptr("")}, later),
		Conflict, "Username has already been taken")

	// A password set by an administrator for someone else expires.
	require.NoError(t, st.UpdateUser(admin, bob, UserAttrs{Password: ptr("zq8#Lw3!vR")}, later))
	assert.Equal(t, "zq8#Lw3!vR", bob.Password)
	assert.Equal(t, &later, bob.PasswordExpiresAt)
	require.NoError(t, st.UpdateUser(admin, admin, UserAttrs{Password: ptr("Tr0ub4dor&3x")}, later))
	assert.Nil(t, admin.PasswordExpiresAt, "one's own password does not expire")

	// An identity of a known provider is updated, a new one added.
	bob.Identities = []Identity{{Provider: "ldap", ExternUID: "old"}}
	require.NoError(t, st.UpdateUser(admin, bob, UserAttrs{Identity: &Identity{Provider: "ldap", ExternUID: "new"}}, later))
	require.NoError(t, st.UpdateUser(admin, bob, UserAttrs{Identity: &Identity{Provider: "saml", ExternUID: "s"}}, later))
	assert.Equal(t, []Identity{{Provider: "ldap", ExternUID: "new"}, {Provider: "saml", ExternUID: "s"}}, bob.Identities)

	require.NoError(t, st.UpdateUser(admin, bob, UserAttrs{Admin: ptr(true), External: ptr(true), CanCreateGroup: ptr(false),
		Avatar: &Avatar{Filename: "a.png", Data: []byte("png")}, PolicyAdvancedEditor: ptr(true), Location: ptr("Paris")}, later))
	assert.True(t, bob.Admin)
	assert.True(t, bob.External)
	assert.False(t, bob.CanCreateGroup)
	assert.Equal(t, "a.png", bob.AvatarFilename)
	assert.Equal(t, []byte("png"), bob.Avatar)
	assert.True(t, bob.Preferences.PolicyAdvancedEditor)
	assert.Equal(t, "Paris", bob.Location)
}

// --- delete, identities, preferences, avatar ----------------------------------

func TestCheckRemovable(t *testing.T) {
	st, _, users := newTestStore(t, "sole", "co1", "co2", "maint")
	st.AddMember(users[0], SourceNamespace, 1, "a", AccessOwner)
	st.AddMember(users[1], SourceNamespace, 2, "b", AccessOwner)
	st.AddMember(users[1], SourceProject, 5, "p", AccessOwner)
	st.AddMember(users[2], SourceNamespace, 2, "b", AccessOwner)
	st.AddMember(users[3], SourceNamespace, 1, "a", AccessMaintainer)

	refusedAs(t, st.CheckRemovable(users[0], false), Conflict, "User cannot be removed while is the sole-owner of a group")
	require.NoError(t, st.CheckRemovable(users[0], true), "hard_delete removes a sole owner")
	require.NoError(t, st.CheckRemovable(users[1], false), "a co-owner may go")
	require.NoError(t, st.CheckRemovable(users[3], false))
	assert.True(t, st.SoleGroupOwner(users[0]))
	assert.False(t, st.SoleGroupOwner(users[2]))
}

func TestDeleteIdentity(t *testing.T) {
	st, _, users := stamped(t, "jane")
	jane := users[0]
	jane.Identities = []Identity{{Provider: "ldap", ExternUID: "a"}, {Provider: "saml", ExternUID: "b"}}
	later := now.Add(time.Minute)

	refusedAs(t, st.DeleteIdentity(jane, "github", later), NotFound, "Identity")
	assert.Equal(t, now, jane.UpdatedAt)
	require.NoError(t, st.DeleteIdentity(jane, "ldap", later))
	assert.Equal(t, []Identity{{Provider: "saml", ExternUID: "b"}}, jane.Identities)
	assert.Equal(t, later, jane.UpdatedAt)
}

func TestUpdatePreferences(t *testing.T) {
	st, _, users := newTestStore(t, "jane")
	jane := users[0]
	jane.Preferences.ShowWhitespaceInDiffs = true
	st.UpdatePreferences(jane, PreferencesUpdate{ViewDiffsFileByFile: ptr(true), PassUserIdentitiesToCIJWT: ptr(true)})
	assert.Equal(t, Preferences{ViewDiffsFileByFile: true, ShowWhitespaceInDiffs: true, PassUserIdentitiesToCIJWT: true}, jane.Preferences)
	st.UpdatePreferences(jane, PreferencesUpdate{ShowWhitespaceInDiffs: ptr(false), PolicyAdvancedEditor: ptr(true)})
	assert.Equal(t, Preferences{ViewDiffsFileByFile: true, PassUserIdentitiesToCIJWT: true, PolicyAdvancedEditor: true}, jane.Preferences)
}

func TestSetAvatar(t *testing.T) {
	st, _, users := stamped(t, "jane")
	jane := users[0]
	later := now.Add(time.Minute)

	err := st.SetAvatar(jane, Avatar{Filename: "big.png", Data: make([]byte, MaxAvatarSize+1)}, later)
	refusedFully(t, err, BadRequest, "Avatar is too big (should be at most 200 KiB)", true)
	assert.Equal(t, "", jane.AvatarFilename)
	assert.Equal(t, now, jane.UpdatedAt)

	require.NoError(t, st.SetAvatar(jane, Avatar{Filename: "max.png", Data: make([]byte, MaxAvatarSize)}, later))
	assert.Equal(t, "max.png", jane.AvatarFilename)
	assert.Len(t, jane.Avatar, MaxAvatarSize)
	assert.Equal(t, later, jane.UpdatedAt)
}

// TestSupportPIN: a PIN has six digits and lives seven days; GET
// serves it until then, a revoke makes it expire at once.
func TestSupportPIN(t *testing.T) {
	st, _, users := newTestStore(t, "jane")
	jane := users[0]

	_, err := st.LiveSupportPIN(jane, now)
	refusedAs(t, err, NotFound, "Support PIN not found or expired")
	refusedAs(t, st.RevokeSupportPIN(jane, now), NotFound, "Support PIN not found or already expired")

	p := st.CreateSupportPIN(jane, now)
	assert.Regexp(t, `^[1-9][0-9]{5}$`, p.PIN)
	assert.Equal(t, now.Add(7*24*time.Hour), p.ExpiresAt)
	assert.Same(t, p, jane.SupportPIN)

	got, err := st.LiveSupportPIN(jane, p.ExpiresAt.Add(-time.Second))
	require.NoError(t, err)
	assert.Equal(t, p.PIN, got.PIN)
	_, err = st.LiveSupportPIN(jane, p.ExpiresAt)
	refusedAs(t, err, NotFound, "Support PIN not found or expired")
	refusedAs(t, st.RevokeSupportPIN(jane, p.ExpiresAt), NotFound, "Support PIN not found or already expired")

	later := now.Add(time.Hour)
	require.NoError(t, st.RevokeSupportPIN(jane, later))
	assert.Equal(t, later, jane.SupportPIN.ExpiresAt)
	_, err = st.LiveSupportPIN(jane, later)
	refusedAs(t, err, NotFound, "Support PIN not found or expired")

	again := st.CreateSupportPIN(jane, later)
	assert.Equal(t, later.Add(SupportPINTTL), again.ExpiresAt, "a new PIN replaces the revoked one")
}
