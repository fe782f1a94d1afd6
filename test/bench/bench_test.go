package bench

import (
	"context"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
)

// scenarioTimeout bounds one measurement on one server.
const scenarioTimeout = 5 * time.Minute

// settleTimeout bounds the wait for a fresh server to go idle.
const settleTimeout = 30 * time.Second

// forEachServer runs measure as the sub-benchmarks server=skiff and
// server=upstream. measure runs with the timer stopped; it starts the timer
// only around the part it measures.
func forEachServer(b *testing.B, measure func(b *testing.B, k kind)) {
	for _, k := range kinds {
		b.Run("server="+string(k), func(b *testing.B) {
			b.StopTimer()
			measure(b, k)
		})
	}
}

// freshServer starts a fresh etcd and apiserver of k, creates the bench
// namespace and returns the server with concurrentClients warm JSON
// clients.
func freshServer(ctx context.Context, b *testing.B, k kind) (*apiserver, []kubernetes.Interface) {
	b.Helper()
	return freshServerOf(ctx, b, k, jsonCodec)
}

// freshServerOf is freshServer with clients speaking media type m.
func freshServerOf(ctx context.Context, b *testing.B, k kind, m codec) (*apiserver, []kubernetes.Interface) {
	b.Helper()
	s := startAPIServer(b, k)
	if err := createNamespace(ctx, s); err != nil {
		b.Fatalf("%s: %v", k, err)
	}
	clients, err := newClients(ctx, s, concurrentClients, m)
	if err == nil {
		// A server still busy starting up after the timeout is measured
		// as it is.
		_, err = settle(ctx, s.pid(), settleTimeout)
	}
	if err != nil {
		b.Fatalf("%s: %v", k, err)
	}
	return s, clients
}

// withPods is freshServer with podCount pods created (untimed).
func withPods(ctx context.Context, b *testing.B, k kind) (*apiserver, []kubernetes.Interface) {
	b.Helper()
	s, clients := freshServer(ctx, b, k)
	if _, _, err := createPods(ctx, clients, podCount); err != nil {
		b.Fatalf("%s: %v", k, err)
	}
	return s, clients
}

func scenarioContext(b *testing.B) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), scenarioTimeout)
	b.Cleanup(cancel)
	return ctx
}
