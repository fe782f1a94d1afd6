package networking

import (
	"time"

	"github.com/skiff-dev/skiff/apiserver/registry"
)

// Resources lists every networking.k8s.io/v1 resource this package serves.
func Resources() []*registry.Resource {
	return []*registry.Resource{
		networkPolicyResource(time.Now),
		ingressResource(time.Now),
		ingressClassResource(time.Now),
	}
}
