package gitlab

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

// usersCreatedByRoot is the created_by user of list_users.json.
func usersCreatedByRoot() *User {
	return &User{
		ID: 9, Username: "root", Name: "Administrator", State: UserStateActive,
		AvatarURL: "http://localhost:3000/uploads/user/avatar/9/index.jpg",
		WebURL:    "http://localhost:3000/root",
	}
}

// usersListWant is list_users.json decoded.
func usersListWant(t *testing.T) []*User {
	return []*User{
		{
			ID: 1, Username: "john_smith", PublicEmail: "john@example.com", Name: "John Smith",
			State: UserStateActive, Locked: false,
			AvatarURL: "http://localhost:3000/uploads/user/avatar/1/index.jpg",
			WebURL:    "http://localhost:3000/john_smith",
			CreatedAt: mustTime(t, "2012-05-23T08:00:58Z"),
			Bio:       "Site reliability", BioHTML: "<p>Site reliability</p>",
			Location: Ptr("Berlin"), Skype: "john.skype", Linkedin: "johnsmith", Twitter: "jsmith",
			Discord: "812345678901234567", WebsiteURL: "https://john.example.com",
			Organization: "Example Corp", JobTitle: "Operations Specialist", Pronouns: "he/him",
			WorkInformation: "Operations Specialist at Example Corp", LocalTime: "3:38 PM",
			Followers: 3, Following: 5, IsFollowed: true,
			LastSignInAt:   mustTime(t, "2012-06-01T11:41:01Z"),
			ConfirmedAt:    mustTime(t, "2012-05-23T09:05:22Z"),
			LastActivityOn: isoDate(2012, time.May, 23),
			Email:          "john@example.com", ThemeID: 1, ColorSchemeID: 2, ProjectsLimit: 100,
			CurrentSignInAt: mustTime(t, "2012-06-02T06:36:55Z"),
			Identities: []*Identity{
				{Provider: "github", ExternUID: "2435223452345"},
				{Provider: "bitbucket", ExternUID: "john.smith"},
				{Provider: "google_oauth2", ExternUID: "8776128412476123468721346"},
				{Provider: "group_saml", ExternUID: "123789", SAMLProviderID: 10},
			},
			CanCreateGroup: true, CanCreateProject: true, TwoFactorEnabled: true,
			CommitEmail: "john@example.com", PreferredLanguage: "en",
			Note:        "DMCA Request: 2018-11-05 | DMCA Violation | Abuse | https://gitlab.zendesk.com/agent/tickets/123",
			NamespaceID: 11, CurrentSignInIP: "196.165.1.102", LastSignInIP: "172.127.2.22",
			SharedRunnersMinutesLimit: Ptr[int64](133), ExtraSharedRunnersMinutesLimit: Ptr[int64](133),
		},
		{
			ID: 2, Username: "jack_smith", Name: "Jack Smith", State: UserStateBlocked, Locked: true,
			AvatarURL:      "http://localhost:3000/uploads/user/avatar/2/index.jpg",
			WebURL:         "http://localhost:3000/jack_smith",
			CreatedAt:      mustTime(t, "2012-05-23T08:01:01Z"),
			ConfirmedAt:    mustTime(t, "2012-05-30T16:53:06.148Z"),
			LastActivityOn: isoDate(2012, time.May, 23),
			Email:          "jack@example.com", ThemeID: 1, ColorSchemeID: 3, ProjectsLimit: 100,
			CurrentSignInAt: mustTime(t, "2014-03-19T17:54:13Z"),
			Identities:      []*Identity{},
			CanCreateGroup:  true, CanCreateProject: true, TwoFactorEnabled: true,
			CommitEmail: "jack@example.com", PreferredLanguage: "en",
			NamespaceID: 12, CreatedBy: usersCreatedByRoot(),
			EmailResetOfferedAt: mustTime(t, "2012-05-24T10:00:00Z"),
			CurrentSignInIP:     "10.165.1.102", LastSignInIP: "172.127.2.22",
		},
	}
}

// usersGetAdminWant is get_user_admin.json decoded.
func usersGetAdminWant(t *testing.T) *User {
	return &User{
		ID: 1, Username: "john_smith", PublicEmail: "john@example.com", Name: "John Smith",
		State: UserStateActive, Locked: true,
		AvatarURL: "http://localhost:3000/uploads/user/avatar/1/index.jpg",
		WebURL:    "http://localhost:3000/john_smith",
		CustomAttributes: []*CustomAttribute{
			{Key: "location", Value: "remote"},
			{Key: "department", Value: "ops"},
		},
		CreatedAt: mustTime(t, "2012-05-23T08:00:58Z"),
		Bio:       "Bio of John", BioHTML: "<p>Bio of John</p>", Location: Ptr("Lisbon"),
		Skype: "john.skype", Linkedin: "john-smith", Twitter: "john_tw", Discord: "812345678901234567",
		WebsiteURL: "https://john.example.com", Organization: "Example Corp",
		JobTitle: "Operations Specialist", Pronouns: "he/him", Bot: true,
		WorkInformation: "Operations Specialist at Example Corp",
		Followers:       7, Following: 4, IsFollowed: true, LocalTime: "10:15 AM",
		LastSignInAt:   mustTime(t, "2012-06-01T11:41:01Z"),
		ConfirmedAt:    mustTime(t, "2012-05-23T09:05:22Z"),
		LastActivityOn: isoDate(2012, time.May, 23),
		Email:          "john@example.com", ThemeID: 3, ColorSchemeID: 2, ProjectsLimit: 100,
		CurrentSignInAt: mustTime(t, "2012-06-02T06:36:55Z"),
		Identities: []*Identity{
			{Provider: "github", ExternUID: "2435223452345"},
			{Provider: "group_saml", ExternUID: "123789", SAMLProviderID: 10},
		},
		CanCreateGroup: true, CanCreateProject: true, TwoFactorEnabled: true,
		External: true, PrivateProfile: true,
		CommitEmail: "john.commits@example.com", PreferredLanguage: "de",
		IsAdmin:     true,
		Note:        "DMCA Request: 2018-11-05 | DMCA Violation | Abuse | https://gitlab.zendesk.com/agent/tickets/123",
		NamespaceID: 11,
		CreatedBy: &User{
			ID: 9, Username: "root", PublicEmail: "admin@example.com", Name: "Administrator",
			State:     UserStateActive,
			AvatarURL: "http://localhost:3000/uploads/user/avatar/9/index.jpg",
			WebURL:    "http://localhost:3000/root",
		},
		EmailResetOfferedAt:    mustTime(t, "2012-05-24T10:00:00Z"),
		ProvisionedByProjectID: Ptr[int64](42),
		HighestRole:            AccessLevelMaintainer,
		CurrentSignInIP:        "196.165.1.102", LastSignInIP: "172.127.2.22", SignInCount: 1337,
		Plan: "gold", Trial: true,
		SharedRunnersMinutesLimit: Ptr[int64](133), ExtraSharedRunnersMinutesLimit: Ptr[int64](134),
		IsAuditor: true, UsingLicenseSeat: true,
		ProvisionedByGroupID: Ptr[int64](77), EnterpriseGroupID: Ptr[int64](78),
	}
}

// usersCreateWant is create_user.json decoded.
func usersCreateWant(t *testing.T) *User {
	return &User{
		ID: 25, Username: "jdoe", PublicEmail: "jdoe.public@example.com", Name: "John Doe",
		State:     UserStateActive,
		AvatarURL: "https://gitlab.example.com/uploads/-/system/user/avatar/25/avatar.png",
		WebURL:    "https://gitlab.example.com/jdoe",
		CreatedAt: mustTime(t, "2024-03-01T12:00:00Z"),
		Bio:       "Hello", Location: Ptr("Remote"), Skype: "jdoe.skype", Linkedin: "jdoe-li",
		Twitter: "jdoe_tw", Discord: "123456789012345678", WebsiteURL: "https://jdoe.example.com",
		Organization: "ACME", Pronouns: "they/them", WorkInformation: "ACME", LocalTime: "12:00 PM",
		ConfirmedAt: mustTime(t, "2024-03-01T12:00:00Z"),
		Email:       "jdoe@example.com", ThemeID: 2, ColorSchemeID: 4, ProjectsLimit: 10,
		Identities:     []*Identity{{Provider: "github", ExternUID: "4242"}},
		CanCreateGroup: true, CanCreateProject: true, External: true, PrivateProfile: true,
		CommitEmail: "jdoe@example.com", PreferredLanguage: "en",
		IsAdmin: true, Note: "created by automation", NamespaceID: 31,
		CreatedBy: &User{
			ID: 1, Username: "root", Name: "Administrator", State: UserStateActive,
			AvatarURL: "https://gitlab.example.com/uploads/-/system/user/avatar/1/avatar.png",
			WebURL:    "https://gitlab.example.com/root",
		},
	}
}

// usersUpdateWant is update_user.json decoded.
func usersUpdateWant(t *testing.T) *User {
	return &User{
		ID: 25, Username: "jdoe2", PublicEmail: "jdoe.public@example.com", Name: "John Doe II",
		State:     UserStateActive,
		AvatarURL: "https://gitlab.example.com/uploads/-/system/user/avatar/25/new.png",
		WebURL:    "https://gitlab.example.com/jdoe2",
		CreatedAt: mustTime(t, "2024-03-01T12:00:00Z"),
		Bio:       "Updated bio", Location: Ptr("Paris"), Skype: "jdoe.skype", Linkedin: "jdoe-li",
		Twitter: "jdoe_tw", Discord: "123456789012345678", WebsiteURL: "https://jdoe.example.com",
		Organization: "ACME", JobTitle: "Engineer", Pronouns: "she/her",
		WorkInformation: "Engineer at ACME", LocalTime: "1:00 PM",
		LastSignInAt:   mustTime(t, "2024-03-02T08:00:00Z"),
		ConfirmedAt:    mustTime(t, "2024-03-01T12:00:00Z"),
		LastActivityOn: isoDate(2024, time.March, 2),
		Email:          "jdoe@example.com", ThemeID: 5, ColorSchemeID: 6, ProjectsLimit: 20,
		CurrentSignInAt:  mustTime(t, "2024-03-02T08:00:00Z"),
		Identities:       []*Identity{{Provider: "ldapmain", ExternUID: "uid=jdoe,ou=people,dc=example,dc=com"}},
		CanCreateProject: true, TwoFactorEnabled: true,
		CommitEmail: "_private", PreferredLanguage: "fr",
		Note: "updated by automation", NamespaceID: 31,
	}
}

func TestUsersList(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/users").AddMatcher(exactQuery(form(
		"page", "2", "per_page", "50",
		"search", "smith", "username", "john_smith",
		"active", "true", "blocked", "true", "external", "true",
		"exclude_active", "true", "exclude_external", "true", "exclude_humans", "true", "exclude_internal", "true",
		"humans", "true", "without_project_bots", "true", "admins", "true",
		"extern_uid", "2435223452345", "provider", "github",
		"created_before", "2001-01-02T10:30:00+02:00", "created_after", "1999-01-02T00:00:00Z",
		"without_projects", "true", "two_factor", "enabled",
		"order_by", "username", "sort", "asc",
		"with_custom_attributes", "true",
		"custom_attributes[department]", "ops", "custom_attributes[location]", "remote",
	))).Reply(200).SetHeader("X-Total", "2").SetHeader("X-Page", "2").
		BodyString(string(fixture(t, "list_users.json")))

	opt := &ListUsersOptions{
		ListOptions:          ListOptions{Page: 2, PerPage: 50},
		Search:               Ptr("smith"),
		Username:             Ptr("john_smith"),
		Active:               Ptr(true),
		Blocked:              Ptr(true),
		External:             Ptr(true),
		ExcludeActive:        Ptr(true),
		ExcludeExternal:      Ptr(true),
		ExcludeHumans:        Ptr(true),
		ExcludeInternal:      Ptr(true),
		Humans:               Ptr(true),
		WithoutProjectBots:   Ptr(true),
		Admins:               Ptr(true),
		ExternUID:            Ptr("2435223452345"),
		Provider:             Ptr("github"),
		CreatedBefore:        Ptr(time.Date(2001, 1, 2, 10, 30, 0, 0, time.FixedZone("", 2*3600))),
		CreatedAfter:         Ptr(time.Date(1999, 1, 2, 0, 0, 0, 0, time.UTC)),
		WithoutProjects:      Ptr(true),
		TwoFactor:            Ptr(TwoFactorFilterEnabled),
		OrderBy:              Ptr(UserOrderByUsername),
		Sort:                 Ptr(SortOrderAsc),
		WithCustomAttributes: Ptr(true),
		CustomAttributes:     map[string]string{"location": "remote", "department": "ops"},
	}
	users, resp, err := c.Users.List(context.Background(), opt)
	require.NoError(t, err)
	require.Equal(t, usersListWant(t), users)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, 2, resp.TotalItems)
	assert.Equal(t, 2, resp.CurrentPage)
}

func TestUsersListNilOptions(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/users").AddMatcher(exactQuery("")).
		Reply(200).BodyString(string(fixture(t, "list_users_page_2.json")))

	users, _, err := c.Users.List(context.Background(), nil)
	require.NoError(t, err)
	require.Equal(t, []*User{{
		ID: 3, Username: "jane_doe", PublicEmail: "jane@example.com", Name: "Jane Doe",
		State:     UserStateDeactivated,
		AvatarURL: "http://localhost:3000/uploads/user/avatar/3/index.jpg",
		WebURL:    "http://localhost:3000/jane_doe",
	}}, users)
}

// Offset pagination: page 1 names page 2 in X-Next-Page and Link; page 2
// is the last one. The caller's options are not changed.
func TestUsersListIter(t *testing.T) {
	c := newTestClient(t)
	page1, page2 := mockTwoPages(t, "/users", "list_users.json", "list_users_page_2.json", "per_page", "2", "search", "smith")
	page1.SetHeader("X-Total-Pages", "2").
		SetHeader("Link", `<`+testHost+`/api/v4/users?page=2&per_page=2&search=smith>; rel="next", <`+testHost+`/api/v4/users?page=1&per_page=2&search=smith>; rel="first"`)
	page2.SetHeader("X-Total-Pages", "2").
		SetHeader("Link", `<`+testHost+`/api/v4/users?page=1&per_page=2&search=smith>; rel="prev", <`+testHost+`/api/v4/users?page=1&per_page=2&search=smith>; rel="first"`)

	opt := &ListUsersOptions{ListOptions: ListOptions{PerPage: 2}, Search: Ptr("smith")}
	got := collect(t, c.Users.ListIter(context.Background(), opt))

	var ids []int64
	for _, u := range got {
		ids = append(ids, u.ID)
	}
	assert.Equal(t, []int64{1, 2, 3}, ids)
	require.Equal(t, usersListWant(t), got[:2])
	assert.Equal(t, &ListUsersOptions{ListOptions: ListOptions{PerPage: 2}, Search: Ptr("smith")}, opt,
		"the caller's options are not changed")
}

// Keyset pagination: no X-Next-Page, only Link rel="next" with a cursor.
func TestUsersListIterKeyset(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/users").AddMatcher(exactQuery(form("pagination", "keyset", "per_page", "2", "order_by", "name", "sort", "desc"))).
		Reply(200).
		SetHeader("Link", `<`+testHost+`/api/v4/users?cursor=eyJpZCI6IjIifQ&order_by=name&pagination=keyset&per_page=2&sort=desc>; rel="next"`).
		BodyString(string(fixture(t, "list_users.json")))
	mock("GET", "/users").AddMatcher(exactQuery("cursor=eyJpZCI6IjIifQ&order_by=name&pagination=keyset&per_page=2&sort=desc")).
		Reply(200).BodyString(string(fixture(t, "list_users_page_2.json")))

	opt := &ListUsersOptions{ListOptions: ListOptions{PerPage: 2}, Pagination: Ptr(PaginationKeyset),
		OrderBy: Ptr(UserOrderByName), Sort: Ptr(SortOrderDesc)}
	got := collect(t, c.Users.ListIter(context.Background(), opt))
	require.Len(t, got, 3)
	assert.Equal(t, []string{"john_smith", "jack_smith", "jane_doe"}, []string{got[0].Username, got[1].Username, got[2].Username})
}

// A cursor taken from a next link can also be passed by hand.
func TestUsersListKeysetCursor(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/users").AddMatcher(exactQuery(form("pagination", "keyset", "per_page", "2", "cursor", "eyJpZCI6IjIifQ"))).
		Reply(200).BodyString(string(fixture(t, "list_users_page_2.json")))

	users, resp, err := c.Users.List(context.Background(), &ListUsersOptions{ListOptions: ListOptions{PerPage: 2},
		Pagination: Ptr(PaginationKeyset), Cursor: Ptr("eyJpZCI6IjIifQ")})
	require.NoError(t, err)
	require.Len(t, users, 1)
	assert.Equal(t, int64(3), users[0].ID)
	assert.Equal(t, "", resp.NextLink)
}

func TestUsersListIterStopsOnError(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/users").AddMatcher(exactQuery("")).
		Reply(200).SetHeader("X-Page", "1").SetHeader("X-Next-Page", "2").
		BodyString(string(fixture(t, "list_users_page_2.json")))
	mock("GET", "/users").AddMatcher(exactQuery(form("page", "2"))).
		Reply(405).JSON(map[string]string{"error": "Offset pagination has a maximum allowed offset of 50000 for requests that return objects of type User. Remaining records can be retrieved using keyset pagination."})

	var n, errs int
	for u, err := range c.Users.ListIter(context.Background(), nil) {
		if err != nil {
			errs++
			var er *ErrorResponse
			require.ErrorAs(t, err, &er)
			assert.Equal(t, http.StatusMethodNotAllowed, er.StatusCode)
			assert.Contains(t, er.Message, "keyset pagination")
			continue
		}
		n++
		assert.Equal(t, int64(3), u.ID)
	}
	assert.Equal(t, 1, n)
	assert.Equal(t, 1, errs)
}

func TestUsersGet(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/users/1").AddMatcher(exactQuery("")).
		Reply(200).BodyString(string(fixture(t, "get_user.json")))

	user, resp, err := c.Users.Get(context.Background(), 1, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, &User{
		ID: 1, Username: "john_smith", PublicEmail: "john@example.com", Name: "John Smith",
		State:     UserStateActive,
		AvatarURL: "http://localhost:3000/uploads/user/avatar/1/cd8.jpeg",
		WebURL:    "http://localhost:3000/john_smith",
		CreatedAt: mustTime(t, "2012-05-23T08:00:58Z"),
		JobTitle:  "Operations Specialist", Pronouns: "they/them", WorkInformation: "Operations Specialist",
		Followers: 1, Following: 2, LocalTime: "8:56 PM",
	}, user)
}

func TestUsersGetAdmin(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/users/1").AddMatcher(exactQuery(form("with_custom_attributes", "true"))).
		Reply(200).BodyString(string(fixture(t, "get_user_admin.json")))

	user, _, err := c.Users.Get(context.Background(), 1, &GetUserOptions{WithCustomAttributes: Ptr(true)})
	require.NoError(t, err)
	require.Equal(t, usersGetAdminWant(t), user)
}

func TestUsersGetNotFound(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/users/999").Reply(404).BodyString(string(fixture(t, "error_404_user.json")))

	user, resp, err := c.Users.Get(context.Background(), 999, nil)
	require.ErrorIs(t, err, ErrNotFound)
	assert.Nil(t, user)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	var er *ErrorResponse
	require.ErrorAs(t, err, &er)
	assert.Equal(t, "404 User Not Found", er.Message)
}

// usersCurrentWant is current_user.json decoded.
func usersCurrentWant(t *testing.T) *User {
	return &User{
		ID: 1, Username: "john_smith", PublicEmail: "john@example.com", Name: "John Smith",
		State:          UserStateActive,
		AvatarURL:      "http://localhost:3000/uploads/user/avatar/1/index.jpg",
		WebURL:         "http://localhost:3000/john_smith",
		CreatedAt:      mustTime(t, "2012-05-23T08:00:58Z"),
		LastSignInAt:   mustTime(t, "2012-06-01T11:41:01Z"),
		ConfirmedAt:    mustTime(t, "2012-05-23T09:05:22Z"),
		LastActivityOn: isoDate(2012, time.May, 23),
		Email:          "john@example.com", ThemeID: 1, ColorSchemeID: 2, ProjectsLimit: 100,
		CurrentSignInAt: mustTime(t, "2012-06-02T06:36:55Z"),
		Identities: []*Identity{
			{Provider: "github", ExternUID: "2435223452345"},
			{Provider: "bitbucket", ExternUID: "john_smith"},
			{Provider: "google_oauth2", ExternUID: "8776128412476123468721346"},
		},
		CanCreateGroup: true, CanCreateProject: true, TwoFactorEnabled: true,
		CommitEmail: "john@example.com", PreferredLanguage: "en",
	}
}

func TestUsersCurrent(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/user").AddMatcher(exactQuery("")).AddMatcher(func(r *http.Request, _ *gock.Request) (bool, error) {
		return r.Header.Get("Sudo") == "", nil
	}).Reply(200).BodyString(string(fixture(t, "current_user.json")))

	user, _, err := c.Users.Current(context.Background())
	require.NoError(t, err)
	require.Equal(t, usersCurrentWant(t), user)
}

// An administrator acting as another user gets that user.
func TestUsersCurrentWithSudo(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/user").AddMatcher(exactQuery("")).MatchHeader("Sudo", "^john_smith$").
		Reply(200).BodyString(string(fixture(t, "current_user.json")))
	mock("GET", "/user").AddMatcher(exactQuery("")).MatchHeader("Sudo", "^1$").
		Reply(200).BodyString(string(fixture(t, "current_user.json")))

	user, _, err := c.Users.Current(context.Background(), WithSudo(Username("@john_smith")))
	require.NoError(t, err)
	require.Equal(t, usersCurrentWant(t), user)

	user, _, err = c.Users.Current(context.Background(), WithSudo(UserID(1)))
	require.NoError(t, err)
	assert.Equal(t, "john_smith", user.Username)
}

func TestUsersCurrentUnauthorized(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/user").Reply(401).JSON(map[string]string{"message": "401 Unauthorized"})

	user, _, err := c.Users.Current(context.Background())
	require.ErrorIs(t, err, ErrUnauthorized)
	assert.Nil(t, user)
}

func TestUsersCreate(t *testing.T) {
	c := newTestClient(t)
	mock("POST", "/users").AddMatcher(exactForm(form(
		"email", "jdoe@example.com", "username", "jdoe", "name", "John Doe", "password", "s3cur3-s3cr3T!",
		"reset_password", "true", "force_random_password", "true", "skip_confirmation", "true",
		"admin", "true", "bio", "Hello", "can_create_group", "true", "color_scheme_id", "4",
		"commit_email", "jdoe@example.com", "discord", "123456789012345678",
		"extern_uid", "4242", "provider", "github", "external", "true",
		"linkedin", "jdoe-li", "location", "Remote", "note", "created by automation",
		"organization", "ACME", "private_profile", "true", "projects_limit", "10",
		"pronouns", "they/them", "public_email", "jdoe.public@example.com", "skype", "jdoe.skype",
		"theme_id", "2", "twitter", "jdoe_tw", "view_diffs_file_by_file", "true",
		"website_url", "https://jdoe.example.com",
		"auditor", "true", "group_id_for_saml", "77",
		"shared_runners_minutes_limit", "0", "extra_shared_runners_minutes_limit", "500",
	))).Reply(201).BodyString(string(fixture(t, "create_user.json")))

	opt := &CreateUserOptions{
		Email: Ptr("jdoe@example.com"), Username: Ptr("jdoe"), Name: Ptr("John Doe"),
		Password: Ptr("s3cur3-s3cr3T!"), ResetPassword: Ptr(true), ForceRandomPassword: Ptr(true),
		SkipConfirmation: Ptr(true),
		Admin:            Ptr(true), Bio: Ptr("Hello"), CanCreateGroup: Ptr(true), ColorSchemeID: Ptr[int64](4),
		CommitEmail: Ptr("jdoe@example.com"), Discord: Ptr("123456789012345678"),
		ExternUID: Ptr("4242"), Provider: Ptr("github"), External: Ptr(true),
		Linkedin: Ptr("jdoe-li"), Location: Ptr("Remote"), Note: Ptr("created by automation"),
		Organization: Ptr("ACME"), PrivateProfile: Ptr(true), ProjectsLimit: Ptr[int64](10),
		Pronouns: Ptr("they/them"), PublicEmail: Ptr("jdoe.public@example.com"), Skype: Ptr("jdoe.skype"),
		ThemeID: Ptr[int64](2), Twitter: Ptr("jdoe_tw"), ViewDiffsFileByFile: Ptr(true),
		WebsiteURL: Ptr("https://jdoe.example.com"),
		Auditor:    Ptr(true), GroupIDForSAML: Ptr[int64](77),
		SharedRunnersMinutesLimit: Ptr[int64](0), ExtraSharedRunnersMinutesLimit: Ptr[int64](500),
	}
	user, resp, err := c.Users.Create(context.Background(), opt)
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	require.Equal(t, usersCreateWant(t), user)
}

// Each of the three password options alone satisfies the validation.
func TestUsersCreatePasswordOptions(t *testing.T) {
	base := []string{"email", "a@example.com", "name", "A", "username", "a"}
	cases := map[string]struct {
		set  func(*CreateUserOptions)
		form []string
	}{
		"password":              {func(o *CreateUserOptions) { o.Password = Ptr("pw-123456789") }, []string{"password", "pw-123456789"}},
		"reset_password":        {func(o *CreateUserOptions) { o.ResetPassword = Ptr(true) }, []string{"reset_password", "true"}},
		"force_random_password": {func(o *CreateUserOptions) { o.ForceRandomPassword = Ptr(true) }, []string{"force_random_password", "true"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := newTestClient(t)
			mock("POST", "/users").AddMatcher(exactForm(form(append(append([]string{}, base...), tc.form...)...))).
				Reply(201).BodyString(string(fixture(t, "create_user.json")))
			opt := &CreateUserOptions{Email: Ptr("a@example.com"), Name: Ptr("A"), Username: Ptr("a")}
			tc.set(opt)
			_, _, err := c.Users.Create(context.Background(), opt)
			require.NoError(t, err)
		})
	}
}

func TestUsersCreateAvatar(t *testing.T) {
	c := newTestClient(t)
	var got multipartBody
	mock("POST", "/users").AddMatcher(multipartMatcher(&got)).
		Reply(201).BodyString(string(fixture(t, "create_user.json")))

	opt := &CreateUserOptions{
		Email: Ptr("jdoe@example.com"), Username: Ptr("jdoe"), Name: Ptr("John Doe"),
		ResetPassword: Ptr(true), ProjectsLimit: Ptr[int64](10),
		Avatar: &File{Name: "avatar.png", Content: strings.NewReader("\x89PNG\r\n\x1a\nfake-image")},
	}
	user, _, err := c.Users.Create(context.Background(), opt)
	require.NoError(t, err)
	require.Equal(t, usersCreateWant(t), user)
	assert.Equal(t, map[string][]string{
		"email": {"jdoe@example.com"}, "username": {"jdoe"}, "name": {"John Doe"},
		"reset_password": {"true"}, "projects_limit": {"10"},
	}, got.fields)
	assert.Equal(t, 1, got.files)
	assert.Equal(t, "avatar.png", got.fileName)
	assert.Equal(t, "\x89PNG\r\n\x1a\nfake-image", got.fileBody)
}

func TestUsersCreateConflict(t *testing.T) {
	c := newTestClient(t)
	mock("POST", "/users").Reply(409).BodyString(string(fixture(t, "error_409_user_email_taken.json")))

	user, _, err := c.Users.Create(context.Background(), &CreateUserOptions{
		Email: Ptr("taken@example.com"), Username: Ptr("x"), Name: Ptr("X"), ForceRandomPassword: Ptr(true)})
	require.ErrorIs(t, err, ErrConflict)
	assert.Nil(t, user)
	var er *ErrorResponse
	require.ErrorAs(t, err, &er)
	assert.Equal(t, "Email has already been taken", er.Message)
}

func TestUsersUpdate(t *testing.T) {
	c := newTestClient(t)
	mock("PUT", "/users/25").AddMatcher(exactForm(form(
		"email", "jdoe@example.com", "skip_reconfirmation", "true", "username", "jdoe2", "name", "John Doe II",
		"password", "n3w-s3cr3T!",
		"admin", "false", "bio", "Updated bio", "can_create_group", "false", "color_scheme_id", "6",
		"commit_email", "_private", "discord", "123456789012345678",
		"extern_uid", "uid=jdoe,ou=people,dc=example,dc=com", "provider", "ldapmain", "external", "false",
		"linkedin", "jdoe-li", "location", "Paris", "note", "updated by automation",
		"organization", "ACME", "private_profile", "false", "projects_limit", "20",
		"pronouns", "she/her", "public_email", "jdoe.public@example.com", "skype", "jdoe.skype",
		"theme_id", "5", "twitter", "jdoe_tw", "view_diffs_file_by_file", "false",
		"website_url", "https://jdoe.example.com",
		"auditor", "false", "group_id_for_saml", "78",
		"shared_runners_minutes_limit", "1000", "extra_shared_runners_minutes_limit", "0",
	))).Reply(200).BodyString(string(fixture(t, "update_user.json")))

	opt := &UpdateUserOptions{
		Email: Ptr("jdoe@example.com"), SkipReconfirmation: Ptr(true), Username: Ptr("jdoe2"),
		Name: Ptr("John Doe II"), Password: Ptr("n3w-s3cr3T!"),
		Admin: Ptr(false), Bio: Ptr("Updated bio"), CanCreateGroup: Ptr(false), ColorSchemeID: Ptr[int64](6),
		CommitEmail: Ptr("_private"), Discord: Ptr("123456789012345678"),
		ExternUID: Ptr("uid=jdoe,ou=people,dc=example,dc=com"), Provider: Ptr("ldapmain"), External: Ptr(false),
		Linkedin: Ptr("jdoe-li"), Location: Ptr("Paris"), Note: Ptr("updated by automation"),
		Organization: Ptr("ACME"), PrivateProfile: Ptr(false), ProjectsLimit: Ptr[int64](20),
		Pronouns: Ptr("she/her"), PublicEmail: Ptr("jdoe.public@example.com"), Skype: Ptr("jdoe.skype"),
		ThemeID: Ptr[int64](5), Twitter: Ptr("jdoe_tw"), ViewDiffsFileByFile: Ptr(false),
		WebsiteURL: Ptr("https://jdoe.example.com"),
		Auditor:    Ptr(false), GroupIDForSAML: Ptr[int64](78),
		SharedRunnersMinutesLimit: Ptr[int64](1000), ExtraSharedRunnersMinutesLimit: Ptr[int64](0),
	}
	user, resp, err := c.Users.Update(context.Background(), 25, opt)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, usersUpdateWant(t), user)
}

// Update needs only a positive id: no options sends an empty form.
func TestUsersUpdateNoOptions(t *testing.T) {
	c := newTestClient(t)
	mock("PUT", "/users/25").AddMatcher(exactForm("")).
		Reply(200).BodyString(string(fixture(t, "update_user.json")))
	mock("PUT", "/users/25").AddMatcher(exactForm("")).
		Reply(200).BodyString(string(fixture(t, "update_user.json")))

	user, _, err := c.Users.Update(context.Background(), 25, nil)
	require.NoError(t, err)
	require.Equal(t, usersUpdateWant(t), user)
	_, _, err = c.Users.Update(context.Background(), 25, &UpdateUserOptions{})
	require.NoError(t, err)
}

func TestUsersUpdateAvatar(t *testing.T) {
	c := newTestClient(t)
	var got multipartBody
	mock("PUT", "/users/25").AddMatcher(multipartMatcher(&got)).
		Reply(200).BodyString(string(fixture(t, "update_user.json")))

	user, _, err := c.Users.Update(context.Background(), 25, &UpdateUserOptions{
		Name:   Ptr("John Doe II"),
		Avatar: &File{Name: "new.png", Content: strings.NewReader("new-image-bytes")},
	})
	require.NoError(t, err)
	require.Equal(t, usersUpdateWant(t), user)
	assert.Equal(t, map[string][]string{"name": {"John Doe II"}}, got.fields)
	assert.Equal(t, 1, got.files)
	assert.Equal(t, "new.png", got.fileName)
	assert.Equal(t, "new-image-bytes", got.fileBody)
}

func TestUsersUpdateConflict(t *testing.T) {
	c := newTestClient(t)
	mock("PUT", "/users/25").AddMatcher(exactForm(form("username", "taken"))).
		Reply(409).JSON(map[string]string{"message": "Username has already been taken"})

	_, _, err := c.Users.Update(context.Background(), 25, &UpdateUserOptions{Username: Ptr("taken")})
	require.ErrorIs(t, err, ErrConflict)
	var er *ErrorResponse
	require.ErrorAs(t, err, &er)
	assert.Equal(t, "Username has already been taken", er.Message)
}

func TestUsersDelete(t *testing.T) {
	c := newTestClient(t)
	mock("DELETE", "/users/25").AddMatcher(exactQuery(form("hard_delete", "true"))).Reply(204)
	mock("DELETE", "/users/26").AddMatcher(exactQuery("")).Reply(204)

	resp, err := c.Users.Delete(context.Background(), 25, &DeleteUserOptions{HardDelete: Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)

	resp, err = c.Users.Delete(context.Background(), 26, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
}

func TestUsersDeleteSoleOwner(t *testing.T) {
	c := newTestClient(t)
	mock("DELETE", "/users/25").AddMatcher(exactQuery("")).
		Reply(409).BodyString(string(fixture(t, "error_409_user_sole_owner.json")))

	_, err := c.Users.Delete(context.Background(), 25, &DeleteUserOptions{})
	require.ErrorIs(t, err, ErrConflict)
	var er *ErrorResponse
	require.ErrorAs(t, err, &er)
	assert.Equal(t, "User cannot be removed while is the sole-owner of a group", er.Message)
}

func TestUsersDeleteIdentity(t *testing.T) {
	c := newTestClient(t)
	mock("DELETE", "/users/1/identities/github").AddMatcher(exactQuery("")).Reply(204)
	// A provider name is one escaped path segment.
	mock("DELETE", "/users/1/identities/saml%2Fcorp").AddMatcher(exactQuery("")).Reply(204)

	resp, err := c.Users.DeleteIdentity(context.Background(), 1, "github")
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	_, err = c.Users.DeleteIdentity(context.Background(), 1, "saml/corp")
	require.NoError(t, err)
}

func TestUsersDeleteIdentityNotFound(t *testing.T) {
	c := newTestClient(t)
	mock("DELETE", "/users/1/identities/gitlab").Reply(404).BodyString(string(fixture(t, "error_404_identity.json")))

	_, err := c.Users.DeleteIdentity(context.Background(), 1, "gitlab")
	require.ErrorIs(t, err, ErrNotFound)
	var er *ErrorResponse
	require.ErrorAs(t, err, &er)
	assert.Equal(t, "404 Identity Not Found", er.Message)
}

// usersStateCalls are the four state-changing calls by name.
var usersStateCalls = map[string]userAction{
	"block":      (*UsersService).Block,
	"unblock":    (*UsersService).Unblock,
	"deactivate": (*UsersService).Deactivate,
	"activate":   (*UsersService).Activate,
}

// GitLab answers 201 with true, or with null when nothing had to change
// (already blocked, already deactivated): both are success. Its
// documented refusals come back as *ErrorResponse with its own message.
func TestUsersStateChanges(t *testing.T) {
	var cases []endpointCase
	for _, action := range []string{"block", "unblock", "deactivate", "activate"} {
		for _, body := range []string{"true", "null"} {
			cases = append(cases, endpointCase{name: action + " " + body, method: "POST", path: "/users/7/" + action,
				match:  []matcher{exactQuery(""), noBody},
				status: 201, headers: []string{"Content-Type", "application/json"}, body: body,
				call: userActionCall(usersStateCalls[action])})
		}
	}
	for _, r := range []refusal{
		{"block", "error_403_ldap_blocked_modify.json", "403 Forbidden - LDAP blocked users cannot be modified by the API", 403, ErrForbidden},
		{"unblock", "error_403_ldap_blocked_unblock.json", "403 Forbidden - LDAP blocked users cannot be unblocked by the API", 403, ErrForbidden},
		{"deactivate", "error_403_deactivate_recently_active.json", "The user you are trying to deactivate has been active in the past 90 days and cannot be deactivated", 403, ErrForbidden},
		{"activate", "error_403_activate_blocked.json", "Error occurred. A blocked user must be unblocked to be activated", 403, ErrForbidden},
		{"block", "error_404_user.json", "404 User Not Found", 404, ErrNotFound},
		{"unblock", "error_404_user.json", "404 User Not Found", 404, ErrNotFound},
		{"deactivate", "error_404_user.json", "404 User Not Found", 404, ErrNotFound},
		{"activate", "error_404_user.json", "404 User Not Found", 404, ErrNotFound},
	} {
		cases = append(cases, r.endpointCase("POST", usersStateCalls[r.action]))
	}
	runEndpointCases(t, cases)
}

// The state-changing POSTs are safe to repeat, so they are retried.
func TestUsersStateChangesRetried(t *testing.T) {
	for _, action := range []string{"block", "unblock", "deactivate", "activate"} {
		t.Run(action, func(t *testing.T) {
			c := newTestClient(t, WithRetryMax(1), WithRetryWait(0, 0))
			mock("POST", "/users/7/"+action).Reply(502).BodyString("Bad Gateway")
			mock("POST", "/users/7/"+action).Reply(201).BodyString("true")

			_, err := usersStateCalls[action](c.Users, context.Background(), 7)
			require.NoError(t, err)
		})
	}
}

func TestUsersCounts(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/user_counts").AddMatcher(exactQuery("")).
		Reply(200).BodyString(string(fixture(t, "user_counts.json")))

	counts, _, err := c.Users.Counts(context.Background())
	require.NoError(t, err)
	require.Equal(t, &UserCounts{
		MergeRequests: 4, AssignedIssues: 7, AssignedMergeRequests: 4,
		ReviewRequestedMergeRequests: 2, Todos: 12,
	}, counts)
}

// usersActivitiesWant is list_user_activities.json and its page 2 decoded.
func usersActivitiesWant() []*UserActivity {
	return []*UserActivity{
		{Username: "user1", LastActivityOn: isoDate(2015, time.December, 14), LastActivityAt: isoDate(2015, time.December, 14)},
		{Username: "user2", LastActivityOn: isoDate(2015, time.December, 15), LastActivityAt: isoDate(2015, time.December, 15)},
		{Username: "user3", LastActivityOn: isoDate(2015, time.December, 16), LastActivityAt: isoDate(2015, time.December, 16)},
	}
}

func TestUsersListActivities(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/user/activities").AddMatcher(exactQuery(form("from", "2016-03-11", "page", "1", "per_page", "2"))).
		Reply(200).BodyString(string(fixture(t, "list_user_activities.json")))

	from := NewISODate(2016, time.March, 11)
	acts, _, err := c.Users.ListActivities(context.Background(), &ListActivitiesOptions{
		ListOptions: ListOptions{Page: 1, PerPage: 2}, From: &from})
	require.NoError(t, err)
	require.Equal(t, usersActivitiesWant()[:2], acts)
}

// Older GitLab versions sent last_activity_at as a timestamp.
func TestUsersListActivitiesTimestamp(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/user/activities").AddMatcher(exactQuery("")).
		Reply(200).BodyString(`[{"username":"user1","last_activity_on":"2015-12-14","last_activity_at":"2015-12-14T00:00:00Z"}]`)

	acts, _, err := c.Users.ListActivities(context.Background(), nil)
	require.NoError(t, err)
	require.Equal(t, []*UserActivity{{Username: "user1",
		LastActivityOn: isoDate(2015, time.December, 14), LastActivityAt: isoDate(2015, time.December, 14)}}, acts)
}

// Only X-Next-Page, no Link header.
func TestUsersListActivitiesIter(t *testing.T) {
	c := newTestClient(t)
	mockTwoPages(t, "/user/activities", "list_user_activities.json", "list_user_activities_page_2.json", "from", "2015-01-01", "per_page", "2")

	from := NewISODate(2015, time.January, 1)
	opt := &ListActivitiesOptions{ListOptions: ListOptions{PerPage: 2}, From: &from}
	got := collect(t, c.Users.ListActivitiesIter(context.Background(), opt))
	require.Equal(t, usersActivitiesWant(), got)
	assert.Equal(t, ListOptions{PerPage: 2}, opt.ListOptions, "the caller's options are not changed")
}

func TestUsersListMemberships(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/users/5/memberships").AddMatcher(exactQuery(form("type", "Project", "page", "3", "per_page", "10"))).
		Reply(200).BodyString(string(fixture(t, "list_user_memberships.json")))
	mock("GET", "/users/5/memberships").AddMatcher(exactQuery(form("type", "Namespace"))).
		Reply(200).BodyString(string(fixture(t, "list_user_memberships.json")))

	want := []*Membership{
		{SourceID: 1, SourceName: "Project one", SourceType: MembershipTypeProject, AccessLevel: AccessLevelReporter},
		{SourceID: 3, SourceName: "Group three", SourceType: MembershipTypeNamespace, AccessLevel: AccessLevelOwner},
	}
	ms, _, err := c.Users.ListMemberships(context.Background(), 5, &ListMembershipsOptions{
		ListOptions: ListOptions{Page: 3, PerPage: 10}, Type: Ptr(MembershipTypeProject)})
	require.NoError(t, err)
	require.Equal(t, want, ms)

	ms, _, err = c.Users.ListMemberships(context.Background(), 5, &ListMembershipsOptions{Type: Ptr(MembershipTypeNamespace)})
	require.NoError(t, err)
	require.Equal(t, want, ms)
}

// The old docs show access_level as a string ("20"); it reads the same.
func TestUsersListMembershipsStringAccessLevel(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/users/5/memberships").AddMatcher(exactQuery("")).
		Reply(200).BodyString(string(fixture(t, "list_user_memberships_legacy.json")))

	ms, _, err := c.Users.ListMemberships(context.Background(), 5, nil)
	require.NoError(t, err)
	require.Equal(t, []*Membership{
		{SourceID: 1, SourceName: "Project one", SourceType: MembershipTypeProject, AccessLevel: AccessLevelReporter},
		{SourceID: 3, SourceName: "Group three", SourceType: MembershipTypeNamespace, AccessLevel: AccessLevelDeveloper},
	}, ms)
}

func TestUsersListMembershipsBadType(t *testing.T) {
	// GitLab answers 400 "type does not have a valid value" to a type
	// other than Project and Namespace: the SDK refuses it before sending
	// (newTestClient fails the test on any unmocked request).
	c := newTestClient(t)
	_, _, err := c.Users.ListMemberships(context.Background(), 5, &ListMembershipsOptions{Type: Ptr(MembershipType("Group"))})
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.Equal(t, `gitlab: invalid argument: type: "Group" is not one of Project, Namespace`, err.Error())
}

// Link rel="next" and X-Next-Page together.
func TestUsersListMembershipsIter(t *testing.T) {
	c := newTestClient(t)
	page1, _ := mockTwoPages(t, "/users/5/memberships", "list_user_memberships.json", "list_user_memberships_page_2.json", "per_page", "2", "type", "Project")
	page1.SetHeader("Link", `<`+testHost+`/api/v4/users/5/memberships?page=2&per_page=2&type=Project>; rel="next"`)

	opt := &ListMembershipsOptions{ListOptions: ListOptions{PerPage: 2}, Type: Ptr(MembershipTypeProject)}
	got := collect(t, c.Users.ListMembershipsIter(context.Background(), 5, opt))
	require.Equal(t, []*Membership{
		{SourceID: 1, SourceName: "Project one", SourceType: MembershipTypeProject, AccessLevel: AccessLevelReporter},
		{SourceID: 3, SourceName: "Group three", SourceType: MembershipTypeNamespace, AccessLevel: AccessLevelOwner},
		{SourceID: 4, SourceName: "Project four", SourceType: MembershipTypeProject, AccessLevel: AccessLevelPlanner},
	}, got)
	assert.Equal(t, &ListMembershipsOptions{ListOptions: ListOptions{PerPage: 2}, Type: Ptr(MembershipTypeProject)}, opt)
}

func TestUsersAccessLevelJSON(t *testing.T) {
	for in, want := range map[string]AccessLevel{`20`: 20, `"20"`: 20, `50`: 50, `"0"`: 0, ` 30 `: 30} {
		var l AccessLevel
		require.NoError(t, json.Unmarshal([]byte(in), &l), in)
		assert.Equal(t, want, l, in)
	}
	l := AccessLevelGuest
	require.NoError(t, json.Unmarshal([]byte(`null`), &l))
	assert.Equal(t, AccessLevelGuest, l, "null leaves the value unchanged")

	for _, in := range []string{`"Developer"`, `""`, `20.5`, `true`, `{}`, `"2 0"`} {
		var l AccessLevel
		assert.Error(t, json.Unmarshal([]byte(in), &l), in)
	}

	out, err := json.Marshal(Membership{AccessLevel: AccessLevelDeveloper})
	require.NoError(t, err)
	assert.Contains(t, string(out), `"access_level":30`)

	assert.Equal(t, "Developer", AccessLevelDeveloper.String())
	assert.Equal(t, "No access", AccessLevelNone.String())
	assert.Equal(t, "AccessLevel(7)", AccessLevel(7).String())
}

func TestUsersJSONRoundTrip(t *testing.T) {
	assertRoundTrip[User](t, "get_user.json")
	assertRoundTrip[User](t, "get_user_admin.json")
	assertRoundTrip[User](t, "current_user.json")
	assertRoundTrip[User](t, "create_user.json")
	assertRoundTrip[User](t, "update_user.json")
	assertRoundTrip[[]User](t, "list_users.json")
	assertRoundTrip[[]User](t, "list_users_page_2.json")
	assertRoundTrip[UserCounts](t, "user_counts.json")
	assertRoundTrip[[]UserActivity](t, "list_user_activities.json")
	assertRoundTrip[[]Membership](t, "list_user_memberships.json")
	assertRoundTrip[[]Membership](t, "list_user_memberships_page_2.json")
}

func TestUsersCountAssociations(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/users/7/associations_count").AddMatcher(exactQuery("")).
		Reply(200).BodyString(string(fixture(t, "user_associations_count.json")))

	n, _, err := c.Users.CountAssociations(context.Background(), 7)
	require.NoError(t, err)
	require.Equal(t, &UserAssociationsCount{GroupsCount: 2, ProjectsCount: 3, IssuesCount: 8, MergeRequestsCount: 5}, n)
}

func TestUsersPreferences(t *testing.T) {
	want := &UserPreferences{ID: 1, UserID: 1, ViewDiffsFileByFile: true, PolicyAdvancedEditor: true}
	c := newTestClient(t)
	mock("GET", "/user/preferences").AddMatcher(exactQuery("")).
		Reply(200).BodyString(string(fixture(t, "get_user_preferences.json")))
	mock("PUT", "/user/preferences").
		AddMatcher(exactForm(form("view_diffs_file_by_file", "true", "show_whitespace_in_diffs", "false",
			"pass_user_identities_to_ci_jwt", "false", "policy_advanced_editor", "true"))).
		Reply(200).BodyString(string(fixture(t, "get_user_preferences.json")))

	got, _, err := c.Users.GetPreferences(context.Background())
	require.NoError(t, err)
	require.Equal(t, want, got)
	got, _, err = c.Users.UpdatePreferences(context.Background(), &UpdatePreferencesOptions{
		ViewDiffsFileByFile: Ptr(true), ShowWhitespaceInDiffs: Ptr(false),
		PassUserIdentitiesToCIJWT: Ptr(false), PolicyAdvancedEditor: Ptr(true)})
	require.NoError(t, err)
	require.Equal(t, want, got)
}

func TestUsersUploadAvatar(t *testing.T) {
	c := newTestClient(t)
	var got multipartBody
	mock("PUT", "/user/avatar").AddMatcher(multipartMatcher(&got)).
		Reply(200).BodyString(string(fixture(t, "upload_avatar.json")))

	av, _, err := c.Users.UploadAvatar(context.Background(), &File{Name: "avatar.png", Content: strings.NewReader("\x89PNG bytes")})
	require.NoError(t, err)
	require.Equal(t, &Avatar{AvatarURL: "http://gdk.local:3000/uploads/-/system/user/avatar/76/avatar.png"}, av)
	assert.Equal(t, multipartBody{fields: map[string][]string{}, fileName: "avatar.png", fileBody: "\x89PNG bytes", files: 1}, got)
}

func TestUsersCreateRunner(t *testing.T) {
	c := newTestClient(t)
	mock("POST", "/user/runners").
		AddMatcher(exactForm(form("runner_type", "group_type", "group_id", "12", "description", "build box",
			"maintenance_note", "rack 3", "paused", "true", "locked", "false", "run_untagged", "false",
			"tag_list[]", "linux", "tag_list[]", "docker", "access_level", "ref_protected", "maximum_timeout", "3600"))).
		Reply(201).BodyString(string(fixture(t, "create_user_runner.json")))

	r, resp, err := c.Users.CreateRunner(context.Background(), &CreateUserRunnerOptions{
		RunnerType: Ptr(RunnerTypeGroup), GroupID: Ptr[int64](12), Description: Ptr("build box"),
		MaintenanceNote: Ptr("rack 3"), Paused: Ptr(true), Locked: Ptr(false), RunUntagged: Ptr(false),
		TagList: []string{"linux", "docker"}, AccessLevel: Ptr(RunnerAccessLevelRefProtected), MaximumTimeout: Ptr[int64](3600),
	})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	require.Equal(t, &UserRunner{ID: 9171, Token: NewSecret("glrt-kyahzxLaj4Dc1jQf4xjX")}, r)
}

// TestUserRunnerTokenExpiry: GitLab EE's POST /user/runners also takes
// token_expires_at and token_rotation_deadline (timestamps), and
// answers the token's expiry.
func TestUserRunnerTokenExpiry(t *testing.T) {
	c := newTestClient(t)
	mock("POST", "/user/runners").
		AddMatcher(exactForm(form("runner_type", "instance_type",
			"token_expires_at", "2026-12-11T09:30:00Z", "token_rotation_deadline", "2026-12-11T11:30:00+02:00"))).
		Reply(201).BodyString(`{"id": 9172, "token": "glrt-t0k3n", "token_expires_at": "2026-12-11T09:30:00.000Z"}`)

	r, _, err := c.Users.CreateRunner(context.Background(), &CreateUserRunnerOptions{
		RunnerType:            Ptr(RunnerTypeInstance),
		TokenExpiresAt:        Ptr(time.Date(2026, 12, 11, 9, 30, 0, 0, time.UTC)),
		TokenRotationDeadline: Ptr(time.Date(2026, 12, 11, 11, 30, 0, 0, time.FixedZone("", 2*3600))),
	})
	require.NoError(t, err)
	require.Equal(t, &UserRunner{ID: 9172, Token: NewSecret("glrt-t0k3n"),
		TokenExpiresAt: Ptr(time.Date(2026, 12, 11, 9, 30, 0, 0, time.UTC))}, r)
}

// Creating a runner is never retried: each request makes one.
func TestUsersCreateRunnerNotRetried(t *testing.T) {
	c := newTestClient(t, WithRetryMax(2), WithRetryWait(0, 0))
	mock("POST", "/user/runners").Reply(502)

	_, _, err := c.Users.CreateRunner(context.Background(), &CreateUserRunnerOptions{RunnerType: Ptr(RunnerTypeInstance)})
	require.Error(t, err)
}

func TestUsersSupportPIN(t *testing.T) {
	want := &SupportPIN{PIN: NewSecret("123456"), ExpiresAt: Ptr(time.Date(2025, 3, 21, 9, 26, 53, 0, time.UTC))}
	c := newTestClient(t)
	mock("POST", "/user/support_pin").AddMatcher(noBody).
		Reply(201).BodyString(string(fixture(t, "support_pin.json")))
	mock("GET", "/user/support_pin").AddMatcher(exactQuery("")).
		Reply(200).BodyString(string(fixture(t, "support_pin.json")))
	mock("GET", "/users/7/support_pin").AddMatcher(exactQuery("")).
		Reply(200).BodyString(string(fixture(t, "support_pin.json")))
	mock("POST", "/users/7/support_pin/revoke").AddMatcher(noBody).Reply(202).BodyString("202")
	ctx := context.Background()

	pin, resp, err := c.Users.CreateSupportPIN(ctx)
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	require.Equal(t, want, pin)
	pin, _, err = c.Users.GetSupportPIN(ctx)
	require.NoError(t, err)
	require.Equal(t, want, pin)
	pin, _, err = c.Users.GetSupportPINForUser(ctx, 7)
	require.NoError(t, err)
	require.Equal(t, want, pin)
	resp, err = c.Users.RevokeSupportPINForUser(ctx, 7)
	require.NoError(t, err)
	assert.Equal(t, 202, resp.StatusCode)
}

// The new list filters and create/update attributes are sent by their
// GitLab names; the deprecated skype still goes out, for old instances.
func TestUsersNewParameters(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/users").AddMatcher(exactQuery(form("public_email", "jane@example.com", "auditors", "true", "skip_ldap", "true"))).
		Reply(200).BodyString("[]")
	mock("PUT", "/users/7").AddMatcher(exactForm(form("github", "jane-gh", "policy_advanced_editor", "true", "skype", "jane.s"))).
		Reply(200).BodyString(string(fixture(t, "update_user.json")))
	ctx := context.Background()

	_, _, err := c.Users.List(ctx, &ListUsersOptions{PublicEmail: Ptr("jane@example.com"), Auditors: Ptr(true), SkipLDAP: Ptr(true)})
	require.NoError(t, err)
	_, _, err = c.Users.Update(ctx, 7, &UpdateUserOptions{GitHub: Ptr("jane-gh"), PolicyAdvancedEditor: Ptr(true), Skype: Ptr("jane.s")})
	require.NoError(t, err)
}

func TestUsersExtrasJSONRoundTrip(t *testing.T) {
	assertRoundTrip[UserAssociationsCount](t, "user_associations_count.json")
	assertRoundTrip[UserPreferences](t, "get_user_preferences.json")
	assertRoundTrip[Avatar](t, "upload_avatar.json")
	assertRoundTrip[UserRunner](t, "create_user_runner.json")
	assertRoundTrip[SupportPIN](t, "support_pin.json")
}
