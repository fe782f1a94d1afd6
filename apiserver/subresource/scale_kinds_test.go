package subresource

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

func TestScalableAccessor(t *testing.T) {
	deployments := scalable(appsv1.SchemeGroupVersion.WithResource("deployments"), func(d *appsv1.Deployment) replicaFields {
		return replicaFields{spec: &d.Spec.Replicas, status: d.Status.Replicas, selector: labelSelector(d.Spec.Selector)}
	})
	five := int32(5)
	for _, tt := range []struct {
		name              string
		obj               storage.Object
		spec, status      int32
		selector, wantErr string
	}{
		{name: "unset replicas read as 0, no selector as empty", obj: &appsv1.Deployment{Status: appsv1.DeploymentStatus{Replicas: 1}}, status: 1},
		{
			name: "match expressions",
			obj: &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Replicas: &five, Selector: &metav1.LabelSelector{
				MatchLabels:      map[string]string{"tier": "front"},
				MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: metav1.LabelSelectorOpIn, Values: []string{"b", "a"}}},
			}}},
			spec: 5, selector: "app in (a,b),tier=front",
		},
		{
			name: "a bad selector is an error, the counts still read",
			obj: &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Replicas: &five, Selector: &metav1.LabelSelector{
				MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: "Near"}},
			}}, Status: appsv1.DeploymentStatus{Replicas: 2}},
			spec: 5, status: 2, wantErr: `"Near" is not a valid label selector operator`,
		},
		{name: "another kind", obj: &appsv1.ReplicaSet{}, wantErr: "unexpected object *v1.ReplicaSet"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			spec, status, selector, err := deployments.read(tt.obj)
			if (err == nil) != (tt.wantErr == "") || err != nil && err.Error() != tt.wantErr {
				t.Fatalf("err %v, want %q", err, tt.wantErr)
			}
			if spec != tt.spec || status != tt.status || selector != tt.selector {
				t.Errorf("read %d %d %q, want %d %d %q", spec, status, selector, tt.spec, tt.status, tt.selector)
			}
		})
	}

	// Each write sets a replica count of its own.
	a, b := &appsv1.Deployment{}, &appsv1.Deployment{}
	if err := deployments.write(a, 3); err != nil {
		t.Fatal(err)
	}
	if err := deployments.write(b, 4); err != nil {
		t.Fatal(err)
	}
	if *a.Spec.Replicas != 3 || *b.Spec.Replicas != 4 {
		t.Errorf("written %d and %d", *a.Spec.Replicas, *b.Spec.Replicas)
	}
	if err := deployments.write(&corev1.Pod{}, 1); err == nil || err.Error() != "unexpected object *v1.Pod" {
		t.Errorf("another kind: %v", err)
	}
}

func TestSetSelector(t *testing.T) {
	for _, tt := range []struct {
		set  map[string]string
		want string
	}{
		{nil, ""},
		{map[string]string{"b": "2", "a": "1"}, "a=1,b=2"},
	} {
		if got, err := setSelector(tt.set)(); err != nil || got != tt.want {
			t.Errorf("%v: %q %v, want %q", tt.set, got, err, tt.want)
		}
	}
}
