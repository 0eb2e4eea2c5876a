package conformance

import (
	"net/url"
	"testing"

	"github.com/gitlabusers/gitlab/gitlabtest"
	"github.com/hashicorp/go-retryablehttp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gitlab "gitlab.com/gitlab-org/api/client-go/v2"
)

// lib/gitlab/pagination/offset_pagination.rb and
// offset_header_builder.rb: X-Total, X-Total-Pages, X-Page, X-Per-Page,
// X-Next-Page and X-Prev-Page (empty when there is none), and Link with
// prev, next, first and last; per_page is capped at 100
// (config/initializers/kaminari_config.rb) and 0 is refused
// (lib/api/pagination_params.rb). client-go's Scan follows X-Next-Page.
func TestOffsetPagination(t *testing.T) {
	e := newEnv(t)
	e.s.GenerateUsers(23) // 24 users with root

	users, resp, err := e.admin.Users.ListUsers(&gitlab.ListUsersOptions{ListOptions: gitlab.ListOptions{PerPage: 10, Page: 2}})
	require.NoError(t, err)
	assert.Len(t, users, 10)
	assert.Equal(t, int64(24), resp.TotalItems)
	assert.Equal(t, int64(3), resp.TotalPages)
	assert.Equal(t, int64(10), resp.ItemsPerPage)
	assert.Equal(t, int64(2), resp.CurrentPage)
	assert.Equal(t, int64(3), resp.NextPage)
	assert.Equal(t, int64(1), resp.PreviousPage)
	for rel, link := range map[string]string{"prev": resp.PreviousLink, "next": resp.NextLink, "first": resp.FirstLink, "last": resp.LastLink} {
		u, err := url.Parse(link)
		require.NoError(t, err, rel)
		assert.Equal(t, e.s.URL+"/api/v4/users", u.Scheme+"://"+u.Host+u.Path, rel)
		assert.Equal(t, "10", u.Query().Get("per_page"), rel)
		assert.Equal(t, map[string]string{"prev": "1", "next": "3", "first": "1", "last": "3"}[rel], u.Query().Get("page"), rel)
	}

	_, resp, err = e.admin.Users.ListUsers(&gitlab.ListUsersOptions{ListOptions: gitlab.ListOptions{PerPage: 10, Page: 3}})
	require.NoError(t, err)
	assert.Zero(t, resp.NextPage)
	assert.Equal(t, []string{""}, resp.Header.Values("X-Next-Page"), "present and empty on the last page")
	assert.Empty(t, resp.NextLink)

	all, err := gitlab.ScanAndCollect(func(p gitlab.PaginationOptionFunc) ([]*gitlab.User, *gitlab.Response, error) {
		return e.admin.Users.ListUsers(&gitlab.ListUsersOptions{ListOptions: gitlab.ListOptions{PerPage: 5}}, p)
	})
	require.NoError(t, err)
	assert.Len(t, all, 24)
	assert.Len(t, uniqueIDs(all), 24)

	_, resp, err = e.admin.Users.ListUsers(&gitlab.ListUsersOptions{ListOptions: gitlab.ListOptions{PerPage: 500}})
	require.NoError(t, err)
	assert.Equal(t, int64(100), resp.ItemsPerPage)
	_, _, err = e.admin.Users.ListUsers(nil, perPageZero)
	e.refused(err, 400, `{"error":"per_page has a value not allowed"}`)
}

// perPageZero sets per_page=0, which client-go's ListOptions omits.
func perPageZero(req *retryablehttp.Request) error {
	q := req.URL.Query()
	q.Set("per_page", "0")
	req.URL.RawQuery = q.Encode()
	return nil
}

// lib/api/helpers/pagination_strategies.rb and
// lib/gitlab/pagination/keyset (GET /users with pagination=keyset): no
// X-Total or X-Page headers, a Link rel="next" while there is a next
// page; client-go's Scan follows it.
func TestKeysetPagination(t *testing.T) {
	e := newEnv(t)
	e.s.GenerateUsers(11) // 12 users with root
	opts := &gitlab.ListUsersOptions{ListOptions: gitlab.ListOptions{Pagination: "keyset", OrderBy: "id", Sort: "asc", PerPage: 5}}

	first, resp, err := e.admin.Users.ListUsers(opts)
	require.NoError(t, err)
	assert.Len(t, first, 5)
	assert.Empty(t, resp.Header.Values("X-Total"))
	assert.Empty(t, resp.Header.Values("X-Page"))
	assert.NotEmpty(t, resp.NextLink)

	before := e.s.RouteCount("GET", "/users")
	all, err := gitlab.ScanAndCollect(func(p gitlab.PaginationOptionFunc) ([]*gitlab.User, *gitlab.Response, error) {
		return e.admin.Users.ListUsers(opts, p)
	})
	require.NoError(t, err)
	require.Len(t, all, 12)
	assert.Equal(t, 3, e.s.RouteCount("GET", "/users")-before, "three pages, and no request after the last")
	for i := 1; i < len(all); i++ {
		assert.Less(t, all[i-1].ID, all[i].ID, "id ascending")
	}
}

// A client-go defect, not the fake's: ListGPGKeysForUser takes no
// ListOptions, so the obvious call returns GitLab's first page (20 of
// 25 keys) and says nothing; the other keys are reached only through a
// request option or Scan. GitLab paginates the list (lib/api/users.rb,
// get ':id/gpg_keys', present paginate(...)).
func TestClientGoListGPGKeysForUserReturnsOnePage(t *testing.T) {
	e := newEnv(t)
	janeID, _ := e.user(gitlabtest.UserSpec{Username: "jane"})
	for i := range 25 {
		e.s.AddGPGKey(janeID, gitlabtest.FakeGPGKey("k"+string(rune('a'+i))))
	}

	keys, resp, err := e.admin.Users.ListGPGKeysForUser(janeID)
	require.NoError(t, err)
	assert.Len(t, keys, 20, "client-go's call returns one page")
	assert.Equal(t, int64(25), resp.TotalItems)
	assert.Equal(t, int64(2), resp.NextPage)

	all, err := gitlab.ScanAndCollect(func(p gitlab.PaginationOptionFunc) ([]*gitlab.GPGKey, *gitlab.Response, error) {
		return e.admin.Users.ListGPGKeysForUser(janeID, p)
	})
	require.NoError(t, err)
	assert.Len(t, all, 25, "Scan reaches every page")
}

func uniqueIDs(users []*gitlab.User) map[int64]bool {
	ids := map[int64]bool{}
	for _, u := range users {
		ids[u.ID] = true
	}
	return ids
}
