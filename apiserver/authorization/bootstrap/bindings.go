package bootstrap

import (
	"github.com/skiff-dev/skiff/apiserver/authentication"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"strings"
)

// ClusterRoleBindings returns the default ClusterRoleBindings, each named
// after its role. system:node binds nobody (the Node authorizer grants
// kubelets their access), as upstream since 1.8.
func ClusterRoleBindings() []rbacv1.ClusterRoleBinding {
	bindings := []rbacv1.ClusterRoleBinding{
		clusterBinding("cluster-admin", groups(authentication.SystemPrivilegedGroup)...),
		clusterBinding("system:monitoring", groups(authentication.MonitoringGroup)...),
		clusterBinding("system:discovery", groups(authentication.AllAuthenticated)...),
		clusterBinding("system:basic-user", groups(authentication.AllAuthenticated)...),
		clusterBinding("system:public-info-viewer", groups(authentication.AllAuthenticated, authentication.AllUnauthenticated)...),
		clusterBinding("system:node-proxier", users(kubeProxy)...),
		clusterBinding("system:kube-controller-manager", users(kubeControllerManager)...),
		clusterBinding("system:kube-dns", serviceAccount(systemNamespace, "kube-dns")),
		clusterBinding("system:kube-scheduler", users(kubeScheduler)...),
		clusterBinding("system:volume-scheduler", users(kubeScheduler)...),
		clusterBinding("system:node"),
		clusterBinding("system:service-account-issuer-discovery", groups(authentication.AllServiceAccountsGroup)...),
	}
	for _, cr := range controllerRoles() {
		sa := strings.TrimPrefix(cr.Name, ControllerRolePrefix)
		bindings = append(bindings, clusterBinding(cr.Name, serviceAccount(systemNamespace, sa)))
	}
	for i := range bindings {
		addDefaults(&bindings[i].ObjectMeta)
	}
	return bindings
}

// Roles returns the default Roles of kube-system and kube-public.
func Roles() []rbacv1.Role {
	roles := []rbacv1.Role{
		namespacedRole(publicNamespace, ControllerRolePrefix+"bootstrap-signer",
			verbs(read...).groups(legacyGroup).resources("configmaps"),
			verbs("update").groups(legacyGroup).resources("configmaps").names("cluster-info"),
			eventsRule(),
		),
		namespacedRole(systemNamespace, "extension-apiserver-authentication-reader",
			verbs("get", "list", "watch").groups(legacyGroup).resources("configmaps").names("extension-apiserver-authentication"),
		),
		namespacedRole(systemNamespace, "system::leader-locking-kube-controller-manager",
			verbs("create", "get", "list", "update", "watch").groups(coordinationGroup).resources("leases"),
			verbs("create", "get", "list", "update", "watch").groups(coordinationGroup).resources("leasecandidates"),
		),
		namespacedRole(systemNamespace, "system::leader-locking-kube-scheduler",
			verbs("create", "get", "list", "update", "watch").groups(coordinationGroup).resources("leases"),
			verbs("create", "get", "list", "update", "watch").groups(coordinationGroup).resources("leasecandidates"),
		),
		namespacedRole(systemNamespace, ControllerRolePrefix+"bootstrap-signer",
			verbs(read...).groups(legacyGroup).resources("secrets"),
		),
		namespacedRole(systemNamespace, ControllerRolePrefix+"cloud-provider",
			verbs("create", "get", "list", "watch").groups(legacyGroup).resources("configmaps"),
		),
		namespacedRole(systemNamespace, ControllerRolePrefix+"token-cleaner",
			verbs("delete", "get", "list", "watch").groups(legacyGroup).resources("secrets"),
			eventsRule(),
		),
	}
	for i := range roles {
		addDefaults(&roles[i].ObjectMeta)
	}
	return roles
}

// RoleBindings returns the default RoleBindings of kube-system and
// kube-public.
func RoleBindings() []rbacv1.RoleBinding {
	bindings := []rbacv1.RoleBinding{
		namespacedBinding(publicNamespace, ControllerRolePrefix+"bootstrap-signer", ControllerRolePrefix+"bootstrap-signer",
			serviceAccount(systemNamespace, "bootstrap-signer")),
		namespacedBinding(systemNamespace, "system::extension-apiserver-authentication-reader", "extension-apiserver-authentication-reader",
			append(users(kubeControllerManager), users(kubeScheduler)...)...),
		namespacedBinding(systemNamespace, "system::leader-locking-kube-controller-manager", "system::leader-locking-kube-controller-manager",
			append(users(kubeControllerManager), serviceAccount(systemNamespace, "kube-controller-manager"),
				serviceAccount(systemNamespace, "leader-election-controller"))...),
		namespacedBinding(systemNamespace, "system::leader-locking-kube-scheduler", "system::leader-locking-kube-scheduler",
			append(users(kubeScheduler), serviceAccount(systemNamespace, "kube-scheduler"))...),
		namespacedBinding(systemNamespace, ControllerRolePrefix+"bootstrap-signer", ControllerRolePrefix+"bootstrap-signer",
			serviceAccount(systemNamespace, "bootstrap-signer")),
		namespacedBinding(systemNamespace, ControllerRolePrefix+"cloud-provider", ControllerRolePrefix+"cloud-provider",
			serviceAccount(systemNamespace, "cloud-provider")),
		namespacedBinding(systemNamespace, ControllerRolePrefix+"token-cleaner", ControllerRolePrefix+"token-cleaner",
			serviceAccount(systemNamespace, "token-cleaner")),
	}
	for i := range bindings {
		addDefaults(&bindings[i].ObjectMeta)
	}
	return bindings
}

func namespacedRole(namespace, name string, bs ...rb) rbacv1.Role {
	return rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name}, Rules: rules(bs...)}
}

func namespacedBinding(namespace, name, roleName string, subjects ...rbacv1.Subject) rbacv1.RoleBinding {
	return rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: roleName},
		Subjects:   subjects,
	}
}
