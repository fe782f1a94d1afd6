package networking

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/registry"
)

// Resources lists every networking.k8s.io/v1 resource this package serves.
func Resources() []*registry.Resource {
	return []*registry.Resource{
		networkPolicyResource(time.Now),
		ingressResource(time.Now),
		ingressClassResource(time.Now),
	}
}

var (
	nameColumn = metav1.TableColumnDefinition{Name: "Name", Type: "string", Format: "name", Description: metav1.ObjectMeta{}.SwaggerDoc()["name"]}
	ageColumn  = metav1.TableColumnDefinition{Name: "Age", Type: "string", Description: metav1.ObjectMeta{}.SwaggerDoc()["creationTimestamp"]}
)
