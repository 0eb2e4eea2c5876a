#!/usr/bin/env bash
# Paired CPU ratios of alternating runs: within each round (one run of the
# bench binary, starting at its "goos:" line) ours ÷ the reference, then
# the median, min and max over the rounds. The reference of GetUser is
# the hand-written baseline, that of ListUsers the faster client-go (v1
# or v2) of the same round.
#
#   bench/paired.sh ab-after.txt
set -euo pipefail
awk '
/^goos:/ { r++ }
/^Benchmark(GetUser|ListUsers)\// {
	split($1, p, "/"); bench = substr(p[1], 10); impl = substr(p[2], 6); tr = p[3]; sub(/-[0-9]+$/, "", tr); sub(/transport=/, "", tr)
	for (i = 2; i < NF; i++) if ($(i+1) == "cpu-ns/op") cpu[r, bench, tr, impl] = $i
	rounds = r
}
function median(a, n,   i, j, t) {
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
	return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
END {
	split("GetUser ListUsers", benches, " "); split("loopback mem", trs, " ")
	for (b = 1; b <= 2; b++) for (t = 1; t <= 2; t++) {
		n = 0; delete x
		for (i = 1; i <= rounds; i++) {
			ours = cpu[i, benches[b], trs[t], "ours"]
			if (benches[b] == "GetUser") { ref = cpu[i, benches[b], trs[t], "baseline"]; name = "baseline" }
			else {
				ref = cpu[i, benches[b], trs[t], "clientgo"]; v2 = cpu[i, benches[b], trs[t], "clientgo2"]
				if (v2 != "" && v2 < ref) ref = v2
				name = "faster client-go"
			}
			if (ours == "" || ref == "") continue
			x[++n] = ours / ref
		}
		if (n == 0) continue
		lo = x[1]; hi = x[1]; for (i = 1; i <= n; i++) { if (x[i] < lo) lo = x[i]; if (x[i] > hi) hi = x[i] }
		printf "%s %s ours/%s paired cpu ratio: median %.3f min %.3f max %.3f n=%d\n", benches[b], trs[t], name, median(x, n), lo, hi, n
	}
}' "$@"
