package storage

import (
	"context"
	"fmt"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Get returns the object at key (ErrNotFound when there is none), read at
// etcd's latest revision.
func (r *Resource) Get(ctx context.Context, key string) (Object, error) {
	if err := r.checkKey(key); err != nil {
		return nil, err
	}
	st, err := r.read(ctx, key)
	if err != nil {
		return nil, err
	}
	if !st.exists {
		return nil, fmt.Errorf("key %q: %w", key, ErrNotFound)
	}
	return st.obj, nil
}

// Create writes obj at key in one transaction that fails with
// ErrAlreadyExists when the key is taken. ttlSeconds > 0 attaches a lease:
// etcd deletes the object after that long. obj must have no
// resourceVersion; the object returned has the creation's.
func (r *Resource) Create(ctx context.Context, key string, obj Object, ttlSeconds int64) (Object, error) {
	if err := r.checkKey(key); err != nil {
		return nil, err
	}
	if rv := obj.GetResourceVersion(); rv != "" && rv != "0" {
		return nil, fmt.Errorf("key %q: resourceVersion should not be set on objects to be created", key)
	}
	data, release, err := r.encodeReused(key, obj)
	if err != nil {
		return nil, err
	}
	defer release()
	var lease clientv3.LeaseID
	if ttlSeconds > 0 {
		if lease, err = r.store.leases.lease(ctx, ttlSeconds); err != nil {
			return nil, wrapEtcdError(key, err)
		}
	}
	start := time.Now()
	resp, err := r.store.createTxn(ctx, key, data, lease)
	r.store.metrics.request("create", r.name, start, err)
	if err != nil {
		return nil, wrapEtcdError(key, err)
	}
	if !resp.Succeeded {
		return nil, fmt.Errorf("key %q: %w", key, ErrAlreadyExists)
	}
	return r.decoded(key, data, resp.Header.Revision)
}

// Delete removes the object at key. check (may be nil) sees the current
// object first and vetoes the deletion by returning an error, which Delete
// returns unchanged; it must not modify the object. The deletion is guarded
// by the revision check saw, and retried when someone wrote in between. The
// object returned is the last state, with the deletion's revision as its
// resourceVersion.
func (r *Resource) Delete(ctx context.Context, key string, check func(current Object) error) (Object, error) {
	if err := r.checkKey(key); err != nil {
		return nil, err
	}
	st, err := r.read(ctx, key)
	if err != nil {
		return nil, err
	}
	for {
		if !st.exists {
			return nil, fmt.Errorf("key %q: %w", key, ErrNotFound)
		}
		if check != nil {
			if err := check(st.obj); err != nil {
				return nil, err
			}
		}
		start := time.Now()
		resp, err := r.store.client.Txn(ctx).
			If(clientv3.Compare(clientv3.ModRevision(key), "=", st.rev)).
			Then(clientv3.OpDelete(key)).
			Else(clientv3.OpGet(key)).
			Commit()
		r.store.metrics.request("delete", r.name, start, err)
		if err != nil {
			return nil, wrapEtcdError(key, err)
		}
		if resp.Succeeded {
			setRevision(st.obj, resp.Header.Revision)
			return st.obj, nil
		}
		if st, err = r.stateFromTxnElse(key, resp); err != nil {
			return nil, err
		}
	}
}
