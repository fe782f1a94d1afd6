package workqueue

import "github.com/prometheus/client_golang/prometheus"

// Option configures a queue built by New, NewDelaying or NewRateLimiting.
type Option func(*options)

type options struct {
	name       string
	clock      Clock
	registerer prometheus.Registerer
}

// WithName names the queue. The name is the value of the "name" label on
// the queue's metrics; a queue without a name has no metrics.
func WithName(name string) Option {
	return func(o *options) { o.name = name }
}

// WithClock sets the clock the queue reads time from (RealClock by
// default). Tests pass a FakeClock.
func WithClock(c Clock) Option {
	return func(o *options) { o.clock = c }
}

// WithRegisterer registers the queue's metrics on r. Several queues may
// share one registerer: they share the metric vectors and differ by name.
// A queue without a registerer has no metrics.
func WithRegisterer(r prometheus.Registerer) Option {
	return func(o *options) { o.registerer = r }
}

func buildOptions(opts []Option) options {
	o := options{}
	for _, opt := range opts {
		opt(&o)
	}
	if o.clock == nil {
		o.clock = RealClock{}
	}
	return o
}
