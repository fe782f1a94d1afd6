package storage

import (
	"context"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
	"google.golang.org/grpc"
)

// txnCallOptions: as clientv3 does for every call of its KV API, wait for
// a connection rather than fail while etcd is briefly away. clientv3 also
// gives its calls the message size limits of its configuration; those stay
// gRPC's here (no limit on what is sent, 4 MiB received), far above a
// create's request, which the API's body limit bounds, and its small answer.
var txnCallOptions = []grpc.CallOption{grpc.WaitForReady(true)}

// createTxn writes value at key, guarded by the key not existing, in one
// transaction: clientv3's Txn(ctx).If(ModRevision(key) = 0).Then(OpPut)
// built by hand. clientv3's builder copies the key and the value into its
// own Op, and its Op into the request: about 2 KB and 8 allocations of a
// create (BenchmarkCreateTxn). The call goes through the same connection and
// so through clientv3's interceptors; its errors are turned into clientv3's
// as clientv3 turns them. value is marshalled into the request before the
// call returns: a reused buffer may be passed.
func (s *Store) createTxn(ctx context.Context, key string, value []byte, lease clientv3.LeaseID) (*pb.TxnResponse, error) {
	k := []byte(key)
	resp, err := s.kv.Txn(ctx, &pb.TxnRequest{
		Compare: []*pb.Compare{{
			Key: k, Target: pb.Compare_MOD, Result: pb.Compare_EQUAL,
			TargetUnion: &pb.Compare_ModRevision{ModRevision: 0},
		}},
		Success: []*pb.RequestOp{{Request: &pb.RequestOp_RequestPut{
			RequestPut: &pb.PutRequest{Key: k, Value: value, Lease: int64(lease)},
		}}},
	}, txnCallOptions...)
	if err != nil {
		return nil, clientv3.ContextError(ctx, err)
	}
	return resp, nil
}
