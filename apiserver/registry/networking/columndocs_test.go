package networking

import (
	"testing"

	extensionsv1beta1 "k8s.io/api/extensions/v1beta1"
)

// TestColumnDocsAreUpstreams: the quoted descriptions are the beta types' own.
func TestColumnDocsAreUpstreams(t *testing.T) {
	for got, want := range map[string]string{
		docNetworkPolicySpecPodSelector: extensionsv1beta1.NetworkPolicySpec{}.SwaggerDoc()["podSelector"],
	} {
		if got != want {
			t.Errorf("description %q, upstream's %q", got, want)
		}
	}
}
