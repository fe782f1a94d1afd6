package etcdcodec

import (
	"bytes"
	"strings"
	"testing"

	"go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/mvccpb"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

func TestOtherClientsKeepGRPCsCodec(t *testing.T) {
	if _, ok := encoding.GetCodecV2("proto").(etcdCodec); ok {
		t.Fatal("the etcd codec replaced gRPC's proto codec for the whole process")
	}
}

// txn is a create's transaction with a value of n bytes.
func txn(n int) *etcdserverpb.TxnRequest {
	key := []byte("/registry/pods/bench/pod-00001")
	return &etcdserverpb.TxnRequest{
		Compare: []*etcdserverpb.Compare{{Key: key, Target: etcdserverpb.Compare_MOD, Result: etcdserverpb.Compare_EQUAL,
			TargetUnion: &etcdserverpb.Compare_ModRevision{ModRevision: 0}}},
		Success: []*etcdserverpb.RequestOp{{Request: &etcdserverpb.RequestOp_RequestPut{
			RequestPut: &etcdserverpb.PutRequest{Key: key, Value: []byte(strings.Repeat("v", n))}}}},
	}
}

// TestEtcdCodecWritesWhatGRPCsWrites marshals small and pooled-size
// messages both ways and reads each back.
func TestEtcdCodecWritesWhatGRPCsWrites(t *testing.T) {
	c := newCodec()
	for _, n := range []int{0, 100, 1 << 10, 64 << 10} {
		msg := txn(n)
		got, err := c.Marshal(msg)
		if err != nil {
			t.Fatal(err)
		}
		want, err := c.fallback.Marshal(msg)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Materialize(), want.Materialize()) {
			t.Fatalf("value of %d bytes: the codec's wire form differs from gRPC's", n)
		}
		var back etcdserverpb.TxnRequest
		if err := c.Unmarshal(want, &back); err != nil {
			t.Fatal(err)
		}
		got.Free()
		want.Free()
		if put := back.Success[0].GetRequestPut(); len(put.Value) != n || string(put.Key) != "/registry/pods/bench/pod-00001" {
			t.Fatalf("value of %d bytes read back as key %q, %d bytes", n, put.Key, len(put.Value))
		}
	}
}

// TestEtcdCodecKeepsNoBuffer: what Unmarshal read stays intact after gRPC
// frees (and reuses) the data.
func TestEtcdCodecKeepsNoBuffer(t *testing.T) {
	c := etcdCodec{}
	kv := &mvccpb.KeyValue{Key: []byte("k"), Value: bytes.Repeat([]byte("x"), 4<<10)}
	data := make([]byte, kv.Size())
	if err := marshalExactly(kv, data); err != nil {
		t.Fatal(err)
	}
	var back mvccpb.KeyValue
	if err := c.Unmarshal(mem.BufferSlice{mem.SliceBuffer(data)}, &back); err != nil {
		t.Fatal(err)
	}
	clear(data)
	if string(back.Key) != "k" || !bytes.Equal(back.Value, kv.Value) {
		t.Fatal("the unmarshalled message shares the data it was read from")
	}
}

func TestEtcdCodecLeavesOtherMessagesToGRPC(t *testing.T) {
	c := newCodec()
	data, err := c.Marshal(wrapperspb.String("skiff"))
	if err != nil {
		t.Fatal(err)
	}
	var back wrapperspb.StringValue
	if err := c.Unmarshal(data, &back); err != nil || back.Value != "skiff" {
		t.Fatalf("round trip = %q, %v", back.Value, err)
	}
}

func BenchmarkEtcdCodecMarshalTxn(b *testing.B) {
	msg := txn(1200)
	for _, c := range []struct {
		name  string
		codec encoding.CodecV2
	}{{"skiff", newCodec()}, {"grpc", newCodec().fallback}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				data, err := c.codec.Marshal(msg)
				if err != nil {
					b.Fatal(err)
				}
				data.Free()
			}
		})
	}
}
