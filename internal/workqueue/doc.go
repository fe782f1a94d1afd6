// Package workqueue is the queue between a controller's event handlers and
// its workers: handlers Add keys, workers Get them, process them and mark
// them Done. It behaves as upstream's client-go workqueue does, generic
// over the item type.
//
//   - Queue de-duplicates: a key added several times before a worker gets
//     it is processed once, and a key is never processed by two workers at
//     once; added while it is being processed, it is queued again at Done.
//   - DelayingQueue adds AddAfter, for work due later.
//   - RateLimitingQueue adds AddRateLimited, Forget and NumRequeues, for
//     retrying failures with backoff (DefaultControllerRateLimiter: per-key
//     exponential from 5ms to 1000s, overall 10 per second, burst 100).
//
// With WithName and WithRegisterer a queue keeps upstream's workqueue_*
// metrics, labelled by its name. All time is read through a Clock, so
// tests drive queues with a FakeClock.
//
// A worker's loop:
//
//	func (c *Controller) runWorker(ctx context.Context) {
//		for c.processNextItem(ctx) {
//		}
//	}
//
//	func (c *Controller) processNextItem(ctx context.Context) bool {
//		key, shutdown := c.queue.Get()
//		if shutdown {
//			return false
//		}
//		defer c.queue.Done(key)
//		if err := c.sync(ctx, key); err != nil {
//			c.logger.Info("sync failed, will retry", zap.String("key", key), zap.Error(err))
//			c.queue.AddRateLimited(key) // retried later, with backoff
//			return true
//		}
//		c.queue.Forget(key) // success: the next failure starts from the base delay
//		return true
//	}
//
// The controller's Run starts its workers and, when ctx ends, calls
// queue.ShutDown (or ShutDownWithDrain to let in-flight work finish), which
// makes Get report shutdown and the loops return.
package workqueue
