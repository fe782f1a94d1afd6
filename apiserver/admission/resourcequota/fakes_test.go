package resourcequota

import (
	"context"
	"errors"
	"strconv"
	"sync"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/skiff-dev/skiff/apiserver/admission"
)

// fakeStore keeps quotas with resourceVersions and updates their status
// by compare-and-swap, as the registry's status update does.
type fakeStore struct {
	mu        sync.Mutex
	quotas    map[string]*corev1.ResourceQuota
	rv        int
	conflicts int // the next updates that fail with a conflict anyway
	updates   int
	lists     int
}

func newStore(quotas ...*corev1.ResourceQuota) *fakeStore {
	s := &fakeStore{quotas: map[string]*corev1.ResourceQuota{}}
	for _, q := range quotas {
		s.rv++
		q = q.DeepCopy()
		q.ResourceVersion = strconv.Itoa(s.rv)
		s.quotas[q.Name] = q
	}
	return s
}

func (s *fakeStore) ListResourceQuotas(_ context.Context, namespace string) ([]*corev1.ResourceQuota, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lists++
	var out []*corev1.ResourceQuota
	for _, q := range s.quotas {
		if q.Namespace == namespace {
			out = append(out, q.DeepCopy())
		}
	}
	return out, nil
}

func (s *fakeStore) UpdateResourceQuotaStatus(_ context.Context, q *corev1.ResourceQuota) (*corev1.ResourceQuota, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.quotas[q.Name]
	if !ok {
		return nil, apierrors.NewNotFound(schema.GroupResource{Resource: "resourcequotas"}, q.Name)
	}
	if s.conflicts > 0 || cur.ResourceVersion != q.ResourceVersion {
		if s.conflicts > 0 {
			s.conflicts--
		}
		return nil, apierrors.NewConflict(schema.GroupResource{Resource: "resourcequotas"}, q.Name,
			errors.New("the object has been modified; please apply your changes to the latest version and try again"))
	}
	s.updates++
	s.rv++
	cur = cur.DeepCopy()
	cur.Status = *q.Status.DeepCopy()
	cur.ResourceVersion = strconv.Itoa(s.rv)
	s.quotas[q.Name] = cur
	return cur.DeepCopy(), nil
}

func (s *fakeStore) used(name string) corev1.ResourceList {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.quotas[name].Status.Used.DeepCopy()
}

// snapshot is a cache frozen at one moment.
type snapshot struct{ items []*corev1.ResourceQuota }

func (s snapshot) ListResourceQuotas(context.Context, string) ([]*corev1.ResourceQuota, error) {
	out := make([]*corev1.ResourceQuota, len(s.items))
	for i, q := range s.items {
		out[i] = q.DeepCopy()
	}
	return out, nil
}

func rl(pairs ...string) corev1.ResourceList {
	l := corev1.ResourceList{}
	for i := 0; i < len(pairs); i += 2 {
		l[corev1.ResourceName(pairs[i])] = resource.MustParse(pairs[i+1])
	}
	return l
}

// quota is a quota the controller has synced: status.hard = hard.
func quota(name string, hard, used corev1.ResourceList, mutate ...func(*corev1.ResourceQuota)) *corev1.ResourceQuota {
	q := &corev1.ResourceQuota{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name, UID: types.UID("uid-" + name)},
		Spec:       corev1.ResourceQuotaSpec{Hard: hard},
		Status:     corev1.ResourceQuotaStatus{Hard: hard, Used: used},
	}
	for _, m := range mutate {
		m(q)
	}
	return q
}

func attrs(op admission.Operation, group, resource, name string, obj, old runtime.Object) *admission.Attributes {
	a := &admission.Attributes{Operation: op, Resource: schema.GroupVersionResource{Group: group, Version: "v1", Resource: resource},
		Namespace: "ns", Name: name, Object: obj}
	if old != nil {
		a.OldObject = old
	}
	return a
}

func podWith(containers ...corev1.Container) *corev1.Pod {
	return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "x"}, Spec: corev1.PodSpec{Containers: containers}}
}

func ctr(name string, req, lim corev1.ResourceList) corev1.Container {
	return corev1.Container{Name: name, Resources: corev1.ResourceRequirements{Requests: req, Limits: lim}}
}

func schemaGVR(group, resource string) schema.GroupVersionResource {
	return schema.GroupVersionResource{Group: group, Version: "v1", Resource: resource}
}
