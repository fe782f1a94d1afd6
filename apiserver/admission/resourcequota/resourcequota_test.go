package resourcequota

import (
	"context"
	"sync"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/admission"
)

func TestValidate(t *testing.T) {
	nodePort := &corev1.Service{Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeNodePort, Ports: []corev1.ServicePort{{Port: 80}, {Port: 443}}}}
	clusterIP := &corev1.Service{ObjectMeta: metav1.ObjectMeta{ResourceVersion: "3"}, Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeClusterIP, Ports: []corev1.ServicePort{{Port: 80}}}}
	lb := &corev1.Service{Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeLoadBalancer, Ports: []corev1.ServicePort{{Port: 80}}}}
	gold := "gold"
	claim := func(size string, rv string) *corev1.PersistentVolumeClaim {
		return &corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{ResourceVersion: rv},
			Spec: corev1.PersistentVolumeClaimSpec{StorageClassName: &gold, Resources: corev1.VolumeResourceRequirements{Requests: rl("storage", size)}}}
	}
	pri := func(class string) *corev1.Pod {
		p := podWith(ctr("a", nil, nil))
		p.Spec.PriorityClassName = class
		return p
	}
	tests := []struct {
		name     string
		quotas   []*corev1.ResourceQuota
		attrs    *admission.Attributes
		wantErr  string
		wantUsed map[string]corev1.ResourceList // quota name → status.used after
	}{{
		name:     "a pod within quota is charged",
		quotas:   []*corev1.ResourceQuota{quota("q", rl("pods", "5", "requests.cpu", "2", "count/pods", "10"), rl("pods", "1", "requests.cpu", "500m", "count/pods", "1"))},
		attrs:    attrs(admission.Create, "", "pods", "x", podWith(ctr("a", rl("cpu", "250m"), nil)), nil),
		wantUsed: map[string]corev1.ResourceList{"q": rl("pods", "2", "requests.cpu", "750m", "count/pods", "2")},
	}, {
		name:    "pods exceeded",
		quotas:  []*corev1.ResourceQuota{quota("q", rl("pods", "2"), rl("pods", "2"))},
		attrs:   attrs(admission.Create, "", "pods", "x", podWith(ctr("a", nil, nil)), nil),
		wantErr: `pods "x" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2`,
	}, {
		name:    "several resources exceeded",
		quotas:  []*corev1.ResourceQuota{quota("compute", rl("requests.cpu", "1", "requests.memory", "1Gi", "pods", "10"), rl("requests.cpu", "800m", "requests.memory", "1Gi", "pods", "1"))},
		attrs:   attrs(admission.Create, "", "pods", "x", podWith(ctr("a", rl("cpu", "300m", "memory", "1Mi"), nil)), nil),
		wantErr: `pods "x" is forbidden: exceeded quota: compute, requested: requests.cpu=300m,requests.memory=1Mi, used: requests.cpu=800m,requests.memory=1Gi, limited: requests.cpu=1,requests.memory=1Gi`,
	}, {
		name:    "usage not yet computed",
		quotas:  []*corev1.ResourceQuota{quota("q", rl("pods", "2", "configmaps", "1"), nil)},
		attrs:   attrs(admission.Create, "", "pods", "x", podWith(ctr("a", nil, nil)), nil),
		wantErr: `pods "x" is forbidden: status unknown for quota: q, resources: pods`,
	}, {
		name:   "a quota not synced yet limits nothing",
		quotas: []*corev1.ResourceQuota{quota("q", nil, nil, func(q *corev1.ResourceQuota) { q.Spec.Hard = rl("pods", "0") })},
		attrs:  attrs(admission.Create, "", "pods", "x", podWith(ctr("a", nil, nil)), nil),
	}, {
		name:    "limits must be stated",
		quotas:  []*corev1.ResourceQuota{quota("q", rl("limits.cpu", "2", "requests.memory", "1Gi"), rl("limits.cpu", "0", "requests.memory", "0"))},
		attrs:   attrs(admission.Create, "", "pods", "x", podWith(ctr("a", rl("memory", "1Mi"), nil), ctr("b", nil, nil)), nil),
		wantErr: `pods "x" is forbidden: failed quota: q: must specify limits.cpu for: a,b; requests.memory for: b`,
	}, {
		name:     "node ports counted",
		quotas:   []*corev1.ResourceQuota{quota("q", rl("services.nodeports", "1", "services", "10"), rl("services.nodeports", "0", "services", "0"))},
		attrs:    attrs(admission.Create, "", "services", "s", nodePort, nil),
		wantErr:  `services "s" is forbidden: exceeded quota: q, requested: services.nodeports=2, used: services.nodeports=0, limited: services.nodeports=1`,
		wantUsed: map[string]corev1.ResourceList{"q": rl("services.nodeports", "0", "services", "0")},
	}, {
		name:     "a ClusterIP service uses no node port",
		quotas:   []*corev1.ResourceQuota{quota("q", rl("services.nodeports", "0", "services", "10", "count/services", "10"), rl("services.nodeports", "0", "services", "0", "count/services", "0"))},
		attrs:    attrs(admission.Create, "", "services", "s", clusterIP, nil),
		wantUsed: map[string]corev1.ResourceList{"q": rl("services.nodeports", "0", "services", "1", "count/services", "1")},
	}, {
		name:     "a service turned into a load balancer",
		quotas:   []*corev1.ResourceQuota{quota("q", rl("services.loadbalancers", "2", "services", "10", "services.nodeports", "5"), rl("services.loadbalancers", "1", "services", "3", "services.nodeports", "0"))},
		attrs:    attrs(admission.Update, "", "services", "s", lb, clusterIP),
		wantUsed: map[string]corev1.ResourceList{"q": rl("services.loadbalancers", "2", "services", "3", "services.nodeports", "1")},
	}, {
		name: "claims by storage class",
		quotas: []*corev1.ResourceQuota{quota("q", rl("gold.storageclass.storage.k8s.io/requests.storage", "10Gi", "persistentvolumeclaims", "5"),
			rl("gold.storageclass.storage.k8s.io/requests.storage", "4Gi", "persistentvolumeclaims", "1"))},
		attrs:   attrs(admission.Create, "", "persistentvolumeclaims", "c", claim("8Gi", ""), nil),
		wantErr: `persistentvolumeclaims "c" is forbidden: exceeded quota: q, requested: gold.storageclass.storage.k8s.io/requests.storage=8Gi, used: gold.storageclass.storage.k8s.io/requests.storage=4Gi, limited: gold.storageclass.storage.k8s.io/requests.storage=10Gi`,
	}, {
		name:     "a claim resize is charged the difference",
		quotas:   []*corev1.ResourceQuota{quota("q", rl("requests.storage", "10Gi", "persistentvolumeclaims", "5"), rl("requests.storage", "5Gi", "persistentvolumeclaims", "1"))},
		attrs:    attrs(admission.Update, "", "persistentvolumeclaims", "c", claim("8Gi", "7"), claim("5Gi", "7")),
		wantUsed: map[string]corev1.ResourceList{"q": rl("requests.storage", "8Gi", "persistentvolumeclaims", "1")},
	}, {
		name:    "objects of any resource are counted",
		quotas:  []*corev1.ResourceQuota{quota("q", rl("count/deployments.apps", "1"), rl("count/deployments.apps", "1"))},
		attrs:   attrs(admission.Create, "apps", "deployments", "d", &corev1.ConfigMap{}, nil),
		wantErr: `deployments.apps "d" is forbidden: exceeded quota: q, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1`,
	}, {
		name:     "legacy names",
		quotas:   []*corev1.ResourceQuota{quota("q", rl("configmaps", "3", "count/configmaps", "3", "secrets", "1"), rl("configmaps", "1", "count/configmaps", "1", "secrets", "1"))},
		attrs:    attrs(admission.Create, "", "configmaps", "c", &corev1.ConfigMap{}, nil),
		wantUsed: map[string]corev1.ResourceList{"q": rl("configmaps", "2", "count/configmaps", "2", "secrets", "1")},
	}, {
		name:   "configmap updates are not counted",
		quotas: []*corev1.ResourceQuota{quota("q", rl("configmaps", "1"), rl("configmaps", "1"))},
		attrs:  attrs(admission.Update, "", "configmaps", "c", &corev1.ConfigMap{}, &corev1.ConfigMap{}),
	}, {
		name:   "pod updates are not counted",
		quotas: []*corev1.ResourceQuota{quota("q", rl("pods", "1"), rl("pods", "1"))},
		attrs:  attrs(admission.Update, "", "pods", "x", podWith(), podWith()),
	}, {
		name:   "events are not counted",
		quotas: []*corev1.ResourceQuota{quota("q", rl("count/events", "0"), rl("count/events", "0"))},
		attrs:  attrs(admission.Create, "", "events", "e", &corev1.Event{}, nil),
	}, {
		name:   "subresources are not counted",
		quotas: []*corev1.ResourceQuota{quota("q", rl("pods", "0"), rl("pods", "0"))},
		attrs: func() *admission.Attributes {
			a := attrs(admission.Create, "", "pods", "x", podWith(), nil)
			a.Subresource = "binding"
			return a
		}(),
	}, {
		name: "a BestEffort quota ignores pods with requests",
		quotas: []*corev1.ResourceQuota{quota("be", rl("pods", "0"), rl("pods", "0"), func(q *corev1.ResourceQuota) {
			q.Spec.Scopes = []corev1.ResourceQuotaScope{corev1.ResourceQuotaScopeBestEffort}
		})},
		attrs: attrs(admission.Create, "", "pods", "x", podWith(ctr("a", rl("cpu", "1m"), nil)), nil),
	}, {
		name: "a BestEffort quota limits best-effort pods",
		quotas: []*corev1.ResourceQuota{quota("be", rl("pods", "0"), rl("pods", "0"), func(q *corev1.ResourceQuota) {
			q.Spec.Scopes = []corev1.ResourceQuotaScope{corev1.ResourceQuotaScopeBestEffort, corev1.ResourceQuotaScopeNotTerminating}
		})},
		attrs:   attrs(admission.Create, "", "pods", "x", podWith(ctr("a", nil, nil)), nil),
		wantErr: `pods "x" is forbidden: exceeded quota: be, requested: pods=1, used: pods=0, limited: pods=0`,
	}, {
		name: "a priority class scope",
		quotas: []*corev1.ResourceQuota{quota("crit", rl("pods", "0"), rl("pods", "0"), func(q *corev1.ResourceQuota) {
			q.Spec.ScopeSelector = &corev1.ScopeSelector{MatchExpressions: []corev1.ScopedResourceSelectorRequirement{{
				ScopeName: corev1.ResourceQuotaScopePriorityClass, Operator: corev1.ScopeSelectorOpIn, Values: []string{"system-node-critical"},
			}}}
		})},
		attrs:   attrs(admission.Create, "", "pods", "x", pri("system-node-critical"), nil),
		wantErr: `pods "x" is forbidden: exceeded quota: crit, requested: pods=1, used: pods=0, limited: pods=0`,
	}, {
		name: "another priority class",
		quotas: []*corev1.ResourceQuota{quota("crit", rl("pods", "0"), rl("pods", "0"), func(q *corev1.ResourceQuota) {
			q.Spec.ScopeSelector = &corev1.ScopeSelector{MatchExpressions: []corev1.ScopedResourceSelectorRequirement{{
				ScopeName: corev1.ResourceQuotaScopePriorityClass, Operator: corev1.ScopeSelectorOpIn, Values: []string{"system-node-critical"},
			}}}
		})},
		attrs: attrs(admission.Create, "", "pods", "x", pri("low"), nil),
	}, {
		name: "scoped quotas do not apply to other resources",
		quotas: []*corev1.ResourceQuota{quota("be", rl("configmaps", "0"), rl("configmaps", "0"), func(q *corev1.ResourceQuota) {
			q.Spec.Scopes = []corev1.ResourceQuotaScope{corev1.ResourceQuotaScopeBestEffort}
		})},
		attrs: attrs(admission.Create, "", "configmaps", "c", &corev1.ConfigMap{}, nil),
	}, {
		name: "extended resources and hugepages",
		quotas: []*corev1.ResourceQuota{quota("q", rl("requests.example.com/gpu", "1", "requests.hugepages-2Mi", "4Mi"),
			rl("requests.example.com/gpu", "0", "requests.hugepages-2Mi", "0"))},
		attrs:    attrs(admission.Create, "", "pods", "x", podWith(ctr("a", rl("example.com/gpu", "1", "hugepages-2Mi", "2Mi"), nil)), nil),
		wantUsed: map[string]corev1.ResourceList{"q": rl("requests.example.com/gpu", "1", "requests.hugepages-2Mi", "2Mi")},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := newStore(tt.quotas...)
			p := New(nil, store, store, store)
			err := p.Validate(context.Background(), tt.attrs)
			if tt.wantErr == "" && err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr || !apierrors.IsForbidden(err)) {
				t.Fatalf("Validate = %v, want Forbidden %q", err, tt.wantErr)
			}
			for name, want := range tt.wantUsed {
				if got := store.used(name); !equal(got, want) {
					t.Errorf("quota %s used = %v, want %v", name, got, want)
				}
			}
			// Only an admitted request that changes some usage writes.
			if wantWrites := tt.wantErr == "" && tt.wantUsed != nil; (store.updates > 0) != wantWrites {
				t.Errorf("%d quota updates, want some: %v", store.updates, wantWrites)
			}
		})
	}
}

func TestDryRun(t *testing.T) {
	store := newStore(quota("q", rl("pods", "2"), rl("pods", "1")))
	p := New(nil, store, store, store)
	a := attrs(admission.Create, "", "pods", "x", podWith(), nil)
	a.DryRun = true
	if err := p.Validate(context.Background(), a); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if store.updates != 0 {
		t.Errorf("a dry run wrote %d quota updates", store.updates)
	}
}

func TestIgnored(t *testing.T) {
	store := newStore(quota("q", rl("count/namespaces", "0"), rl("count/namespaces", "0")))
	p := New(nil, store, store, store)
	ns := &admission.Attributes{Operation: admission.Create, Resource: schemaGVR("", "namespaces"), Name: "new", Object: &corev1.Namespace{}}
	if err := p.Validate(context.Background(), ns); err != nil {
		t.Fatalf("namespace: %v", err)
	}
	del := attrs(admission.Delete, "", "pods", "x", nil, podWith())
	if err := p.Validate(context.Background(), del); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if store.lists != 0 {
		t.Errorf("quotas listed %d times for ignored requests", store.lists)
	}
	if p.Handles(admission.Delete) || !p.Handles(admission.Update) {
		t.Error("the plugin handles creates and updates")
	}
}

// A lagging cache shows an old quota: the update conflicts, and the retry
// reads the quota live.
func TestConflictRetry(t *testing.T) {
	stale := quota("q", rl("pods", "5"), rl("pods", "1"))
	store := newStore(quota("q", rl("pods", "5"), rl("pods", "3")))
	stale.ResourceVersion = "0"
	p := New(nil, snapshot{items: []*corev1.ResourceQuota{stale}}, store, store)
	if err := p.Validate(context.Background(), attrs(admission.Create, "", "pods", "x", podWith(), nil)); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if got := store.used("q"); !equal(got, rl("pods", "4")) {
		t.Errorf("used = %v, want pods=4", got)
	}
	// The retry sees the live usage: a full quota refuses.
	store = newStore(quota("q", rl("pods", "5"), rl("pods", "5")))
	p = New(nil, snapshot{items: []*corev1.ResourceQuota{stale}}, store, store)
	err := p.Validate(context.Background(), attrs(admission.Create, "", "pods", "x", podWith(), nil))
	if want := `pods "x" is forbidden: exceeded quota: q, requested: pods=1, used: pods=5, limited: pods=5`; err == nil || err.Error() != want {
		t.Fatalf("Validate = %v, want %q", err, want)
	}
}

func TestConflictsExhaustRetries(t *testing.T) {
	store := newStore(quota("q", rl("pods", "5"), rl("pods", "0")))
	store.conflicts = maxRetries + 1
	p := New(nil, store, store, store)
	err := p.Validate(context.Background(), attrs(admission.Create, "", "pods", "x", podWith(), nil))
	if !apierrors.IsConflict(err) {
		t.Fatalf("Validate = %v, want a conflict", err)
	}
	store.conflicts = maxRetries
	if err := p.Validate(context.Background(), attrs(admission.Create, "", "pods", "x", podWith(), nil)); err != nil {
		t.Fatalf("Validate with one attempt left: %v", err)
	}
	if got := store.used("q"); !equal(got, rl("pods", "1")) {
		t.Errorf("used = %v, want pods=1", got)
	}
}

// What this server wrote is newer than a lagging cache: it is used rather
// than conflicting.
func TestRemembersItsWrites(t *testing.T) {
	store := newStore(quota("q", rl("pods", "5"), rl("pods", "0")))
	cached, _ := store.ListResourceQuotas(context.Background(), "ns")
	store.lists = 0
	p := New(nil, snapshot{items: cached}, store, store)
	for i := 0; i < 3; i++ {
		if err := p.Validate(context.Background(), attrs(admission.Create, "", "pods", "x", podWith(), nil)); err != nil {
			t.Fatalf("Validate %d: %v", i, err)
		}
	}
	if store.updates != 3 || store.lists != 0 {
		t.Errorf("updates %d live lists %d, want 3 and 0", store.updates, store.lists)
	}
	if got := store.used("q"); !equal(got, rl("pods", "3")) {
		t.Errorf("used = %v, want pods=3", got)
	}
}

// Concurrent creates never together exceed the quota.
func TestConcurrentCreates(t *testing.T) {
	store := newStore(quota("q", rl("pods", "5"), rl("pods", "0")))
	p := New(nil, store, store, store)
	var wg sync.WaitGroup
	var mu sync.Mutex
	admitted := 0
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.Validate(context.Background(), attrs(admission.Create, "", "pods", "x", podWith(), nil)); err == nil {
				mu.Lock()
				admitted++
				mu.Unlock()
			} else if !apierrors.IsForbidden(err) {
				t.Errorf("Validate: %v", err)
			}
		}()
	}
	wg.Wait()
	if admitted != 5 {
		t.Errorf("admitted %d pods, want 5", admitted)
	}
	if got := store.used("q"); !equal(got, rl("pods", "5")) {
		t.Errorf("used = %v, want pods=5", got)
	}
}

// Two servers sharing storage: the compare-and-swap keeps the total within
// the quota.
func TestTwoServers(t *testing.T) {
	store := newStore(quota("q", rl("pods", "4"), rl("pods", "0")))
	servers := []*Plugin{New(nil, store, store, store), New(nil, store, store, store)}
	var wg sync.WaitGroup
	var mu sync.Mutex
	admitted := 0
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func(p *Plugin) {
			defer wg.Done()
			if err := p.Validate(context.Background(), attrs(admission.Create, "", "pods", "x", podWith(), nil)); err == nil {
				mu.Lock()
				admitted++
				mu.Unlock()
			}
		}(servers[i%2])
	}
	wg.Wait()
	used := store.used("q")[corev1.ResourcePods]
	if admitted > 4 || used.Value() != int64(admitted) {
		t.Errorf("admitted %d, used %s: want at most 4 and equal", admitted, used.String())
	}
}
