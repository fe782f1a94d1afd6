package pod

import (
	"context"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	netutils "k8s.io/utils/net"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// statusStrategy is the pods/status subresource's rules (the kubelet's
// writes): the spec and owner references stay as stored.
type statusStrategy struct{}

var _ registry.UpdateStrategy = statusStrategy{}

// PrepareForUpdate keeps the spec and the owner references (old kubelets
// corrupted them), and the QoS class when the writer dropped it.
func (statusStrategy) PrepareForUpdate(_ context.Context, obj, old storage.Object) {
	pod, ok := obj.(*corev1.Pod)
	oldPod, ok2 := old.(*corev1.Pod)
	if !ok || !ok2 {
		return
	}
	pod.Spec = oldPod.Spec
	pod.OwnerReferences = oldPod.OwnerReferences
	if pod.Status.QOSClass == "" {
		pod.Status.QOSClass = oldPod.Status.QOSClass
	}
	dropDisabledFields(pod, oldPod)
}

// ValidateUpdate checks the new status.
func (statusStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	pod, ok := obj.(*corev1.Pod)
	oldPod, ok2 := old.(*corev1.Pod)
	if !ok || !ok2 {
		return wrongType(obj)
	}
	return validatePodStatusUpdate(pod, oldPod, optionsFor(oldPod))
}

func validatePodStatusUpdate(pod, old *corev1.Pod, opts options) field.ErrorList {
	meta := field.NewPath("metadata")
	errs := validatePodAnnotationUpdates(pod, old, meta.Child("annotations"), opts)
	// Upstream reports conditions under metadata.
	errs = append(errs, validatePodConditions(pod.Status.Conditions, meta.Child("conditions"))...)
	p := field.NewPath("status")
	if pod.Spec.NodeName != old.Spec.NodeName {
		errs = append(errs, field.Forbidden(p.Child("nodeName"), "may not be changed directly"))
	}
	if n := pod.Status.NominatedNodeName; n != old.Status.NominatedNodeName && n != "" {
		for _, msg := range apivalidation.NameIsDNSSubdomain(n, false) {
			errs = append(errs, field.Invalid(p.Child("nominatedNodeName"), n, msg))
		}
	}
	errs = append(errs, apivalidation.ValidateImmutableField(pod.Status.QOSClass, old.Status.QOSClass, p.Child("qosClass"))...)
	errs = append(errs, validateContainerStateTransition(pod.Status.ContainerStatuses, old.Status.ContainerStatuses, p.Child("containerStatuses"), old.Spec.RestartPolicy, nil)...)
	errs = append(errs, validateContainerStateTransition(pod.Status.InitContainerStatuses, old.Status.InitContainerStatuses, p.Child("initContainerStatuses"), old.Spec.RestartPolicy, old.Spec.InitContainers)...)
	errs = append(errs, validateContainerStateTransition(pod.Status.EphemeralContainerStatuses, old.Status.EphemeralContainerStatuses, p.Child("ephemeralContainerStatuses"), corev1.RestartPolicyNever, nil)...)
	errs = append(errs, validateResourceClaimStatuses(pod.Status.ResourceClaimStatuses, pod.Spec.ResourceClaims, p.Child("resourceClaimStatuses"))...)
	errs = append(errs, validateStatusIPs(pod.Status.PodIPs, p.Child("podIPs"))...)
	errs = append(errs, validateHostIPs(&pod.Status, p.Child("hostIPs"))...)
	for _, list := range []struct {
		name     string
		statuses []corev1.ContainerStatus
	}{{"containerStatuses", pod.Status.ContainerStatuses}, {"initContainerStatuses", pod.Status.InitContainerStatuses}, {"ephemeralContainerStatuses", pod.Status.EphemeralContainerStatuses}} {
		errs = append(errs, validateContainerStatusUsers(list.statuses, p.Child(list.name), pod.Spec.OS)...)
	}
	return errs
}

var systemConditions = sets.New(corev1.PodScheduled, corev1.PodReady, corev1.PodInitialized)

func validatePodConditions(conditions []corev1.PodCondition, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, c := range conditions {
		if !systemConditions.Has(c.Type) {
			errs = append(errs, validateQualifiedName(string(c.Type), p.Index(i).Child("Type"))...)
		}
	}
	return errs
}

// validateContainerStateTransition: containers that will not be restarted
// stay terminated. Init containers with restartPolicy Always (sidecars)
// may restart.
func validateContainerStateTransition(statuses, old []corev1.ContainerStatus, p *field.Path, restart corev1.RestartPolicy, inits []corev1.Container) field.ErrorList {
	if restart == corev1.RestartPolicyAlways {
		return nil
	}
	var errs field.ErrorList
	for i, o := range old {
		if o.State.Terminated == nil || (o.State.Terminated.ExitCode != 0 && restart == corev1.RestartPolicyOnFailure) {
			continue
		}
		if isSidecar(inits, o.Name) {
			continue
		}
		for _, s := range statuses {
			if s.Name == o.Name && s.State.Terminated == nil {
				errs = append(errs, field.Forbidden(p.Index(i).Child("state"), "may not be transitioned to non-terminated state"))
			}
		}
	}
	return errs
}

func isSidecar(inits []corev1.Container, name string) bool {
	for _, c := range inits {
		if c.Name == name {
			return c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways
		}
	}
	return false
}

func validateResourceClaimStatuses(statuses []corev1.PodResourceClaimStatus, claims []corev1.PodResourceClaim, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	names := sets.New[string]()
	for i, s := range statuses {
		ip := p.Index(i)
		if !podClaimNames(claims).Has(s.Name) {
			errs = append(errs, field.Invalid(ip.Child("name"), s.Name, "must match the name of an entry in `spec.resourceClaims`"))
		}
		if names.Has(s.Name) {
			errs = append(errs, field.Duplicate(ip.Child("name"), s.Name))
		}
		names.Insert(s.Name)
		if n := s.ResourceClaimName; n != nil {
			for _, msg := range apivalidation.NameIsDNSSubdomain(*n, false) {
				errs = append(errs, field.Invalid(ip.Child("name"), n, msg))
			}
		}
	}
	return errs
}

// validateStatusIPs checks pod IPs: valid, at most one per family, no
// duplicates.
func validateStatusIPs(ips []corev1.PodIP, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	strs := make([]string, len(ips))
	for i, ip := range ips {
		strs[i] = ip.IP
		errs = append(errs, validation.IsValidIP(p.Index(i), ip.IP)...)
	}
	return append(errs, validateDualStack(strs, ips, p)...)
}

func validateHostIPs(s *corev1.PodStatus, p *field.Path) field.ErrorList {
	if len(s.HostIPs) == 0 {
		return nil
	}
	var errs field.ErrorList
	if s.HostIP != s.HostIPs[0].IP {
		errs = append(errs, field.Invalid(p.Index(0).Child("ip"), s.HostIPs[0].IP, "must be equal to `hostIP`"))
	}
	strs := make([]string, len(s.HostIPs))
	for i, ip := range s.HostIPs {
		strs[i] = ip.IP
		errs = append(errs, validation.IsValidIP(p.Index(i), ip.IP)...)
	}
	return append(errs, validateDualStack(strs, s.HostIPs, p)...)
}

// validateDualStack: more than one IP must mean one of each family, and no
// repeats.
func validateDualStack[T any](ips []string, items []T, p *field.Path) field.ErrorList {
	if len(ips) < 2 {
		return nil
	}
	var errs field.ErrorList
	dual, err := netutils.IsDualStackIPStrings(ips)
	if err != nil {
		errs = append(errs, field.InternalError(p, fmt.Errorf("failed to check for dual stack with error:%v", err)))
	}
	if !dual || len(ips) > 2 {
		errs = append(errs, field.Invalid(p, internalValue{items}, "may specify no more than one IP for each IP family"))
	}
	seen := sets.New[string]()
	for i, ip := range ips {
		if seen.Has(ip) {
			errs = append(errs, field.Duplicate(p.Index(i), internalValue{items[i]}))
		}
		seen.Insert(ip)
	}
	return errs
}

// internalValue prints a value as upstream's internal type of the same
// shape ("core." for "v1."), the way its validation messages show it.
type internalValue struct{ v any }

func (i internalValue) String() string {
	return strings.ReplaceAll(fmt.Sprintf("%#v", i.v), "v1.", "core.")
}

func validateContainerStatusUsers(statuses []corev1.ContainerStatus, p *field.Path, os *corev1.PodOS) field.ErrorList {
	var errs field.ErrorList
	windows := os != nil && os.Name == corev1.Windows
	for i, s := range statuses {
		if s.User == nil {
			continue
		}
		lp := p.Index(i).Child("linux")
		if windows {
			if s.User.Linux != nil {
				errs = append(errs, field.Forbidden(lp, "cannot be set for a windows pod"))
			}
			continue
		}
		if l := s.User.Linux; l != nil {
			errs = append(errs, invalidMsgs(lp.Child("uid"), l.UID, validation.IsValidUserID(l.UID))...)
			errs = append(errs, invalidMsgs(lp.Child("gid"), l.GID, validation.IsValidGroupID(l.GID))...)
			for g, gid := range l.SupplementalGroups {
				errs = append(errs, invalidMsgs(lp.Child("supplementalGroups").Index(g), gid, validation.IsValidGroupID(gid))...)
			}
		}
	}
	return errs
}
