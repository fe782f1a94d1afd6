package bench

import (
	"os"
	"slices"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/apiserver/storage/etcdtest"
)

// BenchmarkPodCreates: 16 clients create 3,000 small pods in one namespace
// as fast as they can, speaking JSON (content=json, as kubectl) or
// protobuf (content=protobuf, as the daemons). The clients are client-go's
// (clients=client-go), which spend about as much CPU per create as the
// server under test, or lean ones (clients=lean) that send bodies encoded
// before timing and do not decode the answers, leaving the cores to the
// server and etcd.
//
// Each iteration runs skiff's and upstream's server back to back, each on
// a fresh etcd, taking turns to go first, so that both see the machine in
// the same mood: its speed drifts from minute to minute. Reported for each
// server (skiff-…, upstream-…): creates/s (pods over the wall time from the
// first create to the last response), the p50/p99 latency of one create,
// and per create the CPU time of the server, of etcd and of the clients
// (this process), which share the machine's cores. creates-ratio is skiff's
// rate over upstream's over all iterations; ratio-min and ratio-median are
// the lowest and the median of the iterations' pairs. ns/op is the two
// runs' wall time.
func BenchmarkPodCreates(b *testing.B) {
	for _, content := range contents {
		for _, lean := range []bool{false, true} {
			clients := "client-go"
			if lean {
				clients = "lean"
			}
			b.Run("content="+content.name+"/clients="+clients, func(b *testing.B) {
				b.StopTimer()
				runs := map[kind]*createRuns{}
				for _, k := range kinds {
					runs[k] = &createRuns{}
				}
				var ratios []float64
				for i := range b.N {
					order := slices.Clone(kinds)
					if i%2 == 1 {
						slices.Reverse(order)
					}
					rate := map[kind]float64{}
					for _, k := range order {
						r := runCreates(b, k, content.codec, lean)
						runs[k].add(r)
						rate[k] = r.rate()
					}
					ratios = append(ratios, rate[skiff]/rate[upstream])
				}
				for _, k := range kinds {
					runs[k].report(b, string(k)+"-")
				}
				b.ReportMetric(runs[skiff].rate()/runs[upstream].rate(), "creates-ratio")
				b.ReportMetric(slices.Min(ratios), "ratio-min")
				b.ReportMetric(median(ratios), "ratio-median")
			})
		}
	}
}

// createRun is one create run's measurements.
type createRun struct {
	latencies          latencies
	wall               time.Duration
	server, etcd, load time.Duration // CPU time of each process
}

// rate is creates per second.
func (r *createRun) rate() float64 { return float64(len(r.latencies)) / r.wall.Seconds() }

// createRuns pools the runs of one server.
type createRuns struct{ createRun }

func (rs *createRuns) add(r createRun) {
	rs.latencies = append(rs.latencies, r.latencies...)
	rs.wall += r.wall
	rs.server += r.server
	rs.etcd += r.etcd
	rs.load += r.load
}

// report reports the pooled figures, each name prefixed.
func (rs *createRuns) report(b *testing.B, prefix string) {
	b.ReportMetric(rs.rate(), prefix+"creates/s")
	b.ReportMetric(ms(rs.latencies.quantile(0.50)), prefix+"p50-ms")
	b.ReportMetric(ms(rs.latencies.quantile(0.99)), prefix+"p99-ms")
	// The CPU time per create: what the create rate costs, steadier
	// than the rate on a machine shared with others.
	perCreate := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(len(rs.latencies)) }
	b.ReportMetric(perCreate(rs.server), prefix+"server-cpu-us/create")
	b.ReportMetric(perCreate(rs.etcd), prefix+"etcd-cpu-us/create")
	b.ReportMetric(perCreate(rs.load), prefix+"client-cpu-us/create")
}

// runCreates runs the create scenario once on a fresh server k with clients
// speaking media type m, lean ones if lean, and checks that every pod is
// there afterwards.
func runCreates(b *testing.B, k kind, m codec, lean bool) createRun {
	ctx := scenarioContext(b)
	s, clients := freshServerOf(ctx, b, k, m)
	defer s.stop()
	var (
		leanClients []*leanClient
		bodies      [][]byte
		err         error
	)
	if lean {
		if leanClients, err = newLeanClients(ctx, s, concurrentClients, m); err != nil {
			b.Fatalf("%s: %v", k, err)
		}
		defer closeLean(leanClients)
		if bodies, err = encodePods(podCount, m); err != nil {
			b.Fatal(err)
		}
	}
	wait := startProfile(ctx, b, s, "creates")
	etcdPID, ok := etcdtest.PID(s.etcd)
	if !ok {
		b.Fatalf("no etcd of etcdtest serves %s", s.etcd)
	}
	pids := []int{s.pid(), etcdPID, os.Getpid()}
	before, err := cpuTimes(pids)
	if err != nil {
		b.Fatal(err)
	}
	var r createRun
	b.StartTimer()
	if lean {
		r.latencies, r.wall, err = createPodsLean(ctx, leanClients, bodies)
	} else {
		r.latencies, r.wall, err = createPods(ctx, clients, podCount)
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
	r.server, r.etcd, r.load = after[0]-before[0], after[1]-before[1], after[2]-before[2]
	return r
}
