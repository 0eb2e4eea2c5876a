package gitlabtest

import (
	"cmp"
	"net/url"
	"slices"
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// Seeding and reading back group and project access tokens, and the
// runners POST /user/runners stores.

// RunnerSnapshot is a stored runner: its ID, type, authentication token
// (glrt-) and what GitLab shows of it.
type RunnerSnapshot = model.Runner

// AccessTokenSpec describes a group or project access token to seed with
// AddAccessToken. Zero fields take defaults.
type AccessTokenSpec struct {
	// Name is the token's and its bot user's name; it defaults to
	// "<group|project>_bot".
	Name        string
	Description string
	// Scopes default to api.
	Scopes []string
	// AccessLevel is the bot's level in the group or project; it
	// defaults to AccessMaintainer.
	AccessLevel int
	// ExpiresAt is the day the token stops working; zero never expires.
	ExpiresAt time.Time
	// CreatedAt defaults to the server's clock.
	CreatedAt time.Time
	// LastUsedAt is when the token was last used; zero means never.
	LastUsedAt time.Time
	// Revoked stores the token revoked.
	Revoked bool
	// Token is the secret value; empty makes a random glpat- one.
	Token string
}

// AddAccessToken stores an access token of a group or project as
// GitLab's create does, without the API's rules: a new bot user
// (username <group|project>_<id>_bot_<random hex>, email
// <username>@noreply.<host of URL>, Bot set), its membership of the
// source at spec.AccessLevel without expiry, and its personal access
// token. It returns the token's ID, the bot's ID and the secret value.
// It panics if the source does not exist or spec.Token is another
// token's.
func (s *Server) AddAccessToken(src MemberSource, spec AccessTokenSpec) (id, botID int64, token string) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustSource("AddAccessToken", src)
	mustBeFree("AddAccessToken", s.st, spec.Token)
	scopes := spec.Scopes
	if len(scopes) == 0 {
		scopes = []string{"api"}
	}
	word := "project"
	if src.IsGroup() {
		word = "group"
	}
	var expires *time.Time
	if !spec.ExpiresAt.IsZero() {
		expires = model.PtrTime(model.DayOf(spec.ExpiresAt))
	}
	created := now
	if !spec.CreatedAt.IsZero() {
		created = spec.CreatedAt.UTC()
	}
	t, bot := s.st.AddResourceToken(src, nil, model.ResourceTokenSpec{Name: cmp.Or(spec.Name, word+"_bot"),
		Description: spec.Description, Scopes: scopes, ExpiresAt: expires,
		AccessLevel: cmp.Or(spec.AccessLevel, AccessMaintainer)}, spec.Token, hostOf(s.URL), created)
	t.Revoked = spec.Revoked
	if !spec.LastUsedAt.IsZero() {
		t.LastUsedAt = model.PtrTime(spec.LastUsedAt.UTC())
	}
	return t.ID, bot.ID, t.Token
}

// hostOf is the host name (without port) of the server's URL, as in
// gitlab.yml; "localhost" when it has none.
func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Hostname() == "" {
		return "localhost"
	}
	return p.Hostname()
}

// AccessTokens returns every access token of the group or project (the
// personal access tokens of its bot users, revoked and expired ones
// included, whether seeded, created or rotated through the API) by
// ascending ID, with their secret values.
func (s *Server) AccessTokens(src MemberSource) []TokenSnapshot {
	return snapshot(s, func(st *model.Store) []*token {
		var out []*token
		for _, bot := range st.ResourceBots(src) {
			out = append(out, st.UserTokens(bot.ID, false)...)
		}
		slices.SortFunc(out, func(a, b *token) int { return cmp.Compare(a.ID, b.ID) })
		return out
	}, func(t *token) TokenSnapshot {
		c := *t
		c.Scopes, c.LastUsedIPs = slices.Clone(c.Scopes), slices.Clone(c.LastUsedIPs)
		return c
	})
}

// Runners returns the runners created through POST /user/runners by
// ascending ID, with their current authentication tokens.
func (s *Server) Runners() []RunnerSnapshot {
	return snapshot(s, func(st *model.Store) []*model.Runner { return st.Runners() }, func(r *model.Runner) RunnerSnapshot {
		c := *r
		c.TagList = slices.Clone(c.TagList)
		return c
	})
}
