package gitlab

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// Sentinel errors. Every *ErrorResponse matches the one for its status
// code with errors.Is, so callers can write
//
//	if errors.Is(err, gitlab.ErrNotFound) { ... }
//
// and still reach the details with errors.As.
var (
	ErrBadRequest      = errors.New("gitlab: bad request")      // 400
	ErrUnauthorized    = errors.New("gitlab: unauthorized")     // 401
	ErrForbidden       = errors.New("gitlab: forbidden")        // 403
	ErrNotFound        = errors.New("gitlab: not found")        // 404
	ErrConflict        = errors.New("gitlab: conflict")         // 409
	ErrRateLimited     = errors.New("gitlab: rate limited")     // 429
	ErrInvalidArgument = errors.New("gitlab: invalid argument") // rejected before any request was sent

	// ErrUnexpectedResponse is wrapped when a 2xx answer cannot be read
	// as the value the method returns (empty body, not JSON, wrong shape).
	ErrUnexpectedResponse = errors.New("gitlab: unexpected response")
)

// maxErrorBody bounds how much of an error body is read into memory.
const maxErrorBody = 1 << 20

// ErrorResponse is the error for every answer outside 2xx and 304. (A
// 304 Not Modified is success where GitLab sends it, see
// FollowsService.Follow, and ErrUnexpectedResponse elsewhere.) It
// carries GitLab's message and enough of the request to act on it; the
// token is redacted from every field.
//
// GitLab API docs: https://docs.gitlab.com/api/rest/troubleshooting/#status-codes
type ErrorResponse struct {
	// StatusCode is the HTTP status, e.g. 404.
	StatusCode int
	// Method and URL identify the request (query secrets redacted).
	Method string
	URL    string
	// Message is GitLab's message flattened to one line, e.g.
	// "404 User Not Found" or "email has already been taken"; without a
	// message, the status text, e.g. "Bad Gateway". (Error shows the
	// status once: "404 User Not Found", not "404 404 User Not Found".)
	Message string
	// Fields holds per-attribute messages of a validation error, e.g.
	// Fields["email"] = ["has already been taken"].
	Fields map[string][]string
	// Location is the redirect target of a 3xx answer that was not followed.
	Location string
	// RetryAfter is how long the server asked the client to wait
	// (Retry-After or RateLimit-Reset), when it said so on a 429 or a
	// 503: the answers where that header means "try again later". On
	// any other status it is zero, header or not.
	RetryAfter time.Duration
	// RequestID is GitLab's X-Request-Id, for support requests.
	RequestID string
	// Body is the raw body, at most 1 MiB of it.
	Body []byte
	// Attempts is how many times the request was sent: more than 1 when
	// it was retried and this is the last answer.
	Attempts int
	// Response is the HTTP answer; its body is already closed.
	Response *http.Response
}

// Error returns one line: method, URL, the status once, GitLab's
// message, and what else the caller may act on.
func (e *ErrorResponse) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "gitlab: %s %s: %d", e.Method, e.URL, e.StatusCode)
	if msg := strings.TrimPrefix(e.Message, strconv.Itoa(e.StatusCode)+" "); msg != "" {
		b.WriteString(" ")
		b.WriteString(msg)
	}
	if e.Location != "" {
		fmt.Fprintf(&b, " (redirect to %s not followed for %s)", e.Location, e.Method)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (server asked to wait %s before retrying)", e.RetryAfter)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

// statusErrors are the sentinel errors an ErrorResponse matches, by status.
var statusErrors = map[int]error{
	http.StatusBadRequest:      ErrBadRequest,
	http.StatusUnauthorized:    ErrUnauthorized,
	http.StatusForbidden:       ErrForbidden,
	http.StatusNotFound:        ErrNotFound,
	http.StatusConflict:        ErrConflict,
	http.StatusTooManyRequests: ErrRateLimited,
}

// Is makes errors.Is(err, ErrNotFound) and its siblings match by status.
func (e *ErrorResponse) Is(target error) bool {
	sentinel, ok := statusErrors[e.StatusCode]
	return ok && target == sentinel
}

// parseErrorBody understands GitLab's shapes:
//
//	{"message":"404 User Not Found"}
//	{"message":{"email":["has already been taken"]}}
//	{"message":{"error":"This endpoint has been requested too many times."}}
//	{"error":"name is missing"}
//
// and falls back to the text of a plain or HTML body (a proxy's page).
func parseErrorBody(body []byte, contentType string) (string, map[string][]string) {
	t := bytes.TrimSpace(body)
	if len(t) == 0 {
		return "", nil
	}
	if t[0] == '{' {
		var raw struct {
			Message          jsontext.Value `json:"message"`
			Error            jsontext.Value `json:"error"`
			ErrorDescription string         `json:"error_description"`
		}
		if jsonUnmarshal(t, &raw) == nil {
			msg, fields := parseMessage(raw.Message)
			if msg == "" {
				msg, _ = parseMessage(raw.Error)
			}
			if raw.ErrorDescription != "" {
				msg = strings.TrimSpace(msg + ": " + raw.ErrorDescription)
			}
			if msg != "" || fields != nil {
				return msg, fields
			}
		}
	}
	return oneLine(plainText(t, contentType), 300), nil
}

// parseMessage flattens a message that is a string, a list, or an
// object of attribute → string or list of strings.
func parseMessage(raw jsontext.Value) (string, map[string][]string) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if jsonUnmarshal(raw, &s) == nil {
		return oneLine(s, 1000), nil
	}
	var list []string
	if jsonUnmarshal(raw, &list) == nil {
		return oneLine(strings.Join(list, "; "), 1000), nil
	}
	var obj map[string]jsontext.Value
	if jsonUnmarshal(raw, &obj) != nil {
		return oneLine(string(raw), 1000), nil
	}
	fields := make(map[string][]string, len(obj))
	for k, v := range obj {
		var msgs []string
		if jsonUnmarshal(v, &msgs) != nil {
			var one string
			if jsonUnmarshal(v, &one) == nil {
				msgs = []string{one}
			} else {
				msgs = []string{string(v)}
			}
		}
		fields[k] = msgs
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		if k == "error" || k == "base" {
			parts = append(parts, strings.Join(fields[k], ", "))
			continue
		}
		parts = append(parts, k+" "+strings.Join(fields[k], ", "))
	}
	return oneLine(strings.Join(parts, "; "), 1000), fields
}

// indexFold is the byte offset in s of the first match of sub, an
// ASCII lower-case string, ignoring ASCII case; -1 when there is none.
// Unlike an index into strings.ToLower(s), the offset is s's own even
// when s is not valid UTF-8 (ToLower turns each invalid byte into three).
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// plainText returns an HTML page's title (or its text) or a plain body.
func plainText(b []byte, contentType string) string {
	s := string(b)
	if !strings.Contains(contentType, "html") && !strings.HasPrefix(s, "<") {
		return s
	}
	if i := indexFold(s, "<title>"); i >= 0 {
		if j := indexFold(s[i:], "</title>"); j > 0 {
			return s[i+len("<title>") : i+j]
		}
	}
	var out strings.Builder
	inTag := false
	for _, r := range s {
		switch {
		case r == '<':
			inTag = true
		case r == '>':
			inTag = false
			out.WriteByte(' ')
		case !inTag:
			out.WriteRune(r)
		}
	}
	return out.String()
}

// oneLine collapses white space and cuts s to at most n runes. It looks
// at no more of s than n runes can span, so a huge body costs little.
func oneLine(s string, n int) string {
	if limit := 8 * n; len(s) > limit { // white space collapses, so keep a margin
		for limit > 0 && !utf8.RuneStart(s[limit]) {
			limit--
		}
		s = s[:limit]
	}
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "…"
	}
	return s
}

// secretParams are query parameters whose values never appear in errors
// or logs.
var secretParams = []string{"private_token", "access_token", "job_token", "token"}

// redactURL renders u without user info and with secret query values
// replaced by REDACTED.
func redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	cp := *u
	cp.User = nil
	if cp.RawQuery != "" {
		q := cp.Query()
		changed := false
		for k := range q {
			if slices.Contains(secretParams, strings.ToLower(k)) {
				q.Set(k, "REDACTED")
				changed = true
			}
		}
		if changed {
			cp.RawQuery = q.Encode()
		}
	}
	return cp.String()
}

// secrets are the forms of the client's token that must never appear in
// an error, a log record or an ErrorResponse field: the token itself and
// its query- and path-escaped forms (a server may echo it either way).
type secrets []string

func newSecrets(token string) secrets {
	if token == "" {
		return nil
	}
	var s secrets
	for _, form := range []string{token, url.QueryEscape(token), url.PathEscape(token)} {
		if !slices.Contains(s, form) {
			s = append(s, form)
		}
	}
	return s
}

// redact replaces every form of the token in s by REDACTED.
func (ss secrets) redact(s string) string {
	for _, secret := range ss {
		if strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, "REDACTED")
		}
	}
	return s
}

// redactBytes is redact for a body. A JSON body may also hold the token
// JSON-escaped (\u0067lpat-…, glpat\u002d…, \/ for a slash), which no
// byte comparison finds but every JSON decoder turns back into the
// token: each JSON string whose decoded text holds a form of the token
// is rewritten too (see redactJSONStrings).
func (ss secrets) redactBytes(b []byte) []byte {
	if len(ss) == 0 {
		return b
	}
	for _, secret := range ss {
		if bytes.Contains(b, []byte(secret)) {
			b = bytes.ReplaceAll(b, []byte(secret), []byte("REDACTED"))
		}
	}
	return ss.redactJSONStrings(b)
}

// redactJSONStrings rewrites, in the JSON text b, every string (a value
// or an object's name) whose decoded text holds a form of the token:
// the string is replaced by its redacted text, encoded again. The rest
// of b keeps its bytes. Where b stops being valid JSON, the strings
// before that point are still rewritten; what follows is not decoded by
// the SDK either (parseErrorBody falls back to the raw text, in which an
// escaped token stays escaped).
func (ss secrets) redactJSONStrings(b []byte) []byte {
	type span struct {
		start, end int64
		repl       []byte
	}
	var spans []span
	dec := jsontext.NewDecoder(bytes.NewReader(b), decodeOptions)
	for {
		before := dec.InputOffset()
		tok, err := dec.ReadToken()
		if err != nil {
			break
		}
		if tok.Kind() != '"' {
			continue
		}
		text := tok.String()
		red := ss.redact(text)
		if red == text {
			continue
		}
		after := dec.InputOffset()
		// Between the previous token and this string there is only
		// white space, ',' or ':': the string starts at the first quote.
		start := before + int64(bytes.IndexByte(b[before:after], '"'))
		repl, err := jsonMarshal(red)
		if err != nil {
			repl = []byte(`"REDACTED"`)
		}
		spans = append(spans, span{start, after, repl})
	}
	if len(spans) == 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	var last int64
	for _, sp := range spans {
		out = append(out, b[last:sp.start]...)
		out = append(out, sp.repl...)
		last = sp.end
	}
	return append(out, b[last:]...)
}

// redactParsed redacts a parsed message and its fields (names and
// messages): the last guard, after decoding, whatever form the body
// held the token in.
func (ss secrets) redactParsed(msg string, fields map[string][]string) (string, map[string][]string) {
	if len(ss) == 0 {
		return msg, fields
	}
	msg = ss.redact(msg)
	for k, msgs := range fields {
		for i, m := range msgs {
			msgs[i] = ss.redact(m)
		}
		if rk := ss.redact(k); rk != k {
			delete(fields, k)
			fields[rk] = append(fields[rk], msgs...)
		}
	}
	return msg, fields
}

// url renders u as redactURL does, with the token removed from the rest
// (a path segment, or a query parameter of another name).
func (ss secrets) url(u *url.URL) string { return ss.redact(redactURL(u)) }

// redactErr returns err, or an error with the same chain whose text has
// the token removed.
func (ss secrets) redactErr(err error) error {
	if err == nil {
		return nil
	}
	if msg := ss.redact(err.Error()); msg != err.Error() {
		return &redactedError{msg: msg, err: err}
	}
	return err
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// invalidArg returns an error wrapping ErrInvalidArgument.
func invalidArg(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidArgument, fmt.Sprintf(format, args...))
}
