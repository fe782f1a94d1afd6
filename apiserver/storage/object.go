package storage

import (
	"fmt"
	"strconv"
	"sync"
	"unsafe"
)

// encode returns obj as kept in etcd: by the codec, without
// resourceVersion (etcd's revision is the version) and selfLink. obj is
// left as it was given.
func (r *Resource) encode(key string, obj Object) ([]byte, error) {
	return r.encodeWith(key, obj, func(obj Object) ([]byte, error) { return r.codec.Encode(obj) })
}

// encodeBuffers are buffers for encodeReused.
var encodeBuffers sync.Pool // of *[]byte

// maxReusedBuffer bounds the buffers kept for reuse: a rare huge object
// does not stay in memory for good.
const maxReusedBuffer = 64 << 10

// encodeReused is encode into a buffer of earlier encodings when the codec
// can (a BufferEncoder). The bytes are valid until release is called, after
// which they will be overwritten: for a create, whose encoding is dead once
// etcd's client has copied it into its request and it has been decoded.
func (r *Resource) encodeReused(key string, obj Object) (data []byte, release func(), err error) {
	enc, ok := r.codec.(BufferEncoder)
	if !ok {
		data, err = r.encode(key, obj)
		return data, func() {}, err
	}
	buf, _ := encodeBuffers.Get().(*[]byte)
	if buf == nil {
		buf = new([]byte)
	}
	data, err = r.encodeWith(key, obj, func(obj Object) ([]byte, error) { return enc.EncodeInto(obj, (*buf)[:0]) })
	return data, func() {
		if cap(data) <= maxReusedBuffer {
			*buf = data[:0]
			encodeBuffers.Put(buf)
		}
	}, err
}

func (r *Resource) encodeWith(key string, obj Object, encode func(Object) ([]byte, error)) ([]byte, error) {
	rv, selfLink := obj.GetResourceVersion(), obj.GetSelfLink()
	obj.SetResourceVersion("")
	obj.SetSelfLink("")
	data, err := encode(obj)
	obj.SetResourceVersion(rv)
	obj.SetSelfLink(selfLink)
	if err != nil {
		return nil, fmt.Errorf("key %q: %w", key, err)
	}
	return data, nil
}

// etcdValue is an encoded object as etcd's client takes it, a string,
// made without copying the bytes. It may be used only as clientv3.OpPut's
// value, which OpPut copies at once.
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
	r.fieldSets.share(obj)
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
