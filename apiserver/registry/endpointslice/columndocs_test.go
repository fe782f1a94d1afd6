package endpointslice

import (
	"testing"

	discoveryv1beta1 "k8s.io/api/discovery/v1beta1"
)

// TestColumnDocsAreUpstreams: the quoted descriptions are the beta types' own.
func TestColumnDocsAreUpstreams(t *testing.T) {
	for got, want := range map[string]string{
		docEndpointSliceAddressType: discoveryv1beta1.EndpointSlice{}.SwaggerDoc()["addressType"],
		docEndpointSliceEndpoints:   discoveryv1beta1.EndpointSlice{}.SwaggerDoc()["endpoints"],
		docEndpointSlicePorts:       discoveryv1beta1.EndpointSlice{}.SwaggerDoc()["ports"],
	} {
		if got != want {
			t.Errorf("description %q, upstream's %q", got, want)
		}
	}
}
