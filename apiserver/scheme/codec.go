package scheme

import (
	"bytes"
	"fmt"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/runtime/serializer/protobuf"
)

// protobufMagic starts every protobuf-encoded object in etcd.
var protobufMagic = []byte{0x6b, 0x38, 0x73, 0x00}

// Codecs encode and decode the scheme's kinds.
type Codecs struct {
	scheme *runtime.Scheme
	// JSON is the wire format (request bodies in JSON are decoded straight
	// into their kind by the endpoints); YAML decodes bodies sent as
	// application/yaml, StrictYAML also reports unknown and duplicate
	// fields (fieldValidation=Strict/Warn).
	JSON, YAML, StrictYAML *json.Serializer
	Protobuf               *protobuf.Serializer
}

// NewCodecs returns the codecs of s.
func NewCodecs(s *runtime.Scheme) *Codecs {
	opts := func(yaml, strict bool) json.SerializerOptions {
		return json.SerializerOptions{Yaml: yaml, Strict: strict}
	}
	return &Codecs{
		scheme:     s,
		JSON:       json.NewSerializerWithOptions(json.DefaultMetaFactory, s, s, opts(false, false)),
		YAML:       json.NewSerializerWithOptions(json.DefaultMetaFactory, s, s, opts(true, false)),
		StrictYAML: json.NewSerializerWithOptions(json.DefaultMetaFactory, s, s, opts(true, true)),
		Protobuf:   protobuf.NewSerializer(s, s),
	}
}

// Scheme is the scheme the codecs serve.
func (c *Codecs) Scheme() *runtime.Scheme { return c.scheme }

// SetKind fills obj's apiVersion and kind from the scheme.
func (c *Codecs) SetKind(obj runtime.Object) error {
	gvks, _, err := c.scheme.ObjectKinds(obj)
	if err != nil {
		return err
	}
	obj.GetObjectKind().SetGroupVersionKind(gvks[0])
	return nil
}

// Storage is how objects are kept in etcd: written as protobuf, as
// upstream's kube-apiserver writes them, and read as protobuf or JSON, so
// that either server can take over the other's etcd.
type Storage struct{ c *Codecs }

// Storage returns the etcd codec.
func (c *Codecs) Storage() Storage { return Storage{c: c} }

// Encode serializes obj for etcd.
func (s Storage) Encode(obj runtime.Object) ([]byte, error) { return s.EncodeInto(obj, nil) }

// EncodeInto is Encode into buf's memory when it is large enough, and a
// fresh slice otherwise.
func (s Storage) EncodeInto(obj runtime.Object, buf []byte) ([]byte, error) {
	if err := s.c.SetKind(obj); err != nil {
		return nil, fmt.Errorf("encode for storage: %w", err)
	}
	out := &sliceWriter{}
	if err := s.c.Protobuf.EncodeWithAllocator(obj, out, &BufferAllocator{Buf: buf}); err != nil {
		return nil, fmt.Errorf("encode for storage: %w", err)
	}
	return out.b, nil
}

// BufferAllocator is the protobuf serializer's memory (a
// runtime.MemoryAllocator): it hands out Buf while Buf is large enough and
// a larger one, kept in Buf, otherwise. Unlike runtime.Allocator it can
// start from a given buffer, and says how large its buffer has grown.
type BufferAllocator struct{ Buf []byte }

func (a *BufferAllocator) Allocate(n uint64) []byte {
	if uint64(cap(a.Buf)) < n {
		a.Buf = make([]byte, n)
	}
	return a.Buf[:n]
}

// sliceWriter keeps what is written to it: the first write's slice itself
// (the encoder writes its allocator's buffer once), later ones appended
// to a copy.
type sliceWriter struct{ b []byte }

func (w *sliceWriter) Write(p []byte) (int, error) {
	if w.b == nil {
		w.b = p
	} else {
		w.b = append(w.b[:len(w.b):len(w.b)], p...)
	}
	return len(p), nil
}

// Decode reads data (protobuf or JSON) into into.
func (s Storage) Decode(data []byte, into runtime.Object) error {
	dec := runtime.Decoder(s.c.JSON)
	if bytes.HasPrefix(data, protobufMagic) {
		if done, err := s.c.decodeProtobuf(data, into); done {
			if err != nil {
				return fmt.Errorf("decode from storage: %w", err)
			}
			return nil
		}
		dec = s.c.Protobuf
	}
	if _, _, err := dec.Decode(data, nil, into); err != nil {
		return fmt.Errorf("decode from storage: %w", err)
	}
	return nil
}
