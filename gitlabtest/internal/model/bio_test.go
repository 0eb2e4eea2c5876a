package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestBioHTML checks the rendering against the outputs of GitLab's
// spec/lib/banzai/pipeline/user_bio_pipeline_spec.rb where the bio is
// plain text.
func TestBioHTML(t *testing.T) {
	for bio, want := range map[string]string{
		"":                         "",
		" \n\t\n":                  "",
		"I like cats":              "I like cats",
		"  I like cats  ":          "I like cats",
		"Tom & Jerry <3 \"x\" 'y'": "Tom &amp; Jerry &lt;3 \"x\" 'y'",
		"one\ntwo":                 "one\ntwo",
		"one  \ntwo":               "one \ntwo", // a hard line break
		"one  \n\ntwo  ":           "one \n two",
		"one\n\ntwo":               "one \n two", // the spec's "collapses the paragraphs into whitespace"
		"a\r\n\r\nb\n\n\nc":        "a \n b \n c",
		"  indented\n   lines":     "indented\nlines",
	} {
		assert.Equal(t, want, BioHTML(bio), "%q", bio)
	}
}
