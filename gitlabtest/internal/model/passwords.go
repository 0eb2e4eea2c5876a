package model

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Passwords: Security::WeakPasswords (lib/security/weak_passwords.rb),
// which User#check_password_weakness (app/models/user.rb) asks whenever
// a password is set, and Devise's length (config/initializers/8_devise.rb,
// password_length 8..128).

// The password lengths Devise's validatable accepts.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 128
)

// weakPasswordMessage is User#check_password_weakness's message.
const weakPasswordMessage = "must not contain commonly used combinations of words and letters"

// forbiddenPasswordWords are Security::WeakPasswords::FORBIDDEN_WORDS.
var forbiddenPasswordWords = []string{"gitlab", "devops"}

const (
	// minWeakSubstring is MINIMUM_SUBSTRING_SIZE: shorter parts of a
	// name may occur in a random password and are not checked.
	minWeakSubstring = 4
	// maxSubstringChecked is PASSWORD_SUBSTRING_CHECK_MAX_LENGTH: a
	// password this long or longer is not checked for substrings.
	maxSubstringChecked = 64
)

// WeakPassword is Security::WeakPasswords.weak_for_user?: password is
// weak for a user named name, with username and email, when, compared
// case-insensitively, it contains gitlab or devops, the name, the
// username or the email, or one of their parts of 4 characters or more
// (split at every character that is not a letter or digit, and the
// email also at its @), or when it is on GitLab's list of common
// passwords. The substring checks skip passwords of 64 characters or
// more.
func WeakPassword(password, name, username, email string) bool {
	lower := strings.ToLower(password)
	if utf8.RuneCountInString(password) < maxSubstringChecked {
		if containsAny(lower, forbiddenPasswordWords...) ||
			containsPart(lower, name) || containsPart(lower, username) || containsPart(lower, email) ||
			!blank(email) && containsAny(lower, strings.Split(email, "@")...) {
			return true
		}
	}
	sum := sha256.Sum256([]byte(lower))
	_, weak := weakPasswordDigests()[base64.StdEncoding.EncodeToString(sum[:])[:16]]
	return weak
}

// containsPart reports whether lower contains s or one of its parts
// split at non-alphanumeric characters (/[^\p{Alnum}]/), each of 4
// characters or more, case-insensitively.
func containsPart(lower, s string) bool {
	if blank(s) {
		return false
	}
	notAlnum := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
	return containsAny(lower, s) || containsAny(lower, strings.FieldsFunc(s, notAlnum)...)
}

// containsAny reports whether lower contains one of words of 4
// characters or more, lowercased.
func containsAny(lower string, words ...string) bool {
	for _, w := range words {
		if utf8.RuneCountInString(w) >= minWeakSubstring && strings.Contains(lower, strings.ToLower(w)) {
			return true
		}
	}
	return false
}
