package conformance

import (
	"strings"
	"testing"
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gitlab "gitlab.com/gitlab-org/api/client-go/v2"
)

// lib/api/users.rb, post ":id/block" and app/services/users/block_service.rb:
// 201 true and a blocked_by custom attribute ("<username>/<id>+<time>",
// UserCustomAttribute.set_blocked_by); 201 null for a blocked user; 403
// for yourself and for an LDAP-blocked user.
func TestBlockUser(t *testing.T) {
	e := newEnv(t)
	janeID, _ := e.user(gitlabtest.UserSpec{Username: "jane"})
	ldapID, _ := e.user(gitlabtest.UserSpec{Username: "ldap", State: gitlabtest.StateLDAPBlocked})

	resp, err := e.admin.Users.BlockUser(janeID)
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	e.answered(201, `true`)
	stored, _ := e.s.User(janeID)
	assert.Equal(t, gitlabtest.StateBlocked, stored.State)
	assert.True(t, strings.HasPrefix(stored.CustomAttributes["blocked_by"], "root/1+"), "blocked_by = %q", stored.CustomAttributes["blocked_by"])

	_, err = e.admin.Users.BlockUser(janeID)
	require.NoError(t, err)
	e.answered(201, `null`)

	_, err = e.admin.Users.BlockUser(1)
	e.refused(err, 403, `{"message":"403 Forbidden - The API initiating user cannot be blocked by the API"}`)
	_, err = e.admin.Users.BlockUser(ldapID)
	e.refused(err, 403, `{"message":"403 Forbidden - LDAP blocked users cannot be modified by the API"}`)
	_, err = e.admin.Users.BlockUser(999)
	e.refused(err, 404, `{"message":"404 User Not Found"}`)
}

// lib/api/users.rb, post ":id/unblock" and app/services/users/unblock_service.rb:
// 201 true and an unblocked_by custom attribute for a blocked user; 201
// false for an active one (user.activate has no transition from
// active); 403 for a deactivated user, which client-go turns into
// ErrUserUnblockPrevented.
func TestUnblockUser(t *testing.T) {
	e := newEnv(t)
	janeID, _ := e.user(gitlabtest.UserSpec{Username: "jane", State: gitlabtest.StateBlocked})
	activeID, _ := e.user(gitlabtest.UserSpec{Username: "active"})
	deactivatedID, _ := e.user(gitlabtest.UserSpec{Username: "deactivated", State: gitlabtest.StateDeactivated})

	resp, err := e.admin.Users.UnblockUser(janeID)
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	e.answered(201, `true`)
	stored, _ := e.s.User(janeID)
	assert.Equal(t, gitlabtest.StateActive, stored.State)
	assert.True(t, strings.HasPrefix(stored.CustomAttributes["unblocked_by"], "root/1+"), "unblocked_by = %q", stored.CustomAttributes["unblocked_by"])

	_, err = e.admin.Users.UnblockUser(activeID)
	require.NoError(t, err, "client-go cannot tell 201 false from 201 true")
	e.answered(201, `false`)

	_, err = e.admin.Users.UnblockUser(deactivatedID)
	assert.ErrorIs(t, err, gitlab.ErrUserUnblockPrevented)
	e.answered(403, `{"message":"403 Forbidden - Deactivated users cannot be unblocked by the API"}`)
	_, err = e.admin.Users.UnblockUser(999)
	assert.ErrorIs(t, err, gitlab.ErrUserNotFound)
	e.answered(404, `{"message":"404 User Not Found"}`)
}

// lib/api/users.rb, post ":id/ban" and app/services/users/ban_service.rb:
// 201 true; a banned user is refused with the service's words.
func TestBanUser(t *testing.T) {
	e := newEnv(t)
	janeID, _ := e.user(gitlabtest.UserSpec{Username: "jane"})

	resp, err := e.admin.Users.BanUser(janeID)
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	e.answered(201, `true`)
	stored, _ := e.s.User(janeID)
	assert.Equal(t, gitlabtest.StateBanned, stored.State)

	_, err = e.admin.Users.BanUser(janeID)
	require.Error(t, err)
	e.answered(403, `{"message":"You cannot ban banned users."}`)
	_, err = e.admin.Users.BanUser(999)
	assert.ErrorIs(t, err, gitlab.ErrUserNotFound)
	e.answered(404, `{"message":"404 User Not Found"}`)
}

// lib/api/users.rb, post ":id/unban" and app/services/users/unban_service.rb:
// 201 true for a banned user; unbanning an active user is refused.
func TestUnbanUser(t *testing.T) {
	e := newEnv(t)
	janeID, _ := e.user(gitlabtest.UserSpec{Username: "jane", State: gitlabtest.StateBanned})

	resp, err := e.admin.Users.UnbanUser(janeID)
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	e.answered(201, `true`)
	stored, _ := e.s.User(janeID)
	assert.Equal(t, gitlabtest.StateActive, stored.State)

	_, err = e.admin.Users.UnbanUser(janeID)
	require.Error(t, err)
	e.answered(403, `{"message":"You cannot unban active users."}`)
}

// lib/api/users.rb, post ":id/deactivate" and
// app/services/users/deactivate_service.rb: 201 true for a dormant user;
// 201 null for a deactivated one; 403 for a user active in the last 90
// days (deactivate_dormant_users_period) and for a blocked one.
func TestDeactivateUser(t *testing.T) {
	e := newEnv(t)
	now := time.Now()
	dormantID, _ := e.user(gitlabtest.UserSpec{Username: "dormant", LastActivityOn: now.AddDate(0, 0, -100)})
	recentID, _ := e.user(gitlabtest.UserSpec{Username: "recent", LastActivityOn: now.AddDate(0, 0, -10)})
	blockedID, _ := e.user(gitlabtest.UserSpec{Username: "blocked", State: gitlabtest.StateBlocked})

	resp, err := e.admin.Users.DeactivateUser(dormantID)
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	e.answered(201, `true`)
	stored, _ := e.s.User(dormantID)
	assert.Equal(t, gitlabtest.StateDeactivated, stored.State)

	_, err = e.admin.Users.DeactivateUser(dormantID)
	require.NoError(t, err)
	e.answered(201, `null`)

	_, err = e.admin.Users.DeactivateUser(recentID)
	assert.ErrorIs(t, err, gitlab.ErrUserDeactivatePrevented)
	e.answered(403, `{"message":"The user you are trying to deactivate has been active in the past 90 days and cannot be deactivated"}`)
	_, err = e.admin.Users.DeactivateUser(blockedID)
	assert.ErrorIs(t, err, gitlab.ErrUserDeactivatePrevented)
	e.answered(403, `{"message":"Error occurred. A blocked user cannot be deactivated"}`)
}

// lib/api/users.rb, post ":id/activate" and app/services/users/activate_service.rb:
// 201 true for a deactivated user; 403 for a blocked one.
func TestActivateUser(t *testing.T) {
	e := newEnv(t)
	janeID, _ := e.user(gitlabtest.UserSpec{Username: "jane", State: gitlabtest.StateDeactivated})
	blockedID, _ := e.user(gitlabtest.UserSpec{Username: "blocked", State: gitlabtest.StateBlocked})

	resp, err := e.admin.Users.ActivateUser(janeID)
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	e.answered(201, `true`)
	stored, _ := e.s.User(janeID)
	assert.Equal(t, gitlabtest.StateActive, stored.State)

	_, err = e.admin.Users.ActivateUser(blockedID)
	assert.ErrorIs(t, err, gitlab.ErrUserActivatePrevented)
	e.answered(403, `{"message":"Error occurred. A blocked user must be unblocked to be activated"}`)
}

// lib/api/users.rb, post ":id/approve" and app/services/users/approve_service.rb:
// 201 {"message":"Success"}; 409 for a user not pending approval.
func TestApproveUser(t *testing.T) {
	e := newEnv(t)
	janeID, _ := e.user(gitlabtest.UserSpec{Username: "jane", State: gitlabtest.StateBlockedPendingApproval})

	resp, err := e.admin.Users.ApproveUser(janeID)
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	e.answered(201, `{"message":"Success"}`)
	stored, _ := e.s.User(janeID)
	assert.Equal(t, gitlabtest.StateActive, stored.State)

	_, err = e.admin.Users.ApproveUser(janeID)
	require.Error(t, err)
	e.answered(409, `{"message":"The user you are trying to approve is not pending approval"}`)
}

// lib/api/users.rb, post ":id/reject" and app/services/users/reject_service.rb:
// 200 {"message":"Success"} and the user is deleted; 409 for a user
// without a pending request (client-go's ErrUserConflict).
func TestRejectUser(t *testing.T) {
	e := newEnv(t)
	janeID, _ := e.user(gitlabtest.UserSpec{Username: "jane", State: gitlabtest.StateBlockedPendingApproval})
	activeID, _ := e.user(gitlabtest.UserSpec{Username: "active"})

	resp, err := e.admin.Users.RejectUser(janeID)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	e.answered(200, `{"message":"Success"}`)
	_, found := e.s.User(janeID)
	assert.False(t, found)

	_, err = e.admin.Users.RejectUser(activeID)
	assert.ErrorIs(t, err, gitlab.ErrUserConflict)
	e.answered(409, `{"message":"User does not have a pending request"}`)
}
