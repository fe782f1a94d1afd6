package pod

import (
	"fmt"
	"regexp"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// validatePodSecurityContext checks spec.securityContext and the host
// namespace fields beside it.
func validatePodSecurityContext(spec *corev1.PodSpec, specPath *field.Path, opts options) field.ErrorList {
	sc := spec.SecurityContext
	if sc == nil {
		sc = &corev1.PodSecurityContext{}
	}
	p := specPath.Child("securityContext")
	var errs field.ErrorList
	if sc.FSGroup != nil {
		errs = append(errs, invalidMsgs(p.Child("fsGroup"), *sc.FSGroup, validation.IsValidGroupID(*sc.FSGroup))...)
	}
	if sc.RunAsUser != nil {
		errs = append(errs, invalidMsgs(p.Child("runAsUser"), *sc.RunAsUser, validation.IsValidUserID(*sc.RunAsUser))...)
	}
	if sc.RunAsGroup != nil {
		errs = append(errs, invalidMsgs(p.Child("runAsGroup"), *sc.RunAsGroup, validation.IsValidGroupID(*sc.RunAsGroup))...)
	}
	for i, gid := range sc.SupplementalGroups {
		errs = append(errs, invalidMsgs(p.Child("supplementalGroups").Index(i), gid, validation.IsValidGroupID(gid))...)
	}
	if s := spec.ShareProcessNamespace; s != nil && *s && spec.HostPID {
		errs = append(errs, field.Invalid(p.Child("shareProcessNamespace"), *s, "ShareProcessNamespace and HostPID cannot both be enabled"))
	}
	if len(sc.Sysctls) != 0 {
		errs = append(errs, validateSysctls(sc.Sysctls, spec, p.Child("sysctls"), opts)...)
	}
	if f := sc.FSGroupChangePolicy; f != nil && *f != corev1.FSGroupChangeOnRootMismatch && *f != corev1.FSGroupChangeAlways {
		errs = append(errs, field.NotSupported(p.Child("fsGroupChangePolicy"), f, []corev1.PodFSGroupChangePolicy{corev1.FSGroupChangeAlways, corev1.FSGroupChangeOnRootMismatch}))
	}
	if sc.SeccompProfile != nil {
		errs = append(errs, validateSeccompProfile(sc.SeccompProfile, p.Child("seccompProfile"))...)
	}
	if sc.WindowsOptions != nil {
		errs = append(errs, validateWindowsOptions(sc.WindowsOptions, p.Child("windowsOptions"))...)
	}
	if sc.AppArmorProfile != nil {
		errs = append(errs, validateAppArmorProfile(sc.AppArmorProfile, p.Child("appArmorProfile"))...)
	}
	if s := sc.SupplementalGroupsPolicy; s != nil && *s != corev1.SupplementalGroupsPolicyMerge && *s != corev1.SupplementalGroupsPolicyStrict {
		errs = append(errs, field.NotSupported(p.Child("supplementalGroupsPolicy"), s, []corev1.SupplementalGroupsPolicy{corev1.SupplementalGroupsPolicyMerge, corev1.SupplementalGroupsPolicyStrict}))
	}
	return errs
}

// validateSecurityContext checks a container's securityContext.
func validateSecurityContext(sc *corev1.SecurityContext, p *field.Path, hostUsers bool, opts options) field.ErrorList {
	if sc == nil {
		return nil
	}
	var errs field.ErrorList
	if sc.Privileged != nil && *sc.Privileged && !opts.allowPrivileged {
		errs = append(errs, field.Forbidden(p.Child("privileged"), "disallowed by cluster policy"))
	}
	if sc.RunAsUser != nil {
		errs = append(errs, invalidMsgs(p.Child("runAsUser"), *sc.RunAsUser, validation.IsValidUserID(*sc.RunAsUser))...)
	}
	if sc.RunAsGroup != nil {
		errs = append(errs, invalidMsgs(p.Child("runAsGroup"), *sc.RunAsGroup, validation.IsValidGroupID(*sc.RunAsGroup))...)
	}
	if pm := sc.ProcMount; pm != nil {
		if *pm != corev1.DefaultProcMount && *pm != corev1.UnmaskedProcMount {
			errs = append(errs, field.NotSupported(p.Child("procMount"), *pm, []corev1.ProcMountType{corev1.DefaultProcMount, corev1.UnmaskedProcMount}))
		}
		if hostUsers && *pm == corev1.UnmaskedProcMount {
			errs = append(errs, field.Invalid(p.Child("procMount"), sc.ProcMount, "`hostUsers` must be false to use `Unmasked`"))
		}
	}
	if sc.SeccompProfile != nil {
		errs = append(errs, validateSeccompProfile(sc.SeccompProfile, p.Child("seccompProfile"))...)
	}
	if sc.AllowPrivilegeEscalation != nil && !*sc.AllowPrivilegeEscalation {
		if sc.Privileged != nil && *sc.Privileged {
			errs = append(errs, field.Invalid(p, sc, "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"))
		}
		if sc.Capabilities != nil {
			for _, c := range sc.Capabilities.Add {
				if string(c) == "CAP_SYS_ADMIN" {
					errs = append(errs, field.Invalid(p, sc, "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN"))
				}
			}
		}
	}
	if sc.WindowsOptions != nil {
		errs = append(errs, validateWindowsOptions(sc.WindowsOptions, p.Child("windowsOptions"))...)
	}
	if sc.AppArmorProfile != nil {
		errs = append(errs, validateAppArmorProfile(sc.AppArmorProfile, p.Child("appArmorProfile"))...)
	}
	return errs
}

func invalidMsgs(p *field.Path, value any, msgs []string) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range msgs {
		errs = append(errs, field.Invalid(p, value, msg))
	}
	return errs
}

var seccompTypes = []corev1.SeccompProfileType{corev1.SeccompProfileTypeLocalhost, corev1.SeccompProfileTypeRuntimeDefault, corev1.SeccompProfileTypeUnconfined}

func validateSeccompProfile(sp *corev1.SeccompProfile, p *field.Path) field.ErrorList {
	if sp == nil {
		return nil
	}
	var errs field.ErrorList
	switch sp.Type {
	case corev1.SeccompProfileTypeLocalhost, corev1.SeccompProfileTypeRuntimeDefault, corev1.SeccompProfileTypeUnconfined:
	case "":
		errs = append(errs, field.Required(p.Child("type"), "type is required when seccompProfile is set"))
	default:
		errs = append(errs, field.NotSupported(p.Child("type"), sp.Type, seccompTypes))
	}
	if sp.Type == corev1.SeccompProfileTypeLocalhost {
		if sp.LocalhostProfile == nil {
			errs = append(errs, field.Required(p.Child("localhostProfile"), "must be set when seccomp type is Localhost"))
		} else {
			errs = append(errs, validateLocalDescendingPath(*sp.LocalhostProfile, p.Child("localhostProfile"))...)
		}
	} else if sp.LocalhostProfile != nil {
		errs = append(errs, field.Invalid(p.Child("localhostProfile"), sp, "can only be set when seccomp type is Localhost"))
	}
	return errs
}

func validateAppArmorProfile(ap *corev1.AppArmorProfile, p *field.Path) field.ErrorList {
	if ap == nil {
		return nil
	}
	var errs field.ErrorList
	switch ap.Type {
	case corev1.AppArmorProfileTypeLocalhost:
		lp := p.Child("localhostProfile")
		switch {
		case ap.LocalhostProfile == nil:
			errs = append(errs, field.Required(lp, "must be set when AppArmor type is Localhost"))
		case strings.TrimSpace(*ap.LocalhostProfile) != *ap.LocalhostProfile:
			errs = append(errs, field.Invalid(lp, *ap.LocalhostProfile, "must not be padded with whitespace"))
		case *ap.LocalhostProfile == "":
			errs = append(errs, field.Required(lp, "must be set when AppArmor type is Localhost"))
		}
		if ap.LocalhostProfile != nil && len(*ap.LocalhostProfile) > 4095 {
			errs = append(errs, field.TooLong(lp, *ap.LocalhostProfile, 4095))
		}
	case corev1.AppArmorProfileTypeRuntimeDefault, corev1.AppArmorProfileTypeUnconfined:
		if ap.LocalhostProfile != nil {
			errs = append(errs, field.Invalid(p.Child("localhostProfile"), ap.LocalhostProfile, "can only be set when AppArmor type is Localhost"))
		}
	case "":
		errs = append(errs, field.Required(p.Child("type"), "type is required when appArmorProfile is set"))
	default:
		errs = append(errs, field.NotSupported(p.Child("type"), ap.Type,
			[]corev1.AppArmorProfileType{corev1.AppArmorProfileTypeLocalhost, corev1.AppArmorProfileTypeRuntimeDefault, corev1.AppArmorProfileTypeUnconfined}))
	}
	return errs
}

const (
	sysctlSegmentFmt = "[a-z0-9]([-_a-z0-9]*[a-z0-9])?"
	sysctlMaxLength  = 253
)

var sysctlRegexp = regexp.MustCompile("^(" + sysctlSegmentFmt + "[\\./])*" + sysctlSegmentFmt + "$")

func validateSysctls(sysctls []corev1.Sysctl, spec *corev1.PodSpec, p *field.Path, opts options) field.ErrorList {
	var errs field.ErrorList
	names := map[string]bool{}
	for i, s := range sysctls {
		np := p.Index(i).Child("name")
		switch {
		case s.Name == "":
			errs = append(errs, field.Required(np, ""))
		case len(s.Name) > sysctlMaxLength || !sysctlRegexp.MatchString(s.Name):
			errs = append(errs, field.Invalid(np, s.Name, fmt.Sprintf("must have at most %d characters and match regex %s", sysctlMaxLength, sysctlRegexp)))
		case names[s.Name]:
			errs = append(errs, field.Duplicate(np, s.Name))
		}
		if !opts.allowNamespacedSysctlsForHostNet {
			switch ns := sysctlNamespace(s.Name); {
			case spec.HostNetwork && ns == "net":
				errs = append(errs, field.Invalid(np, s.Name, "may not be specified when 'hostNetwork' is true"))
			case spec.HostIPC && ns == "ipc":
				errs = append(errs, field.Invalid(np, s.Name, "may not be specified when 'hostIPC' is true"))
			}
		}
		names[s.Name] = true
	}
	return errs
}

// sysctlNamespace is the kernel namespace a sysctl belongs to: "net",
// "ipc", "uts" or "" (the node's).
func sysctlNamespace(name string) string {
	n := name
	if i := strings.IndexAny(n, "./"); i >= 0 && n[i] == '/' {
		// A slash-separated name: slashes are the separators.
		n = strings.NewReplacer(".", "/", "/", ".").Replace(n)
	}
	switch {
	case n == "kernel.sem":
		return "ipc"
	case n == "kernel.hostname" || n == "kernel.domainname":
		return "uts"
	case strings.HasPrefix(n, "kernel.shm"), strings.HasPrefix(n, "kernel.msg"), strings.HasPrefix(n, "fs.mqueue."):
		return "ipc"
	case strings.HasPrefix(n, "net."):
		return "net"
	}
	return ""
}
