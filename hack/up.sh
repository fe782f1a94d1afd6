#!/usr/bin/env bash
# make up: builds the six daemons, starts them on this machine with their
# upstream ports, and shows each one answering its health and metrics
# endpoints. Logs and pids go to _output/local; `make down` stops them.
#
# Until kube-apiserver serves the API, this is the daemons' scaffolding, not
# yet a cluster: the controllers run without leader election and the
# kubelet standalone.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=$root/_output/bin
state=$root/_output/local
make -s build
"$root/hack/down.sh" >/dev/null 2>&1 || true
mkdir -p "$state/logs" "$state/pids" "$state/certs"

api=https://127.0.0.1:6443
declare -A args=(
	[kube-apiserver]="--cert-dir=$state/certs --bind-address=127.0.0.1"
	[kube-scheduler]="--master=$api --leader-elect=false --bind-address=127.0.0.1"
	[kube-controller-manager]="--master=$api --leader-elect=false --bind-address=127.0.0.1"
	[cloud-controller-manager]="--master=$api --leader-elect=false --bind-address=127.0.0.1"
	[kubelet]="--address=127.0.0.1 --cert-dir=$state/certs"
	[kube-proxy]="--master=$api --healthz-bind-address=127.0.0.1:10256"
)
# The endpoint each daemon's health and metrics are checked on.
declare -A endpoint=(
	[kube-apiserver]=https://127.0.0.1:6443
	[kube-scheduler]=https://127.0.0.1:10259
	[kube-controller-manager]=https://127.0.0.1:10257
	[cloud-controller-manager]=https://127.0.0.1:10258
	[kubelet]=https://127.0.0.1:10250
	[kube-proxy]=http://127.0.0.1:10249
)
order=(kube-apiserver kube-scheduler kube-controller-manager cloud-controller-manager kubelet kube-proxy)

for d in "${order[@]}"; do
	# shellcheck disable=SC2086
	nohup "$bin/$d" ${args[$d]} >"$state/logs/$d.log" 2>&1 &
	echo $! >"$state/pids/$d"
done

probe() { curl -ks -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true; }
failed=0
printf '%-26s %-28s %-6s %-7s %-8s\n' DAEMON ENDPOINT LIVEZ READYZ METRICS
for d in "${order[@]}"; do
	url=${endpoint[$d]}
	for _ in $(seq 50); do
		[ "$(probe "$url/readyz")" = 200 ] && break
		kill -0 "$(cat "$state/pids/$d")" 2>/dev/null || break
		sleep 0.2
	done
	l=$(probe "$url/livez"); r=$(probe "$url/readyz"); m=$(probe "$url/metrics")
	printf '%-26s %-28s %-6s %-7s %-8s\n' "$d" "$url" "$l" "$r" "$m"
	if [ "$l$r$m" != 200200200 ]; then
		failed=1
		echo "  $d is not healthy; its log ($state/logs/$d.log):"
		tail -5 "$state/logs/$d.log" | sed 's/^/    /'
	fi
done
if [ $failed -ne 0 ]; then
	echo "some daemons are not healthy; 'make down' stops the rest" >&2
	exit 1
fi
echo
echo "All six daemons are up (logs in $state/logs). 'make down' stops them."
echo "kube-apiserver does not serve the API yet: the cluster itself comes with it."
