// Package bench holds the benchmark suite that compares the SDK with a
// hand-written net/http + encoding/json client and with
// gitlab.com/gitlab-org/api/client-go. Everything lives in _test.go
// files; run ./run.sh (see ../BENCHMARKS.md).
package bench
