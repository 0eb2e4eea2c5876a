package gitlabtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// What the docs of CreateUser, CreateServiceAccount, CreatePersonalToken
// and PersonalTokens say: the seeded tokens never expire, and
// PersonalTokens holds every personal token of the user, however made,
// revoked ones included, and no impersonation token.
func TestPersonalTokensAndSeededTokens(t *testing.T) {
	s := gitlabtest.NewServer()
	defer s.Close()
	ctx := context.Background()
	client := s.Client()
	farFuture := time.Now().AddDate(100, 0, 0)

	id, seed := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	personal := s.CreatePersonalToken(id)
	revokedID, _ := s.CreateToken(id, gitlabtest.TokenSpec{Name: "old", Revoked: true})
	s.CreateToken(id, gitlabtest.TokenSpec{Name: "imp", Impersonation: true})
	api, _, err := client.PersonalAccessTokens.CreateForUser(ctx, id, &gitlab.CreatePersonalAccessTokenOptions{
		Name: gitlab.Ptr("api"), Scopes: []string{gitlab.ScopeReadUser},
		ExpiresAt: gitlab.Ptr(gitlab.ISODate(time.Now().AddDate(0, 1, 0))),
	})
	require.NoError(t, err)
	rotated, _, err := client.PersonalAccessTokens.Rotate(ctx, api.ID, nil)
	require.NoError(t, err)

	type row struct {
		Name    string
		Revoked bool
		Expires bool
	}
	var got []row
	var ids []int64
	for _, tok := range s.PersonalTokens(id) {
		got = append(got, row{tok.Name, tok.Revoked, tok.ExpiresAt != nil})
		ids = append(ids, tok.ID)
	}
	require.Equal(t, []row{
		{"seed", false, false},
		{"personal", false, false},
		{"old", true, false},
		{"api", true, true},
		{"api", false, true}, // the rotation's successor
	}, got)
	require.Equal(t, revokedID, ids[2])
	require.Equal(t, []int64{api.ID, rotated.ID}, ids[3:])

	snaps := s.PersonalTokens(id)
	require.Equal(t, seed, snaps[0].Token, "with their secret values")
	require.Equal(t, personal, snaps[1].Token)
	require.Equal(t, []string{"api", "read_api", "read_user"}, snaps[0].Scopes)
	require.True(t, snaps[0].Active(farFuture), "CreateUser's token never expires")
	require.True(t, snaps[1].Active(farFuture), "CreatePersonalToken's token never expires")

	sa, saToken := s.CreateServiceAccount(gitlabtest.UserSpec{Username: "bot"})
	saTokens := s.PersonalTokens(sa)
	require.Len(t, saTokens, 1)
	require.Equal(t, saToken, saTokens[0].Token)
	require.Equal(t, []string{"api", "read_api", "read_user"}, saTokens[0].Scopes)
	require.Nil(t, saTokens[0].ExpiresAt)
	require.True(t, saTokens[0].Active(farFuture), "CreateServiceAccount's token never expires")

	require.Equal(t, s.AdminToken(), s.PersonalTokens(1)[0].Token, "root's include AdminToken")
}
