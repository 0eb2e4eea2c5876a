package gitlabtest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRoutesNeedAKnownGroup(t *testing.T) {
	t.Parallel()
	h := func(*reqCtx) answer { return noBody(204) }
	assert.PanicsWithValue(t, "gitlabtest: route GET /x has no known group (0)", func() { newRoute("GET", "/x", 0, h) })
	assert.PanicsWithValue(t, "gitlabtest: route GET /x has no known group (99)", func() { newRoute("GET", "/x", 99, h) })
	assert.PanicsWithValue(t, "gitlabtest: route GET /x has no handler", func() { newRoute("GET", "/x", groupUser, nil) })
	assert.PanicsWithValue(t, "gitlabtest: route get /x has an unknown method", func() { newRoute("get", "/x", groupUser, h) })
	assert.NotPanics(t, func() { newRoute("GET", "/x", groupUsers, h) })
	assert.NotPanics(t, func() { buildRoutes() })
}
