package leaderelection

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// masterStatus is upstream's leader_election_master_status: 1 while this
// process leads the lease named by the label, else 0.
func newMasterStatus(reg prometheus.Registerer) *prometheus.GaugeVec {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "leader_election_master_status",
		Help: "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. 'name' is the string used to identify the lease.",
	}, []string{"name"})
	if reg == nil {
		return g
	}
	if err := reg.Register(g); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(*prometheus.GaugeVec); ok {
				return existing
			}
		}
		// Another metric owns the name: keep counting, unexported.
	}
	return g
}
