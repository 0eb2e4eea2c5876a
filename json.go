package gitlab

import (
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
