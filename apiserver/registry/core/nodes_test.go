package core

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/registrytest"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func TestNodeDefaults(t *testing.T) {
	n := &corev1.Node{Status: corev1.NodeStatus{Capacity: corev1.ResourceList{"cpu": resource.MustParse("2")}}}
	nodeStrategy{}.Default(n)
	if q := n.Status.Allocatable["cpu"]; q.String() != "2" {
		t.Errorf("allocatable = %v", n.Status.Allocatable)
	}
}

func TestNodeValidate(t *testing.T) {
	tests := []struct {
		name string
		node corev1.Node
		want []string
	}{
		{"valid", corev1.Node{Spec: corev1.NodeSpec{PodCIDRs: []string{"10.0.0.0/24", "fd00::/64"},
			Taints: []corev1.Taint{{Key: "a", Effect: corev1.TaintEffectNoSchedule}, {Key: "a", Effect: corev1.TaintEffectNoExecute}}}}, nil},
		{"bad cidr", corev1.Node{Spec: corev1.NodeSpec{PodCIDRs: []string{"10.0.0.0/33"}}},
			[]string{`spec.podCIDRs[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`}},
		{"two v4", corev1.Node{Spec: corev1.NodeSpec{PodCIDRs: []string{"10.0.0.0/24", "10.1.0.0/24"}}},
			[]string{`spec.podCIDRs: Invalid value: []string{"10.0.0.0/24", "10.1.0.0/24"}: may specify no more than one CIDR for each IP family`}},
		{"taints", corev1.Node{Spec: corev1.NodeSpec{Taints: []corev1.Taint{
			{Key: "bad key", Effect: "Sometimes"},
			{Key: "a", Value: "x", Effect: corev1.TaintEffectNoSchedule},
			{Key: "a", Effect: corev1.TaintEffectNoSchedule},
			{Key: "b"},
		}}}, []string{
			`metadata.taints[0].key: Invalid value: "bad key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
			`metadata.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`,
			`metadata.taints[2]: Duplicate value: v1.Taint{Key:"a", Value:"", Effect:"NoSchedule", TimeAdded:<nil>}: taints must be unique by key and effect pair`,
			"metadata.taints[3].effect: Required value",
		}},
		{"negative capacity", corev1.Node{Status: corev1.NodeStatus{Capacity: corev1.ResourceList{"pods": resource.MustParse("-1")}}},
			[]string{`status.capacity.pods: Invalid value: "-1": must be greater than or equal to 0`}},
		{"bad taints annotation", corev1.Node{ObjectMeta: metav1.ObjectMeta{Annotations: map[string]string{taintsAnnotationKey: "{"}}},
			[]string{`metadata.annotations: Invalid value: "scheduler.alpha.kubernetes.io/taints": unexpected end of JSON input`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErrs(t, nodeStrategy{}.Validate(ctx, &tt.node), tt.want...)
		})
	}
}

func TestNodeUpdate(t *testing.T) {
	old := &corev1.Node{
		Spec:   corev1.NodeSpec{PodCIDRs: []string{"10.0.0.0/24"}, ProviderID: "aws://1"},
		Status: corev1.NodeStatus{Phase: corev1.NodeRunning},
	}
	tests := []struct {
		name   string
		change func(n *corev1.Node)
		want   []string
	}{
		{"cordon", func(n *corev1.Node) { n.Spec.Unschedulable = true }, nil},
		{"podCIDRs", func(n *corev1.Node) { n.Spec.PodCIDRs = []string{"10.9.0.0/24"} },
			[]string{`spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid`}},
		{"providerID", func(n *corev1.Node) { n.Spec.ProviderID = "aws://2" },
			[]string{`spec.providerID: Forbidden: node updates may not change providerID except from "" to valid`}},
		{"externalID", func(n *corev1.Node) { n.Spec.DoNotUseExternalID = "x" },
			[]string{"spec.externalID: Forbidden: may not be updated"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := old.DeepCopy()
			tt.change(n)
			nodeStrategy{}.PrepareForUpdate(ctx, n, old)
			checkErrs(t, nodeStrategy{}.ValidateUpdate(ctx, n, old), tt.want...)
		})
	}

	// podCIDRs and providerID may be set once.
	bare := &corev1.Node{}
	n := &corev1.Node{Spec: corev1.NodeSpec{PodCIDRs: []string{"10.0.0.0/24"}, ProviderID: "x"}}
	checkErrs(t, nodeStrategy{}.ValidateUpdate(ctx, n, bare))

	// The main resource keeps the status; a new configSource is dropped.
	n = old.DeepCopy()
	n.Status.Phase = corev1.NodeTerminated
	n.Spec.ConfigSource = &corev1.NodeConfigSource{ConfigMap: &corev1.ConfigMapNodeConfigSource{}}
	nodeStrategy{}.PrepareForUpdate(ctx, n, old)
	if n.Status.Phase != corev1.NodeRunning || n.Spec.ConfigSource != nil {
		t.Errorf("prepared %+v", n)
	}

	// Duplicate addresses through the status.
	n = old.DeepCopy()
	n.Status.Addresses = []corev1.NodeAddress{{Type: "InternalIP", Address: "10.0.0.1"}, {Type: "InternalIP", Address: "10.0.0.1"}}
	checkErrs(t, nodeStatusStrategy{}.ValidateUpdate(ctx, n, old),
		`status.addresses[1]: Duplicate value: v1.NodeAddress{Type:"InternalIP", Address:"10.0.0.1"}`)
}

func TestNodeConfigSource(t *testing.T) {
	old := &corev1.Node{Spec: corev1.NodeSpec{ConfigSource: &corev1.NodeConfigSource{ConfigMap: &corev1.ConfigMapNodeConfigSource{
		Namespace: "kube-system", Name: "kubelet", KubeletConfigKey: "kubelet"}}}}
	n := old.DeepCopy()
	n.Spec.ConfigSource.ConfigMap.UID = "u"
	n.Spec.ConfigSource.ConfigMap.KubeletConfigKey = ""
	checkErrs(t, nodeStrategy{}.ValidateUpdate(ctx, n, old),
		"spec.configSource.configMap.uid: Forbidden: uid must not be set in spec",
		"spec.configSource.configMap.kubeletConfigKey: Required value: kubeletConfigKey must be set")
}

func TestNodeStoreKeepsStatusOnCreate(t *testing.T) {
	r := nodesResource(clock)
	if r.Namespaced || r.StoragePrefix != "minions" || r.ReturnDeletedObject || r.AllowCreateOnUpdate {
		t.Errorf("resource = %+v", r)
	}
	st := registry.NewStore(r, registrytest.NewBackend(), nil)
	n := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n1"}, Status: corev1.NodeStatus{NodeInfo: corev1.NodeSystemInfo{KubeletVersion: "v1.31.3"}}}
	out, err := st.Create(ctx, "", n, registry.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if out.(*corev1.Node).Status.NodeInfo.KubeletVersion != "v1.31.3" || out.GetGeneration() != 0 {
		t.Errorf("created %+v", out)
	}
}

func TestNodeTable(t *testing.T) {
	ready := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: "cp", CreationTimestamp: metav1.NewTime(created),
			Labels: map[string]string{"node-role.kubernetes.io/control-plane": "", "node-role.kubernetes.io/": "", "kubernetes.io/role": "etcd"}},
		Spec: corev1.NodeSpec{Unschedulable: true},
		Status: corev1.NodeStatus{
			Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}},
			Addresses:  []corev1.NodeAddress{{Type: corev1.NodeHostName, Address: "cp"}, {Type: corev1.NodeInternalIP, Address: "10.0.0.1"}},
			NodeInfo:   corev1.NodeSystemInfo{KubeletVersion: "v1.31.3", OSImage: "Debian GNU/Linux 12", KernelVersion: "6.1", ContainerRuntimeVersion: "containerd://1.6.20"},
		},
	}
	notReady := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "w", CreationTimestamp: metav1.NewTime(created)},
		Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionUnknown}}}}
	unknown := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "u", CreationTimestamp: metav1.NewTime(created)}}
	tf := nodesResource(clock).Table
	checkRows(t, tf, []storage.Object{ready, notReady, unknown}, false,
		[]string{"Name", "Status", "Roles", "Age", "Version"},
		[]any{"cp", "Ready,SchedulingDisabled", "control-plane,etcd", "5m", "v1.31.3"},
		[]any{"w", "NotReady", "<none>", "5m", ""},
		[]any{"u", "Unknown", "<none>", "5m", ""})
	checkRows(t, tf, []storage.Object{ready, unknown}, true,
		[]string{"Name", "Status", "Roles", "Age", "Version", "Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"},
		[]any{"cp", "Ready,SchedulingDisabled", "control-plane,etcd", "5m", "v1.31.3", "10.0.0.1", "<none>", "Debian GNU/Linux 12", "6.1", "containerd://1.6.20"},
		[]any{"u", "Unknown", "<none>", "5m", "", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"})
	_, f, _ := nodeAttrs(ready)
	if f["spec.unschedulable"] != "true" {
		t.Errorf("attrs %v", f)
	}
}
