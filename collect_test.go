package gitlab_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// seq yields items, then err when it is not nil, then after; it records
// what yield answered after err, to tell whether its caller stopped.
func seq(items []int, err error, after []int, stopped *bool) iter.Seq2[int, error] {
	return func(yield func(int, error) bool) {
		for _, it := range items {
			if !yield(it, nil) {
				return
			}
		}
		if err == nil {
			return
		}
		if yield(0, err) {
			*stopped = false
			for _, it := range after {
				if !yield(it, nil) {
					return
				}
			}
			return
		}
		*stopped = true
	}
}

func TestCollect(t *testing.T) {
	var stopped bool
	got, err := gitlab.Collect(seq([]int{3, 1, 2}, nil, nil, &stopped))
	require.NoError(t, err)
	require.Equal(t, []int{3, 1, 2}, got, "every item, in order")

	got, err = gitlab.Collect(seq(nil, nil, nil, &stopped))
	require.NoError(t, err)
	require.Empty(t, got)

	boom := errors.New("boom")
	got, err = gitlab.Collect(seq([]int{1, 2}, boom, []int{4, 5}, &stopped))
	require.Same(t, boom, err, "the first error is returned as is")
	require.Nil(t, got, "no items with an error")
	require.True(t, stopped, "Collect stops at the first error")
}

// Collect over a real iterator: the items of every page in order, and
// a refusal of the first page as the error.
func TestCollectListIter(t *testing.T) {
	s := gitlabtest.NewServer()
	defer s.Close()
	id, token := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	want := []int64{s.PersonalTokens(id)[0].ID}
	for i := range 24 {
		tid, _ := s.CreateToken(id, gitlabtest.TokenSpec{Name: fmt.Sprintf("t%d", i)})
		want = append(want, tid)
	}
	ctx := context.Background()
	opt := &gitlab.ListPersonalAccessTokensOptions{ListOptions: gitlab.ListOptions{PerPage: 10}, UserID: gitlab.Ptr(id)}
	tokens, err := gitlab.Collect(s.Client().PersonalAccessTokens.ListIter(ctx, opt))
	require.NoError(t, err)
	require.Equal(t, want, ids(tokens))
	require.Equal(t, 3, s.RouteCount("GET", "/personal_access_tokens"))

	// A user other than an administrator may list only their own tokens.
	tokens, err = gitlab.Collect(s.ClientFor(token).PersonalAccessTokens.ListIter(ctx,
		&gitlab.ListPersonalAccessTokensOptions{UserID: gitlab.Ptr(int64(1))}))
	require.ErrorIs(t, err, gitlab.ErrUnauthorized)
	require.Nil(t, tokens)
}

func ids(tokens []*gitlab.PersonalAccessToken) []int64 {
	out := make([]int64, len(tokens))
	for i, t := range tokens {
		out[i] = t.ID
	}
	return out
}

// leaver is a user with 66 active personal access tokens (the one
// CreateUser makes and 65 more), on a server of its own, with the
// options to list those tokens perPage at a time.
type leaver struct {
	s      *gitlabtest.Server
	client *gitlab.Client
	id     int64
	all    []int64 // the tokens' IDs, ascending
	opt    *gitlab.ListPersonalAccessTokensOptions
}

func newLeaver(t *testing.T, perPage int) leaver {
	t.Helper()
	s := gitlabtest.NewServer()
	t.Cleanup(s.Close)
	id, _ := s.CreateUser(gitlabtest.UserSpec{Username: "leaver"})
	for i := range 65 {
		s.CreateToken(id, gitlabtest.TokenSpec{Name: fmt.Sprintf("t%d", i)})
	}
	var all []int64
	for _, tok := range s.PersonalTokens(id) {
		require.False(t, tok.Revoked)
		all = append(all, tok.ID)
	}
	require.Len(t, all, 66)
	return leaver{s: s, client: s.Client(), id: id, all: all, opt: &gitlab.ListPersonalAccessTokensOptions{
		ListOptions: gitlab.ListOptions{PerPage: perPage},
		UserID:      gitlab.Ptr(id),
		State:       gitlab.Ptr(gitlab.TokenStateActive),
	}}
}

// The documented pattern: collect a user's active tokens (three pages
// of 25), then revoke them. None is left active.
func TestRevokeAllTokensCollectFirst(t *testing.T) {
	l := newLeaver(t, 25)
	s, client, id, all, opt := l.s, l.client, l.id, l.all, l.opt
	ctx := context.Background()

	tokens, err := gitlab.Collect(client.PersonalAccessTokens.ListIter(ctx, opt))
	require.NoError(t, err)
	require.Equal(t, all, ids(tokens))
	require.Equal(t, 3, s.RouteCount("GET", "/personal_access_tokens"), "three pages")
	for _, tok := range tokens {
		_, err := client.PersonalAccessTokens.Revoke(ctx, tok.ID)
		require.NoError(t, err)
	}

	var revoked []int64
	for _, tok := range s.PersonalTokens(id) {
		if tok.Revoked {
			revoked = append(revoked, tok.ID)
		}
	}
	require.Equal(t, all, revoked, "every token of the user is revoked")
	left, resp, err := client.PersonalAccessTokens.List(ctx, opt)
	require.NoError(t, err)
	require.Empty(t, left)
	require.Equal(t, 0, resp.TotalItems)
}

// Why Collect is documented: revoking inside the loop over active
// tokens shifts the pages fetched afterwards, so tokens are skipped (and
// others yielded twice, when a page fetched early overlaps one fetched
// late), with no error. Which ones depends on when the prefetched pages
// were fetched, but the fourth page (of 20) is asked for only after the
// 20 tokens of the first are revoked, when at most 46 remain: at least
// 6 of the 66 are never yielded.
func TestRevokeInsideLoopSkipsTokens(t *testing.T) {
	l := newLeaver(t, 20)
	s, client, id, all, opt := l.s, l.client, l.id, l.all, l.opt
	ctx := context.Background()

	yielded := map[int64]bool{}
	for tok, err := range client.PersonalAccessTokens.ListIter(ctx, opt) {
		require.NoError(t, err, "the skipped tokens give no error")
		_, err = client.PersonalAccessTokens.Revoke(ctx, tok.ID)
		require.NoError(t, err)
		yielded[tok.ID] = true
	}
	var active []int64
	for _, tok := range s.PersonalTokens(id) {
		require.Equal(t, yielded[tok.ID], tok.Revoked, "token %d: revoked exactly when yielded", tok.ID)
		if !tok.Revoked {
			active = append(active, tok.ID)
		}
	}
	require.GreaterOrEqual(t, len(active), 6, "tokens left active")
	require.Len(t, yielded, len(all)-len(active))
}

// Keyset pagination by ID is not shifted by removing users already
// yielded: blocking each active user while listing active users yields
// every one of them, once, in order.
func TestUsersKeysetBlockWhileIterating(t *testing.T) {
	s := gitlabtest.NewServer()
	defer s.Close()
	generated := s.GenerateUsers(45)
	want := append([]int64{1}, generated...) // root, then the 45
	client := s.Client()
	ctx := context.Background()

	opt := &gitlab.ListUsersOptions{
		ListOptions: gitlab.ListOptions{PerPage: 10},
		Pagination:  gitlab.Ptr(gitlab.PaginationKeyset),
		OrderBy:     gitlab.Ptr(gitlab.UserOrderByID),
		Sort:        gitlab.Ptr(gitlab.SortOrderAsc),
		Active:      gitlab.Ptr(true),
	}
	var yielded []int64
	for u, err := range client.Users.ListIter(ctx, opt) {
		require.NoError(t, err)
		yielded = append(yielded, u.ID)
		if u.ID != 1 { // root cannot block themself
			_, err := client.Users.Block(ctx, u.ID)
			require.NoError(t, err)
		}
	}
	require.Equal(t, want, yielded)
	require.Equal(t, 5, s.RouteCount("GET", "/users"), "five pages")
	for _, id := range generated {
		u, _ := s.User(id)
		require.Equal(t, gitlabtest.StateBlocked, u.State, "user %d", id)
	}
}
