#!/usr/bin/env bash
# Measures examples/access-review against cmd/gitlabfake holding USERS
# users (10,000 by default), seeded by ./main.go: the requests it sends
# (its last line of progress), the wall time, the peak live heap (the largest heap
# at the start of a GC cycle, from GODEBUG=gctrace=1) and the peak RSS
# (/usr/bin/time). Run from anywhere:
#
#   bench/accessreview/run.sh            # USERS=10000
#   USERS=100000 bench/accessreview/run.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
USERS=${USERS:-10000}
tmp=$(mktemp -d)
trap 'kill "${fake:-0}" 2>/dev/null || true; rm -rf "$tmp"' EXIT

(cd "$root/bench" && go run ./accessreview -users "$USERS") > "$tmp/seed.json"
(cd "$root" && go build -o "$tmp/gitlabfake" ./cmd/gitlabfake && go build -o "$tmp/access-review" ./examples/access-review)

"$tmp/gitlabfake" -seed "$tmp/seed.json" -json -token glpat-review-admin-0001 > "$tmp/ready" &
fake=$!
for _ in $(seq 600); do
	[ -s "$tmp/ready" ] && break
	kill -0 "$fake" 2>/dev/null || { echo "gitlabfake exited" >&2; exit 1; }
	sleep 0.1
done
url=$(sed -E 's/.*"url":"([^"]*)".*/\1/' "$tmp/ready")

start=$(date +%s.%N)
GITLAB_URL=$url GITLAB_TOKEN=glpat-review-admin-0001 GODEBUG=gctrace=1 \
	/usr/bin/time -v "$tmp/access-review" -format jsonl > "$tmp/review.jsonl" 2> "$tmp/stderr"
end=$(date +%s.%N)

rows=$(wc -l < "$tmp/review.jsonl")
heap=$(grep -oE '[0-9]+->[0-9]+->[0-9]+ MB' "$tmp/stderr" | cut -d- -f1 | sort -n | tail -1)
rss=$(grep 'Maximum resident set size' "$tmp/stderr" | grep -oE '[0-9]+$')
grep -oE '[0-9]+ groups?, .* read$|[0-9]+ audit events? .* read$|[0-9]+ users? reviewed, .* sent$' "$tmp/stderr" || true
printf 'users %s, rows %s, wall %.1f s, peak heap %s MB, peak RSS %d MB\n' \
	"$USERS" "$rows" "$(echo "$end - $start" | bc)" "${heap:-?}" "$((rss / 1024))"
