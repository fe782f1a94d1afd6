package informer

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
)

// note is one notification a recorder received.
type note struct {
	kind     string // add, update, delete, tombstone
	key      string
	oldRV    string // update: the old object's; tombstone: Obj's
	rv       string
	initial  bool
	sameObjs bool // update: old and new are the same object
}

func (n note) String() string {
	switch n.kind {
	case "update":
		return fmt.Sprintf("update %s@%s->%s", n.key, n.oldRV, n.rv)
	case "add":
		if n.initial {
			return fmt.Sprintf("add %s@%s initial", n.key, n.rv)
		}
	}
	return fmt.Sprintf("%s %s@%s", n.kind, n.key, n.rv)
}

// recorder is a Handler that keeps and reports every call.
type recorder struct {
	gate    chan struct{} // if set, calls wait until it is closed
	entered chan struct{} // told (without blocking) when a call starts
	yield   bool          // give the processor away on every call

	mu    sync.Mutex
	notes []note
	seen  chan string
}

func newRecorder() *recorder {
	return &recorder{entered: make(chan struct{}, 1), seen: make(chan string, 100000)}
}

func (r *recorder) record(n note) {
	select {
	case r.entered <- struct{}{}:
	default:
	}
	if r.gate != nil {
		<-r.gate
	}
	if r.yield {
		runtime.Gosched()
	}
	r.mu.Lock()
	r.notes = append(r.notes, n)
	r.mu.Unlock()
	r.seen <- n.String()
}

func keyOf(obj Object) string {
	key, _ := MetaNamespaceKeyFunc(obj)
	return key
}

func (r *recorder) OnAdd(obj Object, initial bool) {
	r.record(note{kind: "add", key: keyOf(obj), rv: obj.GetResourceVersion(), initial: initial})
}

func (r *recorder) OnUpdate(oldObj, newObj Object) {
	r.record(note{kind: "update", key: keyOf(newObj), oldRV: oldObj.GetResourceVersion(), rv: newObj.GetResourceVersion(), sameObjs: oldObj == newObj})
}

func (r *recorder) OnDelete(obj any) {
	switch t := obj.(type) {
	case DeletedFinalStateUnknown:
		r.record(note{kind: "tombstone", key: t.Key, rv: t.Obj.GetResourceVersion()})
	case Object:
		r.record(note{kind: "delete", key: keyOf(t), rv: t.GetResourceVersion()})
	default:
		r.record(note{kind: fmt.Sprintf("delete of %T", obj)})
	}
}

// waitFor reads notifications until want; it returns those before it.
func (r *recorder) waitFor(t *testing.T, want string) []string {
	t.Helper()
	var before []string
	for {
		got := recv(t, r.seen, want)
		if got == want {
			return before
		}
		before = append(before, got)
	}
}

func (r *recorder) all() []note {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]note(nil), r.notes...)
}
