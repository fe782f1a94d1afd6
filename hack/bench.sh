#!/usr/bin/env bash
# Runs every Go benchmark in the workspace and prints one JSON line per
# figure: {"package":…,"benchmark":…,"iterations":…,"ns/op":…,…}.
# BENCH selects benchmarks (default .), BENCHTIME their duration.
set -euo pipefail
cd "$(dirname "$0")/.."
bench=${BENCH:-.}
benchtime=${BENCHTIME:-1s}
go test -run '^$' -bench "$bench" -benchtime "$benchtime" -benchmem \
	$(go list github.com/skiff-dev/skiff/... | grep -v '/test$') 2>&1 | awk '
/^pkg: / { pkg = $2; next }
/^Benchmark/ {
	name = $1; sub(/-[0-9]+$/, "", name)
	line = sprintf("{\"package\":\"%s\",\"benchmark\":\"%s\",\"iterations\":%s", pkg, name, $2)
	for (i = 3; i + 1 <= NF; i += 2) line = line sprintf(",\"%s\":%s", $(i+1), $i)
	print line "}"
	next
}
/^(FAIL|panic:|--- FAIL)/ { print > "/dev/stderr"; failed = 1 }
END { exit failed }
'
