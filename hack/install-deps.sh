#!/usr/bin/env bash
# Installs, from Debian's packages, what skiff's build and tests need and the
# machine lacks. Idempotent; quiet when everything is present.
set -euo pipefail

need=()
# command:package pairs; grows as components need real programs.
# gcc: the race detector (go test -race) needs cgo.
for pair in "git:git" "make:make" "curl:curl" "gcc:gcc" "etcd:etcd-server"; do
	cmd=${pair%%:*}; pkg=${pair##*:}
	command -v "$cmd" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
	echo "installing: ${need[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
