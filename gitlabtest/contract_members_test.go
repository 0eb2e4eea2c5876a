package gitlabtest_test

// Contract cases of the Members, Invitations and AccessRequests
// services: each method against the fake, for groups and projects, the
// decoded answer, the fake's state afterwards (Members, Invitations,
// AccessRequests) and GitLab's refusals as typed errors. TestContract
// runs them with the others.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// memberCases are the contract cases of this file, in TestContract's
// table.
var memberCases = []contractCase{
	{"MembersAddGetUpdateRemoveGroup", contractMembersGroup},
	{"MembersAddGetUpdateRemoveProject", contractMembersProject},
	{"MembersNotFoundTexts", contractMembersNotFound},
	{"MembersLastOwner", contractMembersLastOwner},
	{"MembersGrantCap", contractMembersGrantCap},
	{"MembersListFiltersAndPages", contractMembersListPages},
	{"MembersAddMany", contractMembersAddMany},
	{"MembersEffective", contractMembersEffective},
	{"MembersBillable", contractMembersBillable},
	{"MembersPendingUserCap", contractMembersPending},
	{"MembersStateAndOverride", contractMembersStateOverride},
	{"Invitations", contractInvitations},
	{"InvitationsProject", contractInvitationsProject},
	{"AccessRequests", contractAccessRequests},
	{"MembersRetriesAgainstFaults", contractMembersRetries},
}

// memberWorldC is a hierarchy for the member cases: the group top (owner
// is its Owner), its subgroup top/sub, the project top/sub/app (maint
// is its Maintainer), the group other, and users dev, jane and stranger
// with no membership. clients holds a client (without retries) per
// user, "root" the administrator's.
type memberWorldC struct {
	s                  *gitlabtest.Server
	ids                map[string]int64
	c                  map[string]*gitlab.Client
	top, sub, app, oth int64
}

func contractMemberWorld(t *testing.T, opts ...gitlabtest.Option) memberWorldC {
	t.Helper()
	s, admin := contractServer(t, opts...)
	w := memberWorldC{s: s, ids: map[string]int64{}, c: map[string]*gitlab.Client{"root": admin}}
	for _, n := range []string{"owner", "maint", "dev", "jane", "stranger"} {
		id, tok := s.CreateUser(gitlabtest.UserSpec{Username: n, Name: "N " + n, Email: n + "@example.com"})
		w.ids[n], w.c[n] = id, s.ClientFor(tok, gitlab.WithoutRetries())
	}
	w.top = s.CreateGroup(gitlabtest.GroupSpec{Path: "top", Visibility: "internal", Owners: []int64{w.ids["owner"]}})
	w.sub = s.CreateGroup(gitlabtest.GroupSpec{Path: "sub", ParentID: w.top, Visibility: "internal"})
	w.app = s.CreateProject(gitlabtest.ProjectSpec{Path: "app", GroupID: w.sub, Visibility: "internal", Maintainers: []int64{w.ids["maint"]}})
	w.oth = s.CreateGroup(gitlabtest.GroupSpec{Path: "other", Visibility: "internal"})
	return w
}

// levels maps each user of rows to their access level.
func levels(rows []gitlabtest.MemberSnapshot) map[int64]int {
	out := map[int64]int{}
	for _, m := range rows {
		out[m.UserID] = m.AccessLevel
	}
	return out
}

// usernames returns the usernames of members, in order.
func usernames(members []*gitlab.Member) []string {
	out := []string{}
	for _, m := range members {
		out = append(out, m.Username)
	}
	return out
}

// memberErr asserts err is an *ErrorResponse with this status and
// GitLab's message.
func memberErr(t *testing.T, err error, code int, message string) *gitlab.ErrorResponse {
	t.Helper()
	er := contractStatus(t, err, code)
	assert.Equal(t, message, er.Message)
	return er
}

func contractMembersGroup(t *testing.T) {
	t.Parallel()
	w := contractMemberWorld(t)
	ctx := context.Background()
	sub := gitlab.GroupPath("top/sub") // sent as top%2Fsub
	subSrc := gitlabtest.GroupSource(w.sub)
	owner := w.c["owner"]
	expires := gitlab.NewISODate(2025, 6, 30)

	m, resp, err := owner.Members.Add(ctx, sub, &gitlab.AddMemberOptions{UserID: gitlab.Ptr(w.ids["dev"]),
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelDeveloper), ExpiresAt: &expires})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, w.ids["dev"], m.ID)
	assert.Equal(t, "dev", m.Username)
	assert.Equal(t, "N dev", m.Name)
	assert.Equal(t, gitlab.AccessLevelDeveloper, m.AccessLevel)
	require.NotNil(t, m.ExpiresAt)
	assert.Equal(t, expires, *m.ExpiresAt)
	require.NotNil(t, m.CreatedBy)
	assert.Equal(t, "owner", m.CreatedBy.Username)
	require.NotNil(t, m.CreatedAt)
	assert.True(t, contractNow.Equal(*m.CreatedAt))
	assert.Equal(t, gitlab.MemberStateActive, m.MembershipState)
	assert.Empty(t, m.Email, "only administrators see the email")
	assert.Equal(t, w.s.URL+"/dev", m.WebURL)

	rows := w.s.Members(subSrc)
	require.Len(t, rows, 1)
	assert.Equal(t, w.ids["dev"], rows[0].UserID)
	assert.Equal(t, gitlabtest.AccessDeveloper, rows[0].AccessLevel)
	assert.Equal(t, w.ids["owner"], rows[0].CreatedByID)
	require.NotNil(t, rows[0].ExpiresAt)
	assert.Equal(t, expires.Time(), *rows[0].ExpiresAt)

	// By username (case-sensitive on this path), as the administrator,
	// who sees the email.
	m, _, err = w.c["root"].Members.Add(ctx, gitlab.GroupID(w.sub), &gitlab.AddMemberOptions{Username: gitlab.Ptr("jane"),
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelReporter)})
	require.NoError(t, err)
	assert.Equal(t, "jane@example.com", m.Email)
	assert.Nil(t, m.ExpiresAt)
	_, _, err = owner.Members.Add(ctx, sub, &gitlab.AddMemberOptions{Username: gitlab.Ptr("STRANGER"), AccessLevel: gitlab.Ptr(gitlab.AccessLevelGuest)})
	memberErr(t, err, 404, "404 User Not Found")

	// The refusals of a second add, a past expiry and an invalid level.
	_, _, err = owner.Members.Add(ctx, sub, &gitlab.AddMemberOptions{UserID: gitlab.Ptr(w.ids["dev"]), AccessLevel: gitlab.Ptr(gitlab.AccessLevelGuest)})
	memberErr(t, err, 409, "Member already exists")
	assert.True(t, errors.Is(err, gitlab.ErrConflict))
	past := gitlab.NewISODate(2025, 3, 13)
	_, _, err = owner.Members.Add(ctx, sub, &gitlab.AddMemberOptions{UserID: gitlab.Ptr(w.ids["stranger"]),
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelGuest), ExpiresAt: &past})
	assert.Equal(t, []string{"cannot be a date in the past"}, contractStatus(t, err, 400).Fields["expires_at"])
	today := gitlab.DateOf(contractNow)
	_, _, err = owner.Members.Add(ctx, sub, &gitlab.AddMemberOptions{UserID: gitlab.Ptr(w.ids["stranger"]),
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelGuest), ExpiresAt: &today})
	require.NoError(t, err, "today is allowed")
	assert.Len(t, w.s.Members(subSrc), 3)

	// Get: the direct member; List: the direct members by member ID.
	got, _, err := w.c["dev"].Members.Get(ctx, sub, w.ids["jane"])
	require.NoError(t, err)
	assert.Equal(t, gitlab.AccessLevelReporter, got.AccessLevel)
	assert.Equal(t, "root", got.CreatedBy.Username, "created_by is who added the member")
	// (stranger's membership ends today: from 00:00 UTC it counts for
	// nothing, as Member#expired? compares the date with the time.)
	list, resp, err := w.c["dev"].Members.List(ctx, sub, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"dev", "jane"}, usernames(list))
	assert.Equal(t, 2, resp.TotalItems)

	// Update: level and expiry; without an expiry it is kept; a past
	// expiry is refused.
	later := gitlab.NewISODate(2026, 1, 1)
	m, resp, err = owner.Members.Update(ctx, sub, w.ids["jane"], &gitlab.UpdateMemberOptions{
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelMaintainer), ExpiresAt: &later})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, gitlab.AccessLevelMaintainer, m.AccessLevel)
	assert.Equal(t, later, *m.ExpiresAt)
	m, _, err = owner.Members.Update(ctx, sub, w.ids["jane"], &gitlab.UpdateMemberOptions{AccessLevel: gitlab.Ptr(gitlab.AccessLevelDeveloper)})
	require.NoError(t, err)
	assert.Equal(t, later, *m.ExpiresAt)
	_, _, err = owner.Members.Update(ctx, sub, w.ids["jane"], &gitlab.UpdateMemberOptions{AccessLevel: gitlab.Ptr(gitlab.AccessLevelDeveloper), ExpiresAt: &past})
	assert.Equal(t, []string{"cannot be a date in the past"}, contractStatus(t, err, 400).Fields["expires_at"])
	assert.Equal(t, gitlabtest.AccessDeveloper, levels(w.s.Members(subSrc))[w.ids["jane"]])
	_, _, err = w.c["dev"].Members.Update(ctx, sub, w.ids["jane"], &gitlab.UpdateMemberOptions{AccessLevel: gitlab.Ptr(gitlab.AccessLevelGuest)})
	memberErr(t, err, 403, "403 Forbidden")

	// Remove: a member removes themself; an Owner removes another; a
	// second removal is 404.
	_, err = w.c["stranger"].Members.Remove(ctx, sub, w.ids["stranger"], nil)
	memberErr(t, err, 404, "404 Not found") // expired
	w.s.AddMember(gitlabtest.MemberSpec{Source: subSrc, UserID: w.ids["stranger"], AccessLevel: gitlabtest.AccessGuest})
	resp, err = w.c["stranger"].Members.Remove(ctx, sub, w.ids["stranger"], nil)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	_, err = w.c["dev"].Members.Remove(ctx, sub, w.ids["jane"], nil)
	memberErr(t, err, 403, "403 Forbidden")
	_, err = owner.Members.Remove(ctx, sub, w.ids["jane"], &gitlab.RemoveMemberOptions{UnassignIssuables: gitlab.Ptr(true)})
	require.NoError(t, err)
	_, err = owner.Members.Remove(ctx, sub, w.ids["jane"], nil)
	memberErr(t, err, 404, "404 Not found")
	assert.Equal(t, map[int64]int{w.ids["dev"]: gitlabtest.AccessDeveloper}, levels(w.s.Members(subSrc)))
	_, _, err = owner.Members.Get(ctx, sub, w.ids["jane"])
	memberErr(t, err, 404, "404 Not found")

	// Removing a group member removes their memberships below it,
	// unless skip_subresources.
	app := gitlabtest.ProjectSource(w.app)
	w.s.AddMember(gitlabtest.MemberSpec{Source: app, UserID: w.ids["dev"], AccessLevel: gitlabtest.AccessMaintainer})
	_, err = owner.Members.Remove(ctx, sub, w.ids["dev"], &gitlab.RemoveMemberOptions{SkipSubresources: gitlab.Ptr(true)})
	require.NoError(t, err)
	assert.Contains(t, levels(w.s.Members(app)), w.ids["dev"], "skip_subresources keeps the project membership")
	w.s.AddMember(gitlabtest.MemberSpec{Source: subSrc, UserID: w.ids["dev"], AccessLevel: gitlabtest.AccessDeveloper})
	_, err = owner.Members.Remove(ctx, sub, w.ids["dev"], nil)
	require.NoError(t, err)
	assert.NotContains(t, levels(w.s.Members(app)), w.ids["dev"], "without it the project membership goes too")
	assert.Empty(t, w.s.Members(subSrc))
}

func contractMembersProject(t *testing.T) {
	t.Parallel()
	w := contractMemberWorld(t)
	ctx := context.Background()
	app := gitlab.ProjectPath("top/sub/app") // sent as top%2Fsub%2Fapp
	appSrc := gitlabtest.ProjectSource(w.app)
	maint := w.c["maint"]

	m, resp, err := maint.Members.Add(ctx, app, &gitlab.AddMemberOptions{Username: gitlab.Ptr("dev"), AccessLevel: gitlab.Ptr(gitlab.AccessLevelDeveloper)})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "dev", m.Username)
	assert.Equal(t, "maint", m.CreatedBy.Username)
	assert.Equal(t, map[int64]int{w.ids["maint"]: gitlabtest.AccessMaintainer, w.ids["dev"]: gitlabtest.AccessDeveloper}, levels(w.s.Members(appSrc)))
	_, _, err = maint.Members.Add(ctx, gitlab.ProjectID(w.app), &gitlab.AddMemberOptions{UserID: gitlab.Ptr(w.ids["dev"]), AccessLevel: gitlab.Ptr(gitlab.AccessLevelGuest)})
	memberErr(t, err, 409, "Member already exists")

	got, _, err := w.c["dev"].Members.Get(ctx, app, w.ids["dev"])
	require.NoError(t, err)
	assert.Equal(t, gitlab.AccessLevelDeveloper, got.AccessLevel)
	list, _, err := w.c["dev"].Members.List(ctx, app, &gitlab.ListMembersOptions{Query: gitlab.Ptr("dev")})
	require.NoError(t, err)
	assert.Equal(t, []string{"dev"}, usernames(list))

	m, _, err = maint.Members.Update(ctx, app, w.ids["dev"], &gitlab.UpdateMemberOptions{AccessLevel: gitlab.Ptr(gitlab.AccessLevelMaintainer)})
	require.NoError(t, err)
	assert.Equal(t, gitlab.AccessLevelMaintainer, m.AccessLevel)
	assert.Equal(t, gitlabtest.AccessMaintainer, levels(w.s.Members(appSrc))[w.ids["dev"]])

	// A Maintainer grants no Owner role on a project: adding, promoting
	// and demoting an Owner need an Owner.
	_, _, err = maint.Members.Add(ctx, app, &gitlab.AddMemberOptions{UserID: gitlab.Ptr(w.ids["jane"]), AccessLevel: gitlab.Ptr(gitlab.AccessLevelOwner)})
	memberErr(t, err, 403, "403 Forbidden")
	_, _, err = maint.Members.Update(ctx, app, w.ids["dev"], &gitlab.UpdateMemberOptions{AccessLevel: gitlab.Ptr(gitlab.AccessLevelOwner)})
	memberErr(t, err, 403, "403 Forbidden")
	assert.NotContains(t, levels(w.s.Members(appSrc)), w.ids["jane"])
	assert.Equal(t, gitlabtest.AccessMaintainer, levels(w.s.Members(appSrc))[w.ids["dev"]])
	_, _, err = w.c["owner"].Members.Add(ctx, app, &gitlab.AddMemberOptions{UserID: gitlab.Ptr(w.ids["jane"]), AccessLevel: gitlab.Ptr(gitlab.AccessLevelOwner)})
	require.NoError(t, err, "the group's Owner may")
	_, err = maint.Members.Remove(ctx, app, w.ids["jane"], nil)
	memberErr(t, err, 403, "403 Forbidden")

	_, err = maint.Members.Remove(ctx, app, w.ids["dev"], nil)
	require.NoError(t, err)
	_, _, err = maint.Members.Get(ctx, app, w.ids["dev"])
	memberErr(t, err, 404, "404 Not found")
	assert.Equal(t, map[int64]int{w.ids["maint"]: gitlabtest.AccessMaintainer, w.ids["jane"]: gitlabtest.AccessOwner}, levels(w.s.Members(appSrc)))

	// The holder of a personal project is never changed or removed.
	personal := w.s.CreateProject(gitlabtest.ProjectSpec{Path: "notes", OwnerID: w.ids["jane"]})
	_, _, err = w.c["root"].Members.Update(ctx, gitlab.ProjectID(personal), w.ids["jane"], &gitlab.UpdateMemberOptions{AccessLevel: gitlab.Ptr(gitlab.AccessLevelDeveloper)})
	memberErr(t, err, 403, "403 Forbidden")
	_, err = w.c["root"].Members.Remove(ctx, gitlab.ProjectPath("jane/notes"), w.ids["jane"], nil)
	memberErr(t, err, 403, "403 Forbidden")
	assert.Equal(t, map[int64]int{w.ids["jane"]: gitlabtest.AccessOwner}, levels(w.s.Members(gitlabtest.ProjectSource(personal))))
}

func contractMembersNotFound(t *testing.T) {
	t.Parallel()
	w := contractMemberWorld(t)
	ctx := context.Background()
	owner := w.c["owner"]
	_, _, err := owner.Members.List(ctx, gitlab.GroupPath("top/nope"), nil)
	memberErr(t, err, 404, "404 Group Not Found")
	_, _, err = owner.Members.List(ctx, gitlab.ProjectID(4242), nil)
	memberErr(t, err, 404, "404 Project Not Found")
	_, _, err = owner.Members.Add(ctx, gitlab.GroupID(w.top), &gitlab.AddMemberOptions{UserID: gitlab.Ptr(int64(4242)), AccessLevel: gitlab.Ptr(gitlab.AccessLevelGuest)})
	memberErr(t, err, 404, "404 User Not Found")
	_, _, err = owner.Members.Get(ctx, gitlab.GroupID(w.top), w.ids["jane"])
	memberErr(t, err, 404, "404 Not found")
	assert.True(t, errors.Is(err, gitlab.ErrNotFound))
	_, _, err = owner.Members.GetEffective(ctx, gitlab.GroupID(w.top), w.ids["jane"])
	memberErr(t, err, 404, "404 Not found")
	_, _, err = owner.Members.Update(ctx, gitlab.GroupID(w.top), w.ids["jane"], &gitlab.UpdateMemberOptions{AccessLevel: gitlab.Ptr(gitlab.AccessLevelGuest)})
	memberErr(t, err, 404, "404 Not found")
	_, err = owner.Invitations.Delete(ctx, gitlab.GroupID(w.top), "nobody@example.com")
	memberErr(t, err, 404, "404 Not Found")
	_, _, err = owner.AccessRequests.Approve(ctx, gitlab.GroupID(w.top), w.ids["jane"], nil)
	memberErr(t, err, 404, "404 Not found")

	// A private group is hidden from a non-member: 404, not 403.
	priv := w.s.CreateGroup(gitlabtest.GroupSpec{Path: "secret", Owners: []int64{w.ids["owner"]}})
	_, _, err = w.c["jane"].Members.List(ctx, gitlab.GroupID(priv), nil)
	memberErr(t, err, 404, "404 Group Not Found")

	// Refused before sending: no request goes out.
	before := w.s.RequestCount()
	_, _, err = owner.Members.Add(ctx, gitlab.GroupPath(""), &gitlab.AddMemberOptions{UserID: gitlab.Ptr(int64(1)), AccessLevel: gitlab.Ptr(gitlab.AccessLevelGuest)})
	assert.ErrorIs(t, err, gitlab.ErrInvalidArgument)
	_, _, err = owner.Members.Add(ctx, gitlab.GroupID(w.top), &gitlab.AddMemberOptions{UserID: gitlab.Ptr(int64(1))})
	assert.ErrorIs(t, err, gitlab.ErrInvalidArgument)
	assert.Equal(t, before, w.s.RequestCount())
}

func contractMembersLastOwner(t *testing.T) {
	t.Parallel()
	w := contractMemberWorld(t)
	ctx := context.Background()
	top := gitlab.GroupID(w.top)
	topSrc := gitlabtest.GroupSource(w.top)

	// The last Owner can neither be demoted nor removed, not even by
	// themself or an administrator.
	_, _, err := w.c["root"].Members.Update(ctx, top, w.ids["owner"], &gitlab.UpdateMemberOptions{AccessLevel: gitlab.Ptr(gitlab.AccessLevelMaintainer)})
	memberErr(t, err, 403, "403 Forbidden")
	_, err = w.c["owner"].Members.Remove(ctx, top, w.ids["owner"], nil)
	memberErr(t, err, 403, "403 Forbidden")
	assert.Equal(t, map[int64]int{w.ids["owner"]: gitlabtest.AccessOwner}, levels(w.s.Members(topSrc)))

	// With a second Owner, the first may leave.
	_, _, err = w.c["owner"].Members.Add(ctx, top, &gitlab.AddMemberOptions{UserID: gitlab.Ptr(w.ids["jane"]), AccessLevel: gitlab.Ptr(gitlab.AccessLevelOwner)})
	require.NoError(t, err)
	_, err = w.c["owner"].Members.Remove(ctx, top, w.ids["owner"], nil)
	require.NoError(t, err)
	assert.Equal(t, map[int64]int{w.ids["jane"]: gitlabtest.AccessOwner}, levels(w.s.Members(topSrc)))
	_, _, err = w.c["jane"].Members.Update(ctx, top, w.ids["jane"], &gitlab.UpdateMemberOptions{AccessLevel: gitlab.Ptr(gitlab.AccessLevelDeveloper)})
	memberErr(t, err, 403, "403 Forbidden")

	// In a subgroup, an Owner inherited from the parent counts: the
	// subgroup's only direct Owner may go.
	sub := gitlab.GroupID(w.sub)
	_, _, err = w.c["jane"].Members.Add(ctx, sub, &gitlab.AddMemberOptions{UserID: gitlab.Ptr(w.ids["dev"]), AccessLevel: gitlab.Ptr(gitlab.AccessLevelOwner)})
	require.NoError(t, err)
	_, err = w.c["dev"].Members.Remove(ctx, sub, w.ids["dev"], nil)
	require.NoError(t, err)
	assert.Empty(t, w.s.Members(gitlabtest.GroupSource(w.sub)))
}

func contractMembersGrantCap(t *testing.T) {
	t.Parallel()
	w := contractMemberWorld(t)
	ctx := context.Background()
	app := gitlab.ProjectID(w.app)
	appSrc := gitlabtest.ProjectSource(w.app)

	// A Maintainer may grant up to Maintainer, but not Planner, a role
	// outside the hierarchy that only an Owner or a Planner grants.
	_, _, err := w.c["maint"].Members.Add(ctx, app, &gitlab.AddMemberOptions{UserID: gitlab.Ptr(w.ids["jane"]), AccessLevel: gitlab.Ptr(gitlab.AccessLevelPlanner)})
	er := memberErr(t, err, 400, "jane: the member access level can't be higher than the current user's one")
	assert.True(t, errors.Is(err, gitlab.ErrBadRequest), er.Error())
	assert.NotContains(t, levels(w.s.Members(appSrc)), w.ids["jane"])
	_, _, err = w.c["maint"].Members.Add(ctx, app, &gitlab.AddMemberOptions{UserID: gitlab.Ptr(w.ids["jane"]), AccessLevel: gitlab.Ptr(gitlab.AccessLevelMaintainer)})
	require.NoError(t, err)

	// A level below one inherited from an ancestor group is invalid.
	w.s.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.GroupSource(w.top), UserID: w.ids["dev"], AccessLevel: gitlabtest.AccessDeveloper})
	_, _, err = w.c["owner"].Members.Add(ctx, gitlab.GroupID(w.sub), &gitlab.AddMemberOptions{UserID: gitlab.Ptr(w.ids["dev"]), AccessLevel: gitlab.Ptr(gitlab.AccessLevelReporter)})
	assert.Equal(t, []string{"should be greater than or equal to Developer inherited membership from group top"},
		contractStatus(t, err, 400).Fields["access_level"])
	assert.Empty(t, w.s.Members(gitlabtest.GroupSource(w.sub)))

	// A Developer may add nobody.
	w.s.AddMember(gitlabtest.MemberSpec{Source: appSrc, UserID: w.ids["stranger"], AccessLevel: gitlabtest.AccessDeveloper})
	_, _, err = w.c["stranger"].Members.Add(ctx, app, &gitlab.AddMemberOptions{UserID: gitlab.Ptr(w.ids["owner"]), AccessLevel: gitlab.Ptr(gitlab.AccessLevelGuest)})
	memberErr(t, err, 403, "403 Forbidden")
}

func contractMembersListPages(t *testing.T) {
	t.Parallel()
	w := contractMemberWorld(t)
	ctx := context.Background()
	topSrc := gitlabtest.GroupSource(w.top)
	ids := w.s.GenerateUsers(25)
	for _, id := range ids {
		w.s.AddMember(gitlabtest.MemberSpec{Source: topSrc, UserID: id, AccessLevel: gitlabtest.AccessReporter})
	}
	want := append([]int64{w.ids["owner"]}, ids...)

	var got []int64
	for m, err := range w.c["owner"].Members.ListIter(ctx, gitlab.GroupPath("top"), &gitlab.ListMembersOptions{ListOptions: gitlab.ListOptions{PerPage: 10}}) {
		require.NoError(t, err)
		got = append(got, m.ID)
	}
	assert.Equal(t, want, got)
	assert.Equal(t, 3, w.s.RouteCount("GET", "/groups/:ref/members"), "26 members in pages of 10")

	// Effective members of the project: the group's, and its Maintainer.
	got = nil
	for m, err := range w.c["owner"].Members.ListAllIter(ctx, gitlab.ProjectPath("top/sub/app"), &gitlab.ListAllMembersOptions{ListOptions: gitlab.ListOptions{PerPage: 7}}) {
		require.NoError(t, err)
		got = append(got, m.ID)
	}
	assert.ElementsMatch(t, append(want, w.ids["maint"]), got)
	assert.Equal(t, 4, w.s.RouteCount("GET", "/projects/:ref/members/all"), "27 members in pages of 7")

	// The filters.
	page, resp, err := w.c["owner"].Members.List(ctx, gitlab.GroupID(w.top), &gitlab.ListMembersOptions{
		UserIDs: []int64{ids[0], ids[1], ids[2], w.ids["jane"]}, SkipUsers: []int64{ids[1]}})
	require.NoError(t, err)
	assert.Equal(t, []int64{ids[0], ids[2]}, []int64{page[0].ID, page[1].ID})
	assert.Len(t, page, 2)
	assert.Equal(t, 2, resp.TotalItems)
	page, _, err = w.c["owner"].Members.List(ctx, gitlab.GroupID(w.top), &gitlab.ListMembersOptions{Query: gitlab.Ptr("owner")})
	require.NoError(t, err)
	assert.Equal(t, []string{"owner"}, usernames(page))
	page, _, err = w.c["owner"].Members.ListAll(ctx, gitlab.GroupID(w.sub), &gitlab.ListAllMembersOptions{
		UserIDs: []int64{w.ids["owner"], ids[3]}, State: gitlab.Ptr(gitlab.MemberStateActive), ShowSeatInfo: gitlab.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, []string{"owner", fmt.Sprintf("user%d", ids[3])}, usernames(page))
	assert.True(t, page[0].IsUsingSeat)
	page, _, err = w.c["owner"].Members.ListAll(ctx, gitlab.GroupID(w.sub), &gitlab.ListAllMembersOptions{State: gitlab.Ptr(gitlab.MemberStateAwaiting)})
	require.NoError(t, err)
	assert.Empty(t, page)
}

func contractMembersAddMany(t *testing.T) {
	t.Parallel()
	w := contractMemberWorld(t)
	ctx := context.Background()
	sub := gitlab.GroupPath("top/sub")
	subSrc := gitlabtest.GroupSource(w.sub)
	// maint inherits Maintainer from top: Developer in sub is invalid for
	// them, and only for them.
	w.s.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.GroupSource(w.top), UserID: w.ids["maint"], AccessLevel: gitlabtest.AccessMaintainer})

	res, resp, err := w.c["owner"].Members.AddMany(ctx, sub, &gitlab.AddMembersOptions{
		UserIDs:     []int64{w.ids["dev"], w.ids["maint"], w.ids["jane"], 4242},
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelDeveloper)})
	require.NoError(t, err, "GitLab answers 201 with a status, never an error status")
	assert.Equal(t, 201, resp.StatusCode)
	assert.True(t, res.Failed())
	assert.Equal(t, gitlab.AddMembersError, res.Status)
	assert.Equal(t, map[string]string{"maint": "Access level should be greater than or equal to Maintainer inherited membership from group top"}, res.Failures)
	assert.Equal(t, "maint: Access level should be greater than or equal to Maintainer inherited membership from group top", res.Message)
	assert.Equal(t, map[int64]int{w.ids["dev"]: gitlabtest.AccessDeveloper, w.ids["jane"]: gitlabtest.AccessDeveloper}, levels(w.s.Members(subSrc)),
		"the others were added; the unknown ID was dropped")

	// Two failures, by username (case-insensitive here): GitLab's
	// sentence splits per user. Members already there are updated.
	past := gitlab.NewISODate(2024, 1, 1)
	w.s.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.GroupSource(w.top), UserID: w.ids["stranger"], AccessLevel: gitlabtest.AccessOwner})
	res, _, err = w.c["owner"].Members.AddMany(ctx, sub, &gitlab.AddMembersOptions{Usernames: []string{"MAINT", "Stranger"},
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelReporter), ExpiresAt: &past})
	require.NoError(t, err)
	assert.Len(t, res.Failures, 2)
	assert.Contains(t, res.Failures["maint"], "Access level should be greater than or equal to Maintainer")
	assert.Contains(t, res.Failures["stranger"], "Access level should be greater than or equal to Owner")

	res, _, err = w.c["owner"].Members.AddMany(ctx, sub, &gitlab.AddMembersOptions{Usernames: []string{"dev"}, AccessLevel: gitlab.Ptr(gitlab.AccessLevelMaintainer)})
	require.NoError(t, err)
	assert.False(t, res.Failed())
	assert.Equal(t, gitlabtest.AccessMaintainer, levels(w.s.Members(subSrc))[w.ids["dev"]], "an existing member is updated, not refused")

	// Only unknown users: the whole request fails, still with 201.
	res, resp, err = w.c["owner"].Members.AddMany(ctx, sub, &gitlab.AddMembersOptions{UserIDs: []int64{4242}, AccessLevel: gitlab.Ptr(gitlab.AccessLevelGuest)})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "No users specified.", res.Message)
	assert.Equal(t, "blank_invites_error", res.Reason)
	assert.Empty(t, res.Failures)

	// A caller who may not add: each user fails as unauthorized.
	res, _, err = w.c["dev"].Members.AddMany(ctx, sub, &gitlab.AddMembersOptions{UserIDs: []int64{w.ids["owner"]}, AccessLevel: gitlab.Ptr(gitlab.AccessLevelGuest)})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"owner": "not authorized to create member"}, res.Failures)
	assert.Equal(t, "unauthorized", res.HTTPStatus)

	// A project: an Owner level from a Maintainer refuses the whole
	// request.
	_, _, err = w.c["maint"].Members.AddMany(ctx, gitlab.ProjectID(w.app), &gitlab.AddMembersOptions{UserIDs: []int64{w.ids["jane"], w.ids["dev"]},
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelOwner)})
	memberErr(t, err, 403, "403 Forbidden")
	res, _, err = w.c["maint"].Members.AddMany(ctx, gitlab.ProjectID(w.app), &gitlab.AddMembersOptions{UserIDs: []int64{w.ids["jane"], w.ids["dev"]},
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelMaintainer)})
	require.NoError(t, err)
	assert.False(t, res.Failed())
	assert.Equal(t, map[int64]int{w.ids["maint"]: 40, w.ids["jane"]: 40, w.ids["dev"]: 40}, levels(w.s.Members(gitlabtest.ProjectSource(w.app))))

	// Too many users is refused before sending.
	many := make([]int64, 101)
	for i := range many {
		many[i] = int64(i + 1)
	}
	_, _, err = w.c["owner"].Members.AddMany(ctx, sub, &gitlab.AddMembersOptions{UserIDs: many, AccessLevel: gitlab.Ptr(gitlab.AccessLevelGuest)})
	assert.ErrorIs(t, err, gitlab.ErrInvalidArgument)
}

func contractMembersEffective(t *testing.T) {
	t.Parallel()
	w := contractMemberWorld(t)
	ctx := context.Background()
	app := gitlab.ProjectPath("top/sub/app")
	// jane: Developer in top, Reporter in sub (inherited Developer wins
	// over the lower direct row? no: a direct row may not be lower, so
	// Maintainer in sub); stranger: Maintainer of other, which the
	// project is shared with at Reporter; dev: Owner of other, which sub
	// is shared with at Guest.
	w.s.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.GroupSource(w.top), UserID: w.ids["jane"], AccessLevel: gitlabtest.AccessDeveloper})
	w.s.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.GroupSource(w.sub), UserID: w.ids["jane"], AccessLevel: gitlabtest.AccessMaintainer})
	w.s.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.GroupSource(w.oth), UserID: w.ids["stranger"], AccessLevel: gitlabtest.AccessMaintainer})
	w.s.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.GroupSource(w.oth), UserID: w.ids["dev"], AccessLevel: gitlabtest.AccessOwner})
	w.s.ShareProject(w.app, w.oth, gitlabtest.AccessReporter, nil)
	w.s.ShareGroup(w.sub, w.oth, gitlabtest.AccessGuest, nil)

	all, _, err := w.c["owner"].Members.ListAll(ctx, app, nil)
	require.NoError(t, err)
	got := map[string]gitlab.AccessLevel{}
	for _, m := range all {
		got[m.Username] = m.AccessLevel
	}
	assert.Equal(t, map[string]gitlab.AccessLevel{
		"owner":    gitlab.AccessLevelOwner,      // inherited from top
		"maint":    gitlab.AccessLevelMaintainer, // direct
		"jane":     gitlab.AccessLevelMaintainer, // highest of top and sub
		"stranger": gitlab.AccessLevelReporter,   // other's Maintainer, capped by the project's share
		"dev":      gitlab.AccessLevelReporter,   // other's Owner: the project's share beats sub's Guest share
	}, got)

	m, _, err := w.c["owner"].Members.GetEffective(ctx, gitlab.GroupID(w.sub), w.ids["dev"])
	require.NoError(t, err)
	assert.Equal(t, gitlab.AccessLevelGuest, m.AccessLevel, "sub's share with other caps at Guest")
	m, _, err = w.c["owner"].Members.GetEffective(ctx, app, w.ids["owner"])
	require.NoError(t, err)
	assert.Equal(t, gitlab.AccessLevelOwner, m.AccessLevel)
	_, _, err = w.c["owner"].Members.Get(ctx, app, w.ids["owner"])
	memberErr(t, err, 404, "404 Not found") // not a direct member
	m, _, err = w.c["owner"].Members.GetEffective(ctx, gitlab.GroupPath("top/sub"), w.ids["jane"])
	require.NoError(t, err)
	assert.Equal(t, gitlab.AccessLevelMaintainer, m.AccessLevel)

	// The effective list of top holds neither the project's members nor
	// those of groups shared into sub.
	all, _, err = w.c["owner"].Members.ListAll(ctx, gitlab.GroupID(w.top), nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"owner", "jane"}, usernames(all))

	// Expiry moves with the clock: a membership expiring today counts
	// for nothing from 00:00 UTC.
	w.s.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.GroupSource(w.top), UserID: w.ids["maint"], AccessLevel: gitlabtest.AccessOwner,
		ExpiresAt: gitlab.Ptr(contractNow)})
	_, _, err = w.c["owner"].Members.GetEffective(ctx, gitlab.GroupID(w.top), w.ids["maint"])
	memberErr(t, err, 404, "404 Not found")
}

func contractMembersBillable(t *testing.T) {
	t.Parallel()
	w := contractMemberWorld(t)
	ctx := context.Background()
	top := gitlab.GroupPath("top")
	// jane: members of sub and of the project; stranger: a member of
	// other, which is invited into sub.
	w.s.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.GroupSource(w.sub), UserID: w.ids["jane"], AccessLevel: gitlabtest.AccessDeveloper})
	w.s.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.ProjectSource(w.app), UserID: w.ids["jane"], AccessLevel: gitlabtest.AccessMaintainer,
		ExpiresAt: gitlab.Ptr(contractNow.AddDate(0, 2, 0))})
	w.s.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.GroupSource(w.oth), UserID: w.ids["stranger"], AccessLevel: gitlabtest.AccessDeveloper})
	w.s.ShareGroup(w.sub, w.oth, gitlabtest.AccessReporter, nil)

	list, resp, err := w.c["owner"].Members.ListBillable(ctx, top, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	byName := map[string]*gitlab.BillableMember{}
	for _, b := range list {
		byName[b.Username] = b
	}
	require.ElementsMatch(t, []string{"owner", "maint", "jane", "stranger"}, slices.Collect(func(yield func(string) bool) {
		for n := range byName {
			if !yield(n) {
				return
			}
		}
	}))
	assert.Equal(t, gitlab.BillableGroupMember, byName["owner"].MembershipType)
	assert.True(t, byName["owner"].IsLastOwner)
	assert.Equal(t, gitlab.BillableProjectMember, byName["maint"].MembershipType)
	assert.Equal(t, gitlab.BillableGroupMember, byName["jane"].MembershipType)
	assert.True(t, byName["jane"].Removable)
	assert.Equal(t, gitlab.BillableGroupInvite, byName["stranger"].MembershipType)
	assert.False(t, byName["stranger"].Removable)
	assert.Nil(t, byName["jane"].Email, "jane has no public email")

	var names []string
	for b, err := range w.c["owner"].Members.ListBillableIter(ctx, top, &gitlab.ListBillableMembersOptions{
		ListOptions: gitlab.ListOptions{PerPage: 1}, Sort: gitlab.Ptr(gitlab.BillableMemberSortNameDesc)}) {
		require.NoError(t, err)
		names = append(names, b.Username)
	}
	assert.Equal(t, []string{"stranger", "owner", "maint", "jane"}, names)
	list, _, err = w.c["owner"].Members.ListBillable(ctx, top, &gitlab.ListBillableMembersOptions{Search: gitlab.Ptr("jan")})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, "jane", list[0].Username)

	// jane's direct memberships in the hierarchy; stranger's through
	// other.
	ms, _, err := w.c["owner"].Members.ListBillableMemberships(ctx, top, w.ids["jane"], nil)
	require.NoError(t, err)
	require.Len(t, ms, 2)
	assert.Equal(t, w.sub, ms[0].SourceID)
	assert.Equal(t, "top / sub", ms[0].SourceFullName)
	assert.Equal(t, w.s.URL+"/groups/top/sub/-/group_members", ms[0].SourceMembersURL)
	assert.Equal(t, gitlab.BillableAccessLevel{StringValue: "Developer", IntegerValue: gitlab.AccessLevelDeveloper}, ms[0].AccessLevel)
	assert.Equal(t, w.app, ms[1].SourceID)
	assert.Equal(t, w.s.URL+"/top/sub/app/-/project_members", ms[1].SourceMembersURL)
	require.NotNil(t, ms[1].ExpiresAt)
	assert.Equal(t, gitlab.DateOf(contractNow.AddDate(0, 2, 0)), *ms[1].ExpiresAt)
	var iterated []int64
	for m, err := range w.c["owner"].Members.ListBillableMembershipsIter(ctx, top, w.ids["jane"], &gitlab.ListOptions{PerPage: 1}) {
		require.NoError(t, err)
		iterated = append(iterated, m.SourceID)
	}
	assert.Equal(t, []int64{w.sub, w.app}, iterated)
	ind, _, err := w.c["owner"].Members.ListBillableIndirectMemberships(ctx, top, w.ids["stranger"], nil)
	require.NoError(t, err)
	require.Len(t, ind, 1)
	assert.Equal(t, w.oth, ind[0].SourceID)
	iterated = nil
	for m, err := range w.c["owner"].Members.ListBillableIndirectMembershipsIter(ctx, top, w.ids["stranger"], nil) {
		require.NoError(t, err)
		iterated = append(iterated, m.SourceID)
	}
	assert.Equal(t, []int64{w.oth}, iterated)
	ind, _, err = w.c["owner"].Members.ListBillableIndirectMemberships(ctx, top, w.ids["jane"], nil)
	require.NoError(t, err)
	assert.Empty(t, ind, "direct memberships are not indirect")
	_, _, err = w.c["owner"].Members.ListBillableMemberships(ctx, top, 4242, nil)
	memberErr(t, err, 404, "404 Not found")
	_, _, err = w.c["owner"].Members.ListBillableMemberships(ctx, top, w.ids["dev"], nil)
	memberErr(t, err, 404, "404 User Not Found")

	// Subgroups and non-Owners get 400.
	_, _, err = w.c["owner"].Members.ListBillable(ctx, gitlab.GroupID(w.sub), nil)
	memberErr(t, err, 400, "400 Bad request")
	_, _, err = w.c["jane"].Members.ListBillable(ctx, top, nil)
	memberErr(t, err, 400, "400 Bad request")

	// RemoveBillable clears the whole hierarchy.
	_, err = w.c["owner"].Members.RemoveBillable(ctx, gitlab.GroupID(w.sub), w.ids["jane"])
	memberErr(t, err, 400, "400 Bad request - Must be a root namespace")
	_, err = w.c["jane"].Members.RemoveBillable(ctx, top, w.ids["maint"])
	memberErr(t, err, 400, "400 Bad request - User not authorized")
	resp, err = w.c["owner"].Members.RemoveBillable(ctx, top, w.ids["jane"])
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	assert.NotContains(t, levels(w.s.Members(gitlabtest.GroupSource(w.sub))), w.ids["jane"])
	assert.NotContains(t, levels(w.s.Members(gitlabtest.ProjectSource(w.app))), w.ids["jane"])
	_, _, err = w.c["owner"].Members.ListBillableMemberships(ctx, top, w.ids["jane"], nil)
	memberErr(t, err, 404, "404 User Not Found")
	list, _, err = w.c["owner"].Members.ListBillable(ctx, top, nil)
	require.NoError(t, err)
	assert.Len(t, list, 3)
}

func contractMembersPending(t *testing.T) {
	t.Parallel()
	// Two seats: owner and maint take them; the next members wait.
	w := contractMemberWorld(t, gitlabtest.WithUserCap(2))
	ctx := context.Background()
	top := gitlab.GroupID(w.top)

	m, _, err := w.c["owner"].Members.Add(ctx, gitlab.GroupID(w.sub), &gitlab.AddMemberOptions{UserID: gitlab.Ptr(w.ids["jane"]), AccessLevel: gitlab.Ptr(gitlab.AccessLevelDeveloper)})
	require.NoError(t, err)
	assert.Equal(t, gitlab.MemberStateAwaiting, m.MembershipState)
	res, _, err := w.c["owner"].Members.AddMany(ctx, top, &gitlab.AddMembersOptions{UserIDs: []int64{w.ids["dev"]}, AccessLevel: gitlab.Ptr(gitlab.AccessLevelGuest)})
	require.NoError(t, err)
	assert.False(t, res.Failed())
	rows := w.s.Members(gitlabtest.GroupSource(w.sub))
	require.Len(t, rows, 1)
	assert.Equal(t, gitlabtest.MemberAwaiting, rows[0].State)
	janeMember := rows[0].ID

	// Awaiting members are listed (dev's inherited from top).
	all, _, err := w.c["owner"].Members.ListAll(ctx, gitlab.GroupID(w.sub), &gitlab.ListAllMembersOptions{State: gitlab.Ptr(gitlab.MemberStateAwaiting)})
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"jane", "dev"}, usernames(all))
	_, _, err = w.c["jane"].Members.List(ctx, gitlab.GroupID(w.sub), nil)
	require.NoError(t, err)

	pending, _, err := w.c["owner"].Members.ListPending(ctx, top, nil)
	require.NoError(t, err)
	require.Len(t, pending, 2) // by user ID
	assert.Equal(t, "dev", pending[0].Username)
	assert.Equal(t, gitlab.PendingMember{ID: janeMember, Name: "N jane", Username: "jane", WebURL: w.s.URL + "/jane",
		Email: "jane@example.com", AvatarURL: pending[1].AvatarURL}, *pending[1])
	assert.NotEmpty(t, pending[1].AvatarURL)
	var iterated []string
	for p, err := range w.c["owner"].Members.ListPendingIter(ctx, top, &gitlab.ListOptions{PerPage: 1}) {
		require.NoError(t, err)
		iterated = append(iterated, p.Username)
	}
	assert.Equal(t, []string{"dev", "jane"}, iterated)
	_, _, err = w.c["owner"].Members.ListPending(ctx, gitlab.GroupID(w.sub), nil)
	memberErr(t, err, 400, "400 Bad request")

	// An invitation anywhere in the hierarchy is pending too, after the
	// users.
	_, _, err = w.c["maint"].Invitations.Create(ctx, gitlab.ProjectID(w.app), &gitlab.CreateInvitationOptions{Email: []string{"Guest@Example.com"},
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelGuest)})
	require.NoError(t, err)
	pending, _, err = w.c["owner"].Members.ListPending(ctx, top, nil)
	require.NoError(t, err)
	require.Len(t, pending, 3)
	assert.Equal(t, w.s.Invitations(gitlabtest.ProjectSource(w.app))[0].ID, pending[2].ID)
	assert.Equal(t, "guest@example.com", pending[2].Email)
	assert.True(t, pending[2].Invited)
	assert.Empty(t, pending[2].Username)

	// Approve one by member ID, then all the others.
	_, err = w.c["maint"].Members.Approve(ctx, top, janeMember)
	memberErr(t, err, 400, "400 Bad request")
	resp, err := w.c["owner"].Members.Approve(ctx, top, janeMember)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	assert.Equal(t, gitlabtest.MemberActive, w.s.Members(gitlabtest.GroupSource(w.sub))[0].State)
	_, err = w.c["owner"].Members.Approve(ctx, top, janeMember)
	memberErr(t, err, 400, "400 Bad request - No memberships found")
	_, err = w.c["owner"].Members.Approve(ctx, top, 4242)
	memberErr(t, err, 404, "404 Not Found")
	resp, err = w.c["owner"].Members.ApproveAll(ctx, top)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	for _, m := range w.s.Members(gitlabtest.GroupSource(w.top)) {
		assert.Equal(t, gitlabtest.MemberActive, m.State, "user %d", m.UserID)
	}
	_, err = w.c["owner"].Members.ApproveAll(ctx, top)
	memberErr(t, err, 400, "400 Bad request - No memberships found")
	pending, _, err = w.c["owner"].Members.ListPending(ctx, top, nil)
	require.NoError(t, err)
	require.Len(t, pending, 1, "only the invitation is left")
	assert.True(t, pending[0].Invited)
}

func contractMembersStateOverride(t *testing.T) {
	t.Parallel()
	w := contractMemberWorld(t)
	ctx := context.Background()
	top := gitlab.GroupID(w.top)
	topSrc := gitlabtest.GroupSource(w.top)
	w.s.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.GroupSource(w.sub), UserID: w.ids["jane"], AccessLevel: gitlabtest.AccessDeveloper})

	// SetState moves every membership of the user in the hierarchy.
	resp, err := w.c["owner"].Members.SetState(ctx, top, w.ids["jane"], gitlab.MemberStateAwaiting)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, gitlabtest.MemberAwaiting, w.s.Members(gitlabtest.GroupSource(w.sub))[0].State)
	_, err = w.c["owner"].Members.SetState(ctx, top, w.ids["jane"], gitlab.MemberStateAwaiting)
	memberErr(t, err, 422, "No memberships found")
	_, err = w.c["owner"].Members.SetState(ctx, top, w.ids["owner"], gitlab.MemberStateAwaiting)
	memberErr(t, err, 422, "You cannot set yourself to awaiting")
	_, err = w.c["root"].Members.SetState(ctx, top, w.ids["owner"], gitlab.MemberStateAwaiting)
	memberErr(t, err, 422, "The last owner cannot be set to awaiting")
	_, err = w.c["owner"].Members.SetState(ctx, top, 4242, gitlab.MemberStateActive)
	memberErr(t, err, 404, "404 User Not Found")
	_, err = w.c["owner"].Members.SetState(ctx, top, w.ids["jane"], gitlab.MemberStateActive)
	require.NoError(t, err)
	assert.Equal(t, gitlabtest.MemberActive, w.s.Members(gitlabtest.GroupSource(w.sub))[0].State)
	_, err = w.c["owner"].Members.SetState(ctx, top, w.ids["jane"], "gone")
	assert.ErrorIs(t, err, gitlab.ErrInvalidArgument)

	// An LDAP member is locked until an administrator overrides it.
	w.s.AddMember(gitlabtest.MemberSpec{Source: topSrc, UserID: w.ids["dev"], AccessLevel: gitlabtest.AccessReporter, LDAP: true})
	_, _, err = w.c["owner"].Members.Update(ctx, top, w.ids["dev"], &gitlab.UpdateMemberOptions{AccessLevel: gitlab.Ptr(gitlab.AccessLevelDeveloper)})
	memberErr(t, err, 403, "403 Forbidden")
	_, _, err = w.c["owner"].Members.Override(ctx, top, w.ids["dev"])
	memberErr(t, err, 403, "403 Forbidden")
	m, resp, err := w.c["root"].Members.Override(ctx, top, w.ids["dev"])
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.True(t, m.Override)
	m, _, err = w.c["owner"].Members.Update(ctx, top, w.ids["dev"], &gitlab.UpdateMemberOptions{AccessLevel: gitlab.Ptr(gitlab.AccessLevelDeveloper)})
	require.NoError(t, err)
	assert.Equal(t, gitlab.AccessLevelDeveloper, m.AccessLevel)
	m, resp, err = w.c["root"].Members.RemoveOverride(ctx, top, w.ids["dev"])
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.False(t, m.Override)
	for _, r := range w.s.Members(topSrc) {
		if r.UserID == w.ids["dev"] {
			assert.False(t, r.Override)
			assert.True(t, r.LDAP)
		}
	}
	_, _, err = w.c["root"].Members.Override(ctx, top, w.ids["owner"])
	memberErr(t, err, 403, "403 Forbidden") // not from LDAP
}

func contractInvitations(t *testing.T) {
	t.Parallel()
	w := contractMemberWorld(t)
	ctx := context.Background()
	top := gitlab.GroupPath("top")
	topSrc := gitlabtest.GroupSource(w.top)
	owner := w.c["owner"]
	expires := gitlab.NewISODate(2025, 12, 31)

	// jane's email adds her at once; the unknown emails are invited
	// (stored in lower case); dev by user ID is added.
	res, resp, err := owner.Invitations.Create(ctx, top, &gitlab.CreateInvitationOptions{
		Email:       []string{"jane@example.com", "New.Person@Example.com", "other@example.org"},
		UserID:      []int64{w.ids["dev"]},
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelDeveloper), ExpiresAt: &expires})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.False(t, res.Failed(), "%+v", res)
	assert.Equal(t, map[int64]int{w.ids["owner"]: 50, w.ids["jane"]: 30, w.ids["dev"]: 30}, levels(w.s.Members(topSrc)))
	inv := w.s.Invitations(topSrc)
	require.Len(t, inv, 2)
	assert.Equal(t, "new.person@example.com", inv[0].InviteEmail)
	assert.Equal(t, "other@example.org", inv[1].InviteEmail)
	assert.Equal(t, w.ids["owner"], inv[0].CreatedByID)

	list, _, err := owner.Invitations.List(ctx, top, nil)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, "new.person@example.com", list[0].InviteEmail)
	assert.Equal(t, gitlab.AccessLevelDeveloper, list[0].AccessLevel)
	assert.Equal(t, expires, *list[0].ExpiresAt)
	assert.Equal(t, gitlab.Ptr("N owner"), list[0].CreatedByName)
	assert.NotEmpty(t, list[0].InviteToken)
	assert.Empty(t, list[0].UserName)
	list, _, err = owner.Invitations.List(ctx, top, &gitlab.ListInvitationsOptions{Query: gitlab.Ptr("other@example.org")})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, "other@example.org", list[0].InviteEmail)
	var emails []string
	for i, err := range owner.Invitations.ListIter(ctx, top, &gitlab.ListInvitationsOptions{ListOptions: gitlab.ListOptions{PerPage: 1}}) {
		require.NoError(t, err)
		emails = append(emails, i.InviteEmail)
	}
	assert.Equal(t, []string{"new.person@example.com", "other@example.org"}, emails)
	_, _, err = w.c["jane"].Invitations.List(ctx, top, nil)
	memberErr(t, err, 403, "403 Forbidden")

	// One bad invitee: a past expiry, reported by email; inviting again
	// updates.
	past := gitlab.NewISODate(2025, 1, 1)
	res, _, err = owner.Invitations.Create(ctx, top, &gitlab.CreateInvitationOptions{Email: []string{"late@example.com"},
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelGuest), ExpiresAt: &past})
	require.NoError(t, err)
	assert.True(t, res.Failed())
	assert.Equal(t, map[string]string{"late@example.com": "Expires at cannot be a date in the past"}, res.Failures)
	res, _, err = owner.Invitations.Create(ctx, top, &gitlab.CreateInvitationOptions{Email: []string{"other@example.org"},
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelReporter)})
	require.NoError(t, err)
	assert.False(t, res.Failed())
	inv = w.s.Invitations(topSrc)
	require.Len(t, inv, 2)
	assert.Equal(t, gitlabtest.AccessReporter, inv[1].AccessLevel)

	// Update and delete by email.
	got, resp, err := owner.Invitations.Update(ctx, top, "other@example.org", &gitlab.UpdateInvitationOptions{AccessLevel: gitlab.Ptr(gitlab.AccessLevelMaintainer), ExpiresAt: &expires})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, gitlab.AccessLevelMaintainer, got.AccessLevel)
	assert.Equal(t, expires, *got.ExpiresAt)
	assert.Equal(t, gitlabtest.AccessMaintainer, w.s.Invitations(topSrc)[1].AccessLevel)
	_, _, err = owner.Invitations.Update(ctx, top, "other@example.org", &gitlab.UpdateInvitationOptions{ExpiresAt: &past})
	assert.Equal(t, []string{"cannot be a date in the past"}, contractStatus(t, err, 400).Fields["expires_at"])
	_, _, err = owner.Invitations.Update(ctx, top, "nobody@example.org", &gitlab.UpdateInvitationOptions{AccessLevel: gitlab.Ptr(gitlab.AccessLevelGuest)})
	memberErr(t, err, 404, "404 Not Found")
	resp, err = owner.Invitations.Delete(ctx, top, "other@example.org")
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	inv = w.s.Invitations(topSrc)
	require.Len(t, inv, 1)
	assert.Equal(t, "new.person@example.com", inv[0].InviteEmail)

	// A user an administrator creates through the API does not accept
	// the invitation of their email; signing in would (AcceptInvitation).
	u, _, err := w.c["root"].Users.Create(ctx, &gitlab.CreateUserOptions{Email: gitlab.Ptr("new.person@example.com"), Username: gitlab.Ptr("newbie"),
		Name: gitlab.Ptr("New"), Password: gitlab.Ptr("correct horse battery"), SkipConfirmation: gitlab.Ptr(true)})
	require.NoError(t, err)
	assert.Len(t, w.s.Invitations(topSrc), 1, "the invitation stays pending")
	assert.NotContains(t, levels(w.s.Members(topSrc)), u.ID)
	assert.Equal(t, 1, w.s.AcceptInvitation("New.Person@example.com", u.ID))
	assert.Empty(t, w.s.Invitations(topSrc))
	assert.Equal(t, gitlabtest.AccessDeveloper, levels(w.s.Members(topSrc))[u.ID])
	m, _, err := owner.Members.Get(ctx, top, u.ID)
	require.NoError(t, err)
	assert.Equal(t, "newbie", m.Username)

	// Refused before sending.
	_, err = owner.Invitations.Delete(ctx, top, "not an email")
	assert.ErrorIs(t, err, gitlab.ErrInvalidArgument)
}

func contractInvitationsProject(t *testing.T) {
	t.Parallel()
	w := contractMemberWorld(t)
	ctx := context.Background()
	app := gitlab.ProjectID(w.app)
	appSrc := gitlabtest.ProjectSource(w.app)
	maint := w.c["maint"]

	res, _, err := maint.Invitations.Create(ctx, app, &gitlab.CreateInvitationOptions{Email: []string{"guest@example.com", "stranger@example.com"},
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelReporter)})
	require.NoError(t, err)
	assert.False(t, res.Failed())
	assert.Equal(t, gitlabtest.AccessReporter, levels(w.s.Members(appSrc))[w.ids["stranger"]], "an existing user's email adds them at once")
	require.Len(t, w.s.Invitations(appSrc), 1)

	list, _, err := maint.Invitations.List(ctx, gitlab.ProjectPath("top/sub/app"), nil)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, "guest@example.com", list[0].InviteEmail)
	assert.Equal(t, gitlab.Ptr("N maint"), list[0].CreatedByName)

	// A Maintainer invites no Owner and raises no invitation to Owner.
	_, _, err = maint.Invitations.Create(ctx, app, &gitlab.CreateInvitationOptions{Email: []string{"boss@example.com"}, AccessLevel: gitlab.Ptr(gitlab.AccessLevelOwner)})
	memberErr(t, err, 403, "403 Forbidden")
	_, _, err = maint.Invitations.Update(ctx, app, "guest@example.com", &gitlab.UpdateInvitationOptions{AccessLevel: gitlab.Ptr(gitlab.AccessLevelOwner)})
	memberErr(t, err, 403, "403 Forbidden")
	got, _, err := maint.Invitations.Update(ctx, app, "guest@example.com", &gitlab.UpdateInvitationOptions{AccessLevel: gitlab.Ptr(gitlab.AccessLevelDeveloper)})
	require.NoError(t, err)
	assert.Equal(t, gitlab.AccessLevelDeveloper, got.AccessLevel)
	assert.Equal(t, gitlabtest.AccessDeveloper, w.s.Invitations(appSrc)[0].AccessLevel)
	_, err = w.c["stranger"].Invitations.Delete(ctx, app, "guest@example.com")
	memberErr(t, err, 403, "403 Forbidden")
	_, err = maint.Invitations.Delete(ctx, app, "guest@example.com")
	require.NoError(t, err)
	assert.Empty(t, w.s.Invitations(appSrc))
}

func contractAccessRequests(t *testing.T) {
	t.Parallel()
	w := contractMemberWorld(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		src      gitlab.Source
		fake     gitlabtest.MemberSource
		approver string
	}{
		{"group", gitlab.GroupPath("other"), gitlabtest.GroupSource(w.oth), "root"},
		{"project", gitlab.ProjectPath("top/sub/app"), gitlabtest.ProjectSource(w.app), "maint"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ar, resp, err := w.c["jane"].AccessRequests.Request(ctx, tc.src)
			require.NoError(t, err)
			assert.Equal(t, 201, resp.StatusCode)
			assert.Equal(t, "jane", ar.Username)
			require.NotNil(t, ar.RequestedAt)
			assert.True(t, contractNow.Equal(*ar.RequestedAt))
			_, _, err = w.c["jane"].AccessRequests.Request(ctx, tc.src)
			assert.Equal(t, []string{"already exists in source"}, contractStatus(t, err, 400).Fields["user_id"], "a second request")
			_, _, err = w.c["stranger"].AccessRequests.Request(ctx, tc.src)
			require.NoError(t, err)
			reqs := w.s.AccessRequests(tc.fake)
			require.Len(t, reqs, 2)
			assert.Equal(t, w.ids["jane"], reqs[0].UserID)
			assert.NotContains(t, levels(w.s.Members(tc.fake)), w.ids["jane"], "a request is not a membership")

			list, _, err := w.c[tc.approver].AccessRequests.List(ctx, tc.src, nil)
			require.NoError(t, err)
			require.Len(t, list, 2)
			assert.Equal(t, "jane", list[0].Username)
			var names []string
			for r, err := range w.c[tc.approver].AccessRequests.ListIter(ctx, tc.src, &gitlab.ListOptions{PerPage: 1}) {
				require.NoError(t, err)
				names = append(names, r.Username)
			}
			assert.Equal(t, []string{"jane", "stranger"}, names)
			_, _, err = w.c["jane"].AccessRequests.List(ctx, tc.src, nil)
			memberErr(t, err, 403, "403 Forbidden")

			m, resp, err := w.c[tc.approver].AccessRequests.Approve(ctx, tc.src, w.ids["jane"], &gitlab.ApproveAccessRequestOptions{AccessLevel: gitlab.Ptr(gitlab.AccessLevelReporter)})
			require.NoError(t, err)
			assert.Equal(t, 201, resp.StatusCode)
			assert.Equal(t, "jane", m.Username)
			assert.Equal(t, gitlab.AccessLevelReporter, m.AccessLevel)
			assert.Equal(t, gitlabtest.AccessReporter, levels(w.s.Members(tc.fake))[w.ids["jane"]])
			_, _, err = w.c[tc.approver].AccessRequests.Approve(ctx, tc.src, w.ids["jane"], nil)
			memberErr(t, err, 404, "404 Not found")
			_, _, err = w.c["jane"].AccessRequests.Request(ctx, tc.src)
			memberErr(t, err, 403, "403 Forbidden") // a member requests nothing

			// The requester withdraws their own request.
			resp, err = w.c["stranger"].AccessRequests.Deny(ctx, tc.src, w.ids["stranger"])
			require.NoError(t, err)
			assert.Equal(t, 204, resp.StatusCode)
			assert.Empty(t, w.s.AccessRequests(tc.fake))
			_, err = w.c[tc.approver].AccessRequests.Deny(ctx, tc.src, w.ids["stranger"])
			memberErr(t, err, 404, "404 Not found")
		})
	}

	// Adding a requester as a member approves the request.
	_, _, err := w.c["dev"].AccessRequests.Request(ctx, gitlab.GroupID(w.oth))
	require.NoError(t, err)
	m, _, err := w.c["root"].Members.Add(ctx, gitlab.GroupID(w.oth), &gitlab.AddMemberOptions{UserID: gitlab.Ptr(w.ids["dev"]), AccessLevel: gitlab.Ptr(gitlab.AccessLevelGuest)})
	require.NoError(t, err)
	assert.Equal(t, gitlab.AccessLevelGuest, m.AccessLevel)
	assert.Empty(t, w.s.AccessRequests(gitlabtest.GroupSource(w.oth)))
	assert.Equal(t, gitlabtest.AccessGuest, levels(w.s.Members(gitlabtest.GroupSource(w.oth)))[w.ids["dev"]])
}

// contractMembersRetries checks the SDK's retry decisions against faults
// that strike after the fake applied a write: the writes it retries
// (AddMany, Invitations.Create, Update) end done once each, and Add, which
// a repeat would get 409 for, is sent once per call.
func contractMembersRetries(t *testing.T) {
	t.Parallel()
	s, _ := contractServer(t)
	ctx := context.Background()
	ownerID, _ := s.CreateUser(gitlabtest.UserSpec{Username: "owner"})
	top := s.CreateGroup(gitlabtest.GroupSpec{Path: "top", Owners: []int64{ownerID}})
	topSrc := gitlabtest.GroupSource(top)
	ids := s.GenerateUsers(30)
	s.Configure(gitlabtest.WithFaults(0.5, 11, gitlabtest.FaultStatus502AfterApply, gitlabtest.FaultDropAfterApply, gitlabtest.FaultStatus503))
	c := s.Client(gitlab.WithRetryMax(20), gitlab.WithRetryWait(time.Millisecond, 2*time.Millisecond))

	want := map[int64]int{ownerID: gitlabtest.AccessOwner}
	for i := 0; i < 20; i += 2 {
		res, _, err := c.Members.AddMany(ctx, gitlab.GroupID(top), &gitlab.AddMembersOptions{UserIDs: ids[i : i+2], AccessLevel: gitlab.Ptr(gitlab.AccessLevelDeveloper)})
		require.NoError(t, err, "AddMany is retried")
		assert.False(t, res.Failed(), "a repeat updates the members the first attempt added: %+v", res)
		want[ids[i]], want[ids[i+1]] = gitlabtest.AccessDeveloper, gitlabtest.AccessDeveloper
	}
	for _, id := range ids[:5] {
		m, _, err := c.Members.Update(ctx, gitlab.GroupID(top), id, &gitlab.UpdateMemberOptions{AccessLevel: gitlab.Ptr(gitlab.AccessLevelMaintainer)})
		require.NoError(t, err, "Update is retried")
		assert.Equal(t, gitlab.AccessLevelMaintainer, m.AccessLevel)
		want[id] = gitlabtest.AccessMaintainer
	}
	emails := []string{"a@example.org", "b@example.org", "c@example.org"}
	for _, e := range emails {
		res, _, err := c.Invitations.Create(ctx, gitlab.GroupID(top), &gitlab.CreateInvitationOptions{Email: []string{e}, AccessLevel: gitlab.Ptr(gitlab.AccessLevelGuest)})
		require.NoError(t, err, "Invitations.Create is retried")
		assert.False(t, res.Failed())
	}

	// Add is sent once (a 5xx or a dropped connection may come after
	// GitLab acted): the member is there exactly when the fault struck
	// after the fake applied it.
	before := s.RouteCount("POST", "/groups/:ref/members")
	failed := 0
	for _, id := range ids[20:] {
		_, _, err := c.Members.Add(ctx, gitlab.GroupID(top), &gitlab.AddMemberOptions{UserID: gitlab.Ptr(id), AccessLevel: gitlab.Ptr(gitlab.AccessLevelReporter)})
		var er *gitlab.ErrorResponse
		if errors.As(err, &er) {
			assert.NotEqual(t, 409, er.StatusCode, "a repeat of an applied Add would be 409")
		}
		if err != nil {
			failed++
		}
		if _, applied := levels(s.Members(topSrc))[id]; applied {
			want[id] = gitlabtest.AccessReporter
		}
	}
	assert.Positive(t, failed, "the faults struck some Add")
	assert.Equal(t, 10, s.RouteCount("POST", "/groups/:ref/members")-before, "Add is sent once, whatever the fault")
	assert.Equal(t, want, levels(s.Members(topSrc)))
	assert.Len(t, s.Members(topSrc), len(want), "nobody added twice")
	var got []string
	for _, inv := range s.Invitations(topSrc) {
		got = append(got, inv.InviteEmail)
	}
	assert.Equal(t, emails, got)
	assert.Positive(t, s.FaultCount(gitlabtest.FaultStatus502AfterApply, gitlabtest.FaultDropAfterApply))
}
