#!/usr/bin/env bash
# make down: stops what `make up` started, with SIGTERM, and waits for each
# daemon to exit (etcd last).
set -euo pipefail
cd "$(dirname "$0")/.."
pids=_output/local/pids
[ -d "$pids" ] || { echo "nothing is running"; exit 0; }
stop() {
	local f=$pids/$1
	[ -e "$f" ] || return 0
	local pid; pid=$(cat "$f")
	if kill -TERM "$pid" 2>/dev/null; then
		for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		if kill -0 "$pid" 2>/dev/null; then
			echo "$1 did not stop; killing it"; kill -KILL "$pid" 2>/dev/null || true
		else
			echo "stopped $1"
		fi
	fi
	rm -f "$f"
}
for d in kube-proxy kubelet cloud-controller-manager kube-controller-manager kube-scheduler kube-apiserver etcd; do
	stop "$d"
done
