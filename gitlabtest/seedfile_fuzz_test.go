package gitlabtest

import (
	"bytes"
	"errors"
	"os"
	"testing"
)

// FuzzLoadSeed: whatever the file, LoadSeed stores it or refuses it
// with a *SeedError on a line of the file; it never panics, and a
// refused file leaves the store as it was.
func FuzzLoadSeed(f *testing.F) {
	sample, err := os.ReadFile("../cmd/gitlabfake/testdata/seed.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sample)
	f.Add([]byte(`{"users": [{"username": "a", "token": "t", "tokens": [{"token": "t"}]}],
		"groups": [{"path": "g", "members": [{"username": "A", "access_level": 10}]}, {"path": "h", "parent": "G"}],
		"projects": [{"path": "p", "group": "g/H", "members": [{"username": "a", "access_level": 40}]}]}`))
	f.Add([]byte(`{"users": [{"username": "a", "admin": "yes"}]}`))
	f.Add([]byte("{\"users\": [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &Server{}
		s.hot.Store(&hotConfig{})
		s.st = s.newStore()
		err := s.LoadSeed(bytes.NewReader(data))
		if err == nil {
			return
		}
		var se *SeedError
		if !errors.As(err, &se) {
			t.Fatalf("not a *SeedError: %v", err)
		}
		if se.Line < 1 || se.Line > 1+bytes.Count(data, []byte("\n")) {
			t.Fatalf("line %d of a %d-line file: %v", se.Line, 1+bytes.Count(data, []byte("\n")), err)
		}
		if s.st.UserCount() != 1 || len(s.st.Groups()) != 0 || len(s.st.Tokens(0)) != 1 {
			t.Fatalf("a refused seed stored something: %v", err)
		}
	})
}
