package apps

import (
	"context"
	"strconv"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/betadocs"
	"github.com/skiff-dev/skiff/apiserver/registry/core/pod"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func daemonSetResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:           appsv1.SchemeGroupVersion.WithResource("daemonsets"),
		Kind:          "DaemonSet",
		SingularName:  "daemonset",
		Namespaced:    true,
		ShortNames:    []string{"ds"},
		Categories:    []string{"all"},
		StoragePrefix: "daemonsets",
		New:           func() storage.Object { return &appsv1.DaemonSet{} },
		NewList:       func() runtime.Object { return &appsv1.DaemonSetList{} },
		Strategy:      daemonSetStrategy{},
		Status:        daemonSetStatusStrategy{},
		Table:         daemonSetTable(now),
	}
}

// daemonSetStrategy: besides the generation, upstream keeps a template
// generation that apps/v1 shows as the annotation
// deprecated.daemonset.template.generation: 1 at create, one more on every
// template change, never set by users.
type daemonSetStrategy struct{}

func (daemonSetStrategy) Default(obj storage.Object) { defaultDaemonSet(obj.(*appsv1.DaemonSet)) }

func (daemonSetStrategy) PrepareForCreate(_ context.Context, obj storage.Object) {
	ds := obj.(*appsv1.DaemonSet)
	ds.Status = appsv1.DaemonSetStatus{}
	ds.Generation = 1
	if gen, ok := templateGeneration(ds); ok && gen < 1 {
		setTemplateGeneration(ds, 1)
	}
}

func (daemonSetStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	ds := obj.(*appsv1.DaemonSet)
	errs := validateTemplateGeneration(ds)
	return append(errs, validateDaemonSetSpec(&ds.Spec, field.NewPath("spec"))...)
}

func (daemonSetStrategy) PrepareForUpdate(_ context.Context, obj, old storage.Object) {
	ds, o := obj.(*appsv1.DaemonSet), old.(*appsv1.DaemonSet)
	ds.Status = o.Status
	gen, _ := templateGeneration(o)
	if !apiequality.Semantic.DeepEqual(o.Spec.Template, ds.Spec.Template) {
		gen++
	}
	setTemplateGeneration(ds, gen)
	if !apiequality.Semantic.DeepEqual(o.Spec, ds.Spec) {
		ds.Generation = o.Generation + 1
	}
}

func (daemonSetStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	ds, o := obj.(*appsv1.DaemonSet), old.(*appsv1.DaemonSet)
	errs := validateDaemonSetSpec(&ds.Spec, field.NewPath("spec"))
	return append(errs, apimachineryvalidation.ValidateImmutableField(ds.Spec.Selector, o.Spec.Selector, field.NewPath("spec", "selector"))...)
}

// templateGeneration reads the template generation annotation; a missing
// one is 0, an unreadable one is reported by validation.
func templateGeneration(ds *appsv1.DaemonSet) (int64, bool) {
	v, found := ds.Annotations[appsv1.DeprecatedTemplateGeneration]
	if !found {
		return 0, true
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil
}

func setTemplateGeneration(ds *appsv1.DaemonSet, gen int64) {
	if ds.Annotations == nil {
		ds.Annotations = map[string]string{}
	}
	ds.Annotations[appsv1.DeprecatedTemplateGeneration] = strconv.FormatInt(gen, 10)
}

func validateTemplateGeneration(ds *appsv1.DaemonSet) field.ErrorList {
	if _, ok := templateGeneration(ds); ok {
		return nil
	}
	path := field.NewPath("metadata", "annotations").Key(appsv1.DeprecatedTemplateGeneration)
	return field.ErrorList{field.Invalid(path, ds.Annotations[appsv1.DeprecatedTemplateGeneration], "must be an integer")}
}

// defaultDaemonSet is upstream's SetDefaults_DaemonSet plus the pod
// template's defaults.
func defaultDaemonSet(ds *appsv1.DaemonSet) {
	s := &ds.Spec.UpdateStrategy
	if s.Type == "" {
		s.Type = appsv1.RollingUpdateDaemonSetStrategyType
	}
	if s.Type == appsv1.RollingUpdateDaemonSetStrategyType {
		if s.RollingUpdate == nil {
			s.RollingUpdate = &appsv1.RollingUpdateDaemonSet{}
		}
		if s.RollingUpdate.MaxUnavailable == nil {
			v := intstr.FromInt32(1)
			s.RollingUpdate.MaxUnavailable = &v
		}
		if s.RollingUpdate.MaxSurge == nil {
			v := intstr.FromInt32(0)
			s.RollingUpdate.MaxSurge = &v
		}
	}
	if ds.Spec.RevisionHistoryLimit == nil {
		ds.Spec.RevisionHistoryLimit = int32Ptr(10)
	}
	pod.DefaultPodSpec(&ds.Spec.Template.Spec)
}

type daemonSetStatusStrategy struct{ registry.StatusOnly }

// PrepareForUpdate keeps the spec and the template generation.
func (s daemonSetStatusStrategy) PrepareForUpdate(ctx context.Context, obj, old storage.Object) {
	s.StatusOnly.PrepareForUpdate(ctx, obj, old)
	ds := obj.(*appsv1.DaemonSet)
	if v, ok := old.GetAnnotations()[appsv1.DeprecatedTemplateGeneration]; ok {
		if ds.Annotations == nil {
			ds.Annotations = map[string]string{}
		}
		ds.Annotations[appsv1.DeprecatedTemplateGeneration] = v
	} else {
		delete(ds.Annotations, appsv1.DeprecatedTemplateGeneration)
	}
}

func (daemonSetStatusStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	ds, o := obj.(*appsv1.DaemonSet), old.(*appsv1.DaemonSet)
	st := &ds.Status
	fldPath := field.NewPath("status")
	errs := registry.Nonnegative(fldPath,
		registry.Count("currentNumberScheduled", int64(st.CurrentNumberScheduled)), registry.Count("numberMisscheduled", int64(st.NumberMisscheduled)),
		registry.Count("desiredNumberScheduled", int64(st.DesiredNumberScheduled)), registry.Count("numberReady", int64(st.NumberReady)),
		registry.Count("observedGeneration", st.ObservedGeneration), registry.Count("updatedNumberScheduled", int64(st.UpdatedNumberScheduled)),
		registry.Count("numberAvailable", int64(st.NumberAvailable)), registry.Count("numberUnavailable", int64(st.NumberUnavailable)))
	if st.CollisionCount != nil {
		errs = append(errs, apimachineryvalidation.ValidateNonnegativeField(int64(*st.CollisionCount), fldPath.Child("collisionCount"))...)
	}
	return append(errs, validateCollisionCount(st.CollisionCount, o.Status.CollisionCount, fldPath.Child("collisionCount"))...)
}

var daemonSetColumns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Desired", Type: "integer", Description: betadocs.DaemonSetStatusDesiredNumberScheduled},
	{Name: "Current", Type: "integer", Description: betadocs.DaemonSetStatusCurrentNumberScheduled},
	{Name: "Ready", Type: "integer", Description: betadocs.DaemonSetStatusNumberReady},
	{Name: "Up-to-date", Type: "integer", Description: betadocs.DaemonSetStatusUpdatedNumberScheduled},
	{Name: "Available", Type: "integer", Description: betadocs.DaemonSetStatusNumberAvailable},
	{Name: "Node Selector", Type: "string", Description: corev1.PodSpec{}.SwaggerDoc()["nodeSelector"]},
	registry.AgeColumn,
	registry.ContainersColumn,
	registry.ImagesColumn,
	{Name: "Selector", Type: "string", Priority: 1, Description: betadocs.DaemonSetSpecSelector},
}

func daemonSetTable(now func() time.Time) registry.TableFunc {
	return registry.Rows(daemonSetColumns, now, daemonSetRow)
}

func daemonSetRow(obj storage.Object, now time.Time) ([]any, error) {
	ds := obj.(*appsv1.DaemonSet)
	st := ds.Status
	names, images := registry.ContainerCells(ds.Spec.Template.Spec.Containers)
	return []any{ds.Name, int64(st.DesiredNumberScheduled), int64(st.CurrentNumberScheduled), int64(st.NumberReady),
		int64(st.UpdatedNumberScheduled), int64(st.NumberAvailable),
		labels.FormatLabels(ds.Spec.Template.Spec.NodeSelector), registry.Age(ds.CreationTimestamp, now),
		names, images, metav1.FormatLabelSelector(ds.Spec.Selector)}, nil
}
