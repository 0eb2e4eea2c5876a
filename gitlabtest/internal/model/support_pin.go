package model

import (
	"crypto/rand"
	"math/big"
	"strconv"
	"time"
)

// Support PINs: lib/api/users.rb's support_pin endpoints and
// Users::SupportPin::{UpdateService,RetrieveService,RevokeService}.

// SupportPINTTL is how long a support PIN lasts (Users::SupportPin's
// SUPPORT_PIN_EXPIRATION, counted from creation as a fake should).
const SupportPINTTL = 7 * 24 * time.Hour

// CreateSupportPIN is POST /user/support_pin: a new random six-digit
// PIN for u, replacing any other, expiring SupportPINTTL after now.
func (st *Store) CreateSupportPIN(u *User, now time.Time) *SupportPIN {
	n, _ := rand.Int(rand.Reader, big.NewInt(900000))
	u.SupportPIN = &SupportPIN{PIN: strconv.FormatInt(100000+n.Int64(), 10), ExpiresAt: now.Add(SupportPINTTL)}
	return u.SupportPIN
}

// LiveSupportPIN returns u's support PIN unless there is none or it
// expired at now. Reads only.
func (st *Store) LiveSupportPIN(u *User, now time.Time) (*SupportPIN, error) {
	if p := u.SupportPIN; p != nil && p.ExpiresAt.After(now) {
		return p, nil
	}
	return nil, notFound("Support PIN not found or expired")
}

// RevokeSupportPIN is POST /users/:id/support_pin/revoke: u's live PIN
// expires at now.
func (st *Store) RevokeSupportPIN(u *User, now time.Time) error {
	if _, err := st.LiveSupportPIN(u, now); err != nil {
		return notFound("Support PIN not found or already expired")
	}
	u.SupportPIN.ExpiresAt = now
	return nil
}
