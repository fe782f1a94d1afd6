package app

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
)

// objectCountInterval is how often apiserver_storage_objects is refreshed,
// as upstream.
const objectCountInterval = time.Minute

// countObjects keeps apiserver_storage_objects{resource} current with a
// count-only etcd read per resource every interval.
func (s *server) countObjects(ctx context.Context, reg prometheus.Registerer) error {
	gauge := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "apiserver_storage_objects",
		Help: "Number of stored objects at the time of last check split by kind.",
	}, []string{"resource"})
	if err := reg.Register(gauge); err != nil {
		return err
	}
	t := time.NewTicker(objectCountInterval)
	defer t.Stop()
	for {
		for i, b := range s.backends {
			n, err := b.Count(ctx)
			if err != nil {
				if ctx.Err() == nil {
					s.logger.Debug("counting objects failed", zap.Error(err))
				}
				continue
			}
			gauge.WithLabelValues(s.stores[i].Resource().GroupResource().String()).Set(float64(n))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
