package pod

import (
	"math"

	corev1 "k8s.io/api/core/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry/validname"
)

// options are the switches of pod validation. Most relax a rule for
// updates of pods that were stored before the rule existed, as upstream.
type options struct {
	// resourceIsPod: the spec is a pod's, not a template's.
	resourceIsPod bool
	// allowPrivileged is kube-apiserver's --allow-privileged.
	allowPrivileged                    bool
	allowInvalidPodDeletionCost        bool
	allowRelaxedEnvVarNames            bool
	allowInvalidLabelValueInSelector   bool
	allowIndivisibleHugePages          bool
	allowInvalidTopologySpreadSelector bool
	allowNamespacedSysctlsForHostNet   bool
	allowNonLocalProjectedTokenPath    bool
}

// ValidatePodSpec checks a pod spec as upstream validates the spec of a pod
// template (hostPort may stay 0 with hostNetwork; privileged containers
// are allowed). meta is the pod's metadata when the spec is a real pod's
// (it names generic ephemeral volumes' claims), or nil.
func ValidatePodSpec(spec *corev1.PodSpec, meta *metav1.ObjectMeta, path *field.Path) field.ErrorList {
	return validatePodSpec(spec, meta, path, options{allowPrivileged: true})
}

// ValidatePodTemplateSpec checks a pod template: its labels, annotations
// and spec. Rules of the embedding kind (restartPolicy Always for
// Deployments, the selector matching the labels) are the caller's.
func ValidatePodTemplateSpec(t *corev1.PodTemplateSpec, path *field.Path) field.ErrorList {
	return validatePodTemplateSpec(t, path, options{allowPrivileged: true})
}

func validatePodTemplateSpec(t *corev1.PodTemplateSpec, path *field.Path, opts options) field.ErrorList {
	errs := metav1validation.ValidateLabels(t.Labels, path.Child("labels"))
	errs = append(errs, apivalidation.ValidateAnnotations(t.Annotations, path.Child("annotations"))...)
	errs = append(errs, validatePodSpecificAnnotations(t.Annotations, &t.Spec, path.Child("annotations"), opts)...)
	specPath := path.Child("spec")
	errs = append(errs, validatePodSpec(&t.Spec, nil, specPath, opts)...)
	errs = append(errs, validateSeccompAnnotationsAndFields(t.Annotations, &t.Spec, specPath)...)
	errs = append(errs, validateAppArmorAnnotationsAndFields(t.Annotations, &t.Spec, specPath)...)
	if len(t.Spec.EphemeralContainers) > 0 {
		errs = append(errs, field.Forbidden(specPath.Child("ephemeralContainers"), "ephemeral containers not allowed in pod template"))
	}
	return errs
}

// validatePodCreate checks a new pod.
func validatePodCreate(pod *corev1.Pod, opts options) field.ErrorList {
	errs := validatePodMetadataAndSpec(pod, opts)
	specPath := field.NewPath("spec")
	if len(pod.Spec.EphemeralContainers) > 0 {
		errs = append(errs, field.Forbidden(specPath.Child("ephemeralContainers"), "cannot be set on create"))
	}
	if pod.Spec.NodeName != "" && len(pod.Spec.SchedulingGates) != 0 {
		errs = append(errs, field.Forbidden(specPath.Child("nodeName"), "cannot be set until all schedulingGates have been cleared"))
	}
	errs = append(errs, validateSeccompAnnotationsAndFields(pod.Annotations, &pod.Spec, specPath)...)
	errs = append(errs, validateAppArmorAnnotationsAndFields(pod.Annotations, &pod.Spec, specPath)...)
	return errs
}

// validatePodMetadataAndSpec checks what create and update both check
// (the registry checks the rest of the metadata).
func validatePodMetadataAndSpec(pod *corev1.Pod, opts options) field.ErrorList {
	specPath := field.NewPath("spec")
	errs := validatePodSpecificAnnotations(pod.Annotations, &pod.Spec, field.NewPath("metadata", "annotations"), opts)
	errs = append(errs, validatePodSpec(&pod.Spec, &pod.ObjectMeta, specPath, opts)...)
	if pod.Spec.ServiceAccountName == "" {
		for vi, v := range pod.Spec.Volumes {
			if v.Projected == nil {
				continue
			}
			for si, src := range v.Projected.Sources {
				if src.ServiceAccountToken != nil {
					errs = append(errs, field.Forbidden(specPath.Child("volumes").Index(vi).Child("projected", "sources").Index(si).Child("serviceAccountToken"),
						"must not be specified when serviceAccountName is not set"))
				}
			}
		}
	}
	errs = append(errs, validateImagesTrimmed(pod.Spec.Containers, specPath, "containers")...)
	errs = append(errs, validateImagesTrimmed(pod.Spec.InitContainers, specPath, "initContainers")...)
	return errs
}

// validatePodSpec checks a spec, of a pod or a template.
func validatePodSpec(spec *corev1.PodSpec, meta *metav1.ObjectMeta, path *field.Path, opts options) field.ErrorList {
	var errs field.ErrorList
	if spec.TerminationGracePeriodSeconds == nil {
		errs = append(errs, field.Required(path.Child("terminationGracePeriodSeconds"), ""))
	}
	grace := spec.TerminationGracePeriodSeconds
	hostUsers := spec.HostUsers == nil || *spec.HostUsers

	// Paths are made only for fields that have something to check: most
	// are empty, and a valid pod is the common case.
	vols, verrs := validateVolumes(spec.Volumes, meta, path.Child("volumes"), opts)
	errs = append(errs, verrs...)
	claims := podClaimNames(spec.ResourceClaims)
	if len(spec.ResourceClaims) > 0 {
		errs = append(errs, validatePodResourceClaims(spec.ResourceClaims, path.Child("resourceClaims"))...)
	}
	ctx := containerContext{volumes: vols, claims: claims, grace: grace, restartPolicy: spec.RestartPolicy, hostUsers: hostUsers, opts: opts}
	errs = append(errs, validateContainers(spec.Containers, ctx, path.Child("containers"))...)
	if len(spec.InitContainers) > 0 {
		errs = append(errs, validateInitContainers(spec.InitContainers, spec.Containers, ctx, path.Child("initContainers"))...)
	}
	if len(spec.EphemeralContainers) > 0 {
		errs = append(errs, validateEphemeralContainers(spec.EphemeralContainers, spec.Containers, spec.InitContainers, ctx, path.Child("ephemeralContainers"))...)
	}
	errs = append(errs, validateHostNetworkPorts(spec, path, opts)...)
	errs = append(errs, validateRestartPolicy(spec.RestartPolicy, path)...)
	errs = append(errs, validateDNSPolicy(spec.DNSPolicy, path)...)
	if len(spec.NodeSelector) > 0 {
		errs = append(errs, metav1validation.ValidateLabels(spec.NodeSelector, path.Child("nodeSelector"))...)
	}
	errs = append(errs, validatePodSecurityContext(spec, path, opts)...)
	if len(spec.ImagePullSecrets) > 0 {
		errs = append(errs, validateImagePullSecrets(spec.ImagePullSecrets, path.Child("imagePullSecrets"))...)
	}
	if spec.Affinity != nil {
		errs = append(errs, validateAffinity(spec.Affinity, opts, path.Child("affinity"))...)
	}
	errs = append(errs, validateDNSConfig(spec.DNSConfig, spec.DNSPolicy, path)...)
	if len(spec.ReadinessGates) > 0 {
		errs = append(errs, validateReadinessGates(spec.ReadinessGates, path.Child("readinessGates"))...)
	}
	if len(spec.SchedulingGates) > 0 {
		errs = append(errs, validateSchedulingGates(spec.SchedulingGates, path.Child("schedulingGates"))...)
	}
	if len(spec.TopologySpreadConstraints) > 0 {
		errs = append(errs, validateTopologySpreadConstraints(spec.TopologySpreadConstraints, path.Child("topologySpreadConstraints"), opts)...)
	}
	errs = append(errs, validateWindowsHostProcessPod(spec, path, opts)...)
	errs = append(errs, validateHostUsers(spec, path)...)
	if spec.ServiceAccountName != "" {
		for _, msg := range apivalidation.ValidateServiceAccountName(spec.ServiceAccountName, false) {
			errs = append(errs, field.Invalid(path.Child("serviceAccountName"), spec.ServiceAccountName, msg))
		}
	}
	if spec.NodeName != "" {
		for _, msg := range apivalidation.NameIsDNSSubdomain(spec.NodeName, false) {
			errs = append(errs, field.Invalid(path.Child("nodeName"), spec.NodeName, msg))
		}
	}
	if v := spec.ActiveDeadlineSeconds; v != nil && (*v < 1 || *v > math.MaxInt32) {
		errs = append(errs, field.Invalid(path.Child("activeDeadlineSeconds"), *v, validation.InclusiveRangeError(1, math.MaxInt32)))
	}
	if spec.Hostname != "" {
		errs = append(errs, validateDNSLabel(spec.Hostname, path.Child("hostname"))...)
	}
	if spec.Subdomain != "" {
		errs = append(errs, validateDNSLabel(spec.Subdomain, path.Child("subdomain"))...)
	}
	if len(spec.Tolerations) > 0 {
		errs = append(errs, validateTolerations(spec.Tolerations, path.Child("tolerations"))...)
	}
	if len(spec.HostAliases) > 0 {
		errs = append(errs, validateHostAliases(spec.HostAliases, path.Child("hostAliases"))...)
	}
	if spec.PriorityClassName != "" {
		for _, msg := range apivalidation.NameIsDNSSubdomain(spec.PriorityClassName, false) {
			errs = append(errs, field.Invalid(path.Child("priorityClassName"), spec.PriorityClassName, msg))
		}
	}
	if spec.RuntimeClassName != nil {
		for _, msg := range apivalidation.NameIsDNSSubdomain(*spec.RuntimeClassName, false) {
			errs = append(errs, field.Invalid(path.Child("runtimeClassName"), *spec.RuntimeClassName, msg))
		}
	}
	if p := spec.PreemptionPolicy; p != nil {
		errs = append(errs, validatePreemptionPolicy(*p, path.Child("preemptionPolicy"))...)
	}
	if spec.Overhead != nil {
		errs = append(errs, validateResources(&corev1.ResourceRequirements{Limits: spec.Overhead}, nil, path.Child("overhead"), opts)...)
	}
	errs = append(errs, validateOS(spec, path, opts)...)
	return errs
}

// validateRestartPolicy checks the restartPolicy of spec (at specPath).
func validateRestartPolicy(p corev1.RestartPolicy, specPath *field.Path) field.ErrorList {
	switch p {
	case corev1.RestartPolicyAlways, corev1.RestartPolicyOnFailure, corev1.RestartPolicyNever:
		return nil
	}
	path := specPath.Child("restartPolicy")
	if p == "" {
		return field.ErrorList{field.Required(path, "")}
	}
	return field.ErrorList{field.NotSupported(path, p, []corev1.RestartPolicy{corev1.RestartPolicyAlways, corev1.RestartPolicyOnFailure, corev1.RestartPolicyNever})}
}

// validateDNSPolicy checks the dnsPolicy of spec (at specPath).
func validateDNSPolicy(p corev1.DNSPolicy, specPath *field.Path) field.ErrorList {
	switch p {
	case corev1.DNSClusterFirstWithHostNet, corev1.DNSClusterFirst, corev1.DNSDefault, corev1.DNSNone:
		return nil
	}
	path := specPath.Child("dnsPolicy")
	if p == "" {
		return field.ErrorList{field.Required(path, "")}
	}
	v := p // only an error's value escapes
	return field.ErrorList{field.NotSupported(path, &v, []corev1.DNSPolicy{corev1.DNSClusterFirstWithHostNet, corev1.DNSClusterFirst, corev1.DNSDefault, corev1.DNSNone})}
}

func validatePreemptionPolicy(p corev1.PreemptionPolicy, path *field.Path) field.ErrorList {
	switch p {
	case corev1.PreemptLowerPriority, corev1.PreemptNever:
		return nil
	case "":
		return field.ErrorList{field.Required(path, "")}
	}
	v := p // only an error's value escapes
	return field.ErrorList{field.NotSupported(path, &v, []corev1.PreemptionPolicy{corev1.PreemptLowerPriority, corev1.PreemptNever})}
}

// validateHostNetworkPorts: with hostNetwork, hostPort must equal
// containerPort (templates may leave it 0, to be defaulted in the pod).
func validateHostNetworkPorts(spec *corev1.PodSpec, path *field.Path, opts options) field.ErrorList {
	if !spec.HostNetwork {
		return nil
	}
	var errs field.ErrorList
	for i, c := range spec.Containers {
		for j, p := range c.Ports {
			if (opts.resourceIsPod || p.HostPort != 0) && p.HostPort != p.ContainerPort {
				errs = append(errs, field.Invalid(path.Child("containers").Index(i).Child("ports").Index(j).Child("hostPort"),
					p.HostPort, "must match `containerPort` when `hostNetwork` is true"))
			}
		}
	}
	return errs
}

func validateImagePullSecrets(secrets []corev1.LocalObjectReference, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, s := range secrets {
		if s != (corev1.LocalObjectReference{Name: s.Name}) {
			errs = append(errs, field.Invalid(path.Index(i), s, "only name may be set"))
		}
	}
	return errs
}

func validateReadinessGates(gates []corev1.PodReadinessGate, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, g := range gates {
		errs = append(errs, validateQualifiedName(string(g.ConditionType), path.Index(i).Child("conditionType"))...)
	}
	return errs
}

func validateSchedulingGates(gates []corev1.PodSchedulingGate, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	seen := map[string]bool{}
	for i, g := range gates {
		errs = append(errs, validateQualifiedName(g.Name, path.Index(i))...)
		if seen[g.Name] {
			errs = append(errs, field.Duplicate(path.Index(i), g.Name))
		}
		seen[g.Name] = true
	}
	return errs
}

func validateHostAliases(aliases []corev1.HostAlias, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, a := range aliases {
		errs = append(errs, validation.IsValidIP(path.Index(i).Child("ip"), a.IP)...)
		for j, h := range a.Hostnames {
			errs = append(errs, validateDNSSubdomain(h, path.Index(i).Child("hostnames").Index(j))...)
		}
	}
	return errs
}

func validateDNSLabel(value string, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range validname.IsDNS1123Label(value) {
		errs = append(errs, field.Invalid(path, value, msg))
	}
	return errs
}

func validateDNSSubdomain(value string, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range validname.IsDNS1123Subdomain(value) {
		errs = append(errs, field.Invalid(path, value, msg))
	}
	return errs
}

func validateQualifiedName(value string, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range validname.IsQualifiedName(value) {
		errs = append(errs, field.Invalid(path, value, msg))
	}
	return errs
}
