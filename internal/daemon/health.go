package daemon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"

	"go.uber.org/zap"
)

// Endpoints is a set of health endpoints a check is registered for.
type Endpoints uint8

// The health endpoints. A check belongs to any combination of them.
const (
	Livez   Endpoints = 1 << iota // /livez: restart the process if it fails
	Readyz                        // /readyz: send it no traffic while it fails
	Healthz                       // /healthz: the older, combined endpoint

	AllEndpoints = Livez | Readyz | Healthz
)

var endpointNames = []struct {
	e    Endpoints
	name string
}{{Livez, "livez"}, {Readyz, "readyz"}, {Healthz, "healthz"}}

// String returns the endpoint's name ("livez") for a single endpoint.
func (e Endpoints) String() string {
	for _, n := range endpointNames {
		if e == n.e {
			return n.name
		}
	}
	return fmt.Sprintf("Endpoints(%d)", uint8(e))
}

// Check is a named health check. Fn returns nil when healthy; its error is
// logged and shown on /<endpoint>/<name>, never on the public summary.
type Check struct {
	Name string
	Fn   func(*http.Request) error
}

type registeredCheck struct {
	Check
	on Endpoints
}

// Names of the checks every Health starts with, as upstream names them.
const (
	PingCheckName     = "ping"     // always passes: the process answers HTTP
	ShutdownCheckName = "shutdown" // readyz only: fails once shutdown began
)

// Health holds the named checks behind /livez, /readyz and /healthz. Its
// methods are safe for concurrent use; checks may be added while serving.
type Health struct {
	logger   *zap.Logger
	mu       sync.RWMutex
	checks   []registeredCheck
	shutdown atomic.Bool
}

// NewHealth returns a Health with upstream's built-in checks: "ping" on
// every endpoint and "shutdown" on readyz. A nil logger logs nothing.
func NewHealth(logger *zap.Logger) *Health {
	if logger == nil {
		logger = zap.NewNop()
	}
	h := &Health{logger: logger}
	h.Add(AllEndpoints, Check{Name: PingCheckName, Fn: func(*http.Request) error { return nil }})
	h.Add(Readyz, Check{Name: ShutdownCheckName, Fn: func(*http.Request) error {
		if h.shutdown.Load() {
			return errors.New("process is shutting down")
		}
		return nil
	}})
	return h
}

// Add registers checks on the endpoints in on. It panics on a check without
// a name or function, or with a name already registered on one of those
// endpoints: both are wiring mistakes.
func (h *Health) Add(on Endpoints, checks ...Check) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range checks {
		if c.Name == "" || c.Fn == nil {
			panic(fmt.Sprintf("daemon: health check %q needs a name and a function", c.Name))
		}
		for _, have := range h.checks {
			if have.Name == c.Name && have.on&on != 0 {
				panic(fmt.Sprintf("daemon: health check %q registered twice", c.Name))
			}
		}
		h.checks = append(h.checks, registeredCheck{Check: c, on: on})
	}
}

// BeginShutdown makes the "shutdown" readyz check fail from now on, so load
// balancers stop sending traffic while the process drains.
func (h *Health) BeginShutdown() {
	if !h.shutdown.Swap(true) {
		h.logger.Info("shutdown began; readyz now fails")
	}
}

// checksFor returns the checks of endpoint e in registration order.
func (h *Health) checksFor(e Endpoints) []Check {
	h.mu.RLock()
	defer h.mu.RUnlock()
	var out []Check
	for _, c := range h.checks {
		if c.on&e != 0 {
			out = append(out, c.Check)
		}
	}
	return out
}

func (h *Health) check(e Endpoints, name string) (Check, bool) {
	checks := h.checksFor(e)
	i := slices.IndexFunc(checks, func(c Check) bool { return c.Name == name })
	if i < 0 {
		return Check{}, false
	}
	return checks[i], true
}

// Evaluate runs every check of endpoint e with r and returns nil when all pass,
// else an error naming each failing check with its reason.
func (h *Health) Evaluate(r *http.Request, e Endpoints) error {
	var errs []error
	for _, c := range h.checksFor(e) {
		if err := c.Fn(r); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.Name, err))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s check failed: %w", e, errors.Join(errs...))
	}
	return nil
}

// Live runs the livez checks, for callers outside HTTP such as the systemd
// watchdog.
func (h *Health) Live(ctx context.Context) error {
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, "/livez", nil)
	if err != nil {
		return err
	}
	return h.Evaluate(r, Livez)
}
