package storage

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// BenchmarkCreate creates small ConfigMaps from parallel goroutines: one
// etcd transaction each; etcd batches the concurrent ones.
func BenchmarkCreate(b *testing.B) {
	e := newTestEnv(b)
	ctx := context.Background()
	var n atomic.Int64
	b.SetParallelism(4) // 4 goroutines per CPU, as concurrent API requests
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			name := fmt.Sprintf("cm-%d", n.Add(1))
			cm := configMap("bench", name, map[string]string{"key": "value"})
			if _, err := e.cms.Create(ctx, e.cms.Key("bench", name), cm, 0); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkList3000Pods lists 3,000 pods in one consistent read.
func BenchmarkList3000Pods(b *testing.B) {
	const pods = 3000
	e := newTestEnv(b)
	ctx := context.Background()
	// Load through raw transactions of 100 puts: faster than 3,000 creates.
	var ops []clientv3.Op
	for i := 0; i < pods; i++ {
		ns, name := fmt.Sprintf("ns-%d", i%10), fmt.Sprintf("pod-%04d", i)
		key := e.pods.Key(ns, name)
		data, err := e.pods.encode(key, podObj(ns, name))
		if err != nil {
			b.Fatal(err)
		}
		ops = append(ops, clientv3.OpPut(key, string(data)))
		if len(ops) == 100 || i == pods-1 {
			if _, err := e.client.Txn(ctx).Then(ops...).Commit(); err != nil {
				b.Fatal(err)
			}
			ops = ops[:0]
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := e.pods.List(ctx, e.pods.Prefix(""), ListOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Items) != pods {
			b.Fatalf("listed %d pods, want %d", len(res.Items), pods)
		}
	}
}

// BenchmarkCreateTxn: one guarded put of a 1 KB value, by clientv3's
// transaction builder and by createTxn's hand-built request. The
// difference in B/op and allocs/op is the builder's.
func BenchmarkCreateTxn(b *testing.B) {
	e := newTestEnv(b)
	ctx := context.Background()
	value := make([]byte, 1000)
	b.Run("clientv3", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			key := fmt.Sprintf("/bench/clientv3/%d", i)
			resp, err := e.client.Txn(ctx).If(clientv3.Compare(clientv3.ModRevision(key), "=", 0)).
				Then(clientv3.OpPut(key, etcdValue(value))).Commit()
			if err != nil || !resp.Succeeded {
				b.Fatal(resp, err)
			}
		}
	})
	b.Run("createTxn", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			resp, err := e.pods.store.createTxn(ctx, fmt.Sprintf("/bench/createTxn/%d", i), value, 0)
			if err != nil || !resp.Succeeded {
				b.Fatal(resp, err)
			}
		}
	})
}
