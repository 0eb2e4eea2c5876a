package gitlab

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// secretHolder is a caller's struct that keeps a value holding a
// secret: by pointer, by value, and in an unexported field, which fmt
// prints without calling any method of it.
type secretHolder[T any] struct {
	Tok  *T
	Val  T
	List []*T
	val  T
}

// printedForms prints and logs *p every way issue 25 lists: fmt's verbs
// on the value and the pointer, fmt of slices, maps and a struct holding
// it, and log/slog's text and JSON handlers with the value, the pointer,
// a slice of pointers, a slice of values and a struct holding one. The
// key of each result names the form.
func printedForms[T any](p *T) map[string]string {
	v := *p
	holder := secretHolder[T]{Tok: p, Val: v, List: []*T{p}, val: v}
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		out["fmt "+verb+" value"] = fmt.Sprintf(verb, v)
		out["fmt "+verb+" pointer"] = fmt.Sprintf(verb, p)
		out["fmt "+verb+" holder"] = fmt.Sprintf(verb, holder)
		out["fmt "+verb+" holder pointer"] = fmt.Sprintf(verb, &holder)
	}
	out["fmt Sprint slice of pointers"] = fmt.Sprint([]*T{p})
	out["fmt %+v slice of values"] = fmt.Sprintf("%+v", []T{v})
	out["fmt %#v slice of values"] = fmt.Sprintf("%#v", []T{v})
	out["fmt %v map"] = fmt.Sprintf("%v", map[string]T{"k": v})
	out["fmt Sprintln"] = fmt.Sprintln(v, p)
	logged := map[string]any{
		"value":             v,
		"pointer":           p,
		"slice of pointers": []*T{p},
		"slice of values":   []T{v},
		"holder":            holder,
		"holder pointer":    &holder,
	}
	for name, arg := range logged {
		for hname, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
			"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
			"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		} {
			var b bytes.Buffer
			logger := slog.New(newHandler(&b))
			logger.Info("msg", "x", arg)
			logger.Info("msg", slog.Any("x", arg))
			logger.Info("msg", slog.Group("g", slog.Any("x", arg)))
			logger.With("x", arg).Info("msg")
			out["slog "+hname+" "+name] = b.String()
		}
	}
	return out
}

// assertNotPrinted fails for every form of printedForms(p) that holds
// secret, and checks that the forms still show the rest of the value
// (visible), so that a fix cannot hide the value altogether.
func assertNotPrinted[T any](t *testing.T, p *T, secret, visible string) {
	t.Helper()
	require.NotEmpty(t, secret)
	forms := printedForms(p)
	for name, text := range forms {
		assert.NotContains(t, text, secret, "%T: %s", p, name)
	}
	for _, name := range []string{"fmt %v value", "fmt %+v pointer", "fmt %#v value", "slog text value", "slog json pointer", "slog json slice of pointers", "slog text holder"} {
		assert.Contains(t, forms[name], visible, "%T: %s shows the rest of the value", p, name)
	}
}

// decodeFixture decodes a testdata file as the SDK decodes an answer.
func decodeFixture[T any](t *testing.T, name string) *T {
	t.Helper()
	var v T
	require.NoError(t, jsonUnmarshal(fixture(t, name), &v))
	return &v
}

// Issue 25, defect 6: a rotated or created token's secret appears in no
// print and no log record, whatever the form: a copy of the struct, a
// pointer, a slice, a struct holding one, slog's JSON handler (which
// encodes nested values with encoding/json).
func TestNewTokenSecretInNoPrintOrLog(t *testing.T) {
	for _, name := range []string{"rotate_personal_access_token.json", "create_personal_access_token.json"} {
		tok := decodeFixture[PersonalAccessToken](t, name)
		secret := secretIn(t, fixture(t, name), "token")
		assertNotPrinted(t, tok, secret, "Token")
	}
}

// Issue 25, defect 7: the same for the other secrets GitLab sends: an
// impersonation token, a runner's glrt- token and a support PIN.
func TestOtherSecretsInNoPrintOrLog(t *testing.T) {
	imp := decodeFixture[ImpersonationToken](t, "create_impersonation_token.json")
	assertNotPrinted(t, imp, secretIn(t, fixture(t, "create_impersonation_token.json"), "token"), "mytoken")
	imp = decodeFixture[ImpersonationToken](t, "create_granular_impersonation_token.json")
	assertNotPrinted(t, imp, secretIn(t, fixture(t, "create_granular_impersonation_token.json"), "token"), "granular")

	runner := decodeFixture[UserRunner](t, "create_user_runner.json")
	assertNotPrinted(t, runner, "glrt-kyahzxLaj4Dc1jQf4xjX", "9171")

	var pin SupportPIN
	require.NoError(t, jsonUnmarshal([]byte(`{"pin": "918273", "expires_at": "2025-03-21T09:26:53Z"}`), &pin))
	assertNotPrinted(t, &pin, "918273", "2025")
}

// secretIn returns the string value of key in the JSON object b.
func secretIn(t *testing.T, b []byte, key string) string {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	s, _ := m[key].(string)
	require.NotEmpty(t, s, "%s in %s", key, b)
	return s
}

// Issue 25, defect 11: printing or logging a client shows neither its
// token nor the header value that carries it, for both constructors.
func TestClientPrintHidesToken(t *testing.T) {
	const token = "glpat-client-secret-4711"
	for name, newC := range map[string]func(string, ...ClientOption) (*Client, error){
		"NewClient": NewClient, "NewOAuthClient": NewOAuthClient,
	} {
		c, err := newC(token, WithBaseURL("https://gitlab.example.com"))
		require.NoError(t, err)
		forms := clientForms(c)
		for form, text := range forms {
			assert.NotContains(t, text, token, "%s: %s", name, form)
			assert.NotContains(t, text, "glpat-client", "%s: %s", name, form)
		}
		for _, form := range []string{"%v", "%+v", "%#v", "%s", "slog text", "slog json"} {
			assert.Contains(t, forms[form], "gitlab.example.com", "%s: %s shows the base URL", name, form)
		}
		// The client still works with its token.
		_, err = c.NewRequest(context.Background(), http.MethodGet, "user", nil)
		require.NoError(t, err)
	}
}

// clientForms prints and logs c every way a caller might.
func clientForms(c *Client) map[string]string {
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out[verb] = fmt.Sprintf(verb, c)
	}
	type app struct {
		GL *Client
		gl *Client
	}
	// The unexported field is printed without calling any method of
	// *Client; with %s and %q fmt prints the struct it points to.
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out["holder "+verb] = fmt.Sprintf(verb, app{c, c})
		out["holder pointer "+verb] = fmt.Sprintf(verb, &app{c, c})
	}
	for hname, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var b bytes.Buffer
		slog.New(newHandler(&b)).Info("msg", "client", c)
		out["slog "+hname] = b.String()
		b.Reset()
		slog.New(newHandler(&b)).Info("msg", "app", app{c, c}, "clients", []*Client{c})
		out["slog "+hname+" holder"] = b.String()
	}
	return out
}

// A Secret hides its value from every printer but Value, which callers
// use to store the secret or to make a client with it.
func TestSecretValue(t *testing.T) {
	tok := decodeFixture[PersonalAccessToken](t, "rotate_personal_access_token.json")
	assert.Equal(t, "glpat-s3cr3tRotatedValue0001", tok.Token.Value())
	assert.False(t, tok.Token.IsZero())
	assert.Equal(t, "REDACTED", tok.Token.String())
	assert.Equal(t, `"REDACTED"`, fmt.Sprintf("%#v", tok.Token))
	assert.Equal(t, tok.Token, NewSecret("glpat-s3cr3tRotatedValue0001"), "equal secrets are equal to reflect.DeepEqual")

	// Without a secret (List, Get) nothing is shown, and "token" is not
	// encoded.
	got := decodeFixture[PersonalAccessToken](t, "get_personal_access_token.json")
	assert.True(t, got.Token.IsZero())
	assert.Empty(t, got.Token.Value())
	assert.NotContains(t, fmt.Sprintf("%+v", got), "REDACTED")
	b, err := json.Marshal(got)
	require.NoError(t, err)
	assert.NotContains(t, string(b), `"token"`)
	assert.Equal(t, Secret{}, NewSecret(""))

	// json.Marshal writes REDACTED: the value is stored with Value().
	b, err = json.Marshal(tok)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"token":"REDACTED"`)
	text, err := tok.Token.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "REDACTED", string(text))
	assert.Equal(t, slog.StringValue("REDACTED"), tok.Token.LogValue())

	// Decoding: a string, or null for none; anything else is an error,
	// with both JSON packages.
	for _, decode := range []func([]byte, any) error{json.Unmarshal, jsonUnmarshal} {
		var r UserRunner
		require.NoError(t, decode([]byte(`{"id":1,"token":"glrt-x"}`), &r))
		assert.Equal(t, "glrt-x", r.Token.Value())
		require.NoError(t, decode([]byte(`{"id":1,"token":null}`), &r))
		assert.True(t, r.Token.IsZero())
		assert.Error(t, decode([]byte(`{"id":1,"token":42}`), &r))
		assert.Error(t, decode([]byte(`{"id":1,"token":{"a":"b"}}`), &r))
	}
}
