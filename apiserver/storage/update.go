package storage

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"time"

	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// objState is what a key holds, as read from etcd (or, later, from a cache).
type objState struct {
	obj    Object // decoded, with resourceVersion = rev; nil when !exists
	data   []byte // the stored bytes
	rev    int64  // the key's mod revision; 0 when !exists
	exists bool
	// fresh: read from etcd for this call. A state built from a cached hint
	// is not, and is re-read before any decision that its staleness could
	// make wrong (an error from tryUpdate, a no-op, a conflict).
	fresh bool
}

// GuaranteedUpdate reads the object at key, calls tryUpdate with a copy of
// it and writes what tryUpdate returns, guarded by the revision read; when
// another writer got there first it reads again and calls tryUpdate again.
// When the key is missing it returns ErrNotFound, unless ignoreNotFound:
// then tryUpdate gets nil and its result is created. An error from tryUpdate
// is returned unchanged. A result whose resourceVersion is set but is not
// the current one is refused with ErrConflict. A result encoded exactly as
// stored is not written: the current object is returned, with no new
// revision. A written object keeps its key's lease.
func (r *Resource) GuaranteedUpdate(ctx context.Context, key string, ignoreNotFound bool, tryUpdate func(current Object) (Object, error)) (Object, error) {
	return r.guaranteedUpdate(ctx, key, ignoreNotFound, nil, tryUpdate)
}

// guaranteedUpdate is GuaranteedUpdate starting from hint (the object as a
// cache last saw it, with its resourceVersion) instead of a read, when hint
// is not nil.
func (r *Resource) guaranteedUpdate(ctx context.Context, key string, ignoreNotFound bool, hint Object, tryUpdate func(current Object) (Object, error)) (Object, error) {
	if err := r.checkKey(key); err != nil {
		return nil, err
	}
	st, err := r.initialState(ctx, key, hint)
	if err != nil {
		return nil, err
	}
	for {
		out, data, err := r.attempt(key, st, ignoreNotFound, tryUpdate)
		if err != nil || (out == nil && data == nil) {
			if !st.fresh {
				if st, err = r.read(ctx, key); err != nil {
					return nil, err
				}
				continue
			}
			if err != nil {
				return nil, err
			}
			return st.obj, nil // no change
		}
		put := clientv3.OpPut(key, etcdValue(data))
		if st.exists {
			put = clientv3.OpPut(key, etcdValue(data), clientv3.WithIgnoreLease())
		}
		start := time.Now()
		resp, err := r.store.client.Txn(ctx).
			If(clientv3.Compare(clientv3.ModRevision(key), "=", st.rev)).
			Then(put).
			Else(clientv3.OpGet(key)).
			Commit()
		r.store.metrics.request("update", r.name, start, err)
		if err != nil {
			return nil, wrapEtcdError(key, err)
		}
		if resp.Succeeded {
			return r.decoded(key, data, resp.Header.Revision)
		}
		if st, err = r.stateFromTxnElse(key, resp); err != nil {
			return nil, err
		}
	}
}

// attempt runs tryUpdate on st and returns the object to write, encoded.
// It returns (nil, nil, nil) when there is nothing to write.
func (r *Resource) attempt(key string, st objState, ignoreNotFound bool, tryUpdate func(Object) (Object, error)) (Object, []byte, error) {
	var in Object
	currentRV := ""
	switch {
	case st.exists:
		in = st.obj.DeepCopyObject().(Object)
		currentRV = strconv.FormatInt(st.rev, 10)
	case !ignoreNotFound:
		return nil, nil, fmt.Errorf("key %q: %w", key, ErrNotFound)
	}
	out, err := tryUpdate(in)
	if err != nil {
		return nil, nil, err
	}
	if out == nil {
		return nil, nil, fmt.Errorf("key %q: update returned no object", key)
	}
	if rv := out.GetResourceVersion(); rv != "" && rv != currentRV {
		return nil, nil, fmt.Errorf("key %q: resourceVersion %s, current %s: %w", key, rv, currentRV, ErrConflict)
	}
	data, err := r.encode(key, out)
	if err != nil {
		return nil, nil, err
	}
	if st.exists && bytes.Equal(data, st.data) {
		return nil, nil, nil
	}
	return out, data, nil
}

// initialState reads key, or trusts hint without a read.
func (r *Resource) initialState(ctx context.Context, key string, hint Object) (objState, error) {
	if hint == nil {
		return r.read(ctx, key)
	}
	rev, err := strconv.ParseInt(hint.GetResourceVersion(), 10, 64)
	if err != nil || rev <= 0 {
		return r.read(ctx, key)
	}
	data, err := r.encode(key, hint)
	if err != nil {
		return r.read(ctx, key)
	}
	obj := hint.DeepCopyObject().(Object)
	return objState{obj: obj, data: data, rev: rev, exists: true}, nil
}

// read returns the state of key at etcd's latest revision.
func (r *Resource) read(ctx context.Context, key string) (objState, error) {
	start := time.Now()
	resp, err := r.store.client.Get(ctx, key)
	r.store.metrics.request("get", r.name, start, err)
	if err != nil {
		return objState{}, wrapEtcdError(key, err)
	}
	return r.stateOf(key, resp.Kvs)
}

// stateFromTxnElse reads the state from the Get in a failed transaction's
// Else branch.
func (r *Resource) stateFromTxnElse(key string, resp *clientv3.TxnResponse) (objState, error) {
	if len(resp.Responses) == 0 {
		return objState{}, fmt.Errorf("key %q: transaction failed without a read", key)
	}
	get := resp.Responses[0].GetResponseRange()
	if get == nil {
		return objState{}, fmt.Errorf("key %q: transaction failed without a read", key)
	}
	return r.stateOf(key, get.Kvs)
}

func (r *Resource) stateOf(key string, kvs []*mvccpb.KeyValue) (objState, error) {
	if len(kvs) == 0 {
		return objState{fresh: true}, nil
	}
	kv := kvs[0]
	obj, err := r.decode(key, kv.Value, kv.ModRevision)
	if err != nil {
		return objState{}, err
	}
	return objState{obj: obj, data: kv.Value, rev: kv.ModRevision, exists: true, fresh: true}, nil
}
