package storage

import (
	"context"
	"sync"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Lease reuse, as upstream's lease manager: objects with a TTL (events)
// created within a short window share one etcd lease, granted a little
// longer than asked, instead of one lease each.
const (
	leaseReuseSeconds   = 60   // at most this much longer than asked
	leaseReusePercent   = 0.05 // of the TTL asked
	leaseMaxObjectCount = 1000 // objects on one lease before a new one
)

// leaseGranter grants etcd leases (clientv3.Lease).
type leaseGranter interface {
	Grant(ctx context.Context, ttl int64) (*clientv3.LeaseGrantResponse, error)
}

// leaseManager hands out leases, reusing the last one while it fits.
type leaseManager struct {
	granter leaseGranter
	now     func() time.Time
	objects interface{ Observe(float64) } // etcd_lease_object_counts

	mu      sync.Mutex
	id      clientv3.LeaseID
	expires time.Time // when the last lease ends
	count   int64     // objects given the last lease
}

func newLeaseManager(g leaseGranter, objects interface{ Observe(float64) }) *leaseManager {
	return &leaseManager{granter: g, now: time.Now, objects: objects}
}

// lease returns a lease that lives at least ttl seconds and at most ttl
// plus the reuse window.
func (l *leaseManager) lease(ctx context.Context, ttl int64) (clientv3.LeaseID, error) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	extra := int64(leaseReusePercent * float64(ttl))
	if extra > leaseReuseSeconds {
		extra = leaseReuseSeconds
	}
	// The last lease fits when it outlives ttl, but not by more than extra.
	longEnough := now.Add(time.Duration(ttl) * time.Second).Before(l.expires)
	notTooLong := !now.Add(time.Duration(ttl+extra) * time.Second).Before(l.expires)
	if l.id != clientv3.NoLease && longEnough && notTooLong && l.count < leaseMaxObjectCount {
		l.count++
		return l.id, nil
	}
	resp, err := l.granter.Grant(ctx, ttl+extra)
	if err != nil {
		return clientv3.NoLease, err
	}
	if l.id != clientv3.NoLease {
		l.objects.Observe(float64(l.count))
	}
	granted := resp.TTL // etcd raises TTLs under its minimum
	if granted < ttl+extra {
		granted = ttl + extra
	}
	l.id = resp.ID
	l.expires = now.Add(time.Duration(granted) * time.Second)
	l.count = 1
	return l.id, nil
}
