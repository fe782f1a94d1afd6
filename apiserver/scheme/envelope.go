package scheme

import (
	"google.golang.org/protobuf/encoding/protowire"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// envelope is what the protobuf wrapper of a stored object (after the
// magic prefix: a runtime.Unknown) says, its object's bytes not copied.
type envelope struct {
	apiVersion, kind string
	raw              []byte
	encoding         string // contentEncoding: none is ""
	contentType      string
}

// parseEnvelope reads the runtime.Unknown message data: typeMeta (1:
// apiVersion 1, kind 2), raw (2), contentEncoding (3), contentType (4).
// Unknown fields are skipped, as protobuf decoding does.
func parseEnvelope(data []byte) (envelope, bool) {
	var e envelope
	for len(data) > 0 {
		num, typ, n := protowire.ConsumeTag(data)
		if n < 0 {
			return e, false
		}
		data = data[n:]
		if typ != protowire.BytesType {
			if n = protowire.ConsumeFieldValue(num, typ, data); n < 0 {
				return e, false
			}
			data = data[n:]
			continue
		}
		v, n := protowire.ConsumeBytes(data)
		if n < 0 {
			return e, false
		}
		data = data[n:]
		switch num {
		case 1:
			var ok bool
			if e.apiVersion, e.kind, ok = parseTypeMeta(v); !ok {
				return e, false
			}
		case 2:
			e.raw = v
		case 3:
			e.encoding = string(v)
		case 4:
			e.contentType = string(v)
		}
	}
	return e, true
}

func parseTypeMeta(data []byte) (apiVersion, kind string, ok bool) {
	for len(data) > 0 {
		num, typ, n := protowire.ConsumeTag(data)
		if n < 0 {
			return "", "", false
		}
		data = data[n:]
		if typ != protowire.BytesType {
			if n = protowire.ConsumeFieldValue(num, typ, data); n < 0 {
				return "", "", false
			}
			data = data[n:]
			continue
		}
		v, n := protowire.ConsumeBytes(data)
		if n < 0 {
			return "", "", false
		}
		data = data[n:]
		switch num {
		case 1:
			apiVersion = string(v)
		case 2:
			kind = string(v)
		}
	}
	return apiVersion, kind, true
}

// unmarshaler is what the generated protobuf code of the API types has.
type unmarshaler interface {
	Reset()
	Unmarshal([]byte) error
}

// decodeProtobuf decodes the protobuf-encoded stored object data (magic
// prefix included) straight into into when it is of into's kind, without
// the copy of the object's bytes the general decoder makes. It reports
// false, having changed nothing, for anything else (another kind, an
// encoded or malformed envelope), which the general decoder then decides.
// Every read from etcd (lists, watch events, updates) decodes here: a pod
// takes 8 allocations and 1.9 KB instead of 10 and 2.0 KB, and about 1.2–1.9
// µs instead of 2.0–2.2 (go test -run '^$' -bench StorageDecodePod
// -benchmem ./scheme/).
func (c *Codecs) decodeProtobuf(data []byte, into runtime.Object) (bool, error) {
	pb, ok := into.(unmarshaler)
	if !ok {
		return false, nil
	}
	e, ok := parseEnvelope(data[len(protobufMagic):])
	if !ok || e.encoding != "" || (e.contentType != "" && e.contentType != runtime.ContentTypeProtobuf) || e.kind == "" {
		return false, nil
	}
	gvks, _, err := c.scheme.ObjectKinds(into)
	if err != nil || len(gvks) == 0 {
		return false, nil
	}
	gv, err := schema.ParseGroupVersion(e.apiVersion)
	if err != nil || gv.Version == "" {
		return false, nil
	}
	gvk := gv.WithKind(e.kind)
	if gvk != gvks[0] {
		return false, nil
	}
	pb.Reset()
	if err := pb.Unmarshal(e.raw); err != nil {
		return true, err
	}
	into.GetObjectKind().SetGroupVersionKind(gvk)
	return true, nil
}
