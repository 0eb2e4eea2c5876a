package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCustomAttributes(t *testing.T) {
	st, _, users := newTestStore(t, "alice")
	u := users[0]

	_, err := st.CustomAttribute(u, "team")
	assert.Equal(t, &Error{Kind: NotFound, Record: true}, err)
	refusedAs(t, st.DeleteCustomAttribute(u, "team"), NotFound, "Custom attribute")
	assert.False(t, err.(*Error).Service)

	// A blank value is RecordInvalid, and nothing is stored.
	err = st.SetCustomAttribute(u, "team", "")
	assert.Equal(t, &Error{Kind: Invalid, Record: true, Fields: map[string][]string{"value": {"can't be blank"}}}, err)
	assert.Equal(t, []string{"Value can't be blank"}, err.(*Error).FullMessages())
	assert.Nil(t, u.CustomAttributes)

	require.NoError(t, st.SetCustomAttribute(u, "team", "core"))
	require.NoError(t, st.SetCustomAttribute(u, "site", "lab"))
	require.NoError(t, st.SetCustomAttribute(u, "team", "infra")) // an update
	assert.Equal(t, map[string]string{"team": "infra", "site": "lab"}, u.CustomAttributes)
	v, err := st.CustomAttribute(u, "team")
	require.NoError(t, err)
	assert.Equal(t, "infra", v)
	require.Error(t, st.SetCustomAttribute(u, "team", ""))
	require.Error(t, st.SetCustomAttribute(u, "team", " \t"), "whitespace is blank")
	assert.Equal(t, "infra", u.CustomAttributes["team"])

	require.NoError(t, st.DeleteCustomAttribute(u, "team"))
	assert.Equal(t, map[string]string{"site": "lab"}, u.CustomAttributes)
	_, err = st.CustomAttribute(u, "team")
	assert.Equal(t, &Error{Kind: NotFound, Record: true}, err)
}

func TestFullMessages(t *testing.T) {
	var fe Errors
	fe.Add("value", "can't be blank")
	fe.Add("fingerprint_sha256", "has already been taken")
	fe.Add("fingerprint_sha256", "cannot be generated")
	assert.Equal(t, []string{"Fingerprint sha256 has already been taken", "Fingerprint sha256 cannot be generated", "Value can't be blank"},
		fe.Err().(*Error).FullMessages())
	assert.NoError(t, new(Errors).RecordErr())
	assert.False(t, fe.Err().(*Error).Record)
	assert.True(t, fe.RecordErr().(*Error).Record)
}
