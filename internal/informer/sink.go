package informer

import "go.uber.org/zap"

// sink is the Informer's side of its Reflector: each change goes to the
// store and, as a notification, to every handler's queue, under the
// informer's mutex.
type sink struct{ i *Informer }

var _ Sink = sink{}

// distribute queues n for every handler; i.mu is held.
func (i *Informer) distribute(n notification) {
	for _, l := range i.listeners {
		l.push(n)
	}
}

// Replace stores a fresh list and tells the handlers what it changed:
// adds for new keys, updates for objects whose resourceVersion moved,
// tombstones for keys that vanished. Unchanged objects cause nothing.
func (s sink) Replace(items []Object, resourceVersion string) error {
	i := s.i
	i.mu.Lock()
	defer i.mu.Unlock()
	old := i.indexer.snapshot()
	err := i.indexer.Replace(items, resourceVersion)
	initial := !i.synced.Load()
	seen := make(map[string]struct{}, len(items))
	var added, updated, deleted int
	for _, obj := range items {
		key, kerr := i.indexer.keyFunc(obj)
		if kerr != nil {
			continue
		}
		if cur, ok := i.indexer.GetByKey(key); !ok || cur != obj {
			continue // refused by the store, or a duplicate key
		}
		seen[key] = struct{}{}
		prev, existed := old[key]
		switch {
		case !existed:
			added++
			i.distribute(notification{kind: notifyAdd, obj: obj, initial: initial})
		case prev.GetResourceVersion() != obj.GetResourceVersion():
			updated++
			i.distribute(notification{kind: notifyUpdate, old: prev, obj: obj})
		}
	}
	for key, prev := range old {
		if _, ok := seen[key]; !ok {
			deleted++
			i.distribute(notification{kind: notifyDelete, deleted: DeletedFinalStateUnknown{Key: key, Obj: prev}})
		}
	}
	if !initial {
		i.logger.Info("relisted", zap.String("resourceVersion", resourceVersion),
			zap.Int("added", added), zap.Int("updated", updated), zap.Int("deleted", deleted))
	}
	i.synced.Store(true)
	return err
}

// Add stores a watched addition.
func (s sink) Add(obj Object) error { return s.upsert(obj) }

// Update stores a watched modification.
func (s sink) Update(obj Object) error { return s.upsert(obj) }

// upsert stores obj and notifies an add or an update. An object already
// stored at the same resourceVersion is a replay and notifies nothing.
func (s sink) upsert(obj Object) error {
	i := s.i
	key, err := i.indexer.keyFunc(obj)
	if err != nil {
		return err
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	prev, existed := i.indexer.GetByKey(key)
	if existed && obj.GetResourceVersion() != "" && prev.GetResourceVersion() == obj.GetResourceVersion() {
		return nil
	}
	if err := i.indexer.Update(obj); err != nil {
		return err
	}
	if existed {
		i.distribute(notification{kind: notifyUpdate, old: prev, obj: obj})
	} else {
		i.distribute(notification{kind: notifyAdd, obj: obj})
	}
	return nil
}

// Delete removes a watched deletion and notifies it with the object's final
// state.
func (s sink) Delete(obj Object) error {
	i := s.i
	key, err := i.indexer.keyFunc(obj)
	if err != nil {
		return err
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	i.indexer.DeleteByKey(key)
	i.distribute(notification{kind: notifyDelete, deleted: obj})
	return nil
}
