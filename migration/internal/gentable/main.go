// Command gentable writes table_gen.go from the migration table in
// ../README.md. Run it from the migration directory: go generate ./...
package main

import (
	"log"
	"os"

	"github.com/gitlabusers/gitlab/migration/internal/readmetable"
)

func main() {
	_, src, err := readmetable.FromFile("../README.md")
	if src == nil {
		log.Fatal(err)
	}
	if err != nil {
		// Write it anyway: the compiler then names the broken snippet.
		log.Print(err)
	}
	if err := os.WriteFile("table_gen.go", src, 0o644); err != nil {
		log.Fatal(err)
	}
}
