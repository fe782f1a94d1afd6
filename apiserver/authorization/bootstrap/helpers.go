package bootstrap

import (
	"sort"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Metadata every bootstrap object carries.
const (
	AutoUpdateAnnotation = "rbac.authorization.kubernetes.io/autoupdate"
	BootstrappingLabel   = "kubernetes.io/bootstrapping"
	BootstrappingValue   = "rbac-defaults"

	AggregateToAdminLabel = "rbac.authorization.k8s.io/aggregate-to-admin"
	AggregateToEditLabel  = "rbac.authorization.k8s.io/aggregate-to-edit"
	AggregateToViewLabel  = "rbac.authorization.k8s.io/aggregate-to-view"

	// ControllerRolePrefix names the per-controller roles; the controller's
	// service account in kube-system is the rest of the name.
	ControllerRolePrefix = "system:controller:"
)

const (
	legacyGroup         = ""
	appsGroup           = "apps"
	authenticationGroup = "authentication.k8s.io"
	authorizationGroup  = "authorization.k8s.io"
	autoscalingGroup    = "autoscaling"
	batchGroup          = "batch"
	certificatesGroup   = "certificates.k8s.io"
	coordinationGroup   = "coordination.k8s.io"
	discoveryGroup      = "discovery.k8s.io"
	eventsGroup         = "events.k8s.io"
	extensionsGroup     = "extensions"
	networkingGroup     = "networking.k8s.io"
	nodeGroup           = "node.k8s.io"
	policyGroup         = "policy"
	rbacGroup           = "rbac.authorization.k8s.io"
	storageGroup        = "storage.k8s.io"
	admissionGroup      = "admissionregistration.k8s.io"

	systemNamespace = "kube-system"
	publicNamespace = "kube-public"
)

var (
	readWrite = []string{"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"}
	read      = []string{"get", "list", "watch"}
	write     = []string{"create", "update", "patch", "delete", "deletecollection"}
)

// rb builds one PolicyRule.
type rb struct{ r rbacv1.PolicyRule }

func verbs(v ...string) rb { return rb{rbacv1.PolicyRule{Verbs: v}} }

func (b rb) groups(g ...string) rb    { b.r.APIGroups = g; return b }
func (b rb) resources(r ...string) rb { b.r.Resources = r; return b }
func (b rb) names(n ...string) rb     { b.r.ResourceNames = n; return b }
func (b rb) urls(u ...string) rb      { b.r.NonResourceURLs = u; return b }

// rule returns the rule with verbs, resources, names and URLs sorted, as
// upstream's builder writes them (API groups keep their order).
func (b rb) rule() rbacv1.PolicyRule {
	r := *b.r.DeepCopy()
	for _, s := range [][]string{r.Verbs, r.Resources, r.ResourceNames, r.NonResourceURLs} {
		sort.Strings(s)
	}
	return r
}

func rules(bs ...rb) []rbacv1.PolicyRule {
	out := make([]rbacv1.PolicyRule, len(bs))
	for i, b := range bs {
		out[i] = b.rule()
	}
	return out
}

// eventsRule lets a component record events through either API.
func eventsRule() rb {
	return verbs("create", "update", "patch").groups(legacyGroup, eventsGroup).resources("events")
}

func clusterRole(name string, bs ...rb) rbacv1.ClusterRole {
	return rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: name}, Rules: rules(bs...)}
}

func aggregated(name, selectLabel string) rbacv1.ClusterRole {
	return rbacv1.ClusterRole{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		AggregationRule: &rbacv1.AggregationRule{ClusterRoleSelectors: []metav1.LabelSelector{
			{MatchLabels: map[string]string{selectLabel: "true"}},
		}},
	}
}

func withLabel(cr rbacv1.ClusterRole, key string) rbacv1.ClusterRole {
	if cr.Labels == nil {
		cr.Labels = map[string]string{}
	}
	cr.Labels[key] = "true"
	return cr
}

func users(names ...string) []rbacv1.Subject {
	out := make([]rbacv1.Subject, len(names))
	for i, n := range names {
		out[i] = rbacv1.Subject{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: n}
	}
	return out
}

func groups(names ...string) []rbacv1.Subject {
	out := make([]rbacv1.Subject, len(names))
	for i, n := range names {
		out[i] = rbacv1.Subject{Kind: rbacv1.GroupKind, APIGroup: rbacv1.GroupName, Name: n}
	}
	return out
}

func serviceAccount(namespace, name string) rbacv1.Subject {
	return rbacv1.Subject{Kind: rbacv1.ServiceAccountKind, Namespace: namespace, Name: name}
}

func clusterBinding(roleName string, subjects ...rbacv1.Subject) rbacv1.ClusterRoleBinding {
	return rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: roleName},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: roleName},
		Subjects:   subjects,
	}
}

// addDefaults labels and annotates a bootstrap object.
func addDefaults(m *metav1.ObjectMeta) {
	if m.Labels == nil {
		m.Labels = map[string]string{}
	}
	m.Labels[BootstrappingLabel] = BootstrappingValue
	if m.Annotations == nil {
		m.Annotations = map[string]string{}
	}
	m.Annotations[AutoUpdateAnnotation] = "true"
}

// subject names used below
const (
	kubeProxy             = authentication.KubeProxy
	kubeControllerManager = authentication.KubeControllerManager
	kubeScheduler         = authentication.KubeScheduler
)
