package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/apiserver/storage"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

var errNotFound = fmt.Errorf("rbac object: %w", storage.ErrNotFound)

// fakeClient keeps objects of one kind by namespace/name and records writes.
type fakeClient[T metav1.Object] struct {
	objs     map[string]T
	copyOf   func(T) T
	uid      int
	writes   []string
	getErr   map[string]error
	racyOnce map[string]bool // Create answers AlreadyExists once for these (another apiserver won)
}

func newFake[T metav1.Object](copyOf func(T) T) *fakeClient[T] {
	return &fakeClient[T]{objs: map[string]T{}, copyOf: copyOf, getErr: map[string]error{}, racyOnce: map[string]bool{}}
}

func (f *fakeClient[T]) Get(_ context.Context, ns, name string) (T, error) {
	var zero T
	if err := f.getErr[key(ns, name)]; err != nil {
		return zero, err
	}
	o, ok := f.objs[key(ns, name)]
	if !ok {
		return zero, errNotFound
	}
	return f.copyOf(o), nil
}

func (f *fakeClient[T]) Create(_ context.Context, o T) (T, error) {
	var zero T
	k := key(o.GetNamespace(), o.GetName())
	if f.racyOnce[k] {
		delete(f.racyOnce, k)
		f.put(f.copyOf(o))
		return zero, fmt.Errorf("create %s: %w", k, storage.ErrAlreadyExists)
	}
	if _, ok := f.objs[k]; ok {
		return zero, fmt.Errorf("create %s: %w", k, storage.ErrAlreadyExists)
	}
	f.writes = append(f.writes, "create "+k)
	f.put(f.copyOf(o))
	return f.copyOf(o), nil
}

func (f *fakeClient[T]) put(o T) {
	f.uid++
	o.SetUID(types.UID(fmt.Sprint(f.uid)))
	f.objs[key(o.GetNamespace(), o.GetName())] = o
}

func (f *fakeClient[T]) Update(_ context.Context, o T) (T, error) {
	var zero T
	k := key(o.GetNamespace(), o.GetName())
	if _, ok := f.objs[k]; !ok {
		return zero, errNotFound
	}
	f.writes = append(f.writes, "update "+k)
	f.objs[k] = f.copyOf(o)
	return f.copyOf(o), nil
}

func (f *fakeClient[T]) Delete(_ context.Context, ns, name string, uid types.UID) error {
	k := key(ns, name)
	o, ok := f.objs[k]
	if !ok {
		return errNotFound
	}
	if o.GetUID() != uid {
		return errors.New("uid precondition failed")
	}
	f.writes = append(f.writes, "delete "+k)
	delete(f.objs, k)
	return nil
}

type fakeNamespaces map[string]bool

func (n fakeNamespaces) EnsureNamespace(_ context.Context, name string) error {
	n[name] = true
	return nil
}

type fixture struct {
	crs  *fakeClient[*rbacv1.ClusterRole]
	crbs *fakeClient[*rbacv1.ClusterRoleBinding]
	rs   *fakeClient[*rbacv1.Role]
	rbs  *fakeClient[*rbacv1.RoleBinding]
	ns   fakeNamespaces
}

func newFixture() *fixture {
	return &fixture{
		crs:  newFake(func(o *rbacv1.ClusterRole) *rbacv1.ClusterRole { return o.DeepCopy() }),
		crbs: newFake(func(o *rbacv1.ClusterRoleBinding) *rbacv1.ClusterRoleBinding { return o.DeepCopy() }),
		rs:   newFake(func(o *rbacv1.Role) *rbacv1.Role { return o.DeepCopy() }),
		rbs:  newFake(func(o *rbacv1.RoleBinding) *rbacv1.RoleBinding { return o.DeepCopy() }),
		ns:   fakeNamespaces{},
	}
}

func (f *fixture) clients() Clients {
	return Clients{ClusterRoles: f.crs, ClusterRoleBindings: f.crbs, Roles: f.rs, RoleBindings: f.rbs, Namespaces: f.ns}
}

func (f *fixture) writes() int {
	return len(f.crs.writes) + len(f.crbs.writes) + len(f.rs.writes) + len(f.rbs.writes)
}

func countOps(results []Result) map[Operation]int {
	m := map[Operation]int{}
	for _, r := range results {
		m[r.Operation]++
	}
	return m
}

func TestReconcileFromEmpty(t *testing.T) {
	f := newFixture()
	f.crs.racyOnce["view"] = true // another apiserver creates view meanwhile
	results, err := Reconcile(context.Background(), nil, f.clients())
	if err != nil {
		t.Fatal(err)
	}
	total := len(ClusterRoles()) + len(ClusterRoleBindings()) + len(Roles()) + len(RoleBindings())
	ops := countOps(results)
	if len(results) != total || ops[OpCreate] != total-1 || ops[OpNone] != 1 {
		t.Fatalf("%d results, ops %v, want %d", len(results), ops, total)
	}
	if len(f.crs.objs) != len(ClusterRoles()) || len(f.rbs.objs) != len(RoleBindings()) {
		t.Errorf("stored %d cluster roles, %d role bindings", len(f.crs.objs), len(f.rbs.objs))
	}
	if !f.ns["kube-system"] || !f.ns["kube-public"] {
		t.Errorf("namespaces ensured: %v", f.ns)
	}
	// a second start writes nothing
	before := f.writes()
	results, err = Reconcile(context.Background(), nil, f.clients())
	if err != nil {
		t.Fatal(err)
	}
	if ops := countOps(results); ops[OpNone] != total || f.writes() != before {
		t.Errorf("second run: ops %v, %d writes", ops, f.writes()-before)
	}
}

func TestReconcileUpdates(t *testing.T) {
	ctx := context.Background()
	f := newFixture()
	if _, err := Reconcile(ctx, nil, f.clients()); err != nil {
		t.Fatal(err)
	}
	extra := rbacv1.PolicyRule{Verbs: []string{"get"}, APIGroups: []string{"example.com"}, Resources: []string{"widgets"}}

	// system:kube-scheduler lost a rule and gained one, lost its label and
	// got a custom annotation
	sched := f.crs.objs["system:kube-scheduler"]
	lost := sched.Rules[0]
	sched.Rules = append(sched.Rules[1:], extra)
	delete(sched.Labels, BootstrappingLabel)
	sched.Annotations["owner"] = "ops"

	// system:basic-user is protected and lost everything
	basic := f.crs.objs["system:basic-user"]
	basic.Annotations[AutoUpdateAnnotation] = "false"
	basic.Rules = nil

	// cluster-admin was made an aggregated role
	f.crs.objs["cluster-admin"].AggregationRule = &rbacv1.AggregationRule{}

	// admin lost its selector, and has aggregated rules that stay
	admin := f.crs.objs["admin"]
	admin.AggregationRule.ClusterRoleSelectors = nil
	admin.Rules = []rbacv1.PolicyRule{extra}

	// system:monitoring binding gained a subject and lost its group
	mon := f.crbs.objs["system:monitoring"]
	mon.Subjects = []rbacv1.Subject{{Kind: "User", APIGroup: rbacv1.GroupName, Name: "grafana"}}

	// system:discovery binding points at another role
	disc := f.crbs.objs["system:discovery"]
	disc.RoleRef.Name = "view"
	oldUID := disc.UID

	// a namespaced role lost its rules
	f.rs.objs["kube-system/system:controller:token-cleaner"].Rules = nil

	results, err := Reconcile(ctx, nil, f.clients())
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Result{}
	for _, r := range results {
		byName[r.Kind+" "+key(r.Namespace, r.Name)] = r
	}

	got := f.crs.objs["system:kube-scheduler"]
	if r := byName["ClusterRole system:kube-scheduler"]; r.Operation != OpUpdate || !reflect.DeepEqual(r.MissingRules, expandedMissing(lost)) {
		t.Errorf("scheduler result %+v", r)
	}
	if got.Labels[BootstrappingLabel] != BootstrappingValue || got.Annotations["owner"] != "ops" ||
		!containsRule(got.Rules, extra) || !covers(got.Rules, lost) {
		t.Errorf("scheduler role %+v", got)
	}

	if r := byName["ClusterRole system:basic-user"]; !r.Protected || r.Operation != OpUpdate || len(f.crs.objs["system:basic-user"].Rules) != 0 {
		t.Errorf("protected role touched: %+v", r)
	}
	if f.crs.objs["cluster-admin"].AggregationRule != nil {
		t.Error("cluster-admin still aggregated")
	}
	admin = f.crs.objs["admin"]
	if len(admin.AggregationRule.ClusterRoleSelectors) != 1 || !reflect.DeepEqual(admin.Rules, []rbacv1.PolicyRule{extra}) {
		t.Errorf("admin %+v", admin)
	}
	mon = f.crbs.objs["system:monitoring"]
	if len(mon.Subjects) != 2 || mon.Subjects[0].Name != "grafana" || mon.Subjects[1].Name != "system:monitoring" {
		t.Errorf("monitoring subjects %+v", mon.Subjects)
	}
	disc = f.crbs.objs["system:discovery"]
	if r := byName["ClusterRoleBinding system:discovery"]; r.Operation != OpRecreate || disc.RoleRef.Name != "system:discovery" || disc.UID == oldUID {
		t.Errorf("discovery binding %+v %+v", r, disc)
	}
	if !strings.Contains(strings.Join(f.crbs.writes, ","), "delete system:discovery,create system:discovery") {
		t.Errorf("binding writes %v", f.crbs.writes)
	}
	if len(f.rs.objs["kube-system/system:controller:token-cleaner"].Rules) == 0 {
		t.Error("token-cleaner role not repaired")
	}
}

func TestReconcileErrors(t *testing.T) {
	f := newFixture()
	f.crs.getErr["system:node"] = errors.New("etcd down")
	f.rbs.getErr["kube-system/system:controller:token-cleaner"] = errors.New("etcd down")
	results, err := Reconcile(context.Background(), nil, f.clients())
	if err == nil || !strings.Contains(err.Error(), "reconcile ClusterRole system:node: etcd down") ||
		!strings.Contains(err.Error(), "reconcile RoleBinding kube-system/system:controller:token-cleaner: etcd down") {
		t.Fatalf("err %v", err)
	}
	total := len(ClusterRoles()) + len(ClusterRoleBindings()) + len(Roles()) + len(RoleBindings())
	if len(results) != total-2 {
		t.Errorf("%d results: the others were not reconciled", len(results))
	}
	if _, err := Reconcile(context.Background(), nil, Clients{}); err == nil {
		t.Error("no clients accepted")
	}
}

// expandedMissing is how Covers reports a lost rule: one rule per verb,
// group and resource.
func expandedMissing(r rbacv1.PolicyRule) []rbacv1.PolicyRule {
	var out []rbacv1.PolicyRule
	for _, g := range r.APIGroups {
		for _, res := range r.Resources {
			for _, v := range r.Verbs {
				out = append(out, rbacv1.PolicyRule{Verbs: []string{v}, APIGroups: []string{g}, Resources: []string{res}})
			}
		}
	}
	return out
}

func containsRule(rules []rbacv1.PolicyRule, r rbacv1.PolicyRule) bool {
	for _, x := range rules {
		if reflect.DeepEqual(x, r) {
			return true
		}
	}
	return false
}

func covers(rules []rbacv1.PolicyRule, r rbacv1.PolicyRule) bool {
	for _, m := range expandedMissing(r) {
		if !containsRule(rules, m) {
			return false
		}
	}
	return true
}
