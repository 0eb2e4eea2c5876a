package bench

import (
	"bytes"
	"encoding/json"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"
	goccy "github.com/goccy/go-json"

	ours "github.com/gitlabusers/gitlab"
)

// decoders decode a body into v. Under GOEXPERIMENT=jsonv2 (see
// goexp_on_test.go) encoding/json is the standard library's v1 API on
// the v2 engine and github.com/go-json-experiment/json is an alias of
// the standard library's encoding/json/v2; their names then carry the
// suffix "-goexp" so one benchstat table can hold both builds.
var decoders = []struct {
	name   string
	decode func(b []byte, v any) error
}{
	// What json.go does today: encoding/json.Unmarshal on the read body.
	{"encoding-json", json.Unmarshal},
	// What client-go and the hand-written baseline do.
	{"encoding-json-decoder", func(b []byte, v any) error { return json.NewDecoder(bytes.NewReader(b)).Decode(v) }},
	// encoding/json/v2 prototype, v2 defaults.
	{"jsonv2", func(b []byte, v any) error { return jsonv2.Unmarshal(b, v) }},
	// The same engine with v1 semantics (case-insensitive names, ...).
	{"jsonv2-v1opts", func(b []byte, v any) error { return jsonv2.Unmarshal(b, v, jsonv1.DefaultOptionsV1()) }},
	// A popular third-party drop-in, for reference.
	{"goccy-go-json", goccy.Unmarshal},
}

func BenchmarkDecodeUsers100(b *testing.B) {
	for _, d := range decoders {
		b.Run("dec="+d.name+goexp, func(b *testing.B) {
			b.SetBytes(int64(len(users100)))
			b.ReportAllocs()
			m := startCPU(b)
			for b.Loop() {
				var us []*ours.User
				if err := d.decode(users100, &us); err != nil {
					b.Fatal(err)
				}
				if len(us) != 100 {
					b.Fatal(len(us))
				}
			}
			m.report(b)
		})
	}
}

func BenchmarkDecodeUser(b *testing.B) {
	for _, d := range decoders {
		b.Run("dec="+d.name+goexp, func(b *testing.B) {
			b.SetBytes(int64(len(userBody)))
			b.ReportAllocs()
			for b.Loop() {
				var u *ours.User
				if err := d.decode(userBody, &u); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
