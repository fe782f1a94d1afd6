#!/usr/bin/env bash
# Runs every Go benchmark in the workspace and prints one JSON line per
# figure: {"package":…,"benchmark":…,"iterations":…,"ns/op":…,…}.
# BENCH selects benchmarks (default .), BENCHTIME their duration, TIMEOUT
# the limit per package (default 30m: test/bench starts real apiservers).
# Skipped and failed benchmarks are reported on stderr with their messages.
set -euo pipefail
cd "$(dirname "$0")/.."
bench=${BENCH:-.}
benchtime=${BENCHTIME:-1s}
timeout=${TIMEOUT:-30m}
# -v makes go test print why a benchmark was skipped; its log lines come
# before the "--- SKIP:"/"--- FAIL:" line they belong to.
go test -v -run '^$' -bench "$bench" -benchtime "$benchtime" -benchmem -timeout "$timeout" \
	$(go list github.com/skiff-dev/skiff/... | grep -v '/test$') 2>&1 | awk '
/^pkg: / { pkg = $2; next }
/^Benchmark/ && NF >= 4 {
	name = $1; sub(/-[0-9]+$/, "", name)
	line = sprintf("{\"package\":\"%s\",\"benchmark\":\"%s\",\"iterations\":%s", pkg, name, $2)
	for (i = 3; i + 1 <= NF; i += 2) line = line sprintf(",\"%s\":%s", $(i+1), $i)
	print line "}"
	notes = ""
	next
}
/^Benchmark/ { notes = ""; next }
/^[ \t]/ { notes = notes $0 "\n"; next }
/^--- SKIP/ { printf "%s\n%s", $0, notes > "/dev/stderr"; notes = ""; next }
/^(FAIL|panic:|--- FAIL)/ { printf "%s\n%s", $0, notes > "/dev/stderr"; notes = ""; failed = 1 }
END { exit failed }
'
