package gitlabtest_test

// The contract suite: every SDK method runs end to end against the fake,
// and each case checks both what the SDK returned and what the server
// stored (through the read helpers). TestContract runs the cases and then
// checks that together they reach every route of the fake (see
// sdk_routes_test.go).

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// contractNow is the fake's fixed clock in this suite.
var contractNow = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

// contractCase is one case of TestContract: a name and its test.
type contractCase struct {
	name string
	run  func(*testing.T)
}

// TestContract runs the contract cases in parallel, each on its own
// servers, and then, when all of them ran, checks the routes they reached
// against the fake's routes and the SDK's methods (checkRouteCoverage).
func TestContract(t *testing.T) {
	cases := []contractCase{
		{"UsersCreateGetUpdateDelete", contractUsersCreateGetUpdateDelete},
		{"UsersDeleteSoleOwner", contractUsersDeleteSoleOwner},
		{"UsersListAndIter", contractUsersListAndIter},
		{"UsersVisibilityForNonAdmin", contractUsersVisibilityForNonAdmin},
		{"UsersStateChanges", contractUsersStateChanges},
		{"UsersCountsActivitiesMemberships", contractUsersCountsActivitiesMemberships},
		{"SSHKeys", contractSSHKeys},
		{"GPGKeys", contractGPGKeys},
		{"Emails", contractEmails},
		{"Status", contractUserStatus},
		{"Follows", contractFollows},
		{"ImpersonationTokens", contractImpersonationTokens},
		{"PersonalAccessTokens", contractPersonalAccessTokens},
		{"TokenExpiry", contractTokenExpiry},
		{"ServiceAccounts", contractServiceAccounts},
		{"RetriesAgainstFaults", contractRetriesAgainstFaults},
		{"RateLimit", contractRateLimit},
		{"Moderation", contractModeration},
		{"UsersExtras", contractUsersExtras},
		{"SupportPINExpires", contractSupportPINExpires},
		{"KeyLookups", contractKeyLookups},
		{"GPGRevoke", contractGPGRevoke},
		{"StatusUpdate", contractStatusUpdate},
		{"CustomAttributes", contractCustomAttributes},
		{"GranularToken", contractGranularToken},
		{"ListUsersNewFilters", contractListUsersNewFilters},
	}
	cases = append(cases, memberCases...)     // contract_members_test.go
	cases = append(cases, credentialCases...) // contract_credentials_test.go
	cases = append(cases, enterpriseCases...) // contract_enterprise_test.go
	cases = append(cases, identityCases...)   // contract_identities_test.go
	cases = append(cases, groupLinkCases...)  // contract_group_links_test.go
	cases = append(cases, auditCases...)      // contract_audit_test.go
	var ran atomic.Int64
	t.Run("suite", func(t *testing.T) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				ran.Add(1)
				tc.run(t)
			})
		}
	})
	if ran.Load() == int64(len(cases)) { // not when -run picks some cases
		checkRouteCoverage(t, contractReached.routes())
	}
}

// contractReached collects the routes the contract cases reached.
var contractReached routeSet

// routeSet is a set of "METHOD /pattern" route keys, safe for concurrent
// use.
type routeSet struct {
	mu sync.Mutex
	m  map[string]bool
}

func (r *routeSet) add(counts map[string]int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil {
		r.m = map[string]bool{}
	}
	for k := range counts {
		r.m[k] = true
	}
}

func (r *routeSet) routes() map[string]bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.m)
}

// contractServer starts a server on the suite's clock whose requests
// count in contractReached, and an administrator's client for it.
func contractServer(t *testing.T, opts ...gitlabtest.Option) (*gitlabtest.Server, *gitlab.Client) {
	t.Helper()
	s := gitlabtest.NewServer(append([]gitlabtest.Option{gitlabtest.WithClock(func() time.Time { return contractNow })}, opts...)...)
	t.Cleanup(s.Close)
	t.Cleanup(func() { contractReached.add(s.RequestCounts()) })
	return s, s.Client(gitlab.WithoutRetries())
}

// contractWithJane is contractServer with one user, jane, and her
// client (without retries): how most cases start.
func contractWithJane(t *testing.T) (s *gitlabtest.Server, admin *gitlab.Client, id int64, jane *gitlab.Client) {
	t.Helper()
	s, admin = contractServer(t)
	id, tok := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	return s, admin, id, s.ClientFor(tok, gitlab.WithoutRetries())
}

// contractStatus asserts err is an *ErrorResponse with this status and
// returns it.
func contractStatus(t *testing.T, err error, code int) *gitlab.ErrorResponse {
	t.Helper()
	var er *gitlab.ErrorResponse
	require.True(t, errors.As(err, &er), "want *ErrorResponse, got %v", err)
	require.Equal(t, code, er.StatusCode, er.Error())
	return er
}

func contractCollect[T any](t *testing.T, seq func(func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

func contractUsersCreateGetUpdateDelete(t *testing.T) {
	t.Parallel()
	s, c := contractServer(t)
	ctx := context.Background()

	u, resp, err := c.Users.Create(ctx, &gitlab.CreateUserOptions{
		Email: gitlab.Ptr("jane@example.com"), Username: gitlab.Ptr("jane"), Name: gitlab.Ptr("Jane Doe"),
		Password: gitlab.Ptr("correct horse battery"), SkipConfirmation: gitlab.Ptr(true),
		Bio: gitlab.Ptr("hi"), Location: gitlab.Ptr("Lyon"), ProjectsLimit: gitlab.Ptr(int64(7)),
		ExternUID: gitlab.Ptr("42"), Provider: gitlab.Ptr("github"), External: gitlab.Ptr(true),
		Note: gitlab.Ptr("vip"), ThemeID: gitlab.Ptr(int64(2)), PublicEmail: gitlab.Ptr("jane@example.com"),
		Avatar: &gitlab.File{Name: "me.png", Content: bytes.NewReader([]byte("\x89PNG fake"))},
	})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "jane", u.Username)
	assert.Equal(t, "Jane Doe", u.Name)
	assert.Equal(t, "jane@example.com", u.Email)
	assert.Equal(t, gitlab.UserStateActive, u.State)
	require.NotNil(t, u.Location)
	assert.Equal(t, "Lyon", *u.Location)
	assert.Equal(t, int64(7), u.ProjectsLimit)
	assert.Equal(t, []*gitlab.Identity{{Provider: "github", ExternUID: "42"}}, u.Identities)
	assert.True(t, u.External)
	assert.Equal(t, "vip", u.Note)
	require.NotNil(t, u.CreatedBy)
	assert.Equal(t, int64(1), u.CreatedBy.ID)
	require.NotNil(t, u.CreatedAt)
	assert.True(t, contractNow.Equal(*u.CreatedAt))
	require.NotNil(t, u.ConfirmedAt)
	assert.Equal(t, s.URL+"/jane", u.WebURL)
	assert.Equal(t, s.URL+fmt.Sprintf("/uploads/-/system/user/avatar/%d/me.png", u.ID), u.AvatarURL)

	st, ok := s.User(u.ID)
	require.True(t, ok)
	assert.Equal(t, "correct horse battery", st.Password)
	assert.Equal(t, "me.png", st.AvatarFilename)
	assert.Equal(t, []byte("\x89PNG fake"), st.Avatar)
	assert.Equal(t, 2, st.ThemeID)
	assert.Equal(t, "hi", st.Bio)

	// Conflicts are 409, case-insensitively.
	_, _, err = c.Users.Create(ctx, &gitlab.CreateUserOptions{Email: gitlab.Ptr("x@example.com"), Username: gitlab.Ptr("JANE"),
		Name: gitlab.Ptr("X"), ResetPassword: gitlab.Ptr(true)})
	assert.True(t, errors.Is(err, gitlab.ErrConflict))
	assert.Equal(t, "Username has already been taken", contractStatus(t, err, 409).Message)
	// Model errors come back per field.
	_, _, err = c.Users.Create(ctx, &gitlab.CreateUserOptions{Email: gitlab.Ptr("y@example.com"), Username: gitlab.Ptr("y"),
		Name: gitlab.Ptr("Y"), Password: gitlab.Ptr("short")})
	assert.Equal(t, []string{"is too short (minimum is 8 characters)"}, contractStatus(t, err, 400).Fields["password"])
	assert.Equal(t, 2, s.UserCount())

	// Get: the admin sees the details entity.
	got, _, err := c.Users.Get(ctx, u.ID, &gitlab.GetUserOptions{WithCustomAttributes: gitlab.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, u.ID, got.ID)
	assert.Equal(t, "jane@example.com", got.Email)
	assert.Equal(t, gitlab.AccessLevelNone, got.HighestRole)
	assert.NotNil(t, got.CustomAttributes)

	// Update: a new email waits for confirmation unless told otherwise.
	up, _, err := c.Users.Update(ctx, u.ID, &gitlab.UpdateUserOptions{Name: gitlab.Ptr("Jane Q. Doe"), Email: gitlab.Ptr("jq@example.com"),
		Password: gitlab.Ptr("another long one"), Twitter: gitlab.Ptr("@jq"), Admin: gitlab.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, "Jane Q. Doe", up.Name)
	assert.Equal(t, "jane@example.com", up.Email)
	assert.True(t, up.IsAdmin)
	st, _ = s.User(u.ID)
	assert.Equal(t, "jq@example.com", st.UnconfirmedEmail)
	assert.Equal(t, "another long one", st.Password)
	assert.NotNil(t, st.PasswordExpiresAt, "an admin changing another user's password forces a reset")
	assert.Equal(t, "@jq", st.Twitter)

	up, _, err = c.Users.Update(ctx, u.ID, &gitlab.UpdateUserOptions{Email: gitlab.Ptr("jq@example.com"), SkipReconfirmation: gitlab.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, "jq@example.com", up.Email)
	assert.Equal(t, "jq@example.com", s.Emails(u.ID)[0].Email)

	_, _, err = c.Users.Update(ctx, u.ID, &gitlab.UpdateUserOptions{Email: gitlab.Ptr("ADMIN@example.com")})
	contractStatus(t, err, 409)
	_, _, err = c.Users.Update(ctx, 999, &gitlab.UpdateUserOptions{Name: gitlab.Ptr("x")})
	assert.True(t, errors.Is(err, gitlab.ErrNotFound))

	// DeleteIdentity, then Delete.
	resp, err = c.Users.DeleteIdentity(ctx, u.ID, "github")
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	st, _ = s.User(u.ID)
	assert.Empty(t, st.Identities)
	_, err = c.Users.DeleteIdentity(ctx, u.ID, "github")
	assert.Equal(t, "404 Identity Not Found", contractStatus(t, err, 404).Message)

	resp, err = c.Users.Delete(ctx, u.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	_, ok = s.User(u.ID)
	assert.False(t, ok)
	_, err = c.Users.Delete(ctx, u.ID, nil)
	assert.Equal(t, "404 User Not Found", contractStatus(t, err, 404).Message)
}

func contractUsersDeleteSoleOwner(t *testing.T) {
	t.Parallel()
	s, c := contractServer(t)
	id, _ := s.CreateUser(gitlabtest.UserSpec{Username: "owner", Memberships: []gitlabtest.UserMembership{
		{SourceID: 9, SourceName: "Group nine", SourceType: gitlabtest.SourceNamespace, AccessLevel: gitlabtest.AccessOwner}}})
	_, err := c.Users.Delete(context.Background(), id, nil)
	assert.Equal(t, "User cannot be removed while is the sole-owner of a group", contractStatus(t, err, 409).Message)
	_, ok := s.User(id)
	assert.True(t, ok)
	_, err = c.Users.Delete(context.Background(), id, &gitlab.DeleteUserOptions{HardDelete: gitlab.Ptr(true)})
	require.NoError(t, err)
	_, ok = s.User(id)
	assert.False(t, ok)
}

func contractUsersListAndIter(t *testing.T) {
	t.Parallel()
	s, c := contractServer(t)
	ctx := context.Background()
	ids := s.GenerateUsers(44)
	extID, _ := s.CreateUser(gitlabtest.UserSpec{Username: "ext", External: true, CustomAttributes: map[string]string{"team": "blue"},
		Identities: []gitlabtest.UserIdentity{{Provider: "ldap", ExternUID: "cn=ext"}}, TwoFactorEnabled: true,
		CreatedAt: contractNow.Add(-48 * time.Hour)})

	users, resp, err := c.Users.List(ctx, &gitlab.ListUsersOptions{ListOptions: gitlab.ListOptions{PerPage: 20, Page: 2}})
	require.NoError(t, err)
	assert.Len(t, users, 20)
	assert.Equal(t, 46, resp.TotalItems)
	assert.Equal(t, 3, resp.TotalPages)
	assert.Equal(t, 2, resp.CurrentPage)
	assert.Equal(t, 3, resp.NextPage)
	assert.Equal(t, 1, resp.PrevPage)
	assert.Equal(t, 20, resp.ItemsPerPage)

	all := contractCollect(t, c.Users.ListIter(ctx, &gitlab.ListUsersOptions{ListOptions: gitlab.ListOptions{PerPage: 7}, Sort: gitlab.Ptr(gitlab.SortOrderAsc)}))
	require.Len(t, all, 46)
	for i, u := range all {
		assert.Equal(t, int64(i+1), u.ID)
	}
	assert.Equal(t, ids[0], all[1].ID)

	// Keyset pagination through the iterator.
	keyset := contractCollect(t, c.Users.ListIter(ctx, &gitlab.ListUsersOptions{ListOptions: gitlab.ListOptions{PerPage: 10},
		Pagination: gitlab.Ptr(gitlab.PaginationKeyset), OrderBy: gitlab.Ptr(gitlab.UserOrderByID)}))
	require.Len(t, keyset, 46)
	assert.Equal(t, extID, keyset[0].ID)

	// Filters (admin only ones included).
	for name, opt := range map[string]*gitlab.ListUsersOptions{
		"external":          {External: gitlab.Ptr(true)},
		"username":          {Username: gitlab.Ptr("EXT")},
		"extern_uid":        {ExternUID: gitlab.Ptr("cn=ext"), Provider: gitlab.Ptr("ldap")},
		"custom_attributes": {CustomAttributes: gitlab.Attributes{"team": "blue"}, WithCustomAttributes: gitlab.Ptr(true)},
		"two_factor":        {TwoFactor: gitlab.Ptr(gitlab.TwoFactorFilterEnabled)},
		"created_before":    {CreatedBefore: gitlab.Ptr(contractNow.Add(-time.Hour))},
		"search":            {Search: gitlab.Ptr("ext")},
	} {
		got, _, err := c.Users.List(ctx, opt)
		require.NoError(t, err, name)
		require.Len(t, got, 1, name)
		assert.Equal(t, extID, got[0].ID, name)
	}
	got, _, err := c.Users.List(ctx, &gitlab.ListUsersOptions{Username: gitlab.Ptr("ext"), WithCustomAttributes: gitlab.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, []*gitlab.CustomAttribute{{Key: "team", Value: "blue"}}, got[0].CustomAttributes)

	got, _, err = c.Users.List(ctx, &gitlab.ListUsersOptions{Admins: gitlab.Ptr(true), ExcludeExternal: gitlab.Ptr(true),
		Active: gitlab.Ptr(true), Humans: gitlab.Ptr(true), OrderBy: gitlab.Ptr(gitlab.UserOrderByUsername)})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "root", got[0].Username)

	_, _, err = c.Users.List(ctx, &gitlab.ListUsersOptions{ListOptions: gitlab.ListOptions{Page: 600, PerPage: 100}})
	contractStatus(t, err, 405)
	assert.Equal(t, 46, s.UserCount())
}

func contractUsersVisibilityForNonAdmin(t *testing.T) {
	t.Parallel()
	s, _ := contractServer(t)
	ctx := context.Background()
	janeID, jane := s.CreateUser(gitlabtest.UserSpec{Username: "jane", Email: "jane@corp.example"})
	s.CreateUser(gitlabtest.UserSpec{Username: "blocked", State: gitlabtest.StateBlocked})
	c := s.ClientFor(jane, gitlab.WithoutRetries())

	me, _, err := c.Users.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, janeID, me.ID)
	assert.Equal(t, "jane@corp.example", me.Email)
	assert.False(t, me.IsAdmin)

	root, _, err := c.Users.Get(ctx, 1, nil)
	require.NoError(t, err)
	assert.Empty(t, root.Email, "non-admins never see private emails")
	assert.Equal(t, "root", root.Username)

	list, _, err := c.Users.List(ctx, &gitlab.ListUsersOptions{Admins: gitlab.Ptr(true)})
	require.NoError(t, err)
	assert.Len(t, list, 2, "admins=true is ignored and blocked users are hidden")
	for _, u := range list {
		assert.Empty(t, u.Email)
	}
	_, err = c.Users.Block(ctx, 1)
	assert.True(t, errors.Is(err, gitlab.ErrForbidden))

	// Sudo through the admin client.
	admin := s.Client(gitlab.WithoutRetries())
	me, _, err = admin.Users.Current(ctx, gitlab.WithSudo(gitlab.Username("jane")))
	require.NoError(t, err)
	assert.Equal(t, janeID, me.ID)
}

func contractUsersStateChanges(t *testing.T) {
	t.Parallel()
	s, c := contractServer(t)
	ctx := context.Background()
	id, _ := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	state := func() gitlab.UserState { u, _ := s.User(id); return u.State }

	resp, err := c.Users.Block(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, gitlabtest.StateBlocked, state())
	_, err = c.Users.Block(ctx, id)
	require.NoError(t, err, "blocking a blocked user is 201 null")
	_, err = c.Users.Deactivate(ctx, id)
	assert.Equal(t, "Error occurred. A blocked user cannot be deactivated", contractStatus(t, err, 403).Message)
	_, err = c.Users.Activate(ctx, id)
	contractStatus(t, err, 403)

	_, err = c.Users.Unblock(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, gitlabtest.StateActive, state())
	_, err = c.Users.Deactivate(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, gitlabtest.StateDeactivated, state())
	_, err = c.Users.Deactivate(ctx, id)
	require.NoError(t, err)
	_, err = c.Users.Unblock(ctx, id)
	contractStatus(t, err, 403)
	_, err = c.Users.Activate(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, gitlabtest.StateActive, state())
	_, err = c.Users.Block(ctx, 4242)
	assert.True(t, errors.Is(err, gitlab.ErrNotFound))
}

func contractUsersCountsActivitiesMemberships(t *testing.T) {
	t.Parallel()
	s, c := contractServer(t)
	ctx := context.Background()
	id, tok := s.CreateUser(gitlabtest.UserSpec{Username: "jane", Counts: gitlabtest.Counts{AssignedIssues: 3, AssignedMergeRequests: 2,
		ReviewRequestedMergeRequests: 1, Todos: 9},
		Memberships: []gitlabtest.UserMembership{
			{SourceID: 1, SourceName: "Project one", SourceType: gitlabtest.SourceProject, AccessLevel: gitlabtest.AccessDeveloper},
			{SourceID: 3, SourceName: "Group three", SourceType: gitlabtest.SourceNamespace, AccessLevel: gitlabtest.AccessReporter},
			{SourceID: 4, SourceName: "Project four", SourceType: gitlabtest.SourceProject, AccessLevel: gitlabtest.AccessMaintainer},
		}})
	old, _ := s.CreateUser(gitlabtest.UserSpec{Username: "old", LastActivityOn: contractNow.AddDate(-1, 0, 0)})
	s.CreateUser(gitlabtest.UserSpec{Username: "recent", LastActivityOn: contractNow.AddDate(0, 0, -3)})

	counts, _, err := s.ClientFor(tok).Users.Counts(ctx)
	require.NoError(t, err)
	assert.Equal(t, &gitlab.UserCounts{AssignedIssues: 3, AssignedMergeRequests: 2, ReviewRequestedMergeRequests: 1, Todos: 9, MergeRequests: 2}, counts)

	// The admin's own calls count as activity today; "old" is out of range.
	acts, _, err := c.Users.ListActivities(ctx, nil)
	require.NoError(t, err)
	var names []string
	for _, a := range acts {
		names = append(names, a.Username)
		assert.Equal(t, a.LastActivityOn.String(), a.LastActivityAt.String())
	}
	assert.Equal(t, []string{"recent", "root", "jane"}, names, "by day, then ID")
	from := gitlab.NewISODate(2000, 1, 1)
	all := contractCollect(t, c.Users.ListActivitiesIter(ctx, &gitlab.ListActivitiesOptions{From: &from, ListOptions: gitlab.ListOptions{PerPage: 1}}))
	require.Len(t, all, 4)
	assert.Equal(t, "old", all[0].Username)
	assert.Equal(t, contractNow.AddDate(-1, 0, 0).Format("2006-01-02"), all[0].LastActivityOn.String())
	_ = old

	ms, _, err := c.Users.ListMemberships(ctx, id, &gitlab.ListMembershipsOptions{Type: gitlab.Ptr(gitlab.MembershipTypeProject)})
	require.NoError(t, err)
	assert.Equal(t, []*gitlab.Membership{
		{SourceID: 1, SourceName: "Project one", SourceType: gitlab.MembershipTypeProject, AccessLevel: gitlab.AccessLevelDeveloper},
		{SourceID: 4, SourceName: "Project four", SourceType: gitlab.MembershipTypeProject, AccessLevel: gitlab.AccessLevelMaintainer},
	}, ms)
	allMs := contractCollect(t, c.Users.ListMembershipsIter(ctx, id, &gitlab.ListMembershipsOptions{ListOptions: gitlab.ListOptions{PerPage: 2}}))
	require.Len(t, allMs, 3)
	assert.Equal(t, gitlab.MembershipTypeNamespace, allMs[1].SourceType)
	got, _, err := c.Users.Get(ctx, id, nil)
	require.NoError(t, err)
	assert.Equal(t, gitlab.AccessLevelMaintainer, got.HighestRole)
}

func contractSSHKeys(t *testing.T) {
	t.Parallel()
	s, admin := contractServer(t)
	ctx := context.Background()
	id, tok := s.CreateUser(gitlabtest.UserSpec{Username: "jane", Name: "Jane Doe"})
	c := s.ClientFor(tok, gitlab.WithoutRetries())
	base, err := url.Parse(s.URL)
	require.NoError(t, err)
	host := base.Hostname()

	exp := contractNow.Add(30 * 24 * time.Hour)
	k, resp, err := c.SSHKeys.Create(ctx, &gitlab.CreateSSHKeyOptions{Title: gitlab.Ptr("laptop"), Key: gitlab.Ptr(gitlabtest.FakeSSHKey("a")),
		ExpiresAt: &exp, UsageType: gitlab.Ptr(gitlab.SSHKeyUsageTypeAuth)})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "laptop", k.Title)
	assert.Equal(t, gitlab.SSHKeyUsageTypeAuth, k.UsageType)
	require.NotNil(t, k.ExpiresAt)
	assert.True(t, exp.Equal(*k.ExpiresAt))
	assert.True(t, strings.HasSuffix(k.Key, " Jane Doe ("+host+")"), k.Key)
	stored := s.SSHKeys(id)
	require.Len(t, stored, 1)
	assert.Equal(t, gitlabtest.FakeSSHKey("a"), stored[0].Key)
	assert.Equal(t, k.ID, stored[0].ID)

	_, _, err = c.SSHKeys.Create(ctx, &gitlab.CreateSSHKeyOptions{Title: gitlab.Ptr("again"), Key: gitlab.Ptr(gitlabtest.FakeSSHKey("a"))})
	assert.Equal(t, []string{"has already been taken"}, contractStatus(t, err, 400).Fields["fingerprint_sha256"])
	_, _, err = c.SSHKeys.Create(ctx, &gitlab.CreateSSHKeyOptions{Title: gitlab.Ptr("bad"), Key: gitlab.Ptr("ssh-rsa nope")})
	contractStatus(t, err, 400)

	k2, _, err := admin.SSHKeys.CreateForUser(ctx, id, &gitlab.CreateSSHKeyOptions{Title: gitlab.Ptr("ci"), Key: gitlab.Ptr(gitlabtest.FakeSSHKey("b"))})
	require.NoError(t, err)
	assert.Equal(t, gitlab.SSHKeyUsageTypeAuthAndSigning, k2.UsageType)
	_, _, err = c.SSHKeys.CreateForUser(ctx, id, &gitlab.CreateSSHKeyOptions{Title: gitlab.Ptr("x"), Key: gitlab.Ptr(gitlabtest.FakeSSHKey("c"))})
	contractStatus(t, err, 403)

	list, resp, err := c.SSHKeys.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, resp.TotalItems)
	assert.Equal(t, []int64{k.ID, k2.ID}, []int64{list[0].ID, list[1].ID})
	assert.Len(t, contractCollect(t, c.SSHKeys.ListIter(ctx, &gitlab.ListOptions{PerPage: 1})), 2)

	byName, _, err := s.ClientFor("").SSHKeys.ListForUser(ctx, gitlab.Username("JANE"), nil)
	require.NoError(t, err, "listing a user's keys needs no token")
	assert.Len(t, byName, 2)
	assert.Len(t, contractCollect(t, admin.SSHKeys.ListForUserIter(ctx, gitlab.UserID(id), &gitlab.ListOptions{PerPage: 1})), 2)
	_, _, err = admin.SSHKeys.ListForUser(ctx, gitlab.Username("nobody"), nil)
	assert.Equal(t, "404 User Not Found", contractStatus(t, err, 404).Message)

	got, _, err := c.SSHKeys.Get(ctx, k.ID)
	require.NoError(t, err)
	assert.Equal(t, k, got)
	_, _, err = admin.SSHKeys.Get(ctx, k.ID)
	assert.Equal(t, "404 Key Not Found", contractStatus(t, err, 404).Message, "an admin's own /user/keys/:id")

	resp, err = c.SSHKeys.Delete(ctx, k.ID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	_, err = admin.SSHKeys.DeleteForUser(ctx, id, k2.ID)
	require.NoError(t, err)
	assert.Empty(t, s.SSHKeys(id))
	_, err = admin.SSHKeys.DeleteForUser(ctx, id, k2.ID)
	assert.Equal(t, "404 Key Not Found", contractStatus(t, err, 404).Message)
}

func contractGPGKeys(t *testing.T) {
	t.Parallel()
	s, admin, id, c := contractWithJane(t)
	ctx := context.Background()

	k, resp, err := c.GPGKeys.Create(ctx, &gitlab.CreateGPGKeyOptions{Key: gitlab.Ptr(gitlabtest.FakeGPGKey("a"))})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, gitlabtest.FakeGPGKey("a"), k.Key)
	require.NotNil(t, k.CreatedAt)
	assert.True(t, contractNow.Equal(*k.CreatedAt))
	_, _, err = c.GPGKeys.Create(ctx, &gitlab.CreateGPGKeyOptions{Key: gitlab.Ptr("not a key")})
	contractStatus(t, err, 400)

	k2, _, err := admin.GPGKeys.CreateForUser(ctx, id, &gitlab.CreateGPGKeyOptions{Key: gitlab.Ptr(gitlabtest.FakeGPGKey("b"))})
	require.NoError(t, err)
	stored := s.GPGKeys(id)
	require.Len(t, stored, 2)
	assert.Equal(t, []int64{k.ID, k2.ID}, []int64{stored[0].ID, stored[1].ID})

	list, _, err := c.GPGKeys.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, list, 2)
	assert.Len(t, contractCollect(t, c.GPGKeys.ListIter(ctx, &gitlab.ListOptions{PerPage: 1})), 2)
	anon := s.ClientFor("")
	forUser, _, err := anon.GPGKeys.ListForUser(ctx, id, nil)
	require.NoError(t, err, "GPG keys of a user are public")
	assert.Len(t, forUser, 2)
	assert.Len(t, contractCollect(t, anon.GPGKeys.ListForUserIter(ctx, id, &gitlab.ListOptions{PerPage: 1})), 2)

	got, _, err := c.GPGKeys.Get(ctx, k.ID)
	require.NoError(t, err)
	assert.Equal(t, k, got)
	got, _, err = anon.GPGKeys.GetForUser(ctx, id, k2.ID)
	require.NoError(t, err)
	assert.Equal(t, k2, got)
	_, _, err = admin.GPGKeys.Get(ctx, k.ID)
	assert.Equal(t, "404 GPG Key Not Found", contractStatus(t, err, 404).Message)

	_, err = c.GPGKeys.Delete(ctx, k.ID)
	require.NoError(t, err)
	_, err = admin.GPGKeys.DeleteForUser(ctx, id, k2.ID)
	require.NoError(t, err)
	assert.Empty(t, s.GPGKeys(id))
	_, err = c.GPGKeys.DeleteForUser(ctx, id, k2.ID)
	contractStatus(t, err, 403)
}

func contractEmails(t *testing.T) {
	t.Parallel()
	s, admin, id, c := contractWithJane(t)
	ctx := context.Background()

	e, resp, err := c.Emails.Create(ctx, &gitlab.CreateEmailOptions{Email: gitlab.Ptr("jane.alt@example.com")})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "jane.alt@example.com", e.Email)
	assert.Nil(t, e.ConfirmedAt)
	_, _, err = c.Emails.Create(ctx, &gitlab.CreateEmailOptions{Email: gitlab.Ptr("ADMIN@example.com")})
	assert.Equal(t, []string{"has already been taken"}, contractStatus(t, err, 400).Fields["email"], "never 409 here")

	e2, _, err := admin.Emails.CreateForUser(ctx, id, &gitlab.CreateEmailOptions{Email: gitlab.Ptr("jane.work@example.com"), SkipConfirmation: gitlab.Ptr(true)})
	require.NoError(t, err)
	require.NotNil(t, e2.ConfirmedAt)
	assert.True(t, contractNow.Equal(*e2.ConfirmedAt))

	list, _, err := c.Emails.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, list, 3)
	assert.Equal(t, "jane@example.com", list[0].Email, "the primary email comes first")
	assert.Len(t, contractCollect(t, c.Emails.ListIter(ctx, &gitlab.ListOptions{PerPage: 2})), 3)
	forUser, _, err := admin.Emails.ListForUser(ctx, id, nil)
	require.NoError(t, err)
	assert.Len(t, forUser, 3)
	assert.Len(t, contractCollect(t, admin.Emails.ListForUserIter(ctx, id, &gitlab.ListOptions{PerPage: 1})), 3)
	_, _, err = c.Emails.ListForUser(ctx, id, nil)
	contractStatus(t, err, 403)

	got, _, err := c.Emails.Get(ctx, e.ID)
	require.NoError(t, err)
	assert.Equal(t, e, got)
	_, _, err = admin.Emails.Get(ctx, e.ID)
	assert.Equal(t, "404 Email Not Found", contractStatus(t, err, 404).Message)

	_, err = c.Emails.Delete(ctx, e.ID)
	require.NoError(t, err)
	_, err = admin.Emails.DeleteForUser(ctx, id, e2.ID)
	require.NoError(t, err)
	stored := s.Emails(id)
	require.Len(t, stored, 1)
	assert.True(t, stored[0].Primary)
}

func contractUserStatus(t *testing.T) {
	t.Parallel()
	s, admin, id, c := contractWithJane(t)
	ctx := context.Background()

	st, _, err := c.Status.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, &gitlab.UserStatus{}, st)

	st, resp, err := c.Status.Set(ctx, &gitlab.SetStatusOptions{Emoji: gitlab.Ptr("coffee"), Message: gitlab.Ptr("I crave coffee"),
		Availability: gitlab.Ptr(gitlab.AvailabilityBusy), ClearStatusAfter: gitlab.Ptr(gitlab.ClearStatusAfter("3_hours"))})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	clearAt := contractNow.Add(3 * time.Hour)
	assert.Equal(t, &gitlab.UserStatus{Emoji: "coffee", Message: "I crave coffee", Availability: gitlab.AvailabilityBusy,
		MessageHTML: "I crave coffee", ClearStatusAt: &clearAt}, st)
	stored, ok := s.Status(id)
	require.True(t, ok)
	assert.Equal(t, "coffee", stored.Emoji)

	for _, ref := range []gitlab.UserRef{gitlab.UserID(id), gitlab.Username("JANE")} {
		got, _, err := s.ClientFor("").Status.GetForUser(ctx, ref)
		require.NoError(t, err)
		assert.Equal(t, st, got)
	}
	_, _, err = admin.Status.GetForUser(ctx, gitlab.Username("ghost"))
	contractStatus(t, err, 404)

	// Set with nothing clears it (PUT semantics).
	_, _, err = c.Status.Set(ctx, nil)
	require.NoError(t, err)
	_, ok = s.Status(id)
	assert.False(t, ok)
}

func contractFollows(t *testing.T) {
	t.Parallel()
	s, _ := contractServer(t)
	ctx := context.Background()
	janeID, jane := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	bobID, _ := s.CreateUser(gitlabtest.UserSpec{Username: "bob"})
	carlID, _ := s.CreateUser(gitlabtest.UserSpec{Username: "carl"})
	c := s.ClientFor(jane, gitlab.WithoutRetries())

	u, resp, err := c.Follows.Follow(ctx, bobID)
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "bob", u.Username)
	u, resp, err = c.Follows.Follow(ctx, bobID)
	require.NoError(t, err)
	assert.Equal(t, 304, resp.StatusCode)
	assert.Nil(t, u, "304 gives a nil user")
	_, _, err = c.Follows.Follow(ctx, carlID)
	require.NoError(t, err)
	assert.Equal(t, []int64{bobID, carlID}, s.Following(janeID))

	following, _, err := c.Follows.ListFollowing(ctx, janeID, nil)
	require.NoError(t, err)
	assert.Equal(t, []int64{bobID, carlID}, []int64{following[0].ID, following[1].ID})
	assert.Len(t, contractCollect(t, c.Follows.ListFollowingIter(ctx, janeID, &gitlab.ListOptions{PerPage: 1})), 2)
	followers, _, err := c.Follows.ListFollowers(ctx, bobID, nil)
	require.NoError(t, err)
	require.Len(t, followers, 1)
	assert.Equal(t, janeID, followers[0].ID)
	assert.Len(t, contractCollect(t, c.Follows.ListFollowersIter(ctx, carlID, &gitlab.ListOptions{PerPage: 1})), 1)

	bob, _, err := c.Users.Get(ctx, bobID, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, bob.Followers)
	assert.True(t, bob.IsFollowed)

	u, _, err = c.Follows.Unfollow(ctx, bobID)
	require.NoError(t, err)
	assert.Equal(t, bobID, u.ID)
	u, resp, err = c.Follows.Unfollow(ctx, bobID)
	require.NoError(t, err)
	assert.Equal(t, 304, resp.StatusCode)
	assert.Nil(t, u)
	assert.Equal(t, []int64{carlID}, s.Following(janeID))
}

func contractImpersonationTokens(t *testing.T) {
	t.Parallel()
	s, c := contractServer(t)
	ctx := context.Background()
	id, _ := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})

	exp := gitlab.NewISODate(2025, 4, 4)
	tok, resp, err := c.ImpersonationTokens.Create(ctx, id, &gitlab.CreateImpersonationTokenOptions{Name: gitlab.Ptr("mytoken"),
		Description: gitlab.Ptr("for the migration"), ExpiresAt: &exp, Scopes: []string{gitlab.ScopeAPI, gitlab.ScopeReadUser}})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	require.NotEmpty(t, tok.Token)
	assert.Equal(t, "mytoken", tok.Name)
	assert.Equal(t, "for the migration", tok.Description)
	assert.Equal(t, []string{"api", "read_user"}, tok.Scopes)
	assert.True(t, tok.Active)
	assert.True(t, tok.Impersonation)
	assert.Equal(t, id, tok.UserID)
	require.NotNil(t, tok.ExpiresAt)
	assert.Equal(t, "2025-04-04", tok.ExpiresAt.String())
	stored := s.ImpersonationTokens(id)
	require.Len(t, stored, 1)
	assert.Equal(t, tok.Token.Value(), stored[0].Token)

	// The token authenticates as jane.
	me, _, err := s.ClientFor(tok.Token.Value()).Users.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, id, me.ID)

	past := gitlab.NewISODate(2016, 12, 28)
	old, _, err := c.ImpersonationTokens.Create(ctx, id, &gitlab.CreateImpersonationTokenOptions{Name: gitlab.Ptr("old"),
		ExpiresAt: &past, Scopes: []string{gitlab.ScopeReadAPI}})
	require.NoError(t, err, "past dates are accepted")
	assert.False(t, old.Active)
	_, _, err = c.ImpersonationTokens.Create(ctx, id, &gitlab.CreateImpersonationTokenOptions{Name: gitlab.Ptr("x"),
		ExpiresAt: &exp, Scopes: []string{"no_such_scope"}})
	assert.Contains(t, contractStatus(t, err, 400).Fields, "scopes")

	got, _, err := c.ImpersonationTokens.Get(ctx, id, tok.ID)
	require.NoError(t, err)
	assert.Empty(t, got.Token, "the value is shown only at creation")
	assert.Equal(t, tok.ID, got.ID)
	require.NotNil(t, got.LastUsedAt)

	active, _, err := c.ImpersonationTokens.List(ctx, id, &gitlab.ListImpersonationTokensOptions{State: gitlab.Ptr(gitlab.TokenStateActive)})
	require.NoError(t, err)
	require.Len(t, active, 1)
	assert.Equal(t, tok.ID, active[0].ID)
	all := contractCollect(t, c.ImpersonationTokens.ListIter(ctx, id, &gitlab.ListImpersonationTokensOptions{ListOptions: gitlab.ListOptions{PerPage: 1}}))
	assert.Len(t, all, 2, "personal tokens are not listed")

	resp, err = c.ImpersonationTokens.Revoke(ctx, id, tok.ID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	assert.True(t, s.ImpersonationTokens(id)[0].Revoked)
	_, _, err = s.ClientFor(tok.Token.Value()).Users.Current(ctx)
	assert.True(t, errors.Is(err, gitlab.ErrUnauthorized), "a revoked token no longer authenticates")
	got, _, err = c.ImpersonationTokens.Get(ctx, id, tok.ID)
	require.NoError(t, err)
	assert.True(t, got.Revoked)
	assert.False(t, got.Active)
	_, _, err = c.ImpersonationTokens.Get(ctx, id, 999)
	assert.Equal(t, "404 Impersonation Token Not Found", contractStatus(t, err, 404).Message)
}

func contractRetriesAgainstFaults(t *testing.T) {
	t.Parallel()
	s, _ := contractServer(t)
	id, _ := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	s.Configure(gitlabtest.WithFaults(0.5, 7, gitlabtest.FaultStatus503, gitlabtest.FaultStatus502))
	c := s.Client(gitlab.WithRetryMax(10), gitlab.WithRetryWait(time.Millisecond, 2*time.Millisecond))
	for range 10 {
		_, err := c.Users.Block(context.Background(), id)
		require.NoError(t, err, "block is idempotent and retried")
	}
	u, _ := s.User(id)
	assert.Equal(t, gitlabtest.StateBlocked, u.State)
	assert.Equal(t, s.RouteCount("POST", "/users/:id/block"), 10+s.FaultCount())
	assert.Positive(t, s.FaultCount())
}

func contractRateLimit(t *testing.T) {
	t.Parallel()
	s, _ := contractServer(t, gitlabtest.WithRateLimit(1, time.Minute, 90*time.Second))
	c := s.Client(gitlab.WithRetryWait(time.Millisecond, time.Second))
	_, _, err := c.Users.Current(context.Background())
	require.NoError(t, err)
	_, _, err = c.Users.Current(context.Background())
	er := contractStatus(t, err, 429)
	assert.True(t, errors.Is(err, gitlab.ErrRateLimited))
	assert.Equal(t, 90*time.Second, er.RetryAfter)
	assert.Equal(t, 1, s.RateLimitedCount(), "a wait longer than the retry max is not retried")
}
