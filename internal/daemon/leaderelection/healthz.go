package leaderelection

import (
	"fmt"
	"net/http"
	"time"
)

// HealthCheckName is the name upstream gives the elector's health check.
const HealthCheckName = "leaderElection"

// HealthzTolerance is how long past the lease duration a leader may go
// without renewing before its health check fails, as upstream's healthz
// adaptor allows.
const HealthzTolerance = 20 * time.Second

// Check is a /healthz check: it fails when this process believes it leads
// but has not renewed the lease for LeaseDuration + HealthzTolerance — a
// wedged renew loop that should have given up leadership long ago. A
// standby always passes.
func (e *Elector) Check(*http.Request) error {
	e.mu.Lock()
	leading, last := e.leading, e.lastRenew
	e.mu.Unlock()
	if !leading {
		return nil
	}
	if e.clock.Now().Sub(last) > e.cfg.LeaseDuration+HealthzTolerance {
		return fmt.Errorf("failed election to renew leadership on lease %s", e.key())
	}
	return nil
}
