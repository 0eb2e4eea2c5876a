package gitlab

// This file is the path of one request, top to bottom in call order:
//
//  1. A service method names its endpoint with at and calls do (doList
//     for a page of a list, doNoValue for no body), which calls send.
//  2. send builds the request (newRequest: options checked, URL, query or
//     body, headers, request options) and hands it to roundTrip, which
//  3. sends it with retries (sendWithRetries: go-retryablehttp, with
//     this package's checkRetry deciding and backoff computing the wait),
//  4. then decodes a 2xx answer (decodeJSON) or turns any other answer
//     into an *ErrorResponse (newErrorResponse).
//
// Client.NewRequest and Client.Do, the escape hatch, enter the same path
// at newRequest and roundTrip.

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/go-querystring/query"
	retryablehttp "github.com/hashicorp/go-retryablehttp"
)

// --- 1. the endpoint ----------------------------------------------------

// endpoint is what a request is sent to: an API path relative to the base
// URL, or (next) the absolute URL of a next page that the iterator
// checked to lie under the base URL. err is why the path cannot be
// built; send reports it before sending anything.
type endpoint struct {
	path string
	next string
	err  error
	// idempotent marks a POST that is safe to repeat (block, follow...),
	// so it is retried like a PUT.
	idempotent bool
	// once marks a PUT or DELETE that GitLab refuses to repeat (approving
	// an access request answers 404 the second time), so it is retried
	// only as a POST is: on 429 and on connections never made.
	once bool
	// notModified marks the endpoints where GitLab answers 304 Not
	// Modified (follow, unfollow): there it is success without a body;
	// anywhere else it is ErrUnexpectedResponse.
	notModified bool
	// nullOK marks the endpoints where GitLab answers 2xx with a literal
	// null (PATCH /user/status when the status ends up empty): there it
	// is success with the zero value; anywhere else it is
	// ErrUnexpectedResponse.
	nullOK bool
	// inBody sends the options of a DELETE as its body instead of its
	// query, for DELETE /admin/token, whose token must stay out of URLs.
	inBody bool
	// secret is a secret the request's body carries (the token that
	// TokenInformation identifies or revokes). Like the client's own
	// token it is redacted from every error, and the answer keeps no
	// copy of the request's body (see forgetSecret).
	secret string
}

// segment is a caller-supplied path segment (for example an identity
// provider name): it must not be empty and is escaped.
type segment struct{ name, value string }

// sourcePart is a Source as the first two segments of a path:
// "groups/<ref>" or "projects/<ref>". It is a part of its own, not a
// case of at's switch on Source, because a GroupID passed as a GroupRef
// is a Source too and must stay one segment there.
type sourcePart struct{ s Source }

// in is the path part naming a group or a project: at(in(src), "members").
func in(s Source) sourcePart { return sourcePart{s} }

// at builds an endpoint from literal path parts (string), IDs (int64,
// which must be positive), user, group and project references (UserRef,
// GroupRef, ProjectRef), a Source (in) and caller-supplied segments
// (segment). Every non-literal part is validated and escaped as one path
// segment, so a GroupPath("a/b") is sent as a%2Fb.
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
		case UserRef, GroupRef, ProjectRef:
			s, err := refSegment(v)
			if err != nil {
				return endpoint{err: err}
			}
			b.WriteString(escapeSegment(s))
		case sourcePart:
			if v.s == nil {
				return endpoint{err: invalidArg("%s: group or project must not be nil", describe(parts))}
			}
			kind, ref, err := v.s.sourceRef()
			if err != nil {
				return endpoint{err: err}
			}
			b.WriteString(kind + "/" + escapeSegment(ref))
		case segment:
			if v.value == "" {
				return endpoint{err: invalidArg("%s: %s must not be empty", describe(parts), v.name)}
			}
			b.WriteString(escapeSegment(v.value))
		case nil:
			return endpoint{err: invalidArg("%s: user, group or project must not be nil", describe(parts))}
		default:
			panic(fmt.Sprintf("gitlab: at: unsupported path part %T", p)) // programming error in this package
		}
	}
	return endpoint{path: b.String()}
}

// describe renders an endpoint template such as "users/:id/keys" for
// error messages.
func describe(parts []any) string {
	names := make([]string, len(parts))
	for i, p := range parts {
		switch v := p.(type) {
		case string:
			names[i] = v
		case segment:
			names[i] = ":" + v.name
		case sourcePart:
			names[i] = ":source/:id"
		default:
			names[i] = ":id"
		}
	}
	return strings.Join(names, "/")
}

// refSegment is the reference of a UserRef, GroupRef or ProjectRef (in
// that order, as at's cases) as GitLab reads it, not yet escaped.
func refSegment(ref any) (string, error) {
	switch r := ref.(type) {
	case UserRef:
		return r.userRef()
	case GroupRef:
		return r.groupRef()
	default:
		return r.(ProjectRef).projectRef()
	}
}

// escapeSegment escapes s as exactly one path segment: "/" becomes %2F,
// and the dot segments "." and ".." are escaped too, so no value can
// address another path. "+" (in an email, such as an invitation's) is
// escaped as well: a "+" left bare may be read as a space.
func escapeSegment(s string) string {
	switch s {
	case ".":
		return "%2E"
	case "..":
		return "%2E%2E"
	}
	return strings.ReplaceAll(url.PathEscape(s), "+", "%2B")
}

// markIdempotent returns e marked safe to retry even when its method is POST.
func (e endpoint) markIdempotent() endpoint {
	e.idempotent = true
	return e
}

// markOnce returns e, a PUT or DELETE, marked unsafe to repeat once
// GitLab may have acted.
func (e endpoint) markOnce() endpoint {
	e.once = true
	return e
}

// bodyOf returns e, a DELETE, marked to send its options as the body.
func (e endpoint) bodyOf() endpoint {
	e.inBody = true
	return e
}

// carrying returns e marked as carrying secret in its body.
func (e endpoint) carrying(secret string) endpoint {
	e.secret = secret
	return e
}

// allowNotModified returns e marked as one where GitLab answers 304.
func (e endpoint) allowNotModified() endpoint {
	e.notModified = true
	return e
}

// allowNull returns e marked as one where GitLab may answer null.
func (e endpoint) allowNull() endpoint {
	e.nullOK = true
	return e
}

// --- 2. do and send -----------------------------------------------------

// do sends one request and decodes a JSON answer into a T. A 304 Not
// Modified, where the endpoint allows it, yields the zero T and no error;
// every other answer without a usable JSON body is an error wrapping
// ErrUnexpectedResponse.
func do[T any](ctx context.Context, c *Client, method string, ep endpoint, opt any, opts []RequestOption) (T, *Response, error) {
	var v T
	resp, err := c.send(ctx, method, ep, opt, opts, &v)
	if err != nil {
		var zero T // never hand out a half-decoded value
		return zero, resp, err
	}
	return v, resp, nil
}

// doList sends a GET for one page of a list and decodes the items:
// at most maxPageItems of them, else ErrUnexpectedResponse.
func doList[E any](ctx context.Context, c *Client, ep endpoint, opt any, opts []RequestOption) ([]E, *Response, error) {
	items, resp, err := do[list[E]](ctx, c, http.MethodGet, ep, opt, opts)
	return items, resp, err
}

// doNoValue sends one request whose answer carries nothing the caller
// needs: 204, 304, an empty body, or GitLab's literal true/null.
func doNoValue(ctx context.Context, c *Client, method string, ep endpoint, opt any, opts []RequestOption) (*Response, error) {
	return c.send(ctx, method, ep, opt, opts, nil)
}

// send is the whole life of one request: build it, then roundTrip it.
func (c *Client) send(ctx context.Context, method string, ep endpoint, opt any, opts []RequestOption, out any) (*Response, error) {
	if ctx == nil {
		return nil, invalidArg("nil context")
	}
	req, err := c.newRequest(ctx, method, ep, opt, opts)
	if err != nil {
		return nil, err
	}
	return c.roundTrip(ctx, req, ep, out)
}

// roundTrip sends a built request with retries, then decodes a 2xx
// answer into out (a pointer; nil to ignore the body) or turns any other
// answer into an *ErrorResponse. A 304 Not Modified decodes nothing
// where the endpoint allows it and is ErrUnexpectedResponse elsewhere.
// The body is always drained (bounded) and closed.
func (c *Client) roundTrip(ctx context.Context, req *retryablehttp.Request, ep endpoint, out any) (*Response, error) {
	ss := *c.secrets
	if ep.secret != "" {
		ss = slices.Concat(ss, newSecrets(ep.secret))
	}
	resp, attempts, err := c.sendWithRetries(req, ep.idempotent, ep.once)
	if err != nil {
		return nil, ss.redactErr(err)
	}
	defer drainClose(resp.Body)
	if ep.secret != "" {
		forgetSecret(resp, ss)
	}
	r := newResponse(resp)
	switch {
	case resp.StatusCode == http.StatusNotModified && ep.notModified:
		return r, nil
	case resp.StatusCode == http.StatusNotModified:
		return r, ss.redactErr(unexpected(resp, "304 Not Modified, which GitLab does not send here"))
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		if out != nil {
			if err := decodeJSON(resp, out, ep.nullOK); err != nil {
				return r, ss.redactErr(err)
			}
		}
		return r, nil
	}
	return r, c.newErrorResponse(ctx, resp, attempts, ss)
}

// forgetSecret removes a request's secret from the answer handed back
// (Response.Response, ErrorResponse.Response): the request's body,
// which the answer's Request still holds, and any header echoing it.
func forgetSecret(resp *http.Response, ss secrets) {
	if resp.Request != nil {
		req := *resp.Request // a copy: the transport may still hold the original
		req.Body, req.GetBody = http.NoBody, nil
		resp.Request = &req
	}
	for _, vals := range resp.Header {
		for i, v := range vals {
			vals[i] = ss.redact(v)
		}
	}
}

// --- 3. building the request --------------------------------------------

// validator is implemented by options structs that have required fields;
// newRequest calls it before building a request.
type validator interface{ validate() error }

// enum is implemented by the typed option values that GitLab accepts
// from a closed set (SortOrder, Pagination, ...): known lists the set.
type enum interface{ known() []string }

// checkEnums refuses an options struct with an enum field set to a value
// outside its set, such as Pagination "keysets", which GitLab would
// silently ignore. Every enum field of every options struct is checked,
// so a new one needs no code here.
func checkEnums(opt any) error {
	v := reflect.ValueOf(opt)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	return checkEnumFields(v.Elem())
}

func checkEnumFields(v reflect.Value) error {
	t := v.Type()
	for i := range t.NumField() {
		sf, f := t.Field(i), v.Field(i)
		switch {
		case !sf.IsExported():
		case sf.Anonymous && f.Kind() == reflect.Struct:
			if err := checkEnumFields(f); err != nil {
				return err
			}
		case f.Kind() == reflect.Pointer && !f.IsNil() && f.Elem().Kind() == reflect.String && f.Type().Elem().Implements(enumType):
			known := f.Elem().Interface().(enum).known()
			if got := f.Elem().String(); !slices.Contains(known, got) {
				name, _, _ := strings.Cut(sf.Tag.Get("url"), ",")
				return invalidArg("%s: %q is not one of %s", cmp.Or(name, sf.Name), got, strings.Join(known, ", "))
			}
		}
	}
	return nil
}

var enumType = reflect.TypeFor[enum]()

// attacher is implemented by options structs that may carry a file; when
// it returns a file the body is sent as multipart/form-data.
type attacher interface {
	attachment() (field string, f *File)
}

// newRequest builds the request for ep: its URL, opt encoded as the
// query (GET, HEAD, DELETE) or as the body (POST, PUT, PATCH), the
// client's headers, then the caller's request options.
func (c *Client) newRequest(ctx context.Context, method string, ep endpoint, opt any, opts []RequestOption) (*retryablehttp.Request, error) {
	if ep.err != nil {
		return nil, ep.err
	}
	if v, ok := opt.(validator); ok {
		if err := v.validate(); err != nil {
			return nil, err
		}
	}
	if err := checkEnums(opt); err != nil {
		return nil, err
	}
	u := ep.next
	var body []byte
	contentType := ""
	if u == "" {
		q := ""
		if opt != nil && !(isNilPointer(opt) && isQueryMethod(method)) {
			vals, err := query.Values(opt)
			if err != nil {
				return nil, invalidArg("encoding options: %v", err)
			}
			if isQueryMethod(method) && !ep.inBody {
				q = vals.Encode()
			} else if body, contentType, err = encodeBody(opt, vals); err != nil {
				return nil, err
			}
		}
		// One concatenation, so one string: appending the query to the
		// path's URL would make two.
		if q == "" {
			u = c.baseURL + ep.path
		} else {
			u = c.baseURL + ep.path + "?" + q
		}
	}
	// An empty body is sent as no body: net/http then sends
	// "Content-Length: 0" for POST, PUT and PATCH, where an empty body
	// reader would go out chunked, which some proxies refuse with 411.
	var rawBody any
	if len(body) > 0 {
		rawBody = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, u, rawBody)
	if err != nil {
		return nil, invalidArg("building request: %v", c.secrets.redactErr(err))
	}
	// The client's headers, under their canonical names, with their
	// values in one array of this request's own: one allocation instead
	// of three, and an option that changes a value changes it only here.
	h := req.Header
	vals := make([]string, 3)
	vals[0], vals[1], vals[2] = "application/json", c.userAgent, c.authValue.Value()
	h["Accept"] = vals[0:1:1]
	h["User-Agent"] = vals[1:2:2]
	if c.authKey != "" {
		h[c.authKey] = vals[2:3:3]
	}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(req.Request); err != nil {
			return nil, err
		}
	}
	if err := c.checkCredentials(h); err != nil {
		return nil, err
	}
	return req, nil
}

// checkCredentials refuses a header that carries credentials other than
// the client's own: any credential header under any spelling of its key
// (a map index such as h["PRIVATE-TOKEN"] bypasses canonicalisation, and
// net/http sends such a key as it is), except the one value newRequest
// set under the canonical key.
func (c *Client) checkCredentials(h http.Header) error {
	for k, v := range h {
		if !isCredentialHeader(k) {
			continue
		}
		if k != c.authKey || len(v) != 1 || v[0] != c.authValue.Value() {
			return invalidArg("the request carries the credential header %s; pass the token to NewClient", http.CanonicalHeaderKey(k))
		}
	}
	return nil
}

// jsonBodier is implemented by options structs that GitLab can only
// read as JSON in some cases (an array of objects, which a form cannot
// carry in order): body returns the JSON, or nil to send a form.
type jsonBodier interface {
	jsonBody() ([]byte, error)
}

// encodeBody encodes a POST, PUT or PATCH body: a form, JSON where the
// options need it, or multipart/form-data when they carry a file.
func encodeBody(opt any, vals url.Values) ([]byte, string, error) {
	if j, ok := opt.(jsonBodier); ok {
		b, err := j.jsonBody()
		if err != nil {
			return nil, "", invalidArg("encoding options: %v", err)
		}
		if b != nil {
			return b, "application/json", nil
		}
	}
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
	for _, k := range slices.Sorted(maps.Keys(vals)) {
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

// isNilPointer reports whether opt is a typed nil pointer (a nil options
// struct): it encodes to nothing, so a query need not encode it.
func isNilPointer(opt any) bool {
	v := reflect.ValueOf(opt)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

func isQueryMethod(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodDelete
}

// --- 4. sending with retries --------------------------------------------

// attempts is one request on its way through go-retryablehttp: what
// checkRetry and backoff need to know of it, and what they log. rc is
// the library's Client, its hooks bound to this attempts once, when the
// client's pool of them (Client.retriers) makes it.
type attempts struct {
	rc     retryablehttp.Client
	c      *Client
	method string
	url    *url.URL
	// safe: repeating the request cannot apply a write twice (GET, HEAD,
	// PUT, DELETE, and POSTs their service marked idempotent).
	safe   bool
	n      int       // attempts made so far
	start  time.Time // when the current attempt started (for the log)
	reason string    // why the last attempt is being retried
}

// newAttempts makes an attempts for c's pool, with its go-retryablehttp
// Client: c's HTTP client and retry bounds, and this attempts' methods
// as the hooks.
func (c *Client) newAttempts() any {
	a := &attempts{c: c}
	a.rc = retryablehttp.Client{
		HTTPClient:   c.httpClient,
		RetryWaitMin: c.retryWaitMin,
		RetryWaitMax: c.retryWaitMax,
		RetryMax:     c.retryMax,
		CheckRetry:   a.checkRetry,
		Backoff:      a.backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	if c.logger != nil {
		a.rc.RequestLogHook = a.started
	}
	return a
}

// sendWithRetries sends req through go-retryablehttp: checkRetry decides
// whether an attempt is retried (never duplicating a write), backoff
// computes the wait, and the library waits, ending at once when the
// request's ctx is done. The hooks must see this request, and Backoff is
// given no request to find it by, so the library's Client cannot be one
// per client. Made per request, it and its two hooks cost four
// allocations per call (a Users.Get in memory made 54, now 50;
// BENCHMARKS.md, issue 26), so the attempts, each with its Client, are
// kept in c.retriers between requests. One attempts serves one request
// at a time: it is taken here and put back when the library is done
// with it. It returns how many attempts were made. A request is safe to
// repeat when idempotent (a POST so marked) or when its method is, unless
// once marks it otherwise.
func (c *Client) sendWithRetries(req *retryablehttp.Request, idempotent, once bool) (*http.Response, int, error) {
	a := c.retriers.Get().(*attempts)
	defer c.retriers.Put(a)
	a.method, a.url, a.safe, a.n, a.reason = req.Method, req.URL, idempotent, 0, ""
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		a.safe = !once
	}
	resp, err := a.rc.Do(req)
	n := a.n
	a.url, a.reason = nil, "" // keep nothing of the request in the pool
	if err != nil {
		if resp != nil {
			drainClose(resp.Body)
		}
		return nil, n, c.transportError(req.Method, req.URL, n, err)
	}
	// A custom RoundTripper may leave these unset; the caller relies on them.
	if resp.Request == nil {
		resp.Request = req.Request
	}
	if resp.Body == nil {
		resp.Body = http.NoBody
	}
	return resp, n, nil
}

// started is retryablehttp's RequestLogHook: it times the attempt for
// the log.
func (a *attempts) started(_ retryablehttp.Logger, _ *http.Request, _ int) {
	a.start = time.Now()
}

// checkRetry is retryablehttp's CheckRetry, called after every attempt.
// It logs the attempt and decides whether to retry it: see retryReason.
// A server that asks for a longer wait than the client's maximum is not
// retried, so its answer comes back at once with ErrorResponse.RetryAfter.
func (a *attempts) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	a.n++
	a.logAttempt(ctx, resp, err)
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	reason, retry := retryReason(a.safe, resp, err)
	if !retry || a.n > a.c.retryMax {
		return false, nil
	}
	if resp != nil {
		if d, ok := serverWait(resp.Header, time.Now()); ok && d > a.c.retryWaitMax {
			return false, nil
		}
	}
	a.reason = reason
	return true, nil
}

// backoff is retryablehttp's Backoff: it computes the wait before the
// retry after attempt number i+1 (see backoff) and logs the retry.
func (a *attempts) backoff(waitMin, waitMax time.Duration, i int, resp *http.Response) time.Duration {
	wait := backoff(waitMin, waitMax, i, resp)
	if l := a.c.logger; l != nil {
		l.LogAttrs(context.Background(), slog.LevelWarn, "gitlab: retrying request",
			slog.String("method", a.method), slog.String("url", a.c.secrets.url(a.url)),
			slog.Int("attempt", a.n), slog.String("reason", a.c.secrets.redact(a.reason)),
			slog.Duration("wait", wait))
	}
	return wait
}

func (a *attempts) logAttempt(ctx context.Context, resp *http.Response, err error) {
	l := a.c.logger
	if l == nil || !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", a.method), slog.String("url", a.c.secrets.url(a.url)),
		slog.Int("attempt", a.n), slog.Duration("duration", time.Since(a.start)),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	} else if err != nil {
		attrs = append(attrs, slog.String("error", a.c.secrets.redactErr(err).Error()))
	}
	l.LogAttrs(ctx, slog.LevelDebug, "gitlab: request", attrs...)
}

// retryReason says whether an attempt may be retried, and why. Requests
// that are safe to repeat are retried on 429, on 500, 502, 503 and 504,
// and on transport errors. Other POSTs only on 429 (GitLab did not act)
// and on errors that prove the request never left.
func retryReason(safe bool, resp *http.Response, err error) (string, bool) {
	if err != nil {
		if !retryableTransportError(err) {
			return "", false
		}
		if neverSent(err) {
			return "connection failed before the request was sent: " + err.Error(), true
		}
		return "transport error: " + err.Error(), safe
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		return "429 Too Many Requests", true
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return resp.Status, safe
	}
	return "", false
}

// retryableTransportError is false for errors a retry cannot fix: a
// certificate that does not verify, a failed TLS handshake, and the
// client's own redirect policy saying no.
func retryableTransportError(err error) bool {
	var (
		certErr    *tls.CertificateVerificationError
		recordErr  tls.RecordHeaderError
		alertErr   tls.AlertError
		unknownCA  x509.UnknownAuthorityError
		hostErr    x509.HostnameError
		invalidErr x509.CertificateInvalidError
		redirect   *redirectError
	)
	return !errors.As(err, &certErr) && !errors.As(err, &recordErr) && !errors.As(err, &alertErr) &&
		!errors.As(err, &unknownCA) && !errors.As(err, &hostErr) && !errors.As(err, &invalidErr) &&
		!errors.As(err, &redirect)
}

// neverSent reports whether err proves the request never reached the
// server (it failed while connecting), so even a POST may be resent.
func neverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// backoff returns the wait before the retry that follows attempt number
// i+1 (retryablehttp counts from 0): what the server asked for
// (Retry-After, then RateLimit-Reset), else exponential backoff from min,
// capped at max, with jitter.
func backoff(waitMin, waitMax time.Duration, i int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := serverWait(resp.Header, time.Now()); ok {
			return d
		}
	}
	d := waitMin
	for ; i > 0 && d < waitMax; i-- {
		d *= 2
	}
	d = min(d, waitMax)
	if d <= 0 {
		return 0
	}
	// Full jitter in [d/2, d]: spreads out clients that failed together.
	half := d / 2
	return half + rand.N(d-half+1)
}

// serverWait reads how long the server asked the client to wait:
// Retry-After in seconds or as an HTTP date, else RateLimit-Reset as a
// Unix time. Malformed values are ignored.
func serverWait(h http.Header, now time.Time) (time.Duration, bool) {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if s, err := strconv.ParseInt(v, 10, 64); err == nil && s >= 0 {
			return seconds(s), true
		}
		if t, err := http.ParseTime(v); err == nil {
			return seconds(t.Unix() - now.Unix()), true
		}
	}
	if v := strings.TrimSpace(h.Get("RateLimit-Reset")); v != "" {
		if s, err := strconv.ParseInt(v, 10, 64); err == nil && s > 0 {
			return seconds(s - now.Unix()), true
		}
	}
	return 0, false
}

// year bounds every time a server tells (Retry-After, RateLimit-Reset),
// so that no value overflows a time.Duration or lands in the past.
const year = 365 * 24 * time.Hour

// seconds is a wait of s seconds, within 0 and a year.
func seconds(s int64) time.Duration {
	return time.Duration(min(max(s, 0), int64(year/time.Second))) * time.Second
}

// transportError reports a request that got no HTTP answer after
// attempts tries, without the URL's secrets and keeping the cause for
// errors.Is and errors.As.
func (c *Client) transportError(method string, u *url.URL, attempts int, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if attempts > 1 {
		err = fmt.Errorf("%w (after %d attempts)", err, attempts)
	}
	return c.secrets.redactErr(fmt.Errorf("gitlab: %s %s: %w", method, redactURL(u), err))
}

// --- 5. reading the answer ----------------------------------------------

// decodeJSON reads a 2xx body (bounded) and decodes it into v. An empty
// body, a literal null (unless nullOK, where it leaves v unchanged) or
// anything that is not JSON wraps ErrUnexpectedResponse.
func decodeJSON(r *http.Response, v any, nullOK bool) error {
	buf := bodyBufs.Get().(*bodyBuf)
	buf.Reset()
	// A body of known length is read into a buffer of that size at once.
	// The pool misses whenever a GC emptied it or this goroutine moved to
	// another P, and growing a buffer from nothing to a 220 KB page took
	// ten allocations and copies and many small reads (13 % of the bytes
	// a page allocated over loopback; BENCHMARKS.md, issue 26).
	if n := r.ContentLength; n > 0 && n <= maxPooledBody {
		buf.Grow(int(n) + bytes.MinRead) // room for the read that finds EOF
	}
	buf.body = io.LimitedReader{R: r.Body, N: maxSuccessBody + 1}
	defer func() {
		buf.body.R = nil
		if buf.Cap() <= maxPooledBody { // don't keep a rare huge buffer alive
			bodyBufs.Put(buf)
		}
	}()
	if _, err := buf.ReadFrom(&buf.body); err != nil {
		return fmt.Errorf("gitlab: %s %s: reading response: %w", r.Request.Method, redactURL(r.Request.URL), err)
	}
	if buf.Len() > maxSuccessBody {
		return unexpected(r, "body larger than %d bytes", maxSuccessBody)
	}
	b := bytes.TrimSpace(buf.Bytes())
	if nullOK && bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		return unexpected(r, "%v where a JSON value was expected", errBodyEmpty)
	}
	if tooManyObjects(b) {
		return unexpected(r, "more than %d JSON objects in one answer", maxAnswerObjects)
	}
	if err := jsonUnmarshal(b, v); err != nil {
		return unexpected(r, "cannot decode the body as %T (Content-Type %q): %v", v, r.Header.Get("Content-Type"), err)
	}
	if s, ok := v.(interface{ sumBody([]byte) }); ok {
		s.sumBody(b) // a page of an iterator: see pageBody
	}
	return nil
}

// maxPooledBody bounds the read buffers bodyBufs keeps, and the buffer a
// Content-Length may size in advance (a header alone must not make the
// client allocate the 16 MiB a body may hold).
const maxPooledBody = 1 << 20

// bodyBufs keeps the read buffers of 2xx bodies between calls: without
// them a page of 100 users (220 KB) is a new buffer per call, which costs
// 12 to 23 % more CPU per GetUser and ListUsers call (BENCHMARKS.md). No
// decoded value keeps a reference into the buffer: the decoder copies
// every string.
var bodyBufs = sync.Pool{New: func() any { return new(bodyBuf) }}

// bodyBuf is a pooled read buffer and the bounded reader of the body
// being read into it (kept with it: one allocation less per call).
type bodyBuf struct {
	bytes.Buffer
	body io.LimitedReader
}

// errBodyEmpty is wrapped when a value was expected and the body was empty.
var errBodyEmpty = errors.New("empty body")

func unexpected(r *http.Response, format string, args ...any) error {
	return fmt.Errorf("%w: %s %s: status %d: %s", ErrUnexpectedResponse, r.Request.Method, redactURL(r.Request.URL), r.StatusCode, fmt.Sprintf(format, args...))
}

// newErrorResponse reads at most maxErrorBody of a non-2xx answer, the
// last of attempts, and parses GitLab's message out of it. A body cut
// short by ctx reports ctx's error rather than a message read in part.
func (c *Client) newErrorResponse(ctx context.Context, r *http.Response, attempts int, ss secrets) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxErrorBody))
	if ctxErr := ctx.Err(); err != nil && ctxErr != nil {
		return fmt.Errorf("gitlab: %s %s: status %d, reading the body: %w", r.Request.Method, ss.url(r.Request.URL), r.StatusCode, ctxErr)
	}
	e := &ErrorResponse{
		StatusCode: r.StatusCode,
		Method:     r.Request.Method,
		URL:        ss.url(r.Request.URL),
		RequestID:  ss.redact(r.Header.Get("X-Request-Id")),
		Body:       ss.redactBytes(body),
		Attempts:   attempts,
		Response:   r,
	}
	if d, ok := serverWait(r.Header, time.Now()); ok && (r.StatusCode == http.StatusTooManyRequests || r.StatusCode == http.StatusServiceUnavailable) {
		e.RetryAfter = d
	}
	if r.StatusCode >= 300 && r.StatusCode < 400 {
		if loc, err := r.Location(); err == nil {
			e.Location = ss.url(loc)
		}
	}
	e.Message, e.Fields = ss.redactParsed(parseErrorBody(e.Body, r.Header.Get("Content-Type")))
	if e.Message == "" {
		e.Message = http.StatusText(r.StatusCode)
	}
	return e
}

// drainClose reads what is left of a body, up to a bound, so the
// connection can be reused, then closes it. Every answer is drained, so
// the bounded reader comes from a pool: a new one each time was one
// allocation of every call (BENCHMARKS.md, issue 26).
func drainClose(body io.ReadCloser) {
	if body == nil {
		return
	}
	lr := drainReaders.Get().(*io.LimitedReader)
	lr.R, lr.N = body, 256<<10
	_, _ = io.Copy(io.Discard, lr)
	lr.R = nil // keep nothing of the answer in the pool
	drainReaders.Put(lr)
	_ = body.Close()
}

var drainReaders = sync.Pool{New: func() any { return new(io.LimitedReader) }}

// --- the escape hatch ---------------------------------------------------

// Request is a request to an endpoint this SDK does not wrap, built by
// Client.NewRequest and sent by Client.Do.
type Request struct {
	req *retryablehttp.Request
	// Idempotent marks a POST (or PATCH) as safe to repeat, so that it is
	// retried on 5xx answers and dropped connections as a PUT is.
	// Without it such a request is retried only on 429 and refused
	// connections, so it is never applied twice.
	Idempotent bool
}

// Header is the request's header, to read or change before Do. The
// credential headers cannot be set here either: Do refuses them.
func (r *Request) Header() http.Header { return r.req.Header }

// NewRequest builds a request to an endpoint the SDK does not wrap, for
// Do. path is relative to the API root ("projects/42/members", or
// "/projects/42/members"), escaped by the caller (url.PathEscape a
// project path: "projects/group%2Fproject"). opt is encoded as every
// method's options are: as the query for GET, HEAD and DELETE, as a form
// body otherwise. The request goes the way of every method: the client's
// credentials, retry policy, redirect policy, error type and decoder.
//
// GitLab API docs: https://docs.gitlab.com/api/rest/
func (c *Client) NewRequest(ctx context.Context, method, path string, opt any, opts ...RequestOption) (*Request, error) {
	if ctx == nil {
		return nil, invalidArg("nil context")
	}
	path = strings.TrimPrefix(path, "/")
	switch {
	case path == "" || strings.ContainsAny(path, "?#") || strings.Contains(path, "://"):
		return nil, invalidArg("NewRequest: path %q must be a path relative to the API root, without query or fragment (the query comes from opt)", path)
	case slices.Contains(strings.Split(path, "/"), "..") || !c.insideRoot(c.base.Path+path):
		return nil, invalidArg("NewRequest: path %q must not leave the API root", path)
	case method == "" || strings.ContainsFunc(method, func(r rune) bool { return r < 'A' || r > 'Z' }):
		return nil, invalidArg("NewRequest: method %q is not an upper-case HTTP method", method)
	}
	req, err := c.newRequest(ctx, method, endpoint{path: path}, opt, opts)
	if err != nil {
		return nil, err
	}
	return &Request{req: req}, nil
}

// Do sends req and decodes a 2xx JSON answer into v (a pointer; nil to
// ignore the body). Any other answer is an *ErrorResponse, and a 2xx
// answer that v cannot hold is ErrUnexpectedResponse, as for every
// method.
func (c *Client) Do(req *Request, v any) (*Response, error) {
	if req == nil || req.req == nil {
		return nil, invalidArg("Do: the request must come from NewRequest")
	}
	if err := c.checkCredentials(req.req.Header); err != nil {
		return nil, err
	}
	return c.roundTrip(req.req.Context(), req.req, endpoint{idempotent: req.Idempotent}, v)
}

// --- request options ----------------------------------------------------

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
// Authorization, JOB-TOKEN, DEPLOY-TOKEN): give credentials to NewClient
// or NewOAuthClient. A
// name that is not an HTTP token or a value with a control character
// fails before the request is sent.
func WithHeader(key, value string) RequestOption {
	return func(r *http.Request) error {
		if isCredentialHeader(key) {
			return invalidArg("header %s carries credentials; pass the token to NewClient", key)
		}
		if !validHeaderName(key) {
			return invalidArg("header name %q is not a valid HTTP header name", key)
		}
		if strings.ContainsFunc(value, func(r rune) bool { return (r < ' ' && r != '\t') || r == 0x7f }) {
			return invalidArg("header %s: value contains a control character", key)
		}
		r.Header.Set(key, value)
		return nil
	}
}

// isCredentialHeader reports whether key, in any case, names a
// credential header.
func isCredentialHeader(key string) bool {
	return slices.ContainsFunc(credentialHeaders, func(h string) bool { return strings.EqualFold(h, key) })
}

// credentialHeaders carry GitLab credentials. Only the client's own is
// ever sent, and only to the base URL's host.
var credentialHeaders = []string{"Private-Token", "Authorization", "Job-Token", "Deploy-Token"}

// validHeaderName reports whether key is an HTTP token (RFC 9110, 5.6.2).
func validHeaderName(key string) bool {
	if key == "" {
		return false
	}
	for _, r := range key {
		if r >= 0x7f || r <= ' ' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}
