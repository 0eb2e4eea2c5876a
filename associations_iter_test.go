package gitlab

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// associationsServer answers GET /personal_access_tokens/self/associations
// for groups and projects as GitLab does: both lists paginated with the
// same page and page size, pageSize(per_page asked, 0 for none), and the
// pagination headers the projects' (self_information.rb paginates them
// last).
func associationsServer(t *testing.T, groups, projects int, pageSize func(asked int) int) *recordingServer {
	return newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		page := max(1, atoi(r.URL.Query().Get("page")))
		per := pageSize(atoi(r.URL.Query().Get("per_page")))
		h := w.Header()
		h.Set("X-Page", strconv.Itoa(page))
		h.Set("X-Per-Page", strconv.Itoa(per))
		h.Set("X-Total", strconv.Itoa(projects))
		h.Set("X-Total-Pages", strconv.Itoa(max(1, (projects+per-1)/per)))
		next := ""
		if page*per < projects {
			next = strconv.Itoa(page + 1)
		}
		h.Set("X-Next-Page", next)
		items := func(n, base int) string {
			var out []string
			for i := (page - 1) * per; i < min(page*per, n); i++ {
				out = append(out, fmt.Sprintf(`{"id":%d}`, base+i))
			}
			return strings.Join(out, ",")
		}
		_, _ = fmt.Fprintf(w, `{"groups":[%s],"projects":[%s]}`, items(groups, 1000), items(projects, 2000))
	})
}

// gitLabPageSize is GitLab's: 20 by default, at most 100.
func gitLabPageSize(asked int) int {
	if asked <= 0 {
		return 20
	}
	return min(asked, 100)
}

// TestListCurrentAssociationsIterAsksNoPageAfterTheLast (issue 23,
// defect 8): the iterator asks for the page after one whose headers say
// it is the last only when that page is full of groups, by the page
// size the server used, which can differ from the one asked for. It
// took the size asked for: a fourth page followed a third that was the
// last by the server's size, and above GitLab's cap of 100 the groups
// after the first page were lost.
func TestListCurrentAssociationsIterAsksNoPageAfterTheLast(t *testing.T) {
	for _, tc := range []struct {
		name             string
		groups, projects int
		perPage          int
		pageSize         func(int) int
		requests         int
	}{
		{"the third page ends both lists", 5, 6, 2, gitLabPageSize, 3},
		{"no page size asked for", 45, 50, 0, gitLabPageSize, 3},
		{"the groups fill the third page", 6, 6, 2, gitLabPageSize, 4},
		{"the groups run past the projects", 9, 2, 2, gitLabPageSize, 5},
		{"a page size above GitLab's cap", 150, 10, 500, gitLabPageSize, 2},
		{"a server keeping its own page size", 8, 8, 2, func(int) int { return 3 }, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := associationsServer(t, tc.groups, tc.projects, tc.pageSize)
			c := fastClient(t, srv.URL)
			var opt *ListTokenAssociationsOptions
			if tc.perPage > 0 {
				opt = &ListTokenAssociationsOptions{ListOptions: ListOptions{PerPage: tc.perPage}}
			}
			var groups, projects []int64
			for a, err := range c.PersonalAccessTokens.ListCurrentAssociationsIter(context.Background(), opt) {
				require.NoError(t, err)
				if a.Group != nil {
					groups = append(groups, a.Group.ID)
				} else {
					projects = append(projects, a.Project.ID)
				}
			}
			assert.Len(t, groups, tc.groups)
			assert.Len(t, projects, tc.projects)
			if len(groups) > 0 {
				assert.Equal(t, int64(1000+tc.groups-1), groups[len(groups)-1])
			}
			assert.Equal(t, tc.requests, srv.count(), "requests")
		})
	}
}
