package gitlabtest_test

// Contract cases of the enterprise users API (EnterpriseUsers) and of
// the offering the fake answers as (WithGitLabCom). Each calls the SDK
// against the fake and checks the decoded answer, the fake's state
// afterwards (User, Group) and GitLab's statuses and words as typed
// errors. TestContract runs them with the others.

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// enterpriseCases are the contract cases of this file, in TestContract's
// table.
var enterpriseCases = []contractCase{
	{"EnterpriseUsersListFiltersAndIter", contractEnterpriseList},
	{"EnterpriseUsersGetUpdate", contractEnterpriseGetUpdate},
	{"EnterpriseUsersDisableTwoFactor", contractEnterpriseTwoFactor},
	{"EnterpriseUsersDelete", contractEnterpriseDelete},
	{"EnterpriseUsersRefusals", contractEnterpriseRefusals},
	{"OfferingEnterpriseUsers", contractOfferingEnterpriseUsers},
	{"OfferingGroupServiceAccounts", contractOfferingServiceAccounts},
}

// entWorld is the world of the enterprise cases: the top-level group
// acme (owner its Owner, maint a Maintainer) with the subgroup acme/sub
// and the verified domain acme.example; ann, bob (blocked) and cid
// (two-factor on, created a day later) are its enterprise users, eve
// is an enterprise user of the group other, and out is nobody's.
type entWorld struct {
	s          *gitlabtest.Server
	ids        map[string]int64
	c          map[string]*gitlab.Client
	acme, sub  int64
	otherGroup int64
}

func contractEntWorld(t *testing.T, opts ...gitlabtest.Option) entWorld {
	t.Helper()
	s, admin := contractServer(t, opts...)
	w := entWorld{s: s, ids: map[string]int64{}, c: map[string]*gitlab.Client{"root": admin}}
	specs := []gitlabtest.UserSpec{
		{Username: "owner"}, {Username: "maint"}, {Username: "out"}, {Username: "eve"},
		{Username: "ann", Name: "Ann Archer", Email: "ann@acme.example"},
		{Username: "bob", Name: "Bob Baker", Email: "bob@acme.example", State: gitlab.UserStateBlocked},
		{Username: "cid", Name: "Cid Ann", Email: "cid@acme.example", TwoFactorEnabled: true, CreatedAt: contractNow.Add(24 * time.Hour)},
	}
	for _, spec := range specs {
		id, tok := s.CreateUser(spec)
		w.ids[spec.Username], w.c[spec.Username] = id, s.ClientFor(tok, gitlab.WithoutRetries())
	}
	w.acme = s.CreateGroup(gitlabtest.GroupSpec{Path: "acme", Owners: []int64{w.ids["owner"]}})
	s.AddGroupMember(w.acme, w.ids["maint"], gitlabtest.AccessMaintainer)
	w.sub = s.CreateGroup(gitlabtest.GroupSpec{Path: "sub", ParentID: w.acme})
	w.otherGroup = s.CreateGroup(gitlabtest.GroupSpec{Path: "other", Owners: []int64{w.ids["out"]}})
	s.VerifyGroupDomain(w.acme, "acme.example")
	for _, n := range []string{"ann", "bob", "cid"} {
		require.NoError(t, s.ClaimEnterpriseUser(w.acme, w.ids[n]))
	}
	require.NoError(t, s.ClaimEnterpriseUser(w.otherGroup, w.ids["eve"]))
	return w
}

func userIDs(users []*gitlab.User) []int64 {
	out := make([]int64, 0, len(users))
	for _, u := range users {
		out = append(out, u.ID)
	}
	return out
}

func contractEnterpriseList(t *testing.T) {
	t.Parallel()
	w := contractEntWorld(t, gitlabtest.WithGitLabCom())
	ctx := context.Background()
	owner, ann, bob, cid := w.c["owner"], w.ids["ann"], w.ids["bob"], w.ids["cid"]
	list := func(opt *gitlab.ListEnterpriseUsersOptions) []int64 {
		t.Helper()
		users, _, err := owner.EnterpriseUsers.List(ctx, gitlab.GroupPath("acme"), opt)
		require.NoError(t, err)
		return userIDs(users)
	}
	assert.Equal(t, []int64{cid, bob, ann}, list(nil), "id desc, only this group's")
	assert.Equal(t, []int64{ann}, list(&gitlab.ListEnterpriseUsersOptions{Username: gitlab.Ptr("ANN")}))
	assert.Equal(t, []int64{cid, ann}, list(&gitlab.ListEnterpriseUsersOptions{Active: gitlab.Ptr(true)}))
	assert.Equal(t, []int64{bob}, list(&gitlab.ListEnterpriseUsersOptions{Blocked: gitlab.Ptr(true)}))
	assert.Equal(t, []int64{cid}, list(&gitlab.ListEnterpriseUsersOptions{TwoFactor: gitlab.Ptr(gitlab.TwoFactorFilterEnabled)}))
	assert.Equal(t, []int64{bob, ann}, list(&gitlab.ListEnterpriseUsersOptions{TwoFactor: gitlab.Ptr(gitlab.TwoFactorFilterDisabled)}))
	later := contractNow.Add(time.Hour)
	assert.Equal(t, []int64{cid}, list(&gitlab.ListEnterpriseUsersOptions{CreatedAfter: &later}))
	assert.Equal(t, []int64{bob, ann}, list(&gitlab.ListEnterpriseUsersOptions{CreatedBefore: &later}))
	// Search: name or username, ranked (exact name first), and the
	// private primary email.
	assert.Equal(t, []int64{ann, cid}, list(&gitlab.ListEnterpriseUsersOptions{Search: gitlab.Ptr("ann")}))
	assert.Equal(t, []int64{bob}, list(&gitlab.ListEnterpriseUsersOptions{Search: gitlab.Ptr("bob@acme.example")}))

	users, resp, err := owner.EnterpriseUsers.List(ctx, gitlab.GroupID(w.acme), &gitlab.ListEnterpriseUsersOptions{ListOptions: gitlab.ListOptions{PerPage: 2}})
	require.NoError(t, err)
	assert.Equal(t, []int64{cid, bob}, userIDs(users))
	assert.Equal(t, 3, resp.TotalItems)
	assert.Equal(t, 2, resp.NextPage)
	// The entity is UserPublic: the private email and the 2FA state.
	assert.Equal(t, "cid@acme.example", users[0].Email)
	assert.True(t, users[0].TwoFactorEnabled)

	opt := &gitlab.ListEnterpriseUsersOptions{ListOptions: gitlab.ListOptions{PerPage: 1}}
	var got []int64
	for u, err := range owner.EnterpriseUsers.ListIter(ctx, gitlab.GroupID(w.acme), opt) {
		require.NoError(t, err)
		got = append(got, u.ID)
	}
	assert.Equal(t, []int64{cid, bob, ann}, got)
	assert.Equal(t, 0, opt.Page, "opt not modified")
}

func contractEnterpriseGetUpdate(t *testing.T) {
	t.Parallel()
	w := contractEntWorld(t, gitlabtest.WithGitLabCom())
	ctx := context.Background()
	owner, ann := w.c["owner"], w.ids["ann"]

	u, _, err := owner.EnterpriseUsers.Get(ctx, gitlab.GroupID(w.acme), ann)
	require.NoError(t, err)
	assert.Equal(t, [3]any{ann, "ann", "ann@acme.example"}, [3]any{u.ID, u.Username, u.Email})

	u, _, err = owner.EnterpriseUsers.Update(ctx, gitlab.GroupPath("acme"), ann, &gitlab.UpdateEnterpriseUserOptions{
		Name: gitlab.Ptr("Ann Baker"), Email: gitlab.Ptr("ann.baker@acme.example")})
	require.NoError(t, err)
	assert.Equal(t, [2]string{"Ann Baker", "ann.baker@acme.example"}, [2]string{u.Name, u.Email})
	snap, ok := w.s.User(ann)
	require.True(t, ok)
	assert.Equal(t, [3]string{"Ann Baker", "ann.baker@acme.example", ""}, [3]string{snap.Name, snap.Email, snap.UnconfirmedEmail},
		"changed at once, without reconfirmation")
	assert.Equal(t, w.acme, snap.EnterpriseGroupID)

	for email, message := range map[string]string{
		"ann@gmail.example":        "Email must be owned by the user's enterprise group",
		"invalid ann@acme.example": "Email is invalid. Email must be owned by the user's enterprise group",
		"bob@acme.example":         "Email has already been taken",
	} {
		_, _, err = owner.EnterpriseUsers.Update(ctx, gitlab.GroupID(w.acme), ann, &gitlab.UpdateEnterpriseUserOptions{Email: gitlab.Ptr(email)})
		memberErr(t, err, http.StatusBadRequest, message)
		assert.ErrorIs(t, err, gitlab.ErrBadRequest)
	}
	snap, _ = w.s.User(ann)
	assert.Equal(t, "ann.baker@acme.example", snap.Email, "refusals change nothing")
}

func contractEnterpriseTwoFactor(t *testing.T) {
	t.Parallel()
	w := contractEntWorld(t, gitlabtest.WithGitLabCom())
	ctx := context.Background()
	owner, cid := w.c["owner"], w.ids["cid"]
	resp, err := owner.EnterpriseUsers.DisableTwoFactor(ctx, gitlab.GroupID(w.acme), cid)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	snap, _ := w.s.User(cid)
	assert.False(t, snap.TwoFactorEnabled)
	_, err = owner.EnterpriseUsers.DisableTwoFactor(ctx, gitlab.GroupID(w.acme), cid)
	memberErr(t, err, http.StatusBadRequest, "400 Bad request - Two-factor authentication is not enabled for this user")
}

func contractEnterpriseDelete(t *testing.T) {
	t.Parallel()
	w := contractEntWorld(t, gitlabtest.WithGitLabCom())
	ctx := context.Background()
	owner, ann, bob := w.c["owner"], w.ids["ann"], w.ids["bob"]
	solo := w.s.CreateGroup(gitlabtest.GroupSpec{Path: "anns", Owners: []int64{ann}})

	_, err := owner.EnterpriseUsers.Delete(ctx, gitlab.GroupID(w.acme), ann, nil)
	memberErr(t, err, http.StatusConflict, "Can not remove a user who is the sole owner of a group.")
	assert.ErrorIs(t, err, gitlab.ErrConflict)
	_, err = owner.EnterpriseUsers.Delete(ctx, gitlab.GroupID(w.acme), ann, &gitlab.DeleteEnterpriseUserOptions{HardDelete: gitlab.Ptr(true)},
		gitlab.WithHeader("If-Unmodified-Since", contractNow.Add(-time.Hour).Format(http.TimeFormat)))
	contractStatus(t, err, http.StatusPreconditionFailed)
	_, ok := w.s.User(ann)
	require.True(t, ok, "not deleted")

	resp, err := owner.EnterpriseUsers.Delete(ctx, gitlab.GroupID(w.acme), ann, &gitlab.DeleteEnterpriseUserOptions{HardDelete: gitlab.Ptr(true)},
		gitlab.WithHeader("If-Unmodified-Since", contractNow.Add(time.Hour).Format(http.TimeFormat)))
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	_, ok = w.s.User(ann)
	assert.False(t, ok)
	_, ok = w.s.Group(solo)
	assert.False(t, ok, "hard_delete removes the groups the user solely owned")

	_, err = owner.EnterpriseUsers.Delete(ctx, gitlab.GroupID(w.acme), bob, nil)
	require.NoError(t, err)
	_, ok = w.s.User(bob)
	assert.False(t, ok)
	users, _, err := owner.EnterpriseUsers.List(ctx, gitlab.GroupID(w.acme), nil)
	require.NoError(t, err)
	assert.Equal(t, []int64{w.ids["cid"]}, userIDs(users))
}

// Every route answers in GitLab's order: 401, 404 Group Not Found, 400
// for a subgroup, 403 for a non-Owner, 404 Not found for a user the
// group did not claim.
func contractEnterpriseRefusals(t *testing.T) {
	t.Parallel()
	w := contractEntWorld(t, gitlabtest.WithGitLabCom())
	ctx := context.Background()
	anon := w.s.ClientFor("", gitlab.WithoutRetries())
	type call func(c *gitlab.Client, g gitlab.GroupRef, id int64) error
	calls := map[string]call{
		"List": func(c *gitlab.Client, g gitlab.GroupRef, _ int64) error {
			_, _, err := c.EnterpriseUsers.List(ctx, g, nil)
			return err
		},
		"Get": func(c *gitlab.Client, g gitlab.GroupRef, id int64) error {
			_, _, err := c.EnterpriseUsers.Get(ctx, g, id)
			return err
		},
		"Update": func(c *gitlab.Client, g gitlab.GroupRef, id int64) error {
			_, _, err := c.EnterpriseUsers.Update(ctx, g, id, &gitlab.UpdateEnterpriseUserOptions{Name: gitlab.Ptr("X")})
			return err
		},
		"DisableTwoFactor": func(c *gitlab.Client, g gitlab.GroupRef, id int64) error {
			_, err := c.EnterpriseUsers.DisableTwoFactor(ctx, g, id)
			return err
		},
		"Delete": func(c *gitlab.Client, g gitlab.GroupRef, id int64) error {
			_, err := c.EnterpriseUsers.Delete(ctx, g, id, nil)
			return err
		},
	}
	acme, cid := gitlab.GroupID(w.acme), w.ids["cid"]
	for name, f := range calls {
		memberErr(t, f(anon, acme, cid), http.StatusUnauthorized, "401 Unauthorized")
		memberErr(t, f(w.c["owner"], gitlab.GroupID(999), cid), http.StatusNotFound, "404 Group Not Found")
		memberErr(t, f(w.c["out"], acme, cid), http.StatusNotFound, "404 Group Not Found") // acme is private
		memberErr(t, f(w.c["owner"], gitlab.GroupPath("acme/sub"), cid), http.StatusBadRequest, "400 Bad request - Must be a top-level group")
		memberErr(t, f(w.c["maint"], acme, cid), http.StatusForbidden, "403 Forbidden")
		if name != "List" {
			memberErr(t, f(w.c["owner"], acme, w.ids["eve"]), http.StatusNotFound, "404 Not found")
			memberErr(t, f(w.c["owner"], acme, w.ids["maint"]), http.StatusNotFound, "404 Not found")
		}
	}
	// The administrator passes the group's check.
	_, _, err := w.c["root"].EnterpriseUsers.Get(ctx, acme, cid)
	require.NoError(t, err)
	snap, _ := w.s.User(cid)
	assert.Equal(t, [2]any{"Cid Ann", true}, [2]any{snap.Name, snap.TwoFactorEnabled}, "refusals change nothing")
}

// The same seed answers as GitLab.com with WithGitLabCom and as a
// self-managed instance (never claiming users) without it.
func contractOfferingEnterpriseUsers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, dotCom := range []bool{false, true} {
		var opts []gitlabtest.Option
		if dotCom {
			opts = append(opts, gitlabtest.WithGitLabCom())
		}
		w := contractEntWorld(t, opts...)
		owner, acme, cid := w.c["owner"], gitlab.GroupID(w.acme), w.ids["cid"]
		users, _, err := owner.EnterpriseUsers.List(ctx, acme, nil)
		require.NoError(t, err)
		_, _, getErr := owner.EnterpriseUsers.Get(ctx, acme, cid)
		_, _, updErr := owner.EnterpriseUsers.Update(ctx, acme, cid, &gitlab.UpdateEnterpriseUserOptions{Name: gitlab.Ptr("Renamed")})
		_, tfaErr := owner.EnterpriseUsers.DisableTwoFactor(ctx, acme, cid)
		_, delErr := owner.EnterpriseUsers.Delete(ctx, acme, cid, nil)
		snap, ok := w.s.User(cid)
		if !dotCom {
			assert.Empty(t, users, "self-managed: no enterprise users")
			for _, err := range []error{getErr, updErr, tfaErr, delErr} {
				memberErr(t, err, http.StatusNotFound, "404 Not found")
			}
			require.True(t, ok)
			assert.Equal(t, [2]any{"Cid Ann", true}, [2]any{snap.Name, snap.TwoFactorEnabled})
			// The rest of the API is the same: the top-level check still applies.
			_, _, err = owner.EnterpriseUsers.List(ctx, gitlab.GroupID(w.sub), nil)
			memberErr(t, err, http.StatusBadRequest, "400 Bad request - Must be a top-level group")
			continue
		}
		assert.Equal(t, []int64{cid, w.ids["bob"], w.ids["ann"]}, userIDs(users))
		for _, err := range []error{getErr, updErr, tfaErr, delErr} {
			assert.NoError(t, err)
		}
		assert.False(t, ok, "GitLab.com: deleted")
	}
}

// GitLab.com lets a top-level group's Owners create and delete the
// group's service accounts (the application setting is on there); a
// self-managed instance, by default, only its administrators.
func contractOfferingServiceAccounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, dotCom := range []bool{false, true} {
		var opts []gitlabtest.Option
		if dotCom {
			opts = append(opts, gitlabtest.WithGitLabCom())
		}
		w := contractEntWorld(t, opts...)
		sa, _, err := w.c["owner"].ServiceAccounts.CreateForGroup(ctx, gitlab.GroupID(w.acme), &gitlab.CreateServiceAccountOptions{Username: gitlab.Ptr("robot")})
		if !dotCom {
			memberErr(t, err, http.StatusBadRequest, "400 Bad request - User does not have permission to create a service account in this group.")
			continue
		}
		require.NoError(t, err)
		snap, ok := w.s.User(sa.ID)
		require.True(t, ok)
		assert.Equal(t, [2]any{true, w.acme}, [2]any{snap.ServiceAccount, snap.ProvisionedByGroupID})
		_, err = w.c["owner"].ServiceAccounts.DeleteForGroup(ctx, gitlab.GroupID(w.acme), sa.ID, nil)
		require.NoError(t, err)
		_, ok = w.s.User(sa.ID)
		assert.False(t, ok, "deleted by the Owner on GitLab.com")
	}
	// An explicit WithOwnerServiceAccounts(false) wins over the offering's default.
	w := contractEntWorld(t, gitlabtest.WithGitLabCom(), gitlabtest.WithOwnerServiceAccounts(false))
	_, _, err := w.c["owner"].ServiceAccounts.CreateForGroup(ctx, gitlab.GroupID(w.acme), nil)
	contractStatus(t, err, http.StatusBadRequest)
}
