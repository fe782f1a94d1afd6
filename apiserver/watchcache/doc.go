// Package watchcache keeps one resource's objects and its recent changes in
// memory, fed by a single storage watch, and serves every watch and every
// "not older than" list of that resource from there, so that a thousand
// watchers cost etcd one watch.
//
// A Cache lists its prefix once (a consistent read), then watches from the
// list's revision: each change updates the store (key → object) and is
// appended to a ring of recent events. Watches start from the current state
// (resourceVersion 0: synthetic ADDED events) or from a revision still in the
// ring (older ones fail with an *ExpiredError, 410 Gone); a single
// dispatcher goroutine hands each change to every interested watcher without
// ever blocking on one for long: a watcher that cannot keep up is closed.
//
// Objects handed out by the cache (in List results and WatchEvents) are
// shared by every reader and must not be changed; copy them first.
package watchcache
