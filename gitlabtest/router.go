package gitlabtest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const unmatchedRoute = "*"

// route is one API endpoint. Pattern segments: a literal; ":id" (digits
// only, or the route does not match, as GitLab's requirements make it);
// ":user_id" (an ID or a username); any other ":name" (any segment; the
// handler coerces it).
type route struct {
	method  string
	pattern string
	segs    []string
	// group is how GitLab authenticates before the endpoint runs:
	// "users" (non-GET needs a user), "user" (everything needs a user).
	group   string
	handler func(*reqCtx)
}

func (s *Server) match(r *http.Request) (*route, map[string]string, bool) {
	p := r.URL.EscapedPath()
	if !strings.HasPrefix(p, "/api/v4/") {
		return nil, nil, false
	}
	raw := strings.Split(strings.TrimPrefix(p, "/api/v4/"), "/")
	segs := make([]string, len(raw))
	for i, seg := range raw {
		v, err := url.PathUnescape(seg)
		if err != nil {
			return nil, nil, false
		}
		segs[i] = v
	}
	method := r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	for _, rt := range s.routes {
		if rt.method != method || len(rt.segs) != len(segs) {
			continue
		}
		vars, ok := matchSegs(rt.segs, segs)
		if ok {
			return rt, vars, true
		}
	}
	return nil, nil, false
}

func matchSegs(pat, segs []string) (map[string]string, bool) {
	var vars map[string]string
	for i, p := range pat {
		v := segs[i]
		if !strings.HasPrefix(p, ":") {
			if p != v {
				return nil, false
			}
			continue
		}
		if v == "" {
			return nil, false
		}
		if p == ":id" && !allDigits(v) {
			return nil, false
		}
		if vars == nil {
			vars = map[string]string{}
		}
		vars[p[1:]] = v
	}
	return vars, true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// reqCtx is one request being handled.
type reqCtx struct {
	s    *Server
	w    http.ResponseWriter
	r    *http.Request
	vars map[string]string
	// q holds the query and body parameters, merged as Grape does.
	q     url.Values
	query url.Values
	files map[string][]*multipart.FileHeader
	// viewer is the acting user (after Sudo); nil when anonymous.
	viewer *user
	tok    *token
	now    time.Time
}

func (c *reqCtx) admin() bool { return c.viewer != nil && c.viewer.Admin }

// api authenticates and runs the endpoint for a matched request.
func (s *Server) api(w http.ResponseWriter, r *http.Request, rt *route, vars map[string]string) {
	if rt == nil {
		if strings.HasPrefix(r.URL.EscapedPath(), "/api/v3/") {
			writeJSON(w, http.StatusGone, map[string]string{"error": "API V3 is no longer supported. Use API V4 instead."})
			return
		}
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "404 Not Found"})
		return
	}
	// The endpoint writes into a recorder while it holds the store's
	// lock; the answer goes to the client after the lock is released.
	rec := httptest.NewRecorder()
	c := &reqCtx{s: s, w: rec, r: r, vars: vars, now: s.now()}
	defer copyResponse(w, rec)
	if !c.parseParams() {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !c.authenticate() {
		return
	}
	switch rt.group {
	case "user":
		if c.viewer == nil {
			c.unauthorized()
			return
		}
	case "users":
		if c.viewer == nil && r.Method != http.MethodGet && r.Method != http.MethodHead {
			c.unauthorized()
			return
		}
	}
	rt.handler(c)
}

func copyResponse(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// parseParams reads the query and a form, multipart or JSON body.
func (c *reqCtx) parseParams() bool {
	q, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		c.grapeError("query is invalid")
		return false
	}
	c.query = q
	c.q = url.Values{}
	for k, v := range q {
		c.q[k] = append([]string(nil), v...)
	}
	ct, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	switch ct {
	case "application/x-www-form-urlencoded":
		b, err := io.ReadAll(io.LimitReader(c.r.Body, 10<<20))
		if err != nil {
			return false
		}
		f, err := url.ParseQuery(string(b))
		if err != nil {
			c.grapeError("body is invalid")
			return false
		}
		for k, v := range f {
			c.q[k] = v
		}
	case "multipart/form-data":
		if err := c.r.ParseMultipartForm(10 << 20); err != nil {
			c.grapeError("body is invalid")
			return false
		}
		for k, v := range c.r.MultipartForm.Value {
			c.q[k] = v
		}
		c.files = c.r.MultipartForm.File
	case "application/json":
		b, err := io.ReadAll(io.LimitReader(c.r.Body, 10<<20))
		if err != nil {
			return false
		}
		if len(bytes.TrimSpace(b)) == 0 {
			break
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			writeJSON(c.w, http.StatusBadRequest, map[string]string{"error": "The provided content-type 'application/json' is not supported."})
			return false
		}
		for k, v := range m {
			flattenJSON(c.q, k, v)
		}
	}
	return true
}

func flattenJSON(q url.Values, k string, v any) {
	switch v := v.(type) {
	case nil:
		q[k] = []string{""}
	case string:
		q.Set(k, v)
	case bool:
		q.Set(k, strconv.FormatBool(v))
	case float64:
		q.Set(k, strconv.FormatFloat(v, 'f', -1, 64))
	case []any:
		for _, e := range v {
			if s, ok := e.(string); ok {
				q.Add(k+"[]", s)
			}
		}
	case map[string]any:
		for kk, vv := range v {
			flattenJSON(q, k+"["+kk+"]", vv)
		}
	}
}

// authenticate resolves the token and Sudo; false when it answered.
func (c *reqCtx) authenticate() bool {
	secret := c.r.Header.Get("Private-Token")
	if secret == "" {
		if a := c.r.Header.Get("Authorization"); len(a) > 7 && strings.EqualFold(a[:7], "bearer ") {
			secret = strings.TrimSpace(a[7:])
		}
	}
	if secret == "" {
		secret = c.query.Get("private_token")
	}
	if secret == "" {
		return true // anonymous; a Sudo header alone means nothing
	}
	id, ok := c.s.st.bySecret[secret]
	t := c.s.st.tokens[id]
	if !ok || t == nil || !t.active(c.now) {
		c.unauthorized()
		return false
	}
	u := c.s.st.users[t.UserID]
	if u == nil {
		c.unauthorized()
		return false
	}
	if !c.checkScope(t) {
		return false
	}
	switch u.State {
	case StateBlocked, StateLDAPBlocked, StateBanned, StateBlockedPendingApproval:
		c.forbidden("Your account has been blocked.")
		return false
	case StateDeactivated:
		c.forbidden("Your account has been deactivated by your administrator. Please log back in to reactivate your account.")
		return false
	}
	c.tok = t
	t.LastUsedAt = ptrTime(c.now)
	c.viewer = u
	if sudo := cmpOr(c.r.Header.Get("Sudo"), c.query.Get("sudo")); sudo != "" {
		if !u.Admin {
			c.forbidden("Must be admin to use sudo")
			return false
		}
		if !t.hasScope("sudo") {
			writeJSON(c.w, http.StatusForbidden, map[string]string{"error": "insufficient_scope",
				"error_description": "The request requires higher privileges than provided by the access token.", "scope": "sudo"})
			return false
		}
		var target *user
		if allDigits(sudo) {
			n, _ := strconv.ParseInt(sudo, 10, 64)
			target = c.s.st.users[n]
		} else {
			target = c.s.st.lookupName(sudo)
		}
		if target == nil {
			c.notFound("User with ID or username '" + sudo + "'")
			return false
		}
		c.viewer = target
	}
	// GitLab records activity (at most daily) for authenticated API use.
	c.viewer.LastActivityOn = ptrTime(dayOf(c.now))
	return true
}

// checkScope enforces the token's scopes: api for everything, read_api
// and read_user for GET requests.
func (c *reqCtx) checkScope(t *token) bool {
	if t.hasScope("api") {
		return true
	}
	if (c.r.Method == http.MethodGet || c.r.Method == http.MethodHead) && (t.hasScope("read_api") || t.hasScope("read_user")) {
		return true
	}
	writeJSON(c.w, http.StatusForbidden, map[string]string{"error": "insufficient_scope",
		"error_description": "The request requires higher privileges than provided by the access token.", "scope": "api read_user"})
	return false
}

// --- answers -------------------------------------------------------------

func msg(m any) map[string]any { return map[string]any{"message": m} }

func writeJSON(w http.ResponseWriter, code int, v any) {
	var buf bytes.Buffer
	b := []byte(`{"message":"500 Internal Server Error"}`)
	if err := encodeJSON(&buf, v); err != nil {
		code = http.StatusInternalServerError
	} else {
		b = buf.Bytes()
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write(b)
}

func (c *reqCtx) json(code int, v any) { writeJSON(c.w, code, v) }

// raw writes a literal JSON body such as true or null.
func (c *reqCtx) raw(code int, body string) {
	c.w.Header().Set("Content-Type", "application/json")
	c.w.WriteHeader(code)
	_, _ = io.WriteString(c.w, body)
}

func (c *reqCtx) noContent()    { c.w.WriteHeader(http.StatusNoContent) }
func (c *reqCtx) notModified()  { c.w.WriteHeader(http.StatusNotModified) }
func (c *reqCtx) unauthorized() { c.json(http.StatusUnauthorized, msg("401 Unauthorized")) }

// forbidden answers 403 "403 Forbidden" or "403 Forbidden - reason".
func (c *reqCtx) forbidden(reason string) {
	m := "403 Forbidden"
	if reason != "" {
		m += " - " + reason
	}
	c.json(http.StatusForbidden, msg(m))
}

// notFound answers 404 "404 <what> Not Found".
func (c *reqCtx) notFound(what string) { c.json(http.StatusNotFound, msg("404 "+what+" Not Found")) }

// badRequest answers 400 "400 Bad request - reason".
func (c *reqCtx) badRequest(reason string) {
	c.json(http.StatusBadRequest, msg("400 Bad request - "+reason))
}

// grapeError answers 400 {"error": text}, Grape's validation shape.
func (c *reqCtx) grapeError(text string) {
	c.json(http.StatusBadRequest, map[string]string{"error": text})
}

// fieldErrors answers 400 {"message":{attr:[...]}}.
func (c *reqCtx) fieldErrors(errs fieldErrs) { c.json(http.StatusBadRequest, msg(errs.m)) }

// requireAdmin answers 403 unless the viewer is an administrator (401
// for anonymous callers); false when it answered.
func (c *reqCtx) requireAdmin() bool {
	if c.viewer == nil {
		c.unauthorized()
		return false
	}
	if !c.viewer.Admin {
		c.forbidden("")
		return false
	}
	return true
}

// fieldErrs collects model validation errors in insertion order.
type fieldErrs struct{ m map[string][]string }

func (f *fieldErrs) add(attr, text string) {
	if f.m == nil {
		f.m = map[string][]string{}
	}
	f.m[attr] = append(f.m[attr], text)
}

func (f *fieldErrs) any() bool { return len(f.m) > 0 }
