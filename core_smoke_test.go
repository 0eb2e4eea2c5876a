package gitlab

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSmokeDo(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/users/1").AddMatcher(exactQuery("with_custom_attributes=true")).Reply(200).JSON(map[string]any{"id": 1})
	type u struct {
		ID int64 `json:"id"`
	}
	type o struct {
		W *bool `url:"with_custom_attributes,omitempty"`
	}
	v, resp, err := do[*u](context.Background(), c, "GET", at("users", int64(1)), &o{W: Ptr(true)}, nil)
	require.NoError(t, err)
	require.Equal(t, 200, resp.StatusCode)
	require.Equal(t, int64(1), v.ID)
}
