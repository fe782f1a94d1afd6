package pod

import (
	"fmt"
	"regexp"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry/validname"
)

// containerAt is where a container is in its pod spec.
type containerAt struct {
	list string // "initContainers", "containers" or "ephemeralContainers"
	i    int
}

// path is the container's field path under specPath. Visitors make it only
// for an error, so that a valid pod costs no paths.
func (a containerAt) path(specPath *field.Path) *field.Path { return specPath.Child(a.list).Index(a.i) }

// visitContainers calls visit for init, regular and ephemeral containers,
// in that order, with where each one is.
func visitContainers(spec *corev1.PodSpec, visit func(c *corev1.Container, at containerAt)) {
	for i := range spec.InitContainers {
		visit(&spec.InitContainers[i], containerAt{"initContainers", i})
	}
	for i := range spec.Containers {
		visit(&spec.Containers[i], containerAt{"containers", i})
	}
	for i := range spec.EphemeralContainers {
		visit((*corev1.Container)(&spec.EphemeralContainers[i].EphemeralContainerCommon), containerAt{"ephemeralContainers", i})
	}
}

// validateOS checks spec.os and the fields the named OS cannot use.
func validateOS(spec *corev1.PodSpec, specPath *field.Path, _ options) field.ErrorList {
	os := spec.OS
	if os == nil {
		return nil
	}
	p := specPath.Child("os")
	switch {
	case os.Name == "":
		return field.ErrorList{field.Required(p.Child("name"), "cannot be empty")}
	case os.Name != corev1.Linux && os.Name != corev1.Windows:
		return field.ErrorList{field.NotSupported(p, os.Name, []corev1.OSName{corev1.Linux, corev1.Windows})}
	case os.Name == corev1.Linux:
		return validateLinuxPod(spec, specPath)
	}
	return validateWindowsPod(spec, specPath)
}

func validateLinuxPod(spec *corev1.PodSpec, specPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	const msg = "windows options cannot be set for a linux pod"
	if sc := spec.SecurityContext; sc != nil && sc.WindowsOptions != nil {
		errs = append(errs, field.Forbidden(specPath.Child("securityContext", "windowsOptions"), msg))
	}
	visitContainers(spec, func(c *corev1.Container, at containerAt) {
		if sc := c.SecurityContext; sc != nil && sc.WindowsOptions != nil {
			errs = append(errs, field.Forbidden(at.path(specPath).Child("securityContext", "windowsOptions"), msg))
		}
	})
	return errs
}

func validateWindowsPod(spec *corev1.PodSpec, specPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	const msg = "cannot be set for a windows pod"
	forbid := func(set bool, p *field.Path) {
		if set {
			errs = append(errs, field.Forbidden(p, msg))
		}
	}
	scp := specPath.Child("securityContext")
	if sc := spec.SecurityContext; sc != nil {
		forbid(sc.AppArmorProfile != nil, scp.Child("appArmorProfile"))
		forbid(sc.SELinuxOptions != nil, scp.Child("seLinuxOptions"))
	}
	forbid(spec.HostUsers != nil, specPath.Child("hostUsers"))
	forbid(spec.HostPID, specPath.Child("hostPID"))
	forbid(spec.HostIPC, specPath.Child("hostIPC"))
	if sc := spec.SecurityContext; sc != nil {
		forbid(sc.SeccompProfile != nil, scp.Child("seccompProfile"))
		forbid(sc.FSGroup != nil, scp.Child("fsGroup"))
		forbid(sc.FSGroupChangePolicy != nil, scp.Child("fsGroupChangePolicy"))
		forbid(len(sc.Sysctls) > 0, scp.Child("sysctls"))
	}
	forbid(spec.ShareProcessNamespace != nil, specPath.Child("shareProcessNamespace"))
	if sc := spec.SecurityContext; sc != nil {
		forbid(sc.RunAsUser != nil, scp.Child("runAsUser"))
		forbid(sc.RunAsGroup != nil, scp.Child("runAsGroup"))
		forbid(sc.SupplementalGroups != nil, scp.Child("supplementalGroups"))
		forbid(sc.SupplementalGroupsPolicy != nil, scp.Child("supplementalGroupsPolicy"))
	}
	visitContainers(spec, func(c *corev1.Container, at containerAt) {
		sc := c.SecurityContext
		if sc == nil {
			return
		}
		p := at.path(specPath).Child("securityContext")
		forbid(sc.AppArmorProfile != nil, p.Child("appArmorProfile"))
		forbid(sc.SELinuxOptions != nil, p.Child("seLinuxOptions"))
		forbid(sc.SeccompProfile != nil, p.Child("seccompProfile"))
		forbid(sc.Capabilities != nil, p.Child("capabilities"))
		forbid(sc.ReadOnlyRootFilesystem != nil, p.Child("readOnlyRootFilesystem"))
		forbid(sc.Privileged != nil, p.Child("privileged"))
		forbid(sc.AllowPrivilegeEscalation != nil, p.Child("allowPrivilegeEscalation"))
		forbid(sc.ProcMount != nil, p.Child("procMount"))
		forbid(sc.RunAsUser != nil, p.Child("runAsUser"))
		forbid(sc.RunAsGroup != nil, p.Child("runAsGroup"))
	})
	return errs
}

// validateHostUsers: pods in a user namespace may not share the host's
// other namespaces.
func validateHostUsers(spec *corev1.PodSpec, specPath *field.Path) field.ErrorList {
	if spec.HostUsers == nil || *spec.HostUsers {
		return nil
	}
	var errs field.ErrorList
	const msg = "when `pod.Spec.HostUsers` is false"
	if spec.HostNetwork {
		errs = append(errs, field.Forbidden(specPath.Child("hostNetwork"), msg))
	}
	if spec.HostPID {
		errs = append(errs, field.Forbidden(specPath.Child("HostPID"), msg))
	}
	if spec.HostIPC {
		errs = append(errs, field.Forbidden(specPath.Child("HostIPC"), msg))
	}
	return errs
}

func validateWindowsHostProcessPod(spec *corev1.PodSpec, specPath *field.Path, opts options) field.ErrorList {
	var errs field.ErrorList
	var podHostProcess *bool
	if sc := spec.SecurityContext; sc != nil && sc.WindowsOptions != nil {
		podHostProcess = sc.WindowsOptions.HostProcess
	}
	total, hostProcess := 0, 0
	visitContainers(spec, func(c *corev1.Container, at containerAt) {
		total++
		var hp *bool
		if sc := c.SecurityContext; sc != nil && sc.WindowsOptions != nil {
			hp = sc.WindowsOptions.HostProcess
		}
		if podHostProcess != nil && hp != nil && *podHostProcess != *hp {
			errs = append(errs, field.Invalid(at.path(specPath).Child("securityContext", "windowsOptions", "hostProcess"), *hp,
				fmt.Sprintf("pod hostProcess value must be identical if both are specified, was %v", *podHostProcess)))
		}
		if (hp != nil && *hp) || (hp == nil && podHostProcess != nil && *podHostProcess) {
			hostProcess++
		}
	})
	if hostProcess > 0 {
		if hostProcess != total {
			errs = append(errs, field.Invalid(specPath, "", "If pod contains any hostProcess containers then all containers must be HostProcess containers"))
		}
		if !spec.HostNetwork {
			errs = append(errs, field.Invalid(specPath.Child("hostNetwork"), spec.HostNetwork, "hostNetwork must be true if pod contains any hostProcess containers"))
		}
		if !opts.allowPrivileged {
			errs = append(errs, field.Forbidden(specPath, "hostProcess containers are disallowed by cluster policy"))
		}
	}
	return errs
}

var (
	ctrlRegex         = regexp.MustCompile(`[[:cntrl:]]+`)
	netBiosRegex      = regexp.MustCompile(`^[^\\/:\*\?"<>|\.][^\\/:\*\?"<>|]{0,14}$`)
	windowsDNSLabel   = `[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?`
	windowsDNSRegex   = regexp.MustCompile(fmt.Sprintf(`^%s(?:\.%s)*$`, windowsDNSLabel, windowsDNSLabel))
	badUserCharsRegex = regexp.MustCompile(`["/\\:;|=,\+\*\?<>@\[\]]`)
	dotsSpacesRegex   = regexp.MustCompile(`^[\. ]+$`)
)

func validateWindowsOptions(w *corev1.WindowsSecurityContextOptions, p *field.Path) field.ErrorList {
	if w == nil {
		return nil
	}
	var errs field.ErrorList
	if n := w.GMSACredentialSpecName; n != nil {
		for _, msg := range validname.IsDNS1123Subdomain(*n) {
			errs = append(errs, field.Invalid(p.Child("gmsaCredentialSpecName"), n, msg))
		}
	}
	if s := w.GMSACredentialSpec; s != nil {
		if len(*s) == 0 {
			errs = append(errs, field.Invalid(p.Child("gmsaCredentialSpec"), s, "gmsaCredentialSpec cannot be an empty string"))
		} else if len(*s) > 64*1024 {
			errs = append(errs, field.Invalid(p.Child("gmsaCredentialSpec"), s, "gmsaCredentialSpec size must be under 64 KiB"))
		}
	}
	if u := w.RunAsUserName; u != nil {
		errs = append(errs, validateRunAsUserName(u, p.Child("runAsUserName"))...)
	}
	return errs
}

func validateRunAsUserName(name *string, p *field.Path) field.ErrorList {
	invalid := func(msg string) field.ErrorList { return field.ErrorList{field.Invalid(p, name, msg)} }
	switch parts := strings.Split(*name, "\\"); {
	case len(*name) == 0:
		return invalid("runAsUserName cannot be an empty string")
	case ctrlRegex.MatchString(*name):
		return invalid("runAsUserName cannot contain control characters")
	case len(parts) > 2:
		return invalid("runAsUserName cannot contain more than one backslash")
	default:
		var errs field.ErrorList
		user, domain := parts[len(parts)-1], ""
		if len(parts) == 2 {
			domain = parts[0]
		}
		if len(domain) >= 256 {
			errs = append(errs, invalid("runAsUserName's Domain length must be under 256 characters")...)
		}
		if len(parts) == 2 && !netBiosRegex.MatchString(domain) && !windowsDNSRegex.MatchString(domain) {
			errs = append(errs, invalid("runAsUserName's Domain doesn't match the NetBios nor the DNS format")...)
		}
		if len(user) == 0 {
			errs = append(errs, invalid("runAsUserName's User cannot be empty")...)
		} else if len(user) > 104 {
			errs = append(errs, invalid("runAsUserName's User length must not be longer than 104 characters")...)
		}
		if dotsSpacesRegex.MatchString(user) {
			errs = append(errs, invalid("runAsUserName's User cannot contain only periods or spaces")...)
		}
		if badUserCharsRegex.MatchString(user) {
			errs = append(errs, invalid(`runAsUserName's User cannot contain the following characters: "/\:;|=,+*?<>@[]`)...)
		}
		return errs
	}
}
