package review

import (
	"net/http"

	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// notServed is upstream's answer to a path it has no route for: a
// cluster-scoped review asked in a namespace, a namespaced one outside.
func notServed() error {
	return apierrors.NewGenericServerResponse(http.StatusNotFound, "", schema.GroupResource{}, "", "", 0, false)
}

// prepareMeta does to a review what upstream's create handler does before
// the review sees it: system fields cleared, the namespace made the
// request's (cleared for cluster-scoped kinds), a different one refused.
func prepareMeta(meta *metav1.ObjectMeta, namespace string) error {
	meta.CreationTimestamp = metav1.Time{}
	meta.UID = ""
	meta.DeletionTimestamp = nil
	meta.DeletionGracePeriodSeconds = nil
	meta.SelfLink = ""
	switch {
	case meta.Namespace == namespace:
	case meta.Namespace == "", namespace == "":
		meta.Namespace = namespace
	default:
		return apierrors.NewBadRequest("the namespace of the provided object does not match the namespace sent on the request")
	}
	return nil
}

// metaEmpty says whether meta is empty but for managedFields and, when
// keepNamespace, its namespace.
func metaEmpty(meta metav1.ObjectMeta, keepNamespace bool) bool {
	meta.ManagedFields = nil
	if keepNamespace {
		meta.Namespace = ""
	}
	return apiequality.Semantic.DeepEqual(metav1.ObjectMeta{}, meta)
}

func groupKind(gvk schema.GroupVersionKind) schema.GroupKind { return gvk.GroupKind() }
