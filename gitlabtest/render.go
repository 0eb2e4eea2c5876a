package gitlabtest

import (
	"bytes"
	"cmp"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// answer is the one HTTP answer a request gets: a status, extra headers
// (pagination's) and a JSON body, nil for none. Endpoints return it; the
// server writes it once, after releasing the store's lock.
type answer struct {
	code   int
	header http.Header
	body   []byte
	// buf holds body when it comes from bodies, to go back once written.
	buf *[]byte
}

// bodies recycles the buffers reply encodes into: a page of 100 users is
// over 100 KB, and allocating it per request made work for the GC, which
// scans the whole store each cycle.
var bodies = sync.Pool{New: func() any { return new([]byte) }}

// release hands the body's buffer back for reuse; the answer must not be
// used afterwards.
func (a answer) release() {
	if a.buf != nil && cap(*a.buf) <= 1<<20 {
		bodies.Put(a.buf)
	}
}

// write sends the answer.
func (a answer) write(w http.ResponseWriter) {
	for k, v := range a.header {
		w.Header()[k] = v
	}
	if a.body != nil {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(a.code)
	_, _ = w.Write(a.body)
}

// halt turns an error answer into a helper's result: helpers return
// (value, nil) or (zero, the answer that ends the request).
func halt(a answer) *answer { return &a }

// reply answers code with v encoded as JSON (500 if v cannot be encoded).
func reply(code int, v any) answer {
	buf := bodies.Get().(*[]byte)
	b, err := appendJSON((*buf)[:0], v)
	if err != nil {
		bodies.Put(buf)
		return literal(http.StatusInternalServerError, `{"message":"500 Internal Server Error"}`)
	}
	*buf = b
	return answer{code: code, body: b, buf: buf}
}

// literal answers code with a literal JSON body such as true or null.
func literal(code int, body string) answer { return answer{code: code, body: []byte(body)} }

// noBody answers code without a body (204, 304, 202).
func noBody(code int) answer { return answer{code: code} }

func msg(m any) map[string]any { return map[string]any{"message": m} }

// The error answers of lib/api/helpers.rb and Grape.

func unauthorized() answer { return reply(http.StatusUnauthorized, msg("401 Unauthorized")) }

// forbidden is forbidden!: 403 "403 Forbidden" or "403 Forbidden - reason".
func forbidden(reason string) answer {
	m := "403 Forbidden"
	if reason != "" {
		m += " - " + reason
	}
	return reply(http.StatusForbidden, msg(m))
}

// notFound is not_found!: 404 "404 <what> Not Found", or "404 Not
// Found" without a name.
func notFound(what string) answer {
	if what == "" {
		return reply(http.StatusNotFound, msg("404 Not Found"))
	}
	return reply(http.StatusNotFound, msg("404 "+what+" Not Found"))
}

// badRequest is bad_request!: 400 "400 Bad request - reason", or "400
// Bad request" without one.
func badRequest(reason string) answer {
	if reason == "" {
		return reply(http.StatusBadRequest, msg("400 Bad request"))
	}
	return reply(http.StatusBadRequest, msg("400 Bad request - "+reason))
}

// conflict is conflict!: 409 with the message as it is.
func conflict(m string) answer { return reply(http.StatusConflict, msg(m)) }

// grapeError is Grape's validation answer: 400 {"error": text}.
func grapeError(text string) answer {
	return reply(http.StatusBadRequest, map[string]string{"error": text})
}

// invalidToken is the 401 of a revoked or expired token, in the OAuth
// shape of Rack::OAuth2 (lib/api/api_guard.rb).
func invalidToken(description string) answer {
	a := reply(http.StatusUnauthorized, map[string]string{"error": "invalid_token", "error_description": description})
	a.header = http.Header{"Www-Authenticate": {`Bearer realm="", error="invalid_token", error_description="` + description + `"`}}
	return a
}

// insufficientScope is the 403 of a token without the scope the request
// needs (lib/gitlab/auth/auth_finders.rb, InsufficientScopeError).
func insufficientScope(scope string) answer {
	return reply(http.StatusForbidden, map[string]string{"error": "insufficient_scope",
		"error_description": "The request requires higher privileges than provided by the access token.", "scope": scope})
}

// obj is a JSON object that keeps its keys in insertion order, so
// entities come out in GitLab's expose order.
type obj struct {
	keys []string
	vals []any
}

func (o *obj) set(k string, v any) *obj {
	o.keys = append(o.keys, k)
	o.vals = append(o.vals, v)
	return o
}

// MarshalJSON writes the keys in order.
func (o *obj) MarshalJSON() ([]byte, error) { return appendJSON(nil, o) }

// appendJSON appends v's JSON, exactly as encodeJSON writes it. Entities
// are rendered per user and per request, so the types they are made of
// are written here directly; encoding/json, with its reflection and the
// validation of every MarshalJSON result, cost more than the rest of a
// request. Other types go through encodeJSON.
func appendJSON(b []byte, v any) ([]byte, error) {
	var err error
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendString(b, v), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case int:
		return strconv.AppendInt(b, int64(v), 10), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case *obj:
		if v == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '{')
		for i, k := range v.keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(appendString(b, k), ':')
			if b, err = appendJSON(b, v.vals[i]); err != nil {
				return nil, err
			}
		}
		return append(b, '}'), nil
	case []*obj:
		return appendArray(b, v)
	case []any:
		return appendArray(b, v)
	case []string:
		return appendArray(b, v)
	}
	var buf bytes.Buffer
	if err := encodeJSON(&buf, v); err != nil {
		return nil, err
	}
	return append(b, buf.Bytes()...), nil
}

func appendArray[T any](b []byte, vs []T) ([]byte, error) {
	if vs == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '[')
	var err error
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = appendJSON(b, v); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

// appendString appends s as a JSON string as encoding/json does without
// HTML escaping: quotes, backslashes and control characters escaped,
// invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped.
func appendString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// encodeJSON appends v's JSON to b without escaping <, > and & (as
// GitLab's Ruby encoder does) and without a trailing newline.
func encodeJSON(b *bytes.Buffer, v any) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1)
	return nil
}

// ts formats a timestamp as GitLab does (RFC 3339, milliseconds, UTC);
// nil stays null.
func ts(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

func tsv(t time.Time) any { return ts(&t) }

// date formats a day as YYYY-MM-DD; nil stays null.
func date(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format("2006-01-02")
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Entity levels, from GitLab's lib/api/entities: each adds fields to the
// one before.
type level int

const (
	lvlBasic        level = iota // UserBasic (lists for non-admins, follow)
	lvlProfile                   // UserProfile: User and bio_html (GET /users/:id for non-admins)
	lvlPublic                    // UserPublic (GET /user for non-admins)
	lvlAdmin                     // UserWithAdmin
	lvlAdminDetails              // UserDetailsWithAdmin (GET /users/:id for admins)
)

func (c *reqCtx) webURL(u *user) string { return c.s.URL + "/" + url.PathEscape(u.Username) }

func (c *reqCtx) avatarURL(u *user) string { return c.avatarURLAt(u, 0) }

// avatarURLAt is User#avatar_url(size:): the uploaded avatar's absolute
// URL, or the Gravatar URL of u's email at size (0: the default).
func (c *reqCtx) avatarURLAt(u *user, size int) string {
	if u.AvatarFilename != "" {
		return c.s.URL + "/uploads/-/system/user/avatar/" + itoa(u.ID) + "/" + url.PathEscape(u.AvatarFilename)
	}
	return gravatarURL(u.Email, size)
}

// gravatarURL is GravatarService#execute with GitLab's default plain
// URL: the MD5 of the trimmed, lower-cased email, at twice size (40
// when size is 0).
func gravatarURL(addr string, size int) string {
	addr = strings.ToLower(strings.TrimSpace(addr))
	if size <= 0 {
		size = 40
	}
	sum := md5.Sum([]byte(addr))
	return "https://www.gravatar.com/avatar/" + hex.EncodeToString(sum[:]) + "?s=" + strconv.Itoa(size*2) + "&d=identicon"
}

// userJSON renders u at the given level for the current viewer.
// withCA adds custom_attributes (admins asking with_custom_attributes).
func (c *reqCtx) userJSON(u *user, lvl level, withCA bool) *obj {
	n := 9 // the fields of UserBasic, custom_attributes included
	if lvl > lvlBasic {
		n = 57
	}
	o := &obj{keys: make([]string, 0, n), vals: make([]any, 0, n)}
	o.set("id", u.ID).set("username", u.Username).set("public_email", nullIfEmpty(u.PublicEmail)).set("name", u.Name)
	o.set("state", u.State).set("locked", u.Locked).set("avatar_url", c.avatarURL(u))
	if withCA {
		o.set("custom_attributes", customAttributesJSON(u.CustomAttributes))
	}
	o.set("web_url", c.webURL(u))
	if lvl == lvlBasic {
		return o
	}
	readProfile := canReadProfile(c.viewer, u)
	if readProfile {
		o.set("created_at", tsv(u.CreatedAt))
	}
	// 18.x dropped skype from the User entity and added github
	// (lib/api/entities/user.rb).
	o.set("bio", u.Bio).set("location", nullIfEmpty(u.Location)).set("linkedin", u.Linkedin)
	o.set("twitter", u.Twitter).set("discord", u.Discord).set("website_url", u.WebsiteURL).set("github", u.GitHub).set("organization", u.Organization)
	o.set("job_title", u.JobTitle).set("pronouns", nullIfEmpty(u.Pronouns)).set("bot", u.Bot).set("work_information", nullIfEmpty(u.WorkInformation))
	if readProfile && u.FollowingEnabled && (c.viewer == nil || c.viewer.FollowingEnabled) {
		o.set("followers", len(u.Followers())).set("following", len(u.Followees()))
		if c.viewer != nil {
			o.set("is_followed", slices.Contains(c.viewer.Followees(), u.ID))
		}
	}
	o.set("local_time", nil)
	if lvl == lvlProfile {
		// lib/api/entities/user_profile.rb: User with Users::BioHtml.
		return o.set("bio_html", model.BioHTML(u.Bio))
	}
	o.set("last_sign_in_at", ts(u.LastSignInAt)).set("confirmed_at", ts(u.ConfirmedAt)).set("last_activity_on", date(u.LastActivityOn))
	o.set("email", u.Email).set("theme_id", u.ThemeID).set("color_scheme_id", u.ColorSchemeID).set("projects_limit", u.ProjectsLimit)
	o.set("current_sign_in_at", ts(u.CurrentSignInAt))
	ids := make([]*obj, 0, len(u.Identities))
	for _, id := range u.Identities {
		o := (&obj{}).set("provider", id.Provider).set("extern_uid", id.ExternUID)
		if id.SAMLProviderID != 0 {
			// EE's Identity entity adds the group SAML provider
			// (ee/lib/ee/api/entities/identity.rb).
			o.set("saml_provider_id", id.SAMLProviderID)
		}
		ids = append(ids, o)
	}
	o.set("identities", ids)
	o.set("can_create_group", u.CanCreateGroup).set("can_create_project", u.ProjectsLimit > 0)
	o.set("two_factor_enabled", u.TwoFactorEnabled).set("external", u.External).set("private_profile", u.PrivateProfile)
	o.set("commit_email", cmp.Or(u.CommitEmail, u.Email)).set("preferred_language", "en")
	// EE::API::Entities::UserPublic adds the user's SCIM identities,
	// always (ee/lib/ee/api/entities/user_public.rb).
	scim := c.s.st.SCIMIdentitiesOf(u.ID)
	sids := make([]*obj, 0, len(scim))
	for _, s := range scim {
		sids = append(sids, (&obj{}).set("extern_uid", s.ExternUID).set("group_id", s.GroupID).set("active", s.Active))
	}
	o.set("scim_identities", sids)
	if lvl == lvlPublic {
		return o
	}
	o.set("is_admin", u.Admin).set("note", nullIfEmpty(u.Note)).set("namespace_id", u.NamespaceID)
	if cb := c.s.st.User(u.CreatedBy); cb != nil {
		o.set("created_by", c.userJSON(cb, lvlBasic, false))
	} else {
		o.set("created_by", nil)
	}
	o.set("email_reset_offered_at", nil)
	if lvl == lvlAdmin {
		return o
	}
	// lib/api/entities/user_details_with_admin.rb includes
	// Users::BioHtml before its own fields.
	o.set("bio_html", model.BioHTML(u.Bio))
	highest := 0
	for _, m := range c.s.st.Memberships(u, "", c.now) {
		highest = max(highest, m.AccessLevel)
	}
	o.set("highest_role", highest).set("current_sign_in_ip", nullIfEmpty(u.CurrentSignInIP))
	o.set("last_sign_in_ip", nullIfEmpty(u.LastSignInIP)).set("sign_in_count", u.SignInCount)
	return o
}

func customAttributesJSON(m map[string]string) []*obj {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]*obj, 0, len(keys))
	for _, k := range keys {
		out = append(out, (&obj{}).set("key", k).set("value", m[k]))
	}
	return out
}

// sshKeyJSON renders an SSH key, with the key's comment replaced by
// "<user name> (<host>)" as GitLab's publishable_key does.
func (c *reqCtx) sshKeyJSON(k *sshKey) *obj {
	key := k.Key
	if f := strings.Fields(key); len(f) >= 2 {
		name := ""
		if u := c.s.st.User(k.UserID); u != nil {
			name = u.Name
		}
		key = f[0] + " " + f[1] + " " + name + " (" + c.host() + ")"
	}
	return (&obj{}).set("id", k.ID).set("title", k.Title).set("created_at", tsv(k.CreatedAt)).
		set("expires_at", ts(k.ExpiresAt)).set("last_used_at", ts(k.LastUsedAt)).set("key", key).set("usage_type", k.UsageType)
}

// host is the GitLab host name (without port), as in gitlab.yml.
func (c *reqCtx) host() string {
	u, err := url.Parse(c.s.URL)
	if err != nil {
		return "localhost"
	}
	return u.Hostname()
}

func gpgKeyJSON(k *gpgKey) *obj {
	return (&obj{}).set("id", k.ID).set("key", k.Key).set("created_at", tsv(k.CreatedAt))
}

func emailJSON(e *email) *obj {
	return (&obj{}).set("id", e.ID).set("email", e.Email).set("confirmed_at", ts(e.ConfirmedAt))
}

func statusJSON(st *StatusSnapshot) *obj {
	o := &obj{}
	if st == nil {
		return o.set("emoji", nil).set("message", nil).set("availability", nil).set("message_html", nil).set("clear_status_at", nil)
	}
	return o.set("emoji", st.Emoji).set("message", nullIfEmpty(st.Message)).set("availability", st.Availability).
		set("message_html", nullIfEmpty(html.EscapeString(st.Message))).set("clear_status_at", ts(st.ClearStatusAt))
}

// tokenJSON renders an impersonation token; withSecret adds "token"
// (only on creation).
func (c *reqCtx) tokenJSON(t *token, withSecret bool) *obj {
	scopes := t.Scopes
	if scopes == nil {
		scopes = []string{}
	}
	o := (&obj{}).set("id", t.ID).set("name", t.Name).set("active", t.Active(c.now)).set("revoked", t.Revoked).
		set("expired", t.Expired(c.now)).set("granular", t.GranularScopes != nil).set("created_at", tsv(t.CreatedAt)).
		set("description", nullIfEmpty(t.Description)).set("scopes", scopes).set("user_id", t.UserID).
		set("last_used_at", ts(t.LastUsedAt)).set("expires_at", date(t.ExpiresAt))
	if t.GranularScopes != nil {
		gs := make([]*obj, 0, len(t.GranularScopes))
		for _, g := range t.GranularScopes {
			gs = append(gs, (&obj{}).set("access", g.Access).set("permissions", g.Permissions).
				set("project_id", g.ProjectID).set("group_id", g.GroupID))
		}
		o.set("granular_scopes", gs)
	}
	o.set("impersonation", t.Impersonation)
	if withSecret {
		o.set("token", t.Token)
	}
	return o
}

func supportPINJSON(p *SupportPINSnapshot) *obj {
	return (&obj{}).set("pin", p.PIN).set("expires_at", p.ExpiresAt.UTC().Format(time.RFC3339))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
