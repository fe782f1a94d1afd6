#!/usr/bin/env bash
# make down: stops what `make up` started, with SIGTERM, and waits for each
# daemon to exit.
set -euo pipefail
cd "$(dirname "$0")/.."
pids=_output/local/pids
[ -d "$pids" ] || { echo "nothing is running"; exit 0; }
for f in "$pids"/*; do
	[ -e "$f" ] || continue
	pid=$(cat "$f"); name=$(basename "$f")
	if kill -TERM "$pid" 2>/dev/null; then
		for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		if kill -0 "$pid" 2>/dev/null; then
			echo "$name did not stop; killing it"; kill -KILL "$pid" 2>/dev/null || true
		else
			echo "stopped $name"
		fi
	fi
	rm -f "$f"
done
