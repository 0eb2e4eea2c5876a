package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSupportPIN: a PIN has six digits and lives seven days; GET
// serves it until then, a revoke makes it expire at once.
func TestSupportPIN(t *testing.T) {
	st, _, users := newTestStore(t, "jane")
	jane := users[0]

	_, err := st.LiveSupportPIN(jane, now)
	refusedAs(t, err, NotFound, "Support PIN not found or expired")
	refusedAs(t, st.RevokeSupportPIN(jane, now), NotFound, "Support PIN not found or already expired")

	p := st.CreateSupportPIN(jane, now)
	assert.Regexp(t, `^[1-9][0-9]{5}$`, p.PIN)
	assert.Equal(t, now.Add(7*24*time.Hour), p.ExpiresAt)
	assert.Same(t, p, jane.SupportPIN)

	got, err := st.LiveSupportPIN(jane, p.ExpiresAt.Add(-time.Second))
	require.NoError(t, err)
	assert.Equal(t, p.PIN, got.PIN)
	_, err = st.LiveSupportPIN(jane, p.ExpiresAt)
	refusedAs(t, err, NotFound, "Support PIN not found or expired")
	refusedAs(t, st.RevokeSupportPIN(jane, p.ExpiresAt), NotFound, "Support PIN not found or already expired")

	later := now.Add(time.Hour)
	require.NoError(t, st.RevokeSupportPIN(jane, later))
	assert.Equal(t, later, jane.SupportPIN.ExpiresAt)
	_, err = st.LiveSupportPIN(jane, later)
	refusedAs(t, err, NotFound, "Support PIN not found or expired")

	again := st.CreateSupportPIN(jane, later)
	assert.Equal(t, later.Add(SupportPINTTL), again.ExpiresAt, "a new PIN replaces the revoked one")
}
