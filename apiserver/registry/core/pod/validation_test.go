package pod

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

func TestValidatePodCreate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *corev1.Pod)
		want   []string
	}{
		{"valid", func(*corev1.Pod) {}, nil},
		{"no containers", func(p *corev1.Pod) { p.Spec.Containers = nil }, []string{"spec.containers: Required value"}},
		{"image required", func(p *corev1.Pod) { p.Spec.Containers[0].Image = "" }, []string{"spec.containers[0].image: Required value"}},
		{"image whitespace", func(p *corev1.Pod) { p.Spec.Containers[0].Image = "nginx " },
			[]string{`spec.containers[0].image: Invalid value: "nginx ": must not have leading or trailing whitespace`}},
		{"container name", func(p *corev1.Pod) { p.Spec.Containers[0].Name = "Bad_Name" },
			[]string{`spec.containers[0].name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of`}},
		{"duplicate names across init and regular", func(p *corev1.Pod) {
			p.Spec.InitContainers = []corev1.Container{p.Spec.Containers[0]}
		}, []string{`spec.initContainers[0].name: Duplicate value: "app"`}},
		{"container port range", func(p *corev1.Pod) {
			p.Spec.Containers[0].Ports = []corev1.ContainerPort{{ContainerPort: 70000, Protocol: "TCP"}}
		}, []string{"spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"}},
		{"container port required, protocol", func(p *corev1.Pod) {
			p.Spec.Containers[0].Ports = []corev1.ContainerPort{{Protocol: "HTTP"}}
		}, []string{"spec.containers[0].ports[0].containerPort: Required value",
			`spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"`}},
		{"port names", func(p *corev1.Pod) {
			p.Spec.Containers[0].Ports = []corev1.ContainerPort{{Name: "web", ContainerPort: 80, Protocol: "TCP"}, {Name: "web", ContainerPort: 81, Protocol: "TCP"}, {Name: "way-too-long-name", ContainerPort: 82, Protocol: "TCP"}}
		}, []string{`spec.containers[0].ports[1].name: Duplicate value: "web"`,
			`spec.containers[0].ports[2].name: Invalid value: "way-too-long-name": must be no more than 15 characters`}},
		{"host port conflict", func(p *corev1.Pod) {
			c := p.Spec.Containers[0]
			c.Name = "two"
			c.Ports = []corev1.ContainerPort{{ContainerPort: 80, HostPort: 8080, Protocol: "TCP"}}
			p.Spec.Containers[0].Ports = c.Ports
			p.Spec.Containers = append(p.Spec.Containers, c)
		}, []string{`spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"`}},
		{"hostNetwork hostPort", func(p *corev1.Pod) {
			p.Spec.HostNetwork = true
			p.Spec.Containers[0].Ports = []corev1.ContainerPort{{ContainerPort: 80, HostPort: 81, Protocol: "TCP"}}
		}, []string{"spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true"}},
		{"env", func(p *corev1.Pod) {
			p.Spec.Containers[0].Env = []corev1.EnvVar{
				{Name: ""}, {Name: "1BAD"}, {Name: "A", Value: "x", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "s"}, Key: "k"}}},
				{Name: "B", ValueFrom: &corev1.EnvVarSource{}},
				{Name: "C", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "spec.restartPolicy"}}},
				{Name: "D", ValueFrom: &corev1.EnvVarSource{ConfigMapKeyRef: &corev1.ConfigMapKeySelector{Key: "k"}, SecretKeyRef: &corev1.SecretKeySelector{Key: "k"}}},
			}
		}, []string{
			"spec.containers[0].env[0].name: Required value",
			`spec.containers[0].env[1].name: Invalid value: "1BAD": a valid environment variable name must consist of`,
			`spec.containers[0].env[2].valueFrom: Invalid value: "": may not be specified when ` + "`value`" + ` is not empty`,
			`spec.containers[0].env[3].valueFrom: Invalid value: "": must specify one of: ` + "`fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
			`spec.containers[0].env[4].valueFrom.fieldRef.fieldPath: Unsupported value: "spec.restartPolicy": supported values:`,
			`spec.containers[0].env[5].valueFrom: Invalid value: "": may not have more than one field specified at a time`,
			`spec.containers[0].env[5].valueFrom.configMapKeyRef.name: Invalid value: "": a lowercase RFC 1123 subdomain`,
			`spec.containers[0].env[5].valueFrom.secretKeyRef.name: Invalid value: "": a lowercase RFC 1123 subdomain`,
		}},
		{"resources", func(p *corev1.Pod) {
			p.Spec.Containers[0].Resources = corev1.ResourceRequirements{
				Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1"), "example.com/gpu": resource.MustParse("1.5")},
				Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("2"), "foo": resource.MustParse("1")},
			}
		}, []string{
			// upstream passes the Quantity by value: it prints as a struct.
			`spec.containers[0].resources.limits[example.com/gpu]: Invalid value: resource.Quantity{`,
			`spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1`,
			`spec.containers[0].resources.requests[foo]: Invalid value: foo: must be a standard resource for containers`,
			`spec.containers[0].resources.requests[foo]: Invalid value: foo: must be a standard resource type or fully qualified`,
		}},
		{"extended resource request needs equal limit", func(p *corev1.Pod) {
			p.Spec.Containers[0].Resources = corev1.ResourceRequirements{Requests: corev1.ResourceList{"example.com/gpu": resource.MustParse("1")}}
		}, []string{"spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources"}},
		{"hugepages", func(p *corev1.Pod) {
			p.Spec.Containers[0].Resources = corev1.ResourceRequirements{Limits: corev1.ResourceList{"hugepages-2Mi": resource.MustParse("3Mi")}}
		}, []string{
			"spec.containers[0].resources: Forbidden: HugePages require cpu or memory",
			`spec.containers[0].resources.limits[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi`,
		}},
		{"volumes", func(p *corev1.Pod) {
			p.Spec.Volumes = []corev1.Volume{
				{Name: "a", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
				{Name: "a", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
				{Name: "two", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}, HostPath: &corev1.HostPathVolumeSource{Path: "/x"}}},
				{Name: "none"},
				{Name: "Bad", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{DefaultMode: ptr[int32](01000)}}},
			}
		}, []string{
			`spec.volumes[1].name: Duplicate value: "a"`,
			"spec.volumes[2].hostPath: Forbidden: may not specify more than 1 volume type",
			"spec.volumes[3]: Required value: must specify a volume type",
			`spec.volumes[4].name: Invalid value: "Bad": a lowercase RFC 1123 label`,
			"spec.volumes[4].secret.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive",
			"spec.volumes[4].secret.secretName: Required value",
		}},
		{"volume mounts", func(p *corev1.Pod) {
			p.Spec.Volumes = []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}}
			p.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{
				{Name: "data", MountPath: "/data"}, {Name: "data", MountPath: "/data"}, {Name: "missing", MountPath: "/m"},
				{Name: "data", MountPath: "/sub", SubPath: "../x"},
			}
		}, []string{
			`spec.containers[0].volumeMounts.subPath: Invalid value: "../x": must not contain '..'`,
			`spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique`,
			`spec.containers[0].volumeMounts[2].name: Not found: "missing"`,
		}},
		{"probes", func(p *corev1.Pod) {
			c := &p.Spec.Containers[0]
			c.LivenessProbe = &corev1.Probe{SuccessThreshold: 2, PeriodSeconds: -1}
			c.ReadinessProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{
				Exec: &corev1.ExecAction{}, TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(80)}}}
			c.StartupProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Port: intstr.FromString("Bad_Port"), Scheme: "FTP"}}, SuccessThreshold: 1}
		}, []string{
			"spec.containers[0].livenessProbe: Required value: must specify a handler type",
			"spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0",
			"spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
			"spec.containers[0].readinessProbe.exec.command: Required value",
			"spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type",
			"spec.containers[0].startupProbe.httpGet.path: Required value",
			`spec.containers[0].startupProbe.httpGet.port: Invalid value: "Bad_Port"`,
			`spec.containers[0].startupProbe.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS"`,
		}},
		{"init container probes", func(p *corev1.Pod) {
			p.Spec.InitContainers = []corev1.Container{{Name: "init", Image: "busybox", ImagePullPolicy: "Always",
				TerminationMessagePolicy: "File", LivenessProbe: &corev1.Probe{}}}
		}, []string{"spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always"}},
		{"restart and dns policy", func(p *corev1.Pod) {
			p.Spec.RestartPolicy = "Sometimes"
			p.Spec.DNSPolicy = "Custom"
		}, []string{
			`spec.dnsPolicy: Unsupported value: "Custom": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"`,
			`spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"`,
		}},
		{"nodeSelector, hostname, deadline, grace", func(p *corev1.Pod) {
			p.Spec.NodeSelector = map[string]string{"bad key!": "v"}
			p.Spec.Hostname = "Host_Name"
			p.Spec.ActiveDeadlineSeconds = ptr[int64](0)
			p.Spec.TerminationGracePeriodSeconds = nil
		}, []string{
			"spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive",
			`spec.hostname: Invalid value: "Host_Name"`,
			`spec.nodeSelector: Invalid value: "bad key!": name part must consist of`,
			"spec.terminationGracePeriodSeconds: Required value",
		}},
		{"tolerations", func(p *corev1.Pod) {
			p.Spec.Tolerations = []corev1.Toleration{
				{Operator: "Equal", Value: "x"},
				{Key: "k", Operator: "Exists", Value: "v"},
				{Key: "k", Operator: "Equal", Effect: "NoSchedule", TolerationSeconds: ptr[int64](5)},
				{Key: "k", Operator: "Like", Effect: "Never"},
			}
		}, []string{
			`spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when ` + "`key`" + ` is empty`,
			`spec.tolerations[1].operator: Invalid value: "v": value must be empty when ` + "`operator`" + ` is 'Exists'`,
			`spec.tolerations[2].effect: Invalid value: "NoSchedule": effect must be 'NoExecute' when ` + "`tolerationSeconds`" + ` is set`,
			`spec.tolerations[3].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`,
			`spec.tolerations[3].operator: Unsupported value: "Like": supported values: "Equal", "Exists"`,
		}},
		{"affinity", func(p *corev1.Pod) {
			p.Spec.Affinity = &corev1.Affinity{
				NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
					NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "zone", Operator: "In"}, {Key: "x", Operator: "Near"}}}}}},
				PodAntiAffinity: &corev1.PodAntiAffinity{PreferredDuringSchedulingIgnoredDuringExecution: []corev1.WeightedPodAffinityTerm{{Weight: 0,
					PodAffinityTerm: corev1.PodAffinityTerm{LabelSelector: &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: "Exists", Values: []string{"x"}}}}}}}},
			}
		}, []string{
			"spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
			`spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].operator: Invalid value: "Near": not a valid selector operator`,
			"spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
			`spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey: Invalid value: "": name part must be non-empty`,
			`spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey: Invalid value: "": name part must consist of`,
			"spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey: Required value: can not be empty",
			"spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100",
		}},
		{"security contexts", func(p *corev1.Pod) {
			p.Spec.SecurityContext.RunAsUser = ptr[int64](-1)
			p.Spec.SecurityContext.Sysctls = []corev1.Sysctl{{Name: "net.core.somaxconn"}, {Name: "Bad!"}}
			p.Spec.HostNetwork = true
			p.Spec.Containers[0].SecurityContext = &corev1.SecurityContext{
				Privileged: ptr(true), AllowPrivilegeEscalation: ptr(false),
				SeccompProfile: &corev1.SeccompProfile{Type: "Localhost"},
			}
		}, []string{
			"spec.containers[0].securityContext: Invalid value:",
			"spec.containers[0].securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost",
			"spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive",
			`spec.securityContext.sysctls[0].name: Invalid value: "net.core.somaxconn": may not be specified when 'hostNetwork' is true`,
			`spec.securityContext.sysctls[1].name: Invalid value: "Bad!": must have at most 253 characters and match regex`,
		}},
		{"ephemeral containers on create", func(p *corev1.Pod) {
			p.Spec.EphemeralContainers = []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{
				Name: "debug", Image: "busybox", ImagePullPolicy: "Always", TerminationMessagePolicy: "File"}}}
		}, []string{"spec.ephemeralContainers: Forbidden: cannot be set on create"}},
		{"nodeName with scheduling gates", func(p *corev1.Pod) {
			p.Spec.NodeName = "n1"
			p.Spec.SchedulingGates = []corev1.PodSchedulingGate{{Name: "example.com/wait"}, {Name: "example.com/wait"}}
		}, []string{
			"spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared",
			`spec.schedulingGates[1]: Duplicate value: "example.com/wait"`,
		}},
		{"priority class, readiness gates, pull secrets", func(p *corev1.Pod) {
			p.Spec.PriorityClassName = "Bad"
			p.Spec.ReadinessGates = []corev1.PodReadinessGate{{ConditionType: "bad gate"}}
		}, []string{
			`spec.priorityClassName: Invalid value: "Bad"`,
			`spec.readinessGates[0].conditionType: Invalid value: "bad gate"`,
		}},
		{"token projection needs a service account", func(p *corev1.Pod) {
			p.Spec.ServiceAccountName = ""
			p.Spec.Volumes = []corev1.Volume{{Name: "t", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{
				DefaultMode: ptr[int32](0644), Sources: []corev1.VolumeProjection{{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Path: "token", ExpirationSeconds: ptr[int64](3600)}}}}}}}
		}, []string{"spec.volumes[0].projected.sources[0].serviceAccountToken: Forbidden: must not be specified when serviceAccountName is not set"}},
		{"annotations", func(p *corev1.Pod) {
			p.Annotations = map[string]string{
				"kubernetes.io/config.mirror":                       "x",
				"controller.kubernetes.io/pod-deletion-cost":        "+5",
				"container.apparmor.security.beta.kubernetes.io/no": "runtime/default",
			}
		}, []string{
			`metadata.annotations[container.apparmor.security.beta.kubernetes.io/no]: Invalid value: "no": container not found`,
			`metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "+5": must be a 32bit integer`,
			`metadata.annotations[kubernetes.io/config.mirror]: Invalid value: "x": must set spec.nodeName if mirror pod annotation is set`,
		}},
		{"dnsPolicy None needs config", func(p *corev1.Pod) { p.Spec.DNSPolicy = corev1.DNSNone },
			[]string{"spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod := newPod()
			tt.mutate(pod)
			expectErrors(t, validatePodCreate(pod, options{resourceIsPod: true, allowPrivileged: true}), tt.want...)
		})
	}
}

func TestPrivilegedNeedsClusterPolicy(t *testing.T) {
	pod := newPod()
	pod.Spec.Containers[0].SecurityContext = &corev1.SecurityContext{Privileged: ptr(true)}
	expectErrors(t, validatePodCreate(pod, options{resourceIsPod: true}), "spec.containers[0].securityContext.privileged: Forbidden: disallowed by cluster policy")
	expectErrors(t, validatePodCreate(pod, options{resourceIsPod: true, allowPrivileged: true}))
}

func TestValidatePodTemplateSpec(t *testing.T) {
	tmpl := &corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
		Spec:       newPod().Spec,
	}
	tmpl.Spec.HostNetwork = true
	tmpl.Spec.Containers[0].Ports = []corev1.ContainerPort{{ContainerPort: 80, Protocol: "TCP"}}
	path := field.NewPath("spec", "template")
	// A template may leave hostPort for the pod's defaulting.
	expectErrors(t, ValidatePodTemplateSpec(tmpl, path))

	tmpl.Labels["bad key!"] = "x"
	tmpl.Spec.Containers[0].Image = ""
	tmpl.Spec.EphemeralContainers = []corev1.EphemeralContainer{{}}
	errs := ValidatePodTemplateSpec(tmpl, path)
	want := []string{
		`spec.template.labels: Invalid value: "bad key!"`,
		"spec.template.spec.containers[0].image: Required value",
		"spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template",
	}
	for _, w := range want {
		found := false
		for _, e := range errStrings(errs) {
			found = found || len(e) >= len(w) && e[:len(w)] == w
		}
		if !found {
			t.Errorf("missing %q in %v", w, errStrings(errs))
		}
	}
}

func TestValidatePodSpecEphemeralVolume(t *testing.T) {
	pod := newPod()
	pod.Spec.Volumes = []corev1.Volume{{Name: "scratch", VolumeSource: corev1.VolumeSource{Ephemeral: &corev1.EphemeralVolumeSource{
		VolumeClaimTemplate: &corev1.PersistentVolumeClaimTemplate{
			ObjectMeta: metav1.ObjectMeta{Name: "x"},
			Spec:       corev1.PersistentVolumeClaimSpec{},
		}}}}}
	expectErrors(t, ValidatePodSpec(&pod.Spec, &pod.ObjectMeta, field.NewPath("spec")),
		"spec.volumes[0].ephemeral.volumeClaimTemplate.metadata.name: Forbidden: cannot be set",
		"spec.volumes[0].ephemeral.volumeClaimTemplate.spec.accessModes: Required value: at least 1 access mode is required",
		"spec.volumes[0].ephemeral.volumeClaimTemplate.spec.resources[storage]: Required value",
	)
}
