package model

import (
	"net/mail"
	"strings"
	"time"
)

// Email addresses: the validations of app/models/email.rb and the
// Emails::CreateService and Emails::DestroyService rules.

// CreateEmail is Emails::CreateService: it adds addr as a secondary
// email of u, confirmed at once when confirmed is set (skip_confirmation,
// which only the administrators' endpoint declares). The Email model
// requires a valid address (devise's format) that no user has as a
// primary, unconfirmed primary or secondary email, confirmed or not.
func (st *Store) CreateEmail(u *User, addr string, confirmed bool, now time.Time) (*Email, error) {
	var fe Errors
	if !ValidEmail(addr) {
		fe.Add("email", "is invalid")
	} else if taken, unconf := st.EmailUse(addr, 0); taken || unconf {
		fe.Add("email", "has already been taken")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	var at *time.Time
	if confirmed {
		at = PtrTime(now)
	}
	return st.AddEmail(u.ID, addr, at, now), nil
}

// CheckEmailRemoval is the rule of DELETE /user/emails/:email_id and
// /users/:id/emails/:email_id before the email is destroyed: the
// primary email cannot be deleted.
func (st *Store) CheckEmailRemoval(e *Email) error {
	if e.Primary {
		return badRequest("Cannot delete primary email")
	}
	return nil
}

// ValidEmail reports whether s is an email address as the Email and
// User models accept it: a bare address whose domain has a dot.
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.IndexByte(s, '@'):], ".")
}
