package gitlab

import (
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
