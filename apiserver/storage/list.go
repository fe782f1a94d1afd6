package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// maxListChunk bounds how many keys one read of a filtered, limited list
// fetches as it widens its chunks.
const maxListChunk = 10000

// List returns the objects under prefix, sorted by key: at etcd's latest
// revision (a consistent read), at opts.ResourceVersion exactly (ErrExpired
// once compacted, ErrTooLargeResourceVersion when not reached yet), or at
// the revision of opts.Continue. With opts.Limit it returns at most that
// many matching objects and a continue token when more remain; with a
// predicate it reads on, in widening chunks, until it has Limit matches.
func (r *Resource) List(ctx context.Context, prefix string, opts ListOptions) (*ListResult, error) {
	keyPrefix, err := r.listPrefix(prefix)
	if err != nil {
		return nil, err
	}
	l := lister{r: r, keyPrefix: keyPrefix, rangeEnd: clientv3.GetPrefixRangeEnd(keyPrefix), opts: opts}
	if err := l.start(); err != nil {
		return nil, err
	}
	if err := l.read(ctx); err != nil {
		return nil, err
	}
	return l.result()
}

// Count returns how many objects the resource has, at the latest revision.
func (r *Resource) Count(ctx context.Context) (int64, error) {
	start := time.Now()
	resp, err := r.store.client.Get(ctx, r.prefix,
		clientv3.WithRange(clientv3.GetPrefixRangeEnd(r.prefix)), clientv3.WithCountOnly())
	r.store.metrics.request("listWithCount", r.name, start, err)
	if err != nil {
		return 0, wrapEtcdError(r.prefix, err)
	}
	return resp.Count, nil
}

// lister is the state of one List.
type lister struct {
	r         *Resource
	keyPrefix string
	rangeEnd  string
	opts      ListOptions

	from       string // the next key to read
	pageStart  string // the key this page starts from
	rev        int64  // the revision read at; 0 until the first read when latest
	continuing bool   // opts.Continue was given

	items     []Object
	lastKey   []byte // the last key examined
	more      bool   // keys remain after lastKey
	count     int64  // keys from the first read's start to the end of the range
	fetched   int
	evaluated int
}

// start reads the continue token, if any.
func (l *lister) start() error {
	l.from = l.keyPrefix
	l.rev = l.opts.ResourceVersion
	if l.opts.Continue == "" {
		return nil
	}
	if l.opts.ResourceVersion != 0 {
		return fmt.Errorf("key %q: %w: specifying resource version is not allowed when using continue", l.keyPrefix, ErrInvalidContinue)
	}
	from, rev, err := decodeContinue(l.opts.Continue, l.keyPrefix)
	if err != nil {
		return fmt.Errorf("key %q: %w: %v", l.keyPrefix, ErrInvalidContinue, err)
	}
	l.from, l.pageStart, l.continuing = from, from, true
	if rev > 0 {
		l.rev = rev
	}
	return nil
}

// read fetches chunks until the page is full or the range is done.
func (l *lister) read(ctx context.Context) error {
	paging := l.opts.Limit > 0
	chunk := l.opts.Limit
	first := true
	for {
		ops := []clientv3.OpOption{clientv3.WithRange(l.rangeEnd)}
		if l.rev > 0 {
			ops = append(ops, clientv3.WithRev(l.rev))
		}
		if paging {
			ops = append(ops, clientv3.WithLimit(chunk))
		}
		start := time.Now()
		resp, err := l.r.store.client.Get(ctx, l.from, ops...)
		l.r.store.metrics.request("list", l.r.name, start, err)
		if err != nil {
			return l.readError(err)
		}
		if l.rev == 0 {
			l.rev = resp.Header.Revision // later chunks read the same revision
		}
		if first {
			l.count, first = resp.Count, false
			if !paging {
				l.items = make([]Object, 0, len(resp.Kvs))
			}
		}
		l.more = resp.More
		l.fetched += len(resp.Kvs)
		for i, kv := range resp.Kvs {
			if paging && int64(len(l.items)) >= l.opts.Limit {
				l.more = true
				break
			}
			l.lastKey = kv.Key
			if err := l.add(kv.Key, kv.Value, kv.ModRevision); err != nil {
				return err
			}
			resp.Kvs[i] = nil // let the bytes go as the page fills
		}
		if !paging || !l.more || int64(len(l.items)) >= l.opts.Limit {
			return nil
		}
		l.from = string(l.lastKey) + "\x00"
		if chunk < maxListChunk {
			chunk = min(chunk*2, maxListChunk)
		}
	}
}

// add decodes one value and keeps it when the predicate selects it.
func (l *lister) add(key, value []byte, rev int64) error {
	obj, err := l.r.decode(string(key), value, rev)
	if err != nil {
		return err
	}
	l.evaluated++
	if !l.opts.Predicate.Empty() {
		ok, err := l.opts.Predicate.Matches(obj)
		if err != nil {
			return fmt.Errorf("key %q: %w", key, err)
		}
		if !ok {
			return nil
		}
	}
	l.items = append(l.items, obj)
	return nil
}

// readError turns a failed read into the list's error: a compacted continue
// token offers a token that goes on at the latest revision.
func (l *lister) readError(err error) error {
	if l.continuing && errors.Is(err, rpctypes.ErrCompacted) {
		token, encErr := encodeContinue(l.pageStart, l.keyPrefix, -1)
		if encErr != nil {
			token = ""
		}
		return &ContinueExpiredError{Key: l.keyPrefix, Continue: token}
	}
	return wrapEtcdError(l.keyPrefix, err)
}

// result builds the page, with a continue token when more remain.
func (l *lister) result() (*ListResult, error) {
	l.r.store.metrics.list(l.r.name, l.fetched, l.evaluated, len(l.items))
	res := &ListResult{Items: l.items, ResourceVersion: l.rev}
	if res.Items == nil {
		res.Items = []Object{}
	}
	if l.opts.Limit <= 0 || !l.more {
		return res, nil
	}
	token, err := encodeContinue(string(l.lastKey)+"\x00", l.keyPrefix, l.rev)
	if err != nil {
		return nil, fmt.Errorf("key %q: %w", l.keyPrefix, err)
	}
	res.Continue = token
	if l.opts.Predicate.Empty() {
		remaining := l.count - int64(len(l.items))
		res.RemainingItemCount = &remaining
	}
	return res, nil
}
