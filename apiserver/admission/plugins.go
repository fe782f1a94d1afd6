package admission

import (
	"errors"
	"fmt"
	"slices"
	"sort"
)

// The names of the plugins skiff builds (upstream's).
const (
	NamespaceLifecycle       = "NamespaceLifecycle"
	LimitRanger              = "LimitRanger"
	ServiceAccount           = "ServiceAccount"
	NodeRestriction          = "NodeRestriction"
	TaintNodesByCondition    = "TaintNodesByCondition"
	Priority                 = "Priority"
	DefaultTolerationSeconds = "DefaultTolerationSeconds"
	DefaultStorageClass      = "DefaultStorageClass"
	ResourceQuota            = "ResourceQuota"
)

// upstreamOrder is kube-apiserver v1.31's AllOrderedPlugins: every plugin
// upstream knows, in the order it runs them.
var upstreamOrder = []string{
	"AlwaysAdmit",
	"NamespaceAutoProvision",
	NamespaceLifecycle,
	"NamespaceExists",
	"LimitPodHardAntiAffinityTopology",
	LimitRanger,
	ServiceAccount,
	NodeRestriction,
	TaintNodesByCondition,
	"AlwaysPullImages",
	"ImagePolicyWebhook",
	"PodSecurity",
	"PodNodeSelector",
	Priority,
	DefaultTolerationSeconds,
	"PodTolerationRestriction",
	"EventRateLimit",
	"ExtendedResourceToleration",
	DefaultStorageClass,
	"StorageObjectInUseProtection",
	"OwnerReferencesPermissionEnforcement",
	"PersistentVolumeClaimResize",
	"RuntimeClass",
	"CertificateApproval",
	"CertificateSigning",
	"ClusterTrustBundleAttest",
	"CertificateSubjectRestriction",
	"DefaultIngressClass",
	"DenyServiceExternalIPs",
	"MutatingAdmissionWebhook",
	"ValidatingAdmissionPolicy",
	"ValidatingAdmissionWebhook",
	ResourceQuota,
	"AlwaysDeny",
}

// upstreamDefaultOn are the plugins kube-apiserver v1.31 enables when no
// flag says otherwise.
var upstreamDefaultOn = []string{
	NamespaceLifecycle, LimitRanger, ServiceAccount, DefaultStorageClass,
	"PersistentVolumeClaimResize", DefaultTolerationSeconds, "MutatingAdmissionWebhook",
	"ValidatingAdmissionWebhook", ResourceQuota, "StorageObjectInUseProtection", Priority,
	TaintNodesByCondition, "RuntimeClass", "CertificateApproval", "CertificateSigning",
	"ClusterTrustBundleAttest", "CertificateSubjectRestriction", "DefaultIngressClass",
	"PodSecurity", "ValidatingAdmissionPolicy",
}

// built are the plugins skiff implements.
var built = []string{
	NamespaceLifecycle, LimitRanger, ServiceAccount, NodeRestriction, TaintNodesByCondition,
	Priority, DefaultTolerationSeconds, DefaultStorageClass, ResourceQuota,
}

// RecommendedOrder is the order the plugins skiff builds run in
// (upstream's).
func RecommendedOrder() []string {
	var out []string
	for _, n := range upstreamOrder {
		if slices.Contains(built, n) {
			out = append(out, n)
		}
	}
	return out
}

// DefaultEnabled are the plugins on when no flag says otherwise: upstream
// v1.31's default set, restricted to the plugins skiff builds, in order.
func DefaultEnabled() []string {
	var out []string
	for _, n := range RecommendedOrder() {
		if slices.Contains(upstreamDefaultOn, n) {
			out = append(out, n)
		}
	}
	return out
}

// Factory builds one plugin.
type Factory func() (Plugin, error)

// Plugins builds the enabled plugins in upstream's order, with the
// semantics of --enable-admission-plugins (on in addition to the default
// set) and --disable-admission-plugins (off although in the default set).
// A name neither upstream nor skiff knows is an error, as is a name in
// both lists and enabling a plugin upstream has but skiff does not build;
// disabling such a plugin is accepted (it is off anyway). Every enabled
// plugin needs a factory.
func Plugins(enable, disable []string, factories map[string]Factory) ([]NamedPlugin, error) {
	if err := validateFlags(enable, disable, factories); err != nil {
		return nil, err
	}
	var out []NamedPlugin
	var errs []error
	for _, name := range RecommendedOrder() {
		on := slices.Contains(upstreamDefaultOn, name)
		if slices.Contains(disable, name) {
			on = false
		}
		if slices.Contains(enable, name) {
			on = true
		}
		if !on {
			continue
		}
		f := factories[name]
		if f == nil {
			errs = append(errs, fmt.Errorf("admission plugin %q is enabled but has no factory", name))
			continue
		}
		p, err := f()
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("admission plugin %q: %w", name, err))
		case p == nil:
			errs = append(errs, fmt.Errorf("admission plugin %q: factory returned no plugin", name))
		default:
			out = append(out, NamedPlugin{Name: name, Plugin: p})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// validateFlags checks the flags' names as upstream's AdmissionOptions
// does, worded as upstream.
func validateFlags(enable, disable []string, factories map[string]Factory) error {
	var errs []error
	for _, name := range enable {
		switch {
		case !slices.Contains(upstreamOrder, name):
			errs = append(errs, fmt.Errorf("enable-admission-plugins plugin %q is unknown", name))
		case !slices.Contains(built, name):
			errs = append(errs, fmt.Errorf("enable-admission-plugins plugin %q is not built by skiff", name))
		}
	}
	for _, name := range disable {
		if !slices.Contains(upstreamOrder, name) {
			errs = append(errs, fmt.Errorf("disable-admission-plugins plugin %q is unknown", name))
		}
	}
	var overlap []string
	for _, name := range enable {
		if slices.Contains(disable, name) && !slices.Contains(overlap, name) {
			overlap = append(overlap, name)
		}
	}
	if len(overlap) > 0 {
		sort.Strings(overlap)
		errs = append(errs, fmt.Errorf("%v in enable-admission-plugins and disable-admission-plugins overlapped", overlap))
	}
	var stray []string
	for name := range factories {
		if !slices.Contains(built, name) {
			stray = append(stray, name)
		}
	}
	sort.Strings(stray)
	for _, name := range stray {
		errs = append(errs, fmt.Errorf("admission plugin factory %q names no plugin skiff builds", name))
	}
	return errors.Join(errs...)
}
