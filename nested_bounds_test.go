package gitlab

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// objects is n empty JSON objects, comma-separated.
func objects(n int) string {
	return strings.TrimSuffix(strings.Repeat("{},", n), ",")
}

// Defect 12 of issue 25: the 1,000-item cap guarded top-level lists
// only; the lists inside an answer decoded any length (a 3 MB body of a
// million empty projects grew the heap by 172 MiB). Every answer may now
// hold at most maxAnswerObjects objects, at any depth, in any number of
// lists; past that it is ErrUnexpectedResponse before anything is
// decoded.
func TestListsInsideAnAnswerUnbounded(t *testing.T) {
	var body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	c := fastClient(t, srv.URL)
	ctx := context.Background()
	calls := map[string]struct {
		wrap string // the body, with %s where the list's items go
		call func() error
	}{
		"ListCurrentAssociations": {`{"groups":[],"projects":[%s]}`, func() error {
			_, _, err := c.PersonalAccessTokens.ListCurrentAssociations(ctx, nil)
			return err
		}},
		"User.Identities":       {`{"id":1,"identities":[%s]}`, func() error { _, _, err := c.Users.Get(ctx, 1, nil); return err }},
		"User.CustomAttributes": {`{"id":1,"custom_attributes":[%s]}`, func() error { _, _, err := c.Users.Get(ctx, 1, nil); return err }},
		"Users.List, identities of many users": {`[` + strings.Repeat(`{"id":1,"identities":[%[1]s]},`, 99) + `{"id":1,"identities":[%[1]s]}]`, func() error {
			_, _, err := c.Users.List(ctx, nil)
			return err
		}},
		"PersonalAccessToken.GranularScopes": {`{"id":1,"granular_scopes":[%s]}`, func() error {
			_, _, err := c.PersonalAccessTokens.Get(ctx, 1)
			return err
		}},
		"KeyWithUser.DeployKeysProjects": {`{"id":1,"deploy_keys_projects":[%s]}`, func() error {
			_, _, err := c.SSHKeys.GetWithUser(ctx, 1)
			return err
		}},
		"GPGKeys.Create, array form": {`[%s]`, func() error {
			_, _, err := c.GPGKeys.Create(ctx, &CreateGPGKeyOptions{Key: Ptr("k")})
			return err
		}},
	}
	for name, tc := range calls {
		n := maxAnswerObjects + 1
		if strings.Contains(tc.wrap, "%[1]s") {
			n = maxAnswerObjects/100 + 1
		}
		body = strings.ReplaceAll(strings.ReplaceAll(tc.wrap, "%[1]s", objects(n)), "%s", objects(n))
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		err := tc.call()
		runtime.ReadMemStats(&after)
		require.ErrorIs(t, err, ErrUnexpectedResponse, name)
		assert.Contains(t, err.Error(), "JSON objects in one answer", name)
		assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(8<<20), "%s: refused before it was decoded", name)
	}

	// At the bound it decodes; braces inside strings are not objects.
	body = `{"groups":[],"projects":[` + objects(maxAnswerObjects-1) + `]}`
	a, _, err := c.PersonalAccessTokens.ListCurrentAssociations(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, a.Projects, maxAnswerObjects-1)
	body = `{"id":1,"bio":"` + strings.Repeat(`{\"`, maxAnswerObjects+1) + `"}`
	u, _, err := c.Users.Get(ctx, 1, nil)
	require.NoError(t, err)
	assert.Equal(t, strings.Repeat(`{"`, maxAnswerObjects+1), u.Bio)
}
