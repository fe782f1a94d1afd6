package storage

import (
	"context"
	"errors"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// fakeGranter grants leases numbered 1, 2, … and records their TTLs.
type fakeGranter struct {
	ttls []int64
	err  error
}

func (f *fakeGranter) Grant(_ context.Context, ttl int64) (*clientv3.LeaseGrantResponse, error) {
	if f.err != nil {
		return nil, f.err
	}
	f.ttls = append(f.ttls, ttl)
	return &clientv3.LeaseGrantResponse{ID: clientv3.LeaseID(len(f.ttls)), TTL: ttl}, nil
}

type countObserver struct{ observed []float64 }

func (c *countObserver) Observe(v float64) { c.observed = append(c.observed, v) }

func TestLeaseReuse(t *testing.T) {
	type call struct {
		after  time.Duration // since the previous call
		ttl    int64
		wantID clientv3.LeaseID
	}
	tests := []struct {
		name     string
		calls    []call
		wantTTLs []int64
	}{
		{
			name:     "events of one hour share a lease for a minute",
			calls:    []call{{0, 3600, 1}, {10 * time.Second, 3600, 1}, {49 * time.Second, 3600, 1}, {2 * time.Second, 3600, 2}},
			wantTTLs: []int64{3660, 3660},
		},
		{
			name:     "short TTLs get 5% more",
			calls:    []call{{0, 100, 1}, {4 * time.Second, 100, 1}, {2 * time.Second, 100, 2}},
			wantTTLs: []int64{105, 105},
		},
		{
			name:     "a TTL the last lease cannot cover",
			calls:    []call{{0, 100, 1}, {0, 200, 2}},
			wantTTLs: []int64{105, 210},
		},
		{
			name:     "a TTL the last lease would outlive by too much",
			calls:    []call{{0, 3600, 1}, {0, 60, 2}},
			wantTTLs: []int64{3660, 63},
		},
		{
			name:     "one-second TTLs are not reused",
			calls:    []call{{0, 1, 1}, {0, 1, 2}},
			wantTTLs: []int64{1, 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := &fakeGranter{}
			now := time.Unix(1000, 0)
			l := newLeaseManager(g, &countObserver{})
			l.now = func() time.Time { return now }
			for i, c := range tt.calls {
				now = now.Add(c.after)
				id, err := l.lease(context.Background(), c.ttl)
				if err != nil {
					t.Fatal(err)
				}
				if id != c.wantID {
					t.Errorf("call %d: lease %d, want %d", i, id, c.wantID)
				}
			}
			if len(g.ttls) != len(tt.wantTTLs) {
				t.Fatalf("granted %v, want %v", g.ttls, tt.wantTTLs)
			}
			for i := range g.ttls {
				if g.ttls[i] != tt.wantTTLs[i] {
					t.Errorf("granted %v, want %v", g.ttls, tt.wantTTLs)
				}
			}
		})
	}
}

func TestLeaseObjectLimit(t *testing.T) {
	g := &fakeGranter{}
	counts := &countObserver{}
	l := newLeaseManager(g, counts)
	now := time.Unix(1000, 0)
	l.now = func() time.Time { return now }
	for i := 0; i < leaseMaxObjectCount+1; i++ {
		if _, err := l.lease(context.Background(), 3600); err != nil {
			t.Fatal(err)
		}
	}
	if len(g.ttls) != 2 {
		t.Errorf("%d leases for %d objects, want 2", len(g.ttls), leaseMaxObjectCount+1)
	}
	if len(counts.observed) != 1 || counts.observed[0] != leaseMaxObjectCount {
		t.Errorf("etcd_lease_object_counts observed %v, want [%d]", counts.observed, leaseMaxObjectCount)
	}
}

func TestLeaseGrantError(t *testing.T) {
	errGrant := errors.New("no")
	l := newLeaseManager(&fakeGranter{err: errGrant}, &countObserver{})
	if _, err := l.lease(context.Background(), 10); !errors.Is(err, errGrant) {
		t.Errorf("error %v, want the grant's", err)
	}
}

func TestCreateWithTTLSharesLeases(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	leaseOf := func(name string) int64 {
		key := e.cms.Key("ns", name)
		if _, err := e.cms.Create(ctx, key, configMap("ns", name, nil), 3600); err != nil {
			t.Fatal(err)
		}
		resp, err := e.client.Get(ctx, key)
		if err != nil || len(resp.Kvs) != 1 {
			t.Fatalf("raw get: %v", err)
		}
		return resp.Kvs[0].Lease
	}
	first, second := leaseOf("a"), leaseOf("b")
	if first == 0 || first != second {
		t.Errorf("leases %d and %d, want one shared lease", first, second)
	}
	ttl, err := e.client.TimeToLive(ctx, clientv3.LeaseID(first))
	if err != nil || ttl.GrantedTTL != 3660 {
		t.Errorf("lease granted %d (%v), want 3660", ttl.GrantedTTL, err)
	}
}
