package informer

// Option adjusts a Reflector, an Informer or a Factory.
type Option func(*options)

type options struct {
	clock    Clock
	pageSize int64
}

func buildOptions(opts []Option) options {
	o := options{clock: realClock{}, pageSize: defaultPageSize}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// WithClock makes the component read and wait on c instead of the system
// clock.
func WithClock(c Clock) Option {
	return func(o *options) { o.clock = c }
}

// WithPageSize sets how many objects each list request asks for (default
// 500; 0 lists everything in one response).
func WithPageSize(n int64) Option {
	return func(o *options) { o.pageSize = n }
}
