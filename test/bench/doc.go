// Package bench measures skiff's kube-apiserver side by side with upstream's
// kube-apiserver v1.31.3 under the same load from the real client-go: pod
// creates from 16 concurrent clients, full LISTs of 3,000 pods, a watch
// fan-out to 50 watchers, and the server's resident memory. Every
// measurement gets a fresh etcd and a fresh apiserver process.
//
// The figures are Go benchmarks reported with b.ReportMetric; run them with
//
//	BENCH='PodCreates|PodList|WatchFanout|APIServerMemory' BENCHTIME=1x make bench
//
// Nothing here runs without -bench: the package's tests only check its
// arithmetic. See README.md for what each figure means.
package bench
