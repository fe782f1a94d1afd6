package subresource

import (
	"context"
	"fmt"
	"net/http"

	"go.uber.org/zap"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/endpoints"
	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/scheme"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// BindingSubresource is the name under which the pods store must serve
// BindingStrategy (registry.Resource.Subresources), for Binding's writes.
const BindingSubresource = "binding"

var (
	bindingGVK       = corev1.SchemeGroupVersion.WithKind("Binding")
	podsResource     = schema.GroupResource{Resource: "pods"}
	bindingsResource = schema.GroupResource{Resource: "pods/binding"}
)

// Binding serves pods/binding and the legacy bindings resource (POST a
// v1 Binding): it sets spec.nodeName of an unbound pod, merges the
// binding's annotations and sets the PodScheduled condition, in one
// guarded update of the pod. It answers a success Status.
type Binding struct {
	logger *zap.Logger
	opts   optionsCodec
	pods   Updater
	now    func() metav1.Time
}

var (
	_ endpoints.SubresourceHandler = (*Binding)(nil)
	_ endpoints.Creator            = (*Binding)(nil)
)

// NewBinding returns the binding handler writing through pods, whose
// resource must serve BindingStrategy as BindingSubresource.
func NewBinding(logger *zap.Logger, codecs *scheme.Codecs, pods Updater) *Binding {
	if logger == nil {
		logger = zap.NewNop()
	}
	return &Binding{logger: logger.Named("binding"), opts: newOptionsCodec(codecs), pods: pods, now: metav1.Now}
}

// ServeSubresource binds the pod named in the path.
func (b *Binding) ServeSubresource(w http.ResponseWriter, r *http.Request, info *endpoints.RequestInfo, io endpoints.IO) {
	if info.Verb != "create" {
		io.Fail(w, r, unsupportedVerb(bindingsResource, info.Verb))
		return
	}
	opts, err := b.opts.create(r)
	if err != nil {
		io.Fail(w, r, err)
		return
	}
	binding := &corev1.Binding{}
	if err := io.Decode(w, r, bindingGVK, binding); err != nil {
		io.Fail(w, r, err)
		return
	}
	if err := prepare(binding, info.Namespace); err != nil {
		io.Fail(w, r, err)
		return
	}
	if err := admitCreate(r, info, io, bindingGVK, binding, opts); err != nil {
		io.Fail(w, r, err)
		return
	}
	out, err := b.bind(r.Context(), info.Namespace, info.Name, binding, len(opts.DryRun) > 0)
	if err != nil {
		io.Fail(w, r, err)
		return
	}
	io.Respond(w, r, http.StatusCreated, out)
}

// New returns an empty Binding (the legacy bindings resource).
func (b *Binding) New() runtime.Object { return &corev1.Binding{} }

// Create binds the pod the Binding names (the legacy bindings resource,
// POST /api/v1/namespaces/<ns>/bindings), or only checks it can on a dry
// run.
func (b *Binding) Create(ctx context.Context, namespace string, obj runtime.Object, dryRun bool) (runtime.Object, error) {
	binding, ok := obj.(*corev1.Binding)
	if !ok {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("not a Binding object: %T", obj))
	}
	if binding.Name == "" {
		return nil, apierrors.NewInvalid(bindingGVK.GroupKind(), "", field.ErrorList{field.Required(field.NewPath("metadata", "name"), "name or generateName is required")})
	}
	if err := prepare(binding, namespace); err != nil {
		return nil, err
	}
	return b.bind(ctx, namespace, binding.Name, binding, dryRun)
}

// bind binds the pod namespace/name as binding (prepared) says.
func (b *Binding) bind(ctx context.Context, namespace, name string, binding *corev1.Binding, dryRun bool) (runtime.Object, error) {
	if binding.Name != name {
		return nil, apierrors.NewBadRequest("name in URL does not match name in Binding object")
	}
	if errs := validateBinding(binding); len(errs) > 0 {
		return nil, unknownError(errs.ToAggregate()) // upstream answers its aggregate as is
	}
	node := binding.Target.Name
	_, _, err := b.pods.Update(ctx, namespace, name, BindingSubresource, func(_ context.Context, current storage.Object) (storage.Object, error) {
		pod, ok := current.(*corev1.Pod)
		if !ok {
			return nil, apierrors.NewInternalError(fmt.Errorf("pod %s/%s: unexpected object %T", namespace, name, current))
		}
		if rv := binding.ResourceVersion; rv != "" && rv != pod.ResourceVersion {
			return nil, apierrors.NewConflict(podsResource, name, fmt.Errorf("Precondition failed: ResourceVersion in precondition: %v, ResourceVersion in object meta: %v", rv, pod.ResourceVersion))
		}
		return b.assign(pod.DeepCopy(), node, binding.Annotations)
	}, registry.WriteOptions{DryRun: dryRun})
	if err != nil {
		return nil, err
	}
	b.logger.Debug("pod bound", zap.String("pod", namespace+"/"+name), zap.String("node", node), zap.Bool("dryRun", dryRun))
	return &metav1.Status{Status: metav1.StatusSuccess, Code: http.StatusCreated}, nil
}

// assign sets the node of an unbound pod, as upstream's registry does.
func (b *Binding) assign(pod *corev1.Pod, node string, annotations map[string]string) (*corev1.Pod, error) {
	refuse := func(format string, args ...any) (*corev1.Pod, error) {
		return nil, apierrors.NewConflict(bindingsResource, pod.Name, fmt.Errorf(format, args...))
	}
	switch {
	case pod.DeletionTimestamp != nil:
		return refuse("pod %s is being deleted, cannot be assigned to a host", pod.Name)
	case pod.Spec.NodeName != "":
		return refuse("pod %v is already assigned to node %q", pod.Name, pod.Spec.NodeName)
	case len(pod.Spec.SchedulingGates) != 0:
		return refuse("pod %v has non-empty .spec.schedulingGates", pod.Name)
	}
	pod.Spec.NodeName = node
	if pod.Annotations == nil && len(annotations) > 0 {
		pod.Annotations = make(map[string]string, len(annotations))
	}
	for k, v := range annotations {
		pod.Annotations[k] = v
	}
	setPodCondition(&pod.Status, corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionTrue}, b.now())
	return pod, nil
}

// validateBinding is upstream's ValidatePodBinding.
func validateBinding(b *corev1.Binding) field.ErrorList {
	var errs field.ErrorList
	if b.Target.Kind != "" && b.Target.Kind != "Node" {
		errs = append(errs, field.NotSupported(field.NewPath("target", "kind"), b.Target.Kind, []string{"Node", "<empty>"}))
	}
	if b.Target.Name == "" {
		errs = append(errs, field.Required(field.NewPath("target", "name"), ""))
	}
	return errs
}

// BindingStrategy is the pods store's rule for Binding's writes: nothing
// beyond the registry's metadata checks, the binding having decided what
// changes (upstream writes the pod without its update strategy too).
type BindingStrategy struct{}

var _ registry.UpdateStrategy = BindingStrategy{}

// PrepareForUpdate changes nothing.
func (BindingStrategy) PrepareForUpdate(context.Context, storage.Object, storage.Object) {}

// ValidateUpdate finds nothing wrong.
func (BindingStrategy) ValidateUpdate(context.Context, storage.Object, storage.Object) field.ErrorList {
	return nil
}
