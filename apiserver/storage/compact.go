package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// compactRevKey is upstream's key (at the root of etcd's key space, outside
// --etcd-prefix) through which apiservers agree on who compacts: its value
// is the last revision a compactor recorded, its version the "compact time",
// a logical clock that goes up by one per interval.
const compactRevKey = "compact_rev_key"

// compactStep is what one tick of the compactor did (for tests).
type compactStep struct {
	time      int64 // the compact time known after the step
	rev       int64 // the revision to compact at the next step
	compacted int64 // the revision compacted at this step; 0 for none
	err       error
}

// RunCompactor compacts etcd's history every interval, as upstream's
// --etcd-compaction-interval: at each tick it compacts up to the revision it
// saw one tick earlier, so history younger than one interval stays. Of
// several apiservers sharing etcd only one compacts per interval: each tick
// is a compare-and-swap on compact_rev_key's version, and a server that
// loses it learns the new time and waits for the next tick; if the winner
// stops, another one wins a tick later. It returns nil when ctx ends, at
// once when interval is not positive (compaction disabled).
func (s *Store) RunCompactor(ctx context.Context, interval time.Duration) error {
	if interval <= 0 {
		return nil
	}
	var compactTime, rev int64
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.after(interval):
		}
		step := s.compact(ctx, compactTime, rev)
		if step.err != nil && ctx.Err() == nil {
			s.logger.Error("etcd compaction failed", zap.Int64("revision", rev), zap.Error(step.err))
		}
		compactTime, rev = step.time, step.rev
		s.onCompact(step)
	}
}

// compact runs one tick: when compact_rev_key's version is still t, it
// moves it on, records the current revision and compacts at rev (the
// revision recorded a tick earlier); otherwise it adopts the winner's time.
func (s *Store) compact(ctx context.Context, t, rev int64) compactStep {
	resp, err := s.client.Txn(ctx).
		If(clientv3.Compare(clientv3.Version(compactRevKey), "=", t)).
		Then(clientv3.OpPut(compactRevKey, strconv.FormatInt(rev, 10))).
		Else(clientv3.OpGet(compactRevKey)).
		Commit()
	if err != nil {
		return compactStep{time: t, rev: rev, err: wrapEtcdError(compactRevKey, err)}
	}
	current := resp.Header.Revision
	if !resp.Succeeded {
		var known int64 // 0 when someone deleted the key: start over
		if len(resp.Responses) > 0 {
			if get := resp.Responses[0].GetResponseRange(); get != nil && len(get.Kvs) > 0 {
				known = get.Kvs[0].Version
			}
		}
		return compactStep{time: known, rev: current}
	}
	step := compactStep{time: t + 1, rev: current}
	if rev == 0 {
		return step // the first tick only records a revision
	}
	if _, err := s.client.Compact(ctx, rev); err != nil && !errors.Is(err, rpctypes.ErrCompacted) {
		step.err = fmt.Errorf("compact at revision %d: %w", rev, wrapEtcdError(compactRevKey, err))
		return step
	}
	step.compacted = rev
	s.logger.Debug("etcd compacted", zap.Int64("revision", rev))
	return step
}
