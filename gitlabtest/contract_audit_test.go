package gitlabtest_test

// Contract cases of audit events (AuditEvents): the events the fake
// records for what it is asked to do, read back through the SDK and
// through Server.AuditEvents, GitLab's visibility rules (a Developer
// sees only their own), and both paginations with the instance list's
// empty page after a full last page. TestContract runs them with the
// others.

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// auditCases are the contract cases of this file, in TestContract's
// table.
var auditCases = []contractCase{
	{"AuditEventsOfUserLifecycle", contractAuditUserLifecycle},
	{"AuditEventsOfMembersAndTokens", contractAuditMembersAndTokens},
	{"AuditEventsDeveloperSeesOwn", contractAuditVisibility},
	{"AuditEventsPagination", contractAuditPagination},
}

func eventNames(es []*gitlab.AuditEvent) []string {
	var out []string
	for _, e := range es {
		out = append(out, *e.EventName)
	}
	return out
}

func snapshotNames(es []gitlabtest.AuditEventSnapshot) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Name)
	}
	return out
}

func contractAuditUserLifecycle(t *testing.T) {
	ctx := context.Background()
	s, admin := contractServer(t)
	rootID := s.Users()[0].ID
	u, _, err := admin.Users.Create(ctx, &gitlab.CreateUserOptions{Email: gitlab.Ptr("jane@example.com"),
		Username: gitlab.Ptr("jane"), Name: gitlab.Ptr("Jane Doe"), Password: gitlab.Ptr("a-long-s3cret-pass"),
		SkipConfirmation: gitlab.Ptr(true)})
	require.NoError(t, err)
	_, err = admin.Users.Block(ctx, u.ID)
	require.NoError(t, err)
	_, err = admin.Users.Block(ctx, u.ID)
	require.NoError(t, err, "blocking a blocked user succeeds and records nothing")
	bobID, _ := s.CreateUser(gitlabtest.UserSpec{Username: "bob"})
	_, err = admin.Users.Ban(ctx, bobID)
	require.NoError(t, err)
	carlID, _ := s.CreateUser(gitlabtest.UserSpec{Username: "carl"})
	_, err = admin.Users.Deactivate(ctx, carlID)
	require.NoError(t, err)
	_, err = admin.Users.Delete(ctx, carlID, nil)
	require.NoError(t, err)

	events, resp, err := admin.AuditEvents.List(ctx, &gitlab.ListAuditEventsOptions{Sort: gitlab.Ptr(gitlab.AuditEventSortCreatedAsc)})
	require.NoError(t, err)
	want := []string{"user_created", "user_blocked", "ban_user", "user_deactivate", "user_destroyed"}
	assert.Equal(t, want, eventNames(events))
	assert.Equal(t, 0, resp.TotalItems, "the instance list is not counted")
	assert.Equal(t, want, snapshotNames(s.AuditEvents()), "the state read back")

	created := events[0]
	assert.Equal(t, rootID, created.AuthorID)
	assert.Equal(t, gitlab.AuditEventEntityUser, created.EntityType)
	assert.Equal(t, u.ID, created.EntityID)
	assert.Equal(t, map[string]any{"event_name": "user_created", "author_name": "Administrator", "author_class": "User",
		"target_id": float64(u.ID), "target_type": "User", "target_details": "jane", "custom_message": "User jane created",
		"add": "user", "entity_path": "jane", "author_email": s.Users()[0].Email}, created.Details)
	assert.True(t, created.CreatedAt.Equal(contractNow), "the time comes from WithClock")
	assert.Equal(t, "Blocked user", events[1].Details["custom_message"])
	assert.Equal(t, "User carl scheduled for deletion", events[4].Details["custom_message"])

	forCarl, _, err := admin.AuditEvents.List(ctx, &gitlab.ListAuditEventsOptions{EntityType: gitlab.Ptr(gitlab.AuditEventEntityUser),
		EntityID: gitlab.Ptr(carlID)})
	require.NoError(t, err)
	assert.Equal(t, []string{"user_destroyed", "user_deactivate"}, eventNames(forCarl), "newest first")
	got, _, err := admin.AuditEvents.Get(ctx, events[2].ID)
	require.NoError(t, err)
	assert.Equal(t, events[2], got)
	_, _, err = admin.AuditEvents.Get(ctx, 999)
	require.ErrorIs(t, err, gitlab.ErrNotFound)
	assert.Contains(t, err.Error(), "404 Not found")

	jane := s.ClientFor(s.CreatePersonalToken(bobID), gitlab.WithoutRetries())
	_, _, err = jane.AuditEvents.List(ctx, nil)
	require.ErrorIs(t, err, gitlab.ErrForbidden, "administrators only")
	_, _, err = jane.AuditEvents.Get(ctx, events[0].ID)
	require.ErrorIs(t, err, gitlab.ErrForbidden)
}

func contractAuditMembersAndTokens(t *testing.T) {
	ctx := context.Background()
	w := contractCredWorld(t)
	owner, root := w.c["owner"], w.c["root"]
	janeID, _ := w.s.CreateUser(gitlabtest.UserSpec{Username: "jane", Name: "Jane Doe"})
	top := gitlab.GroupID(w.top)
	_, _, err := owner.Members.Add(ctx, top, &gitlab.AddMemberOptions{UserID: gitlab.Ptr(janeID), AccessLevel: gitlab.Ptr(gitlab.AccessLevelDeveloper)})
	require.NoError(t, err)
	_, _, err = owner.Members.Update(ctx, top, janeID, &gitlab.UpdateMemberOptions{AccessLevel: gitlab.Ptr(gitlab.AccessLevelMaintainer)})
	require.NoError(t, err)
	_, err = owner.Members.Remove(ctx, top, janeID, nil)
	require.NoError(t, err)
	tok, _, err := owner.AccessTokens.Create(ctx, top, &gitlab.CreateAccessTokenOptions{Name: gitlab.Ptr("deploy"),
		Scopes: []string{gitlab.ScopeReadAPI}, ExpiresAt: gitlab.Ptr(gitlab.ISODate(contractNow.AddDate(0, 1, 0)))})
	require.NoError(t, err)
	_, _, err = owner.AccessTokens.Rotate(ctx, top, tok.ID, nil)
	require.NoError(t, err)
	pat, _, err := root.PersonalAccessTokens.CreateForUser(ctx, janeID, &gitlab.CreatePersonalAccessTokenOptions{Name: gitlab.Ptr("ci"),
		Scopes: []string{gitlab.ScopeAPI}})
	require.NoError(t, err)
	_, err = root.PersonalAccessTokens.Revoke(ctx, pat.ID)
	require.NoError(t, err)

	group, _, err := owner.AuditEvents.ListFor(ctx, top, nil)
	require.NoError(t, err)
	// Rotating records nothing: PersonalAccessTokens::RotateService has
	// no audit event.
	assert.Equal(t, []string{"group_access_token_created", "member_destroyed", "member_updated", "member_created"}, eventNames(group))
	updated := group[2]
	assert.Equal(t, w.ids["owner"], updated.AuthorID)
	assert.Equal(t, gitlab.AuditEventEntityGroup, updated.EntityType)
	for k, v := range map[string]any{"change": "access_level", "from": "Developer", "to": "Maintainer", "as": "Maintainer",
		"target_id": float64(janeID), "target_details": "Jane Doe", "custom_message": "Membership updated", "expiry_to": nil} {
		assert.Equal(t, v, updated.Details[k], k)
	}
	assert.Equal(t, "custom", group[0].Details["action"])
	assert.Equal(t, float64(tok.ID), group[0].Details["target_id"])

	users, _, err := root.AuditEvents.List(ctx, &gitlab.ListAuditEventsOptions{EntityType: gitlab.Ptr(gitlab.AuditEventEntityUser)})
	require.NoError(t, err)
	assert.Equal(t, []string{"personal_access_token_revoked", "personal_access_token_created"}, eventNames(users))
	assert.Equal(t, "Created personal access token with id "+itoa(pat.ID), users[1].Details["custom_message"])
	assert.Equal(t, float64(janeID), users[1].Details["target_id"], "the target is the token's user; the entity its creator")
	snap := w.s.AuditEvents()
	require.Len(t, snap, 6)
	assert.Equal(t, "member_created", snap[0].Name)
}

func contractAuditVisibility(t *testing.T) {
	ctx := context.Background()
	w := contractCredWorld(t)
	repID, repTok := w.s.CreateUser(gitlabtest.UserSpec{Username: "rep"})
	w.s.AddGroupMember(w.top, repID, gitlabtest.AccessReporter)
	devID, devTok := w.s.CreateUser(gitlabtest.UserSpec{Username: "gdev"})
	w.s.AddGroupMember(w.top, devID, gitlabtest.AccessDeveloper)
	own := w.s.AddAuditEvent(gitlabtest.AuditEventSnapshot{AuditEventSpec: gitlabtest.AuditEventSpec{Name: "saml_group_links_created",
		EntityType: gitlabtest.AuditEntityGroup, EntityID: w.top}, AuthorID: devID})
	other := w.s.AddAuditEvent(gitlabtest.AuditEventSnapshot{AuditEventSpec: gitlabtest.AuditEventSpec{Name: "member_created",
		EntityType: gitlabtest.AuditEntityGroup, EntityID: w.top}, AuthorID: w.ids["owner"]})
	inApp := w.s.AddAuditEvent(gitlabtest.AuditEventSnapshot{AuditEventSpec: gitlabtest.AuditEventSpec{Name: "project_access_token_created",
		EntityType: gitlabtest.AuditEntityProject, EntityID: w.app}, AuthorID: w.ids["maint"]})
	top := gitlab.GroupID(w.top)

	dev := w.client(devTok)
	mine, _, err := dev.AuditEvents.ListFor(ctx, top, nil)
	require.NoError(t, err)
	require.Len(t, mine, 1, "a developer sees only the events they authored")
	assert.Equal(t, own, mine[0].ID)
	_, _, err = dev.AuditEvents.GetFor(ctx, top, other)
	require.ErrorIs(t, err, gitlab.ErrNotFound)
	assert.Contains(t, err.Error(), "404 Not found")

	all, _, err := w.c["owner"].AuditEvents.ListFor(ctx, gitlab.GroupPath("top"), nil)
	require.NoError(t, err)
	assert.Equal(t, []int64{other, own}, []int64{all[0].ID, all[1].ID})
	got, _, err := w.c["owner"].AuditEvents.GetFor(ctx, top, other)
	require.NoError(t, err)
	assert.Equal(t, "member_created", *got.EventName)
	_, _, err = w.c["owner"].AuditEvents.GetFor(ctx, top, inApp)
	require.ErrorIs(t, err, gitlab.ErrNotFound, "another project's event")

	_, _, err = w.client(repTok).AuditEvents.ListFor(ctx, top, nil)
	require.ErrorIs(t, err, gitlab.ErrForbidden, "reporters and lower")
	_, _, err = w.c["stranger"].AuditEvents.ListFor(ctx, top, nil)
	require.ErrorIs(t, err, gitlab.ErrNotFound, "a group the caller cannot see")
	assert.Contains(t, err.Error(), "404 Group Not Found")

	app := gitlab.ProjectID(w.app)
	pe, _, err := w.c["maint"].AuditEvents.ListFor(ctx, app, nil)
	require.NoError(t, err)
	require.Len(t, pe, 1)
	_, _, err = w.c["dev"].AuditEvents.GetFor(ctx, app, inApp)
	require.ErrorIs(t, err, gitlab.ErrNotFound, "a project developer does not see a maintainer's event")
	_, _, err = w.c["root"].AuditEvents.GetFor(ctx, gitlab.ProjectPath("top/app"), inApp)
	require.NoError(t, err)
}

func contractAuditPagination(t *testing.T) {
	ctx := context.Background()
	w := contractCredWorld(t)
	for i := range 6 {
		w.s.AddAuditEvent(gitlabtest.AuditEventSnapshot{AuditEventSpec: gitlabtest.AuditEventSpec{Name: "x",
			EntityType: gitlabtest.AuditEntityGroup, EntityID: w.top}, CreatedAt: contractNow.Add(time.Duration(i) * time.Minute)})
	}
	root := w.c["root"]
	p3, resp, err := root.AuditEvents.List(ctx, &gitlab.ListAuditEventsOptions{ListOptions: gitlab.ListOptions{Page: 3, PerPage: 2}})
	require.NoError(t, err)
	assert.Len(t, p3, 2)
	assert.Equal(t, 4, resp.NextPage, "a full last page announces another")
	p4, resp, err := root.AuditEvents.List(ctx, &gitlab.ListAuditEventsOptions{ListOptions: gitlab.ListOptions{Page: 4, PerPage: 2}})
	require.NoError(t, err)
	assert.Empty(t, p4)
	assert.Equal(t, 0, resp.NextPage)

	before := w.s.RouteCount("GET", "/audit_events")
	all, err := gitlab.Collect(root.AuditEvents.ListIter(ctx, &gitlab.ListAuditEventsOptions{ListOptions: gitlab.ListOptions{PerPage: 2}}))
	require.NoError(t, err, "the empty page after a full last page ends the walk")
	assert.Len(t, all, 6)
	assert.Equal(t, 4, w.s.RouteCount("GET", "/audit_events")-before, "three full pages and the empty one")

	keyset := &gitlab.ListAuditEventsOptions{ListOptions: gitlab.ListOptions{PerPage: 4}, Pagination: gitlab.Ptr(gitlab.PaginationKeyset)}
	first, resp, err := root.AuditEvents.List(ctx, keyset)
	require.NoError(t, err)
	assert.Len(t, first, 4)
	assert.NotEmpty(t, resp.NextLink)
	ks, err := gitlab.Collect(root.AuditEvents.ListIter(ctx, keyset))
	require.NoError(t, err)
	assert.Equal(t, idsOf(all), idsOf(ks), "keyset yields the same events, newest first")

	group, err := gitlab.Collect(w.c["owner"].AuditEvents.ListForIter(ctx, gitlab.GroupID(w.top),
		&gitlab.ListAuditEventsForOptions{ListOptions: gitlab.ListOptions{PerPage: 4}, Pagination: gitlab.Ptr(gitlab.PaginationKeyset)}))
	require.NoError(t, err)
	assert.Len(t, group, 6)
	_, resp, err = w.c["owner"].AuditEvents.ListFor(ctx, gitlab.GroupID(w.top), &gitlab.ListAuditEventsForOptions{ListOptions: gitlab.ListOptions{PerPage: 4}})
	require.NoError(t, err)
	assert.Equal(t, 6, resp.TotalItems, "group lists are counted")
	after := contractNow.Add(4 * time.Minute)
	late, _, err := w.c["owner"].AuditEvents.ListFor(ctx, gitlab.GroupID(w.top), &gitlab.ListAuditEventsForOptions{CreatedAfter: &after})
	require.NoError(t, err)
	assert.Len(t, late, 2)
}

func idsOf(es []*gitlab.AuditEvent) []int64 {
	var out []int64
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}
