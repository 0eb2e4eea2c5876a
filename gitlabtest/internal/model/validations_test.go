package model

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStatusEmojiMustBeGitLabs: UserStatus validates its emoji with
// Gitlab::EmojiNameValidator, so only a name of GitLab's emoji list
// (TanukiEmoji's alpha codes and aliases), with or without its colons,
// is stored.
func TestStatusEmojiMustBeGitLabs(t *testing.T) {
	st, _, users := newTestStore(t, "alice")
	u := users[0]
	for _, name := range []string{"thumbsup", "thumbs_up", "+1", "-1", ":smile:", "cow_face", "keycap_hash", "flag_gb", "england", "speech_balloon"} {
		got, err := st.SetUserStatus(u, StatusChange{Emoji: ptr(name)}, false, now)
		require.NoError(t, err, name)
		assert.Equal(t, name, got.Emoji, "GitLab stores the name as it was sent")
	}
	stored := *u.CurrentStatus(now)
	for _, name := range []string{"not_an_emoji", "Smile", "smile:", ":smile", "::smile::", "thumbs up", "tanuki", "zz"} {
		for _, patch := range []bool{false, true} {
			got, err := st.SetUserStatus(u, StatusChange{Emoji: ptr(name), Message: ptr("x")}, patch, now)
			assert.Nil(t, got)
			invalidAs(t, err, map[string][]string{"emoji": {"is not a valid emoji name"}})
			assert.Equal(t, &stored, u.CurrentStatus(now), "a refused status leaves the stored one")
		}
	}
	assert.Len(t, emojiNames(), 5500, "GitLab's list, whole")
}

// TestWeakPasswordsRefused: User#check_password_weakness refuses, on
// create and on update, a password on GitLab's list of common ones or
// containing gitlab, devops or (a part of) the user's name, username or
// email, case-insensitively; parts shorter than 4 characters and
// passwords of 64 characters or more are not searched.
func TestWeakPasswordsRefused(t *testing.T) {
	weak := map[string][]string{"password": {"must not contain commonly used combinations of words and letters"}}
	attrs := func(password string) UserAttrs {
		return UserAttrs{Name: ptr("Marguerite Dupont-Smith"), Username: ptr("mdeveloper"), Email: ptr("first.last+qa@corp.example"),
			Password: ptr(password)}
	}
	st, admin, _ := newTestStore(t)
	for _, pw := range []string{
		"password", "PassWord", "iloveyou", "qwertyuiop", "progressivehouse", "01234567890123456789", // GitLab's list
		"my-GitLab-pass", "devops4ever!", // forbidden words
		"zq8MargueriteX", "smith-rocks-9", "dupont!x88", "marguerite dupont-smith!", // the name and its parts
		"xMDEVELOPERx",                                                // the username
		"qq-first-qq", "corp.example!!", "first.last+qa@corp.example", // the email and its parts
	} {
		_, err := st.CreateUser(admin, attrs(pw), now)
		invalidAs(t, err, weak)
	}
	for _, pw := range []string{
		"zq8#Lw3!vR", "ann-lee-2024x", // parts of 3 characters or fewer are not searched
		strings.Repeat("gitlab", 11), // 66 characters: substrings are not searched
	} {
		_, err := st.CreateUser(admin, UserAttrs{Name: ptr("Ann Lee"), Username: ptr("u" + RandomHex(4)), Email: ptr(RandomHex(4) + "@ex.org"),
			Password: ptr(pw)}, now)
		require.NoError(t, err, pw)
	}
	_, err := st.CreateUser(admin, UserAttrs{Name: ptr("Rand"), Username: ptr("rand"), Email: ptr("rand@ex.org"),
		Password: ptr("password"), RandomPassword: true}, now)
	require.NoError(t, err, "a random password is not the one sent")

	// On update, against the name, username and email the user will
	// have.
	u, err := st.CreateUser(admin, attrs("zq8#Lw3!vR"), now)
	require.NoError(t, err)
	invalidAs(t, st.UpdateUser(admin, u, UserAttrs{Password: ptr("Mdeveloper77")}, now), weak)
	invalidAs(t, st.UpdateUser(admin, u, UserAttrs{Password: ptr("Bartholomew1"), Name: ptr("Bartholomew")}, now), weak)
	invalidAs(t, st.UpdateUser(admin, u, UserAttrs{Password: ptr("12345678")}, now), weak)
	assert.Equal(t, "zq8#Lw3!vR", u.Password, "a refused password is not set")
	require.NoError(t, st.UpdateUser(admin, u, UserAttrs{Name: ptr("Gitlab Devops")}, now), "only a new password is checked")

	assert.True(t, WeakPassword("password", "", "", ""))
	assert.False(t, WeakPassword("s3cur3-s3cr3T!", "", "", ""))
	assert.Len(t, weakPasswordDigests(), 4500, "GitLab's list, whole")
}

// TestStatusMessageAtMost100: UserStatus validates message, length
// maximum 100 characters, allow_blank.
func TestStatusMessageAtMost100(t *testing.T) {
	st, _, users := newTestStore(t, "alice")
	u := users[0]
	for _, msg := range []string{strings.Repeat("m", 100), strings.Repeat("é", 100), strings.Repeat(" ", 101)} {
		_, err := st.SetUserStatus(u, StatusChange{Emoji: ptr("coffee"), Message: ptr(msg)}, false, now)
		require.NoError(t, err, "%d characters", len([]rune(msg)))
	}
	stored := *u.CurrentStatus(now)
	for _, patch := range []bool{false, true} {
		got, err := st.SetUserStatus(u, StatusChange{Message: ptr(strings.Repeat("é", 101))}, patch, now)
		assert.Nil(t, got)
		invalidAs(t, err, map[string][]string{"message": {"is too long (maximum is 100 characters)"}})
		assert.Equal(t, &stored, u.CurrentStatus(now))
	}
	_, err := st.SetUserStatus(u, StatusChange{Emoji: ptr("nope"), Message: ptr(strings.Repeat("m", 101))}, false, now)
	invalidAs(t, err, map[string][]string{"emoji": {"is not a valid emoji name"}, "message": {"is too long (maximum is 100 characters)"}})
}
