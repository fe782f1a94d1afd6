package apps

import (
	"context"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func validStatefulSet() *appsv1.StatefulSet {
	ss := &appsv1.StatefulSet{
		ObjectMeta: metav1.ObjectMeta{Name: "db", Namespace: "default", CreationTimestamp: createdTime},
		Spec: appsv1.StatefulSetSpec{
			ServiceName: "db",
			Selector:    &metav1.LabelSelector{MatchLabels: map[string]string{"app": "db"}},
			Template:    podTemplate(map[string]string{"app": "db"}),
			VolumeClaimTemplates: []corev1.PersistentVolumeClaim{{
				ObjectMeta: metav1.ObjectMeta{Name: "data"},
				Spec: corev1.PersistentVolumeClaimSpec{
					AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
					Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1500u")}},
				},
			}},
		},
	}
	statefulSetStrategy{}.Default(ss)
	return ss
}

func TestStatefulSetDefaults(t *testing.T) {
	ss := validStatefulSet()
	spec := ss.Spec
	switch {
	case *spec.Replicas != 1, *spec.RevisionHistoryLimit != 10,
		spec.PodManagementPolicy != appsv1.OrderedReadyPodManagement,
		spec.UpdateStrategy.Type != appsv1.RollingUpdateStatefulSetStrategyType,
		spec.UpdateStrategy.RollingUpdate == nil || *spec.UpdateStrategy.RollingUpdate.Partition != 0,
		spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted != appsv1.RetainPersistentVolumeClaimRetentionPolicyType,
		spec.PersistentVolumeClaimRetentionPolicy.WhenScaled != appsv1.RetainPersistentVolumeClaimRetentionPolicyType:
		t.Fatalf("defaults: %+v", spec)
	}
	pvc := spec.VolumeClaimTemplates[0]
	if pvc.Status.Phase != corev1.ClaimPending || *pvc.Spec.VolumeMode != corev1.PersistentVolumeFilesystem {
		t.Fatalf("claim template defaults: %+v", pvc)
	}
	if q := pvc.Spec.Resources.Requests[corev1.ResourceStorage]; q.String() != "2m" {
		t.Fatalf("claim request not rounded up to milli: %s", q.String())
	}

	onDelete := &appsv1.StatefulSet{Spec: appsv1.StatefulSetSpec{UpdateStrategy: appsv1.StatefulSetUpdateStrategy{Type: appsv1.OnDeleteStatefulSetStrategyType}}}
	statefulSetStrategy{}.Default(onDelete)
	if onDelete.Spec.UpdateStrategy.RollingUpdate != nil {
		t.Fatalf("OnDelete got a rolling update")
	}
}

func TestStatefulSetValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*appsv1.StatefulSet)
		want   []string
	}{
		{"valid", func(*appsv1.StatefulSet) {}, nil},
		{"pod template spec not validated, as in 1.31", func(ss *appsv1.StatefulSet) { ss.Spec.Template.Spec.Containers[0].Image = "" }, nil},
		{"policy", func(ss *appsv1.StatefulSet) { ss.Spec.PodManagementPolicy = "Random" }, []string{
			`spec.podManagementPolicy: Invalid value: "Random": must be 'OrderedReady' or 'Parallel'`,
		}},
		{"onDelete with rolling update", func(ss *appsv1.StatefulSet) { ss.Spec.UpdateStrategy.Type = appsv1.OnDeleteStatefulSetStrategyType }, []string{
			"spec.updateStrategy.rollingUpdate: Invalid value: apps.rollingUpdateStatefulSetStrategy{Partition:0, MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'",
		}},
		{"negative partition", func(ss *appsv1.StatefulSet) { ss.Spec.UpdateStrategy.RollingUpdate.Partition = int32Ptr(-1) }, []string{
			"spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0",
		}},
		{"retention policy", func(ss *appsv1.StatefulSet) { ss.Spec.PersistentVolumeClaimRetentionPolicy.WhenScaled = "Keep" }, []string{
			`spec.persistentVolumeClaimRetentionPolicy.whenScaled: Unsupported value: "Keep": supported values: "Retain", "Delete"`,
		}},
		{"ordinals", func(ss *appsv1.StatefulSet) { ss.Spec.Ordinals = &appsv1.StatefulSetOrdinals{Start: -1} }, []string{
			"spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0",
		}},
		{"template labels", func(ss *appsv1.StatefulSet) { ss.Spec.Template.Labels["bad key!"] = "x" }, []string{
			`spec.template.labels: Invalid value: "bad key!": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
		}},
		{"restart policy and deadline", func(ss *appsv1.StatefulSet) {
			ss.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyNever
			ss.Spec.Template.Spec.ActiveDeadlineSeconds = int64Ptr(30)
		}, []string{
			`spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"`,
			"spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss := validStatefulSet()
			tt.mutate(ss)
			expectErrors(t, statefulSetStrategy{}.Validate(context.Background(), ss), tt.want...)
		})
	}
	if msgs := (statefulSetStrategy{}).ValidateName("db.example", false); len(msgs) == 0 {
		t.Fatal("stateful set names must be DNS labels")
	}
}

func TestStatefulSetUpdate(t *testing.T) {
	ctx := context.Background()
	old := validStatefulSet()
	const forbidden = "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
	tests := []struct {
		name   string
		mutate func(*appsv1.StatefulSet)
		want   []string
	}{
		{"replicas, template, strategy, minReadySeconds", func(ss *appsv1.StatefulSet) {
			ss.Spec.Replicas = int32Ptr(5)
			ss.Spec.Template.Spec.Containers[0].Image = "nginx:1.28"
			ss.Spec.UpdateStrategy.RollingUpdate.Partition = int32Ptr(2)
			ss.Spec.MinReadySeconds = 10
			ss.Spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted = appsv1.DeletePersistentVolumeClaimRetentionPolicyType
		}, nil},
		{"serviceName", func(ss *appsv1.StatefulSet) { ss.Spec.ServiceName = "other" }, []string{forbidden}},
		{"claim templates", func(ss *appsv1.StatefulSet) { ss.Spec.VolumeClaimTemplates = nil }, []string{forbidden}},
		{"revision history", func(ss *appsv1.StatefulSet) { ss.Spec.RevisionHistoryLimit = int32Ptr(3) }, []string{forbidden}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss := old.DeepCopy()
			tt.mutate(ss)
			expectErrors(t, statefulSetStrategy{}.ValidateUpdate(ctx, ss, old), tt.want...)
		})
	}
}

func TestStatefulSetDropsMaxUnavailable(t *testing.T) {
	ss := validStatefulSet()
	one := intstrOne()
	ss.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable = &one
	statefulSetStrategy{}.PrepareForCreate(context.Background(), ss)
	if ss.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable != nil || ss.Generation != 1 {
		t.Fatalf("maxUnavailable kept or generation %d", ss.Generation)
	}
}

func TestStatefulSetStatusAndTable(t *testing.T) {
	ss := validStatefulSet()
	ss.Spec.Replicas = int32Ptr(3)
	ss.Status = appsv1.StatefulSetStatus{Replicas: 3, ReadyReplicas: 2, AvailableReplicas: 3}
	expectErrors(t, statefulSetStatusStrategy{}.ValidateUpdate(context.Background(), ss, validStatefulSet()),
		"status.availableReplicas: Invalid value: 3: cannot be greater than status.readyReplicas")
	table, _ := statefulSetTable(fixedNow)([]storageObject{ss}, true)
	checkColumns(t, table, []string{"Name", "Ready", "Age", "Containers", "Images"})
	checkCells(t, table.Rows[0].Cells, []any{"db", "2/3", "5m", "web,sidecar", "nginx:1.27,busybox"})
}
