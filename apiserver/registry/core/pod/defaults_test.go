package pod

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func TestDefaultPod(t *testing.T) {
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "p"},
		Spec: corev1.PodSpec{
			DeprecatedServiceAccount: "builder",
			InitContainers:           []corev1.Container{{Name: "init", Image: "busybox"}},
			Containers: []corev1.Container{{
				Name:  "app",
				Image: "registry.local:5000/app",
				Ports: []corev1.ContainerPort{{ContainerPort: 80}},
				Env:   []corev1.EnvVar{{Name: "NODE", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "spec.nodeName"}}}},
				Resources: corev1.ResourceRequirements{
					Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m"), corev1.ResourceMemory: resource.MustParse("128Mi")},
					Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m")},
				},
				LivenessProbe:  &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Port: intstr.FromInt32(80)}}},
				ReadinessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{GRPC: &corev1.GRPCAction{Port: 9000}}, PeriodSeconds: 5},
				Lifecycle:      &corev1.Lifecycle{PreStop: &corev1.LifecycleHandler{HTTPGet: &corev1.HTTPGetAction{Port: intstr.FromString("http")}}},
			}},
		},
	}
	defaultPod(pod)
	s := pod.Spec
	checks := []struct {
		name      string
		got, want any
	}{
		{"restartPolicy", s.RestartPolicy, corev1.RestartPolicyAlways},
		{"dnsPolicy", s.DNSPolicy, corev1.DNSClusterFirst},
		{"schedulerName", s.SchedulerName, "default-scheduler"},
		{"terminationGracePeriodSeconds", *s.TerminationGracePeriodSeconds, int64(30)},
		{"securityContext", *s.SecurityContext, corev1.PodSecurityContext{}},
		{"enableServiceLinks", *s.EnableServiceLinks, true},
		{"serviceAccountName from serviceAccount", s.ServiceAccountName, "builder"},
		{"serviceAccount", s.DeprecatedServiceAccount, "builder"},
		{"untagged image pulls Always", s.Containers[0].ImagePullPolicy, corev1.PullAlways},
		{"init container pull policy", s.InitContainers[0].ImagePullPolicy, corev1.PullAlways},
		{"terminationMessagePath", s.Containers[0].TerminationMessagePath, "/dev/termination-log"},
		{"terminationMessagePolicy", s.Containers[0].TerminationMessagePolicy, corev1.TerminationMessageReadFile},
		{"port protocol", s.Containers[0].Ports[0].Protocol, corev1.ProtocolTCP},
		{"no host port without hostNetwork", s.Containers[0].Ports[0].HostPort, int32(0)},
		{"fieldRef apiVersion", s.Containers[0].Env[0].ValueFrom.FieldRef.APIVersion, "v1"},
		{"request kept", s.Containers[0].Resources.Requests.Cpu().String(), "100m"},
		{"request from limit", s.Containers[0].Resources.Requests.Memory().String(), "128Mi"},
		{"liveness timeout", s.Containers[0].LivenessProbe.TimeoutSeconds, int32(1)},
		{"liveness period", s.Containers[0].LivenessProbe.PeriodSeconds, int32(10)},
		{"liveness success", s.Containers[0].LivenessProbe.SuccessThreshold, int32(1)},
		{"liveness failure", s.Containers[0].LivenessProbe.FailureThreshold, int32(3)},
		{"httpGet path", s.Containers[0].LivenessProbe.HTTPGet.Path, "/"},
		{"httpGet scheme", s.Containers[0].LivenessProbe.HTTPGet.Scheme, corev1.URISchemeHTTP},
		{"readiness period kept", s.Containers[0].ReadinessProbe.PeriodSeconds, int32(5)},
		{"grpc service", *s.Containers[0].ReadinessProbe.GRPC.Service, ""},
		{"preStop httpGet path", s.Containers[0].Lifecycle.PreStop.HTTPGet.Path, "/"},
	}
	for _, c := range checks {
		if !apiequality.Semantic.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestDefaultPodSpecLeavesPodOnlyDefaults(t *testing.T) {
	spec := corev1.PodSpec{
		HostNetwork: true,
		Containers: []corev1.Container{{
			Name: "c", Image: "x:1", Ports: []corev1.ContainerPort{{ContainerPort: 53}},
			Resources: corev1.ResourceRequirements{Limits: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1")}},
		}},
	}
	DefaultPodSpec(&spec)
	if spec.EnableServiceLinks != nil {
		t.Error("templates do not get enableServiceLinks")
	}
	if spec.Containers[0].Ports[0].HostPort != 0 {
		t.Error("templates do not get host ports")
	}
	if spec.Containers[0].Resources.Requests != nil {
		t.Error("templates do not get requests from limits")
	}
	if spec.Containers[0].ImagePullPolicy != corev1.PullIfNotPresent {
		t.Errorf("pull policy %q", spec.Containers[0].ImagePullPolicy)
	}
}

func TestDefaultHostNetworkPorts(t *testing.T) {
	pod := newPod()
	pod.Spec.HostNetwork = true
	pod.Spec.Containers[0].Ports = []corev1.ContainerPort{{ContainerPort: 8080}, {ContainerPort: 9090, HostPort: 9091}}
	defaultPod(pod)
	if got := pod.Spec.Containers[0].Ports[0].HostPort; got != 8080 {
		t.Errorf("hostPort = %d, want 8080", got)
	}
	if got := pod.Spec.Containers[0].Ports[1].HostPort; got != 9091 {
		t.Errorf("set hostPort changed to %d", got)
	}
}

func TestDefaultVolumes(t *testing.T) {
	pod := newPod()
	pod.Spec.Volumes = []corev1.Volume{
		{Name: "none"},
		{Name: "secret", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: "s"}}},
		{Name: "cm", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: "c"}}}},
		{Name: "host", VolumeSource: corev1.VolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: "/var"}}},
		{Name: "down", VolumeSource: corev1.VolumeSource{DownwardAPI: &corev1.DownwardAPIVolumeSource{Items: []corev1.DownwardAPIVolumeFile{
			{Path: "labels", FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.labels"}}}}}},
		{Name: "proj", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{Sources: []corev1.VolumeProjection{
			{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Path: "token"}}}}}},
		{Name: "mode", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: "s", DefaultMode: ptr[int32](0400)}}},
	}
	defaultPod(pod)
	v := pod.Spec.Volumes
	if v[0].EmptyDir == nil || v[0].EmptyDir.Medium != "" {
		t.Errorf("volume without source: %+v", v[0].VolumeSource)
	}
	if *v[1].Secret.DefaultMode != 420 || *v[2].ConfigMap.DefaultMode != 420 || *v[4].DownwardAPI.DefaultMode != 420 || *v[5].Projected.DefaultMode != 420 {
		t.Error("default modes are not 0644")
	}
	if *v[3].HostPath.Type != corev1.HostPathUnset {
		t.Errorf("hostPath type %q", *v[3].HostPath.Type)
	}
	if v[4].DownwardAPI.Items[0].FieldRef.APIVersion != "v1" {
		t.Error("downward API fieldRef apiVersion")
	}
	if *v[5].Projected.Sources[0].ServiceAccountToken.ExpirationSeconds != 3600 {
		t.Error("token expiration")
	}
	if *v[6].Secret.DefaultMode != 0400 {
		t.Error("set mode changed")
	}
}

func TestDefaultRoundsResourcesUp(t *testing.T) {
	pod := newPod()
	pod.Spec.Containers[0].Resources.Limits = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("0.0001")}
	defaultPod(pod)
	if got := pod.Spec.Containers[0].Resources.Limits.Cpu().String(); got != "1m" {
		t.Errorf("cpu limit %s, want 1m", got)
	}
}

func TestDefaultStatusIPs(t *testing.T) {
	tests := []struct {
		name        string
		in          corev1.PodStatus
		podIP       string
		podIPs      []corev1.PodIP
		hostIP      string
		wantHostIPs int
	}{
		{"podIP fills podIPs", corev1.PodStatus{PodIP: "10.0.0.1"}, "10.0.0.1", []corev1.PodIP{{IP: "10.0.0.1"}}, "", 0},
		{"podIPs fill podIP", corev1.PodStatus{PodIPs: []corev1.PodIP{{IP: "10.0.0.2"}, {IP: "fd00::2"}}}, "10.0.0.2", []corev1.PodIP{{IP: "10.0.0.2"}, {IP: "fd00::2"}}, "", 0},
		{"podIP wins", corev1.PodStatus{PodIP: "10.0.0.3", PodIPs: []corev1.PodIP{{IP: "10.0.0.9"}}}, "10.0.0.3", []corev1.PodIP{{IP: "10.0.0.3"}}, "", 0},
		{"hostIP fills hostIPs", corev1.PodStatus{HostIP: "192.168.1.1"}, "", nil, "192.168.1.1", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod := &corev1.Pod{Status: tt.in}
			defaultPod(pod)
			s := pod.Status
			if s.PodIP != tt.podIP || !apiequality.Semantic.DeepEqual(s.PodIPs, tt.podIPs) || s.HostIP != tt.hostIP || len(s.HostIPs) != tt.wantHostIPs {
				t.Errorf("status %+v", s)
			}
		})
	}
}

func TestImagePullPolicy(t *testing.T) {
	tests := []struct {
		image string
		want  corev1.PullPolicy
	}{
		{"nginx", corev1.PullAlways},
		{"nginx:latest", corev1.PullAlways},
		{"nginx:1.27", corev1.PullIfNotPresent},
		{"docker.io/library/nginx", corev1.PullAlways},
		{"localhost:5000/app", corev1.PullAlways},
		{"localhost:5000/app:v2", corev1.PullIfNotPresent},
		{"nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", corev1.PullIfNotPresent},
		{"nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", corev1.PullAlways},
		{"Nginx", corev1.PullIfNotPresent},
		{"", corev1.PullIfNotPresent},
		{" nginx", corev1.PullIfNotPresent},
	}
	for _, tt := range tests {
		c := corev1.Container{Image: tt.image}
		defaultContainer(&c)
		if c.ImagePullPolicy != tt.want {
			t.Errorf("%q: %s, want %s", tt.image, c.ImagePullPolicy, tt.want)
		}
	}
}
