package gitlab

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 25, defect 9: a server that echoes the token JSON-escaped
// (\u0067lpat-…, glpat\u002d…, \/ for a slash, every byte escaped) does
// not get it past redaction: Message, Fields (names and values),
// Error(), %+v of the error, and the Body, decoded as JSON, hold
// REDACTED where the token was.
func TestJSONEscapedTokenEchoRedacted(t *testing.T) {
	token := "tok/with+plus&eq=" + testToken
	escapeAll := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		return b.String()
	}
	jsonForms := map[string]string{
		"first letter": `\u0074` + token[1:],
		"dash":         strings.Replace(token, "-", `\u002d`, 1),
		"slash":        strings.ReplaceAll(token, "/", `\/`),
		"every byte":   escapeAll(token),
		"upper hex":    strings.Replace(token, "g", `\u0067`, 1),
		"plus":         strings.Replace(token, "+", `\u002B`, 1),
	}
	for name, form := range jsonForms {
		bodies := map[string]string{
			"message":        `{"message":"401 token ` + form + ` is revoked"}`,
			"message list":   `{"message":["bad ` + form + `", "x"]}`,
			"field value":    `{"message":{"token":["` + form + ` is invalid"]}}`,
			"field name":     `{"message":{"` + form + `":["is invalid"]}}`,
			"field one":      `{"message":{"base":"` + form + ` is invalid"}}`,
			"error":          `{"error":"invalid_token ` + form + `"}`,
			"description":    `{"error":"invalid_token","error_description":"` + form + ` expired"}`,
			"nested":         `{"message":{"token":{"value":"` + form + `"}}}`,
			"message object": `{"message":{"error":"` + form + `"}}`,
		}
		for bname, body := range bodies {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(body))
			}))
			c, err := NewClient(token, WithBaseURL(srv.URL), WithoutRetries())
			require.NoError(t, err)
			_, _, err = c.Users.Current(context.Background())
			srv.Close()
			var er *ErrorResponse
			require.ErrorAs(t, err, &er)
			where := name + "/" + bname
			var decoded any
			require.NoError(t, json.Unmarshal(er.Body, &decoded), "%s: Body stays JSON: %s", where, er.Body)
			texts := map[string]string{
				"Message":      er.Message,
				"Fields":       fmt.Sprintf("%v", er.Fields),
				"Error":        er.Error(),
				"%+v":          fmt.Sprintf("%+v", er),
				"decoded Body": fmt.Sprintf("%v", decoded),
				"Body":         string(er.Body),
			}
			for field, text := range texts {
				for _, leak := range []string{token, testToken, url.QueryEscape(token), url.PathEscape(token)} {
					assert.NotContains(t, text, leak, "%s: %s", where, field)
				}
			}
			assert.Contains(t, texts["decoded Body"], "REDACTED", "%s: the body says where the token was", where)
			if bname != "nested" {
				assert.Contains(t, er.Error(), "REDACTED", "%s: Error() says where the token was", where)
			}
		}
	}

	// A token with a space is composed by the message's flattening of
	// a field name and its message ("name message"): the parsed text
	// is redacted too, not only the body's strings.
	spaced := "glpat-split token-77"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"message":{"glpat-split":["token-77"]}}`))
	}))
	c, err := NewClient(spaced, WithBaseURL(srv.URL), WithoutRetries())
	require.NoError(t, err)
	_, _, err = c.Users.Current(context.Background())
	srv.Close()
	var er *ErrorResponse
	require.ErrorAs(t, err, &er)
	assert.NotContains(t, er.Error(), spaced)
	assert.Equal(t, "REDACTED", er.Message)

	// The rest of the body is left as it was: an answer without the
	// token keeps its bytes, escapes and all.
	plain := `{"message":"caf\u00e9 \/ \"quoted\""}`
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(plain))
	}))
	defer srv.Close()
	c, err = NewClient(token, WithBaseURL(srv.URL), WithoutRetries())
	require.NoError(t, err)
	_, _, err = c.Users.Current(context.Background())
	require.ErrorAs(t, err, &er)
	assert.Equal(t, plain, string(er.Body))
	assert.Equal(t, `café / "quoted"`, er.Message)
}

// FuzzRedactJSONBody: whatever JSON a server sends, no string and no
// object name of the redacted body decodes to text holding the token,
// and a body that was valid JSON stays valid JSON.
func FuzzRedactJSONBody(f *testing.F) {
	const token = "tok/with+plus&eq=glpat-fz"
	for _, seed := range []string{
		`{"message":"\u0074ok\/with+plus&eq=glpat-fz"}`,
		`{"message":{"tok/with+plus\u0026eq=glpat\u002dfz":["x"]}}`,
		`["a","tok/with+plus&eq=glpat-fz",{"b":[1,"\u0074\u006fk/with+plus&eq=glpat-fz"]}]`,
		`{"error":"x"} trailing "tok\/with+plus&eq=glpat-fz"`,
		`"\u0074ok/with+plus&eq=glpat-fz"`,
	} {
		f.Add([]byte(seed))
	}
	ss := newSecrets(token)
	f.Fuzz(func(t *testing.T, body []byte) {
		out := ss.redactBytes(append([]byte(nil), body...))
		var before, after any
		if jsonUnmarshal(body, &before) == nil {
			if err := jsonUnmarshal(out, &after); err != nil {
				t.Fatalf("valid JSON %q redacted into invalid %q: %v", body, out, err)
			}
		} else if jsonUnmarshal(out, &after) != nil {
			return
		}
		var check func(any)
		check = func(v any) {
			switch x := v.(type) {
			case string:
				for _, form := range ss {
					if strings.Contains(x, form) {
						t.Fatalf("%q redacted to %q still decodes to %q", body, out, x)
					}
				}
			case []any:
				for _, e := range x {
					check(e)
				}
			case map[string]any:
				for k, e := range x {
					check(k)
					check(e)
				}
			}
		}
		check(after)
	})
}
