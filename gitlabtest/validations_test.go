package gitlabtest_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab/gitlabtest"
)

// The model's validations as the API answers them: render_validation_error!
// (lib/api/helpers.rb), 400 with the messages by attribute.

// TestStatusEmojiMustBeGitLabs: PUT and PATCH /user/status refuse an
// emoji GitLab does not know with UserStatus's message, and store one
// it knows.
func TestStatusEmojiMustBeGitLabs(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer()
	defer s.Close()
	id, jane := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	for _, method := range []string{"PUT", "PATCH"} {
		a := fakeCall(t, s, jane, method, "/user/status", url.Values{"emoji": {"not_an_emoji"}, "message": {"hi"}})
		assert.Equal(t, 400, a.code)
		assert.JSONEq(t, `{"message":{"emoji":["is not a valid emoji name"]}}`, a.body)
		_, ok := s.Status(id)
		assert.False(t, ok, "nothing stored")
	}
	a := fakeCall(t, s, jane, "PUT", "/user/status", url.Values{"emoji": {"thumbs_up"}})
	require.Equal(t, 200, a.code, a.body)
	st, ok := s.Status(id)
	require.True(t, ok)
	assert.Equal(t, "thumbs_up", st.Emoji)
}

// TestWeakPasswordsRefused: POST and PUT /users refuse a weak password
// (User#check_password_weakness) with its message.
func TestWeakPasswordsRefused(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer()
	defer s.Close()
	const weak = `{"message":{"password":["must not contain commonly used combinations of words and letters"]}}`
	for _, pw := range []string{"password", "Jeanne-Marie!", "MyGitLab2026"} {
		a := fakeCall(t, s, s.AdminToken(), "POST", "/users", url.Values{"email": {"jm@example.com"}, "name": {"Jeanne Marie"},
			"username": {"jm"}, "password": {pw}})
		assert.Equal(t, 400, a.code, pw)
		assert.JSONEq(t, weak, a.body, pw)
	}
	_, ok := s.UserByUsername("jm")
	assert.False(t, ok)
	a := fakeCall(t, s, s.AdminToken(), "POST", "/users", url.Values{"email": {"jm@example.com"}, "name": {"Jeanne Marie"},
		"username": {"jm"}, "password": {"zq8#Lw3!vR"}})
	require.Equal(t, 201, a.code, a.body)
	id := int64(a.object(t)["id"].(float64))
	a = fakeCall(t, s, s.AdminToken(), "PUT", "/users/"+itoa(id), url.Values{"password": {"iloveyou"}})
	assert.Equal(t, 400, a.code)
	assert.JSONEq(t, weak, a.body)
}

// TestStatusMessageAtMost100: a status message of more than 100
// characters is refused (UserStatus validates its length).
func TestStatusMessageAtMost100(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer()
	defer s.Close()
	id, jane := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	a := fakeCall(t, s, jane, "PUT", "/user/status", url.Values{"message": {strings.Repeat("ü", 101)}})
	assert.Equal(t, 400, a.code)
	assert.JSONEq(t, `{"message":{"message":["is too long (maximum is 100 characters)"]}}`, a.body)
	_, ok := s.Status(id)
	assert.False(t, ok)
	a = fakeCall(t, s, jane, "PUT", "/user/status", url.Values{"message": {strings.Repeat("ü", 100)}})
	require.Equal(t, 200, a.code, a.body)
	st, _ := s.Status(id)
	assert.Equal(t, strings.Repeat("ü", 100), st.Message)
}

// TestUserDetailValidations: the profile fields UserDetail validates
// are refused under user_detail.<attribute> (bio under bio, which the
// API renames), and a password over Devise's 128 characters.
func TestUserDetailValidations(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer()
	defer s.Close()
	id, _ := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	a := fakeCall(t, s, s.AdminToken(), "PUT", "/users/"+itoa(id), url.Values{
		"pronouns": {strings.Repeat("p", 51)}, "job_title": {strings.Repeat("j", 201)}, "discord": {"jane#1234"},
		"bio": {strings.Repeat("b", 256)}, "password": {strings.Repeat("Zq8#", 33)}, "theme_id": {"99"}})
	assert.Equal(t, 400, a.code)
	assert.JSONEq(t, `{"message":{
		"user_detail.pronouns":["is too long (maximum is 50 characters)"],
		"user_detail.job_title":["is too long (maximum is 200 characters)"],
		"user_detail.discord":["must contain only a discord user ID."],
		"bio":["is too long (maximum is 255 characters)"],
		"password":["is too long (maximum is 128 characters)"],
		"theme_id":["99 is not a valid theme"]}}`, a.body)
}
