package migration

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/gitlabusers/gitlab/migration/internal/readmetable"
)

// TestTableInSync fails when README's migration table and table_gen.go
// differ: an edited row must be regenerated (go generate ./...), and is then
// compiled with the rest of this package.
func TestTableInSync(t *testing.T) {
	rows, want, err := readmetable.FromFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("table_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("table_gen.go is out of date with README.md's migration table: run go generate ./... in migration/")
	}
	if len(tableRows) != len(rows) {
		t.Fatalf("table_gen.go has %d rows, README %d", len(tableRows), len(rows))
	}
}

// TestREADMEShowsClientGoTest checks that README shows clientgo_test.go as
// it is.
func TestREADMEShowsClientGoTest(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("clientgo_test.go")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```go\n"+string(src)+"```\n") {
		t.Error("README.md does not show migration/clientgo_test.go verbatim in a go code block")
	}
}
