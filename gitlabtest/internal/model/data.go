package model

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

// The lists GitLab validates against, as data (data/README.md says
// where each comes from and how to regenerate it). Each is read into a
// set on first use, so a server that never needs one pays nothing.

//go:embed data/emoji_names.txt
var emojiNamesFile string

//go:embed data/weak_password_digests.txt
var weakPasswordDigestsFile string

// lineSet returns the set of the lines of s.
func lineSet(s string) map[string]struct{} {
	set := make(map[string]struct{}, strings.Count(s, "\n")+1)
	for line := range strings.Lines(s) {
		if line = strings.TrimSuffix(line, "\n"); line != "" {
			set[line] = struct{}{}
		}
	}
	return set
}

var (
	emojiNames          = sync.OnceValue(func() map[string]struct{} { return lineSet(emojiNamesFile) })
	weakPasswordDigests = sync.OnceValue(func() map[string]struct{} { return lineSet(weakPasswordDigestsFile) })
)

// ValidEmojiName reports whether name is an emoji GitLab knows:
// Gitlab::EmojiNameValidator (app/validators/gitlab/emoji_name_validator.rb)
// asks TanukiEmoji.find_by_alpha_code, which takes a name with or
// without its colons (":smile:" or "smile"), case-sensitively.
func ValidEmojiName(name string) bool {
	if len(name) > 2 && name[0] == ':' && name[len(name)-1] == ':' {
		name = name[1 : len(name)-1]
	}
	_, ok := emojiNames()[name]
	return ok
}

// tooLong reports whether s has more than max characters, as Rails'
// length validation counts them (characters, not bytes).
func tooLong(s string, max int) bool {
	return len(s) > max && utf8.RuneCountInString(s) > max
}

// blank is Rails' String#blank?: empty or only whitespace.
func blank(s string) bool { return strings.TrimSpace(s) == "" }
