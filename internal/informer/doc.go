// Package informer keeps local, indexed caches of API objects and tells
// event handlers about every change: skiff's equivalent of client-go's
// tools/cache, written from scratch.
//
// The pieces, bottom up:
//
//   - Indexer: a thread-safe store of objects by key ("namespace/name", or
//     "name" for cluster-scoped objects; see MetaNamespaceKeyFunc), with
//     secondary indices (NamespaceIndex always, others via AddIndexers).
//   - Reflector: keeps a Sink (an Indexer, or an Informer's) equal to one
//     resource on the server. It lists (in pages of 500), replaces the sink's
//     contents, then watches from the list's resourceVersion. When a watch
//     ends it resumes from the last resourceVersion it saw (bookmarks
//     included); it lists again only on 410 Gone/Expired; it backs off on
//     other failures.
//   - Informer: a Reflector feeding an Indexer, plus any number of Handlers,
//     each fed from its own unbounded queue on its own goroutine, with
//     optional periodic resync.
//   - Lister: typed, read-only access to an Informer's store.
//   - Factory: one shared Informer per resource, over a constructor of
//     ListerWatchers that the client adapter supplies.
//
// A controller wires them like this:
//
//	inf := informer.New(logger, podsLW, &corev1.Pod{}, 0, nil)
//	reg, _ := inf.AddEventHandler(informer.HandlerFuncs{
//		AddFunc:    func(obj informer.Object, _ bool) { enqueue(obj) },
//		UpdateFunc: func(_, obj informer.Object) { enqueue(obj) },
//		DeleteFunc: func(obj any) { enqueue(obj) }, // may be a DeletedFinalStateUnknown
//	})
//	pods := informer.NewLister[corev1.Pod](inf.GetIndexer(), corev1.Resource("pods"))
//	go inf.Run(ctx)
//	if !informer.WaitForCacheSync(ctx, reg.HasSynced) { return ctx.Err() }
//
// Objects handed out by handlers, stores and listers are shared by every
// reader: never mutate them; DeepCopy first. README.md states the handler
// contract and the guarantees in full.
package informer
