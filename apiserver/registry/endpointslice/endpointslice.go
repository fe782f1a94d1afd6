package endpointslice

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/betadocs"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// Resources lists the discovery.k8s.io/v1 resources this package serves.
func Resources() []*registry.Resource { return []*registry.Resource{endpointSliceResource(time.Now)} }

func endpointSliceResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:           discoveryv1.SchemeGroupVersion.WithResource("endpointslices"),
		Kind:          "EndpointSlice",
		SingularName:  "endpointslice",
		Namespaced:    true,
		StoragePrefix: "endpointslices",
		New:           func() storage.Object { return &discoveryv1.EndpointSlice{} },
		NewList:       func() runtime.Object { return &discoveryv1.EndpointSliceList{} },
		Strategy:      strategy{},
		Table:         table(now),
	}
}

// strategy: generation starts at 1 and moves on any change but metadata
// (labels included); deprecatedTopology cannot be written through v1.
type strategy struct{}

// Default is upstream's SetDefaults_EndpointPort: name "" and TCP.
func (strategy) Default(obj storage.Object) {
	eps := obj.(*discoveryv1.EndpointSlice)
	for i := range eps.Ports {
		p := &eps.Ports[i]
		if p.Name == nil {
			p.Name = new(string)
		}
		if p.Protocol == nil {
			tcp := corev1.ProtocolTCP
			p.Protocol = &tcp
		}
	}
}

func (strategy) PrepareForCreate(_ context.Context, obj storage.Object) {
	eps := obj.(*discoveryv1.EndpointSlice)
	eps.Generation = 1
	dropTopology(eps, nil)
}

func (strategy) PrepareForUpdate(_ context.Context, obj, old storage.Object) {
	eps, o := obj.(*discoveryv1.EndpointSlice), old.(*discoveryv1.EndpointSlice)
	a, b := *eps, *o
	a.ObjectMeta, b.ObjectMeta = metav1.ObjectMeta{}, metav1.ObjectMeta{}
	a.TypeMeta, b.TypeMeta = metav1.TypeMeta{}, metav1.TypeMeta{}
	if !apiequality.Semantic.DeepEqual(a, b) || !apiequality.Semantic.DeepEqual(eps.Labels, o.Labels) {
		eps.Generation = o.Generation + 1
	}
	dropTopology(eps, o)
}

func (strategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	return validateEndpointSlice(obj.(*discoveryv1.EndpointSlice))
}

func (strategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	eps, o := obj.(*discoveryv1.EndpointSlice), old.(*discoveryv1.EndpointSlice)
	errs := validateEndpointSlice(eps)
	return append(errs, apimachineryvalidation.ValidateImmutableField(eps.AddressType, o.AddressType, field.NewPath("addressType"))...)
}

// dropTopology clears deprecatedTopology, which v1 clients may not write,
// when the endpoints change (upstream's dropTopologyOnV1). A node name
// kept in the old slice's topology moves to nodeName.
func dropTopology(eps, old *discoveryv1.EndpointSlice) {
	if old != nil && apiequality.Semantic.DeepEqual(old.Endpoints, eps.Endpoints) {
		return
	}
	prevNodes := map[string]bool{}
	if old != nil {
		for _, ep := range old.Endpoints {
			if n, ok := ep.DeprecatedTopology[corev1.LabelHostname]; ok {
				prevNodes[n] = true
			}
		}
	}
	for i := range eps.Endpoints {
		ep := &eps.Endpoints[i]
		if n, ok := ep.DeprecatedTopology[corev1.LabelHostname]; ok && ep.NodeName == nil && prevNodes[n] &&
			len(apimachineryvalidation.NameIsDNSSubdomain(n, false)) == 0 {
			ep.NodeName = &n
		}
		ep.DeprecatedTopology = nil
	}
}

var columns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "AddressType", Type: "string", Description: betadocs.EndpointSliceAddressType},
	{Name: "Ports", Type: "string", Description: betadocs.EndpointSlicePorts},
	{Name: "Endpoints", Type: "string", Description: betadocs.EndpointSliceEndpoints},
	registry.AgeColumn,
}

func table(now func() time.Time) registry.TableFunc {
	return registry.Rows(columns, now, endpointSliceRow)
}

func endpointSliceRow(obj storage.Object, now time.Time) ([]any, error) {
	eps := obj.(*discoveryv1.EndpointSlice)
	return []any{eps.Name, string(eps.AddressType), formatPorts(eps.Ports), formatEndpoints(eps.Endpoints), registry.Age(eps.CreationTimestamp, now)}, nil
}

// maxListed is how many ports or addresses the table names before
// "+ N more...".
const maxListed = 3

func formatPorts(ports []discoveryv1.EndpointPort) string {
	var list []string
	for _, p := range ports {
		s := "*"
		switch {
		case p.Port != nil:
			s = strconv.Itoa(int(*p.Port))
		case p.Name != nil:
			s = *p.Name
		}
		list = append(list, s)
	}
	return listWithMore(list)
}

func formatEndpoints(endpoints []discoveryv1.Endpoint) string {
	var list []string
	for _, ep := range endpoints {
		list = append(list, ep.Addresses...)
	}
	return listWithMore(list)
}

// listWithMore joins the first items and counts the rest, "<unset>" when
// there are none.
func listWithMore(list []string) string {
	switch {
	case len(list) == 0:
		return "<unset>"
	case len(list) > maxListed:
		return fmt.Sprintf("%s + %d more...", strings.Join(list[:maxListed], ","), len(list)-maxListed)
	}
	return strings.Join(list, ",")
}
