package informer

// Handler receives an informer's notifications. Each registered Handler is
// called from its own goroutine, one call at a time, in the order the
// informer learned of the changes; a slow Handler delays only itself.
//
// The objects are the informer's cached ones, shared with every other
// handler and lister: never mutate them (DeepCopy first).
type Handler interface {
	// OnAdd is called for an object the handler has not seen.
	// isInInitialList is true for the objects of the informer's first list
	// and for the current contents delivered to a handler added later.
	OnAdd(obj Object, isInInitialList bool)
	// OnUpdate is called when an object changes; on a periodic resync, with
	// the same object twice.
	OnUpdate(oldObj, newObj Object)
	// OnDelete is called with the deleted object's final state, or with a
	// DeletedFinalStateUnknown when the deletion was noticed by a relist.
	OnDelete(obj any)
}

// HandlerFuncs adapts functions to a Handler; nil functions ignore their
// notifications.
type HandlerFuncs struct {
	AddFunc    func(obj Object, isInInitialList bool)
	UpdateFunc func(oldObj, newObj Object)
	DeleteFunc func(obj any)
}

var _ Handler = HandlerFuncs{}

// OnAdd calls AddFunc if set.
func (f HandlerFuncs) OnAdd(obj Object, isInInitialList bool) {
	if f.AddFunc != nil {
		f.AddFunc(obj, isInInitialList)
	}
}

// OnUpdate calls UpdateFunc if set.
func (f HandlerFuncs) OnUpdate(oldObj, newObj Object) {
	if f.UpdateFunc != nil {
		f.UpdateFunc(oldObj, newObj)
	}
}

// OnDelete calls DeleteFunc if set.
func (f HandlerFuncs) OnDelete(obj any) {
	if f.DeleteFunc != nil {
		f.DeleteFunc(obj)
	}
}

// FilteringHandler passes on only the notifications about objects Filter
// accepts. An update that makes an object pass becomes an add; one that
// makes it fail becomes a delete (of the old state).
type FilteringHandler struct {
	Filter  func(obj Object) bool
	Handler Handler
}

var _ Handler = FilteringHandler{}

// OnAdd passes the add on if obj passes.
func (f FilteringHandler) OnAdd(obj Object, isInInitialList bool) {
	if f.Filter(obj) {
		f.Handler.OnAdd(obj, isInInitialList)
	}
}

// OnUpdate passes on an update, an add or a delete, as the filter decides.
func (f FilteringHandler) OnUpdate(oldObj, newObj Object) {
	was, is := f.Filter(oldObj), f.Filter(newObj)
	switch {
	case was && is:
		f.Handler.OnUpdate(oldObj, newObj)
	case is:
		f.Handler.OnAdd(newObj, false)
	case was:
		f.Handler.OnDelete(oldObj)
	}
}

// OnDelete passes the delete on if the object (or the tombstone's object)
// passes.
func (f FilteringHandler) OnDelete(obj any) {
	var o Object
	switch t := obj.(type) {
	case DeletedFinalStateUnknown:
		o = t.Obj
	case Object:
		o = t
	}
	if o != nil && f.Filter(o) {
		f.Handler.OnDelete(obj)
	}
}
