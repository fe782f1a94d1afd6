package apps

import (
	"time"

	"github.com/skiff-dev/skiff/apiserver/registry"
)

// Resources lists every apps/v1 resource this package serves.
func Resources() []*registry.Resource {
	now := time.Now
	return []*registry.Resource{
		deploymentResource(now),
		replicaSetResource(now),
		statefulSetResource(now),
		daemonSetResource(now),
		controllerRevisionResource(now),
	}
}
