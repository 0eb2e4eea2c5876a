package gitlab

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Ptr returns a pointer to a copy of v. It fills the optional (pointer)
// fields of options structs: &ListUsersOptions{Active: gitlab.Ptr(true)}.
func Ptr[T any](v T) *T { return &v }

// ListOptions holds the offset pagination parameters that every list
// endpoint accepts. A zero Page or PerPage leaves the choice to GitLab
// (page 1, 20 items; GitLab caps per_page at 100).
//
// GitLab API docs: https://docs.gitlab.com/api/rest/#pagination
type ListOptions struct {
	Page    int `url:"page,omitempty"`
	PerPage int `url:"per_page,omitempty"`
}

func (o *ListOptions) listOptions() *ListOptions { return o }

// pageable is implemented by every options struct that embeds ListOptions.
type pageable interface{ listOptions() *ListOptions }

// Attributes is a set of key/value pairs that GitLab takes as
// name[key]=value parameters, such as custom_attributes[location]=remote.
// A map[string]string value can be assigned to it directly. Keys are
// encoded in sorted order.
type Attributes map[string]string

// EncodeValues implements go-querystring's query.Encoder.
func (a Attributes) EncodeValues(key string, v *url.Values) error {
	keys := make([]string, 0, len(a))
	for k := range a {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v.Add(key+"["+k+"]", a[k])
	}
	return nil
}

// ISODate is a calendar date as GitLab writes it, "2017-04-04". It reads
// both a bare date and a full RFC 3339 timestamp (GitLab sends either,
// depending on the version), and writes the bare date.
type ISODate time.Time

const isoDateLayout = "2006-01-02"

// NewISODate returns the ISODate of the given day.
func NewISODate(year int, month time.Month, day int) ISODate {
	return ISODate(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the calendar date of t in t's own location: 23:30 on
// 4 April in New York is 4 April, although it is already 5 April in UTC.
func DateOf(t time.Time) ISODate {
	y, m, d := t.Date()
	return NewISODate(y, m, d)
}

// Time returns the first instant of d's day in UTC (00:00:00 UTC), in
// whatever time zone the date was written or read: for 2017-04-04 it is
// 2017-04-04T00:00:00Z. Its Date() gives back d's year, month and day.
func (d ISODate) Time() time.Time { return time.Time(d) }

// String returns d as YYYY-MM-DD.
func (d ISODate) String() string { return time.Time(d).Format(isoDateLayout) }

// MarshalJSON writes d as "YYYY-MM-DD".
func (d ISODate) MarshalJSON() ([]byte, error) {
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads "YYYY-MM-DD", an RFC 3339 timestamp, or null.
func (d *ISODate) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if t, ok := parseDateFast(b); ok { // "YYYY-MM-DD" without allocating
		*d = ISODate(t)
		return nil
	}
	var s string
	if err := jsonUnmarshal(b, &s); err != nil {
		return fmt.Errorf("gitlab: ISODate: %w", err)
	}
	t, err := parseDate(s)
	if err != nil {
		return err
	}
	// A timestamp keeps only its calendar date, in its own zone.
	*d = NewISODate(t.Date())
	return nil
}

func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(isoDateLayout, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("gitlab: %q is neither a date (YYYY-MM-DD) nor an RFC 3339 timestamp", s)
	}
	return t, nil
}

// EncodeValues implements go-querystring's query.Encoder, so a date
// parameter is sent as YYYY-MM-DD.
func (d ISODate) EncodeValues(key string, v *url.Values) error {
	v.Set(key, d.String())
	return nil
}

// File is a file to upload with a request, such as a user's avatar. The
// content is read once, when the request is built, so a retry resends
// the same bytes.
type File struct {
	// Name is the file name GitLab sees, e.g. "avatar.png".
	Name string
	// Content is read to its end when the request is built.
	Content io.Reader
}

// parseDateFast parses a quoted "YYYY-MM-DD" JSON string.
func parseDateFast(b []byte) (time.Time, bool) {
	if len(b) != 12 || b[0] != '"' || b[11] != '"' || b[5] != '-' || b[8] != '-' {
		return time.Time{}, false
	}
	num := func(p []byte) (int, bool) {
		n := 0
		for _, c := range p {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(b[1:5])
	m, ok2 := num(b[6:8])
	dd, ok3 := num(b[9:11])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || dd < 1 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), dd, 0, 0, 0, 0, time.UTC)
	if t.Day() != dd {
		return time.Time{}, false
	}
	return t, true
}

// UserRef names a user where GitLab accepts an ID or a username
// (":id_or_username"). It is implemented by UserID and Username only.
type UserRef interface {
	// userRef returns the reference as GitLab reads it (the decimal ID
	// or the username), or an error wrapping ErrInvalidArgument.
	userRef() (string, error)
}

// UserID refers to a user by numeric ID.
type UserID int64

// Username refers to a user by username. One leading "@" is trimmed, so
// "@jane" and "jane" are the same user. In a URL path the username is
// always escaped as a single segment.
type Username string

func (id UserID) userRef() (string, error) {
	if id <= 0 {
		return "", invalidArg("user ID must be positive, got %d", int64(id))
	}
	return strconv.FormatInt(int64(id), 10), nil
}

func (u Username) userRef() (string, error) {
	s := strings.TrimPrefix(string(u), "@")
	if s == "" {
		return "", invalidArg("username must not be empty")
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return "", invalidArg("username %q contains a control character", s)
		}
	}
	return s, nil
}

// GroupRef names a group where GitLab accepts its ID or its full path
// (":id" of /groups/:id). It is implemented by GroupID and GroupPath only.
type GroupRef interface {
	// groupRef returns the reference as GitLab reads it, or an error
	// wrapping ErrInvalidArgument.
	groupRef() (string, error)
}

// GroupID refers to a group by numeric ID.
type GroupID int64

// GroupPath refers to a group by its full path, such as "parent/child".
// In a URL path it is escaped as a single segment ("parent%2Fchild"), as
// GitLab requires.
type GroupPath string

func (id GroupID) groupRef() (string, error)  { return positiveRef("group", int64(id)) }
func (p GroupPath) groupRef() (string, error) { return pathRef("group", string(p)) }

// ProjectRef names a project where GitLab accepts its ID or its full
// path (":id" of /projects/:id). It is implemented by ProjectID and
// ProjectPath only.
type ProjectRef interface {
	// projectRef returns the reference as GitLab reads it, or an error
	// wrapping ErrInvalidArgument.
	projectRef() (string, error)
}

// ProjectID refers to a project by numeric ID.
type ProjectID int64

// ProjectPath refers to a project by its full path, such as
// "group/project". In a URL path it is escaped as a single segment
// ("group%2Fproject").
type ProjectPath string

func (id ProjectID) projectRef() (string, error)  { return positiveRef("project", int64(id)) }
func (p ProjectPath) projectRef() (string, error) { return pathRef("project", string(p)) }

// Source is a group or a project, for the APIs GitLab serves for both
// under /groups/:id/... and /projects/:id/... (members, invitations,
// access requests): GroupID, GroupPath, ProjectID or ProjectPath. A path
// is escaped as one segment, so GroupPath("platform/infra") goes on the
// wire as groups/platform%2Finfra.
type Source interface {
	// sourceRef returns the collection ("groups" or "projects") and the
	// reference as GitLab reads it, or an error wrapping
	// ErrInvalidArgument.
	sourceRef() (kind, ref string, err error)
}

func (id GroupID) sourceRef() (string, string, error) {
	r, err := id.groupRef()
	return "groups", r, err
}

func (p GroupPath) sourceRef() (string, string, error) {
	r, err := p.groupRef()
	return "groups", r, err
}

func (id ProjectID) sourceRef() (string, string, error) {
	r, err := id.projectRef()
	return "projects", r, err
}

func (p ProjectPath) sourceRef() (string, string, error) {
	r, err := p.projectRef()
	return "projects", r, err
}

func positiveRef(what string, id int64) (string, error) {
	if id <= 0 {
		return "", invalidArg("%s ID must be positive, got %d", what, id)
	}
	return strconv.FormatInt(id, 10), nil
}

// pathRef checks a group or project path: not empty, no control
// characters. Slashes are kept; at escapes the whole path as one segment.
func pathRef(what, p string) (string, error) {
	if p == "" {
		return "", invalidArg("%s path must not be empty", what)
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f {
			return "", invalidArg("%s path %q contains a control character", what, p)
		}
	}
	return p, nil
}
