package gitlabtest_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab/gitlabtest"
)

// TestServerJSONMatchesEncodingJSON checks that the fake's own JSON
// writer gives the bytes encoding/json gives (without HTML escaping),
// for the types entities are made of and strings of any bytes.
func TestServerJSONMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	strs := []string{"", "plain", `"quoted" \back\slash/`, "<b>&amp;</b>", "tab\tnl\ncr\rbs\bff\f", "\x00\x01\x1f\x7f",
		"é ñ 日本 🙂", "\u2028\u2029", "bad \xff\xfe utf8 \xc3", "\xed\xa0\x80 surrogate", "trunc \xe6\x97"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := make([]byte, rng.IntN(24))
		for i := range b {
			b[i] = byte(rng.IntN(256))
			if rng.IntN(3) == 0 {
				pick := "\"\\\n\x00\xe2\x80\xa8<>&"
				b[i] = pick[rng.IntN(len(pick))]
			}
		}
		strs = append(strs, string(b))
	}
	for _, s := range strs {
		fast, std := gitlabtest.EncodeJSON(s)
		require.Equal(t, std, fast, "%q", s)
	}
	var nilObjs []any
	values := []any{nil, true, false, 0, -7, int64(1) << 62, int64(-1), []string{"a", "b\n"}, []string(nil), []any{},
		nilObjs, []any{nil, "x", 3, []string{}}, map[string]string{"z": "1", "a": "<2>"}, map[string]any{"message": map[string][]string{"k": {"v"}}},
		gitlabtest.Obj(), gitlabtest.Obj("id", int64(3), "name", "n\"", "nested", gitlabtest.Obj("x", nil), "list", []any{gitlabtest.Obj("a", 1)}),
	}
	for _, v := range values {
		fast, std := gitlabtest.EncodeJSON(v)
		require.Equal(t, std, fast, "%#v", v)
	}
}
