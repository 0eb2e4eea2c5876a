package model

import (
	"cmp"
	"net"
	"slices"
	"strings"
	"time"
)

// Access tokens: personal access tokens and impersonation tokens, from
// app/models/personal_access_token.rb,
// app/services/personal_access_tokens/{create,rotate,revoke}_service.rb,
// app/policies/personal_access_token_policy.rb,
// lib/api/personal_access_tokens.rb and lib/api/users.rb; see
// https://docs.gitlab.com/api/personal_access_tokens/ and
// https://docs.gitlab.com/api/user_tokens/.

// MaxTokenLifetimeDays is
// PersonalAccessToken::MAX_PERSONAL_ACCESS_TOKEN_LIFETIME_IN_DAYS.
const MaxTokenLifetimeDays = 365

// RotationPeriod is PersonalAccessTokens::RotateService::EXPIRATION_PERIOD.
const RotationPeriod = 7 * 24 * time.Hour

// AvailableScopes is Gitlab::Auth.all_available_scopes: the
// non-administrator scopes and ADMIN_SCOPES (sudo, admin_mode,
// read_service_ping). PersonalAccessToken#validate_scopes
// (app/models/personal_access_token.rb) checks a token's scopes against
// this list only, whoever owns the token, so an administrator may give
// any of them to anyone's token. (Gitlab::Auth.available_scopes_for,
// which leaves ADMIN_SCOPES out for non-administrators, only chooses what
// the web UI offers.)
var AvailableScopes = []string{"api", "read_api", "read_user", "create_runner", "manage_runner", "k8s_proxy", "self_rotate",
	"read_repository", "write_repository", "read_registry", "write_registry", "read_virtual_registry",
	"write_virtual_registry", "read_observability", "write_observability", "ai_features", "sudo", "admin_mode", "read_service_ping"}

// SelfCreateScopes are the scopes POST /user/personal_access_tokens
// takes (lib/api/users.rb).
var SelfCreateScopes = []string{"k8s_proxy", "self_rotate"}

// ExpiryLimit is the last expires_at GitLab accepts at now: today plus
// the maximum lifetime (PersonalAccessToken's expires_at validation).
func ExpiryLimit(now time.Time) time.Time { return DayOf(now).AddDate(0, 0, MaxTokenLifetimeDays) }

// expiryTooLate is the message of an expires_at beyond the limit.
func expiryTooLate(limit time.Time) string { return "must be before " + limit.Format(time.DateOnly) }

// TokenSpec is what a token create asks for.
type TokenSpec struct {
	Name        string
	Description string
	Scopes      []string
	// ExpiresAt is a day; nil asks for the default.
	ExpiresAt *time.Time
	// GranularScopes make an impersonation token granular (nil
	// otherwise).
	GranularScopes []GranularScope
}

// CreatePersonalToken is PersonalAccessTokens::CreateService for u: name
// and scopes are required (which scopes each endpoint takes is its
// parameters' rule), expires_at defaults to (and may not pass) today
// plus the maximum lifetime. The service renders the model's full
// messages as one sentence (:unprocessable_entity). actor made the
// request: EE's CreateService records personal_access_token_created.
func (st *Store) CreatePersonalToken(actor, u *User, spec TokenSpec, now time.Time) (*Token, error) {
	var errs []string
	if strings.TrimSpace(spec.Name) == "" {
		errs = append(errs, "Name can't be blank")
	}
	if len(spec.Scopes) == 0 {
		errs = append(errs, "Scopes can't be blank")
	}
	limit := ExpiryLimit(now)
	expires := spec.ExpiresAt
	if expires == nil {
		expires = &limit
	} else if expires.After(limit) {
		errs = append(errs, "Expires at "+expiryTooLate(limit))
	}
	if len(errs) > 0 {
		return nil, refused(Unprocessable, ToSentence(errs))
	}
	t := st.AddToken(u.ID, spec.Name, spec.Scopes, false, expires, "", now)
	t.Description = spec.Description
	st.auditTokenCreated(actor, t, now)
	return t, nil
}

// CreateImpersonationToken is POST /users/:id/impersonation_tokens
// (lib/api/users.rb): the model's validations, by attribute. Scopes
// (or granular scopes) are required and must be AvailableScopes, for
// any user; expires_at is required and may not pass the limit. The API
// creates it through PersonalAccessTokens::CreateService, so actor's
// creation is audited as a personal access token's.
func (st *Store) CreateImpersonationToken(actor, u *User, spec TokenSpec, now time.Time) (*Token, error) {
	var errs Errors
	if strings.TrimSpace(spec.Name) == "" {
		errs.Add("name", "can't be blank")
	}
	if len(spec.Scopes) == 0 && spec.GranularScopes == nil {
		errs.Add("scopes", "can't be blank")
	}
	if slices.ContainsFunc(spec.Scopes, func(s string) bool { return !slices.Contains(AvailableScopes, s) }) {
		errs.Add("scopes", "can only contain available scopes")
	}
	limit := ExpiryLimit(now)
	switch {
	case spec.ExpiresAt == nil:
		errs.Add("expires_at", "can't be blank")
	case spec.ExpiresAt.After(limit):
		errs.Add("expires_at", expiryTooLate(limit))
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	t := st.AddToken(u.ID, spec.Name, spec.Scopes, true, spec.ExpiresAt, "", now)
	t.Description = spec.Description
	t.GranularScopes = spec.GranularScopes
	st.auditTokenCreated(actor, t, now)
	return t, nil
}

// RotateToken is PersonalAccessTokens::RotateService: it revokes t and
// makes its successor with the same name, description, scopes and kind,
// expiring on expires or a week from today. A revoked token, or an
// expiry beyond the limit, is refused and nothing changes.
func (st *Store) RotateToken(t *Token, expires *time.Time, now time.Time) (*Token, error) {
	if t.Revoked {
		return nil, badRequest("Token already revoked")
	}
	limit := ExpiryLimit(now)
	if expires == nil {
		expires = PtrTime(DayOf(now.Add(RotationPeriod)))
	} else if expires.After(limit) {
		return nil, badRequest("Expires at " + expiryTooLate(limit))
	}
	t.Revoke()
	n := st.AddToken(t.UserID, t.Name, t.Scopes, t.Impersonation, expires, "", now)
	n.Description, n.PreviousID = t.Description, t.ID
	return n, nil
}

// Revoke revokes t; revoking a revoked token changes nothing.
func (t *Token) Revoke() { t.Revoked = true }

// MayManageTokensOf is read_ and rotate_personal_access_token on a
// token's owner (app/policies/user_policy.rb): the owner themself or an
// administrator.
func MayManageTokensOf(actor *User, ownerID int64) bool {
	return actor != nil && (actor.Admin || actor.ID == ownerID)
}

// MayRevoke is revoke_token (PersonalAccessTokenPolicy): an
// administrator, or the owner of a token that is not an impersonation
// token.
func MayRevoke(actor *User, t *Token) bool {
	return actor != nil && (actor.Admin || (actor.ID == t.UserID && !t.Impersonation))
}

// PersonalToken is the token id of GET and rotate
// /personal_access_tokens/:id, for actor: NotFound when it does not
// exist or actor may not manage its owner's tokens, so that its
// existence is not told apart.
func (st *Store) PersonalToken(actor *User, id int64) (*Token, error) {
	t := st.tokens[id]
	if t == nil || !MayManageTokensOf(actor, t.UserID) {
		return nil, notFound("")
	}
	return t, nil
}

// RevokeToken is DELETE /personal_access_tokens/:id and
// PersonalAccessTokens::RevokeService, by actor: NotFound (find's)
// when the token does not exist, for everyone, then MayRevoke. A
// revocation records personal_access_token_revoked (EE RevokeService;
// the API passes no source, so revocation_source is null).
func (st *Store) RevokeToken(actor *User, id int64, now time.Time) error {
	t := st.tokens[id]
	switch {
	case t == nil:
		return recordNotFound()
	case !MayRevoke(actor, t):
		return badRequest("Not permitted to revoke")
	}
	t.Revoke()
	st.auditTokenRevoked(actor, t, now)
	return nil
}

// ListableTokens are the tokens GET /personal_access_tokens lists for
// actor before filtering: an administrator's, every token, or with
// userID that user's (of any kind; NotFound for no such user); anyone
// else's, their own personal access tokens (restrict_non_admins! has
// refused a user_id of someone else).
func (st *Store) ListableTokens(actor *User, userID *int64) ([]*Token, error) {
	switch {
	case !actor.Admin:
		return st.UserTokens(actor.ID, false), nil
	case userID == nil:
		return st.Tokens(0), nil
	case st.users[*userID] == nil:
		return nil, notFound("")
	}
	return st.Tokens(*userID), nil
}

// ImpersonationToken is u's impersonation token id.
func (st *Store) ImpersonationToken(u *User, id int64) (*Token, error) {
	t, ok := st.TokenOf(u.ID, id)
	if !ok || !t.Impersonation {
		return nil, notFound("Impersonation Token")
	}
	return t, nil
}

// UserTokens returns the user's impersonation or personal tokens by ID.
func (st *Store) UserTokens(userID int64, impersonation bool) []*Token {
	return slices.DeleteFunc(st.Tokens(userID), func(t *Token) bool { return t.Impersonation != impersonation })
}

// RevokeFamily revokes every active token rotated, directly or not,
// from t: GitLab's reuse detection when a revoked token is presented for
// rotation (lib/gitlab/auth/auth_finders.rb).
func (st *Store) RevokeFamily(t *Token) {
	for changed := true; changed; {
		changed = false
		for _, o := range st.tokens {
			if o.Revoked || o.PreviousID == 0 {
				continue
			}
			for p := st.tokens[o.PreviousID]; p != nil; p = st.tokens[p.PreviousID] {
				if p.ID == t.ID {
					o.Revoked, changed = true, true
					break
				}
				if p.PreviousID == 0 {
					break
				}
			}
		}
	}
}

// ToSentence joins messages as Rails' Array#to_sentence does.
func ToSentence(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// --- what a token list keeps, and in which order -----------------------

// TokenFilter holds the access_token_params of
// lib/api/helpers/personal_access_tokens_helpers.rb, as
// PersonalAccessTokensFinder applies them; nil fields do not filter.
type TokenFilter struct {
	State                         *string // "active" or "inactive"
	Revoked                       *bool
	CreatedBefore, CreatedAfter   *time.Time
	LastUsedBefore, LastUsedAfter *time.Time
	ExpiresBefore, ExpiresAfter   *time.Time
	Search                        *string
	Sort                          *string
}

// Keep reports whether t passes every filter at now.
func (f TokenFilter) Keep(t *Token, now time.Time) bool {
	before := func(x *time.Time, bound *time.Time) bool { return bound == nil || (x != nil && !x.After(*bound)) }
	after := func(x *time.Time, bound *time.Time) bool { return bound == nil || (x != nil && !x.Before(*bound)) }
	created := t.CreatedAt
	switch {
	case f.State != nil && (*f.State == "active") != t.Active(now),
		f.Revoked != nil && *f.Revoked != t.Revoked,
		!before(&created, f.CreatedBefore), !after(&created, f.CreatedAfter),
		!before(t.LastUsedAt, f.LastUsedBefore), !after(t.LastUsedAt, f.LastUsedAfter),
		f.ExpiresBefore != nil && (t.ExpiresAt == nil || !t.ExpiresAt.Before(*f.ExpiresBefore)),
		!after(t.ExpiresAt, f.ExpiresAfter),
		f.Search != nil && !FuzzyMatch(t.Name, *f.Search):
		return false
	}
	return true
}

// FuzzyMatch is Gitlab::SQL::Pattern.fuzzy_search on one column: words
// of three or more characters must all occur; a shorter query must be
// the whole name (case-insensitive).
func FuzzyMatch(name, q string) bool {
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

// Apply returns the tokens f keeps at now, in f's sort order (by ID
// when no known sort is given; ties by ID, in the sort's direction;
// tokens without the sorted time last).
func (f TokenFilter) Apply(tokens []*Token, now time.Time) []*Token {
	out := slices.DeleteFunc(slices.Clone(tokens), func(t *Token) bool { return !f.Keep(t, now) })
	slices.SortStableFunc(out, f.order())
	return out
}

// order is the comparison of f's sort.
func (f TokenFilter) order() func(a, b *Token) int {
	byID := func(a, b *Token) int { return cmp.Compare(a.ID, b.ID) }
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
	switch valueOf(f.Sort) {
	case "created_asc", "created_at_asc":
		return func(a, b *Token) int { return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), byID(a, b)) }
	case "created_desc", "created_at_desc", "created_date":
		return func(a, b *Token) int { return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), byID(b, a)) }
	case "id_desc":
		return func(a, b *Token) int { return byID(b, a) }
	case "name_asc":
		return func(a, b *Token) int {
			return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), byID(a, b))
		}
	case "name_desc":
		return func(a, b *Token) int {
			return cmp.Or(cmp.Compare(strings.ToLower(b.Name), strings.ToLower(a.Name)), byID(b, a))
		}
	case "expires_asc":
		return func(a, b *Token) int { return cmp.Or(nullsLast(a.ExpiresAt, b.ExpiresAt, false), byID(a, b)) }
	case "expires_desc":
		return func(a, b *Token) int { return cmp.Or(nullsLast(a.ExpiresAt, b.ExpiresAt, true), byID(b, a)) }
	case "last_used_asc":
		return func(a, b *Token) int { return cmp.Or(nullsLast(a.LastUsedAt, b.LastUsedAt, false), byID(a, b)) }
	case "last_used_desc":
		return func(a, b *Token) int { return cmp.Or(nullsLast(a.LastUsedAt, b.LastUsedAt, true), byID(b, a)) }
	}
	return byID // id_asc and unknown sorts
}

func valueOf(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// --- a token's state and use --------------------------------------------

// Active reports whether t authenticates at now.
func (t *Token) Active(now time.Time) bool {
	return !t.Revoked && !t.Expired(now)
}

// Expired reports whether t's expiry day has come at now.
func (t *Token) Expired(now time.Time) bool {
	return t.ExpiresAt != nil && !t.ExpiresAt.After(now)
}

// HasScope reports whether t carries scope s.
func (t *Token) HasScope(s string) bool { return slices.Contains(t.Scopes, s) }

// Used records a use of t at now from the remote address addr (host:port)
// as PersonalAccessTokens::LastUsedService does (see UseDue): the
// address among the last five, and last_used_at.
func (t *Token) Used(now time.Time, addr string) {
	ip, at := t.UseDue(now, addr)
	if ip {
		host, _, _ := net.SplitHostPort(addr)
		t.LastUsedIPs = append(t.LastUsedIPs, host)
		if len(t.LastUsedIPs) > 5 {
			t.LastUsedIPs = t.LastUsedIPs[len(t.LastUsedIPs)-5:]
		}
	}
	if at {
		t.LastUsedAt = PtrTime(now)
	}
}

// UseDue reports which of t's use records a use at now from addr updates,
// as PersonalAccessTokens::LastUsedService decides (its
// LAST_USED_IP_TIMEOUT and LAST_USED_AT_TIMEOUT): a new address when
// the token was never used or last used at least a minute ago (a known
// address is kept in place), last_used_at when unset or at least 10
// minutes old. Most requests therefore change nothing, and read-only
// ones share the store.
func (t *Token) UseDue(now time.Time, addr string) (ip, at bool) {
	if host, _, err := net.SplitHostPort(addr); err == nil && host != "" {
		switch {
		case t.LastUsedAt == nil:
			ip = true
		case slices.Contains(t.LastUsedIPs, host):
		default:
			ip = !t.LastUsedAt.After(now.Add(-time.Minute))
		}
	}
	at = t.LastUsedAt == nil || !t.LastUsedAt.After(now.Add(-10*time.Minute))
	return ip, at
}
