package core

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

func newPV(mod func(pv *corev1.PersistentVolume)) *corev1.PersistentVolume {
	pv := &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{Name: "pv1"},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:               rl("storage", "10Gi"),
			AccessModes:            []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			PersistentVolumeSource: corev1.PersistentVolumeSource{NFS: &corev1.NFSVolumeSource{Server: "nfs", Path: "/exports"}},
		},
	}
	if mod != nil {
		mod(pv)
	}
	pvStrategy{now: clock}.Default(pv)
	return pv
}

func TestPVDefaults(t *testing.T) {
	pv := newPV(func(pv *corev1.PersistentVolume) {
		pv.Spec.NFS = nil
		pv.Spec.HostPath = &corev1.HostPathVolumeSource{Path: "/data"}
	})
	if pv.Spec.PersistentVolumeReclaimPolicy != corev1.PersistentVolumeReclaimRetain || *pv.Spec.VolumeMode != corev1.PersistentVolumeFilesystem ||
		pv.Status.Phase != corev1.VolumePending || pv.Spec.HostPath.Type == nil || *pv.Spec.HostPath.Type != "" {
		t.Errorf("defaults: %+v", pv)
	}
	s := pvStrategy{now: clock}
	pv.Status.Phase = corev1.VolumeBound
	pv.Spec.VolumeAttributesClassName = ptr("gold")
	s.PrepareForCreate(ctx, pv)
	if pv.Status.Phase != corev1.VolumePending || !pv.Status.LastPhaseTransitionTime.Time.Equal(clock().Truncate(time.Second)) || pv.Spec.VolumeAttributesClassName != nil {
		t.Errorf("create: %+v", pv.Status)
	}
}

func TestPVValidate(t *testing.T) {
	tests := []struct {
		name string
		mod  func(pv *corev1.PersistentVolume)
		want []string
	}{
		{"valid", nil, nil},
		{"no access modes, no capacity", func(pv *corev1.PersistentVolume) { pv.Spec.AccessModes = nil; pv.Spec.Capacity = nil }, []string{
			"spec.accessModes: Required value", "spec.capacity: Required value",
			"spec.capacity: Unsupported value: v1.ResourceList(nil): supported values: \"storage\"",
		}},
		{"bad access modes", func(pv *corev1.PersistentVolume) {
			pv.Spec.AccessModes = []corev1.PersistentVolumeAccessMode{"ReadWriteOncePod", "ReadWriteMany", "Sometimes"}
		}, []string{
			`spec.accessModes: Unsupported value: "Sometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"`,
			"spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes",
		}},
		{"zero capacity", func(pv *corev1.PersistentVolume) { pv.Spec.Capacity = rl("storage", "0") },
			[]string{`spec.capacity[storage]: Invalid value: "0": must be greater than zero`}},
		{"no source", func(pv *corev1.PersistentVolume) { pv.Spec.NFS = nil }, []string{"spec: Required value: must specify a volume type"}},
		{"two sources", func(pv *corev1.PersistentVolume) {
			pv.Spec.CSI = &corev1.CSIPersistentVolumeSource{Driver: "d", VolumeHandle: "h"}
		},
			[]string{"spec.csi: Forbidden: may not specify more than 1 volume type"}},
		{"nfs relative", func(pv *corev1.PersistentVolume) { pv.Spec.NFS.Path = "exports" },
			[]string{`spec.nfs.path: Invalid value: "exports": must be an absolute path`}},
		{"reclaim policy", func(pv *corev1.PersistentVolume) { pv.Spec.PersistentVolumeReclaimPolicy = "Keep" },
			[]string{`spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"`}},
		{"recycle root hostPath", func(pv *corev1.PersistentVolume) {
			pv.Spec.NFS = nil
			pv.Spec.HostPath = &corev1.HostPathVolumeSource{Path: "/"}
			pv.Spec.PersistentVolumeReclaimPolicy = corev1.PersistentVolumeReclaimRecycle
		}, []string{"spec.persistentVolumeReclaimPolicy: Forbidden: may not be 'recycle' for a hostPath mount of '/'"}},
		{"local needs affinity", func(pv *corev1.PersistentVolume) {
			pv.Spec.NFS = nil
			pv.Spec.Local = &corev1.LocalVolumeSource{Path: "/mnt/../x"}
		}, []string{`spec.local.path: Invalid value: "/mnt/../x": must not contain '..'`, "spec.nodeAffinity: Required value: Local volume requires node affinity"}},
		{"node affinity", func(pv *corev1.PersistentVolume) {
			pv.Spec.NodeAffinity = &corev1.VolumeNodeAffinity{Required: &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{{
				MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "zone", Operator: "In"}},
				MatchFields:      []corev1.NodeSelectorRequirement{{Key: "spec.nodeName", Operator: "In", Values: []string{"n"}}},
			}}}}
		}, []string{
			"spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
			`spec.nodeAffinity.required.nodeSelectorTerms[0].matchFields[0].key: Invalid value: "spec.nodeName": not a valid field selector key`,
		}},
		{"csi", func(pv *corev1.PersistentVolume) {
			pv.Spec.NFS = nil
			pv.Spec.CSI = &corev1.CSIPersistentVolumeSource{Driver: strings.Repeat("d", 64), NodePublishSecretRef: &corev1.SecretReference{Name: "s"}}
		}, []string{
			"spec.csi.driver: Too long: must have at most 63 bytes",
			"spec.csi.volumeHandle: Required value",
			"spec.csi.nodePublishSecretRef.namespace: Required value",
		}},
		{"iscsi", func(pv *corev1.PersistentVolume) {
			pv.Spec.NFS = nil
			pv.Spec.ISCSI = &corev1.ISCSIPersistentVolumeSource{TargetPortal: "10.0.0.1:3260", IQN: "iqn.bad", Lun: 300}
		}, []string{
			`spec.iscsi.iqn: Invalid value: "iqn.bad": must be valid format`,
			"spec.iscsi.lun: Invalid value: 300: must be between 0 and 255, inclusive",
		}},
		{"volume mode and class", func(pv *corev1.PersistentVolume) {
			pv.Spec.VolumeMode = ptr(corev1.PersistentVolumeMode("Raw"))
			pv.Spec.StorageClassName = "Fast"
		}, []string{
			`spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"`,
			`spec.storageClassName: Invalid value: "Fast": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErrs(t, pvStrategy{now: clock}.Validate(ctx, newPV(tt.mod)), tt.want...)
		})
	}
}

func TestPVUpdate(t *testing.T) {
	s := pvStrategy{now: clock}
	old := newPV(func(pv *corev1.PersistentVolume) {
		pv.Spec.NFS = nil
		pv.Spec.CSI = &corev1.CSIPersistentVolumeSource{Driver: "csi.example.com", VolumeHandle: "h"}
	})
	// The claim and reclaim policy change; an expand secret may be added.
	pv := old.DeepCopy()
	pv.Spec.ClaimRef = &corev1.ObjectReference{Namespace: "ns", Name: "c"}
	pv.Spec.PersistentVolumeReclaimPolicy = corev1.PersistentVolumeReclaimDelete
	pv.Spec.CSI.ControllerExpandSecretRef = &corev1.SecretReference{Name: "s", Namespace: "ns"}
	s.PrepareForUpdate(ctx, pv, old)
	checkErrs(t, s.ValidateUpdate(ctx, pv, old))

	pv = old.DeepCopy()
	pv.Spec.CSI.VolumeHandle = "other"
	pv.Spec.VolumeMode = ptr(corev1.PersistentVolumeBlock)
	errs := s.ValidateUpdate(ctx, pv, old)
	if len(errs) != 2 || !strings.HasPrefix(errs[0].Error(), "spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation\n") ||
		!strings.Contains(errs[0].Error(), `"volumeHandle":"other"`) {
		t.Errorf("errors: %v", errs)
	}
	if errs[1].Error() != `volumeMode: Invalid value: "Block": field is immutable` {
		t.Errorf("volume mode: %v", errs[1])
	}
}

func TestPVStatusTransitionTime(t *testing.T) {
	at := metav1.NewTime(created)
	old := newPV(nil)
	old.Status = corev1.PersistentVolumeStatus{Phase: corev1.VolumePending, LastPhaseTransitionTime: &at}
	s := pvStatusStrategy{now: clock}

	same := old.DeepCopy()
	same.Status.LastPhaseTransitionTime = nil
	s.PrepareForUpdate(ctx, same, old)
	if !same.Status.LastPhaseTransitionTime.Equal(&at) {
		t.Errorf("unchanged phase: %v", same.Status.LastPhaseTransitionTime)
	}
	bound := old.DeepCopy()
	bound.Status.Phase = corev1.VolumeBound
	bound.Spec.Capacity = rl("storage", "1Gi")
	s.PrepareForUpdate(ctx, bound, old)
	if !bound.Status.LastPhaseTransitionTime.Time.Equal(clock().Truncate(time.Second)) {
		t.Errorf("changed phase: %v", bound.Status.LastPhaseTransitionTime)
	}
	if q := bound.Spec.Capacity["storage"]; q.String() != "10Gi" {
		t.Errorf("status update changed the spec")
	}
}

func TestPVTable(t *testing.T) {
	pv := newPV(func(pv *corev1.PersistentVolume) {
		pv.CreationTimestamp = metav1.NewTime(created)
		pv.Spec.AccessModes = []corev1.PersistentVolumeAccessMode{"ReadWriteOncePod", "ReadOnlyMany", "ReadWriteOnce", "ReadWriteOnce"}
		pv.Spec.ClaimRef = &corev1.ObjectReference{Namespace: "ns", Name: "data"}
		pv.Spec.StorageClassName = "standard"
		pv.Annotations = map[string]string{betaStorageClassAnnotation: "legacy"}
	})
	pv.Status.Phase = corev1.VolumeBound
	deleting := newPV(nil)
	deleting.DeletionTimestamp = &metav1.Time{Time: created}
	deleting.Name = "pv2"
	tf := persistentVolumesResource(clock).Table
	checkRows(t, tf, []storage.Object{pv, deleting}, true,
		[]string{"Name", "Capacity", "Access Modes", "Reclaim Policy", "Status", "Claim", "StorageClass", "VolumeAttributesClass", "Reason", "Age", "VolumeMode"},
		[]any{"pv1", "10Gi", "RWO,ROX,RWOP", "Retain", "Bound", "ns/data", "legacy", "<unset>", "", "5m", "Filesystem"},
		[]any{"pv2", "10Gi", "RWO", "Retain", "Terminating", "", "", "<unset>", "", "<unknown>", "Filesystem"})
	table, _ := tf([]storage.Object{pv}, false)
	if len(table.ColumnDefinitions) != 10 || len(table.Rows[0].Cells) != 10 {
		t.Errorf("non-wide table has %d columns", len(table.ColumnDefinitions))
	}
}
