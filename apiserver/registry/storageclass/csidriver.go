package storageclass

import (
	"context"
	"strings"
	"time"

	storagev1 "k8s.io/api/storage/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func csiDriverResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:                 storagev1.SchemeGroupVersion.WithResource("csidrivers"),
		Kind:                "CSIDriver",
		SingularName:        "csidriver",
		StoragePrefix:       "csidrivers",
		New:                 func() storage.Object { return &storagev1.CSIDriver{} },
		NewList:             func() runtime.Object { return &storagev1.CSIDriverList{} },
		Strategy:            csiDriverStrategy{},
		Table:               csiDriverTable(now),
		ReturnDeletedObject: true,
	}
}

// csiDriverStrategy: attachRequired and volumeLifecycleModes are fixed once
// created; any other spec change moves the generation, which upstream
// starts at 0 (the first change makes it 1).
type csiDriverStrategy struct{ registry.Plain }

// Default is upstream's SetDefaults_CSIDriver with the
// SELinuxMountReadWriteOncePod feature on (beta, on by default in v1.31).
func (csiDriverStrategy) Default(obj storage.Object) {
	s := &obj.(*storagev1.CSIDriver).Spec
	setBool := func(p **bool, v bool) {
		if *p == nil {
			*p = &v
		}
	}
	setBool(&s.AttachRequired, true)
	setBool(&s.PodInfoOnMount, false)
	setBool(&s.StorageCapacity, false)
	if s.FSGroupPolicy == nil {
		p := storagev1.ReadWriteOnceWithFSTypeFSGroupPolicy
		s.FSGroupPolicy = &p
	}
	if len(s.VolumeLifecycleModes) == 0 {
		s.VolumeLifecycleModes = append(s.VolumeLifecycleModes, storagev1.VolumeLifecyclePersistent)
	}
	setBool(&s.RequiresRepublish, false)
	setBool(&s.SELinuxMount, false)
}

func (csiDriverStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	return validateCSIDriverSpec(&obj.(*storagev1.CSIDriver).Spec, field.NewPath("spec"))
}

// PrepareForUpdate moves the generation when the spec changes.
func (csiDriverStrategy) PrepareForUpdate(_ context.Context, obj, old storage.Object) {
	d, o := obj.(*storagev1.CSIDriver), old.(*storagev1.CSIDriver)
	if !apiequality.Semantic.DeepEqual(d.Spec, o.Spec) {
		d.Generation = o.Generation + 1
	}
}

// ValidateUpdate is upstream's ValidateCSIDriverUpdate. The immutable
// attachRequired is reported under upstream's path spec.attachedRequired.
func (csiDriverStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	s, o := &obj.(*storagev1.CSIDriver).Spec, &old.(*storagev1.CSIDriver).Spec
	errs := validateCSIDriverSpec(s, field.NewPath("spec"))
	// "attachedRequired" (sic) is the path upstream reports.
	errs = append(errs, apimachineryvalidation.ValidateImmutableField(s.AttachRequired, o.AttachRequired, field.NewPath("spec", "attachedRequired"))...)
	return append(errs, apimachineryvalidation.ValidateImmutableField(s.VolumeLifecycleModes, o.VolumeLifecycleModes, field.NewPath("spec", "volumeLifecycleModes"))...)
}

var csiDriverColumns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "AttachRequired", Type: "boolean", Description: storagev1.CSIDriverSpec{}.SwaggerDoc()["attachRequired"]},
	{Name: "PodInfoOnMount", Type: "boolean", Description: storagev1.CSIDriverSpec{}.SwaggerDoc()["podInfoOnMount"]},
	{Name: "StorageCapacity", Type: "boolean", Description: storagev1.CSIDriverSpec{}.SwaggerDoc()["storageCapacity"]},
	{Name: "TokenRequests", Type: "string", Description: storagev1.CSIDriverSpec{}.SwaggerDoc()["tokenRequests"]},
	{Name: "RequiresRepublish", Type: "boolean", Description: storagev1.CSIDriverSpec{}.SwaggerDoc()["requiresRepublish"]},
	{Name: "Modes", Type: "string", Description: storagev1.CSIDriverSpec{}.SwaggerDoc()["volumeLifecycleModes"]},
	registry.AgeColumn,
}

// csiDriverTable prints unset booleans as their defaults, token requests as
// their audiences ("<unset>" when absent) and modes joined ("<none>").
func csiDriverTable(now func() time.Time) registry.TableFunc {
	return registry.Rows(csiDriverColumns, now, csiDriverRow)
}

func csiDriverRow(obj storage.Object, now time.Time) ([]any, error) {
	d := obj.(*storagev1.CSIDriver)
	s := &d.Spec
	tokens := "<unset>"
	if s.TokenRequests != nil {
		audiences := make([]string, 0, len(s.TokenRequests))
		for _, r := range s.TokenRequests {
			audiences = append(audiences, r.Audience)
		}
		tokens = strings.Join(audiences, ",")
	}
	modes := make([]string, 0, len(s.VolumeLifecycleModes))
	for _, m := range s.VolumeLifecycleModes {
		modes = append(modes, string(m))
	}
	joined := strings.Join(modes, ",")
	if joined == "" {
		joined = "<none>"
	}
	return []any{d.Name, boolOr(s.AttachRequired, true), boolOr(s.PodInfoOnMount, false), boolOr(s.StorageCapacity, false),
		tokens, boolOr(s.RequiresRepublish, false), joined, registry.Age(d.CreationTimestamp, now)}, nil
}

func boolOr(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}
