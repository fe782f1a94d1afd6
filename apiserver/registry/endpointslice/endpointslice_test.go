package endpointslice

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

func ptr[T any](v T) *T { return &v }

func slice() *discoveryv1.EndpointSlice {
	eps := &discoveryv1.EndpointSlice{
		ObjectMeta:  metav1.ObjectMeta{Name: "web-abc12", Namespace: "default", Labels: map[string]string{discoveryv1.LabelServiceName: "web"}},
		AddressType: discoveryv1.AddressTypeIPv4,
		Endpoints: []discoveryv1.Endpoint{
			{Addresses: []string{"10.0.0.1"}, NodeName: ptr("node-1"), Hostname: ptr("web-0")},
			{Addresses: []string{"10.0.0.2"}},
		},
		Ports: []discoveryv1.EndpointPort{{Name: ptr("http"), Port: ptr[int32](80)}},
	}
	strategy{}.Default(eps)
	return eps
}

func errorStrings(errs field.ErrorList) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func TestDefaults(t *testing.T) {
	eps := &discoveryv1.EndpointSlice{Ports: []discoveryv1.EndpointPort{{Port: ptr[int32](53)}}}
	strategy{}.Default(eps)
	if *eps.Ports[0].Name != "" || *eps.Ports[0].Protocol != corev1.ProtocolTCP {
		t.Fatalf("port defaults %+v", eps.Ports[0])
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*discoveryv1.EndpointSlice)
		want   []string
	}{
		{"valid", func(*discoveryv1.EndpointSlice) {}, nil},
		{"no address type", func(e *discoveryv1.EndpointSlice) { e.AddressType = "" }, []string{"addressType: Required value"}},
		{"unknown address type", func(e *discoveryv1.EndpointSlice) { e.AddressType = "IP" }, []string{
			`addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"`}},
		{"ipv6 in ipv4 slice", func(e *discoveryv1.EndpointSlice) { e.Endpoints[0].Addresses = []string{"fd00::1"} }, []string{
			`endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address`}},
		{"no addresses", func(e *discoveryv1.EndpointSlice) { e.Endpoints[1].Addresses = nil }, []string{
			"endpoints[1].addresses: Required value: must contain at least 1 address"}},
		{"too many addresses", func(e *discoveryv1.EndpointSlice) {
			e.Endpoints[1].Addresses = make([]string, 101)
			for i := range e.Endpoints[1].Addresses {
				e.Endpoints[1].Addresses[i] = "10.1.0.1"
			}
		}, []string{"endpoints[1].addresses: Too many: 101: must have at most 100 items"}},
		{"fqdn", func(e *discoveryv1.EndpointSlice) {
			e.AddressType = discoveryv1.AddressTypeFQDN
			e.Endpoints = []discoveryv1.Endpoint{{Addresses: []string{"db.example.com"}}, {Addresses: []string{"localhost"}}}
		}, []string{`endpoints[1].addresses[0]: Invalid value: "localhost": should be a domain with at least two segments separated by dots`}},
		{"bad hostname and node", func(e *discoveryv1.EndpointSlice) {
			e.Endpoints[0].Hostname = ptr("Web_0")
			e.Endpoints[0].NodeName = ptr("Node!")
		}, []string{
			`endpoints[0].nodeName: Invalid value: "Node!": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
			`endpoints[0].hostname: Invalid value: "Web_0": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
		}},
		{"ports", func(e *discoveryv1.EndpointSlice) {
			e.Ports = append(e.Ports, discoveryv1.EndpointPort{Name: ptr("http"), Protocol: ptr(corev1.Protocol("ICMP")), AppProtocol: ptr("bad proto")})
		}, []string{
			`ports[1].name: Duplicate value: "http"`,
			`ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"`,
			`ports[1].appProtocol: Invalid value: "bad proto": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
		}},
		{"hints", func(e *discoveryv1.EndpointSlice) {
			e.Endpoints[0].Hints = &discoveryv1.EndpointHints{ForZones: []discoveryv1.ForZone{{Name: "a"}, {Name: "a"}}}
		}, []string{`endpoints[0].hints.forZones[1].name: Duplicate value: "a"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eps := slice()
			tt.mutate(eps)
			if got := errorStrings(strategy{}.Validate(context.Background(), eps)); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("errors\n got  %q\n want %q", got, tt.want)
			}
		})
	}
	many := slice()
	many.Endpoints = make([]discoveryv1.Endpoint, 1001)
	if got := errorStrings(strategy{}.Validate(context.Background(), many)); len(got) != 1 || got[0] != "endpoints: Too many: 1001: must have at most 1000 items" {
		t.Fatalf("1001 endpoints: %q", got)
	}
}

func TestUpdate(t *testing.T) {
	ctx := context.Background()
	old := slice()
	strategy{}.PrepareForCreate(ctx, old)
	if old.Generation != 1 {
		t.Fatalf("generation %d", old.Generation)
	}
	same := old.DeepCopy()
	same.Annotations = map[string]string{"a": "b"}
	strategy{}.PrepareForUpdate(ctx, same, old)
	if same.Generation != 1 {
		t.Fatalf("annotation change moved generation to %d", same.Generation)
	}
	for name, mutate := range map[string]func(*discoveryv1.EndpointSlice){
		"labels":    func(e *discoveryv1.EndpointSlice) { e.Labels["x"] = "y" },
		"endpoints": func(e *discoveryv1.EndpointSlice) { e.Endpoints = e.Endpoints[:1] },
	} {
		upd := old.DeepCopy()
		mutate(upd)
		strategy{}.PrepareForUpdate(ctx, upd, old)
		if upd.Generation != 2 {
			t.Fatalf("%s change: generation %d", name, upd.Generation)
		}
	}
	upd := old.DeepCopy()
	upd.AddressType = discoveryv1.AddressTypeIPv6
	upd.Endpoints = []discoveryv1.Endpoint{{Addresses: []string{"fd00::1"}}}
	got := errorStrings(strategy{}.ValidateUpdate(ctx, upd, old))
	if len(got) != 1 || got[0] != `addressType: Invalid value: "IPv6": field is immutable` {
		t.Fatalf("errors %q", got)
	}
}

func TestDropTopology(t *testing.T) {
	ctx := context.Background()
	created := slice()
	created.Endpoints[1].DeprecatedTopology = map[string]string{corev1.LabelHostname: "node-2"}
	strategy{}.PrepareForCreate(ctx, created)
	if created.Endpoints[1].DeprecatedTopology != nil {
		t.Fatal("v1 create kept deprecatedTopology")
	}
	old := slice()
	old.Endpoints[1].DeprecatedTopology = map[string]string{corev1.LabelHostname: "node-2"} // written through v1beta1
	unchanged := old.DeepCopy()
	strategy{}.PrepareForUpdate(ctx, unchanged, old)
	if unchanged.Endpoints[1].DeprecatedTopology == nil {
		t.Fatal("unchanged endpoints lost their topology")
	}
	changed := old.DeepCopy()
	changed.Endpoints[0].Addresses = []string{"10.0.0.9"}
	strategy{}.PrepareForUpdate(ctx, changed, old)
	if changed.Endpoints[1].DeprecatedTopology != nil || changed.Endpoints[1].NodeName == nil || *changed.Endpoints[1].NodeName != "node-2" {
		t.Fatalf("endpoint %+v", changed.Endpoints[1])
	}
}

func TestTable(t *testing.T) {
	now := time.Date(2024, 8, 1, 12, 0, 0, 0, time.UTC)
	eps := slice()
	eps.CreationTimestamp = metav1.NewTime(now.Add(-90 * time.Second))
	eps.Endpoints = append(eps.Endpoints, discoveryv1.Endpoint{Addresses: []string{"10.0.0.3", "10.0.0.4"}})
	eps.Ports = append(eps.Ports, discoveryv1.EndpointPort{Name: ptr("metrics")}, discoveryv1.EndpointPort{}, discoveryv1.EndpointPort{Port: ptr[int32](9)})
	empty := &discoveryv1.EndpointSlice{ObjectMeta: metav1.ObjectMeta{Name: "empty", CreationTimestamp: eps.CreationTimestamp}, AddressType: discoveryv1.AddressTypeIPv6}
	tbl, err := table(func() time.Time { return now })([]storage.Object{eps, empty}, false)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range tbl.ColumnDefinitions {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "Name,AddressType,Ports,Endpoints,Age" {
		t.Fatalf("columns %v", names)
	}
	want := [][]any{
		{"web-abc12", "IPv4", "80,metrics,* + 1 more...", "10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...", "90s"},
		{"empty", "IPv6", "<unset>", "<unset>", "90s"},
	}
	for i, row := range tbl.Rows {
		if !reflect.DeepEqual(row.Cells, want[i]) {
			t.Fatalf("row %d %#v, want %#v", i, row.Cells, want[i])
		}
	}
}
