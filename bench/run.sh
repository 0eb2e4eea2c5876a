#!/usr/bin/env bash
# Runs the whole benchmark suite in one go and writes the raw output, the
# CPU/allocation profiles of the missed goals and the benchstat tables to
# bench/results/ (or $1). About 12 minutes on a 2-core machine.
#
#   bench/run.sh            # COUNT=8 by default
#   COUNT=1 QUICK=1 bench/run.sh /tmp/smoke   # smoke run, ~1 minute
#   ONLY_AB=1 bench/run.sh /tmp/ab             # A and B only (raw/suite.txt), ~3 minutes
set -euo pipefail
cd "$(dirname "$0")"
OUT=$(mkdir -p "${1:-results}" && cd "${1:-results}" && pwd)
COUNT=${COUNT:-8}
BENCHSTAT_VERSION=v0.0.0-20260908200009-22c9c6c9d4da # golang.org/x/perf has no tags

# benchtimes: A/B calls, C/D whole-scenario ops, decoder micro-benchmarks
if [[ -n "${QUICK:-}" ]]; then BT_CALL=100ms BT_OP=1x BT_DEC=100ms BT_PROF=200ms
else BT_CALL=1s BT_OP=3x BT_DEC=500ms BT_PROF=3s; fi

go install "golang.org/x/perf/cmd/benchstat@${BENCHSTAT_VERSION}"
BENCHSTAT="$(go env GOBIN)"; BENCHSTAT="${BENCHSTAT:-$(go env GOPATH)/bin}/benchstat"

mkdir -p "$OUT/raw" "$OUT/prof"
{
	go version
	echo "nproc: $(nproc)"
	grep -m1 'model name' /proc/cpuinfo || true
	echo "benchstat: golang.org/x/perf@${BENCHSTAT_VERSION}"
	echo "count: $COUNT; benchtime: calls $BT_CALL, scenarios $BT_OP, decoders $BT_DEC"
	date -u +%FT%TZ
} >"$OUT/machine.txt"

go test -c -o "$OUT/bench.test" .
GOEXPERIMENT=jsonv2 go test -c -o "$OUT/bench-goexp.test" .
bench() { # binary pattern benchtime [extra flags]
	local bin=$1 pat=$2 bt=$3; shift 3
	"$bin" -test.run '^$' -test.bench "$pat" -test.benchtime "$bt" -test.count "$COUNT" "$@"
}

echo "== A, B: one call" >&2
bench "$OUT/bench.test" '^Benchmark(GetUser|ListUsers)$' "$BT_CALL" | tee "$OUT/raw/suite.txt" >&2
if [[ -n "${ONLY_AB:-}" ]]; then rm -f "$OUT/bench.test" "$OUT/bench-goexp.test"; exit 0; fi
echo "== C: iterate 10,000 users" >&2
bench "$OUT/bench.test" '^BenchmarkListIter10k$' "$BT_OP" | tee -a "$OUT/raw/suite.txt" >&2
echo "== D: connections" >&2
bench "$OUT/bench.test" '^BenchmarkConns$' "$BT_OP" | tee -a "$OUT/raw/suite.txt" >&2

echo "== pacing: 2,000 calls, 16 goroutines, 600 requests per 1 s window" >&2
bench "$OUT/bench.test" '^BenchmarkPacing$' 1x | tee "$OUT/raw/pacing.txt" >&2

echo "== decoders" >&2
bench "$OUT/bench.test" '^BenchmarkDecode' "$BT_DEC" | tee "$OUT/raw/decode.txt" >&2
bench "$OUT/bench-goexp.test" '^BenchmarkDecode' "$BT_DEC" | tee -a "$OUT/raw/decode.txt" >&2

# The peak heap of C follows the GC's pacing (minimum heap goal 4 MiB x
# GOGC/100): the same iterations with GOGC=50.
GOGC=50 bench "$OUT/bench.test" '^BenchmarkListIter10k$/^impl=(ours|clientgo)$' "$BT_OP" |
	sed -E 's#/impl=(ours|clientgo)#/impl=\1-gogc50#' | tee "$OUT/raw/gogc50.txt" >&2

echo "== profiles" >&2
prof() { # name pattern benchtime: a CPU profile, then (separately) an allocation profile
	local name=$1 pat=$2 bt=$3 abt=${4:-200x}
	(cd "$OUT/prof" && "$OUT/bench.test" -test.run '^$' -test.bench "$pat" -test.benchtime "$bt" -test.count 1 \
		-test.cpuprofile "$name.cpu" >"$name.bench.txt" &&
		"$OUT/bench.test" -test.run '^$' -test.bench "$pat" -test.benchtime "$abt" -test.count 1 \
			-test.memprofile "$name.mem" -test.memprofilerate 1 >/dev/null)
	go tool pprof -top -nodecount=30 "$OUT/bench.test" "$OUT/prof/$name.cpu" >"$OUT/prof/$name.cpu.top.txt" 2>/dev/null
	go tool pprof -top -nodecount=30 -sample_index=alloc_objects "$OUT/bench.test" "$OUT/prof/$name.mem" >"$OUT/prof/$name.allocs.top.txt" 2>/dev/null
}
prof getuser-mem '^BenchmarkGetUser$/^impl=ours$/^transport=mem$' "$BT_PROF"
prof listusers-mem '^BenchmarkListUsers$/^impl=ours$/^transport=mem$' "$BT_PROF"
prof listiter '^BenchmarkListIter10k$/^impl=ours$' 3x 1x

echo "== tables" >&2
cat "$OUT/raw/suite.txt" "$OUT/raw/gogc50.txt" >"$OUT/raw/all.txt"
section() { printf '\n## %s\n\n```\n' "$1"; shift; "$BENCHSTAT" "$@" | sed '/^goos:/d;/^goarch:/d;/^pkg:/d'; printf '```\n'; }
{
	echo "# Benchmark tables ($(date -u +%F))"
	echo; echo '```'; cat "$OUT/machine.txt"; echo '```'
	section "A: GET /users/1 (columns vs baseline)" -filter '.name:GetUser' -col '/impl@(baseline ours clientgo clientgo2)' "$OUT/raw/suite.txt"
	section "B: GET /users?per_page=100 (columns vs client-go)" -filter '.name:ListUsers' -col '/impl@(clientgo ours baseline clientgo2)' "$OUT/raw/suite.txt"
	section "C: iterate 10,000 users, 5 ms per page (columns vs client-go)" -filter '.name:ListIter10k' -col '/impl@(clientgo ours ours-conc8 clientgo2)' "$OUT/raw/suite.txt"
	section "D: new TCP connections per 1,000 calls (columns vs baseline)" -filter '.name:Conns' -col '/impl@(baseline ours clientgo clientgo2)' "$OUT/raw/suite.txt"
	section "Decoders (default build): 100 admin users into []*gitlab.User, one into *gitlab.User (columns vs encoding/json)" -filter '.name:DecodeUsers100 OR .name:DecodeUser' -col '/dec@(encoding-json encoding-json-decoder jsonv2 jsonv2-v1opts goccy-go-json)' "$OUT/raw/decode.txt"
	section "Decoders with GOEXPERIMENT=jsonv2 (-goexp; jsonv2 is then the standard library's encoding/json/v2)" -filter '.name:DecodeUsers100 OR .name:DecodeUser' -col '/dec@(encoding-json encoding-json-goexp jsonv2-goexp jsonv2-v1opts-goexp goccy-go-json-goexp)' "$OUT/raw/decode.txt"
	section "Rate-limit pacing: 2,000 calls from 16 goroutines, 600 requests per 1 s window (x-floor: time / the limit's floor)" -filter '.name:Pacing' "$OUT/raw/pacing.txt"
	section "C with GOGC=50: the peak heap follows the GC's pacing" -filter '.name:ListIter10k' -col '/impl@(clientgo ours clientgo-gogc50 ours-gogc50)' "$OUT/raw/all.txt"
} >"$OUT/tables.md"
rm -f "$OUT/bench.test" "$OUT/bench-goexp.test"
echo "wrote $OUT/tables.md" >&2
