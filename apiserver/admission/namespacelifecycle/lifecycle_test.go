package namespacelifecycle

import (
	"context"
	"errors"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

type fakeNamespaces struct {
	phases map[string]corev1.NamespacePhase
	err    error
	calls  int
}

func (f *fakeNamespaces) GetNamespace(_ context.Context, name string) (*corev1.Namespace, error) {
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	phase, ok := f.phases[name]
	if !ok {
		return nil, storage.ErrNotFound
	}
	return &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}, Status: corev1.NamespaceStatus{Phase: phase}}, nil
}

var (
	podsGVR       = schema.GroupVersionResource{Version: "v1", Resource: "pods"}
	podKind       = schema.GroupVersionKind{Version: "v1", Kind: "Pod"}
	namespacesGVR = schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}
	namespaceGVK  = schema.GroupVersionKind{Version: "v1", Kind: "Namespace"}
)

func podAttrs(op admission.Operation, ns string) *admission.Attributes {
	return &admission.Attributes{
		Operation: op, Kind: podKind, Resource: podsGVR, Namespace: ns, Name: "x",
		Object: &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "x", Namespace: ns}},
	}
}

func TestAdmit(t *testing.T) {
	tests := []struct {
		name      string
		cached    map[string]corev1.NamespacePhase
		live      map[string]corev1.NamespacePhase
		liveErr   error
		attrs     *admission.Attributes
		wantErr   string
		check     func(error) bool
		wantLive  int
		wantCache int
	}{{
		name:      "create in an active namespace",
		cached:    map[string]corev1.NamespacePhase{"ns": corev1.NamespaceActive},
		attrs:     podAttrs(admission.Create, "ns"),
		wantCache: 1,
	}, {
		name:      "create in a missing namespace",
		attrs:     podAttrs(admission.Create, "ns"),
		wantErr:   `namespaces "ns" not found`,
		check:     apierrors.IsNotFound,
		wantCache: 1, wantLive: 1,
	}, {
		name:      "update in a missing namespace",
		attrs:     podAttrs(admission.Update, "ns"),
		wantErr:   `namespaces "ns" not found`,
		check:     apierrors.IsNotFound,
		wantCache: 1, wantLive: 1,
	}, {
		name:      "the cache has not seen the namespace yet",
		live:      map[string]corev1.NamespacePhase{"ns": corev1.NamespaceActive},
		attrs:     podAttrs(admission.Create, "ns"),
		wantCache: 1, wantLive: 1,
	}, {
		name:      "create in a terminating namespace",
		cached:    map[string]corev1.NamespacePhase{"ns": corev1.NamespaceTerminating},
		attrs:     podAttrs(admission.Create, "ns"),
		wantErr:   `pods "x" is forbidden: unable to create new content in namespace ns because it is being terminated`,
		check:     apierrors.IsForbidden,
		wantCache: 1,
	}, {
		name:      "update in a terminating namespace",
		cached:    map[string]corev1.NamespacePhase{"ns": corev1.NamespaceTerminating},
		attrs:     podAttrs(admission.Update, "ns"),
		wantCache: 1,
	}, {
		name:  "delete in a missing namespace",
		attrs: podAttrs(admission.Delete, "ns"),
	}, {
		name: "cluster-scoped resources are not checked",
		attrs: &admission.Attributes{Operation: admission.Create, Kind: schema.GroupVersionKind{Version: "v1", Kind: "Node"},
			Resource: schema.GroupVersionResource{Version: "v1", Resource: "nodes"}, Name: "n"},
	}, {
		name: "local access reviews are not checked",
		attrs: &admission.Attributes{Operation: admission.Create, Namespace: "gone",
			Kind:     schema.GroupVersionKind{Group: "authorization.k8s.io", Version: "v1", Kind: "LocalSubjectAccessReview"},
			Resource: schema.GroupVersionResource{Group: "authorization.k8s.io", Version: "v1", Resource: "localsubjectaccessreviews"}},
	}, {
		name:    "deleting an immortal namespace",
		attrs:   &admission.Attributes{Operation: admission.Delete, Kind: namespaceGVK, Resource: namespacesGVR, Name: "kube-system"},
		wantErr: `namespaces "kube-system" is forbidden: this namespace may not be deleted`,
		check:   apierrors.IsForbidden,
	}, {
		name:  "deleting another namespace",
		attrs: &admission.Attributes{Operation: admission.Delete, Kind: namespaceGVK, Resource: namespacesGVR, Name: "team"},
	}, {
		name:  "creating a namespace",
		attrs: &admission.Attributes{Operation: admission.Create, Kind: namespaceGVK, Resource: namespacesGVR, Name: "team"},
	}, {
		name:      "storage failure",
		liveErr:   errors.New("etcd down"),
		attrs:     podAttrs(admission.Create, "ns"),
		wantErr:   `Internal error occurred: namespace "ns": etcd down`,
		check:     apierrors.IsInternalError,
		wantCache: 1, wantLive: 1,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cached := &fakeNamespaces{phases: tt.cached}
			live := &fakeNamespaces{phases: tt.live, err: tt.liveErr}
			p := New(nil, cached, live)
			err := p.Admit(context.Background(), tt.attrs)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Admit: %v", err)
				}
			} else if err == nil || err.Error() != tt.wantErr || !tt.check(err) {
				t.Fatalf("Admit = %v, want %q", err, tt.wantErr)
			}
			if cached.calls != tt.wantCache || live.calls != tt.wantLive {
				t.Errorf("lookups: cache %d live %d, want %d and %d", cached.calls, live.calls, tt.wantCache, tt.wantLive)
			}
		})
	}
}

func TestTerminatingCause(t *testing.T) {
	p := New(nil, &fakeNamespaces{phases: map[string]corev1.NamespacePhase{"ns": corev1.NamespaceTerminating}}, nil)
	a := podAttrs(admission.Create, "ns")
	a.Name = ""
	a.Object = &corev1.Pod{ObjectMeta: metav1.ObjectMeta{GenerateName: "web-"}}
	err := p.Admit(context.Background(), a)
	var se *apierrors.StatusError
	if !errors.As(err, &se) {
		t.Fatalf("Admit = %v, want a StatusError", err)
	}
	if se.ErrStatus.Details.Name != "web-" {
		t.Errorf("name = %q, want the generateName", se.ErrStatus.Details.Name)
	}
	want := metav1.StatusCause{Type: corev1.NamespaceTerminatingCause, Message: "namespace ns is being terminated", Field: "metadata.namespace"}
	if c := se.ErrStatus.Details.Causes; len(c) != 1 || c[0] != want {
		t.Errorf("causes = %+v, want [%+v]", c, want)
	}
}

// After a namespace is deleted through this server, its cached Active
// state is not trusted: the live read sees it terminating.
func TestDeletedNamespaceIsReadLive(t *testing.T) {
	cached := &fakeNamespaces{phases: map[string]corev1.NamespacePhase{"ns": corev1.NamespaceActive}}
	live := &fakeNamespaces{phases: map[string]corev1.NamespacePhase{"ns": corev1.NamespaceTerminating}}
	p := New(nil, cached, live)
	ctx := context.Background()
	if err := p.Admit(ctx, podAttrs(admission.Create, "ns")); err != nil {
		t.Fatalf("before delete: %v", err)
	}
	del := &admission.Attributes{Operation: admission.Delete, Kind: namespaceGVK, Resource: namespacesGVR, Name: "ns"}
	if err := p.Admit(ctx, del); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if err := p.Admit(ctx, podAttrs(admission.Create, "ns")); !apierrors.IsForbidden(err) {
		t.Fatalf("after delete: %v, want Forbidden", err)
	}
	if live.calls != 1 {
		t.Errorf("live calls = %d, want 1", live.calls)
	}
}
