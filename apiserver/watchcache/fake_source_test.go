package watchcache

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// fakeSource is an in-memory revisioned store of pods with etcd's watch
// behaviour: a watch from a revision replays the history after it, a watch
// from a compacted revision gets an expired error event, and the test can
// drop watches, expire them, hold events back from them and send progress
// bookmarks.
type fakeSource struct {
	mu        sync.Mutex
	rev       int64
	objs      map[string]*corev1.Pod
	history   []storage.Event
	compacted int64
	held      bool // new events are kept from the live watches
	watches   map[*fakeWatch]struct{}
	lists     int
	called    chan struct{} // closed and replaced by every List and Watch
	froms     []int64       // the revision of each Watch call
	listErr   error
}

func newFakeSource() *fakeSource {
	return &fakeSource{objs: map[string]*corev1.Pod{}, watches: map[*fakeWatch]struct{}{}, called: make(chan struct{})}
}

func (s *fakeSource) List(_ context.Context, _ string, _ storage.ListOptions) (*storage.ListResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lists++
	close(s.called)
	s.called = make(chan struct{})
	if s.listErr != nil {
		return nil, s.listErr
	}
	res := &storage.ListResult{ResourceVersion: s.rev}
	for _, p := range s.objs {
		res.Items = append(res.Items, p)
	}
	return res, nil
}

func (s *fakeSource) Watch(ctx context.Context, _ string, fromRV int64) (<-chan storage.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.froms = append(s.froms, fromRV)
	close(s.called)
	s.called = make(chan struct{})
	fw := &fakeWatch{out: make(chan storage.Event), wake: make(chan struct{}, 1)}
	if fromRV < s.compacted {
		fw.push(storage.Event{Type: watch.Error, Err: fmt.Errorf("revision %d compacted: %w", fromRV, storage.ErrExpired)})
		fw.end()
	} else {
		for _, ev := range s.history {
			if ev.ResourceVersion > fromRV {
				fw.push(ev)
			}
		}
		s.watches[fw] = struct{}{}
	}
	go fw.pump(ctx, s)
	return fw.out, nil
}

// put creates or updates a pod and returns the revision.
func (s *fakeSource) put(p *corev1.Pod) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rev++
	p = p.DeepCopy()
	p.ResourceVersion = strconv.FormatInt(s.rev, 10)
	key := p.Namespace + "/" + p.Name
	ev := storage.Event{Type: watch.Added, Object: p, ResourceVersion: s.rev}
	if _, ok := s.objs[key]; ok {
		ev.Type = watch.Modified
	}
	s.objs[key] = p
	s.publishLocked(ev)
	return s.rev
}

// del deletes a pod and returns the revision.
func (s *fakeSource) del(ns, name string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := ns + "/" + name
	old, ok := s.objs[key]
	if !ok {
		panic("fakeSource: delete of a missing pod " + key)
	}
	s.rev++
	last := old.DeepCopy()
	last.ResourceVersion = strconv.FormatInt(s.rev, 10)
	delete(s.objs, key)
	s.publishLocked(storage.Event{Type: watch.Deleted, Object: last, ResourceVersion: s.rev})
	return s.rev
}

func (s *fakeSource) publishLocked(ev storage.Event) {
	s.history = append(s.history, ev)
	if s.held {
		return
	}
	for fw := range s.watches {
		fw.push(ev)
	}
}

// skip moves the revision on without a change here (writes to other
// resources).
func (s *fakeSource) skip(n int64) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rev += n
	return s.rev
}

// bookmark sends a progress notification at the current revision.
func (s *fakeSource) bookmark() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	for fw := range s.watches {
		fw.push(storage.Event{Type: watch.Bookmark, ResourceVersion: s.rev})
	}
	return s.rev
}

// hold keeps new events from the live watches (a lagging watch).
func (s *fakeSource) hold() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.held = true
}

// drop closes every live watch's channel after what it has queued.
func (s *fakeSource) drop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.held = false
	for fw := range s.watches {
		fw.end()
		delete(s.watches, fw)
	}
}

// expire compacts everything up to the current revision and ends every
// live watch with an expired error.
func (s *fakeSource) expire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.held = false
	s.compacted = s.rev
	for fw := range s.watches {
		fw.push(storage.Event{Type: watch.Error, Err: fmt.Errorf("compacted: %w", storage.ErrExpired)})
		fw.end()
		delete(s.watches, fw)
	}
}

func (s *fakeSource) counts() (lists int, froms []int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lists, slices.Clone(s.froms)
}

// waitCalls waits until the source has been listed and watched at least
// the given numbers of times.
func (s *fakeSource) waitCalls(t *testing.T, lists, watches int) {
	t.Helper()
	deadline := time.After(testTimeout)
	for {
		s.mu.Lock()
		l, w, called := s.lists, len(s.froms), s.called
		s.mu.Unlock()
		if l >= lists && w >= watches {
			return
		}
		select {
		case <-called:
		case <-deadline:
			t.Fatalf("listed %d and watched %d times, want %d and %d", l, w, lists, watches)
		}
	}
}

func (s *fakeSource) revision() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rev
}

// eventsAfter returns the history after rev.
func (s *fakeSource) eventsAfter(rev int64) []storage.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []storage.Event
	for _, ev := range s.history {
		if ev.ResourceVersion > rev {
			out = append(out, ev)
		}
	}
	return out
}

// fakeWatch queues events without bound and pumps them to out.
type fakeWatch struct {
	out   chan storage.Event
	wake  chan struct{}
	mu    sync.Mutex
	queue []storage.Event
	ended bool
}

func (fw *fakeWatch) push(ev storage.Event) {
	fw.mu.Lock()
	fw.queue = append(fw.queue, ev)
	fw.mu.Unlock()
	select {
	case fw.wake <- struct{}{}:
	default:
	}
}

func (fw *fakeWatch) end() {
	fw.mu.Lock()
	fw.ended = true
	fw.mu.Unlock()
	select {
	case fw.wake <- struct{}{}:
	default:
	}
}

func (fw *fakeWatch) pump(ctx context.Context, s *fakeSource) {
	defer close(fw.out)
	defer func() {
		s.mu.Lock()
		delete(s.watches, fw)
		s.mu.Unlock()
	}()
	for {
		fw.mu.Lock()
		if len(fw.queue) == 0 {
			ended := fw.ended
			fw.mu.Unlock()
			if ended {
				return
			}
			select {
			case <-fw.wake:
			case <-ctx.Done():
				return
			}
			continue
		}
		ev := fw.queue[0]
		fw.queue = fw.queue[1:]
		fw.mu.Unlock()
		select {
		case fw.out <- ev:
		case <-ctx.Done():
			return
		}
	}
}

// pod returns a pod; labels are "k=v" pairs.
func pod(ns, name, node string, kv ...string) *corev1.Pod {
	l := map[string]string{}
	for _, s := range kv {
		k, v, _ := strings.Cut(s, "=")
		l[k] = v
	}
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: l},
		Spec:       corev1.PodSpec{NodeName: node},
	}
}

// podAttrs is the pods' AttrFunc: labels, and the metadata fields and
// spec.nodeName.
func podAttrs(obj storage.Object) (labels.Set, fields.Set, error) {
	p, ok := obj.(*corev1.Pod)
	if !ok {
		return nil, nil, fmt.Errorf("not a pod: %T", obj)
	}
	return p.Labels, fields.Set{
		"metadata.name":      p.Name,
		"metadata.namespace": p.Namespace,
		"spec.nodeName":      p.Spec.NodeName,
	}, nil
}
