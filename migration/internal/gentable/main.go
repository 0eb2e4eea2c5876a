// Command gentable writes table_gen.go from the migration table in
// ../README.md. Run it from the migration directory: go generate ./...
package main

import (
	"log"
	"os"

	"github.com/gitlabusers/gitlab/migration/internal/readmetable"
)

func main() {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		log.Fatal(err)
	}
	rows, err := readmetable.Parse(readme)
	if err != nil {
		log.Fatal(err)
	}
	src, err := readmetable.Render(rows)
	if err != nil {
		// Write it anyway: the compiler then names the broken snippet.
		log.Print(err)
	}
	if err := os.WriteFile("table_gen.go", src, 0o644); err != nil {
		log.Fatal(err)
	}
}
