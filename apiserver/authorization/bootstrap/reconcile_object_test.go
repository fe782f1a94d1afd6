package bootstrap

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// hookedClient answers Update with what update returns when that is an
// error, and passes it to the fake otherwise.
type hookedClient[T metav1.Object] struct {
	*fakeClient[T]
	update func(o T) error
}

func (h hookedClient[T]) Update(ctx context.Context, o T) (T, error) {
	if err := h.update(o); err != nil {
		var zero T
		return zero, err
	}
	return h.fakeClient.Update(ctx, o)
}

type deleterFunc func(ctx context.Context, namespace, name string, uid types.UID) error

func (f deleterFunc) Delete(ctx context.Context, namespace, name string, uid types.UID) error {
	return f(ctx, namespace, name, uid)
}

type failingNamespaces struct{}

func (failingNamespaces) EnsureNamespace(context.Context, string) error { return errors.New("boom") }

var (
	podsRule   = rbacv1.PolicyRule{Verbs: []string{"get"}, APIGroups: []string{""}, Resources: []string{"pods"}}
	secretRule = rbacv1.PolicyRule{Verbs: []string{"list"}, APIGroups: []string{""}, Resources: []string{"secrets"}}
	alice      = rbacv1.Subject{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: "alice"}
	bob        = rbacv1.Subject{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: "bob"}
)

func testRole(rules ...rbacv1.PolicyRule) *rbacv1.Role {
	r := &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Namespace: "kube-system", Name: "r"}, Rules: rules}
	addDefaults(&r.ObjectMeta)
	return r
}

func testBinding(role string, subjects ...rbacv1.Subject) *rbacv1.RoleBinding {
	b := &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Namespace: "kube-system", Name: "b"},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: role},
		Subjects:   subjects,
	}
	addDefaults(&b.ObjectMeta)
	return b
}

// checkOutcome compares what reconcileObject returned and wrote with
// what a case wants (wantErr: a part of the error's text).
func checkOutcome(t *testing.T, got Result, err error, writes []string, want Result, wantErr string, wantWrites []string) {
	t.Helper()
	if (err == nil) != (wantErr == "") || err != nil && !strings.Contains(err.Error(), wantErr) {
		t.Fatalf("err %v, want %q", err, wantErr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("result\n got %+v\nwant %+v", got, want)
	}
	if !reflect.DeepEqual(writes, wantWrites) {
		t.Errorf("writes %v, want %v", writes, wantWrites)
	}
}

func TestReconcileObjectRole(t *testing.T) {
	expected := testRole(podsRule, secretRule)
	for _, tt := range []struct {
		name     string
		existing *rbacv1.Role // nil: none
		// update, when set, answers Update instead of the store when it
		// returns an error.
		update     func(f *fakeClient[*rbacv1.Role], o *rbacv1.Role) error
		namespaces NamespaceEnsurer
		want       Result
		wantErr    string
		writes     []string
		stored     *rbacv1.Role // nil: as expected
	}{
		{
			name:   "missing: created in its namespace",
			want:   Result{Kind: "Role", Namespace: "kube-system", Name: "r", Operation: OpCreate, MissingRules: expected.Rules},
			writes: []string{"create kube-system/r"},
		},
		{
			name:     "as expected: nothing written",
			existing: testRole(podsRule, secretRule),
			want:     Result{Kind: "Role", Namespace: "kube-system", Name: "r", Operation: OpNone},
		},
		{
			name: "lacks a rule, a label and an annotation: added, its own kept",
			existing: func() *rbacv1.Role {
				r := testRole(podsRule)
				r.Labels = map[string]string{"team": "ops"}
				r.Annotations = map[string]string{AutoUpdateAnnotation: "true", "note": "mine"}
				return r
			}(),
			want:   Result{Kind: "Role", Namespace: "kube-system", Name: "r", Operation: OpUpdate, MissingRules: []rbacv1.PolicyRule{secretRule}},
			writes: []string{"update kube-system/r"},
			stored: func() *rbacv1.Role {
				r := testRole(podsRule, secretRule)
				r.Labels["team"] = "ops"
				r.Annotations["note"] = "mine"
				return r
			}(),
		},
		{
			name: "only a label differs: updated",
			existing: func() *rbacv1.Role {
				r := testRole(podsRule, secretRule)
				r.Labels = nil
				return r
			}(),
			want:   Result{Kind: "Role", Namespace: "kube-system", Name: "r", Operation: OpUpdate},
			writes: []string{"update kube-system/r"},
		},
		{
			name: "protected: reported, not written",
			existing: func() *rbacv1.Role {
				r := testRole()
				r.Annotations[AutoUpdateAnnotation] = "false"
				return r
			}(),
			want:   Result{Kind: "Role", Namespace: "kube-system", Name: "r", Operation: OpUpdate, Protected: true, MissingRules: expected.Rules},
			stored: func() *rbacv1.Role { r := testRole(); r.Annotations[AutoUpdateAnnotation] = "false"; return r }(),
		},
		{
			name:     "deleted before the update: created",
			existing: testRole(podsRule),
			update: func(f *fakeClient[*rbacv1.Role], o *rbacv1.Role) error {
				if _, ok := f.objs["kube-system/r"]; ok && len(o.Rules) == 2 && len(f.writes) == 0 {
					delete(f.objs, "kube-system/r")
					return errNotFound
				}
				return nil
			},
			want:   Result{Kind: "Role", Namespace: "kube-system", Name: "r", Operation: OpCreate, MissingRules: expected.Rules},
			writes: []string{"create kube-system/r"},
		},
		{
			name:     "update keeps answering NotFound: gives up",
			existing: testRole(podsRule),
			update:   func(*fakeClient[*rbacv1.Role], *rbacv1.Role) error { return errNotFound },
			want:     Result{Kind: "Role", Namespace: "kube-system", Name: "r", Operation: OpUpdate, MissingRules: []rbacv1.PolicyRule{secretRule}},
			wantErr:  "gave up after 3 attempts",
			stored:   testRole(podsRule),
		},
		{
			name:     "update fails",
			existing: testRole(podsRule),
			update:   func(*fakeClient[*rbacv1.Role], *rbacv1.Role) error { return errors.New("etcd down") },
			want:     Result{Kind: "Role", Namespace: "kube-system", Name: "r", Operation: OpUpdate, MissingRules: []rbacv1.PolicyRule{secretRule}},
			wantErr:  "etcd down",
			stored:   testRole(podsRule),
		},
		{
			name:       "namespace cannot be made",
			namespaces: failingNamespaces{},
			want:       Result{Kind: "Role", Namespace: "kube-system", Name: "r", Operation: OpCreate, MissingRules: expected.Rules},
			wantErr:    "namespace kube-system: boom",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(func(o *rbacv1.Role) *rbacv1.Role { return o.DeepCopy() })
			if tt.existing != nil {
				f.put(tt.existing.DeepCopy())
			}
			var c Client[*rbacv1.Role] = f
			if tt.update != nil {
				c = hookedClient[*rbacv1.Role]{f, func(o *rbacv1.Role) error { return tt.update(f, o) }}
			}
			ns := tt.namespaces
			if ns == nil {
				ns = fakeNamespaces{}
			}
			got, err := reconcileObject(context.Background(), roles, c, nil, ns, expected.DeepCopy())
			checkOutcome(t, got, err, f.writes, tt.want, tt.wantErr, tt.writes)
			if fns, ok := ns.(fakeNamespaces); ok && tt.existing == nil && tt.wantErr == "" && !fns["kube-system"] {
				t.Error("namespace not ensured before the create")
			}
			stored, ok := f.objs["kube-system/r"]
			if tt.wantErr == "namespace kube-system: boom" {
				if ok {
					t.Errorf("created without its namespace: %+v", stored)
				}
				return
			}
			want := tt.stored
			if want == nil {
				want = expected
			}
			if !ok || !reflect.DeepEqual(stored.Rules, want.Rules) || !reflect.DeepEqual(stored.Labels, want.Labels) ||
				!reflect.DeepEqual(stored.Annotations, want.Annotations) {
				t.Errorf("stored %+v\nwant %+v", stored, want)
			}
		})
	}
}

func TestReconcileObjectBinding(t *testing.T) {
	expected := testBinding("r", alice, bob)
	notFoundDeleter := deleterFunc(func(context.Context, string, string, types.UID) error { return errNotFound })
	for _, tt := range []struct {
		name     string
		existing *rbacv1.RoleBinding
		del      func(f *fakeClient[*rbacv1.RoleBinding]) deleter
		want     Result
		wantErr  string
		writes   []string
		storedTo string // roleRef name stored after
		subjects []rbacv1.Subject
	}{
		{
			name:     "lacks a subject: appended after its own",
			existing: testBinding("r", bob, rbacv1.Subject{Kind: rbacv1.GroupKind, APIGroup: rbacv1.GroupName, Name: "devs"}),
			want:     Result{Kind: "RoleBinding", Namespace: "kube-system", Name: "b", Operation: OpUpdate, MissingSubjects: []rbacv1.Subject{alice}},
			writes:   []string{"update kube-system/b"},
			storedTo: "r",
			subjects: []rbacv1.Subject{bob, {Kind: rbacv1.GroupKind, APIGroup: rbacv1.GroupName, Name: "devs"}, alice},
		},
		{
			name:     "bound to another role: replaced",
			existing: testBinding("other", bob),
			want:     Result{Kind: "RoleBinding", Namespace: "kube-system", Name: "b", Operation: OpRecreate, MissingSubjects: expected.Subjects},
			writes:   []string{"delete kube-system/b", "create kube-system/b"},
			storedTo: "r",
			subjects: expected.Subjects,
		},
		{
			name: "bound to another role but protected: left alone",
			existing: func() *rbacv1.RoleBinding {
				b := testBinding("other", bob)
				b.Annotations[AutoUpdateAnnotation] = "false"
				return b
			}(),
			want:     Result{Kind: "RoleBinding", Namespace: "kube-system", Name: "b", Operation: OpRecreate, Protected: true, MissingSubjects: expected.Subjects},
			storedTo: "other",
			subjects: []rbacv1.Subject{bob},
		},
		{
			name:     "deleted meanwhile by someone else: created",
			existing: testBinding("other", bob),
			del: func(f *fakeClient[*rbacv1.RoleBinding]) deleter {
				return deleterFunc(func(ctx context.Context, ns, name string, uid types.UID) error {
					delete(f.objs, key(ns, name))
					return errNotFound
				})
			},
			want:     Result{Kind: "RoleBinding", Namespace: "kube-system", Name: "b", Operation: OpRecreate, MissingSubjects: expected.Subjects},
			writes:   []string{"create kube-system/b"},
			storedTo: "r",
			subjects: expected.Subjects,
		},
		{
			name:     "delete fails",
			existing: testBinding("other", bob),
			del: func(*fakeClient[*rbacv1.RoleBinding]) deleter {
				return deleterFunc(func(context.Context, string, string, types.UID) error { return errors.New("uid precondition failed") })
			},
			want:     Result{Kind: "RoleBinding", Namespace: "kube-system", Name: "b", Operation: OpRecreate, MissingSubjects: expected.Subjects},
			wantErr:  "uid precondition failed",
			storedTo: "other",
			subjects: []rbacv1.Subject{bob},
		},
		{
			name:     "delete answers NotFound but the old one stays: create races, then replaced again until giving up",
			existing: testBinding("other", bob),
			del:      func(*fakeClient[*rbacv1.RoleBinding]) deleter { return notFoundDeleter },
			want:     Result{Kind: "RoleBinding", Namespace: "kube-system", Name: "b", Operation: OpRecreate, MissingSubjects: expected.Subjects},
			wantErr:  "gave up after 3 attempts",
			storedTo: "other",
			subjects: []rbacv1.Subject{bob},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(func(o *rbacv1.RoleBinding) *rbacv1.RoleBinding { return o.DeepCopy() })
			f.put(tt.existing.DeepCopy())
			var del deleter = f
			if tt.del != nil {
				del = tt.del(f)
			}
			got, err := reconcileObject(context.Background(), roleBindings, f, del, fakeNamespaces{}, expected.DeepCopy())
			checkOutcome(t, got, err, f.writes, tt.want, tt.wantErr, tt.writes)
			stored := f.objs["kube-system/b"]
			if stored == nil || stored.RoleRef.Name != tt.storedTo || !reflect.DeepEqual(stored.Subjects, tt.subjects) {
				t.Errorf("stored %+v", stored)
			}
		})
	}
}

func TestReconcileObjectErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := reconcileObject(ctx, roles, nil, nil, nil, testRole()); err == nil || err.Error() != "no client" {
		t.Errorf("nil client: %v", err)
	}
	f := newFake(func(o *rbacv1.RoleBinding) *rbacv1.RoleBinding { return o.DeepCopy() })
	if _, err := reconcileObject(ctx, roleBindings, f, nil, nil, testBinding("r")); err == nil || err.Error() != "no client" {
		t.Errorf("a replaceable kind without a deleter: %v", err)
	}
	f.getErr["kube-system/b"] = errors.New("etcd down")
	res, err := reconcileObject(ctx, roleBindings, f, f, nil, testBinding("r"))
	if err == nil || err.Error() != "etcd down" || res.Operation != "" || len(f.writes) != 0 {
		t.Errorf("get error: %+v %v", res, err)
	}
}

// TestReconcileObjectClusterRole: a cluster-scoped kind is read and
// written with namespace "", and a ClusterRole lacking both rules and an
// aggregation selector gains both.
func TestReconcileObjectClusterRole(t *testing.T) {
	sel := metav1.LabelSelector{MatchLabels: map[string]string{"x": "true"}}
	expected := &rbacv1.ClusterRole{
		ObjectMeta:      metav1.ObjectMeta{Name: "cr"},
		Rules:           []rbacv1.PolicyRule{podsRule, secretRule},
		AggregationRule: &rbacv1.AggregationRule{ClusterRoleSelectors: []metav1.LabelSelector{sel}},
	}
	f := newFake(func(o *rbacv1.ClusterRole) *rbacv1.ClusterRole { return o.DeepCopy() })
	f.put(&rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: "cr"}, Rules: []rbacv1.PolicyRule{podsRule}})
	ns := fakeNamespaces{}
	res, err := reconcileObject(context.Background(), clusterRoles, f, nil, ns, expected)
	if err != nil {
		t.Fatal(err)
	}
	want := Result{Kind: "ClusterRole", Name: "cr", Operation: OpUpdate, MissingRules: []rbacv1.PolicyRule{secretRule}}
	if !reflect.DeepEqual(res, want) {
		t.Errorf("result %+v", res)
	}
	got := f.objs["cr"]
	if !reflect.DeepEqual(got.Rules, expected.Rules) || got.AggregationRule == nil ||
		!reflect.DeepEqual(got.AggregationRule.ClusterRoleSelectors, []metav1.LabelSelector{sel}) {
		t.Errorf("stored %+v", got)
	}
	if len(ns) != 0 {
		t.Errorf("namespaces ensured for a cluster-scoped kind: %v", ns)
	}
}

func TestMergeMeta(t *testing.T) {
	for _, tt := range []struct {
		name               string
		existing, expected map[string]string // labels and annotations alike
		want               map[string]string
		changed            bool
	}{
		{"both nil", nil, nil, nil, false},
		{"existing empty, expected nil", map[string]string{}, nil, map[string]string{}, false},
		{"existing nil, expected empty", nil, map[string]string{}, map[string]string{}, true},
		{"existing value wins", map[string]string{"a": "mine"}, map[string]string{"a": "theirs"}, map[string]string{"a": "mine"}, false},
		{"missing key added", map[string]string{"a": "1"}, map[string]string{"b": "2"}, map[string]string{"a": "1", "b": "2"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			existing := &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Labels: tt.existing, Annotations: tt.existing}}
			expected := &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Labels: tt.expected, Annotations: tt.expected}}
			want := existing.DeepCopy()
			if changed := mergeMeta(want, existing, expected); changed != tt.changed ||
				!reflect.DeepEqual(want.Labels, tt.want) || !reflect.DeepEqual(want.Annotations, tt.want) {
				t.Errorf("changed %v labels %v annotations %v", changed, want.Labels, want.Annotations)
			}
		})
	}
}
