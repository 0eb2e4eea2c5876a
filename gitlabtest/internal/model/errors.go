package model

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Kind says why GitLab refused an operation. The HTTP layer maps each
// Kind to a status code in one place.
type Kind int

const (
	// NotFound: the resource named by Error.Text ("User", "Key", ...)
	// does not exist or may not be seen (not_found!).
	NotFound Kind = iota + 1
	// Unauthorized: the caller must sign in (unauthorized!); with a
	// Text, the token presented is no longer valid and Text says why
	// (lib/api/api_guard.rb's invalid_token answer).
	Unauthorized
	// Forbidden: the caller may not do this (forbidden!, or a service's
	// :forbidden).
	Forbidden
	// BadRequest: the request cannot be carried out as asked
	// (bad_request!, or a service's :bad_request).
	BadRequest
	// Conflict: the operation clashes with the current state
	// (conflict!, or a service's :conflict).
	Conflict
	// Invalid: the model's validations failed; Error.Fields holds the
	// messages by attribute (render_validation_error!).
	Invalid
	// Unprocessable: the model refused the record as a whole (a
	// service's :unprocessable_entity).
	Unprocessable
	// InsufficientScope: the token lacks every scope that would allow
	// the request; Text names them, space-separated
	// (lib/api/api_guard.rb's insufficient_scope answer).
	InsufficientScope
	// MethodNotAllowed: the request is not allowed for this kind of
	// caller or token (not_allowed!).
	MethodNotAllowed
	// Internal: GitLab's own code fails on this request (an exception
	// lib/api/api.rb does not rescue: 500); Text says why, for logs.
	Internal
)

// Error is a refusal by one of GitLab's rules.
type Error struct {
	Kind Kind
	// Text is GitLab's own words: for NotFound the name of what is
	// missing, otherwise the reason (empty for a bare refusal).
	Text string
	// Service marks a refusal worded by one of GitLab's services or
	// models, which the API renders as it is (render_api_error!). A
	// refusal without it comes from a guard of the API itself
	// (forbidden!, bad_request!), which prefixes the status.
	Service bool
	// Fields are the validation messages of an Invalid error, by
	// attribute, in GitLab's order.
	Fields map[string][]string
	// Record marks an exception of ActiveRecord that lib/api/api.rb
	// rescues rather than a refusal of the API: a NotFound is
	// RecordNotFound (a find or find_by! that found nothing), an Invalid
	// is RecordInvalid (a save! or update! whose validations failed),
	// answered with the errors' full messages.
	Record bool
}

// Error describes the refusal for logs and test failures; the HTTP
// layer renders it (gitlabtest's refusal), not this text.
func (e *Error) Error() string {
	if e.Kind == Invalid {
		return fmt.Sprintf("invalid: %v", e.Fields)
	}
	return fmt.Sprintf("refused (%d): %s", e.Kind, e.Text)
}

// Refusals of the API's guards, and of GitLab's services.

func notFound(what string) *Error { return &Error{Kind: NotFound, Text: what} }
func forbidden(reason string) *Error {
	return &Error{Kind: Forbidden, Text: reason}
}
func badRequest(reason string) *Error { return &Error{Kind: BadRequest, Text: reason} }

// recordNotFound is ActiveRecord::RecordNotFound.
func recordNotFound() *Error { return &Error{Kind: NotFound, Record: true} }

// refused is a service's error: its message goes out as it is.
func refused(k Kind, text string) *Error { return &Error{Kind: k, Text: text, Service: true} }

// Errors collects model validation messages by attribute.
type Errors struct{ m map[string][]string }

// Add records a message for attr.
func (f *Errors) Add(attr, text string) {
	if f.m == nil {
		f.m = map[string][]string{}
	}
	f.m[attr] = append(f.m[attr], text)
}

// Err returns an Invalid *Error holding the messages, or nil if there
// are none.
func (f *Errors) Err() error {
	if len(f.m) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Fields: f.m}
}

// RecordErr is Err for a save! or update!: the messages are raised as
// ActiveRecord::RecordInvalid (Error.Record).
func (f *Errors) RecordErr() error {
	err := f.Err()
	if err != nil {
		err.(*Error).Record = true
	}
	return err
}

// FullMessages are the messages of an Invalid error as ActiveModel's
// errors.full_messages words them ("Value can't be blank"), by
// attribute name.
func (e *Error) FullMessages() []string {
	var out []string
	for _, attr := range slices.Sorted(maps.Keys(e.Fields)) {
		name := strings.ReplaceAll(attr, "_", " ")
		name = strings.ToUpper(name[:1]) + name[1:]
		for _, m := range e.Fields[attr] {
			out = append(out, name+" "+m)
		}
	}
	return out
}
