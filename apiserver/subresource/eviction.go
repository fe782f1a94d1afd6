package subresource

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"time"

	"go.uber.org/zap"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/endpoints"
	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/scheme"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

var (
	evictionGVK       = policyv1.SchemeGroupVersion.WithKind("Eviction")
	evictionsResource = schema.GroupResource{Resource: "pods/eviction"}
)

// EvictionPods reads, updates and deletes pods.
type EvictionPods interface {
	Get(ctx context.Context, namespace, name string) (storage.Object, error)
	Updater
	Delete(ctx context.Context, namespace, name string, opts *metav1.DeleteOptions, wo registry.WriteOptions) (runtime.Object, error)
}

// Eviction serves pods/eviction (POST a policy/v1 Eviction): the pod is
// deleted with the eviction's deleteOptions unless that would violate a
// PodDisruptionBudget selecting it (429). Pods not yet running, finished
// or already being deleted are deleted without the budget; a budget's
// allowed disruptions are decremented, guarded, before a running pod goes.
type Eviction struct {
	logger  *zap.Logger
	opts    optionsCodec
	pods    EvictionPods
	budgets Budgets
	retry   backoff
	now     func() time.Time
}

var _ endpoints.SubresourceHandler = (*Eviction)(nil)

// NewEviction returns the eviction handler over the pods and
// poddisruptionbudgets stores.
func NewEviction(logger *zap.Logger, codecs *scheme.Codecs, pods EvictionPods, pdbs Budgets) *Eviction {
	if logger == nil {
		logger = zap.NewNop()
	}
	return &Eviction{
		logger: logger.Named("eviction"), opts: newOptionsCodec(codecs), pods: pods, budgets: pdbs,
		retry: evictionRetry, now: time.Now,
	}
}

// ServeSubresource evicts the pod named in the path.
func (e *Eviction) ServeSubresource(w http.ResponseWriter, r *http.Request, info *endpoints.RequestInfo, io endpoints.IO) {
	if info.Verb != "create" {
		io.Fail(w, r, unsupportedVerb(evictionsResource, info.Verb))
		return
	}
	opts, err := e.opts.create(r)
	if err != nil {
		io.Fail(w, r, err)
		return
	}
	eviction := &policyv1.Eviction{}
	if err := io.Decode(w, r, evictionGVK, eviction); err != nil {
		io.Fail(w, r, err)
		return
	}
	if err := prepare(eviction, info.Namespace); err != nil {
		io.Fail(w, r, err)
		return
	}
	if err := admitCreate(r, info, io, evictionGVK, eviction, opts); err != nil {
		io.Fail(w, r, err)
		return
	}
	out, err := e.evict(r.Context(), info.Namespace, info.Name, eviction, opts)
	if err != nil {
		io.Fail(w, r, err)
		return
	}
	io.Respond(w, r, http.StatusCreated, out)
}

// evict is upstream's EvictionREST.Create, of a prepared and admitted
// eviction.
func (e *Eviction) evict(ctx context.Context, namespace, name string, eviction *policyv1.Eviction, opts *metav1.CreateOptions) (*metav1.Status, error) {
	if eviction.Name != name {
		return nil, apierrors.NewBadRequest("name in URL does not match name in Eviction object")
	}
	original, err := propagateDryRun(eviction, opts)
	if err != nil {
		return nil, err
	}

	// Pods whose budget does not matter are deleted at once; a conflict
	// (the pod changed under us) is retried unless the client set its
	// own resourceVersion precondition.
	var pod *corev1.Pod
	deleted := false
	retryable := apierrors.IsConflict
	if !resourceVersionUnset(original) {
		retryable = func(error) bool { return false }
	}
	err = e.retry.do(ctx, retryable, func() error {
		p, err := e.getPod(ctx, namespace, name)
		if err != nil {
			return err
		}
		pod = p
		if !canIgnoreBudget(pod) {
			return nil
		}
		del := original
		if enforceResourceVersion(pod) && resourceVersionUnset(original) {
			del = withResourceVersion(original, pod.ResourceVersion)
		}
		if err := e.markAndDelete(ctx, namespace, name, del); err != nil {
			return err
		}
		deleted = true
		return nil
	})
	switch {
	case err != nil:
		return nil, err
	case deleted:
		return success(), nil
	}

	budget, unhealthyOK, status, err := e.checkBudgets(ctx, pod, dryRun(original))
	if err != nil || status != nil {
		return status, err
	}
	del := original
	if unhealthyOK {
		// The pod may not have become ready since it was judged.
		del = withResourceVersion(original, pod.ResourceVersion)
	}
	if err := e.markAndDelete(ctx, namespace, name, del); err != nil {
		if apierrors.IsConflict(err) && unhealthyOK && resourceVersionUnset(original) {
			return nil, stillProcessing(budget)
		}
		return nil, err
	}
	e.logger.Debug("pod evicted", zap.String("pod", namespace+"/"+name), zap.String("budget", budget))
	return success(), nil
}

func (e *Eviction) getPod(ctx context.Context, namespace, name string) (*corev1.Pod, error) {
	obj, err := e.pods.Get(ctx, namespace, name)
	if err != nil {
		return nil, err
	}
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		return nil, apierrors.NewInternalError(fmt.Errorf("pod %s/%s: unexpected object %T", namespace, name, obj))
	}
	return pod, nil
}

// markAndDelete sets the DisruptionTarget condition (unless dry run) and
// deletes the pod, as upstream's addConditionAndDeletePod.
func (e *Eviction) markAndDelete(ctx context.Context, namespace, name string, opts *metav1.DeleteOptions) error {
	dry := dryRun(opts)
	if !dry {
		updated, _, err := e.pods.Update(ctx, namespace, name, "status", func(_ context.Context, current storage.Object) (storage.Object, error) {
			pod, ok := current.(*corev1.Pod)
			if !ok {
				return nil, apierrors.NewInternalError(fmt.Errorf("pod %s/%s: unexpected object %T", namespace, name, current))
			}
			if err := checkPodPreconditions(opts.Preconditions, pod); err != nil {
				return nil, err
			}
			pod = pod.DeepCopy()
			setPodCondition(&pod.Status, corev1.PodCondition{
				Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue,
				Reason: "EvictionByEvictionAPI", Message: "Eviction API: evicting",
			}, metav1.NewTime(e.now()))
			return pod, nil
		}, registry.WriteOptions{})
		if err != nil {
			return err
		}
		if !resourceVersionUnset(opts) {
			// our own write moved the pod's resourceVersion
			opts = withResourceVersion(opts, updated.GetResourceVersion())
		}
	}
	_, err := e.pods.Delete(ctx, namespace, name, opts, registry.WriteOptions{DryRun: dry})
	return err
}

// checkPodPreconditions words a failed precondition as upstream's
// eviction does (resource "Pod").
func checkPodPreconditions(p *metav1.Preconditions, pod *corev1.Pod) error {
	if p == nil {
		return nil
	}
	gr := schema.GroupResource{Resource: "Pod"}
	if uid := p.UID; uid != nil && *uid != "" && *uid != pod.UID {
		return apierrors.NewConflict(gr, pod.Name, fmt.Errorf("the UID in the precondition (%s) does not match the UID in record (%s). The object might have been deleted and then recreated", *uid, pod.UID))
	}
	if rv := p.ResourceVersion; rv != nil && *rv != "" && *rv != pod.ResourceVersion {
		return apierrors.NewConflict(gr, pod.Name, fmt.Errorf("the ResourceVersion in the precondition (%s) does not match the ResourceVersion in record (%s). The object might have been modified", *rv, pod.ResourceVersion))
	}
	return nil
}

// propagateDryRun merges the request's dryRun into the eviction's
// deleteOptions, refusing a disagreement.
func propagateDryRun(eviction *policyv1.Eviction, opts *metav1.CreateOptions) (*metav1.DeleteOptions, error) {
	switch {
	case eviction.DeleteOptions == nil:
		return &metav1.DeleteOptions{DryRun: opts.DryRun}, nil
	case len(eviction.DeleteOptions.DryRun) == 0:
		eviction.DeleteOptions.DryRun = opts.DryRun
	case len(opts.DryRun) > 0 && !reflect.DeepEqual(opts.DryRun, eviction.DeleteOptions.DryRun):
		return nil, unknownError(fmt.Errorf("Non-matching dry-run options in request and content: %v and %v", opts.DryRun, eviction.DeleteOptions.DryRun))
	}
	return eviction.DeleteOptions, nil
}

// canIgnoreBudget: pods not running (pending, finished) or already being
// deleted disrupt nothing more by going.
func canIgnoreBudget(pod *corev1.Pod) bool {
	switch pod.Status.Phase {
	case corev1.PodSucceeded, corev1.PodFailed, corev1.PodPending:
		return true
	}
	return pod.DeletionTimestamp != nil
}

// enforceResourceVersion: a pod that may still become ready is deleted
// only as it was judged.
func enforceResourceVersion(pod *corev1.Pod) bool {
	switch pod.Status.Phase {
	case corev1.PodSucceeded, corev1.PodFailed:
		return false
	}
	return pod.DeletionTimestamp == nil
}

func resourceVersionUnset(opts *metav1.DeleteOptions) bool {
	return opts.Preconditions == nil || opts.Preconditions.ResourceVersion == nil
}

func withResourceVersion(opts *metav1.DeleteOptions, rv string) *metav1.DeleteOptions {
	out := opts.DeepCopy()
	if out.Preconditions == nil {
		out.Preconditions = &metav1.Preconditions{}
	}
	out.Preconditions.ResourceVersion = &rv
	return out
}

func dryRun(opts *metav1.DeleteOptions) bool { return len(opts.DryRun) > 0 }

func success() *metav1.Status {
	return &metav1.Status{Status: metav1.StatusSuccess, Code: http.StatusCreated}
}
