#!/usr/bin/env bash
# make up: builds skiff, starts a local cluster on this machine — etcd,
# kube-apiserver, kube-scheduler, kube-controller-manager,
# cloud-controller-manager, kubelet and kube-proxy on their upstream ports —
# and shows it working with the real kubectl. Logs, pids, certificates and
# the admin kubeconfig go to _output/local; `make down` stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=$root/_output/bin
state=$root/_output/local
hack/install-deps.sh
make -s build
go build -o "$bin/kubectl" ./test/tools/kubectl # upstream's kubectl, to show the cluster
"$root/hack/down.sh" >/dev/null 2>&1 || true
rm -rf "$state"
mkdir -p "$state/logs" "$state/pids" "$state/certs" "$state/etcd"

start() { # name, command...
	local name=$1; shift
	nohup "$@" >"$state/logs/$name.log" 2>&1 &
	echo $! >"$state/pids/$name"
}
probe() { curl -ks -o /dev/null -w '%{http_code}' --max-time 2 "$@" || true; }
wait_ready() { # name url [curl args]
	local name=$1 url=$2; shift 2
	for _ in $(seq 100); do
		[ "$(probe "$@" "$url")" = 200 ] && return 0
		kill -0 "$(cat "$state/pids/$name")" 2>/dev/null || break
		sleep 0.2
	done
	echo "$name did not become ready; its log ($state/logs/$name.log):" >&2
	tail -20 "$state/logs/$name.log" >&2
	return 1
}

token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
echo "$token,admin,admin,\"system:masters\"" >"$state/tokens.csv"
cat >"$state/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: skiff
  cluster: {server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true}
contexts:
- name: skiff
  context: {cluster: skiff, user: admin}
current-context: skiff
users:
- name: admin
  user: {token: "$token"}
KC
kc=$state/kubeconfig

start etcd etcd --name skiff --data-dir "$state/etcd" \
	--listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
	--listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
	--initial-cluster skiff=http://127.0.0.1:2380 --log-level error
wait_ready etcd http://127.0.0.1:2379/health

start kube-apiserver "$bin/kube-apiserver" --etcd-servers=http://127.0.0.1:2379 \
	--bind-address=127.0.0.1 --cert-dir="$state/certs" \
	--token-auth-file="$state/tokens.csv" --authorization-mode=RBAC
wait_ready kube-apiserver https://127.0.0.1:6443/readyz -H "Authorization: Bearer $token"

common=(--kubeconfig="$kc" --bind-address=127.0.0.1)
start kube-scheduler "$bin/kube-scheduler" "${common[@]}"
start kube-controller-manager "$bin/kube-controller-manager" "${common[@]}"
start cloud-controller-manager "$bin/cloud-controller-manager" "${common[@]}"
start kubelet "$bin/kubelet" --kubeconfig="$kc" --address=127.0.0.1 --cert-dir="$state/certs"
start kube-proxy "$bin/kube-proxy" --kubeconfig="$kc" --healthz-bind-address=127.0.0.1:10256

declare -A endpoint=(
	[kube-apiserver]=https://127.0.0.1:6443
	[kube-scheduler]=https://127.0.0.1:10259
	[kube-controller-manager]=https://127.0.0.1:10257
	[cloud-controller-manager]=https://127.0.0.1:10258
	[kubelet]=https://127.0.0.1:10250
	[kube-proxy]=http://127.0.0.1:10249
)
failed=0
printf '%-26s %-28s %-6s %-7s %-8s\n' DAEMON ENDPOINT LIVEZ READYZ METRICS
for d in kube-apiserver kube-scheduler kube-controller-manager cloud-controller-manager kubelet kube-proxy; do
	url=${endpoint[$d]}
	auth=(-H "Authorization: Bearer $token")
	wait_ready "$d" "$url/readyz" "${auth[@]}" || failed=1
	printf '%-26s %-28s %-6s %-7s %-8s\n' "$d" "$url" "$(probe "${auth[@]}" "$url/livez")" \
		"$(probe "${auth[@]}" "$url/readyz")" "$(probe "${auth[@]}" "$url/metrics")"
done
[ $failed -eq 0 ] || { echo "some daemons are not healthy; 'make down' stops the rest" >&2; exit 1; }

k() { echo "\$ kubectl $*"; "$bin/kubectl" --kubeconfig="$kc" "$@"; echo; }
echo
k get namespaces
k get services -A
k create deployment web --image=registry.local/web:1.0 --replicas=2
k get deployments
# The three control-plane daemons elect their leaders on Leases.
for _ in $(seq 50); do
	n=$("$bin/kubectl" --kubeconfig="$kc" get leases -n kube-system -o name 2>/dev/null | wc -l)
	[ "$n" -ge 3 ] && break
	sleep 0.2
done
k get leases -n kube-system
echo "The cluster is up. kubectl: $bin/kubectl --kubeconfig=$kc"
echo "Not built yet: the scheduler, controllers, kubelet pods and kube-proxy rules (see README.md)."
