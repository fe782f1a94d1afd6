// Package priority is the Priority admission plugin: a new pod's
// spec.priority (and spec.preemptionPolicy) come from its PriorityClass,
// or from the global default class when it names none (priority 0 and
// PreemptLowerPriority when there is no default); a pod naming a class
// that does not exist is refused; and only one PriorityClass may be the
// global default.
package priority

import (
	"context"
	"fmt"

	"go.uber.org/zap"
	corev1 "k8s.io/api/core/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
)

// PriorityClassLister reads PriorityClasses; a missing one is an error for
// which admission.IsNotFound is true.
type PriorityClassLister interface {
	GetPriorityClass(ctx context.Context, name string) (*schedulingv1.PriorityClass, error)
	ListPriorityClasses(ctx context.Context) ([]*schedulingv1.PriorityClass, error)
}

var (
	podsResource            = schema.GroupResource{Resource: "pods"}
	priorityClassesResource = schema.GroupResource{Group: "scheduling.k8s.io", Resource: "priorityclasses"}
)

// Plugin is the Priority plugin (mutating for pods, validating for
// PriorityClasses).
type Plugin struct {
	admission.Handler
	logger  *zap.Logger
	classes PriorityClassLister
}

var (
	_ admission.MutationInterface   = (*Plugin)(nil)
	_ admission.ValidationInterface = (*Plugin)(nil)
)

// New returns the plugin reading classes from classes.
func New(logger *zap.Logger, classes PriorityClassLister) *Plugin {
	if logger == nil {
		logger = zap.NewNop()
	}
	return &Plugin{
		Handler: admission.NewHandler(admission.Create, admission.Update, admission.Delete),
		logger:  logger,
		classes: classes,
	}
}

// Admit resolves a new pod's priority and keeps it on updates.
func (p *Plugin) Admit(ctx context.Context, a *admission.Attributes) error {
	if a.Subresource != "" || a.GroupResource() != podsResource {
		return nil
	}
	switch a.Operation {
	case admission.Create:
		return p.admitCreate(ctx, a)
	case admission.Update:
		return admitUpdate(a)
	}
	return nil
}

// admitUpdate keeps the priority the pod was created with when an update
// leaves it out (validation refuses any other change of it).
func admitUpdate(a *admission.Attributes) error {
	pod, ok := a.Object.(*corev1.Pod)
	old, okOld := a.OldObject.(*corev1.Pod)
	if !ok || !okOld || pod == nil || old == nil {
		return apierrors.NewBadRequest("resource was marked with kind Pod but was unable to be converted")
	}
	if pod.Spec.Priority == nil && old.Spec.Priority != nil {
		v := *old.Spec.Priority
		pod.Spec.Priority = &v
	}
	if pod.Spec.PreemptionPolicy == nil && old.Spec.PreemptionPolicy != nil {
		v := *old.Spec.PreemptionPolicy
		pod.Spec.PreemptionPolicy = &v
	}
	return nil
}

func (p *Plugin) admitCreate(ctx context.Context, a *admission.Attributes) error {
	pod, ok := a.Object.(*corev1.Pod)
	if !ok || pod == nil {
		return apierrors.NewBadRequest("resource was marked with kind Pod but was unable to be converted")
	}
	var priority int32
	var policy *corev1.PreemptionPolicy
	if pod.Spec.PriorityClassName == "" {
		def, err := p.defaultClass(ctx)
		if err != nil {
			return fmt.Errorf("failed to get default priority class: %w", err)
		}
		if def != nil {
			pod.Spec.PriorityClassName, priority, policy = def.Name, def.Value, def.PreemptionPolicy
		} else {
			lower := corev1.PreemptLowerPriority
			policy = &lower
		}
	} else {
		pc, err := p.classes.GetPriorityClass(ctx, pod.Spec.PriorityClassName)
		switch {
		case err == nil && pc != nil:
		case err == nil || admission.IsNotFound(err):
			return admission.NewForbidden(a, fmt.Errorf("no PriorityClass with name %v was found", pod.Spec.PriorityClassName))
		default:
			return fmt.Errorf("failed to get PriorityClass with name %s: %w", pod.Spec.PriorityClassName, err)
		}
		priority, policy = pc.Value, pc.PreemptionPolicy
	}
	if pod.Spec.Priority != nil && *pod.Spec.Priority != priority {
		return admission.NewForbidden(a, fmt.Errorf("the integer value of priority (%d) must not be provided in pod spec; priority admission controller computed %d from the given PriorityClass name", *pod.Spec.Priority, priority))
	}
	pod.Spec.Priority = &priority
	if policy != nil {
		if pod.Spec.PreemptionPolicy != nil && *pod.Spec.PreemptionPolicy != *policy {
			return admission.NewForbidden(a, fmt.Errorf("the string value of PreemptionPolicy (%s) must not be provided in pod spec; priority admission controller computed %s from the given PriorityClass name", *pod.Spec.PreemptionPolicy, *policy))
		}
		v := *policy
		pod.Spec.PreemptionPolicy = &v
	}
	return nil
}

// Validate refuses a second global default PriorityClass.
func (p *Plugin) Validate(ctx context.Context, a *admission.Attributes) error {
	if a.Subresource != "" || a.GroupResource() != priorityClassesResource {
		return nil
	}
	if a.Operation != admission.Create && a.Operation != admission.Update {
		return nil
	}
	pc, ok := a.Object.(*schedulingv1.PriorityClass)
	if !ok || pc == nil {
		return apierrors.NewBadRequest("resource was marked with kind PriorityClass but was unable to be converted")
	}
	if !pc.GlobalDefault {
		return nil
	}
	def, err := p.defaultClass(ctx)
	if err != nil {
		return fmt.Errorf("failed to get default priority class: %w", err)
	}
	if def != nil && (a.Operation == admission.Create || def.Name != pc.Name) {
		return admission.NewForbidden(a, fmt.Errorf("PriorityClass %v is already marked as default. Only one default can exist", def.Name))
	}
	return nil
}

// defaultClass is the global default class; when a race made several, the
// one of lowest value.
func (p *Plugin) defaultClass(ctx context.Context) (*schedulingv1.PriorityClass, error) {
	list, err := p.classes.ListPriorityClasses(ctx)
	if err != nil {
		return nil, err
	}
	var def *schedulingv1.PriorityClass
	for _, pc := range list {
		if pc.GlobalDefault && (def == nil || pc.Value < def.Value) {
			def = pc
		}
	}
	return def, nil
}
