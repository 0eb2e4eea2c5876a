package gitlabtest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// validator checks declared parameters the way Grape does and collects
// its messages, joined with ", " in one {"error": ...} answer.
type validator struct {
	c    *reqCtx
	errs []string
}

func (c *reqCtx) validate() *validator { return &validator{c: c} }

// check answers 400 with the collected Grape errors, if any.
func (v *validator) check() *answer {
	if len(v.errs) == 0 {
		return nil
	}
	return halt(grapeError(strings.Join(v.errs, ", ")))
}

func (c *reqCtx) has(k string) bool { _, ok := c.q[k]; return ok }

// str returns a parameter and whether it was sent.
func (c *reqCtx) str(k string) (string, bool) {
	vs, ok := c.q[k]
	if !ok || len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

func (c *reqCtx) get(k string) string { s, _ := c.str(k); return s }

// require reads a required string parameter.
func (v *validator) require(k string) string {
	s, ok := v.c.str(k)
	if !ok {
		v.errs = append(v.errs, k+" is missing")
	}
	return s
}

// optStr reads an optional string parameter (nil when not sent).
func (v *validator) optStr(k string) *string {
	s, ok := v.c.str(k)
	if !ok {
		return nil
	}
	return &s
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "1", "on", "t", "true", "y", "yes":
		return true, true
	case "0", "off", "f", "false", "n", "no":
		return false, true
	}
	return false, false
}

// optParsed reads an optional parameter of a Grape type with parse: nil
// when not sent or blank, "<k> is invalid" when parse refuses it.
func optParsed[T any](v *validator, k string, parse func(string) (T, bool)) *T {
	s, ok := v.c.str(k)
	if !ok || s == "" {
		return nil
	}
	x, ok := parse(s)
	if !ok {
		v.errs = append(v.errs, k+" is invalid")
		return nil
	}
	return &x
}

// optBool reads an optional Boolean.
func (v *validator) optBool(k string) *bool { return optParsed(v, k, parseBool) }

// flag reads an optional Boolean defaulting to false.
func (v *validator) flag(k string) bool {
	b := v.optBool(k)
	return b != nil && *b
}

// optInt reads an optional Integer.
func (v *validator) optInt(k string) *int64 {
	return optParsed(v, k, func(s string) (int64, bool) {
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		return n, err == nil
	})
}

// optValue reads an optional string limited to values.
func (v *validator) optValue(k string, values ...string) *string {
	s, ok := v.c.str(k)
	if !ok {
		return nil
	}
	if !slices.Contains(values, s) {
		v.errs = append(v.errs, k+" does not have a valid value")
		return nil
	}
	return &s
}

// optTime reads an optional DateTime (RFC 3339, or a date such as
// 2000-1-1).
func (v *validator) optTime(k string) *time.Time { return optParsed(v, k, parseTime) }

// optDate reads an optional Date (YYYY-MM-DD, or a timestamp's day).
func (v *validator) optDate(k string) *time.Time {
	t := v.optTime(k)
	if t == nil {
		return nil
	}
	d := model.DayOf(*t)
	return &d
}

func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02", "2006-1-2"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// allOrNone checks Grape's all_or_none_of.
func (v *validator) allOrNone(keys ...string) {
	n := 0
	for _, k := range keys {
		if v.c.has(k) {
			n++
		}
	}
	if n != 0 && n != len(keys) {
		v.errs = append(v.errs, strings.Join(keys, ", ")+" provide all or none of parameters")
	}
}

// atLeastOne checks Grape's at_least_one_of.
func (v *validator) atLeastOne(keys ...string) {
	for _, k := range keys {
		if v.c.has(k) {
			return
		}
	}
	v.errs = append(v.errs, strings.Join(keys, ", ")+" are missing, at least one parameter must be provided")
}

// list reads an Array[String] sent as k[]=a&k[]=b, k=a&k=b or k=a,b.
func (c *reqCtx) list(k string) ([]string, bool) {
	vs, ok := c.q[k+"[]"]
	if !ok {
		vs, ok = c.q[k]
		if ok && len(vs) == 1 {
			vs = strings.Split(vs[0], ",")
		}
	}
	var out []string
	for _, s := range vs {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out, ok
}

// hash reads k[key]=value parameters.
func (c *reqCtx) hash(k string) map[string]string {
	var m map[string]string
	for name, vs := range c.q {
		if strings.HasPrefix(name, k+"[") && strings.HasSuffix(name, "]") && len(vs) > 0 {
			if m == nil {
				m = map[string]string{}
			}
			m[name[len(k)+1:len(name)-1]] = vs[0]
		}
	}
	return m
}

// pathID reads an Integer path parameter such as :key_id; a non-number
// is "<name> is invalid" (Grape's coercion).
func (v *validator) pathID(name string) int64 {
	n, err := strconv.ParseInt(v.c.vars[name], 10, 64)
	if err != nil {
		v.errs = append(v.errs, name+" is invalid")
	}
	return n
}

// The path's user and resources, checked in GitLab's order (see
// routeTable): the declared parameters, the caller, the user, the
// resource.

// owner says whose resources an endpoint serves, and so who may call it.
type owner int

const (
	// self is /user/...: the caller's own resources.
	self owner = iota + 1
	// anyUser is /users/:id/... or /users/:user_id/...: any user's, for
	// any caller.
	anyUser
	// adminOnly is /users/:id/...: any user's, for administrators only.
	adminOnly
	// signedIn is /users/:id and its lists: any user, for a signed-in
	// caller; an anonymous one gets 403 "Not authorized!".
	signedIn
)

// owner runs the checks of an endpoint that serves o's resources, in
// GitLab's order: the declared parameters (400), then for adminOnly the
// caller (401, 403), then the user of the path (404 User). It returns
// the user whose resources are served.
func (c *reqCtx) owner(v *validator, o owner) (*user, *answer) {
	if fail := v.check(); fail != nil {
		return nil, fail
	}
	switch o {
	case self:
		return c.viewer, nil
	case adminOnly:
		if fail := c.requireAdmin(); fail != nil {
			return nil, fail
		}
	case signedIn:
		if c.viewer == nil {
			return nil, halt(forbidden("Not authorized!"))
		}
	case anyUser:
	default:
		panic("gitlabtest: unknown owner")
	}
	return c.pathUser()
}

// pathUser is find_user(params[:id]) (lib/api/helpers.rb): the user of
// :id (digits only, by routing) or :user_id (an ID or a username), or
// 404 User.
func (c *reqCtx) pathUser() (*user, *answer) {
	ref, ok := c.vars["id"]
	if !ok {
		ref = c.vars["user_id"]
	}
	if u := c.findUser(ref); u != nil {
		return u, nil
	}
	return nil, halt(notFound("User"))
}

// findUser resolves an ID or a username (case-insensitive; a leading
// "@" is part of the name, as on GitLab).
func (c *reqCtx) findUser(ref string) *user {
	if model.AllDigits(ref) {
		id, err := strconv.ParseInt(ref, 10, 64)
		if err != nil {
			return nil
		}
		return c.s.st.User(id)
	}
	return c.s.st.UserByName(ref)
}

// pathOwned runs the checks of an endpoint on the resource of m named
// by the path parameter param (an Integer), which must belong to o's
// user: 400, then 401 or 403, then 404 User, then 404 "<what> Not Found".
func pathOwned[T any](c *reqCtx, o owner, of func(st *model.Store, userID, id int64) (T, bool), param, what string) (T, *answer) {
	v := c.validate()
	id := v.pathID(param)
	u, fail := c.owner(v, o)
	if fail != nil {
		var zero T
		return zero, fail
	}
	r, ok := of(c.s.st, u.ID, id)
	if !ok {
		return r, halt(notFound(what))
	}
	return r, nil
}

// listOwner runs the checks of an endpoint that lists o's resources: the
// pagination parameters and o's (see owner).
func (c *reqCtx) listOwner(o owner) (*user, pages, *answer) {
	v := c.validate()
	pg := v.pages()
	u, fail := c.owner(v, o)
	return u, pg, fail
}

// destroy is destroy_conditionally! (lib/api/helpers.rb): 412 when
// If-Unmodified-Since is older than updated, else remove and 204.
func (c *reqCtx) destroy(updated time.Time, remove func()) answer {
	t, err := http.ParseTime(c.r.Header.Get("If-Unmodified-Since"))
	if err == nil && updated.Truncate(time.Second).After(t) {
		return reply(http.StatusPreconditionFailed, msg("412 Precondition Failed"))
	}
	remove()
	return noBody(http.StatusNoContent)
}

// valueOr returns *p, or def when p is nil.
func valueOr(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}
