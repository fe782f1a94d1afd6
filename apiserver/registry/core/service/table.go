package service

import (
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// columns are upstream's service columns; Selector is -o wide's.
var columns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Type", Type: "string", Description: corev1.ServiceSpec{}.SwaggerDoc()["type"]},
	{Name: "Cluster-IP", Type: "string", Description: corev1.ServiceSpec{}.SwaggerDoc()["clusterIP"]},
	{Name: "External-IP", Type: "string", Description: corev1.ServiceSpec{}.SwaggerDoc()["externalIPs"]},
	{Name: "Port(s)", Type: "string", Description: corev1.ServiceSpec{}.SwaggerDoc()["ports"]},
	registry.AgeColumn,
	{Name: "Selector", Type: "string", Priority: 1, Description: corev1.ServiceSpec{}.SwaggerDoc()["selector"]},
}

// loadBalancerWidth is where a non-wide EXTERNAL-IP is cut.
const loadBalancerWidth = 16

// Table renders services as kubectl get shows them.
func Table(objs []storage.Object, wide bool) (*metav1.Table, error) {
	return tableAt(objs, wide, time.Now())
}

func tableAt(objs []storage.Object, wide bool, now time.Time) (*metav1.Table, error) {
	t := &metav1.Table{ColumnDefinitions: columns, Rows: make([]metav1.TableRow, 0, len(objs))}
	for _, obj := range objs {
		svc, ok := obj.(*corev1.Service)
		if !ok {
			return nil, fmt.Errorf("not a service: %T", obj)
		}
		clusterIP := "<none>"
		if len(svc.Spec.ClusterIPs) > 0 {
			clusterIP = svc.Spec.ClusterIPs[0]
		}
		ports := portsString(svc.Spec.Ports)
		if ports == "" {
			ports = "<none>"
		}
		cells := []any{svc.Name, string(svc.Spec.Type), clusterIP, externalIP(svc, wide), ports, registry.Age(svc.CreationTimestamp, now)}
		if wide {
			cells = append(cells, labels.FormatLabels(svc.Spec.Selector))
		}
		t.Rows = append(t.Rows, metav1.TableRow{Cells: cells})
	}
	return t, nil
}

func externalIP(svc *corev1.Service, wide bool) string {
	switch svc.Spec.Type {
	case corev1.ServiceTypeClusterIP, corev1.ServiceTypeNodePort:
		if len(svc.Spec.ExternalIPs) > 0 {
			return strings.Join(svc.Spec.ExternalIPs, ",")
		}
		return "<none>"
	case corev1.ServiceTypeLoadBalancer:
		lb := loadBalancerIPs(svc.Status.LoadBalancer, wide)
		if len(svc.Spec.ExternalIPs) > 0 {
			var all []string
			if lb != "" {
				all = strings.Split(lb, ",")
			}
			return strings.Join(append(all, svc.Spec.ExternalIPs...), ",")
		}
		if lb != "" {
			return lb
		}
		return "<pending>"
	case corev1.ServiceTypeExternalName:
		return svc.Spec.ExternalName
	}
	return "<unknown>"
}

// loadBalancerIPs lists the ingress IPs (or hostnames), sorted, cut to 16
// characters unless wide.
func loadBalancerIPs(s corev1.LoadBalancerStatus, wide bool) string {
	set := map[string]bool{}
	for _, ing := range s.Ingress {
		if ing.IP != "" {
			set[ing.IP] = true
		} else if ing.Hostname != "" {
			set[ing.Hostname] = true
		}
	}
	list := make([]string, 0, len(set))
	for v := range set {
		list = append(list, v)
	}
	sort.Strings(list)
	r := strings.Join(list, ",")
	if !wide && len(r) > loadBalancerWidth {
		r = r[:loadBalancerWidth-3] + "..."
	}
	return r
}

func portsString(ports []corev1.ServicePort) string {
	pieces := make([]string, len(ports))
	for i, p := range ports {
		if p.NodePort > 0 {
			pieces[i] = fmt.Sprintf("%d:%d/%s", p.Port, p.NodePort, p.Protocol)
		} else {
			pieces[i] = fmt.Sprintf("%d/%s", p.Port, p.Protocol)
		}
	}
	return strings.Join(pieces, ",")
}
