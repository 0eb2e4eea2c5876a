package model

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCreateRunnerPermissions: instance runners are for
// administrators, group runners for the group's owners, project runners
// for the project's maintainers and owners.
func TestCreateRunnerPermissions(t *testing.T) {
	st, admin, users := newTestStore(t, "owner", "maint", "dev")
	owner, maint, dev := users[0], users[1], users[2]
	owner.Memberships = []Membership{{SourceID: 7, SourceType: SourceNamespace, AccessLevel: AccessOwner}}
	maint.Memberships = []Membership{{SourceID: 7, SourceType: SourceNamespace, AccessLevel: AccessMaintainer},
		{SourceID: 9, SourceType: SourceProject, AccessLevel: AccessMaintainer}}
	dev.Memberships = []Membership{{SourceID: 9, SourceType: SourceProject, AccessLevel: AccessDeveloper}}
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
		r, err := st.CreateRunner(c.actor, c.spec)
		name := c.actor.Username + " " + c.spec.Type
		if !c.ok {
			refusedAs(t, err, Forbidden, "Insufficient permissions")
			continue
		}
		require.NoError(t, err, name)
		assert.True(t, strings.HasPrefix(r.Token, "glrt-"), name)
		assert.Len(t, r.Token, 25, name)
	}
	r1, _ := st.CreateRunner(admin, instance)
	r2, _ := st.CreateRunner(admin, instance)
	assert.Equal(t, r1.ID+1, r2.ID, "runners are numbered")
}

func TestCreateRunnerRefusals(t *testing.T) {
	st, admin, users := newTestStore(t, "owner")
	users[0].Memberships = []Membership{{SourceID: 7, SourceType: SourceNamespace, AccessLevel: AccessOwner}}

	_, err := st.CreateRunner(admin, RunnerSpec{Type: RunnerGroup, GroupID: 8, RunUntagged: true})
	refusedAs(t, err, BadRequest, "Missing/invalid group")
	_, err = st.CreateRunner(users[0], RunnerSpec{Type: RunnerProject, ProjectID: 7, RunUntagged: true})
	refusedAs(t, err, BadRequest, "Missing/invalid project")
	_, err = st.CreateRunner(users[0], RunnerSpec{Type: RunnerGroup, GroupID: 7})
	refusedAs(t, err, BadRequest, "Tags list can not be empty when runner is not allowed to pick untagged jobs")
	_, err = st.CreateRunner(users[0], RunnerSpec{Type: RunnerInstance})
	refusedAs(t, err, Forbidden, "Insufficient permissions")
	_, err = st.CreateRunner(users[0], RunnerSpec{Type: RunnerGroup, GroupID: 7, TagList: []string{"linux"}})
	require.NoError(t, err, "a tagged runner need not run untagged jobs")
}
