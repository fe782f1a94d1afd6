// Package serviceaccount is the ServiceAccount admission plugin: every pod
// runs as a service account ("default" unless it names one), which must
// exist; unless automounting is turned off, every container gets the
// projected kube-api-access volume with a bound token, the cluster's CA
// and the namespace; the account's image pull secrets become the pod's
// when it has none; and an account annotated
// kubernetes.io/enforce-mountable-secrets=true limits the secrets its pods
// may use. Mirror pods may refer to none of these.
package serviceaccount

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"go.uber.org/zap"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilrand "k8s.io/apimachinery/pkg/util/rand"

	"github.com/skiff-dev/skiff/apiserver/admission"
	"github.com/skiff-dev/skiff/apiserver/admission/podrefs"
)

// Upstream's names and paths.
const (
	// DefaultServiceAccountName is the account of pods that name none.
	DefaultServiceAccountName = "default"
	// EnforceMountableSecretsAnnotation, "true" on an account, limits its
	// pods to the secrets it lists.
	EnforceMountableSecretsAnnotation = "kubernetes.io/enforce-mountable-secrets"
	// ServiceAccountVolumeName prefixes the token volume's name.
	ServiceAccountVolumeName = "kube-api-access"
	// DefaultAPITokenMountPath is where containers find the token.
	DefaultAPITokenMountPath = "/var/run/secrets/kubernetes.io/serviceaccount"
	// TokenExpirationSeconds is the projected token's lifetime (upstream's
	// WarnOnlyBoundTokenExpirationSeconds: 1h + 7s).
	TokenExpirationSeconds = 3607
)

// ServiceAccountGetter reads a service account; a missing one is an error
// for which admission.IsNotFound is true.
type ServiceAccountGetter interface {
	GetServiceAccount(ctx context.Context, namespace, name string) (*corev1.ServiceAccount, error)
}

var podsResource = schema.GroupResource{Resource: "pods"}

// Plugin is the ServiceAccount plugin (mutating and validating).
type Plugin struct {
	admission.Handler
	logger *zap.Logger
	cached ServiceAccountGetter
	live   ServiceAccountGetter
	// limitSecretReferences enforces mountable secrets for every account
	// (upstream's default: off, the annotation decides).
	limitSecretReferences bool
	mountToken            bool
	generateName          func(prefix string) string
	// wait pauses between live lookups of a missing default account.
	wait func(ctx context.Context, d time.Duration) error
}

var (
	_ admission.MutationInterface   = (*Plugin)(nil)
	_ admission.ValidationInterface = (*Plugin)(nil)
)

// New returns the plugin reading service accounts from cached (a watch
// cache) and, when the cache does not have one, from live (a consistent
// read; nil: cached is used for both).
func New(logger *zap.Logger, cached, live ServiceAccountGetter) *Plugin {
	if logger == nil {
		logger = zap.NewNop()
	}
	if live == nil {
		live = cached
	}
	return &Plugin{
		Handler:      admission.NewHandler(admission.Create, admission.Update),
		logger:       logger,
		cached:       cached,
		live:         live,
		mountToken:   true,
		generateName: func(prefix string) string { return prefix + utilrand.String(5) },
		wait:         sleep,
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// podOf returns a's pod when the plugin looks at a: pods and their
// ephemeralcontainers subresource.
func podOf(a *admission.Attributes) (*corev1.Pod, bool) {
	if a.GroupResource() != podsResource || (a.Subresource != "" && a.Subresource != "ephemeralcontainers") {
		return nil, false
	}
	pod, ok := a.Object.(*corev1.Pod)
	return pod, ok && pod != nil
}

// Admit sets the pod's service account, mounts its token and copies its
// image pull secrets, on create.
func (p *Plugin) Admit(ctx context.Context, a *admission.Attributes) error {
	pod, ok := podOf(a)
	if !ok || a.Operation != admission.Create {
		return nil
	}
	if _, mirror := pod.Annotations[corev1.MirrorPodAnnotationKey]; mirror {
		// The kubelet deletes a mirror pod whose spec it did not write.
		return p.Validate(ctx, a)
	}
	if pod.Spec.ServiceAccountName == "" {
		pod.Spec.ServiceAccountName = DefaultServiceAccountName
	}
	sa, err := p.serviceAccount(ctx, a.Namespace, pod.Spec.ServiceAccountName)
	if err != nil {
		return admission.NewForbidden(a, fmt.Errorf("error looking up service account %s/%s: %w", a.Namespace, pod.Spec.ServiceAccountName, err))
	}
	if p.mountToken && shouldAutomount(sa, pod) {
		p.mountServiceAccountToken(pod)
	}
	if len(pod.Spec.ImagePullSecrets) == 0 {
		pod.Spec.ImagePullSecrets = make([]corev1.LocalObjectReference, len(sa.ImagePullSecrets))
		for i, s := range sa.ImagePullSecrets {
			pod.Spec.ImagePullSecrets[i].Name = s.Name
		}
	}
	return p.Validate(ctx, a)
}

// Validate checks that the pod's account exists and, when the account
// enforces it, that the pod uses only the secrets the account lists.
func (p *Plugin) Validate(ctx context.Context, a *admission.Attributes) error {
	pod, ok := podOf(a)
	if !ok {
		return nil
	}
	if a.Operation == admission.Update && a.Subresource == "ephemeralcontainers" {
		return p.limitEphemeralContainerSecretReferences(ctx, pod, a)
	}
	if a.Operation != admission.Create {
		return nil
	}
	if _, mirror := pod.Annotations[corev1.MirrorPodAnnotationKey]; mirror {
		return validateMirrorPod(pod, a)
	}
	if pod.Spec.ServiceAccountName == "" {
		return admission.NewForbidden(a, fmt.Errorf("no service account specified for pod %s/%s", a.Namespace, pod.Name))
	}
	sa, err := p.serviceAccount(ctx, a.Namespace, pod.Spec.ServiceAccountName)
	if err != nil {
		return admission.NewForbidden(a, fmt.Errorf("error looking up service account %s/%s: %w", a.Namespace, pod.Spec.ServiceAccountName, err))
	}
	if p.enforceMountableSecrets(sa) {
		if err := limitSecretReferences(sa, pod); err != nil {
			return admission.NewForbidden(a, err)
		}
	}
	return nil
}

func validateMirrorPod(pod *corev1.Pod, a *admission.Attributes) error {
	if pod.Spec.ServiceAccountName != "" {
		return admission.NewForbidden(a, fmt.Errorf("a mirror pod may not reference service accounts"))
	}
	if len(podrefs.Secrets(pod)) > 0 {
		return admission.NewForbidden(a, fmt.Errorf("a mirror pod may not reference secrets"))
	}
	for _, v := range pod.Spec.Volumes {
		if v.Projected == nil {
			continue
		}
		for _, src := range v.Projected.Sources {
			if src.ServiceAccountToken != nil {
				return admission.NewForbidden(a, fmt.Errorf("a mirror pod may not use ServiceAccountToken volume projections"))
			}
		}
	}
	return nil
}

// shouldAutomount: the pod's preference, else the account's, else true.
func shouldAutomount(sa *corev1.ServiceAccount, pod *corev1.Pod) bool {
	if pod.Spec.AutomountServiceAccountToken != nil {
		return *pod.Spec.AutomountServiceAccountToken
	}
	if sa.AutomountServiceAccountToken != nil {
		return *sa.AutomountServiceAccountToken
	}
	return true
}

func (p *Plugin) enforceMountableSecrets(sa *corev1.ServiceAccount) bool {
	if p.limitSecretReferences {
		return true
	}
	v, ok := sa.Annotations[EnforceMountableSecretsAnnotation]
	if !ok {
		return false
	}
	enforce, _ := strconv.ParseBool(v)
	return enforce
}

// serviceAccount reads namespace/name from the cache, then live: once, or
// ten times a little apart for the default account, which its controller
// creates right after the namespace.
func (p *Plugin) serviceAccount(ctx context.Context, namespace, name string) (*corev1.ServiceAccount, error) {
	sa, err := p.cached.GetServiceAccount(ctx, namespace, name)
	if err == nil && sa != nil {
		return sa, nil
	}
	if err != nil && !admission.IsNotFound(err) {
		return nil, err
	}
	attempts := 1
	if name == DefaultServiceAccountName {
		attempts = 10
	}
	interval := time.Duration(100+rand.IntN(100)) * time.Millisecond
	for i := 0; i < attempts; i++ {
		if i > 0 {
			if err := p.wait(ctx, interval); err != nil {
				return nil, err
			}
		}
		sa, err := p.live.GetServiceAccount(ctx, namespace, name)
		if err == nil && sa != nil {
			return sa, nil
		}
		if err != nil && !admission.IsNotFound(err) {
			return nil, err
		}
	}
	p.logger.Debug("service account not found", zap.String("namespace", namespace), zap.String("name", name))
	return nil, notFound(name)
}
