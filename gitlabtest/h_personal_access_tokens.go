package gitlabtest

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// Personal access tokens, from lib/api/personal_access_tokens.rb,
// lib/api/personal_access_tokens/self_information.rb,
// lib/api/personal_access_tokens/self_rotation.rb, lib/api/users.rb
// (the two create endpoints) and
// app/services/personal_access_tokens/{create,rotate,revoke}_service.rb;
// see https://docs.gitlab.com/api/personal_access_tokens/.

// maxTokenLifetime is PersonalAccessToken::MAX_PERSONAL_ACCESS_TOKEN_LIFETIME_IN_DAYS.
const maxTokenLifetime = 365

// rotationPeriod is PersonalAccessTokens::RotateService::EXPIRATION_PERIOD.
const rotationPeriod = 7 * 24 * time.Hour

// selfCreateScopes are the scopes POST /user/personal_access_tokens
// takes (lib/api/users.rb).
var selfCreateScopes = []string{"k8s_proxy", "self_rotate"}

// patJSON renders the PersonalAccessToken entity; withSecret adds
// "token" (PersonalAccessTokenWithToken, create and rotate only).
func (c *reqCtx) patJSON(t *token, withSecret bool) *obj {
	scopes := t.Scopes
	if scopes == nil {
		scopes = []string{}
	}
	ips := t.LastUsedIPs
	if ips == nil {
		ips = []string{}
	}
	o := (&obj{}).set("id", t.ID).set("name", t.Name).set("revoked", t.Revoked).set("created_at", tsv(t.CreatedAt)).
		set("description", nullIfEmpty(t.Description)).set("scopes", scopes).set("user_id", t.UserID).
		set("last_used_at", ts(t.LastUsedAt)).set("active", t.Active(c.now)).set("granular", false).
		set("expires_at", date(t.ExpiresAt)).set("last_used_ips", ips)
	if withSecret {
		o.set("token", t.Token)
	}
	return o
}

// expiryLimit is the last expires_at GitLab accepts today.
func (c *reqCtx) expiryLimit() time.Time { return model.DayOf(c.now).AddDate(0, 0, maxTokenLifetime) }

// newPAT is PersonalAccessTokens::CreateService: the default expiry
// (today + the maximum lifetime) and its limit. It returns the model's
// errors as a sentence when the token cannot be made.
func (c *reqCtx) newPAT(u *user, name string, desc *string, scopes []string, expires *time.Time) (*token, string) {
	var errs []string
	if strings.TrimSpace(name) == "" {
		errs = append(errs, "Name can't be blank")
	}
	if len(scopes) == 0 {
		errs = append(errs, "Scopes can't be blank")
	}
	if !u.Admin && (slices.Contains(scopes, "sudo") || slices.Contains(scopes, "admin_mode")) {
		errs = append(errs, "Scopes can only contain available scopes")
	}
	limit := c.expiryLimit()
	if expires == nil {
		expires = &limit
	} else if expires.After(limit) {
		errs = append(errs, "Expires at must be before "+limit.Format(time.DateOnly))
	}
	if len(errs) > 0 {
		return nil, toSentence(errs)
	}
	t := c.s.st.AddToken(u.ID, name, scopes, false, expires, "", c.now)
	t.Description = valueOr(desc, "")
	return t, ""
}

// rotate is PersonalAccessTokens::RotateService: revoke t and make its
// successor with the same name, description, scopes and kind, expiring
// on expires or a week from today. It returns the 400 message when t
// cannot be rotated (nothing is changed then).
func (c *reqCtx) rotate(t *token, expires *time.Time) (*token, string) {
	if t.Revoked {
		return nil, "Token already revoked"
	}
	limit := c.expiryLimit()
	if expires == nil {
		d := model.DayOf(c.now.Add(rotationPeriod))
		expires = &d
	} else if expires.After(limit) {
		return nil, "Expires at must be before " + limit.Format(time.DateOnly)
	}
	t.Revoked = true
	n := c.s.st.AddToken(t.UserID, t.Name, t.Scopes, t.Impersonation, expires, "", c.now)
	n.Description, n.PreviousID = t.Description, t.ID
	return n, ""
}

// toSentence joins messages as Rails' Array#to_sentence does.
func toSentence(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// tokenFilter holds the access_token_params of
// lib/api/helpers/personal_access_tokens_helpers.rb, as
// PersonalAccessTokensFinder applies them.
type tokenFilter struct {
	state                         *string
	revoked                       *bool
	createdBefore, createdAfter   *time.Time
	lastUsedBefore, lastUsedAfter *time.Time
	expiresBefore, expiresAfter   *time.Time
	search                        *string
	sort                          *string
}

func (v *validator) tokenFilter() tokenFilter {
	return tokenFilter{
		state:          v.optValue("state", "active", "inactive"),
		revoked:        v.optBool("revoked"),
		createdBefore:  v.optTime("created_before"),
		createdAfter:   v.optTime("created_after"),
		lastUsedBefore: v.optTime("last_used_before"),
		lastUsedAfter:  v.optTime("last_used_after"),
		expiresBefore:  v.optDate("expires_before"),
		expiresAfter:   v.optDate("expires_after"),
		search:         v.optStr("search"),
		sort:           v.optStr("sort"),
	}
}

// keep reports whether t passes every filter at now.
func (f tokenFilter) keep(t *token, now time.Time) bool {
	before := func(x *time.Time, bound *time.Time) bool { return bound == nil || (x != nil && !x.After(*bound)) }
	after := func(x *time.Time, bound *time.Time) bool { return bound == nil || (x != nil && !x.Before(*bound)) }
	created := t.CreatedAt
	switch {
	case f.state != nil && (*f.state == "active") != t.Active(now),
		f.revoked != nil && *f.revoked != t.Revoked,
		!before(&created, f.createdBefore), !after(&created, f.createdAfter),
		!before(t.LastUsedAt, f.lastUsedBefore), !after(t.LastUsedAt, f.lastUsedAfter),
		f.expiresBefore != nil && (t.ExpiresAt == nil || !t.ExpiresAt.Before(*f.expiresBefore)),
		!after(t.ExpiresAt, f.expiresAfter),
		f.search != nil && !fuzzyMatch(t.Name, *f.search):
		return false
	}
	return true
}

// fuzzyMatch is Gitlab::SQL::Pattern.fuzzy_search on one column: words
// of three or more characters must all occur; a shorter query must be
// the whole name (case-insensitive).
func fuzzyMatch(name, q string) bool {
	name, q = strings.ToLower(name), strings.ToLower(strings.TrimSpace(q))
	if len(q) < 3 {
		return name == q
	}
	for _, w := range strings.Fields(q) {
		if len(w) >= 3 && !strings.Contains(name, w) {
			return false
		}
	}
	return true
}

// apply filters and sorts tokens (by ID when no known sort is given).
func (f tokenFilter) apply(tokens []*token, now time.Time) []*token {
	out := slices.DeleteFunc(slices.Clone(tokens), func(t *token) bool { return !f.keep(t, now) })
	byID := func(a, b *token) int { return cmp.Compare(a.ID, b.ID) }
	nullsLast := func(x, y *time.Time, desc bool) int {
		switch {
		case x == nil && y == nil:
			return 0
		case x == nil:
			return 1
		case y == nil:
			return -1
		case desc:
			return y.Compare(*x)
		}
		return x.Compare(*y)
	}
	var less func(a, b *token) int
	switch f.sortValue() {
	case "created_asc", "created_at_asc":
		less = func(a, b *token) int { return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), byID(a, b)) }
	case "created_desc", "created_at_desc", "created_date":
		less = func(a, b *token) int { return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), byID(b, a)) }
	case "id_asc":
		less = byID
	case "id_desc":
		less = func(a, b *token) int { return byID(b, a) }
	case "name_asc":
		less = func(a, b *token) int {
			return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), byID(a, b))
		}
	case "name_desc":
		less = func(a, b *token) int {
			return cmp.Or(cmp.Compare(strings.ToLower(b.Name), strings.ToLower(a.Name)), byID(b, a))
		}
	case "expires_asc":
		less = func(a, b *token) int { return cmp.Or(nullsLast(a.ExpiresAt, b.ExpiresAt, false), byID(a, b)) }
	case "expires_desc":
		less = func(a, b *token) int { return cmp.Or(nullsLast(a.ExpiresAt, b.ExpiresAt, true), byID(b, a)) }
	case "last_used_asc":
		less = func(a, b *token) int { return cmp.Or(nullsLast(a.LastUsedAt, b.LastUsedAt, false), byID(a, b)) }
	case "last_used_desc":
		less = func(a, b *token) int { return cmp.Or(nullsLast(a.LastUsedAt, b.LastUsedAt, true), byID(b, a)) }
	default:
		less = byID
	}
	slices.SortStableFunc(out, less)
	return out
}

func (f tokenFilter) sortValue() string {
	if f.sort == nil {
		return ""
	}
	return *f.sort
}

// restrictNonAdmins is the before filter restrict_non_admins! of
// lib/api/personal_access_tokens.rb: a user_id other than the caller's
// own is 401 for non-administrators.
func (c *reqCtx) restrictNonAdmins() *answer {
	if c.admin() || !c.has("user_id") {
		return nil
	}
	if c.get("user_id") != itoa(c.viewer.ID) {
		return halt(unauthorized())
	}
	return nil
}

func hListPATs(c *reqCtx) answer {
	if fail := c.restrictNonAdmins(); fail != nil {
		return *fail
	}
	v := c.validate()
	userID := v.optInt("user_id")
	f := v.tokenFilter()
	pg := v.pages()
	if fail := v.check(); fail != nil {
		return *fail
	}
	var tokens []*token
	switch {
	case c.admin() && c.has("user_id"):
		if userID == nil || c.s.st.User(*userID) == nil {
			return reply(http.StatusNotFound, msg("404 Not Found"))
		}
		tokens = c.s.st.Tokens(*userID)
	case c.admin():
		tokens = c.s.st.Tokens(0)
	default:
		tokens = c.s.st.UserTokens(c.viewer.ID, false)
	}
	return listAnswer(c, f.apply(tokens, c.now), pg, false, func(t *token) any { return c.patJSON(t, false) })
}

// canManageTokensOf is read_/rotate_personal_access_token on the
// token's owner: the owner themself or an administrator.
func (c *reqCtx) canManageTokensOf(userID int64) bool {
	return c.admin() || c.viewer.ID == userID
}

// pathPAT finds :token_id for an endpoint whose permission is on the
// token's owner: a missing or forbidden token is 401 for non-admins and
// 404 "404 Not Found" for administrators.
func (c *reqCtx) pathPAT(v *validator) (*token, *answer) {
	id := v.pathID("token_id")
	if fail := v.check(); fail != nil {
		return nil, fail
	}
	t := c.s.st.Token(id)
	if t == nil || !c.canManageTokensOf(t.UserID) {
		if c.admin() {
			return nil, halt(reply(http.StatusNotFound, msg("404 Not Found")))
		}
		return nil, halt(unauthorized())
	}
	return t, nil
}

func hGetPAT(c *reqCtx) answer {
	if fail := c.restrictNonAdmins(); fail != nil {
		return *fail
	}
	t, fail := c.pathPAT(c.validate())
	if fail != nil {
		return *fail
	}
	return reply(http.StatusOK, c.patJSON(t, false))
}

func hRotatePAT(c *reqCtx) answer {
	if fail := c.restrictNonAdmins(); fail != nil {
		return *fail
	}
	v := c.validate()
	expires := v.optDate("expires_at")
	t, fail := c.pathPAT(v)
	if fail != nil {
		return *fail
	}
	return c.rotateAnswer(t, expires)
}

// rotateAnswer rotates t: 200 with the new token, or 400 "400 Bad
// request - <msg>".
func (c *reqCtx) rotateAnswer(t *token, expires *time.Time) answer {
	n, failed := c.rotate(t, expires)
	if failed != "" {
		return badRequest(failed)
	}
	return reply(http.StatusOK, c.patJSON(n, true))
}

// canRevoke is revoke_token (PersonalAccessTokenPolicy): an
// administrator, or the owner of a token that is not an impersonation
// token.
func (c *reqCtx) canRevoke(t *token) bool {
	return c.admin() || (c.viewer.ID == t.UserID && !t.Impersonation)
}

func hRevokePAT(c *reqCtx) answer {
	if fail := c.restrictNonAdmins(); fail != nil {
		return *fail
	}
	v := c.validate()
	id := v.pathID("token_id")
	if fail := v.check(); fail != nil {
		return *fail
	}
	t := c.s.st.Token(id)
	switch {
	case t == nil:
		return reply(http.StatusNotFound, msg("404 Not found"))
	case !c.canRevoke(t):
		return badRequest("Not permitted to revoke")
	}
	t.Revoked = true // revoking a revoked token is a no-op success
	return noBody(http.StatusNoContent)
}

func hCurrentPAT(c *reqCtx) answer {
	return reply(http.StatusOK, c.patJSON(c.tok, false))
}

func hRotateCurrentPAT(c *reqCtx) answer {
	v := c.validate()
	expires := v.optDate("expires_at")
	if fail := v.check(); fail != nil {
		return *fail
	}
	return c.rotateAnswer(c.tok, expires)
}

func hRevokeCurrentPAT(c *reqCtx) answer {
	if !c.canRevoke(c.tok) {
		return badRequest("Not permitted to revoke")
	}
	c.tok.Revoked = true
	return noBody(http.StatusNoContent)
}

// hCreatePATForUser is POST /users/:user_id/personal_access_tokens
// (lib/api/users.rb): admins, before its parameters are validated.
func hCreatePATForUser(c *reqCtx) answer {
	if fail := c.requireAdmin(); fail != nil {
		return *fail
	}
	v := c.validate()
	p := v.newPATParams(availableScopes)
	u, fail := c.owner(v, anyUser)
	if fail != nil {
		return *fail
	}
	return c.createPATAnswer(u, p)
}

// hCreatePAT is POST /user/personal_access_tokens: the caller's own
// token, with only the scopes of selfCreateScopes.
func hCreatePAT(c *reqCtx) answer {
	v := c.validate()
	p := v.newPATParams(selfCreateScopes)
	if fail := v.check(); fail != nil {
		return *fail
	}
	return c.createPATAnswer(c.viewer, p)
}

// patParams are the parameters of every personal access token create
// (lib/api/users.rb, lib/api/personal_access_tokens.rb and the service
// account APIs declare the same ones).
type patParams struct {
	name    string
	desc    *string
	scopes  []string
	expires *time.Time
}

// newPATParams reads them in the order GitLab declares them, so that
// validation errors come in GitLab's order; scopes must be in allowed.
func (v *validator) newPATParams(allowed []string) patParams {
	var p patParams
	p.name = v.require("name")
	p.scopes = v.scopes(allowed)
	p.desc = v.optStr("description")
	p.expires = v.optDate("expires_at")
	return p
}

// createPATAnswer answers 201 with the new token, or 422 with the
// service's message.
func (c *reqCtx) createPATAnswer(u *user, p patParams) answer {
	t, failed := c.newPAT(u, p.name, p.desc, p.scopes, p.expires)
	if failed != "" {
		return reply(http.StatusUnprocessableEntity, msg(failed))
	}
	return reply(http.StatusCreated, c.patJSON(t, true))
}

// scopes reads the required Array[String] scopes (or a comma-separated
// string), each of which must be in values.
func (v *validator) scopes(values []string) []string {
	scopes, ok := v.c.list("scopes")
	if !ok {
		v.errs = append(v.errs, "scopes is missing")
		return nil
	}
	for _, s := range scopes {
		if !slices.Contains(values, s) {
			v.errs = append(v.errs, "scopes does not have a valid value")
			return nil
		}
	}
	return scopes
}
