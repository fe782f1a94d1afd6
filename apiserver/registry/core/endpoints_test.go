package core

import (
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

func TestEndpointsDefaultsAndValidate(t *testing.T) {
	ep := &corev1.Endpoints{Subsets: []corev1.EndpointSubset{{Addresses: []corev1.EndpointAddress{{IP: "10.0.0.1"}}, Ports: []corev1.EndpointPort{{Port: 80}}}}}
	endpointsStrategy{}.Default(ep)
	if ep.Subsets[0].Ports[0].Protocol != corev1.ProtocolTCP {
		t.Errorf("protocol = %q", ep.Subsets[0].Ports[0].Protocol)
	}
	checkErrs(t, endpointsStrategy{}.Validate(ctx, ep))

	tests := []struct {
		name   string
		subset corev1.EndpointSubset
		want   []string
	}{
		{"no addresses", corev1.EndpointSubset{}, []string{"subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`"}},
		{"bad ip", corev1.EndpointSubset{Addresses: []corev1.EndpointAddress{{IP: "10.0.0"}}}, []string{
			`subsets[0].addresses[0].ip: Invalid value: "10.0.0": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
			`subsets[0].addresses[0].ip: Invalid value: "10.0.0": must be a valid IP address`,
		}},
		{"special ips", corev1.EndpointSubset{NotReadyAddresses: []corev1.EndpointAddress{{IP: "127.0.0.1"}, {IP: "0.0.0.0"}, {IP: "169.254.1.1"}, {IP: "224.0.0.1"}}}, []string{
			`subsets[0].notReadyAddresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)`,
			`subsets[0].notReadyAddresses[1].ip: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)`,
			`subsets[0].notReadyAddresses[2].ip: Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)`,
			`subsets[0].notReadyAddresses[3].ip: Invalid value: "224.0.0.1": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)`,
		}},
		{"ports", corev1.EndpointSubset{Addresses: []corev1.EndpointAddress{{IP: "10.0.0.1", Hostname: "A", NodeName: ptr("n_1")}},
			Ports: []corev1.EndpointPort{{Port: 0, Protocol: "TCP"}, {Name: "Web", Port: 70000, Protocol: "ICMP"}}}, []string{
			`subsets[0].addresses[0].hostname: Invalid value: "A": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
			`subsets[0].addresses[0].nodeName: Invalid value: "n_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
			"subsets[0].ports[0].name: Required value",
			"subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
			`subsets[0].ports[1].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
			"subsets[0].ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
			`subsets[0].ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErrs(t, endpointsStrategy{}.Validate(ctx, &corev1.Endpoints{Subsets: []corev1.EndpointSubset{tt.subset}}), tt.want...)
		})
	}
}

func TestEndpointsTable(t *testing.T) {
	addrs := func(ips ...string) []corev1.EndpointAddress {
		var out []corev1.EndpointAddress
		for _, ip := range ips {
			out = append(out, corev1.EndpointAddress{IP: ip})
		}
		return out
	}
	many := &corev1.Endpoints{ObjectMeta: meta("web"), Subsets: []corev1.EndpointSubset{
		{Addresses: addrs("10.0.0.1", "10.0.0.2"), Ports: []corev1.EndpointPort{{Port: 80}, {Port: 443}}},
		{Addresses: addrs("fd00::1"), Ports: []corev1.EndpointPort{{Port: 80}}},
	}}
	headless := &corev1.Endpoints{ObjectMeta: meta("db"), Subsets: []corev1.EndpointSubset{{Addresses: addrs("10.0.0.5")}}}
	empty := &corev1.Endpoints{ObjectMeta: meta("none")}
	r := endpointsResource(clock)
	checkRows(t, r.Table, []storage.Object{many, headless, empty}, false, []string{"Name", "Endpoints", "Age"},
		[]any{"web", "10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...", "5m"},
		[]any{"db", "10.0.0.5", "5m"},
		[]any{"none", "<none>", "5m"})
	if r.StoragePrefix != "services/endpoints" || !r.AllowCreateOnUpdate || r.ShortNames[0] != "ep" {
		t.Errorf("resource = %+v", r)
	}
}
