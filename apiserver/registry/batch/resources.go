package batch

import (
	"time"

	"github.com/skiff-dev/skiff/apiserver/registry"
)

// Resources lists every batch/v1 resource this package serves.
func Resources() []*registry.Resource {
	return []*registry.Resource{jobResource(time.Now), cronJobResource(time.Now)}
}
