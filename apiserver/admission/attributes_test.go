package admission

import (
	"errors"
	"fmt"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

func TestNewForbidden(t *testing.T) {
	deployments := schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}
	tests := []struct {
		name  string
		attrs Attributes
		want  string
	}{
		{name: "the request's name", attrs: Attributes{Resource: podsGVR, Name: "x"}, want: `pods "x" is forbidden: no`},
		{name: "the object's name", attrs: Attributes{Resource: podsGVR, Object: &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "y"}}}, want: `pods "y" is forbidden: no`},
		{name: "the generateName", attrs: Attributes{Resource: podsGVR, Object: &corev1.Pod{ObjectMeta: metav1.ObjectMeta{GenerateName: "web-"}}}, want: `pods "web-" is forbidden: no`},
		{name: "no name at all", attrs: Attributes{Resource: deployments}, want: `deployments.apps "Unknown" is forbidden: no`},
		{name: "an object without metadata", attrs: Attributes{Resource: podsGVR, Object: &metav1.Status{}}, want: `pods "Unknown/errorGettingName" is forbidden: no`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := NewForbidden(&tt.attrs, errors.New("no"))
			if !apierrors.IsForbidden(err) || err.Error() != tt.want {
				t.Errorf("NewForbidden = %v, want %q", err, tt.want)
			}
		})
	}
	inner := apierrors.NewForbidden(schema.GroupResource{Resource: "pods"}, "z", errors.New("inner"))
	if got := NewForbidden(&Attributes{Resource: podsGVR, Name: "x"}, inner); got != error(inner) {
		t.Errorf("a Forbidden error should be returned as it is: %v", got)
	}
}

func TestIsNotFound(t *testing.T) {
	if !IsNotFound(apierrors.NewNotFound(schema.GroupResource{Resource: "pods"}, "x")) ||
		!IsNotFound(fmt.Errorf("pod ns/x: %w", storage.ErrNotFound)) ||
		IsNotFound(errors.New("other")) || IsNotFound(nil) {
		t.Error("IsNotFound misjudges")
	}
}

func TestHandler(t *testing.T) {
	h := NewHandler(Create, Delete)
	if !h.Handles(Create) || !h.Handles(Delete) || h.Handles(Update) || (Handler{}).Handles(Create) {
		t.Error("Handles misjudges")
	}
}
