package gitlab

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// GitLab takes extern_uid and provider together or not at all; a half
// pair fails before any request (no mock is registered).
func TestExternIdentityPair(t *testing.T) {
	c := newTestClient(t)
	ctx := context.Background()
	base := func() *CreateUserOptions {
		return &CreateUserOptions{Email: Ptr("a@b.c"), Username: Ptr("a"), Name: Ptr("A"), ResetPassword: Ptr(true)}
	}
	half := base()
	half.ExternUID = Ptr("42")
	_, _, err := c.Users.Create(ctx, half)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	assert.Contains(t, err.Error(), "extern_uid and provider go together")

	_, _, err = c.Users.Update(ctx, 1, &UpdateUserOptions{Provider: Ptr("github")})
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, _, err = c.Users.List(ctx, &ListUsersOptions{ExternUID: Ptr("42")})
	assert.ErrorIs(t, err, ErrInvalidArgument)
	for _, err := range c.Users.ListIter(ctx, &ListUsersOptions{Provider: Ptr("github")}) {
		assert.ErrorIs(t, err, ErrInvalidArgument)
	}

	both := base()
	both.ExternUID, both.Provider = Ptr("42"), Ptr("github")
	require.NoError(t, both.validate())
	require.NoError(t, (*UpdateUserOptions)(nil).validate())
	require.NoError(t, (*ListUsersOptions)(nil).validate())
}

// An ISODate read from a timestamp is that timestamp's calendar date at
// midnight UTC, as Time documents.
func TestISODateFromTimestamp(t *testing.T) {
	for in, want := range map[string]string{
		`"2017-04-04"`:                "2017-04-04",
		`"2017-04-04T23:30:00-05:00"`: "2017-04-04",
		`"2017-04-04T00:30:00+02:00"`: "2017-04-04",
		`"2017-04-04T08:00:00.123Z"`:  "2017-04-04",
	} {
		var d ISODate
		require.NoError(t, json.Unmarshal([]byte(in), &d), in)
		assert.Equal(t, want, d.String(), in)
		y, m, day := d.Time().Date()
		assert.Equal(t, time.Date(y, m, day, 0, 0, 0, 0, time.UTC), d.Time(), in)
	}
	var d ISODate
	assert.Error(t, json.Unmarshal([]byte(`"04/04/2017"`), &d))
	assert.NoError(t, json.Unmarshal([]byte(`null`), &d))
}
