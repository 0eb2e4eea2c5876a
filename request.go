package gitlab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/google/go-querystring/query"
)

// UserRef names a user where GitLab accepts an ID or a username
// (":id_or_username"). It is implemented by UserID and Username only.
type UserRef interface {
	// userRef returns the reference as GitLab reads it (the decimal ID
	// or the username), or an error wrapping ErrInvalidArgument.
	userRef() (string, error)
}

// UserID refers to a user by numeric ID.
type UserID int64

// Username refers to a user by username. One leading "@" is trimmed, so
// "@jane" and "jane" are the same user. In a URL path the username is
// always escaped as a single segment.
type Username string

func (id UserID) userRef() (string, error) {
	if id <= 0 {
		return "", invalidArg("user ID must be positive, got %d", int64(id))
	}
	return strconv.FormatInt(int64(id), 10), nil
}

func (u Username) userRef() (string, error) {
	s := strings.TrimPrefix(string(u), "@")
	if s == "" {
		return "", invalidArg("username must not be empty")
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return "", invalidArg("username %q contains a control character", s)
		}
	}
	return s, nil
}

// escapeSegment escapes s as exactly one path segment: "/" becomes %2F,
// and the dot segments "." and ".." are escaped too, so no value can
// address another path.
func escapeSegment(s string) string {
	switch s {
	case ".":
		return "%2E"
	case "..":
		return "%2E%2E"
	}
	return url.PathEscape(s)
}

// segment is a caller-supplied path segment (for example an identity
// provider name): it must not be empty and is escaped.
type segment struct{ name, value string }

// endpoint is an API path relative to the base URL, or the reason it
// cannot be built. Building it never fails loudly: do reports err before
// sending anything.
type endpoint struct {
	path string
	err  error
	// idempotent marks a POST that is safe to repeat (block, follow...),
	// so it is retried like a PUT.
	idempotent bool
}

// at builds an endpoint from literal path parts (string), IDs (int64,
// which must be positive), user references (UserRef) and caller-supplied
// segments (segment). Every non-literal part is validated and escaped.
func at(parts ...any) endpoint {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteByte('/')
		}
		switch v := p.(type) {
		case string:
			b.WriteString(v)
		case int64:
			if v <= 0 {
				return endpoint{err: invalidArg("%s: ID must be positive, got %d", describe(parts), v)}
			}
			b.WriteString(strconv.FormatInt(v, 10))
		case UserRef:
			s, err := v.userRef()
			if err != nil {
				return endpoint{err: err}
			}
			b.WriteString(escapeSegment(s))
		case segment:
			if v.value == "" {
				return endpoint{err: invalidArg("%s: %s must not be empty", describe(parts), v.name)}
			}
			b.WriteString(escapeSegment(v.value))
		case nil:
			return endpoint{err: invalidArg("%s: user must not be nil", describe(parts))}
		default:
			panic(fmt.Sprintf("gitlab: at: unsupported path part %T", p)) // programming error in this package
		}
	}
	return endpoint{path: b.String()}
}

// describe renders an endpoint template such as "users/:id/keys" for
// error messages.
func describe(parts []any) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteByte('/')
		}
		switch v := p.(type) {
		case string:
			b.WriteString(v)
		case segment:
			b.WriteString(":" + v.name)
		default:
			b.WriteString(":id")
		}
	}
	return b.String()
}

// markIdempotent returns e marked safe to retry even when its method is POST.
func (e endpoint) markIdempotent() endpoint {
	e.idempotent = true
	return e
}

// RequestOption changes one request before it is sent. It is the last,
// variadic argument of every method.
type RequestOption func(*http.Request) error

// WithSudo makes an administrator's request act as another user, by
// setting GitLab's Sudo header.
//
// GitLab API docs: https://docs.gitlab.com/api/rest/authentication/#sudo
func WithSudo(user UserRef) RequestOption {
	return func(r *http.Request) error {
		if user == nil {
			return invalidArg("sudo: user must not be nil")
		}
		s, err := user.userRef()
		if err != nil {
			return err
		}
		r.Header.Set("Sudo", s)
		return nil
	}
}

// WithHeader sets one header on the request, replacing any value the
// client would send. It cannot set the credential headers (PRIVATE-TOKEN,
// Authorization): give credentials to NewClient or NewOAuthClient.
func WithHeader(key, value string) RequestOption {
	return func(r *http.Request) error {
		if isCredentialHeader(key) {
			return invalidArg("header %s carries credentials; pass the token to NewClient", key)
		}
		r.Header.Set(key, value)
		return nil
	}
}

func isCredentialHeader(key string) bool {
	k := http.CanonicalHeaderKey(key)
	return k == "Private-Token" || k == "Authorization"
}

// validator is implemented by options structs that have required fields;
// do calls it before building a request.
type validator interface{ validate() error }

// attacher is implemented by options structs that may carry a file; when
// it returns a file the body is sent as multipart/form-data.
type attacher interface {
	attachment() (field string, f *File)
}

// do sends one request and decodes a JSON answer into a T. A 304 Not
// Modified yields the zero T and no error; every other answer without a
// usable JSON body is an error wrapping ErrUnexpectedResponse.
func do[T any](ctx context.Context, c *Client, method string, ep endpoint, opt any, opts []RequestOption) (T, *Response, error) {
	var v T
	resp, err := c.send(ctx, method, ep, "", opt, opts, &v)
	if err != nil {
		var zero T // never hand out a half-decoded value
		return zero, resp, err
	}
	return v, resp, nil
}

// doNoValue sends one request whose answer carries nothing the caller
// needs: 204, 304, an empty body, or GitLab's literal true/null.
func doNoValue(ctx context.Context, c *Client, method string, ep endpoint, opt any, opts []RequestOption) (*Response, error) {
	return c.send(ctx, method, ep, "", opt, opts, nil)
}

// newRequest builds the HTTP request for ep (or for rawURL, a next-page
// link already checked to be under the base URL) with opt encoded as the
// query (GET, HEAD, DELETE) or as the body (POST, PUT, PATCH).
func (c *Client) newRequest(ctx context.Context, method string, ep endpoint, rawURL string, opt any, opts []RequestOption) (*http.Request, []byte, error) {
	if ep.err != nil {
		return nil, nil, ep.err
	}
	if v, ok := opt.(validator); ok {
		if err := v.validate(); err != nil {
			return nil, nil, err
		}
	}
	u := rawURL
	var body []byte
	contentType := ""
	if u == "" {
		u = c.baseURL + ep.path
		if opt != nil && !(isNilPointer(opt) && isQueryMethod(method)) {
			vals, err := query.Values(opt)
			if err != nil {
				return nil, nil, invalidArg("encoding options: %v", err)
			}
			if isQueryMethod(method) {
				if q := vals.Encode(); q != "" {
					u += "?" + q
				}
			} else if body, contentType, err = encodeBody(opt, vals); err != nil {
				return nil, nil, err
			}
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return nil, nil, invalidArg("building request: %v", redactErr(err, c.token))
	}
	h := req.Header
	h["Accept"] = acceptJSON
	h["User-Agent"] = c.userAgent
	if c.authKey != "" {
		h[c.authKey] = c.authValue
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(req); err != nil {
			return nil, nil, err
		}
	}
	return req, body, nil
}

// encodeBody encodes a POST or PUT body: a form, or multipart/form-data
// when the options carry a file.
func encodeBody(opt any, vals url.Values) ([]byte, string, error) {
	if a, ok := opt.(attacher); ok {
		if field, f := a.attachment(); f != nil {
			return encodeMultipart(vals, field, f)
		}
	}
	return []byte(vals.Encode()), "application/x-www-form-urlencoded", nil
}

func encodeMultipart(vals url.Values, field string, f *File) ([]byte, string, error) {
	if f.Content == nil {
		return nil, "", invalidArg("%s: file content must not be nil", field)
	}
	if f.Name == "" {
		return nil, "", invalidArg("%s: file name must not be empty", field)
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, k := range sortedKeys(vals) {
		for _, v := range vals[k] {
			if err := w.WriteField(k, v); err != nil {
				return nil, "", err
			}
		}
	}
	part, err := w.CreateFormFile(field, f.Name)
	if err != nil {
		return nil, "", err
	}
	if _, err := io.Copy(part, f.Content); err != nil {
		return nil, "", fmt.Errorf("gitlab: reading %s: %w", field, err)
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

func sortedKeys(vals url.Values) []string {
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// acceptJSON is the shared Accept header value (length and capacity 1).
var acceptJSON = []string{"application/json"}

// errBodyEmpty is wrapped when a value was expected and the body was empty.
var errBodyEmpty = errors.New("empty body")

// isNilPointer reports whether opt is a typed nil pointer (a nil options
// struct): it encodes to nothing, so a GET need not encode it.
func isNilPointer(opt any) bool {
	v := reflect.ValueOf(opt)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

func isQueryMethod(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodDelete
}
