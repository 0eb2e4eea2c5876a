// Package migration is a module of its own that checks README's
// "Migrating from client-go" section and the docs' client-go examples
// against client-go v2.64.0, so that the SDK's module never depends on
// client-go:
//
//   - table_gen.go is generated from the migration table in ../README.md
//     and compiles every snippet of it, both sides; table_test.go fails when
//     README and table_gen.go disagree, so an edited row is compiled too.
//   - clientgo_test.go is the README's "Testing client-go code with
//     gitlabtest" example: a client-go v2 program run against gitlabtest.
//   - gitlabfake_test.go is the client-go recipe of
//     ../docs/testing-with-gitlabfake.md: client-go v2 against the
//     gitlabfake binary, seeded from ../docs/recipes/seed.json and reset
//     between tests.
//
// After editing the table, run go generate ./... in this directory.
package migration

//go:generate go run ./internal/gentable
