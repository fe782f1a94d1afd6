package service

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

func TestTable(t *testing.T) {
	now := time.Date(2024, 8, 1, 12, 0, 0, 0, time.UTC)
	meta := metav1.ObjectMeta{Name: "web", CreationTimestamp: metav1.NewTime(now.Add(-2 * 24 * time.Hour))}
	tests := []struct {
		name string
		svc  corev1.Service
		wide bool
		want []any
	}{
		{"cluster IP", corev1.Service{ObjectMeta: meta, Spec: corev1.ServiceSpec{Type: "ClusterIP", ClusterIPs: []string{"10.0.0.10"},
			Ports: []corev1.ServicePort{{Port: 80, Protocol: "TCP"}, {Port: 53, Protocol: "UDP"}}, Selector: map[string]string{"app": "web"}}},
			true, []any{"web", "ClusterIP", "10.0.0.10", "<none>", "80/TCP,53/UDP", "2d", "app=web"}},
		{"headless without ports", corev1.Service{ObjectMeta: meta, Spec: corev1.ServiceSpec{Type: "ClusterIP", ClusterIPs: []string{"None"}}},
			true, []any{"web", "ClusterIP", "None", "<none>", "<none>", "2d", "<none>"}},
		{"node port", corev1.Service{ObjectMeta: meta, Spec: corev1.ServiceSpec{Type: "NodePort", ClusterIPs: []string{"10.0.0.11"},
			Ports: []corev1.ServicePort{{Port: 80, NodePort: 30080, Protocol: "TCP"}}}},
			false, []any{"web", "NodePort", "10.0.0.11", "<none>", "80:30080/TCP", "2d"}},
		{"pending load balancer", corev1.Service{ObjectMeta: meta, Spec: corev1.ServiceSpec{Type: "LoadBalancer", ClusterIPs: []string{"10.0.0.12"},
			Ports: []corev1.ServicePort{{Port: 443, NodePort: 30443, Protocol: "TCP"}}}},
			false, []any{"web", "LoadBalancer", "10.0.0.12", "<pending>", "443:30443/TCP", "2d"}},
		{"load balancer with ingress and external IPs", corev1.Service{ObjectMeta: meta,
			Spec:   corev1.ServiceSpec{Type: "LoadBalancer", ClusterIPs: []string{"10.0.0.12"}, ExternalIPs: []string{"198.51.100.1"}},
			Status: corev1.ServiceStatus{LoadBalancer: corev1.LoadBalancerStatus{Ingress: []corev1.LoadBalancerIngress{{IP: "192.0.2.9"}, {IP: "192.0.2.1"}}}}},
			false, []any{"web", "LoadBalancer", "10.0.0.12", "192.0.2.1,192...,198.51.100.1", "<none>", "2d"}},
		{"wide shows every ingress", corev1.Service{ObjectMeta: meta,
			Spec:   corev1.ServiceSpec{Type: "LoadBalancer", ClusterIPs: []string{"10.0.0.12"}},
			Status: corev1.ServiceStatus{LoadBalancer: corev1.LoadBalancerStatus{Ingress: []corev1.LoadBalancerIngress{{IP: "192.0.2.9"}, {IP: "192.0.2.1"}}}}},
			true, []any{"web", "LoadBalancer", "10.0.0.12", "192.0.2.1,192.0.2.9", "<none>", "2d", "<none>"}},
		{"long load balancer hostname is cut", corev1.Service{ObjectMeta: meta,
			Spec:   corev1.ServiceSpec{Type: "LoadBalancer"},
			Status: corev1.ServiceStatus{LoadBalancer: corev1.LoadBalancerStatus{Ingress: []corev1.LoadBalancerIngress{{Hostname: "a-very-long-name.elb.example.com"}}}}},
			false, []any{"web", "LoadBalancer", "<none>", "a-very-long-n...", "<none>", "2d"}},
		{"external name", corev1.Service{ObjectMeta: meta, Spec: corev1.ServiceSpec{Type: "ExternalName", ExternalName: "db.example.com"}},
			false, []any{"web", "ExternalName", "<none>", "db.example.com", "<none>", "2d"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			table, err := tableAt([]storage.Object{&tt.svc}, tt.wide, now)
			if err != nil {
				t.Fatal(err)
			}
			got := table.Rows[0].Cells
			if len(got) != len(tt.want) {
				t.Fatalf("cells %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("cells %v, want %v", got, tt.want)
					break
				}
			}
		})
	}
	table, _ := Table(nil, true)
	if len(table.ColumnDefinitions) != 7 || table.ColumnDefinitions[6].Priority != 1 || table.ColumnDefinitions[2].Name != "Cluster-IP" {
		t.Errorf("columns %+v", table.ColumnDefinitions)
	}
}
