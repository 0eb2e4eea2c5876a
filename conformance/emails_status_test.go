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

// lib/api/users.rb, resource :user, emails: the list starts with the
// primary email; an added address is unconfirmed (201); a taken one is a
// validation error (400, never 409); another user's email is 404 Email.
func TestEmailsOfCurrentUser(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	bobID, _ := e.user(gitlabtest.UserSpec{Username: "bob"})
	bobEmail := e.s.AddEmail(bobID, "bob@corp.example", true)

	em, resp, err := jane.Users.AddEmail(&gitlab.AddEmailOptions{Email: gitlab.Ptr("jane@corp.example")})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "jane@corp.example", em.Email)
	assert.Nil(t, em.ConfirmedAt)
	_, _, err = jane.Users.AddEmail(&gitlab.AddEmailOptions{Email: gitlab.Ptr("bob@example.com")})
	e.refused(err, 400, `{"message":{"email":["has already been taken"]}}`)
	_, _, err = jane.Users.AddEmail(&gitlab.AddEmailOptions{})
	e.refused(err, 400, `{"error":"email is missing"}`)

	list, _, err := jane.Users.ListEmails()
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, "jane@example.com", list[0].Email, "the primary email first")
	assert.Equal(t, em.ID, list[1].ID)

	got, _, err := jane.Users.GetEmail(em.ID)
	require.NoError(t, err)
	assert.Equal(t, "jane@corp.example", got.Email)
	_, _, err = jane.Users.GetEmail(bobEmail)
	e.refused(err, 404, `{"message":"404 Email Not Found"}`)

	resp, err = jane.Users.DeleteEmail(em.ID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	assert.Len(t, e.s.Emails(janeID), 1)
	_, err = jane.Users.DeleteEmail(bobEmail)
	e.refused(err, 404, `{"message":"404 Email Not Found"}`)
}

// lib/api/users.rb, resource :users, emails: administrators only;
// skip_confirmation confirms the address.
func TestEmailsForUser(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})

	em, resp, err := e.admin.Users.AddEmailForUser(janeID, &gitlab.AddEmailOptions{Email: gitlab.Ptr("jane@corp.example"), SkipConfirmation: gitlab.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.NotNil(t, em.ConfirmedAt)
	_, _, err = e.admin.Users.AddEmailForUser(janeID, &gitlab.AddEmailOptions{Email: gitlab.Ptr("admin@example.com")})
	e.refused(err, 400, `{"message":{"email":["has already been taken"]}}`)
	_, _, err = e.admin.Users.AddEmailForUser(999, &gitlab.AddEmailOptions{Email: gitlab.Ptr("x@example.com")})
	e.refused(err, 404, `{"message":"404 User Not Found"}`)

	list, _, err := e.admin.Users.ListEmailsForUser(janeID, nil)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, em.ID, list[1].ID)
	_, _, err = jane.Users.ListEmailsForUser(janeID, nil)
	e.refused(err, 403, `{"message":"403 Forbidden"}`)

	resp, err = e.admin.Users.DeleteEmailForUser(janeID, em.ID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	assert.Len(t, e.s.Emails(janeID), 1)
	_, err = e.admin.Users.DeleteEmailForUser(janeID, em.ID)
	e.refused(err, 404, `{"message":"404 Email Not Found"}`)
}

// lib/api/users.rb, get "status" (resource :user): the caller's status,
// every field null when none is set.
func TestCurrentUserStatus(t *testing.T) {
	e := newEnv(t)
	_, jane := e.user(gitlabtest.UserSpec{Username: "jane"})
	bobID, bob := e.user(gitlabtest.UserSpec{Username: "bob"})
	e.s.SetStatus(bobID, gitlabtest.StatusSpec{Emoji: "coffee", Message: "Back soon", Availability: "busy"})

	st, resp, err := jane.Users.CurrentUserStatus()
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, &gitlab.UserStatus{}, st, "no status: every field null")
	e.answered(200, `{"emoji":null,"message":null,"availability":null,"message_html":null,"clear_status_at":null}`)

	st, _, err = bob.Users.CurrentUserStatus()
	require.NoError(t, err)
	assert.Equal(t, "coffee", st.Emoji)
	assert.Equal(t, "Back soon", st.Message)
	assert.Equal(t, gitlab.Busy, st.Availability)

	_, _, err = e.client("").Users.CurrentUserStatus()
	e.refused(err, 401, `{"message":"401 Unauthorized"}`)
}

// lib/api/users.rb, get ":user_id/status": no authentication needed; the
// user by ID or by username, case-insensitively (app/finders/user_finder.rb).
func TestGetUserStatus(t *testing.T) {
	e := newEnv(t)
	janeID, _ := e.user(gitlabtest.UserSpec{Username: "jane"})
	e.s.SetStatus(janeID, gitlabtest.StatusSpec{Emoji: "coffee", Message: "Back soon"})
	anon := e.client("")

	for _, uid := range []any{janeID, "JANE"} {
		st, resp, err := anon.Users.GetUserStatus(uid)
		require.NoError(t, err)
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "coffee", st.Emoji)
		assert.Equal(t, "Back soon", st.Message)
	}
	_, _, err := anon.Users.GetUserStatus("nobody")
	e.refused(err, 404, `{"message":"404 User Not Found"}`)

	// GitLab does not strip a leading "@" (UserFinder looks the literal
	// name up); client-go strips it before sending, so "@jane" reaches
	// jane.
	st, _, err := anon.Users.GetUserStatus("@jane")
	require.NoError(t, err)
	assert.Equal(t, "coffee", st.Emoji)
}

// lib/api/users.rb, put "status", and app/models/user_status.rb: PUT
// sets every field (clear_status_after becomes clear_status_at); the
// emoji must be one of GitLab's (Gitlab::EmojiNameValidator) and the
// message at most 100 characters (validates :message, length).
func TestSetUserStatus(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane"})

	before := time.Now()
	st, resp, err := jane.Users.SetUserStatus(&gitlab.UserStatusOptions{
		Emoji: gitlab.Ptr("coffee"), Message: gitlab.Ptr("Back soon"),
		Availability: gitlab.Ptr(gitlab.Busy), ClearStatusAfter: gitlab.Ptr(gitlab.ClearStatusAfterValue("1_day")),
	})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "coffee", st.Emoji)
	assert.Equal(t, "Back soon", st.Message)
	assert.Equal(t, gitlab.Busy, st.Availability)
	require.NotNil(t, st.ClearStatusAt)
	assert.WithinDuration(t, before.Add(24*time.Hour), *st.ClearStatusAt, time.Minute)
	stored, ok := e.s.Status(janeID)
	require.True(t, ok)
	assert.Equal(t, "Back soon", stored.Message)

	_, _, err = jane.Users.SetUserStatus(&gitlab.UserStatusOptions{ClearStatusAfter: gitlab.Ptr(gitlab.ClearStatusAfterValue("2_days"))})
	e.refused(err, 400, `{"error":"clear_status_after does not have a valid value"}`)
	_, _, err = jane.Users.SetUserStatus(&gitlab.UserStatusOptions{Emoji: gitlab.Ptr("not_an_emoji_name")})
	e.refused(err, 400, `{"message":{"emoji":["is not a valid emoji name"]}}`)
	_, _, err = jane.Users.SetUserStatus(&gitlab.UserStatusOptions{Message: gitlab.Ptr(strings.Repeat("m", 101))})
	e.refused(err, 400, `{"message":{"message":["is too long (maximum is 100 characters)"]}}`)
	stored, _ = e.s.Status(janeID)
	assert.Equal(t, "Back soon", stored.Message, "a refused update changes nothing")
}

// lib/api/custom_attributes_endpoints.rb: administrators only (403),
// the user looked up first (404 "Not Found"); PUT is an upsert answering
// 200; an unknown key is 404.
func TestCustomAttributes(t *testing.T) {
	e := newEnv(t)
	janeID, jane := e.user(gitlabtest.UserSpec{Username: "jane", CustomAttributes: map[string]string{"team": "a"}})

	a, resp, err := e.admin.CustomAttribute.SetCustomUserAttribute(janeID, gitlab.CustomAttribute{Key: "role", Value: "dev"})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, &gitlab.CustomAttribute{Key: "role", Value: "dev"}, a)
	stored, _ := e.s.User(janeID)
	assert.Equal(t, map[string]string{"team": "a", "role": "dev"}, stored.CustomAttributes)
	_, _, err = jane.CustomAttribute.SetCustomUserAttribute(janeID, gitlab.CustomAttribute{Key: "role", Value: "admin"})
	e.refused(err, 403, `{"message":"403 Forbidden"}`)

	list, _, err := e.admin.CustomAttribute.ListCustomUserAttributes(janeID)
	require.NoError(t, err)
	assert.ElementsMatch(t, []*gitlab.CustomAttribute{{Key: "team", Value: "a"}, {Key: "role", Value: "dev"}}, list)
	_, _, err = e.admin.CustomAttribute.ListCustomUserAttributes(999)
	e.refused(err, 404, `{"message":"404 Not Found"}`)
	_, _, err = jane.CustomAttribute.ListCustomUserAttributes(janeID)
	e.refused(err, 403, `{"message":"403 Forbidden"}`)

	a, _, err = e.admin.CustomAttribute.GetCustomUserAttribute(janeID, "team")
	require.NoError(t, err)
	assert.Equal(t, "a", a.Value)
	_, _, err = e.admin.CustomAttribute.GetCustomUserAttribute(janeID, "none")
	e.refused(err, 404, `{"message":"404 Not found"}`)

	resp, err = e.admin.CustomAttribute.DeleteCustomUserAttribute(janeID, "team")
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	stored, _ = e.s.User(janeID)
	assert.Equal(t, map[string]string{"role": "dev"}, stored.CustomAttributes)
}
