package gitlabtest

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// validator checks declared parameters the way Grape does and collects
// its messages, joined with ", " in one {"error": ...} answer.
type validator struct {
	c    *reqCtx
	errs []string
}

func (c *reqCtx) validate() *validator { return &validator{c: c} }

// ok answers 400 with the collected Grape errors; false when it did.
func (v *validator) ok() bool {
	if len(v.errs) == 0 {
		return true
	}
	v.c.grapeError(strings.Join(v.errs, ", "))
	return false
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

// optBool reads an optional Boolean (nil when not sent or blank).
func (v *validator) optBool(k string) *bool {
	s, ok := v.c.str(k)
	if !ok || s == "" {
		return nil
	}
	b, ok := parseBool(s)
	if !ok {
		v.errs = append(v.errs, k+" is invalid")
		return nil
	}
	return &b
}

// flag reads an optional Boolean defaulting to false.
func (v *validator) flag(k string) bool {
	b := v.optBool(k)
	return b != nil && *b
}

// optInt reads an optional Integer.
func (v *validator) optInt(k string) *int64 {
	s, ok := v.c.str(k)
	if !ok || s == "" {
		return nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		v.errs = append(v.errs, k+" is invalid")
		return nil
	}
	return &n
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
func (v *validator) optTime(k string) *time.Time {
	s, ok := v.c.str(k)
	if !ok || s == "" {
		return nil
	}
	t, ok := parseTime(s)
	if !ok {
		v.errs = append(v.errs, k+" is invalid")
		return nil
	}
	return &t
}

// optDate reads an optional Date (YYYY-MM-DD, or a timestamp's day).
func (v *validator) optDate(k string) *time.Time {
	t := v.optTime(k)
	if t == nil {
		return nil
	}
	d := dayOf(*t)
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

// pathID reads an Integer path parameter; a non-number answers 400
// "<name> is invalid" (Grape's coercion), false when it answered.
func (c *reqCtx) pathID(name string) (int64, bool) {
	n, err := strconv.ParseInt(c.vars[name], 10, 64)
	if err != nil {
		c.grapeError(name + " is invalid")
		return 0, false
	}
	return n, true
}
