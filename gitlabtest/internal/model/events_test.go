package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// eventWorld is a tree whose users are confirmed (an unconfirmed user's
// events are hidden from others).
func eventWorld(t *testing.T) tree {
	w := newTree(t)
	for _, u := range []*User{w.owner, w.maint, w.dev, w.jane} {
		u.ConfirmedAt = ptr(now)
	}
	return w
}

// actions lists events as "<author> <action> <project>".
func actions(st *Store, evs []*Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, st.User(e.AuthorID).Username+" "+e.Action+" "+st.Project(e.ProjectID).Path)
	}
	return out
}

func TestJoiningProjectRecordsJoined(t *testing.T) {
	w := eventWorld(t)
	_, err := w.st.CreateMember(w.owner, ProjectSource(w.proj.ID), w.dev, AddMemberAttrs{AccessLevel: AccessDeveloper}, now)
	require.NoError(t, err)
	evs := w.st.Events(w.dev.ID)
	require.Len(t, evs, 1)
	assert.Equal(t, Event{ID: evs[0].ID, AuthorID: w.dev.ID, ProjectID: w.proj.ID, Action: EventJoined, TargetType: "Project",
		TargetID: w.proj.ID, TargetIID: w.proj.ID, TargetTitle: "api", CreatedAt: now}, *evs[0])
	assert.Equal(t, "joined", evs[0].ActionName())
}

func TestJoiningGroupRecordsNothing(t *testing.T) {
	w := eventWorld(t)
	_, err := w.st.CreateMember(w.owner, GroupSource(w.top.ID), w.dev, AddMemberAttrs{AccessLevel: AccessDeveloper}, now)
	require.NoError(t, err)
	assert.Empty(t, w.st.Events(0), "EventCreateService#join_source records projects only")
}

func TestSeededMemberRecordsNothing(t *testing.T) {
	w := eventWorld(t)
	w.add(w.dev, ProjectSource(w.proj.ID), AccessDeveloper, nil)
	w.st.AddMember(w.jane, SourceProject, w.proj.ID, "", AccessGuest)
	assert.Empty(t, w.st.Events(0))
}

func TestInvitationJoinsOnAccept(t *testing.T) {
	w := eventWorld(t)
	src := ProjectSource(w.proj.ID)
	_, err := w.st.CreateInvitations(w.owner, src, []string{"new@example.com"}, nil, AddMemberAttrs{AccessLevel: AccessReporter}, now)
	require.NoError(t, err)
	assert.Empty(t, w.st.Events(0), "a pending invitation is no member")
	later := now.Add(time.Hour)
	assert.Equal(t, 1, w.st.AcceptInvitations("new@example.com", w.jane, later))
	evs := w.st.Events(0)
	assert.Equal(t, []string{"jane joined api"}, actions(w.st, evs))
	assert.Equal(t, later, evs[0].CreatedAt)
}

func TestAccessRequestJoinsOnApprove(t *testing.T) {
	w := eventWorld(t)
	w.proj.Visibility = "public"
	src := ProjectSource(w.proj.ID)
	_, err := w.st.RequestAccess(w.jane, src, now)
	require.NoError(t, err)
	assert.Empty(t, w.st.Events(0), "a request is no member")
	_, err = w.st.ApproveAccessRequest(w.owner, src, w.jane.ID, nil, now)
	require.NoError(t, err)
	assert.Equal(t, []string{"jane joined api"}, actions(w.st, w.st.Events(0)))
}

func TestRemovingMemberRecordsLeft(t *testing.T) {
	w := eventWorld(t)
	w.add(w.dev, GroupSource(w.top.ID), AccessDeveloper, nil)
	w.add(w.dev, ProjectSource(w.proj.ID), AccessDeveloper, nil)
	m, err := w.st.MemberToRemove(w.owner, GroupSource(w.top.ID), w.dev.ID, now)
	require.NoError(t, err)
	w.st.RemoveMember(nil, m, false, now)
	assert.Equal(t, []string{"dev left api"}, actions(w.st, w.st.Events(0)), "the group's removal takes its projects' rows")
}

func TestExpiredMembershipRecordsExpired(t *testing.T) {
	w := eventWorld(t)
	src := ProjectSource(w.proj.ID)
	w.add(w.dev, src, AccessDeveloper, ptr(now.AddDate(0, 0, 1)))
	later := now.AddDate(0, 0, 2)
	_, err := w.st.CreateMember(w.owner, src, w.jane, AddMemberAttrs{AccessLevel: AccessGuest}, later)
	require.NoError(t, err)
	evs := w.st.Events(0)
	assert.Equal(t, []string{"dev expired api", "jane joined api"}, actions(w.st, evs), "pruned before the write")
	assert.Equal(t, "removed due to membership expiration from", evs[0].ActionName())
}

func TestCreatingProjectRecordsCreated(t *testing.T) {
	w := eventWorld(t)
	w.jane.ProjectsLimit = 10
	p, err := w.st.CreateProject(w.jane, w.jane, nil, projectAttrs("mine", ""), now)
	require.NoError(t, err)
	evs := w.st.Events(0)
	assert.Equal(t, []string{"jane created mine"}, actions(w.st, evs), "no joined event for the personal namespace's holder")
	assert.Equal(t, "Project", evs[0].TargetType)
	assert.Equal(t, p.ID, evs[0].TargetID)
	assert.Equal(t, "created", evs[0].ActionName())
}

func TestDeletingUserOrProjectRemovesEvents(t *testing.T) {
	w := eventWorld(t)
	p2 := w.st.AddProject(ProjectSpec{Path: "web", GroupID: w.top.ID}, now)
	for _, p := range []*Project{w.proj, p2} {
		for _, u := range []*User{w.dev, w.jane} {
			_, err := w.st.CreateMember(w.owner, ProjectSource(p.ID), u, AddMemberAttrs{AccessLevel: AccessGuest}, now)
			require.NoError(t, err)
		}
	}
	w.st.DeleteUser(w.dev.ID)
	assert.Equal(t, []string{"jane joined api", "jane joined web"}, actions(w.st, w.st.Events(0)))
	require.NoError(t, w.st.DeleteProject(w.owner, p2, false, "", now))
	require.NoError(t, w.st.DeleteProject(w.owner, p2, true, p2.PathWithNamespace, now))
	assert.Equal(t, []string{"jane joined api"}, actions(w.st, w.st.Events(0)))
}

func TestEventsOfPrivateProjectHidden(t *testing.T) {
	w := eventWorld(t)
	pub := w.st.AddProject(ProjectSpec{Path: "pub", GroupID: w.other.ID, Visibility: "public"}, now)
	w.st.projectEvent(w.dev.ID, w.proj, EventJoined, now)
	w.st.projectEvent(w.dev.ID, pub, EventJoined, now)
	assert.Equal(t, []string{"dev joined pub"}, actions(w.st, w.st.UserEvents(w.jane, w.dev, EventFilter{}, now)))
	assert.Equal(t, []string{"dev joined pub"}, actions(w.st, w.st.UserEvents(nil, w.dev, EventFilter{}, now)))
	assert.Equal(t, []string{"dev joined pub", "dev joined api"}, actions(w.st, w.st.UserEvents(w.owner, w.dev, EventFilter{}, now)),
		"newest first; the group's Owner reads its project")
}

func TestEventsWithoutProjectNeverListed(t *testing.T) {
	w := eventWorld(t)
	w.st.AddEvent(Event{AuthorID: w.dev.ID, GroupID: w.top.ID, Action: EventCreated, TargetType: "Epic", CreatedAt: now})
	assert.Empty(t, w.st.UserEvents(w.admin, w.dev, EventFilter{}, now))
}

func TestEventsOfHiddenProfileEmpty(t *testing.T) {
	w := eventWorld(t)
	w.proj.Visibility = "public"
	w.st.projectEvent(w.dev.ID, w.proj, EventJoined, now)
	for _, c := range []struct {
		name string
		set  func(u *User)
	}{
		{"private profile", func(u *User) { u.PrivateProfile = true }},
		{"blocked", func(u *User) { u.State = StateBlocked }},
		{"banned", func(u *User) { u.State = StateBanned }},
		{"unconfirmed", func(u *User) { u.ConfirmedAt = nil }},
	} {
		d := *w.dev
		c.set(&d)
		assert.Nil(t, w.st.UserEvents(w.jane, &d, EventFilter{}, now), c.name)
		assert.Nil(t, w.st.UserEvents(nil, &d, EventFilter{}, now), c.name)
		assert.Len(t, w.st.UserEvents(&d, &d, EventFilter{}, now), 1, c.name+": the user themself")
		assert.Len(t, w.st.UserEvents(w.admin, &d, EventFilter{}, now), 1, c.name+": an administrator")
	}
}

func TestEventFilters(t *testing.T) {
	w := eventWorld(t)
	w.proj.Visibility = "public"
	day := func(d int) time.Time { return time.Date(2026, 3, d, 12, 0, 0, 0, time.UTC) }
	add := func(action, target string, at time.Time) {
		w.st.AddEvent(Event{AuthorID: w.dev.ID, ProjectID: w.proj.ID, Action: action, TargetType: target, CreatedAt: at})
	}
	add(EventJoined, "Project", day(1))
	add(EventPushed, "", day(2))
	add(EventCreated, "Issue", day(3))
	add(EventClosed, "Issue", day(4))
	add(EventLeft, "", time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC))
	ids := func(f EventFilter) []int64 {
		var out []int64
		for _, e := range w.st.UserEvents(nil, w.dev, f, now) {
			out = append(out, e.ID)
		}
		return out
	}
	assert.Equal(t, []int64{5, 4, 3, 2, 1}, ids(EventFilter{}))
	assert.Equal(t, []int64{1, 2, 3, 4, 5}, ids(EventFilter{Asc: true}))
	assert.Equal(t, []int64{3}, ids(EventFilter{Action: EventCreated}))
	assert.Equal(t, []int64{4, 3}, ids(EventFilter{TargetType: "issue"}))
	assert.Equal(t, []int64{5, 2, 1}, ids(EventFilter{TargetType: "project"}), "a project target, or none with a project action")
	assert.Equal(t, []int64{2, 1}, ids(EventFilter{Before: ptr(day(3))}), "before's day excluded")
	assert.Equal(t, []int64{5, 4}, ids(EventFilter{After: ptr(day(3))}), "after's day excluded, the next midnight included")
	assert.Equal(t, []int64{3}, ids(EventFilter{After: ptr(day(2)), Before: ptr(day(4))}))
}

func TestScopeAllListsAuthorizedProjects(t *testing.T) {
	w := eventWorld(t)
	pub := w.st.AddProject(ProjectSpec{Path: "pub", GroupID: w.other.ID, Visibility: "public"}, now)
	w.st.projectEvent(w.dev.ID, w.proj, EventJoined, now)
	w.st.projectEvent(w.jane.ID, pub, EventJoined, now)
	all := EventFilter{All: true, Asc: true}
	assert.Equal(t, []string{"dev joined api"}, actions(w.st, w.st.UserEvents(w.owner, w.jane, all, now)),
		"every author, in the caller's authorized projects only")
	assert.Equal(t, []string{"jane joined pub"}, actions(w.st, w.st.UserEvents(nil, w.jane, all, now)), "no effect for anonymous callers")
}

func TestEventVisibleByKind(t *testing.T) {
	w := eventWorld(t)
	w.add(w.jane, ProjectSource(w.proj.ID), AccessGuest, nil)
	ev := func(action, target string) *Event {
		return &Event{AuthorID: w.dev.ID, ProjectID: w.proj.ID, Action: action, TargetType: target}
	}
	for _, c := range []struct {
		e            *Event
		guest, admin bool
	}{
		{ev(EventPushed, ""), false, true},
		{ev(EventCreated, "MergeRequest"), false, true},
		{ev(EventJoined, "Project"), true, true},
		{ev(EventExpired, "Project"), true, true},
		{ev(EventCreated, "Project"), true, true},
		{ev(EventClosed, "Issue"), true, true},
		{ev(EventCommented, "Note"), true, true},
		{ev(EventCreated, "Vulnerability"), false, false},
	} {
		assert.Equal(t, c.guest, w.st.EventVisible(w.jane, c.e, now), "guest: %s %s", c.e.Action, c.e.TargetType)
		assert.Equal(t, c.admin, w.st.EventVisible(w.admin, c.e, now), "admin: %s %s", c.e.Action, c.e.TargetType)
		assert.False(t, w.st.EventVisible(w.maint, c.e, now), "no access to the private project")
	}
}

func TestEventActionNames(t *testing.T) {
	for _, c := range []struct {
		e    Event
		want string
	}{
		{Event{Action: EventPushed}, "pushed to"},
		{Event{Action: EventPushed, Push: &PushData{Action: "created"}}, "pushed new"},
		{Event{Action: EventPushed, Push: &PushData{Action: "removed"}}, "deleted"},
		{Event{Action: EventMerged, TargetType: "MergeRequest"}, "accepted"},
		{Event{Action: EventCommented, TargetType: "Note"}, "commented on"},
		{Event{Action: EventCreated, TargetType: "Issue"}, "opened"},
		{Event{Action: EventReopened, TargetType: "Issue"}, "opened"},
		{Event{Action: EventCreated}, "created"},
		{Event{Action: EventUpdated, TargetType: "WikiPage::Meta"}, "updated"},
		{Event{Action: EventApproved, TargetType: "MergeRequest"}, "approved"},
		{Event{Action: EventDestroyed, TargetType: "Milestone"}, "destroyed"},
	} {
		assert.Equal(t, c.want, c.e.ActionName(), "%s %s", c.e.Action, c.e.TargetType)
	}
}
