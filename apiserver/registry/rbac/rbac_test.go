package rbac

import (
	"context"
	"reflect"
	"testing"
	"time"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

func errorStrings(errs field.ErrorList) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func expect(t *testing.T, errs field.ErrorList, want ...string) {
	t.Helper()
	if got := errorStrings(errs); !reflect.DeepEqual(got, want) {
		t.Fatalf("errors\n got  %q\n want %q", got, want)
	}
}

func TestResources(t *testing.T) {
	want := map[string]bool{"roles": true, "clusterroles": false, "rolebindings": true, "clusterrolebindings": false}
	for _, r := range Resources() {
		namespaced, ok := want[r.GVR.Resource]
		if !ok || r.Namespaced != namespaced || !r.AllowCreateOnUpdate || r.StoragePrefix != r.GVR.Resource || r.GVR.Group != "rbac.authorization.k8s.io" {
			t.Fatalf("resource %+v", r)
		}
		v := r.Strategy.(interface{ ValidateName(string, bool) []string })
		if msgs := v.ValidateName("system:controller:job-controller", false); len(msgs) != 0 {
			t.Fatalf("%s: colon names refused: %v", r.GVR.Resource, msgs)
		}
		if msgs := v.ValidateName("a/b", false); len(msgs) == 0 {
			t.Fatalf("%s: slash accepted", r.GVR.Resource)
		}
	}
}

func TestRoles(t *testing.T) {
	ctx := context.Background()
	role := &rbacv1.Role{Rules: []rbacv1.PolicyRule{
		{Verbs: []string{"get"}, APIGroups: []string{""}, Resources: []string{"pods"}},
		{Verbs: []string{"get"}, NonResourceURLs: []string{"/healthz"}},
		{APIGroups: []string{"apps"}},
	}}
	expect(t, roleStrategy{}.Validate(ctx, role),
		`rules[1].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs`,
		"rules[2].verbs: Required value: verbs must contain at least one value",
		"rules[2].resources: Required value: resource rules must supply at least one resource")

	cr := &rbacv1.ClusterRole{Rules: []rbacv1.PolicyRule{
		{Verbs: []string{"get"}, NonResourceURLs: []string{"/healthz"}},
		{Verbs: []string{"get"}, NonResourceURLs: []string{"/metrics"}, Resources: []string{"pods"}},
		{Verbs: []string{"*"}, Resources: []string{"*"}},
	}}
	expect(t, clusterRoleStrategy{}.Validate(ctx, cr),
		`rules[1].nonResourceURLs: Invalid value: []string{"/metrics"}: rules cannot apply to both regular resources and non-resource URLs`,
		"rules[2].apiGroups: Required value: resource rules must supply at least one api group")

	agg := &rbacv1.ClusterRole{AggregationRule: &rbacv1.AggregationRule{}}
	expect(t, clusterRoleStrategy{}.Validate(ctx, agg),
		"aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil")
	agg.AggregationRule.ClusterRoleSelectors = []metav1.LabelSelector{{MatchLabels: map[string]string{"rbac.example.com/aggregate-to-view": "true"}}}
	expect(t, clusterRoleStrategy{}.Validate(ctx, agg))

	// Updates list each error twice, as upstream.
	bad := &rbacv1.Role{Rules: []rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"pods"}}}}
	expect(t, roleStrategy{}.ValidateUpdate(ctx, bad, &rbacv1.Role{}),
		"rules[0].verbs: Required value: verbs must contain at least one value",
		"rules[0].verbs: Required value: verbs must contain at least one value")
}

func TestBindingDefaults(t *testing.T) {
	b := &rbacv1.RoleBinding{
		RoleRef:  rbacv1.RoleRef{Kind: "ClusterRole", Name: "view"},
		Subjects: []rbacv1.Subject{{Kind: "User", Name: "jane"}, {Kind: "Group", Name: "devs"}, {Kind: "ServiceAccount", Name: "ci"}},
	}
	roleBindingStrategy{}.Default(b)
	if b.RoleRef.APIGroup != rbacv1.GroupName || b.Subjects[0].APIGroup != rbacv1.GroupName || b.Subjects[1].APIGroup != rbacv1.GroupName || b.Subjects[2].APIGroup != "" {
		t.Fatalf("defaults %+v", b)
	}
	expect(t, roleBindingStrategy{}.Validate(context.Background(), b))
}

func TestBindingValidation(t *testing.T) {
	ctx := context.Background()
	rb := &rbacv1.RoleBinding{
		RoleRef: rbacv1.RoleRef{APIGroup: "example.com", Kind: "Policy"},
		Subjects: []rbacv1.Subject{
			{Kind: "ServiceAccount", Name: "Bad_Name", APIGroup: "rbac.authorization.k8s.io"},
			{Kind: "User", APIGroup: ""},
			{Kind: "Robot", Name: "r2"},
		},
	}
	expect(t, roleBindingStrategy{}.Validate(ctx, rb),
		`roleRef.apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"`,
		`roleRef.kind: Unsupported value: "Policy": supported values: "Role", "ClusterRole"`,
		"roleRef.name: Required value",
		`subjects[0].name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
		`subjects[0].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: ""`,
		"subjects[1].name: Required value",
		`subjects[1].apiGroup: Unsupported value: "": supported values: "rbac.authorization.k8s.io"`,
		`subjects[2].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"`)

	crb := &rbacv1.ClusterRoleBinding{
		RoleRef:  rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: "admin"},
		Subjects: []rbacv1.Subject{{Kind: "ServiceAccount", Name: "ci"}},
	}
	expect(t, clusterRoleBindingStrategy{}.Validate(ctx, crb),
		`roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"`,
		"subjects[0].namespace: Required value")

	old := &rbacv1.ClusterRoleBinding{RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: "view"}}
	upd := old.DeepCopy()
	upd.RoleRef.Name = "edit"
	expect(t, clusterRoleBindingStrategy{}.ValidateUpdate(ctx, upd, old),
		`roleRef: Invalid value: v1.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef`)
	upd.RoleRef.Name = "view"
	upd.Subjects = []rbacv1.Subject{{Kind: "Group", APIGroup: rbacv1.GroupName, Name: "system:authenticated"}}
	expect(t, clusterRoleBindingStrategy{}.ValidateUpdate(ctx, upd, old))
}

func TestBindingTable(t *testing.T) {
	now := time.Date(2024, 8, 1, 12, 0, 0, 0, time.UTC)
	rb := &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "view-team", CreationTimestamp: metav1.NewTime(now.Add(-time.Hour))},
		RoleRef:    rbacv1.RoleRef{Kind: "ClusterRole", Name: "view"},
		Subjects: []rbacv1.Subject{
			{Kind: "User", Name: "jane"}, {Kind: "User", Name: "joe"}, {Kind: "Group", Name: "devs"},
			{Kind: "ServiceAccount", Namespace: "ci", Name: "runner"},
		},
	}
	render := bindingTable("roleBinding", func() time.Time { return now })
	tbl, _ := render([]storage.Object{rb}, true)
	var cols []string
	for _, c := range tbl.ColumnDefinitions {
		cols = append(cols, c.Name)
	}
	if !reflect.DeepEqual(cols, []string{"Name", "Role", "Age", "Users", "Groups", "ServiceAccounts"}) || tbl.ColumnDefinitions[3].Description != "Users in the roleBinding" {
		t.Fatalf("columns %+v", tbl.ColumnDefinitions)
	}
	if want := []any{"view-team", "ClusterRole/view", "60m", "jane, joe", "devs", "ci/runner"}; !reflect.DeepEqual(tbl.Rows[0].Cells, want) {
		t.Fatalf("cells %#v", tbl.Rows[0].Cells)
	}
	crb := &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "admins", CreationTimestamp: rb.CreationTimestamp},
		RoleRef: rbacv1.RoleRef{Kind: "ClusterRole", Name: "cluster-admin"}}
	narrow, _ := bindingTable("clusterRoleBinding", func() time.Time { return now })([]storage.Object{crb}, false)
	if want := []any{"admins", "ClusterRole/cluster-admin", "60m"}; len(narrow.ColumnDefinitions) != 3 || !reflect.DeepEqual(narrow.Rows[0].Cells, want) {
		t.Fatalf("narrow %#v", narrow.Rows[0].Cells)
	}
}
