#!/usr/bin/env bash
# Runs the gitlabtest benchmarks of issue 14 (BenchmarkFake..., in
# fake_test.go) and writes the raw output, the CPU profile of the keyset
# export of 100,000 users and the benchstat tables to bench/results-fake/
# (or $1). The benchmarks use only gitlabtest's public API and the SDK,
# so the same script runs against the code before the change:
#
#   bench/fake.sh                          # COUNT=6 by default
#   COUNT=1 QUICK=1 bench/fake.sh /tmp/fake-smoke   # smoke run, ~2 minutes
#
#   # before and after, on a quiet machine (run from the repository root):
#   git worktree add /tmp/fake-before <commit before the change, e.g. git merge-base main fakeperf>
#   cp bench/fake_test.go bench/fake.sh /tmp/fake-before/bench/
#   /tmp/fake-before/bench/fake.sh /tmp/fake-before-results
#   BEFORE=/tmp/fake-before-results bench/fake.sh /tmp/fake-after-results
#   git worktree remove --force /tmp/fake-before
#
# With BEFORE set, tables.md also compares before and after. Before the
# change, an export of 100,000 users takes about 2 minutes, so COUNT=6
# spends some 25 minutes on exports and the profile (3 exports) 6 more;
# EXPORT_COUNT (default COUNT) and PROFILE_EXPORTS (default 3) lower them.
set -euo pipefail
cd "$(dirname "$0")"
OUT=$(mkdir -p "${1:-results-fake}" && cd "${1:-results-fake}" && pwd)
COUNT=${COUNT:-6}
EXPORT_COUNT=${EXPORT_COUNT:-$COUNT}
PROFILE_EXPORTS=${PROFILE_EXPORTS:-3}
BENCHSTAT_VERSION=v0.0.0-20260908200009-22c9c6c9d4da # golang.org/x/perf has no tags

# benchtimes: single calls, the 16-goroutine runs, GenerateUsers
if [[ -n "${QUICK:-}" ]]; then BT_CALL=100ms BT_PAR=200ms BT_GEN=1x
else BT_CALL=1s BT_PAR=3s BT_GEN=5x; fi

go install "golang.org/x/perf/cmd/benchstat@${BENCHSTAT_VERSION}"
BENCHSTAT="$(go env GOBIN)"; BENCHSTAT="${BENCHSTAT:-$(go env GOPATH)/bin}/benchstat"

mkdir -p "$OUT/raw" "$OUT/prof"
{
	go version
	echo "nproc: $(nproc)"
	grep -m1 'model name' /proc/cpuinfo || true
	echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
	echo "benchstat: golang.org/x/perf@${BENCHSTAT_VERSION}"
	echo "count: $COUNT (export: $EXPORT_COUNT); benchtime: calls $BT_CALL, parallel $BT_PAR, generate $BT_GEN, export 1x; profile: $PROFILE_EXPORTS exports"
	date -u +%FT%TZ
} >"$OUT/machine.txt"

go test -c -o "$OUT/fake.test" .
bench() { # pattern benchtime count [extra flags]
	local pat=$1 bt=$2 n=$3; shift 3
	"$OUT/fake.test" -test.run '^$' -test.bench "$pat" -test.benchtime "$bt" -test.count "$n" "$@"
}

echo "== GenerateUsers" >&2
bench '^BenchmarkFakeGenerate$' "$BT_GEN" "$COUNT" | tee "$OUT/raw/fake.txt" >&2
echo "== Users.Get and one page, by size" >&2
bench '^BenchmarkFake(GetUser|ListPage)$' "$BT_CALL" "$COUNT" | tee -a "$OUT/raw/fake.txt" >&2
echo "== 1 and 16 goroutines" >&2
bench '^BenchmarkFakeParallel$' "$BT_PAR" "$COUNT" | tee -a "$OUT/raw/fake.txt" >&2
echo "== keyset exports" >&2
bench '^BenchmarkFakeExport$' 1x "$EXPORT_COUNT" | tee -a "$OUT/raw/fake.txt" >&2

echo "== profile of the keyset export of 100,000 users" >&2
# The profile covers the whole process: the fixture's GenerateUsers(100000)
# too (see export.shares.txt for its share), then PROFILE_EXPORTS exports.
(cd "$OUT/prof" && "$OUT/fake.test" -test.run '^$' -test.bench '^BenchmarkFakeExport$/^users=100000$/^client=sdk$' \
	-test.benchtime "${PROFILE_EXPORTS}x" -test.count 1 -test.cpuprofile export.cpu >export.bench.txt)
go tool pprof -top -nodecount=40 "$OUT/fake.test" "$OUT/prof/export.cpu" >"$OUT/prof/export.cpu.top.txt" 2>/dev/null
go tool pprof -top -cum -nodecount=40 "$OUT/fake.test" "$OUT/prof/export.cpu" >"$OUT/prof/export.cpu.cum.txt" 2>/dev/null
share() { # label focus-regexp: the share of the samples under the frames matching it
	printf '%-58s %s\n' "$1" "$(go tool pprof -top -nodecount=1000000 -focus="$2" "$OUT/fake.test" "$OUT/prof/export.cpu" 2>/dev/null |
		sed -n 's/^Showing nodes accounting for //p')"
}
{
	echo "Share of the CPU samples of the export profile, by where they were taken:"
	share "the fake (HTTP server goroutines: net/http.(*conn).serve)" 'net/http\.\(\*conn\)\.serve'
	share "  of which gitlabtest's handler (serveHTTP)" 'gitlabtest\.\(\*Server\)\.serveHTTP'
	share "the SDK (ListIter and its page fetches)" 'gitlab\.\(\*Client\)|gitlab\.\(\*UsersService\)|gitlab\.list|gitlab\.fetch|persistConn'
	share "the garbage collector's background workers" 'gcBgMarkWorker'
	share "setup: GenerateUsers(100000) of the fixture" 'GenerateUsers'
} >"$OUT/prof/export.shares.txt"
cat "$OUT/prof/export.shares.txt" >&2

echo "== tables" >&2
section() { printf '\n### %s\n\n```\n' "$1"; shift; "$BENCHSTAT" "$@" | sed '/^goos:/d;/^goarch:/d;/^pkg:/d'; printf '```\n'; }
RAW="$OUT/raw/fake.txt"
{
	echo "# gitlabtest benchmark tables ($(date -u +%F))"
	echo; echo '```'; cat "$OUT/machine.txt"; echo '```'
	section "Users.Get, by number of users (goal: 100,000 <= 1.2x 100)" -filter '.name:FakeGetUser' -col /users "$RAW"
	section "One page of 20 users of GET /users, by number of users (goal: 100,000 <= 1.2x 100)" -filter '.name:FakeListPage' -row /pagination,/pos -col /users "$RAW"
	section "Keyset export, 100 per page: SDK and raw HTTP (goal: 100,000 users <= 5 s, fake's share < 1/2)" -filter '.name:FakeExport' -row /users -col /client "$RAW"
	section "1 and 16 goroutines, Users.Get and a page alternately (goal: 16 >= 1.5x the calls/s of 1)" -filter '.name:FakeParallel' -col /goroutines "$RAW"
	section "GenerateUsers (goal: 100,000 <= 0.5 s and <= 1 KB per user)" -filter '.name:FakeGenerate' -col /users "$RAW"
	if [[ -n "${BEFORE:-}" ]]; then
		echo; echo "## Before and after"
		section "All BenchmarkFake... (before: $BEFORE)" "before=$BEFORE/raw/fake.txt" "after=$RAW"
		if [[ -f "$BEFORE/prof/export.shares.txt" ]]; then
			printf '\n### Export profile shares, before\n\n```\n'; cat "$BEFORE/prof/export.shares.txt"; printf '```\n'
		fi
	fi
	printf '\n### Export profile shares\n\n```\n'; cat "$OUT/prof/export.shares.txt"; printf '```\n'
	printf '\n### Export profile, top 40 (flat)\n\n```\n'; sed -n '1,50p' "$OUT/prof/export.cpu.top.txt"; printf '```\n'
} >"$OUT/tables.md"
echo "wrote $OUT/tables.md" >&2
