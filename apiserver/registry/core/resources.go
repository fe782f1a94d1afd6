package core

import (
	"fmt"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// DefaultEventTTL is how long events are kept, as upstream's --event-ttl.
const DefaultEventTTL = time.Hour

// Options configure the resources that need it.
type Options struct {
	// EventTTL is how long an event lives in etcd (--event-ttl); zero
	// means DefaultEventTTL.
	EventTTL time.Duration
}

// Resources lists every resource this package serves.
func Resources(opts Options) []*registry.Resource {
	if opts.EventTTL <= 0 {
		opts.EventTTL = DefaultEventTTL
	}
	now := time.Now
	return []*registry.Resource{
		namespacesResource(now),
		configMapsResource(now),
		secretsResource(now),
		serviceAccountsResource(now),
		eventsResource(now, opts.EventTTL),
		nodesResource(now),
		endpointsResource(now),
		limitRangesResource(),
		resourceQuotasResource(now),
		podTemplatesResource(),
		persistentVolumesResource(now),
		persistentVolumeClaimsResource(now),
		replicationControllersResource(now),
	}
}

// gvr is a core/v1 resource.
func gvr(resource string) schema.GroupVersionResource {
	return schema.GroupVersionResource{Version: "v1", Resource: resource}
}

// wrongType is the validation answer for an object of another kind: a
// programming error, reported rather than panicking.
func wrongType(objs ...storage.Object) field.ErrorList {
	types := make([]string, len(objs))
	for i, o := range objs {
		types[i] = fmt.Sprintf("%T", o)
	}
	return field.ErrorList{field.InternalError(nil, fmt.Errorf("unexpected object types %s", strings.Join(types, ", ")))}
}
