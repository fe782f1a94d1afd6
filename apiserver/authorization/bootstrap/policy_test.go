package bootstrap

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/authorization"
	"github.com/skiff-dev/skiff/apiserver/authorization/rbac"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestPolicySanity(t *testing.T) {
	crs, crbs, roles, rbs := ClusterRoles(), ClusterRoleBindings(), Roles(), RoleBindings()
	names := map[string]bool{}
	clusterRoleNames := map[string]*rbacv1.ClusterRole{}
	check := func(kind string, m metav1.ObjectMeta) {
		k := kind + " " + m.Namespace + "/" + m.Name
		if names[k] {
			t.Errorf("%s twice", k)
		}
		names[k] = true
		if m.Labels[BootstrappingLabel] != BootstrappingValue || m.Annotations[AutoUpdateAnnotation] != "true" {
			t.Errorf("%s: labels %v annotations %v", k, m.Labels, m.Annotations)
		}
	}
	checkRules := func(owner string, rs []rbacv1.PolicyRule) {
		for _, r := range rs {
			ok := len(r.Verbs) > 0 && slices.IsSorted(r.Verbs) && slices.IsSorted(r.Resources)
			if len(r.NonResourceURLs) > 0 {
				ok = ok && len(r.APIGroups) == 0 && len(r.Resources) == 0
			} else {
				ok = ok && len(r.APIGroups) > 0 && len(r.Resources) > 0
			}
			if !ok {
				t.Errorf("%s: malformed rule %s", owner, rbac.CompactString(r))
			}
		}
	}
	for i := range crs {
		check("ClusterRole", crs[i].ObjectMeta)
		checkRules(crs[i].Name, crs[i].Rules)
		clusterRoleNames[crs[i].Name] = &crs[i]
	}
	roleNames := map[string]bool{}
	for _, r := range roles {
		check("Role", r.ObjectMeta)
		checkRules(r.Namespace+"/"+r.Name, r.Rules)
		roleNames[r.Namespace+"/"+r.Name] = true
	}
	for _, b := range crbs {
		check("ClusterRoleBinding", b.ObjectMeta)
		if b.RoleRef.Kind != "ClusterRole" || b.RoleRef.APIGroup != rbacv1.GroupName || clusterRoleNames[b.RoleRef.Name] == nil {
			t.Errorf("binding %s refers to %+v", b.Name, b.RoleRef)
		}
	}
	for _, b := range rbs {
		check("RoleBinding", b.ObjectMeta)
		if b.RoleRef.Kind != "Role" || !roleNames[b.Namespace+"/"+b.RoleRef.Name] {
			t.Errorf("binding %s/%s refers to %+v", b.Namespace, b.Name, b.RoleRef)
		}
	}
	if _, skipped := clusterRoleNames["system:heapster"]; skipped {
		t.Error("deprecated system:heapster is served")
	}

	// the aggregation chain view → edit → admin
	for name, tt := range map[string]struct{ selects, labelledTo string }{
		"admin": {AggregateToAdminLabel, ""},
		"edit":  {AggregateToEditLabel, AggregateToAdminLabel},
		"view":  {AggregateToViewLabel, AggregateToEditLabel},
	} {
		cr := clusterRoleNames[name]
		if cr.AggregationRule == nil || len(cr.AggregationRule.ClusterRoleSelectors) != 1 ||
			cr.AggregationRule.ClusterRoleSelectors[0].MatchLabels[tt.selects] != "true" || len(cr.Rules) != 0 {
			t.Errorf("%s: aggregation %+v rules %v", name, cr.AggregationRule, cr.Rules)
		}
		if tt.labelledTo != "" && cr.Labels[tt.labelledTo] != "true" {
			t.Errorf("%s is not labelled %s", name, tt.labelledTo)
		}
		part := clusterRoleNames["system:aggregate-to-"+name]
		if part == nil || part.Labels[tt.selects] != "true" || len(part.Rules) == 0 {
			t.Errorf("system:aggregate-to-%s: %+v", name, part)
		}
	}

	// the controllers skiff runs have their roles, bound to their service accounts
	for _, c := range []string{"deployment-controller", "replicaset-controller", "statefulset-controller", "daemon-set-controller",
		"job-controller", "cronjob-controller", "endpoint-controller", "endpointslice-controller", "namespace-controller",
		"node-controller", "generic-garbage-collector", "service-account-controller", "ttl-controller",
		"pv-protection-controller", "pvc-protection-controller", "replication-controller", "resourcequota-controller",
		"horizontal-pod-autoscaler", "disruption-controller", "pod-garbage-collector", "ttl-after-finished-controller",
		"clusterrole-aggregation-controller", "root-ca-cert-publisher"} {
		name := ControllerRolePrefix + c
		if clusterRoleNames[name] == nil {
			t.Errorf("no role %s", name)
			continue
		}
		i := slices.IndexFunc(crbs, func(b rbacv1.ClusterRoleBinding) bool { return b.Name == name })
		if i < 0 || len(crbs[i].Subjects) != 1 || crbs[i].Subjects[0] != (rbacv1.Subject{Kind: "ServiceAccount", Namespace: "kube-system", Name: c}) {
			t.Errorf("binding of %s: %+v", name, crbs)
		}
	}
	if !roleNames["kube-system/system:controller:token-cleaner"] {
		t.Error("no token-cleaner role")
	}
}

// policyStore serves the bootstrap policy to the RBAC authorizer, with the
// aggregated roles filled in as the aggregation controller would.
type policyStore struct {
	crs   []*rbacv1.ClusterRole
	crbs  []*rbacv1.ClusterRoleBinding
	roles []*rbacv1.Role
	rbs   []*rbacv1.RoleBinding
}

func newPolicyStore(t *testing.T, extra ...*rbacv1.RoleBinding) *policyStore {
	t.Helper()
	s := &policyStore{rbs: extra}
	for _, cr := range ClusterRoles() {
		s.crs = append(s.crs, cr.DeepCopy())
	}
	// view feeds edit feeds admin: aggregate in that order
	for _, name := range []string{"view", "edit", "admin"} {
		for _, cr := range s.crs {
			if cr.Name != name {
				continue
			}
			rules, err := rbac.AggregateRules(cr, s.crs)
			if err != nil {
				t.Fatal(err)
			}
			cr.Rules = rules
		}
	}
	for _, b := range ClusterRoleBindings() {
		s.crbs = append(s.crbs, b.DeepCopy())
	}
	for _, r := range Roles() {
		s.roles = append(s.roles, r.DeepCopy())
	}
	for _, b := range RoleBindings() {
		s.rbs = append(s.rbs, b.DeepCopy())
	}
	return s
}

func (s *policyStore) GetRole(_ context.Context, ns, name string) (*rbacv1.Role, error) {
	for _, r := range s.roles {
		if r.Namespace == ns && r.Name == name {
			return r, nil
		}
	}
	return nil, errNotFound
}

func (s *policyStore) ListRoleBindings(_ context.Context, ns string) ([]*rbacv1.RoleBinding, error) {
	var out []*rbacv1.RoleBinding
	for _, b := range s.rbs {
		if b.Namespace == ns {
			out = append(out, b)
		}
	}
	return out, nil
}

func (s *policyStore) GetClusterRole(_ context.Context, name string) (*rbacv1.ClusterRole, error) {
	for _, r := range s.crs {
		if r.Name == name {
			return r, nil
		}
	}
	return nil, errNotFound
}

func (s *policyStore) ListClusterRoleBindings(context.Context) ([]*rbacv1.ClusterRoleBinding, error) {
	return s.crbs, nil
}

func TestPolicyGrants(t *testing.T) {
	adminBinding := &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Namespace: "team", Name: "admins"},
		RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: "admin"}, Subjects: []rbacv1.Subject{{Kind: "User", Name: "alice"}}}
	viewBinding := &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Namespace: "team", Name: "viewers"},
		RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: "view"}, Subjects: []rbacv1.Subject{{Kind: "User", Name: "victor"}}}
	s := newPolicyStore(t, adminBinding, viewBinding)
	a := rbac.New(nil, rbac.Source{Roles: s, RoleBindings: s, ClusterRoles: s, ClusterRoleBindings: s})

	authd := func(name string, groups ...string) *authentication.User {
		return &authentication.User{Name: name, Groups: append(groups, authentication.AllAuthenticated)}
	}
	scheduler := authd(authentication.KubeScheduler)
	cm := authd(authentication.KubeControllerManager)
	proxy := authd(authentication.KubeProxy)
	anonymous := authentication.AnonymousUser()
	masters := authd("root", authentication.SystemPrivilegedGroup)
	deploymentSA := &authentication.User{Name: "system:serviceaccount:kube-system:deployment-controller", Groups: authentication.ServiceAccountGroups("kube-system")}
	nsSA := &authentication.User{Name: "system:serviceaccount:kube-system:namespace-controller"}
	alice, victor := authd("alice"), authd("victor")
	node := authd("system:node:n1", authentication.NodesGroup)

	r := func(verb, group, resource, sub, ns, name string) authorization.Attributes {
		return authorization.Attributes{Verb: verb, ResourceRequest: true, APIGroup: group, APIVersion: "v1", Resource: resource, Subresource: sub, Namespace: ns, Name: name}
	}
	p := func(verb, path string) authorization.Attributes {
		return authorization.Attributes{Verb: verb, Path: path}
	}
	tests := []struct {
		name  string
		user  *authentication.User
		attrs authorization.Attributes
		allow bool
	}{
		{"scheduler binds pods", scheduler, r("create", "", "pods", "binding", "default", "web"), true},
		{"scheduler creates bindings", scheduler, r("create", "", "bindings", "", "default", ""), true},
		{"scheduler creates its lease", scheduler, r("create", "coordination.k8s.io", "leases", "", "kube-system", ""), true},
		{"scheduler gets its lease", scheduler, r("get", "coordination.k8s.io", "leases", "", "kube-system", "kube-scheduler"), true},
		{"scheduler updates its lease", scheduler, r("update", "coordination.k8s.io", "leases", "", "kube-system", "kube-scheduler"), true},
		{"scheduler does not update others' leases", scheduler, r("update", "coordination.k8s.io", "leases", "", "default", "kube-controller-manager"), false},
		{"scheduler lists nodes", scheduler, r("list", "", "nodes", "", "", ""), true},
		{"scheduler patches pod status", scheduler, r("patch", "", "pods", "status", "default", "web"), true},
		{"scheduler binds volumes", scheduler, r("update", "", "persistentvolumeclaims", "", "default", "data"), true},
		{"scheduler reads the authentication configmap", scheduler, r("get", "", "configmaps", "", "kube-system", "extension-apiserver-authentication"), true},
		{"scheduler does not delete nodes", scheduler, r("delete", "", "nodes", "", "", "n1"), false},
		{"controller-manager watches everything", cm, r("watch", "apps", "deployments", "", "", ""), true},
		{"controller-manager updates its lease", cm, r("update", "coordination.k8s.io", "leases", "", "kube-system", "kube-controller-manager"), true},
		{"controller-manager creates tokens", cm, r("create", "", "serviceaccounts", "token", "kube-system", "x"), true},
		{"controller-manager does not create pods itself", cm, r("create", "", "pods", "", "default", ""), false},
		{"deployment controller creates replicasets", deploymentSA, r("create", "apps", "replicasets", "", "team", ""), true},
		{"deployment controller updates status", deploymentSA, r("update", "apps", "deployments", "status", "team", "web"), true},
		{"deployment controller records events", deploymentSA, r("create", "events.k8s.io", "events", "", "team", ""), true},
		{"deployment controller does not delete pods", deploymentSA, r("delete", "", "pods", "", "team", "p"), false},
		{"namespace controller finalizes", nsSA, r("update", "", "namespaces", "finalize", "", "team"), true},
		{"namespace controller deletes collections", nsSA, r("deletecollection", "apps", "deployments", "", "team", ""), true},
		{"kube-proxy watches slices", proxy, r("watch", "discovery.k8s.io", "endpointslices", "", "", ""), true},
		{"kube-proxy gets nodes", proxy, r("get", "", "nodes", "", "", "n1"), true},
		{"anonymous reads /version", anonymous, p("get", "/version"), true},
		{"anonymous reads /healthz", anonymous, p("get", "/healthz"), true},
		{"anonymous does not discover", anonymous, p("get", "/api"), false},
		{"anonymous does not list pods", anonymous, r("list", "", "pods", "", "default", ""), false},
		{"authenticated discovers", alice, p("get", "/apis/apps/v1"), true},
		{"authenticated reviews itself", alice, r("create", "authorization.k8s.io", "selfsubjectaccessreviews", "", "", ""), true},
		{"authenticated reads /openapi/v3", alice, p("get", "/openapi/v3/apis/apps/v1"), true},
		{"authenticated does not read metrics", alice, p("get", "/metrics"), false},
		{"masters do anything (cluster-admin binding)", masters, r("delete", "", "nodes", "", "", "n1"), true},
		{"admin creates pods", alice, r("create", "", "pods", "", "team", ""), true},
		{"admin execs", alice, r("create", "", "pods", "exec", "team", "p"), true},
		{"admin binds roles", alice, r("create", "rbac.authorization.k8s.io", "rolebindings", "", "team", ""), true},
		{"admin scales deployments", alice, r("patch", "apps", "deployments", "scale", "team", "web"), true},
		{"admin reads secrets", alice, r("get", "", "secrets", "", "team", "s"), true},
		{"admin is not admin elsewhere", alice, r("create", "", "pods", "", "other", ""), false},
		{"admin does not delete its namespace", alice, r("delete", "", "namespaces", "", "team", "team"), false},
		{"viewer lists deployments", victor, r("list", "apps", "deployments", "", "team", ""), true},
		{"viewer reads logs", victor, r("get", "", "pods", "log", "team", "p"), true},
		{"viewer does not read secrets", victor, r("get", "", "secrets", "", "team", "s"), false},
		{"viewer does not exec", victor, r("create", "", "pods", "exec", "team", "p"), false},
		// system:node is bound to nobody: kubelets are authorized by the Node authorizer
		{"node is not granted by RBAC", node, r("get", "", "nodes", "", "", "n1"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			attrs := tt.attrs
			attrs.User = tt.user
			d, reason, err := a.Authorize(context.Background(), attrs)
			if err != nil {
				t.Fatal(err)
			}
			if (d == authorization.Allow) != tt.allow {
				t.Errorf("decision %v (%s), want allow=%v", d, reason, tt.allow)
			}
		})
	}
}

func TestNodeRole(t *testing.T) {
	var node *rbacv1.ClusterRole
	for _, cr := range ClusterRoles() {
		if cr.Name == "system:node" {
			node = cr.DeepCopy()
		}
	}
	allows := func(attrs authorization.Attributes) bool {
		for i := range node.Rules {
			if rbac.RuleAllows(attrs, &node.Rules[i]) {
				return true
			}
		}
		return false
	}
	r := func(verb, group, resource, sub, ns, name string) authorization.Attributes {
		return authorization.Attributes{Verb: verb, ResourceRequest: true, APIGroup: group, Resource: resource, Subresource: sub, Namespace: ns, Name: name}
	}
	for _, tt := range []struct {
		attrs authorization.Attributes
		want  bool
	}{
		{r("get", "", "nodes", "", "", "n1"), true},
		{r("create", "", "nodes", "", "", ""), true},
		{r("patch", "", "nodes", "status", "", "n1"), true},
		{r("update", "coordination.k8s.io", "leases", "", "kube-node-lease", "n1"), true},
		{r("patch", "", "pods", "status", "default", "p"), true},
		{r("create", "", "serviceaccounts", "token", "default", "sa"), true},
		{r("get", "", "secrets", "", "default", "s"), true},
		{r("delete", "", "nodes", "", "", "n1"), false},
		{r("update", "", "pods", "", "default", "p"), false},
	} {
		if got := allows(tt.attrs); got != tt.want {
			t.Errorf("%s %s/%s: %v", tt.attrs.Verb, tt.attrs.Resource, tt.attrs.Subresource, got)
		}
	}
	var binding *rbacv1.ClusterRoleBinding
	for _, b := range ClusterRoleBindings() {
		if b.Name == "system:node" {
			binding = b.DeepCopy()
		}
	}
	if binding == nil || len(binding.Subjects) != 0 {
		t.Errorf("system:node binding %+v", binding)
	}
	if !strings.HasPrefix(ControllerRolePrefix, "system:controller:") {
		t.Error(ControllerRolePrefix)
	}
}
