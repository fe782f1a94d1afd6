package discovery

import (
	"encoding/json"
	"net/http"
	"testing"

	apidiscoveryv2 "k8s.io/api/apidiscovery/v2"
	apidiscoveryv2beta1 "k8s.io/api/apidiscovery/v2beta1"
)

// kubectlAccept is the Accept header client-go v0.31 sends to /api and /apis.
const kubectlAccept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList," +
	"application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"

func TestNegotiation(t *testing.T) {
	h := New(testResources(), Info{})
	tests := []struct {
		name, path, accept, contentType string
	}{
		{"kubectl on /api", "/api", kubectlAccept, contentTypeAggregated},
		{"kubectl on /apis", "/apis", kubectlAccept, contentTypeAggregated},
		{"v2beta1 only", "/apis", "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList", contentTypeAggregatedV2Beta1},
		{"params in any order", "/apis", "application/json;as=APIGroupDiscoveryList;v=v2;g=apidiscovery.k8s.io", contentTypeAggregated},
		{"quality wins over order", "/apis", "application/json;q=0.5,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", contentTypeAggregated},
		{"legacy preferred", "/apis", "application/json,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", contentTypeJSON},
		{"unknown aggregated version falls through", "/apis", "application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json", contentTypeJSON},
		{"protobuf first, JSON next", "/apis", "application/vnd.kubernetes.protobuf,application/json", contentTypeJSON},
		{"no Accept", "/apis", "", contentTypeJSON},
		{"anything", "/api", "*/*", contentTypeJSON},
		{"kubectl on a group version", "/api/v1", kubectlAccept, contentTypeJSON},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := get(t, h, tt.path, tt.accept)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if got := resp.Header.Get("Content-Type"); got != tt.contentType {
				t.Errorf("Content-Type %q, want %q", got, tt.contentType)
			}
			if (tt.path == "/api" || tt.path == "/apis") && resp.Header.Get("Vary") != "Accept" {
				t.Errorf("Vary %q", resp.Header.Get("Vary"))
			}
		})
	}
}

func TestAggregatedCore(t *testing.T) {
	h := New(testResources(), Info{})
	all := `["create","delete","deletecollection","get","list","patch","update","watch"]`
	assertJSON(t, body(t, get(t, h, "/api", kubectlAccept)), `{"kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io/v2",
		"metadata":{},"items":[{"metadata":{"creationTimestamp":null},"versions":[{"version":"v1","resources":[
		{"resource":"events","responseKind":{"group":"","version":"v1","kind":"Event"},"scope":"Namespaced","singularResource":"event","verbs":`+all+`,"shortNames":["ev"]},
		{"resource":"namespaces","responseKind":{"group":"","version":"v1","kind":"Namespace"},"scope":"Cluster","singularResource":"namespace",
		 "verbs":["create","delete","get","list","patch","update","watch"],"shortNames":["ns"]},
		{"resource":"pods","responseKind":{"group":"","version":"v1","kind":"Pod"},"scope":"Namespaced","singularResource":"pod","verbs":`+all+`,
		 "shortNames":["po"],"categories":["all"],"subresources":[
			{"subresource":"binding","responseKind":{"group":"","version":"v1","kind":"Binding"},"verbs":["create"]},
			{"subresource":"eviction","responseKind":{"group":"policy","version":"v1","kind":"Eviction"},"verbs":["create"]},
			{"subresource":"status","responseKind":{"group":"","version":"v1","kind":"Pod"},"verbs":["get","patch","update"]}]}
		],"freshness":"Current"}]}]}`)
}

// TestAggregatedGroups reads /apis as client-go does: the first version of
// each group is its preferred one, every subresource names its kind.
func TestAggregatedGroups(t *testing.T) {
	h := New(testResources(), Info{})
	var list apidiscoveryv2.APIGroupDiscoveryList
	if err := json.Unmarshal([]byte(body(t, get(t, h, "/apis", kubectlAccept))), &list); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range list.Items {
		names = append(names, g.Name)
		for _, v := range g.Versions {
			for _, r := range v.Resources {
				if r.ResponseKind == nil || r.ResponseKind.Kind == "" {
					t.Errorf("%s/%s %s: no responseKind", g.Name, v.Version, r.Resource)
				}
				for _, s := range r.Subresources {
					if s.ResponseKind == nil || s.ResponseKind.Kind == "" {
						t.Errorf("%s/%s: no responseKind", r.Resource, s.Subresource)
					}
				}
			}
		}
	}
	if got, want := names, []string{"apps", "events.k8s.io", "autoscaling"}; !equal(got, want) {
		t.Errorf("groups %v, want %v", got, want)
	}
	autoscaling := list.Items[2]
	if autoscaling.Versions[0].Version != "v2" || autoscaling.Versions[1].Version != "v1" {
		t.Errorf("autoscaling versions %+v", autoscaling.Versions)
	}
	scale := list.Items[0].Versions[0].Resources[0].Subresources[0]
	if scale.Subresource != "scale" || scale.ResponseKind.Group != "autoscaling" || scale.ResponseKind.Kind != "Scale" {
		t.Errorf("deployments/scale %+v", scale)
	}
}

func TestAggregatedV2Beta1MatchesV2(t *testing.T) {
	h := New(testResources(), Info{})
	var v2 apidiscoveryv2.APIGroupDiscoveryList
	var beta apidiscoveryv2beta1.APIGroupDiscoveryList
	if err := json.Unmarshal([]byte(body(t, get(t, h, "/apis", kubectlAccept))), &v2); err != nil {
		t.Fatal(err)
	}
	resp := get(t, h, "/apis", contentTypeAggregatedV2Beta1)
	if err := json.Unmarshal([]byte(body(t, resp)), &beta); err != nil {
		t.Fatal(err)
	}
	if beta.APIVersion != "apidiscovery.k8s.io/v2beta1" {
		t.Errorf("apiVersion %q", beta.APIVersion)
	}
	a, _ := json.Marshal(v2.Items)
	b, _ := json.Marshal(beta.Items)
	if string(a) != string(b) {
		t.Errorf("v2beta1 items differ:\n%s\n%s", a, b)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
