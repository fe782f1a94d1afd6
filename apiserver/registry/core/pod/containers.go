package pod

import (
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry/validname"
)

// containerContext is what container validation needs from the pod.
type containerContext struct {
	volumes       map[string]corev1.VolumeSource
	claims        sets.Set[string]
	grace         *int64
	restartPolicy corev1.RestartPolicy
	hostUsers     bool
	opts          options
}

// validateContainers checks the regular containers.
func validateContainers(containers []corev1.Container, ctx containerContext, path *field.Path) field.ErrorList {
	if len(containers) == 0 {
		return field.ErrorList{field.Required(path, "")}
	}
	var errs field.ErrorList
	names := sets.New[string]()
	for i := range containers {
		c := &containers[i]
		p := path.Index(i)
		errs = append(errs, validateContainerCommon(c, ctx, p)...)
		if names.Has(c.Name) {
			errs = append(errs, field.Duplicate(p.Child("name"), c.Name))
		} else {
			names.Insert(c.Name)
		}
		if c.Lifecycle != nil {
			errs = append(errs, validateLifecycle(c.Lifecycle, ctx.grace, p.Child("lifecycle"))...)
		}
		errs = append(errs, validateProbes(c, ctx.grace, p)...)
		if c.RestartPolicy != nil {
			errs = append(errs, field.Forbidden(p.Child("restartPolicy"), "may not be set for non-init containers"))
		}
	}
	return append(errs, checkHostPortConflicts(containers, path)...)
}

// validateInitContainers checks init containers (sidecars are init
// containers with restartPolicy Always).
func validateInitContainers(containers, regular []corev1.Container, ctx containerContext, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	names := sets.New[string]()
	for _, c := range regular {
		names.Insert(c.Name)
	}
	for i := range containers {
		c := &containers[i]
		p := path.Index(i)
		errs = append(errs, validateContainerCommon(c, ctx, p)...)
		restartAlways := false
		if c.RestartPolicy != nil {
			if *c.RestartPolicy != corev1.ContainerRestartPolicyAlways {
				errs = append(errs, field.NotSupported(p.Child("restartPolicy"), *c.RestartPolicy, []corev1.ContainerRestartPolicy{corev1.ContainerRestartPolicyAlways}))
			}
			restartAlways = *c.RestartPolicy == corev1.ContainerRestartPolicyAlways
		}
		if names.Has(c.Name) {
			errs = append(errs, field.Duplicate(p.Child("name"), c.Name))
		} else if c.Name != "" {
			names.Insert(c.Name)
		}
		// Init containers run one by one: their host ports only conflict
		// within one container.
		errs = append(errs, checkHostPortConflicts(containers[i:i+1], path)...)
		if restartAlways {
			if c.Lifecycle != nil {
				errs = append(errs, validateLifecycle(c.Lifecycle, ctx.grace, p.Child("lifecycle"))...)
			}
			errs = append(errs, validateProbes(c, ctx.grace, p)...)
		} else {
			const msg = "may not be set for init containers without restartPolicy=Always"
			if c.Lifecycle != nil {
				errs = append(errs, field.Forbidden(p.Child("lifecycle"), msg))
			}
			if c.LivenessProbe != nil {
				errs = append(errs, field.Forbidden(p.Child("livenessProbe"), msg))
			}
			if c.ReadinessProbe != nil {
				errs = append(errs, field.Forbidden(p.Child("readinessProbe"), msg))
			}
			if c.StartupProbe != nil {
				errs = append(errs, field.Forbidden(p.Child("startupProbe"), msg))
			}
		}
		if len(c.ResizePolicy) > 0 {
			errs = append(errs, field.Invalid(p.Child("resizePolicy"), c.ResizePolicy, "must not be set for init containers"))
		}
	}
	return errs
}

// allowedEphemeralFields are the container fields an ephemeral container
// may set.
var allowedEphemeralFields = map[string]bool{
	"Name": true, "Image": true, "Command": true, "Args": true, "WorkingDir": true,
	"EnvFrom": true, "Env": true, "VolumeMounts": true, "VolumeDevices": true,
	"TerminationMessagePath": true, "TerminationMessagePolicy": true, "ImagePullPolicy": true,
	"SecurityContext": true, "Stdin": true, "StdinOnce": true, "TTY": true,
}

func validateEphemeralContainers(ecs []corev1.EphemeralContainer, regular, inits []corev1.Container, ctx containerContext, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	others, all := sets.New[string](), sets.New[string]()
	for _, c := range append(append([]corev1.Container{}, regular...), inits...) {
		others.Insert(c.Name)
		all.Insert(c.Name)
	}
	for i := range ecs {
		ec := &ecs[i]
		p := path.Index(i)
		c := (*corev1.Container)(&ec.EphemeralContainerCommon)
		errs = append(errs, validateContainerCommon(c, ctx, p)...)
		errs = append(errs, validateImageTrimmed(c.Image, p.Child("image"))...)
		if all.Has(ec.Name) {
			errs = append(errs, field.Duplicate(p.Child("name"), ec.Name))
		} else {
			all.Insert(ec.Name)
		}
		if ec.TargetContainerName != "" && !others.Has(ec.TargetContainerName) {
			errs = append(errs, field.NotFound(p.Child("targetContainerName"), ec.TargetContainerName))
		}
		errs = append(errs, validateFieldAllowList(ec.EphemeralContainerCommon, allowedEphemeralFields, "cannot be set for an Ephemeral Container", p)...)
		for j, vm := range ec.VolumeMounts {
			if vm.SubPath != "" {
				errs = append(errs, field.Forbidden(p.Child("volumeMounts").Index(j).Child("subPath"), "cannot be set for an Ephemeral Container"))
			}
			if vm.SubPathExpr != "" {
				errs = append(errs, field.Forbidden(p.Child("volumeMounts").Index(j).Child("subPathExpr"), "cannot be set for an Ephemeral Container"))
			}
		}
	}
	return errs
}

// validateFieldAllowList forbids every set field of a struct value not in
// allowed.
func validateFieldAllowList(value any, allowed map[string]bool, msg string, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	t, v := reflect.TypeOf(value), reflect.ValueOf(value)
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if allowed[f.Name] || v.Field(i).IsZero() {
			continue
		}
		r, n := utf8.DecodeRuneInString(f.Name)
		errs = append(errs, field.Forbidden(path.Child(string(unicode.ToLower(r))+f.Name[n:]), msg))
	}
	return errs
}

// validateContainerCommon checks what every kind of container shares.
func validateContainerCommon(c *corev1.Container, ctx containerContext, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if c.Name == "" {
		errs = append(errs, field.Required(path.Child("name"), ""))
	} else {
		for _, msg := range validname.IsDNS1123Label(c.Name) { // the path only for an error
			errs = append(errs, field.Invalid(path.Child("name"), c.Name, msg))
		}
	}
	if c.Image == "" {
		errs = append(errs, field.Required(path.Child("image"), ""))
	}
	switch c.TerminationMessagePolicy {
	case corev1.TerminationMessageReadFile, corev1.TerminationMessageFallbackToLogsOnError:
	case "":
		errs = append(errs, field.Required(path.Child("terminationMessagePolicy"), ""))
	default:
		errs = append(errs, field.NotSupported(path.Child("terminationMessagePolicy"), c.TerminationMessagePolicy,
			[]corev1.TerminationMessagePolicy{corev1.TerminationMessageReadFile, corev1.TerminationMessageFallbackToLogsOnError}))
	}
	mounts, devices := mountMap(c.VolumeMounts), deviceMap(c.VolumeDevices)
	// Paths are made only for fields with something to check.
	if len(c.Ports) > 0 {
		errs = append(errs, validateContainerPorts(c.Ports, path.Child("ports"))...)
	}
	if len(c.Env) > 0 {
		errs = append(errs, validateEnv(c.Env, path.Child("env"), ctx.opts)...)
	}
	if len(c.EnvFrom) > 0 {
		errs = append(errs, validateEnvFrom(c.EnvFrom, path.Child("envFrom"), ctx.opts)...)
	}
	if len(c.VolumeMounts) > 0 {
		errs = append(errs, validateVolumeMounts(c.VolumeMounts, devices, ctx.volumes, c, path.Child("volumeMounts"))...)
	}
	if len(c.VolumeDevices) > 0 {
		errs = append(errs, validateVolumeDevices(c.VolumeDevices, mounts, ctx.volumes, path.Child("volumeDevices"))...)
	}
	errs = append(errs, validatePullPolicy(c.ImagePullPolicy, path, "imagePullPolicy")...)
	if !isEmptyResources(&c.Resources) {
		errs = append(errs, validateResources(&c.Resources, ctx.claims, path.Child("resources"), ctx.opts)...)
	}
	if len(c.ResizePolicy) > 0 {
		errs = append(errs, validateResizePolicy(c.ResizePolicy, path.Child("resizePolicy"), ctx.restartPolicy)...)
	}
	if c.SecurityContext != nil {
		errs = append(errs, validateSecurityContext(c.SecurityContext, path.Child("securityContext"), ctx.hostUsers, ctx.opts)...)
	}
	return errs
}

// validateImagesTrimmed: pods' images may not have surrounding spaces.
func validateImagesTrimmed(containers []corev1.Container, specPath *field.Path, list string) field.ErrorList {
	var errs field.ErrorList
	for i, c := range containers {
		if !imageTrimmed(c.Image) {
			errs = append(errs, validateImageTrimmed(c.Image, specPath.Child(list).Index(i).Child("image"))...)
		}
	}
	return errs
}

func validateImageTrimmed(image string, path *field.Path) field.ErrorList {
	if !imageTrimmed(image) {
		return field.ErrorList{field.Invalid(path, image, "must not have leading or trailing whitespace")}
	}
	return nil
}

func imageTrimmed(image string) bool { return len(image) == len(strings.TrimSpace(image)) }

var supportedPullPolicies = []corev1.PullPolicy{corev1.PullAlways, corev1.PullIfNotPresent, corev1.PullNever}

// validatePullPolicy checks the pull policy named name under parent.
func validatePullPolicy(p corev1.PullPolicy, parent *field.Path, name string) field.ErrorList {
	switch p {
	case corev1.PullAlways, corev1.PullIfNotPresent, corev1.PullNever:
		return nil
	}
	path := parent.Child(name)
	if p == "" {
		return field.ErrorList{field.Required(path, "")}
	}
	return field.ErrorList{field.NotSupported(path, p, supportedPullPolicies)}
}

func validateResizePolicy(policies []corev1.ContainerResizePolicy, path *field.Path, restart corev1.RestartPolicy) field.ErrorList {
	var errs field.ErrorList
	seen := map[corev1.ResourceName]bool{}
	for i, p := range policies {
		if seen[p.ResourceName] {
			errs = append(errs, field.Duplicate(path.Index(i), p.ResourceName))
		}
		seen[p.ResourceName] = true
		switch p.ResourceName {
		case corev1.ResourceCPU, corev1.ResourceMemory:
		case "":
			errs = append(errs, field.Required(path, ""))
		default:
			errs = append(errs, field.NotSupported(path, p.ResourceName, []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory}))
		}
		switch p.RestartPolicy {
		case corev1.NotRequired, corev1.RestartContainer:
		case "":
			errs = append(errs, field.Required(path, ""))
		default:
			errs = append(errs, field.NotSupported(path, p.RestartPolicy, []corev1.ResourceResizeRestartPolicy{corev1.NotRequired, corev1.RestartContainer}))
		}
		if restart == corev1.RestartPolicyNever && p.RestartPolicy != corev1.NotRequired {
			errs = append(errs, field.Invalid(path, p.RestartPolicy, "must be 'NotRequired' when `restartPolicy` is 'Never'"))
		}
	}
	return errs
}

func mountMap(mounts []corev1.VolumeMount) map[string]string {
	m := make(map[string]string, len(mounts))
	for _, v := range mounts {
		m[v.Name] = v.MountPath
	}
	return m
}

func deviceMap(devices []corev1.VolumeDevice) map[string]string {
	m := make(map[string]string, len(devices))
	for _, d := range devices {
		m[d.Name] = d.DevicePath
	}
	return m
}
