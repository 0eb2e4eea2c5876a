package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// summary is an event's identity: name, author, entity and target.
type summary struct {
	Name       string
	AuthorID   int64
	EntityType string
	EntityID   int64
	TargetID   int64
	TargetType string
	Message    string
}

func summarize(es []*AuditEvent) []summary {
	var out []summary
	for _, e := range es {
		out = append(out, summary{e.Name, e.AuthorID, e.EntityType, e.EntityID, e.TargetID, e.TargetType, e.Message})
	}
	return out
}

func detail(e *AuditEvent, key string) any {
	for _, d := range e.Details {
		if d.Key == key {
			return d.Value
		}
	}
	return "(absent)"
}

func TestUserLifecycleRecordsUserEvents(t *testing.T) {
	st, admin, users := newTestStore(t, "dormant")
	dormant := users[0]
	admin.Name = "Root"
	at := now.Add(time.Hour)
	u, err := st.CreateUser(admin, UserAttrs{Name: ptr("Jane"), Username: ptr("jane"), Email: ptr("jane@example.com"), Password: ptr("s3cret-pass-word")}, now)
	require.NoError(t, err)
	_, err = st.Block(admin, u, at)
	require.NoError(t, err)
	out, err := st.Block(admin, u, at)
	require.NoError(t, err)
	require.Equal(t, Unchanged, out, "blocking a blocked user records nothing")
	_, err = st.Deactivate(admin, dormant, at)
	require.NoError(t, err)
	bob := st.AddUser(&User{UserData: UserData{Username: "bob", Name: "Bob", Email: "bob@example.com"}, State: StateActive}, new(Email), now)
	_, err = st.Ban(admin, bob, at)
	require.NoError(t, err)
	_, err = st.Ban(admin, bob, at)
	require.Error(t, err, "a refused ban records nothing")
	st.DestroyUser(admin, bob, at)

	assert.Equal(t, []summary{
		{"user_created", admin.ID, AuditUser, u.ID, u.ID, "User", "User jane created"},
		{"user_blocked", admin.ID, AuditUser, u.ID, u.ID, "User", "Blocked user"},
		{"user_deactivate", admin.ID, AuditUser, dormant.ID, dormant.ID, "User", "Deactivated user"},
		{"ban_user", admin.ID, AuditUser, bob.ID, bob.ID, "User", "Banned user"},
		{"user_destroyed", admin.ID, AuditUser, bob.ID, bob.ID, "User", "User bob scheduled for deletion"},
	}, summarize(st.AuditEvents()))
	es := st.AuditEvents()
	assert.Equal(t, "user", detail(es[0], "add"))
	assert.Equal(t, "jane", es[1].TargetDetails)
	assert.Equal(t, "Root", es[1].AuthorName)
	assert.Equal(t, at, es[1].CreatedAt, "the time is the operation's")
	assert.Nil(t, es[4].Author, "a stored event keeps no pointer to its author")
}

func TestDeletingAProvisionedUserIsScopedToItsGroup(t *testing.T) {
	w := newTree(t)
	w.jane.ProvisionedByGroupID = w.top.ID
	w.st.DestroyUser(w.owner, w.jane, now)
	es := w.st.AuditEvents()
	require.Len(t, es, 1)
	assert.Equal(t, summary{"user_destroyed", w.owner.ID, AuditGroup, w.top.ID, w.jane.ID, "User", "User jane scheduled for deletion"}, summarize(es)[0])
	assert.Equal(t, "top", es[0].EntityPath)
}

func TestPersonalTokensAreAuditedInTheAuthorsScope(t *testing.T) {
	st, admin, users := newTestStore(t, "jane")
	jane := users[0]
	pat, err := st.CreatePersonalToken(admin, jane, TokenSpec{Name: "ci", Scopes: []string{"api"}}, now)
	require.NoError(t, err)
	imp, err := st.CreateImpersonationToken(admin, jane, TokenSpec{Name: "imp", Scopes: []string{"api"}, ExpiresAt: ptr(DayOf(now).AddDate(0, 1, 0))}, now)
	require.NoError(t, err)
	_, err = st.RotateToken(pat, nil, now)
	require.NoError(t, err)
	require.NoError(t, st.RevokeToken(jane, imp.ID+1, now)) // the rotated successor is jane's: she revokes it
	require.Error(t, st.RevokeToken(jane, imp.ID, now), "a refused revocation records nothing")

	assert.Equal(t, []summary{
		{"personal_access_token_created", admin.ID, AuditUser, admin.ID, jane.ID, "User", "Created personal access token with id " + idString(pat.ID)},
		{"personal_access_token_created", admin.ID, AuditUser, admin.ID, jane.ID, "User", "Created personal access token with id " + idString(imp.ID)},
		// PersonalAccessTokens::RotateService records no audit event.
		{"personal_access_token_revoked", jane.ID, AuditUser, jane.ID, jane.ID, "User", "Revoked personal access token with id " + idString(imp.ID+1)},
	}, summarize(st.AuditEvents()))
	assert.Equal(t, []AuditDetail{{"revocation_source", nil}}, st.AuditEvents()[2].Details)
}

func TestResourceTokensAreAuditedInTheirGroupOrProject(t *testing.T) {
	w := newTree(t)
	top := GroupSource(w.top.ID)
	tok, err := w.st.CreateResourceToken(w.owner, top, ResourceTokenSpec{Name: "deploy", Scopes: []string{"read_api", "api"},
		ExpiresAt: ptr(DayOf(now).AddDate(0, 1, 0)), ExpiresSet: true, AccessLevel: AccessDeveloper}, "h", now)
	require.NoError(t, err)
	ptok, err := w.st.CreateResourceToken(w.admin, ProjectSource(w.proj.ID), expiring(3), "h", now)
	require.NoError(t, err)
	require.NoError(t, w.st.RevokeResourceToken(w.owner, top, idString(tok.ID), now))

	es := w.st.AuditEvents()
	var tokenEvents []*AuditEvent
	for _, e := range es {
		if e.TargetType == "PersonalAccessToken" {
			tokenEvents = append(tokenEvents, e)
		}
	}
	assert.Equal(t, []summary{
		{"group_access_token_created", w.owner.ID, AuditGroup, w.top.ID, tok.ID, "PersonalAccessToken",
			"Created group access token with token_id: " + idString(tok.ID) + ` with scopes: ["read_api", "api"] and Developer access level.`},
		{"project_access_token_created", w.admin.ID, AuditProject, w.proj.ID, ptok.ID, "PersonalAccessToken",
			"Created project access token with token_id: " + idString(ptok.ID) + ` with scopes: ["api"] and Maintainer access level.`},
		{"group_access_token_deleted", w.owner.ID, AuditGroup, w.top.ID, tok.ID, "PersonalAccessToken",
			"Revoked group access token with token_id: " + idString(tok.ID)},
	}, summarize(tokenEvents))
	assert.Equal(t, w.st.User(tok.UserID).Name, tokenEvents[0].TargetDetails)
	assert.Equal(t, []AuditDetail{{"action", "custom"}}, tokenEvents[0].Details)
}

func TestMembershipChangesRecordMemberEvents(t *testing.T) {
	w := newTree(t)
	top, sub := GroupSource(w.top.ID), GroupSource(w.sub.ID)
	expires := ptr(DayOf(now).AddDate(0, 2, 0))
	m, err := w.st.CreateMember(w.owner, top, w.jane, AddMemberAttrs{AccessLevel: AccessDeveloper, ExpiresAt: expires}, now)
	require.NoError(t, err)
	_, err = w.st.UpdateMember(w.owner, top, w.jane.ID, AccessMaintainer, nil, true, now)
	require.NoError(t, err)
	subRow := w.add(w.jane, sub, AccessMaintainer, nil) // seeding records nothing
	w.st.RemoveMember(w.owner, m, false, now)

	assert.Equal(t, []summary{
		{"member_created", w.owner.ID, AuditGroup, w.top.ID, w.jane.ID, "User", "Membership created"},
		{"member_updated", w.owner.ID, AuditGroup, w.top.ID, w.jane.ID, "User", "Membership updated"},
		{"member_destroyed", w.owner.ID, AuditGroup, w.top.ID, w.jane.ID, "User", "Membership destroyed"},
		{"member_destroyed", w.owner.ID, AuditGroup, w.sub.ID, w.jane.ID, "User", "Membership destroyed"},
	}, summarize(w.st.AuditEvents()))
	es := w.st.AuditEvents()
	assert.Equal(t, []AuditDetail{{"add", "user_access"}, {"as", "Developer"}, {"expires_at", expires.Format(time.DateOnly)},
		{"member_id", m.ID}, {"member_role_id", nil}}, es[0].Details)
	assert.Equal(t, []AuditDetail{{"change", "access_level"}, {"from", "Developer"}, {"to", "Maintainer"},
		{"expiry_from", expires.Format(time.DateOnly)}, {"expiry_to", nil}, {"as", "Maintainer"},
		{"member_id", m.ID}, {"member_role_id", nil}}, es[1].Details)
	assert.Equal(t, []AuditDetail{{"remove", "user_access"}, {"as", "Maintainer"}, {"member_id", subRow.ID}, {"member_role_id", nil}}, es[3].Details)
	assert.Equal(t, w.jane.Name, es[0].TargetDetails)
}

func TestDeveloperSeesOnlyTheirOwnGroupEvents(t *testing.T) {
	w := newTree(t)
	top := GroupSource(w.top.ID)
	w.add(w.dev, top, AccessDeveloper, nil)
	w.add(w.maint, top, AccessReporter, nil)
	own := w.st.audit(w.st.sourceScope("x", w.dev, top), now)
	other := w.st.audit(w.st.sourceScope("y", w.owner, top), now)
	w.st.audit(w.st.sourceScope("z", w.dev, GroupSource(w.other.ID)), now)

	mine, err := w.st.SourceAuditEvents(w.dev, top, nil, nil, now)
	require.NoError(t, err)
	assert.Equal(t, []*AuditEvent{own}, mine)
	all, err := w.st.SourceAuditEvents(w.owner, top, nil, nil, now)
	require.NoError(t, err)
	assert.Equal(t, []*AuditEvent{other, own}, all, "owners see every event, newest first")
	byAdmin, err := w.st.SourceAuditEvents(w.admin, top, nil, nil, now)
	require.NoError(t, err)
	assert.Len(t, byAdmin, 2)

	_, err = w.st.SourceAuditEvents(w.maint, top, nil, nil, now)
	refusedAs(t, err, Forbidden, "")
	_, err = w.st.SourceAuditEvent(w.dev, top, other.ID, now)
	assert.True(t, asError(t, err).Record, "another author's event is RecordNotFound for a developer")
	got, err := w.st.SourceAuditEvent(w.owner, top, other.ID, now)
	require.NoError(t, err)
	assert.Equal(t, other, got)
	_, err = w.st.SourceAuditEvent(w.owner, top, 3, now)
	assert.True(t, asError(t, err).Record, "another group's event is not found")
}

func TestInstanceAuditEventsAreForAdministrators(t *testing.T) {
	st, admin, users := newTestStore(t, "jane")
	jane := users[0]
	first := st.audit(userScope("a", admin, jane, ""), now)
	second := st.audit(userScope("b", jane, jane, ""), now.Add(time.Hour))
	third := st.audit(AuditEventSpec{Name: "c", EntityType: AuditGroup, EntityID: 7}, now.Add(2*time.Hour))

	_, err := st.InstanceAuditEvents(jane, AuditFilter{})
	refusedAs(t, err, Forbidden, "")
	_, err = st.InstanceAuditEvent(jane, first.ID)
	refusedAs(t, err, Forbidden, "")

	all, err := st.InstanceAuditEvents(admin, AuditFilter{})
	require.NoError(t, err)
	assert.Equal(t, []*AuditEvent{third, second, first}, all)
	asc, err := st.InstanceAuditEvents(admin, AuditFilter{Ascending: true})
	require.NoError(t, err)
	assert.Equal(t, []*AuditEvent{first, second, third}, asc)
	users2, err := st.InstanceAuditEvents(admin, AuditFilter{EntityType: AuditUser, EntityID: jane.ID})
	require.NoError(t, err)
	assert.Equal(t, []*AuditEvent{second, first}, users2)
	byJane, err := st.InstanceAuditEvents(admin, AuditFilter{AuthorID: jane.ID})
	require.NoError(t, err)
	assert.Equal(t, []*AuditEvent{second}, byJane)
	after := now.Add(time.Hour)
	window, err := st.InstanceAuditEvents(admin, AuditFilter{CreatedAfter: &after, CreatedBefore: &after})
	require.NoError(t, err)
	assert.Equal(t, []*AuditEvent{second}, window, "both bounds are inclusive")
	assert.Equal(t, int64(-1), third.AuthorID, "no author is (System)")

	got, err := st.InstanceAuditEvent(admin, second.ID)
	require.NoError(t, err)
	assert.Equal(t, second, got)
	_, err = st.InstanceAuditEvent(admin, 99)
	assert.True(t, asError(t, err).Record)
}

func TestAdminTokenRevocationIsAuditedAsTheTokensService(t *testing.T) {
	z := newTokenZoo(t)
	st := z.w.st
	before := len(st.AuditEvents())
	for _, tok := range []*Token{z.pat, z.groupTok} {
		id, err := st.IdentifyToken(tok.Token)
		require.NoError(t, err)
		require.NoError(t, st.RevokeIdentified(z.w.admin, id, now))
	}
	got := summarize(st.AuditEvents()[before:])
	require.Len(t, got, 2)
	assert.Equal(t, summary{"personal_access_token_revoked", z.w.admin.ID, AuditUser, z.w.admin.ID, z.pat.UserID, "User",
		"Revoked personal access token with id " + idString(z.pat.ID)}, got[0])
	assert.Equal(t, "group_access_token_deleted", got[1].Name)
}
