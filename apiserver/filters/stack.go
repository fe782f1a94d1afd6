package filters

import "net/http"

// requestStackBytes is the frame that grows a write's stack. A create walks
// its object recursively (JSON decoding, the field manager's walk,
// validation), past the 8 KiB a goroutine starts with but within 16 KiB (a
// CPU profile of the create benchmark shows no other stack growth). The
// frame plus the few KiB already in use must stay under 16 KiB: a 16 KiB
// stack comes from the runtime's per-P cache, a 32 KiB one from the heap
// under a lock, which cost a create about 4% of its CPU time when this
// frame was 16 KiB.
const requestStackBytes = 10 << 10

// WithGrownStack grows the goroutine stack of each write (any method but
// GET and HEAD) once, while it is still shallow, to about what the write
// will use. A goroutine starts small and doubles its stack whenever a call
// would overflow it, copying the whole stack and adjusting every frame;
// deep in a write that costs several copies of a deep stack, about a tenth
// of a create's CPU time. One copy of a shallow stack is cheap. Reads are
// shallower, and a watch would hold the grown stack for its whole life.
func WithGrownStack(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			growStack()
		}
		h.ServeHTTP(w, r)
	})
}

// growStack's frame is requestStackBytes large: calling it grows the stack
// to hold it, and the stack stays that size for the rest of the goroutine.
//
//go:noinline
func growStack() {
	var frame [requestStackBytes]byte
	touch(frame[:])
}

//go:noinline
func touch(b []byte) { b[len(b)-1] = 1 }
