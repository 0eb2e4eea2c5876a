package gitlabtest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
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
	group   authGroup
	handler func(*reqCtx) answer
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
		if p == ":id" && !model.AllDigits(v) {
			return nil, false
		}
		if vars == nil {
			vars = map[string]string{}
		}
		vars[p[1:]] = v
	}
	return vars, true
}

// reqCtx is one request being handled.
type reqCtx struct {
	s    *Server
	r    *http.Request
	vars map[string]string
	// q holds the query and body parameters, merged as Grape does.
	q     url.Values
	query url.Values
	files map[string][]*multipart.FileHeader
	// viewer is the acting user (after Sudo); nil when anonymous.
	viewer *user
	// tok is the token that authenticated the request, even when Sudo
	// then failed; active is the viewer once authentication succeeded;
	// reused is a revoked token sent to a rotate path. record marks
	// their use.
	tok    *token
	active *user
	reused *token
	now    time.Time
}

func (c *reqCtx) admin() bool { return c.viewer != nil && c.viewer.Admin }

// answerFor runs one request through authentication and its endpoint and
// returns its answer. rt is nil when no route matched.
func (s *Server) answerFor(r *http.Request, rt *route, vars map[string]string) answer {
	if rt == nil {
		if strings.HasPrefix(r.URL.EscapedPath(), "/api/v3/") {
			return reply(http.StatusGone, map[string]string{"error": "API V3 is no longer supported. Use API V4 instead."})
		}
		return reply(http.StatusNotFound, map[string]string{"error": "404 Not Found"})
	}
	c := &reqCtx{s: s, r: r, vars: vars, now: s.now()}
	if fail := c.parseParams(); fail != nil {
		return *fail
	}
	// The answer is built, its body encoded, while the store is locked:
	// for reading when the route only reads (GET, and so HEAD) and the
	// request has no token use or activity to record; otherwise, or when
	// it turns out to have some, for writing, from the start again.
	if rt.method == http.MethodGet {
		if a, ok := s.readAnswer(c, rt); ok {
			return a
		}
		c.viewer, c.tok, c.active, c.reused = nil, nil, nil, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fail := c.authenticate(rt.group)
	c.record()
	if fail != nil {
		return *fail
	}
	if fail := rt.group.check(c); fail != nil {
		return *fail
	}
	return rt.handler(c)
}

// readAnswer answers a request of a read-only route holding the store's
// lock for reading; false when the request must record something
// (record) and so needs the lock for writing.
func (s *Server) readAnswer(c *reqCtx, rt *route) (answer, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	fail := c.authenticate(rt.group)
	if c.mustRecord() {
		return answer{}, false
	}
	if fail != nil {
		return *fail, true
	}
	if fail := rt.group.check(c); fail != nil {
		return *fail, true
	}
	return rt.handler(c), true
}

// parseParams reads the query and a form, multipart or JSON body.
func (c *reqCtx) parseParams() *answer {
	q, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		return halt(grapeError("query is invalid"))
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
			return halt(grapeError("body is invalid"))
		}
		f, err := url.ParseQuery(string(b))
		if err != nil {
			return halt(grapeError("body is invalid"))
		}
		for k, v := range f {
			c.q[k] = v
		}
	case "multipart/form-data":
		if err := c.r.ParseMultipartForm(10 << 20); err != nil {
			return halt(grapeError("body is invalid"))
		}
		for k, v := range c.r.MultipartForm.Value {
			c.q[k] = v
		}
		c.files = c.r.MultipartForm.File
	case "application/json":
		b, err := io.ReadAll(io.LimitReader(c.r.Body, 10<<20))
		if err != nil {
			return halt(grapeError("body is invalid"))
		}
		if len(bytes.TrimSpace(b)) == 0 {
			break
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return halt(reply(http.StatusBadRequest, map[string]string{"error": "The provided content-type 'application/json' is not supported."}))
		}
		for k, v := range m {
			flattenJSON(c.q, k, v)
		}
	}
	return nil
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
		for i, e := range v {
			switch e := e.(type) {
			case string:
				q.Add(k+"[]", e)
			case float64:
				q.Add(k+"[]", strconv.FormatFloat(e, 'f', -1, 64))
			case map[string]any: // an array of objects keeps each object apart
				flattenJSON(q, k+"["+strconv.Itoa(i)+"]", e)
			}
		}
	case map[string]any:
		for kk, vv := range v {
			flattenJSON(q, k+"["+kk+"]", vv)
		}
	}
}

// authenticate resolves the token and Sudo; anonymous requests pass.
// The token must carry a scope g allows. The rules are the model's
// (internal/model/auth.go); the order is GitLab's: the token, its
// scopes, the user's state, then Sudo.
func (c *reqCtx) authenticate(g authGroup) *answer {
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
		return nil // anonymous; a Sudo header alone means nothing
	}
	st := c.s.st
	t, u, err := st.Authenticate(secret, c.now)
	if err != nil {
		if t != nil && isRotatePath(c.r.URL.Path) {
			c.reused = t // reuse detection: record revokes its family
		}
		return halt(refusal(err))
	}
	if err := g.allows(t, c.isRead()); err != nil {
		return halt(refusal(err))
	}
	if err := st.CheckAccess(u); err != nil {
		return halt(refusal(err))
	}
	c.tok, c.viewer = t, u
	if sudo := cmp.Or(c.r.Header.Get("Sudo"), c.query.Get("sudo")); sudo != "" {
		target, err := st.Sudo(u, t, sudo)
		if err != nil {
			return halt(refusal(err))
		}
		c.viewer = target
	}
	c.active = c.viewer
	return nil
}

// isRotatePath reports a path ending in access_tokens/<id|self>/rotate,
// where GitLab's reuse detection runs (lib/gitlab/auth/auth_finders.rb).
func isRotatePath(p string) bool {
	segs := strings.Split(strings.TrimSuffix(p, "/"), "/")
	n := len(segs)
	return n >= 3 && segs[n-1] == "rotate" && strings.HasSuffix(segs[n-3], "access_tokens") &&
		(segs[n-2] == "self" || model.AllDigits(segs[n-2]))
}

// mustRecord reports whether record would change the store: a revoked
// token was reused, or the token's use or the viewer's activity is due
// to be recorded.
func (c *reqCtx) mustRecord() bool {
	return c.reused != nil || c.s.st.UseDue(c.tok, c.active, c.now, c.r.RemoteAddr)
}

// record revokes a reused token's family and records the token's use
// and the viewer's activity; the store must be locked for writing.
func (c *reqCtx) record() {
	if c.reused != nil {
		c.s.st.RevokeFamily(c.reused)
	}
	c.s.st.RecordUse(c.tok, c.active, c.now, c.r.RemoteAddr)
}

// isRead reports a GET or HEAD request, which read-only scopes allow.
func (c *reqCtx) isRead() bool { return c.r.Method == http.MethodGet || c.r.Method == http.MethodHead }

// requireAdmin is authenticated_as_admin!: 401 for anonymous callers,
// 403 for those who are not administrators.
func (c *reqCtx) requireAdmin() *answer {
	if c.viewer == nil {
		return halt(unauthorized())
	}
	if !c.viewer.Admin {
		return halt(forbidden(""))
	}
	return nil
}
