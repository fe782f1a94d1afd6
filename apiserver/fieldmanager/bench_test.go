package fieldmanager

import (
	"strconv"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/skiff-dev/skiff/apiserver/scheme"
)

// defaultedPod is a small pod as the registry stores it after defaulting:
// what every create through the pods endpoint tracks.
func defaultedPod() *corev1.Pod {
	grace := int64(30)
	toleration := int64(300)
	return &corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{Name: "pod-00001", Namespace: "bench", Labels: map[string]string{"app": "bench"}},
		Spec: corev1.PodSpec{
			Containers: []corev1.Container{{
				Name: "main", Image: "busybox", ImagePullPolicy: corev1.PullAlways,
				TerminationMessagePath: "/dev/termination-log", TerminationMessagePolicy: corev1.TerminationMessageReadFile,
				Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("10m")}},
			}},
			RestartPolicy: corev1.RestartPolicyAlways, DNSPolicy: corev1.DNSClusterFirst,
			TerminationGracePeriodSeconds: &grace, SchedulerName: "default-scheduler",
			SecurityContext: &corev1.PodSecurityContext{}, EnableServiceLinks: ptr.To(true),
			PreemptionPolicy: ptr.To(corev1.PreemptLowerPriority), Priority: ptr.To(int32(0)),
			Tolerations: []corev1.Toleration{
				{Key: "node.kubernetes.io/not-ready", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: &toleration},
				{Key: "node.kubernetes.io/unreachable", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: &toleration},
			},
		},
		Status: corev1.PodStatus{Phase: corev1.PodPending, QOSClass: corev1.PodQOSBurstable},
	}
}

// BenchmarkUpdateCreate tracks the create of a defaulted pod, the work
// every pod create does.
func BenchmarkUpdateCreate(b *testing.B) {
	m, err := New(nil, scheme.New(), []Kind{{GVK: podGVK, Subresources: []string{"status"}}})
	if err != nil {
		b.Fatal(err)
	}
	km := m.ForKind(podGVK, "")
	pod := defaultedPod()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := km.Update(nil, pod.DeepCopy(), "kubectl-create"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUpdateLabel tracks an update of a created pod that changes one
// label, the write every watch fan-out benchmark patch makes.
func BenchmarkUpdateLabel(b *testing.B) {
	m, err := New(nil, scheme.New(), []Kind{{GVK: podGVK, Subresources: []string{"status"}}})
	if err != nil {
		b.Fatal(err)
	}
	km := m.ForKind(podGVK, "")
	created, err := km.Update(nil, defaultedPod(), "kubectl-create")
	if err != nil {
		b.Fatal(err)
	}
	old := created.(*corev1.Pod)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		pod := old.DeepCopy()
		pod.Labels["seq"] = strconv.Itoa(i)
		if _, err := km.Update(old, pod, "kubectl-patch"); err != nil {
			b.Fatal(err)
		}
	}
}
