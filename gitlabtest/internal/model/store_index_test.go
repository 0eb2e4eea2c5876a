package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestOwnedListsFollowAddsAndDeletes: a user's keys, GPG keys, emails
// and tokens are kept by owner, in ID order, through adds, deletes and
// the user's deletion, and no other user's show up.
func TestOwnedListsFollowAddsAndDeletes(t *testing.T) {
	st, _, users := newTestStore(t, "ann", "ben")
	ann, ben := users[0].ID, users[1].ID
	k1 := st.AddSSHKey(ann, "a1", "ssh-ed25519 AAAA a1", "auth", nil, now)
	st.AddSSHKey(ben, "b1", "ssh-ed25519 AAAA b1", "auth", nil, now)
	k2 := st.AddSSHKey(ann, "a2", "ssh-ed25519 AAAA a2", "auth", nil, now)
	g := st.AddGPGKey(ann, "gpg", now)
	e := st.AddEmail(ann, "ann@two.example", nil, now)
	before := len(st.Tokens(ann))
	tok := st.AddToken(ann, "t", []string{"api"}, false, nil, "", now)

	assert.Equal(t, []*SSHKey{k1, k2}, st.SSHKeys(ann))
	assert.Equal(t, []*GPGKey{g}, st.GPGKeys(ann))
	assert.Contains(t, st.Emails(ann), e)
	assert.Equal(t, tok, st.Tokens(ann)[before])
	assert.Len(t, st.SSHKeys(0), 3, "0 lists everyone's")

	st.DeleteSSHKey(k1.ID)
	st.DeleteGPGKey(g.ID)
	st.DeleteEmail(e.ID)
	assert.Equal(t, []*SSHKey{k2}, st.SSHKeys(ann))
	assert.Empty(t, st.GPGKeys(ann))
	assert.NotContains(t, st.Emails(ann), e)

	st.DeleteUser(ann)
	assert.Empty(t, st.SSHKeys(ann))
	assert.Empty(t, st.Tokens(ann))
	assert.Empty(t, st.Emails(ann))
	assert.Len(t, st.SSHKeys(ben), 1)
	assert.Nil(t, st.TokenBySecret(tok.Token))
}
