package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The helpers of the domain layer's tests.

var now = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// newTestStore returns a store with an administrator (ID 1) and the
// users named, active and plain, with IDs from 2 in order.
func newTestStore(t *testing.T, usernames ...string) (*Store, *User, []*User) {
	t.Helper()
	st := NewStore()
	admin := st.AddUser(&User{UserData: UserData{Username: "root", Email: "root@example.com", Admin: true}, State: StateActive}, new(Email), now)
	var users []*User
	for _, n := range usernames {
		users = append(users, st.AddUser(&User{UserData: UserData{Username: n, Email: n + "@example.com"}, State: StateActive}, new(Email), now))
	}
	return st, admin, users
}

func ptr[T any](v T) *T { return &v }

// asError asserts that err is a *Error and returns it.
func asError(t *testing.T, err error) *Error {
	t.Helper()
	var e *Error
	require.ErrorAs(t, err, &e)
	return e
}

// refusedAs asserts that err is a *Error of kind k with text.
func refusedAs(t *testing.T, err error, k Kind, text string) {
	t.Helper()
	e := asError(t, err)
	assert.Equal(t, [2]any{k, text}, [2]any{e.Kind, e.Text})
}

// refusedFully is refusedAs that also checks who worded the refusal.
func refusedFully(t *testing.T, err error, k Kind, text string, service bool) {
	t.Helper()
	e := asError(t, err)
	assert.Equal(t, [3]any{k, text, service}, [3]any{e.Kind, e.Text, e.Service})
}

// invalidAs asserts that err is an Invalid *Error with exactly fields.
func invalidAs(t *testing.T, err error, fields map[string][]string) {
	t.Helper()
	e := asError(t, err)
	assert.Equal(t, Invalid, e.Kind)
	assert.Equal(t, fields, e.Fields)
}
