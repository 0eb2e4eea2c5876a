package model

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCreateRunnerPermissions: instance runners are for
// administrators, group runners for the group's owners, project runners
// for the project's maintainers and owners.
func TestCreateRunnerPermissions(t *testing.T) {
	st, admin, users := newTestStore(t, "owner", "maint", "dev")
	owner, maint, dev := users[0], users[1], users[2]
	st.AddMember(owner, SourceNamespace, 7, "g", AccessOwner)
	st.AddMember(maint, SourceNamespace, 7, "g", AccessMaintainer)
	st.AddMember(maint, SourceProject, 9, "p", AccessMaintainer)
	st.AddMember(dev, SourceProject, 9, "p", AccessDeveloper)
	instance := RunnerSpec{Type: RunnerInstance, RunUntagged: true}
	group := RunnerSpec{Type: RunnerGroup, GroupID: 7, RunUntagged: true}
	project := RunnerSpec{Type: RunnerProject, ProjectID: 9, RunUntagged: true}

	for _, c := range []struct {
		actor *User
		spec  RunnerSpec
		ok    bool
	}{
		{admin, instance, true}, {owner, instance, false},
		{owner, group, true}, {maint, group, false}, {admin, group, true},
		{maint, project, true}, {dev, project, false}, {owner, project, false}, {admin, project, true},
	} {
		r, err := st.CreateRunner(c.actor, c.spec, now)
		name := c.actor.Username + " " + c.spec.Type
		if !c.ok {
			refusedAs(t, err, Forbidden, "Insufficient permissions")
			continue
		}
		require.NoError(t, err, name)
		assert.True(t, strings.HasPrefix(r.Token, "glrt-"), name)
		assert.Len(t, r.Token, 25, name)
	}
	r1, _ := st.CreateRunner(admin, instance, now)
	r2, _ := st.CreateRunner(admin, instance, now)
	assert.Equal(t, r1.ID+1, r2.ID, "runners are numbered")
}

func TestCreateRunnerRefusals(t *testing.T) {
	st, admin, users := newTestStore(t, "owner")
	st.AddMember(users[0], SourceNamespace, 7, "g", AccessOwner)

	_, err := st.CreateRunner(admin, RunnerSpec{Type: RunnerGroup, GroupID: 8, RunUntagged: true}, now)
	refusedAs(t, err, BadRequest, "Missing/invalid group")
	_, err = st.CreateRunner(users[0], RunnerSpec{Type: RunnerProject, ProjectID: 7, RunUntagged: true}, now)
	refusedAs(t, err, BadRequest, "Missing/invalid project")
	_, err = st.CreateRunner(users[0], RunnerSpec{Type: RunnerGroup, GroupID: 7}, now)
	refusedAs(t, err, BadRequest, "Tags list can not be empty when runner is not allowed to pick untagged jobs")
	_, err = st.CreateRunner(users[0], RunnerSpec{Type: RunnerInstance}, now)
	refusedAs(t, err, Forbidden, "Insufficient permissions")
	_, err = st.CreateRunner(users[0], RunnerSpec{Type: RunnerGroup, GroupID: 7, TagList: []string{"linux"}}, now)
	require.NoError(t, err, "a tagged runner need not run untagged jobs")
}

// TestCreateRunnerTokenExpiry: EE's token_expires_at lies between 5
// minutes and 15 days from now, and token_rotation_deadline needs it,
// is not in the past and not after it; both come back on the runner.
func TestCreateRunnerTokenExpiry(t *testing.T) {
	st, admin, users := newTestStore(t, "plain")
	at := func(d time.Duration) *time.Time { return ptr(now.Add(d)) }
	day := 24 * time.Hour
	for _, c := range []struct {
		expires, deadline *time.Time
		refusal           string
	}{
		{nil, nil, ""},
		{at(5 * time.Minute), nil, ""},
		{at(15 * day), nil, ""},
		{at(10 * day), at(5 * day), ""},
		{at(10 * day), at(10 * day), ""}, // equal: rotation disabled
		{at(10 * day), at(0), ""},
		{nil, at(5 * day), "token_expires_at is required when token_rotation_deadline is specified"},
		{at(5*time.Minute - time.Second), nil, "token_expires_at must be at least 5 minutes in the future"},
		{at(-day), nil, "token_expires_at must be at least 5 minutes in the future"},
		{at(15*day + time.Second), nil, "token_expires_at is too far in the future (maximum is 2026-12-16T12:00:00Z)"},
		{at(10 * day), at(-time.Second), "token_rotation_deadline cannot be in the past"},
		{at(10 * day), at(10*day + time.Second), "token_rotation_deadline must be less than or equal to token_expires_at"},
	} {
		r, err := st.CreateRunner(admin, RunnerSpec{Type: RunnerInstance, RunUntagged: true,
			TokenExpiresAt: c.expires, TokenRotationDeadline: c.deadline}, now)
		if c.refusal != "" {
			refusedFully(t, err, BadRequest, c.refusal, false)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, c.expires, r.TokenExpiresAt)
		assert.Equal(t, c.deadline, r.TokenRotationDeadline)
	}

	// The expiry is checked after the permissions and before the tags.
	_, err := st.CreateRunner(users[0], RunnerSpec{Type: RunnerInstance, TokenExpiresAt: at(-day)}, now)
	refusedAs(t, err, Forbidden, "Insufficient permissions")
	_, err = st.CreateRunner(admin, RunnerSpec{Type: RunnerInstance, TokenExpiresAt: at(-day)}, now)
	refusedAs(t, err, BadRequest, "token_expires_at must be at least 5 minutes in the future")
}
