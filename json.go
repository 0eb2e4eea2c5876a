package gitlab

import (
	"bytes"
	"fmt"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// decodeOptions keep encoding/json's leniency where it serves callers:
// a stray invalid UTF-8 byte becomes U+FFFD and a repeated name keeps
// its last value, instead of failing a whole page.
var decodeOptions = jsonv2.JoinOptions(
	jsontext.AllowInvalidUTF8(true),
	jsontext.AllowDuplicateNames(true),
)

// jsonUnmarshal is the one place response bodies are decoded. It uses
// the prototype of encoding/json/v2, which decodes GitLab's user lists
// about 2.6 times faster than encoding/json (see BENCHMARKS.md); with
// decodeOptions it accepts what encoding/json accepts for GitLab's
// answers: exact snake_case names, unknown fields ignored, UnmarshalJSON
// methods honoured. When encoding/json/v2 leaves GOEXPERIMENT, this
// becomes an import change.
func jsonUnmarshal(b []byte, v any) error { return jsonv2.Unmarshal(b, v, decodeOptions) }

// jsonMarshal encodes the few request bodies GitLab can only read as
// JSON (see CreateImpersonationTokenOptions.GranularScopes), with the
// same library.
func jsonMarshal(v any) ([]byte, error) { return jsonv2.Marshal(v) }

// maxPageItems bounds the items one list answer may hold. GitLab sends
// at most 100 a page; the bound keeps a hostile answer of tiny items
// ([{},{},...]) from decoding into gigabytes of structs.
const maxPageItems = 1000

// maxAnswerObjects bounds the JSON objects one answer may hold, at any
// depth: the lists inside an answer (a user's identities and custom
// attributes, a token's granular scopes, a deploy key's projects, the
// projects of ListCurrentAssociations, a GPG create's array) are
// unbounded otherwise, and a 3 MB body of a million {} decodes into
// 172 MiB of structs. Each object decodes into at most a few hundred
// bytes, so the bound keeps an answer's structs within tens of MiB;
// GitLab's largest answers (pages of 100 users, each with a few nested
// objects) hold a few thousand. It bounds the sum over every list, which
// a per-list cap would not: 1,000 users of 1,000 identities each are a
// million objects too.
const maxAnswerObjects = 100_000

// tooManyObjects reports whether the JSON text b holds more than
// maxAnswerObjects objects. Counting the '{' bytes is fast (a
// vectorised bytes.Count, some 10 µs for a 220 KB page) and is an upper
// bound; only past the bound are the braces inside strings told apart.
func tooManyObjects(b []byte) bool {
	if bytes.Count(b, []byte{'{'}) <= maxAnswerObjects {
		return false
	}
	n, inString, escaped := 0, false, false
	for _, c := range b {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && c == '{':
			n++
		}
	}
	return n > maxAnswerObjects
}

// list is a list answer: it decodes as []E does, but stops with an error
// at the item past maxPageItems, before decoding it.
type list[E any] []E

// UnmarshalJSONFrom implements jsonv2.UnmarshalerFrom.
func (l *list[E]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	if tok.Kind() != '[' {
		return fmt.Errorf("want a JSON array, got %s", tok.Kind())
	}
	for dec.PeekKind() != ']' {
		if len(*l) == maxPageItems {
			return fmt.Errorf("more than %d items in one page", maxPageItems)
		}
		var zero E
		*l = append(*l, zero)
		if err := jsonv2.UnmarshalDecode(dec, &(*l)[len(*l)-1]); err != nil { // in place: no copy, no allocation per item
			return err
		}
	}
	_, err = dec.ReadToken()
	return err
}
