package model

import (
	"slices"
	"time"
)

// Who may see which users: app/policies/user_policy.rb and
// app/finders/users_finder.rb.

// HiddenFromLists reports whether u is left out of user lists for
// non-administrators: UsersFinder keeps blocked, banned and LDAP-blocked
// users for admins only (User.without_forbidden_states).
func (u *User) HiddenFromLists() bool {
	switch u.State {
	case StateBlocked, StateBanned, StateLDAPBlocked:
		return true
	}
	return false
}

// ActivityPeriod is how far back GET /user/activities looks without a
// from date (lib/api/users.rb: 6.months.ago).
const ActivityPeriod = 6

// Activities is GET /user/activities (lib/api/users.rb, with
// Users::ActivityFinder): the users active since the day of from (six
// months ago by default), by ascending last activity; users with a
// private profile are left out for others than themselves and
// administrators. Reads only.
func (st *Store) Activities(actor *User, from *time.Time, now time.Time) []*User {
	since := DayOf(now.AddDate(0, -ActivityPeriod, 0))
	if from != nil {
		since = DayOf(*from)
	}
	var out []*User
	for _, u := range st.byID {
		if u.LastActivityOn == nil || u.LastActivityOn.Before(since) {
			continue
		}
		if !CanReadProfile(actor, u) {
			continue
		}
		out = append(out, u)
	}
	slices.SortStableFunc(out, func(a, b *User) int { return a.LastActivityOn.Compare(*b.LastActivityOn) })
	return out
}
