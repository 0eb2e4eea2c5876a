package readmetable

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	readme := strings.Join([]string{
		"# x", Marker,
		"| client-go | ours | notes |",
		"|---|---|---|",
		"| `a(1)` `b(x || y)` | `c()` | prose with `code` |",
		"| — | `d()` | |",
		"",
		"| `not(in)` | `the table` |",
	}, "\n")
	rows, err := Parse([]byte(readme))
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{
		{Line: 5, ClientGo: []string{"a(1)", "b(x || y)"}, SDK: []string{"c()"}},
		{Line: 6, SDK: []string{"d()"}},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("Parse = %+v, want %+v", rows, want)
	}
	if _, err := Parse([]byte("| `a()` | `b()` |")); err == nil {
		t.Error("Parse without the marker: no error")
	}
}
