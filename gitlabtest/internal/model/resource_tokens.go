package model

import (
	"cmp"
	"slices"
	"strconv"
	"time"
)

// Group and project access tokens: a personal access token of a bot
// user (user_type project_bot) that is a member of the group or the
// project; from lib/api/resource_access_tokens.rb,
// lib/api/resource_access_tokens/self_rotation.rb,
// app/services/resource_access_tokens/{create,revoke}_service.rb,
// app/services/{group,project}_access_tokens/rotate_service.rb and the
// group and project policies; see
// https://docs.gitlab.com/api/group_access_tokens/ and
// https://docs.gitlab.com/api/project_access_tokens/.

// ResourceBotScopes is Gitlab::Auth.resource_bot_scopes: every scope of
// AvailableScopes but read_user and the administrator scopes (sudo,
// admin_mode, read_service_ping).
var ResourceBotScopes = slices.DeleteFunc(slices.Clone(AvailableScopes), func(s string) bool {
	return s == "read_user" || s == "sudo" || s == "admin_mode" || s == "read_service_ping"
})

// ResourceTokenSpec is what POST /groups/:id/access_tokens and POST
// /projects/:id/access_tokens ask for.
type ResourceTokenSpec struct {
	Name        string
	Description string
	Scopes      []string
	// ExpiresAt is a day; nil with ExpiresSet is an explicit blank
	// expires_at, which gets the maximum lifetime.
	ExpiresAt  *time.Time
	ExpiresSet bool
	// AccessLevel is the bot's level in the group or project.
	AccessLevel int
}

// resourceWord is the resource's name in the API's messages, "group"
// or "project" (resource.class.name.downcase).
func resourceWord(src Source) string {
	if src.IsGroup() {
		return "group"
	}
	return "project"
}

// ResourceBots returns the bots of src (Group#bots, Project#bots): the
// users of its member rows that are project bots, by member ID. Reads
// only.
func (st *Store) ResourceBots(src Source) []*User {
	var out []*User
	for _, m := range st.mem.bySource[src] {
		if u := st.users[m.UserID]; u != nil && u.ProjectBot && m.RequestedAt == nil {
			out = append(out, u)
		}
	}
	return out
}

// sourceTokens are the tokens of src's bots that are not impersonation
// tokens (PersonalAccessTokensFinder with user: resource.bots,
// impersonation: false), by ascending ID.
func (st *Store) sourceTokens(src Source) []*Token {
	var out []*Token
	for _, u := range st.ResourceBots(src) {
		out = append(out, st.UserTokens(u.ID, false)...)
	}
	slices.SortFunc(out, func(a, b *Token) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// sourceToken is find_token(resource, token_id): the token of src's
// bots with this ID (token_id is a String: anything but digits finds
// nothing), or nil.
func (st *Store) sourceToken(src Source, ref string) *Token {
	id, err := strconv.ParseInt(ref, 10, 64)
	if !AllDigits(ref) || err != nil {
		return nil
	}
	t := st.tokens[id]
	if t == nil || t.Impersonation || !slices.ContainsFunc(st.ResourceBots(src), func(u *User) bool { return u.ID == t.UserID }) {
		return nil
	}
	return t
}

// mayManageResourceTokens is manage_resource_access_tokens (create and
// rotate): read_resource_access_tokens (canAdmin: a group's Owners, a
// project's Maintainers and Owners, administrators), never for a bot
// user's own token.
func (st *Store) mayManageResourceTokens(actor *User, src Source, now time.Time) bool {
	return actor != nil && !actor.ProjectBot && st.canAdmin(actor, src, now)
}

// ResourceTokens are the tokens GET …/access_tokens lists before
// filtering, revoked and expired ones included: Unauthorized (401, not
// 403) without read_resource_access_tokens. Reads only.
func (st *Store) ResourceTokens(actor *User, src Source, now time.Time) ([]*Token, error) {
	if !st.canAdmin(actor, src, now) {
		return nil, &Error{Kind: Unauthorized}
	}
	return st.sourceTokens(src), nil
}

// ResourceToken is GET …/access_tokens/:token_id: Unauthorized without
// read_resource_access_tokens, then NotFound "<group|project> Access
// Token" for a token that is not one of src's. Reads only.
func (st *Store) ResourceToken(actor *User, src Source, ref string, now time.Time) (*Token, error) {
	if !st.canAdmin(actor, src, now) {
		return nil, &Error{Kind: Unauthorized}
	}
	t := st.sourceToken(src, ref)
	if t == nil {
		return nil, notFound(resourceWord(src) + " Access Token")
	}
	return t, nil
}

// ResourceTokenLevel is the access_level a resource token shows: its
// bot's level in src, nil when the bot is no member of it. Reads only.
func (st *Store) ResourceTokenLevel(t *Token, src Source) *int {
	if m := st.row(t.UserID, src); m != nil && m.RequestedAt == nil {
		return &m.AccessLevel
	}
	return nil
}

// CreateResourceToken is ResourceAccessTokens::CreateService for actor
// on src: the caller must manage src's tokens (a bot never may); the
// level may not exceed the caller's (Gitlab::Access.level_encompasses?;
// bots skip this check); expires_at must be sent (with the default
// flags: allow_resource_access_token_creation_without_expiry_date is
// off), a blank one meaning the maximum lifetime, and may not pass it.
// Every refusal is the service's message, which the API renders with
// bad_request!. Then it stores the bot, its membership and its token
// (AddResourceToken); host names the bot's noreply email domain.
func (st *Store) CreateResourceToken(actor *User, src Source, spec ResourceTokenSpec, host string, now time.Time) (*Token, error) {
	if !st.mayManageResourceTokens(actor, src, now) {
		return nil, badRequest("User does not have permission to create " + resourceWord(src) + " access token")
	}
	if !actor.Bot && st.roleTooHigh(actor, src, spec.AccessLevel, now) {
		return nil, badRequest("Access level of the token contains permissions not held by the creating user")
	}
	if !spec.ExpiresSet {
		return nil, badRequest("expires_at is missing")
	}
	limit := ExpiryLimit(now)
	expires := spec.ExpiresAt
	switch {
	case expires == nil:
		expires = &limit
	case expires.After(limit):
		return nil, badRequest("Expires at " + expiryTooLate(limit))
	}
	t, bot := st.AddResourceToken(src, actor, ResourceTokenSpec{Name: spec.Name, Description: spec.Description,
		Scopes: spec.Scopes, ExpiresAt: expires, AccessLevel: spec.AccessLevel}, "", host, now)
	// The bot joins as any new member does (ProjectMember#post_create_hook
	// records its joined event); seeding records none.
	st.joined(st.row(bot.ID, src), now)
	st.auditResourceToken("created", actor, src, t, now)
	return t, nil
}

// AddResourceToken stores a token of src without the API's rules: a new
// bot user named after the token (username
// <group|project>_<id>_bot_<random hex>, email <username>@noreply.<host>,
// confirmed, external when creator is), its membership of src at
// spec.AccessLevel without expiry, and its personal access token with
// spec's scopes and expiry (nil: never) and the secret value secret (a
// random glpat- one when empty; AddToken's rule). creator may be nil.
func (st *Store) AddResourceToken(src Source, creator *User, spec ResourceTokenSpec, secret, host string, now time.Time) (*Token, *User) {
	base := resourceWord(src) + "_" + strconv.FormatInt(src.ID, 10) + "_bot_" + RandomHex(8)
	un := base
	for n := 1; st.UserByName(un) != nil; n++ {
		un = base + strconv.Itoa(n)
	}
	bot := &User{State: StateActive, UserData: UserData{Username: un, Name: spec.Name, Email: un + "@noreply." + host,
		Bot: true, ProjectBot: true, FollowingEnabled: true, ProjectsLimit: DefaultProjectsLimit,
		ThemeID: DefaultThemeID, ColorSchemeID: DefaultColorSchemeID,
		CreatedAt: now, UpdatedAt: now, ConfirmedAt: PtrTime(now)}}
	if creator != nil {
		bot.External, bot.CreatedBy = creator.External, creator.ID
	}
	st.AddUser(bot, new(Email), now)
	st.SeedMember(MemberSpec{Source: src, UserID: bot.ID, AccessLevel: spec.AccessLevel}, now)
	t := st.AddToken(bot.ID, spec.Name, spec.Scopes, false, spec.ExpiresAt, secret, now)
	t.Description = spec.Description
	return t, bot
}

// RotateResourceToken is POST …/access_tokens/:token_id/rotate by actor:
// a caller who may not manage src's tokens, or a token that is not one
// of src's, is NotFound (bare) for administrators and Unauthorized for
// everyone else; the bot's level may not exceed the caller's
// ({Group,Project}AccessTokens::RotateService); then RotateToken's
// rules. The bot's membership loses any expiry and the bot takes the
// caller's external flag.
func (st *Store) RotateResourceToken(actor *User, src Source, ref string, expires *time.Time, now time.Time) (*Token, error) {
	var t *Token
	if st.mayManageResourceTokens(actor, src, now) {
		t = st.sourceToken(src, ref)
	}
	switch {
	case t == nil && actor != nil && actor.Admin:
		return nil, notFound("")
	case t == nil:
		return nil, &Error{Kind: Unauthorized}
	}
	if lvl := st.ResourceTokenLevel(t, src); lvl != nil && st.roleTooHigh(actor, src, *lvl, now) {
		return nil, badRequest("Not eligible to rotate tokens with permissions not held by the user")
	}
	n, err := st.RotateToken(t, expires, now)
	if err != nil {
		return nil, err
	}
	if m := st.row(t.UserID, src); m != nil {
		m.ExpiresAt = nil
	}
	if bot := st.users[t.UserID]; bot != nil {
		bot.External = actor.External
	}
	return n, nil
}

// RotateSelfResourceToken is POST …/access_tokens/self/rotate with
// token t of actor: only a project bot's personal access token may
// (MethodNotAllowed otherwise, before the resource is looked up), the
// resource must be visible to the bot (NotFound "Group" or "Project"),
// t must be one of its tokens (Unauthorized), then RotateToken's rules
// without a level check.
func (st *Store) RotateSelfResourceToken(actor *User, t *Token, group bool, ref string, expires *time.Time, now time.Time) (*Token, error) {
	if !actor.ProjectBot {
		return nil, &Error{Kind: MethodNotAllowed}
	}
	src, err := st.FindSource(actor, group, ref, now)
	if err != nil {
		return nil, err
	}
	if st.sourceToken(src, strconv.FormatInt(t.ID, 10)) == nil {
		return nil, &Error{Kind: Unauthorized}
	}
	return st.RotateToken(t, expires, now)
}

// RevokeResourceToken is DELETE …/access_tokens/:token_id by actor: the
// token first, without a permission check (NotFound "<group|project>
// Access Token"), then ResourceAccessTokens::RevokeService: without
// destroy_resource_access_tokens "<caller> cannot delete <bot>" (the API
// answers 400), then revoke! (a revoked token stays revoked: success).
// The bot user stays, and stays a member.
func (st *Store) RevokeResourceToken(actor *User, src Source, ref string, now time.Time) error {
	t := st.sourceToken(src, ref)
	if t == nil {
		return notFound(resourceWord(src) + " Access Token")
	}
	return st.revokeBotToken(actor, src, t, now)
}

// revokeBotToken is ResourceAccessTokens::RevokeService of t, a token
// of a bot of src.
func (st *Store) revokeBotToken(actor *User, src Source, t *Token, now time.Time) error {
	bot := st.users[t.UserID]
	if !st.canAdmin(actor, src, now) {
		return badRequest(actor.Name + " cannot delete " + bot.Name)
	}
	if st.ResourceTokenLevel(t, src) == nil {
		return badRequest("Failed to find bot user")
	}
	t.Revoke()
	st.auditResourceToken("deleted", actor, src, t, now)
	return nil
}
