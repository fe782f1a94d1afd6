package core

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/registrytest"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func newPVC(mod func(c *corev1.PersistentVolumeClaim)) *corev1.PersistentVolumeClaim {
	c := &corev1.PersistentVolumeClaim{
		ObjectMeta: meta("data"),
		Spec: corev1.PersistentVolumeClaimSpec{
			AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			Resources:   corev1.VolumeResourceRequirements{Requests: rl("storage", "1Gi")},
		},
	}
	if mod != nil {
		mod(c)
	}
	pvcStrategy{}.Default(c)
	return c
}

func TestPVCDefaultsAndDataSources(t *testing.T) {
	c := newPVC(nil)
	if *c.Spec.VolumeMode != corev1.PersistentVolumeFilesystem || c.Status.Phase != corev1.ClaimPending {
		t.Errorf("defaults: %+v", c)
	}
	tests := []struct {
		name          string
		ds            *corev1.TypedLocalObjectReference
		ref           *corev1.TypedObjectReference
		wantDS        bool
		wantRefKind   string
		wantDSFromRef bool
	}{
		{"claim source copied to ref", &corev1.TypedLocalObjectReference{Kind: "PersistentVolumeClaim", Name: "src"}, nil, true, "PersistentVolumeClaim", false},
		{"snapshot kept", &corev1.TypedLocalObjectReference{APIGroup: ptr("snapshot.storage.k8s.io"), Kind: "VolumeSnapshot", Name: "s"}, nil, true, "VolumeSnapshot", false},
		{"other kinds dropped", &corev1.TypedLocalObjectReference{APIGroup: ptr("example.com"), Kind: "Thing", Name: "t"}, nil, false, "", false},
		{"ref copied to source", nil, &corev1.TypedObjectReference{APIGroup: ptr("example.com"), Kind: "Thing", Name: "t"}, true, "Thing", true},
		{"cross-namespace ref alone", nil, &corev1.TypedObjectReference{Kind: "PersistentVolumeClaim", Name: "t", Namespace: ptr("other")}, false, "PersistentVolumeClaim", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newPVC(func(c *corev1.PersistentVolumeClaim) { c.Spec.DataSource, c.Spec.DataSourceRef = tt.ds, tt.ref })
			pvcStrategy{}.PrepareForCreate(ctx, c)
			if (c.Spec.DataSource != nil) != tt.wantDS {
				t.Errorf("dataSource = %+v", c.Spec.DataSource)
			}
			kind := ""
			if c.Spec.DataSourceRef != nil {
				kind = c.Spec.DataSourceRef.Kind
			}
			if kind != tt.wantRefKind {
				t.Errorf("dataSourceRef = %+v", c.Spec.DataSourceRef)
			}
		})
	}
}

func TestPVCValidate(t *testing.T) {
	tests := []struct {
		name string
		mod  func(c *corev1.PersistentVolumeClaim)
		want []string
	}{
		{"valid", nil, nil},
		{"required", func(c *corev1.PersistentVolumeClaim) { c.Spec.AccessModes = nil; c.Spec.Resources.Requests = nil }, []string{
			"spec.accessModes: Required value: at least 1 access mode is required",
			"spec.resources[storage]: Required value",
		}},
		{"zero storage", func(c *corev1.PersistentVolumeClaim) { c.Spec.Resources.Requests = rl("storage", "0") },
			[]string{`spec.resources[storage]: Invalid value: "0": must be greater than zero`}},
		{"selector and class", func(c *corev1.PersistentVolumeClaim) {
			c.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"a": "b c"}}
			c.Spec.StorageClassName = ptr("Fast")
		}, []string{
			`spec.selector.matchLabels: Invalid value: "b c": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
			`spec.storageClassName: Invalid value: "Fast": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
		}},
		{"data source kind", func(c *corev1.PersistentVolumeClaim) {
			c.Spec.DataSourceRef = &corev1.TypedObjectReference{Kind: "Thing"}
		}, []string{
			"spec.dataSourceRef.name: Required value",
			`spec.dataSourceRef: Invalid value: "Thing": must be 'PersistentVolumeClaim' when referencing the default apiGroup`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErrs(t, pvcStrategy{}.Validate(ctx, newPVC(tt.mod)), tt.want...)
		})
	}
}

func TestPVCDataSourcesDisagree(t *testing.T) {
	c := newPVC(func(c *corev1.PersistentVolumeClaim) {
		c.Spec.DataSource = &corev1.TypedLocalObjectReference{Kind: "PersistentVolumeClaim", Name: "a"}
		c.Spec.DataSourceRef = &corev1.TypedObjectReference{Kind: "PersistentVolumeClaim", Name: "b"}
	})
	errs := pvcStrategy{}.Validate(ctx, c)
	// Upstream passes the path itself as the bad value, printed as a struct.
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), `spec: Invalid value: field.Path{name:"dataSource"`) ||
		!strings.HasSuffix(errs[0].Error(), ": must match dataSourceRef") {
		t.Errorf("errors: %v", errs)
	}
}

func TestPVCUpdate(t *testing.T) {
	s := pvcStrategy{}
	old := newPVC(nil)
	bound := newPVC(func(c *corev1.PersistentVolumeClaim) { c.Spec.VolumeName = "pv1"; c.Status.Phase = corev1.ClaimBound })
	tests := []struct {
		name   string
		old    *corev1.PersistentVolumeClaim
		change func(c *corev1.PersistentVolumeClaim)
		want   []string
		prefix string // a Forbidden spec error with its diff
	}{
		{"bind", old, func(c *corev1.PersistentVolumeClaim) { c.Spec.VolumeName = "pv1" }, nil, ""},
		{"rebind", bound, func(c *corev1.PersistentVolumeClaim) { c.Spec.VolumeName = "pv2" }, nil, "spec: Forbidden: " + pvcImmutableMessage + "\n"},
		{"grow bound", bound, func(c *corev1.PersistentVolumeClaim) { c.Spec.Resources.Requests = rl("storage", "2Gi") }, nil, ""},
		{"grow unbound", old, func(c *corev1.PersistentVolumeClaim) { c.Spec.Resources.Requests = rl("storage", "2Gi") }, nil, "spec: Forbidden: " + pvcImmutableMessage + "\n"},
		{"shrink bound", bound, func(c *corev1.PersistentVolumeClaim) { c.Spec.Resources.Requests = rl("storage", "512Mi") },
			[]string{"spec.resources.requests.storage: Forbidden: field can not be less than previous value"}, ""},
		{"class from nil", old, func(c *corev1.PersistentVolumeClaim) { c.Spec.StorageClassName = ptr("standard") }, nil, ""},
		{"class from annotation", newPVC(func(c *corev1.PersistentVolumeClaim) {
			c.Annotations = map[string]string{betaStorageClassAnnotation: "gold"}
		}),
			func(c *corev1.PersistentVolumeClaim) { c.Spec.StorageClassName = ptr("gold") }, nil, ""},
		{"annotation changed", newPVC(func(c *corev1.PersistentVolumeClaim) {
			c.Annotations = map[string]string{betaStorageClassAnnotation: "gold"}
		}),
			func(c *corev1.PersistentVolumeClaim) { c.Annotations[betaStorageClassAnnotation] = "silver" },
			[]string{`metadata.annotations.volume.beta.kubernetes.io/storage-class: Invalid value: "silver": field is immutable`}, ""},
		{"volume mode", old, func(c *corev1.PersistentVolumeClaim) { c.Spec.VolumeMode = ptr(corev1.PersistentVolumeBlock) },
			[]string{`volumeMode: Invalid value: "Block": field is immutable`}, "spec: Forbidden: " + pvcImmutableMessage + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.old.DeepCopy()
			tt.change(c)
			s.PrepareForUpdate(ctx, c, tt.old)
			errs := s.ValidateUpdate(ctx, c, tt.old)
			if tt.prefix != "" {
				if len(errs) == 0 || !strings.HasPrefix(errs[0].Error(), tt.prefix) {
					t.Fatalf("want %q first, got %v", tt.prefix, errs)
				}
				errs = errs[1:]
			}
			checkErrs(t, errs, tt.want...)
		})
	}
}

func TestPVCStatus(t *testing.T) {
	old := newPVC(nil)
	c := old.DeepCopy()
	c.Status = corev1.PersistentVolumeClaimStatus{Phase: corev1.ClaimBound, Capacity: rl("storage", "-1"),
		AllocatedResources: rl("storage", "1Gi"), CurrentVolumeAttributesClassName: ptr("gold")}
	c.Spec.Resources.Requests = rl("storage", "5Gi")
	pvcStatusStrategy{}.PrepareForUpdate(ctx, c, old)
	if c.Status.AllocatedResources != nil || c.Status.CurrentVolumeAttributesClassName != nil {
		t.Errorf("disabled status fields kept: %+v", c.Status)
	}
	if q := c.Spec.Resources.Requests["storage"]; q.String() != "1Gi" {
		t.Errorf("status update changed the spec")
	}
	checkErrs(t, pvcStatusStrategy{}.ValidateUpdate(ctx, c, old),
		"status.capacity[storage]: Invalid value: -1: must be a valid resource quantity")
}

func TestPVCStoreAndTable(t *testing.T) {
	r := persistentVolumeClaimsResource(clock)
	st := registry.NewStore(r, registrytest.NewBackend(), nil)
	c := newPVC(func(c *corev1.PersistentVolumeClaim) { c.Status.Phase = corev1.ClaimBound })
	out, err := st.Create(ctx, "ns", c, registry.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if out.(*corev1.PersistentVolumeClaim).Status.Phase != "" {
		t.Errorf("create kept the status: %+v", out)
	}

	bound := newPVC(func(c *corev1.PersistentVolumeClaim) {
		c.Spec.VolumeName = "pv1"
		c.Spec.StorageClassName = ptr("standard")
		c.Status = corev1.PersistentVolumeClaimStatus{Phase: corev1.ClaimBound, Capacity: rl("storage", "2Gi"),
			AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce, corev1.ReadWriteMany}}
	})
	pending := newPVC(nil)
	pending.Name = "wait"
	checkRows(t, r.Table, []storage.Object{bound, pending}, false,
		[]string{"Name", "Status", "Volume", "Capacity", "Access Modes", "StorageClass", "VolumeAttributesClass", "Age"},
		[]any{"data", "Bound", "pv1", "2Gi", "RWO,RWX", "standard", "<unset>", "5m"},
		[]any{"wait", "Pending", "", "", "", "", "<unset>", "5m"})
}
