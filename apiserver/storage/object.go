package storage

import (
	"fmt"
	"strconv"
	"unsafe"
)

// encode returns obj as kept in etcd: by the codec, without
// resourceVersion (etcd's revision is the version) and selfLink. obj is
// left as it was given.
func (r *Resource) encode(key string, obj Object) ([]byte, error) {
	rv, selfLink := obj.GetResourceVersion(), obj.GetSelfLink()
	obj.SetResourceVersion("")
	obj.SetSelfLink("")
	data, err := r.codec.Encode(obj)
	obj.SetResourceVersion(rv)
	obj.SetSelfLink(selfLink)
	if err != nil {
		return nil, fmt.Errorf("key %q: %w", key, err)
	}
	return data, nil
}

// etcdValue is an encoded object as etcd's client takes it, a string,
// made without copying the bytes (clientv3.OpPut copies them once more
// into its request), which encode's fresh and never changed slices allow.
func etcdValue(data []byte) string { return unsafe.String(unsafe.SliceData(data), len(data)) }

// decode reads a value of key into a new object whose resourceVersion is
// rev.
func (r *Resource) decode(key string, data []byte, rev int64) (Object, error) {
	obj := r.newFunc()
	if err := r.codec.Decode(data, obj); err != nil {
		r.store.metrics.decodeErrors.WithLabelValues(r.name).Inc()
		return nil, fmt.Errorf("key %q at revision %d: %w", key, rev, err)
	}
	setRevision(obj, rev)
	r.store.fieldSets.share(obj)
	return obj, nil
}

// decoded decodes what a write of this Resource stored at key and rev and
// hands the object to its watch (handoff).
func (r *Resource) decoded(key string, data []byte, rev int64) (Object, error) {
	obj, err := r.decode(key, data, rev)
	if err == nil {
		r.written.put(key, rev, obj)
	}
	return obj, err
}

func setRevision(obj Object, rev int64) {
	obj.SetResourceVersion(strconv.FormatInt(rev, 10))
}
