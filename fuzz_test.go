package gitlab

import (
	"net/http"
	"net/url"
	"path"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzUserRefPath: whatever the username, its escaped form is exactly one
// path segment that decodes back to the username and that no path
// normalisation can move.
func FuzzUserRefPath(f *testing.F) {
	for _, s := range []string{"jane", "@jane", "a/b", "../admin", "..", ".", "jöhn", "a%2Fb", "a?b#c", "@", "", "%", "a\x00b", "..%2f", "./.", "//"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		ep := at("users", Username(name), "status")
		if ep.err != nil {
			return
		}
		u, err := url.Parse("https://h.example/api/v4/" + ep.path)
		if err != nil {
			t.Fatalf("%q: unparsable URL %q: %v", name, ep.path, err)
		}
		p := u.EscapedPath()
		segs := strings.Split(p, "/")
		if len(segs) != 6 || segs[3] != "users" || segs[5] != "status" {
			t.Fatalf("%q escaped to %q: not one segment", name, p)
		}
		if segs[4] == "." || segs[4] == ".." || path.Clean(p) != p {
			t.Fatalf("%q escaped to %q, which normalisation changes", name, p)
		}
		got, err := url.PathUnescape(segs[4])
		if err != nil || got != strings.TrimPrefix(name, "@") {
			t.Fatalf("%q round-tripped to %q (%v)", name, got, err)
		}
	})
}

// FuzzParseErrorBody: any body gives a one-line message without a panic.
func FuzzParseErrorBody(f *testing.F) {
	for _, s := range []string{
		`{"message":"404 User Not Found"}`,
		`{"message":{"email":["has already been taken"]}}`,
		`{"message":{"error":"slow"}}`,
		`{"error":"name is missing"}`,
		`{"message":["a",1]}`,
		`{"message":{"a":{"b":[1]}}}`,
		"<html><title>502</title></html>",
		"<html><title>",
		"Retry later\n",
		`{"message":`, `[]`, `null`, `"x"`, "\xff\xfe",
	} {
		f.Add([]byte(s), "application/json")
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		msg, fields := parseErrorBody(body, contentType)
		if strings.ContainsAny(msg, "\n\r") {
			t.Fatalf("message spans lines: %q", msg)
		}
		if utf8.RuneCountInString(msg) > 1001 {
			t.Fatalf("message too long: %d runes", utf8.RuneCountInString(msg))
		}
		for k, v := range fields {
			if v == nil {
				t.Fatalf("field %q has nil messages", k)
			}
		}
	})
}

// FuzzPaginationHeaders: any header values parse without a panic, and a
// next link is always a bracketed URL's content.
func FuzzPaginationHeaders(f *testing.F) {
	f.Add(`<https://h/a?page=2>; rel="next", <https://h/a>; rel="first"`, "3", "2")
	f.Add(`<>; rel=next`, "-1", "x")
	f.Add(`<a>;rel="next";<b>`, "99999999999999999999", "")
	f.Fuzz(func(t *testing.T, link, total, next string) {
		h := http.Header{}
		h.Set("Link", link)
		h.Set("X-Total", total)
		h.Set("X-Next-Page", next)
		r := newResponse(&http.Response{Header: h})
		if r.TotalItems < 0 || r.NextPage < 0 {
			t.Fatalf("negative counts: %+v", r)
		}
		if r.NextLink != "" && (strings.ContainsAny(r.NextLink, "<>") || !strings.Contains(link, "<"+r.NextLink+">")) {
			t.Fatalf("next link %q not taken from %q", r.NextLink, link)
		}
	})
}
