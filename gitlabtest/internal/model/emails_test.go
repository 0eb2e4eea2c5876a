package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidEmail(t *testing.T) {
	for s, want := range map[string]bool{
		"a@example.com": true, "a.b+c@sub.example.org": true,
		"a@example": false, "example.com": false, "": false, "A <a@example.com>": false,
		" a@example.com": false, "a@@example.com": false,
	} {
		assert.Equal(t, want, ValidEmail(s), s)
	}
}

// TestCreateEmail holds the Email model's validations: a valid address
// no one uses in any way.
func TestCreateEmail(t *testing.T) {
	st, _, users := newTestStore(t, "alice", "bob")
	alice, bob := users[0], users[1]
	e, err := st.CreateEmail(alice, "alice2@example.com", false, now)
	require.NoError(t, err)
	assert.Equal(t, Email{ID: 4, UserID: alice.ID, Email: "alice2@example.com", CreatedAt: now}, *e)
	c, err := st.CreateEmail(alice, "alice3@example.com", true, now)
	require.NoError(t, err)
	assert.Equal(t, &now, c.ConfirmedAt)
	bob.UnconfirmedEmail = "bob.new@example.com"

	taken := map[string][]string{"email": {"has already been taken"}}
	for addr, want := range map[string]map[string][]string{
		"alice@example":        {"email": {"is invalid"}},
		"Bob <b@example.com>":  {"email": {"is invalid"}},
		"BOB@example.com":      taken, // another user's primary email, in any case
		"alice@example.com":    taken, // the user's own primary
		"alice2@example.com":   taken, // an unconfirmed secondary
		"Alice3@Example.com":   taken, // a confirmed one
		"bob.new@example.com":  taken, // an unconfirmed primary
		"root@example.com":     taken,
		"bob.other@example.co": nil,
	} {
		before := len(st.Emails(0))
		e, err := st.CreateEmail(bob, addr, false, now)
		if want == nil {
			require.NoError(t, err, addr)
			assert.Equal(t, addr, e.Email)
			assert.Equal(t, bob.ID, e.UserID)
			assert.Len(t, st.Emails(0), before+1)
			continue
		}
		assert.Nil(t, e, addr)
		invalidAs(t, err, want)
		assert.Len(t, st.Emails(0), before, addr)
	}
}

// TestEmailRemoval: the primary email cannot be deleted, a secondary
// one can, and its address is free again.
func TestEmailRemoval(t *testing.T) {
	st, _, users := newTestStore(t, "alice")
	alice := users[0]
	primary := st.PrimaryEmail(alice)
	require.NotNil(t, primary)
	refusedAs(t, st.CheckEmailRemoval(primary), BadRequest, "Cannot delete primary email")
	assert.False(t, st.CheckEmailRemoval(primary).(*Error).Service)

	e, err := st.CreateEmail(alice, "alice2@example.com", true, now)
	require.NoError(t, err)
	assert.NoError(t, st.CheckEmailRemoval(e))
	st.DeleteEmail(e.ID)
	assert.Equal(t, []*Email{primary}, st.UserEmails(alice.ID))
	_, err = st.CreateEmail(alice, "alice2@example.com", false, now)
	assert.NoError(t, err)
}
