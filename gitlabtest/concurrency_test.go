package gitlabtest_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// TestServerConcurrentWritesAndReads runs 16 goroutines that create and
// block users, read users and pages of users (offset and keyset) at
// once, plus keyset exports in flight, then checks that a keyset export
// finds every user, each created one exactly once. Run with -race: the
// read-only requests share the store's lock.
func TestServerConcurrentWritesAndReads(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer()
	defer s.Close()
	seeded := s.GenerateUsers(2_000)
	_, memberTok := s.CreateUser(gitlabtest.UserSpec{Username: "member"})
	admin, member := s.Client(), s.ClientFor(memberTok)
	ctx := context.Background()
	keyset := func(perPage int) *gitlab.ListUsersOptions {
		return &gitlab.ListUsersOptions{ListOptions: gitlab.ListOptions{PerPage: perPage}, Pagination: gitlab.Ptr(gitlab.PaginationKeyset)}
	}
	// export returns the IDs of a keyset export, checking that they come
	// newest first, each once.
	export := func(c *gitlab.Client) ([]int64, error) {
		var ids []int64
		for u, err := range c.Users.ListIter(ctx, keyset(100)) {
			if err != nil {
				return nil, err
			}
			if n := len(ids); n > 0 && u.ID >= ids[n-1] {
				return nil, fmt.Errorf("user %d after user %d", u.ID, ids[n-1])
			}
			ids = append(ids, u.ID)
		}
		return ids, nil
	}

	const workers, rounds = 16, 12
	var (
		mu      sync.Mutex
		created []int64
		wg      sync.WaitGroup
		errs    = make(chan error, workers+2)
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				switch i % 4 {
				case 0, 2:
					name := fmt.Sprintf("w%02d-%02d", w, i)
					u, _, err := admin.Users.Create(ctx, &gitlab.CreateUserOptions{Email: gitlab.Ptr(name + "@example.org"),
						Username: gitlab.Ptr(name), Name: gitlab.Ptr(name), Password: gitlab.Ptr("secret-password")})
					if err != nil {
						errs <- err
						return
					}
					mu.Lock()
					created = append(created, u.ID)
					mu.Unlock()
				case 1:
					if _, err := admin.Users.Block(ctx, seeded[(w*rounds+i)%len(seeded)]); err != nil {
						errs <- err
						return
					}
				case 3:
					c := admin
					if w%2 == 1 {
						c = member // blocked users vanish from its lists
					}
					if _, _, err := c.Users.Get(ctx, seeded[(w*31+i)%len(seeded)], nil); err != nil {
						errs <- err
						return
					}
					if _, _, err := c.Users.List(ctx, &gitlab.ListUsersOptions{ListOptions: gitlab.ListOptions{Page: 3, PerPage: 20}}); err != nil {
						errs <- err
						return
					}
					if _, _, err := c.Users.List(ctx, keyset(50)); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	for _, c := range []*gitlab.Client{admin, member} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := export(c); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	ids, err := export(admin)
	require.NoError(t, err)
	require.Len(t, ids, s.UserCount())
	seen := map[int64]int{}
	for _, id := range ids {
		seen[id]++
	}
	require.Len(t, created, workers*rounds/2)
	for _, id := range created {
		require.Equal(t, 1, seen[id], "created user %d", id)
	}
	for _, u := range s.Users() {
		require.Equal(t, 1, seen[u.ID], "user %d", u.ID)
	}
}
