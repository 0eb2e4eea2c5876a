package model

import (
	"maps"
	"slices"
	"time"
)

// User status: Users::SetStatusService (app/services/users/set_status_service.rb),
// the UserStatus model (app/models/user_status.rb) and the status
// endpoints of lib/api/users.rb.

// The defaults of Users::SetStatusService, and the availabilities of
// UserStatus.
const (
	DefaultStatusEmoji = "speech_balloon"
	AvailabilityNotSet = "not_set"
	AvailabilityBusy   = "busy"
)

// clearStatusAfter is UserStatus::CLEAR_STATUS_QUICK_OPTIONS: the
// values of clear_status_after and how long each keeps a status.
var clearStatusAfter = map[string]time.Duration{
	"30_minutes": 30 * time.Minute, "3_hours": 3 * time.Hour, "8_hours": 8 * time.Hour,
	"1_day": 24 * time.Hour, "3_days": 72 * time.Hour, "7_days": 7 * 24 * time.Hour, "30_days": 30 * 24 * time.Hour,
}

// ClearStatusAfterOptions returns the values clear_status_after may
// take, sorted.
func ClearStatusAfterOptions() []string { return slices.Sorted(maps.Keys(clearStatusAfter)) }

// MaxStatusMessage is the longest status message UserStatus accepts
// (validates :message, length: { maximum: 100 }), in characters.
const MaxStatusMessage = 100

// StatusChange holds the parameters of PUT or PATCH /user/status; nil
// is a parameter not sent. ClearStatusAfter, when sent, is one of
// ClearStatusAfterOptions (the API declares them).
type StatusChange struct {
	Emoji, Message, Availability, ClearStatusAfter *string
}

// SetUserStatus is Users::SetStatusService for u at now, with every
// parameter (PUT: patch false, a parameter not sent is nil) or only
// those sent (PATCH: patch true). It returns the status set, or nil
// when it cleared the status or, for a PATCH that sent nothing, did
// nothing at all (lib/api/users.rb breaks out early).
//
// A status is cleared (status_cleared?) when the parameters received
// have no emoji, no message (blank counts as none) and no availability
// but not_set: this looks at the parameters, not at the stored status,
// so a PATCH of only clear_status_after deletes it. Otherwise a blank
// or missing emoji is speech_balloon and a missing availability
// not_set; message and clear_status_at not sent by a PATCH are kept
// from the current status, and cleared by a PUT. The status is then
// validated as UserStatus does (app/models/user_status.rb): the emoji
// must be one GitLab knows (ValidEmojiName) and a message that is not
// blank at most MaxStatusMessage characters; a refusal leaves the
// stored status as it was.
func (st *Store) SetUserStatus(u *User, ch StatusChange, patch bool, now time.Time) (*Status, error) {
	if patch && ch == (StatusChange{}) {
		return nil, nil
	}
	none := func(p *string) bool { return p == nil || blank(*p) }
	if none(ch.Emoji) && none(ch.Message) && (ch.Availability == nil || *ch.Availability == AvailabilityNotSet) {
		u.SetStatus(nil)
		return nil, nil
	}
	cur := Status{Availability: AvailabilityNotSet}
	if s := u.CurrentStatus(now); patch && s != nil {
		cur.Message, cur.ClearStatusAt = s.Message, s.ClearStatusAt
	}
	if ch.Emoji != nil {
		cur.Emoji = *ch.Emoji
	}
	if ch.Message != nil {
		cur.Message = *ch.Message
	}
	if ch.Availability != nil {
		cur.Availability = *ch.Availability
	}
	if ch.ClearStatusAfter != nil {
		cur.ClearStatusAt = PtrTime(now.Add(clearStatusAfter[*ch.ClearStatusAfter]))
	}
	if blank(cur.Emoji) {
		cur.Emoji = DefaultStatusEmoji
	}
	var fe Errors
	if !ValidEmojiName(cur.Emoji) {
		fe.Add("emoji", "is not a valid emoji name")
	}
	if !blank(cur.Message) && tooLong(cur.Message, MaxStatusMessage) {
		fe.Add("message", "is too long (maximum is 100 characters)")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	u.SetStatus(&cur)
	return &cur, nil
}
