package bench

import (
	"os"
	"testing"
	"time"
)

// BenchmarkPodCreates: 16 clients create 3,000 small pods in one namespace
// as fast as they can, speaking JSON (content=json, as kubectl) or
// protobuf (content=protobuf, as the daemons). The clients are client-go's
// (clients=client-go), which spend about as much CPU per create as the
// server under test, or lean ones (clients=lean) that send bodies encoded
// before timing and do not decode the answers, leaving the cores to the
// server and etcd. Reported: creates/s (pods
// over the wall time from the first create to the last response) and the
// p50/p99 latency of one create. Each iteration is one such run on a
// fresh etcd and apiserver; ns/op is its wall time. Also reported, per
// create: the CPU time of the server, of etcd and of the clients (this
// process), which share the machine's cores.
func BenchmarkPodCreates(b *testing.B) {
	forEachServer(b, func(b *testing.B, k kind) {
		for _, name := range []string{"json", "protobuf"} {
			for _, lean := range []bool{false, true} {
				clients := "client-go"
				if lean {
					clients = "lean"
				}
				b.Run("content="+name+"/clients="+clients, func(b *testing.B) {
					b.StopTimer()
					measureCreates(b, k, codecs[name], lean)
				})
			}
		}
	})
}

// measureCreates is BenchmarkPodCreates on server k with clients speaking
// media type m, lean ones if lean.
func measureCreates(b *testing.B, k kind, m codec, lean bool) {
	var (
		all                latencies
		wall               time.Duration
		server, etcd, load time.Duration
	)
	for range b.N {
		ctx := scenarioContext(b)
		s, clients := freshServerOf(ctx, b, k, m)
		var (
			leanClients []*leanClient
			bodies      [][]byte
			err         error
		)
		if lean {
			if leanClients, err = newLeanClients(ctx, s, concurrentClients, m); err != nil {
				b.Fatalf("%s: %v", k, err)
			}
			if bodies, err = encodePods(podCount, m); err != nil {
				b.Fatal(err)
			}
		}
		wait := startProfile(ctx, b, s, "creates")
		etcdPID, err := etcdServing(s.etcd)
		if err != nil {
			b.Fatal(err)
		}
		pids := []int{s.pid(), etcdPID, os.Getpid()}
		before, err := cpuTimes(pids)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		var (
			l latencies
			w time.Duration
		)
		if lean {
			l, w, err = createPodsLean(ctx, leanClients, bodies)
		} else {
			l, w, err = createPods(ctx, clients, podCount)
		}
		b.StopTimer()
		wait()
		if err != nil {
			b.Fatalf("%s: %v", k, err)
		}
		after, err := cpuTimes(pids)
		if err != nil {
			b.Fatal(err)
		}
		if err := checkPodCount(ctx, clients[0], podCount); err != nil {
			b.Fatalf("%s: %v", k, err)
		}
		server += after[0] - before[0]
		etcd += after[1] - before[1]
		load += after[2] - before[2]
		s.stop()
		all, wall = append(all, l...), wall+w
	}
	b.ReportMetric(float64(len(all))/wall.Seconds(), "creates/s")
	b.ReportMetric(ms(all.quantile(0.50)), "p50-ms")
	b.ReportMetric(ms(all.quantile(0.99)), "p99-ms")
	// The CPU time per create: what the create rate costs, steadier
	// than the rate on a machine shared with others.
	perCreate := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(len(all)) }
	b.ReportMetric(perCreate(server), "server-cpu-us/create")
	b.ReportMetric(perCreate(etcd), "etcd-cpu-us/create")
	b.ReportMetric(perCreate(load), "client-cpu-us/create")
}
