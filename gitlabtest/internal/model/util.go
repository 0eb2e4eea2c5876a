package model

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// RandomHex returns n random bytes in hex: the random part of secrets.
func RandomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// AllDigits reports whether s is a non-empty run of ASCII digits: an ID
// where GitLab takes an ID or a path.
func AllDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// PtrTime returns a pointer to a copy of t.
func PtrTime(t time.Time) *time.Time { return &t }

// DayOf returns midnight UTC of t's day (in UTC): GitLab's dates.
func DayOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
