package limitranger

import (
	"context"
	"errors"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
)

type fakeRanges struct {
	ranges []*corev1.LimitRange
	err    error
	calls  int
}

func (f *fakeRanges) ListLimitRanges(_ context.Context, _ string) ([]*corev1.LimitRange, error) {
	f.calls++
	return f.ranges, f.err
}

func rl(pairs ...string) corev1.ResourceList {
	l := corev1.ResourceList{}
	for i := 0; i < len(pairs); i += 2 {
		l[corev1.ResourceName(pairs[i])] = resource.MustParse(pairs[i+1])
	}
	return l
}

func limitRange(items ...corev1.LimitRangeItem) *corev1.LimitRange {
	return &corev1.LimitRange{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "lr"}, Spec: corev1.LimitRangeSpec{Limits: items}}
}

func podAttrs(op admission.Operation, pod *corev1.Pod) *admission.Attributes {
	return &admission.Attributes{Operation: op, Kind: schema.GroupVersionKind{Version: "v1", Kind: "Pod"},
		Resource: schema.GroupVersionResource{Version: "v1", Resource: "pods"}, Namespace: "ns", Name: "x", Object: pod}
}

func pvcAttrs(op admission.Operation, pvc *corev1.PersistentVolumeClaim) *admission.Attributes {
	return &admission.Attributes{Operation: op, Kind: schema.GroupVersionKind{Version: "v1", Kind: "PersistentVolumeClaim"},
		Resource: schema.GroupVersionResource{Version: "v1", Resource: "persistentvolumeclaims"}, Namespace: "ns", Name: "c", Object: pvc}
}

func container(name string, req, lim corev1.ResourceList) corev1.Container {
	return corev1.Container{Name: name, Resources: corev1.ResourceRequirements{Requests: req, Limits: lim}}
}

func TestAdmitDefaults(t *testing.T) {
	lr := limitRange(
		corev1.LimitRangeItem{Type: corev1.LimitTypeContainer, Default: rl("cpu", "500m"), DefaultRequest: rl("cpu", "100m", "memory", "64Mi")},
		corev1.LimitRangeItem{Type: corev1.LimitTypePod, Max: rl("cpu", "4")},
	)
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "x", Namespace: "ns"},
		Spec: corev1.PodSpec{
			InitContainers: []corev1.Container{container("init", nil, rl("cpu", "1"))},
			Containers:     []corev1.Container{container("app", nil, nil), container("full", rl("cpu", "1", "memory", "1Gi"), rl("cpu", "2"))},
		},
	}
	p := New(nil, &fakeRanges{ranges: []*corev1.LimitRange{lr}}, nil)
	if err := p.Admit(context.Background(), podAttrs(admission.Create, pod)); err != nil {
		t.Fatalf("Admit: %v", err)
	}
	want := []corev1.Container{
		container("app", rl("cpu", "100m", "memory", "64Mi"), rl("cpu", "500m")),
		container("full", rl("cpu", "1", "memory", "1Gi"), rl("cpu", "2")),
	}
	if !apiequality.Semantic.DeepEqual(pod.Spec.Containers, want) {
		t.Errorf("containers = %+v, want %+v", pod.Spec.Containers, want)
	}
	if got, want := pod.Spec.InitContainers[0].Resources, (corev1.ResourceRequirements{Requests: rl("cpu", "100m", "memory", "64Mi"), Limits: rl("cpu", "1")}); !apiequality.Semantic.DeepEqual(got, want) {
		t.Errorf("init container = %+v, want %+v", got, want)
	}
	wantNote := "LimitRanger plugin set: cpu, memory request for container app; cpu limit for container app; cpu, memory request for init container init"
	if got := pod.Annotations["kubernetes.io/limit-ranger"]; got != wantNote {
		t.Errorf("annotation = %q, want %q", got, wantNote)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		items   []corev1.LimitRangeItem
		attrs   *admission.Attributes
		wantErr string
	}{{
		name:  "within bounds",
		items: []corev1.LimitRangeItem{{Type: corev1.LimitTypeContainer, Min: rl("cpu", "100m"), Max: rl("cpu", "1")}},
		attrs: podAttrs(admission.Create, &corev1.Pod{Spec: corev1.PodSpec{Containers: []corev1.Container{container("a", rl("cpu", "200m"), rl("cpu", "1"))}}}),
	}, {
		name:    "container below min",
		items:   []corev1.LimitRangeItem{{Type: corev1.LimitTypeContainer, Min: rl("cpu", "100m")}},
		attrs:   podAttrs(admission.Create, &corev1.Pod{Spec: corev1.PodSpec{Containers: []corev1.Container{container("a", rl("cpu", "50m"), nil)}}}),
		wantErr: `pods "x" is forbidden: minimum cpu usage per Container is 100m, but request is 50m`,
	}, {
		name:    "container without a request",
		items:   []corev1.LimitRangeItem{{Type: corev1.LimitTypeContainer, Min: rl("memory", "1Mi")}},
		attrs:   podAttrs(admission.Create, &corev1.Pod{Spec: corev1.PodSpec{Containers: []corev1.Container{container("a", nil, nil)}}}),
		wantErr: `pods "x" is forbidden: minimum memory usage per Container is 1Mi.  No request is specified`,
	}, {
		name:    "container above max, two errors",
		items:   []corev1.LimitRangeItem{{Type: corev1.LimitTypeContainer, Max: rl("cpu", "1", "memory", "1Gi")}},
		attrs:   podAttrs(admission.Create, &corev1.Pod{Spec: corev1.PodSpec{Containers: []corev1.Container{container("a", nil, rl("cpu", "2"))}}}),
		wantErr: `pods "x" is forbidden: [maximum cpu usage per Container is 1, but limit is 2, maximum memory usage per Container is 1Gi.  No limit is specified]`,
	}, {
		name:    "limit to request ratio",
		items:   []corev1.LimitRangeItem{{Type: corev1.LimitTypeContainer, MaxLimitRequestRatio: rl("cpu", "2")}},
		attrs:   podAttrs(admission.Create, &corev1.Pod{Spec: corev1.PodSpec{Containers: []corev1.Container{container("a", rl("cpu", "100m"), rl("cpu", "500m"))}}}),
		wantErr: `pods "x" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 5.000000`,
	}, {
		name:    "ratio without a limit",
		items:   []corev1.LimitRangeItem{{Type: corev1.LimitTypeContainer, MaxLimitRequestRatio: rl("cpu", "2")}},
		attrs:   podAttrs(admission.Create, &corev1.Pod{Spec: corev1.PodSpec{Containers: []corev1.Container{container("a", rl("cpu", "100m"), nil)}}}),
		wantErr: `pods "x" is forbidden: cpu max limit to request ratio per Container is 2, but no limit is specified or limit is 0`,
	}, {
		name:  "pod max over the sum of containers",
		items: []corev1.LimitRangeItem{{Type: corev1.LimitTypePod, Max: rl("cpu", "1")}},
		attrs: podAttrs(admission.Create, &corev1.Pod{Spec: corev1.PodSpec{Containers: []corev1.Container{
			container("a", rl("cpu", "500m"), rl("cpu", "600m")), container("b", rl("cpu", "500m"), rl("cpu", "600m")),
		}}}),
		wantErr: `pods "x" is forbidden: maximum cpu usage per Pod is 1, but limit is 1200m`,
	}, {
		name:    "init containers are checked too",
		items:   []corev1.LimitRangeItem{{Type: corev1.LimitTypeContainer, Max: rl("cpu", "1")}},
		attrs:   podAttrs(admission.Create, &corev1.Pod{Spec: corev1.PodSpec{InitContainers: []corev1.Container{container("i", nil, rl("cpu", "3"))}}}),
		wantErr: `pods "x" is forbidden: maximum cpu usage per Container is 1, but limit is 3`,
	}, {
		name:  "pod updates are not checked",
		items: []corev1.LimitRangeItem{{Type: corev1.LimitTypeContainer, Max: rl("cpu", "1")}},
		attrs: func() *admission.Attributes {
			a := podAttrs(admission.Update, &corev1.Pod{Spec: corev1.PodSpec{Containers: []corev1.Container{container("a", nil, rl("cpu", "3"))}}})
			a.OldObject = &corev1.Pod{}
			return a
		}(),
	}, {
		name:    "claim above max",
		items:   []corev1.LimitRangeItem{{Type: corev1.LimitTypePersistentVolumeClaim, Min: rl("storage", "1Gi"), Max: rl("storage", "10Gi")}},
		attrs:   pvcAttrs(admission.Create, &corev1.PersistentVolumeClaim{Spec: corev1.PersistentVolumeClaimSpec{Resources: corev1.VolumeResourceRequirements{Requests: rl("storage", "20Gi")}}}),
		wantErr: `persistentvolumeclaims "c" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi`,
	}, {
		name:  "claim resize below min",
		items: []corev1.LimitRangeItem{{Type: corev1.LimitTypePersistentVolumeClaim, Min: rl("storage", "1Gi")}},
		attrs: func() *admission.Attributes {
			a := pvcAttrs(admission.Update, &corev1.PersistentVolumeClaim{Spec: corev1.PersistentVolumeClaimSpec{Resources: corev1.VolumeResourceRequirements{Requests: rl("storage", "500Mi")}}})
			a.OldObject = &corev1.PersistentVolumeClaim{}
			return a
		}(),
		wantErr: `persistentvolumeclaims "c" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi`,
	}, {
		name:  "claims being deleted are not checked",
		items: []corev1.LimitRangeItem{{Type: corev1.LimitTypePersistentVolumeClaim, Min: rl("storage", "1Gi")}},
		attrs: func() *admission.Attributes {
			a := pvcAttrs(admission.Update, &corev1.PersistentVolumeClaim{})
			now := metav1.Now()
			a.OldObject = &corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{DeletionTimestamp: &now}}
			return a
		}(),
	}, {
		name:  "status subresource is not checked",
		items: []corev1.LimitRangeItem{{Type: corev1.LimitTypePersistentVolumeClaim, Min: rl("storage", "1Gi")}},
		attrs: func() *admission.Attributes {
			a := pvcAttrs(admission.Update, &corev1.PersistentVolumeClaim{})
			a.Subresource = "status"
			return a
		}(),
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := New(nil, &fakeRanges{ranges: []*corev1.LimitRange{limitRange(tt.items...)}}, nil)
			err := p.Validate(context.Background(), tt.attrs)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil || err.Error() != tt.wantErr || !apierrors.IsForbidden(err) {
				t.Fatalf("Validate = %v, want Forbidden %q", err, tt.wantErr)
			}
		})
	}
}

func TestLiveLookup(t *testing.T) {
	cached := &fakeRanges{}
	live := &fakeRanges{ranges: []*corev1.LimitRange{limitRange(corev1.LimitRangeItem{Type: corev1.LimitTypeContainer, Max: rl("cpu", "1")})}}
	p := New(nil, cached, live)
	pod := &corev1.Pod{Spec: corev1.PodSpec{Containers: []corev1.Container{container("a", nil, rl("cpu", "2"))}}}
	for i := 0; i < 2; i++ {
		if err := p.Validate(context.Background(), podAttrs(admission.Create, pod)); !apierrors.IsForbidden(err) {
			t.Fatalf("Validate %d = %v, want Forbidden", i, err)
		}
	}
	if cached.calls != 2 || live.calls != 1 {
		t.Errorf("calls: cached %d live %d, want 2 and 1", cached.calls, live.calls)
	}
}

func TestListError(t *testing.T) {
	p := New(nil, &fakeRanges{err: errors.New("boom")}, nil)
	err := p.Admit(context.Background(), podAttrs(admission.Create, &corev1.Pod{}))
	want := `pods "x" is forbidden: unable to CREATE /v1, Resource=pods at this time because there was an error enforcing limit ranges`
	if err == nil || err.Error() != want {
		t.Fatalf("Admit = %v, want %q", err, want)
	}
}
