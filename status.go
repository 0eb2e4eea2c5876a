package gitlab

import (
	"context"
	"net/http"
	"time"
)

// StatusService reads and sets user status: emoji, message and availability.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#get-the-status-of-a-user
type StatusService service

// Availability says whether a user is available. It is part of a
// UserStatus and of SetStatusOptions.
type Availability string

// The availabilities GitLab knows.
const (
	AvailabilityNotSet Availability = "not_set" // no availability set (GitLab's default)
	AvailabilityBusy   Availability = "busy"    // shown as "(Busy)" next to the user's name
)

func (Availability) known() []string {
	return []string{string(AvailabilityNotSet), string(AvailabilityBusy)}
}

// ClearStatusAfter is how long a status set with StatusService.Set
// lasts before GitLab clears it.
type ClearStatusAfter string

// The intervals GitLab accepts for clear_status_after; any other value
// is rejected with 400.
const (
	ClearStatusAfter30Minutes ClearStatusAfter = "30_minutes"
	ClearStatusAfter3Hours    ClearStatusAfter = "3_hours"
	ClearStatusAfter8Hours    ClearStatusAfter = "8_hours"
	ClearStatusAfter1Day      ClearStatusAfter = "1_day"
	ClearStatusAfter3Days     ClearStatusAfter = "3_days"
	ClearStatusAfter7Days     ClearStatusAfter = "7_days"
	ClearStatusAfter30Days    ClearStatusAfter = "30_days"
)

func (ClearStatusAfter) known() []string {
	return []string{string(ClearStatusAfter30Minutes), string(ClearStatusAfter3Hours), string(ClearStatusAfter8Hours), string(ClearStatusAfter1Day), string(ClearStatusAfter3Days), string(ClearStatusAfter7Days), string(ClearStatusAfter30Days)}
}

// UserStatus is a user's status. When the user has no status, GitLab
// sends every field as null, so every field here is zero.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#get-the-status-of-a-user
type UserStatus struct {
	// Emoji is the name of the status emoji, e.g. "coffee".
	Emoji string `json:"emoji"`
	// Availability is AvailabilityBusy when the user is busy.
	Availability Availability `json:"availability"`
	// Message is the status text as written, emoji codes included.
	Message string `json:"message"`
	// MessageHTML is Message rendered as HTML.
	MessageHTML string `json:"message_html"`
	// ClearStatusAt is when GitLab clears the status; nil when it stays
	// until changed.
	ClearStatusAt *time.Time `json:"clear_status_at"`
}

// SetStatusOptions are the parameters of StatusService.Set. Every field
// is optional, but a field left nil is cleared (see StatusService.Set).
//
// GitLab API docs: https://docs.gitlab.com/api/users/#set-your-user-status
type SetStatusOptions struct {
	// Emoji is the name of an emoji, e.g. "coffee". GitLab uses
	// "speech_balloon" when a message is set without an emoji; an
	// unknown name is rejected with 400.
	Emoji *string `url:"emoji,omitempty"`
	// Message is the status text (at most 100 characters); it may
	// contain emoji codes such as :coffee:.
	Message *string `url:"message,omitempty"`
	// Availability marks the user busy or not.
	Availability *Availability `url:"availability,omitempty"`
	// ClearStatusAfter makes GitLab clear the status after the interval.
	ClearStatusAfter *ClearStatusAfter `url:"clear_status_after,omitempty"`
}

// UpdateStatusOptions are the parameters of StatusService.Update. Only
// the fields that are set are sent.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#set-your-user-status
type UpdateStatusOptions struct {
	// Emoji is the name of an emoji, e.g. "coffee".
	Emoji *string `url:"emoji,omitempty"`
	// Message is the status text (at most 100 characters).
	Message *string `url:"message,omitempty"`
	// Availability marks the user busy or not.
	Availability *Availability `url:"availability,omitempty"`
	// ClearStatusAfter makes GitLab clear the status after the interval.
	ClearStatusAfter *ClearStatusAfter `url:"clear_status_after,omitempty"`
}

// Get returns the current user's status. Any authenticated user may
// call it.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#get-your-user-status
func (s *StatusService) Get(ctx context.Context, opts ...RequestOption) (*UserStatus, *Response, error) {
	return do[*UserStatus](ctx, s.client, http.MethodGet, at("user", "status"), nil, opts)
}

// GetForUser returns the status of a user named by ID or username. It
// needs no authentication. GitLab matches usernames case-insensitively.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#get-the-status-of-a-user
func (s *StatusService) GetForUser(ctx context.Context, user UserRef, opts ...RequestOption) (*UserStatus, *Response, error) {
	return do[*UserStatus](ctx, s.client, http.MethodGet, at("users", user, "status"), nil, opts)
}

// Set replaces the current user's status and returns the new one. Any
// authenticated user may call it.
//
// Set sends PUT, which replaces the whole status: every field left nil
// in opt is cleared. An empty (or nil) opt therefore clears the status
// entirely, which is how to remove one. To change only the message,
// send the emoji and availability again too.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#set-your-user-status
func (s *StatusService) Set(ctx context.Context, opt *SetStatusOptions, opts ...RequestOption) (*UserStatus, *Response, error) {
	return do[*UserStatus](ctx, s.client, http.MethodPut, at("user", "status"), opt, opts)
}

// Update changes the fields of the current user's status that opt sets
// and returns the new status. Any authenticated user may call it.
//
// Update sends PATCH: message and clear_status_after are kept when not
// sent, but GitLab still resets an unsent emoji to "speech_balloon" and
// an unsent availability to not_set. When no emoji and no message
// remain and the user is not busy, GitLab deletes the status and
// answers null: Update then returns an empty UserStatus and no error.
// An empty (or nil) opt changes nothing.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#set-your-user-status
func (s *StatusService) Update(ctx context.Context, opt *UpdateStatusOptions, opts ...RequestOption) (*UserStatus, *Response, error) {
	// The same PATCH applied twice leaves the same status: safe to retry.
	st, resp, err := do[*UserStatus](ctx, s.client, http.MethodPatch, at("user", "status").markIdempotent().allowNull(), opt, opts)
	if err == nil && st == nil {
		st = &UserStatus{}
	}
	return st, resp, err
}
