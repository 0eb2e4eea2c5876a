package gitlab

import (
	"fmt"
	"log/slog"
)

// Secret is a value GitLab sends once and that must not end up in a log:
// the Token of a new PersonalAccessToken or ImpersonationToken, a
// runner's authentication token (UserRunner.Token), a support PIN.
//
// Read it with Value. Everything else shows it as "REDACTED" (or as
// nothing when it is empty): fmt with any verb, log/slog's handlers,
// encoding/json, encoding.TextMarshaler. A Secret keeps its value behind
// a pointer, so even fmt's printing of a caller's unexported field,
// which calls no method, shows an address and not the value; and it
// cannot be compared with ==, which would compare the pointers: compare
// Value()s.
//
// Because json.Marshal writes "REDACTED", a token marshalled to JSON
// and read back has lost its secret: to store a secret, write Value().
type Secret struct {
	_ [0]func() // not comparable: == would compare the pointers
	v *string
}

// NewSecret returns a Secret holding s, e.g. for a test's fixture.
func NewSecret(s string) Secret {
	if s == "" {
		return Secret{}
	}
	return Secret{v: &s}
}

// Value returns the secret itself, e.g. to store it or to pass it to
// NewClient. It is "" when GitLab did not send one.
func (s Secret) Value() string {
	if s.v == nil {
		return ""
	}
	return *s.v
}

// IsZero reports whether the secret is empty; json's omitzero uses it.
func (s Secret) IsZero() bool { return s.Value() == "" }

// shown is what every printing of s shows.
func (s Secret) shown() string {
	if s.IsZero() {
		return ""
	}
	return "REDACTED"
}

// String returns "REDACTED", or "" for an empty secret.
func (s Secret) String() string { return s.shown() }

// GoString is String quoted, for %#v.
func (s Secret) GoString() string { return fmt.Sprintf("%q", s.shown()) }

// Format implements fmt.Formatter: every verb formats "REDACTED" (or
// "") as it would a string.
func (s Secret) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, fmt.FormatString(f, verb), s.shown())
}

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.shown()) }

// MarshalJSON writes "REDACTED" (or ""), so that log handlers that
// encode values with encoding/json, such as slog's JSONHandler for a
// struct or a slice holding a token, do not write the secret.
func (s Secret) MarshalJSON() ([]byte, error) { return jsonMarshal(s.shown()) }

// MarshalText writes "REDACTED" (or ""), for encoders and loggers that
// use encoding.TextMarshaler.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.shown()), nil }

// UnmarshalJSON reads a JSON string (null is an empty secret).
func (s *Secret) UnmarshalJSON(b []byte) error {
	var v *string
	if err := jsonUnmarshal(b, &v); err != nil {
		return err
	}
	if v == nil {
		*s = Secret{}
		return nil
	}
	*s = NewSecret(*v)
	return nil
}
