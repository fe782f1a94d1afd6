package review

import (
	"context"
	"fmt"

	authorizationv1 "k8s.io/api/authorization/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/authorization"
)

var (
	sarKind  = authorizationv1.SchemeGroupVersion.WithKind("SubjectAccessReview")
	lsarKind = authorizationv1.SchemeGroupVersion.WithKind("LocalSubjectAccessReview")
)

// SubjectAccessReview answers authorization.k8s.io/v1
// SubjectAccessReview: may the user in spec do what spec asks?
type SubjectAccessReview struct{ authz authorization.Authorizer }

// NewSubjectAccessReview returns the SubjectAccessReview creator over
// the apiserver's authorizer.
func NewSubjectAccessReview(authz authorization.Authorizer) *SubjectAccessReview {
	return &SubjectAccessReview{authz: authz}
}

// New returns an empty SubjectAccessReview.
func (*SubjectAccessReview) New() runtime.Object { return &authorizationv1.SubjectAccessReview{} }

// Create decides the review.
func (s *SubjectAccessReview) Create(ctx context.Context, namespace string, obj runtime.Object, _ bool) (runtime.Object, error) {
	sar, ok := obj.(*authorizationv1.SubjectAccessReview)
	if !ok {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("not a SubjectAccessReview: %T", obj))
	}
	if namespace != "" {
		return nil, notServed()
	}
	if err := prepareMeta(&sar.ObjectMeta, ""); err != nil {
		return nil, err
	}
	errs := validateSpec(sar.Spec, field.NewPath("spec"))
	if !metaEmpty(sar.ObjectMeta, false) {
		errs = append(errs, field.Invalid(field.NewPath("metadata"), sar.ObjectMeta, "must be empty"))
	}
	if len(errs) > 0 {
		return nil, apierrors.NewInvalid(groupKind(sarKind), "", errs)
	}
	sar.Status = decide(ctx, s.authz, sar.Spec)
	return sar, nil
}

// LocalSubjectAccessReview answers authorization.k8s.io/v1
// LocalSubjectAccessReview: a SubjectAccessReview about the request's
// namespace.
type LocalSubjectAccessReview struct{ authz authorization.Authorizer }

// NewLocalSubjectAccessReview returns the LocalSubjectAccessReview
// creator over the apiserver's authorizer.
func NewLocalSubjectAccessReview(authz authorization.Authorizer) *LocalSubjectAccessReview {
	return &LocalSubjectAccessReview{authz: authz}
}

// New returns an empty LocalSubjectAccessReview.
func (*LocalSubjectAccessReview) New() runtime.Object {
	return &authorizationv1.LocalSubjectAccessReview{}
}

// Create decides the review, whose namespace must be the request's.
func (l *LocalSubjectAccessReview) Create(ctx context.Context, namespace string, obj runtime.Object, _ bool) (runtime.Object, error) {
	sar, ok := obj.(*authorizationv1.LocalSubjectAccessReview)
	if !ok {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("not a LocalSubjectAccessReview: %T", obj))
	}
	if namespace == "" {
		return nil, notServed()
	}
	if err := prepareMeta(&sar.ObjectMeta, namespace); err != nil {
		return nil, err
	}
	errs := validateSpec(sar.Spec, field.NewPath("spec"))
	if !metaEmpty(sar.ObjectMeta, true) {
		errs = append(errs, field.Invalid(field.NewPath("metadata"), sar.ObjectMeta, "must be empty except for namespace"))
	}
	if ra := sar.Spec.ResourceAttributes; ra != nil && ra.Namespace != sar.Namespace {
		errs = append(errs, field.Invalid(field.NewPath("spec.resourceAttributes.namespace"), ra.Namespace, "must match metadata.namespace"))
	}
	if sar.Spec.NonResourceAttributes != nil {
		errs = append(errs, field.Invalid(field.NewPath("spec.nonResourceAttributes"), sar.Spec.NonResourceAttributes, "disallowed on this kind of request"))
	}
	if len(errs) > 0 {
		return nil, apierrors.NewInvalid(groupKind(lsarKind), "", errs)
	}
	sar.Status = decide(ctx, l.authz, sar.Spec)
	return sar, nil
}

// decide asks authz about the user and request spec describes.
func decide(ctx context.Context, authz authorization.Authorizer, spec authorizationv1.SubjectAccessReviewSpec) authorizationv1.SubjectAccessReviewStatus {
	user := authorization.ReviewUser(spec)
	return authorization.ReviewAccess(ctx, authz, authorization.ReviewAttributes(user, spec.ResourceAttributes, spec.NonResourceAttributes))
}

// validateSpec is upstream's ValidateSubjectAccessReviewSpec.
func validateSpec(spec authorizationv1.SubjectAccessReviewSpec, p *field.Path) field.ErrorList {
	errs := validateAttributes(spec.ResourceAttributes, spec.NonResourceAttributes, p)
	if spec.User == "" && len(spec.Groups) == 0 {
		errs = append(errs, field.Invalid(p.Child("user"), spec.User, "at least one of user or group must be specified"))
	}
	return errs
}

// validateAttributes: exactly one of resource and non-resource attributes.
func validateAttributes(res *authorizationv1.ResourceAttributes, nonRes *authorizationv1.NonResourceAttributes, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if res != nil && nonRes != nil {
		errs = append(errs, field.Invalid(p.Child("nonResourceAttributes"), nonRes, "cannot be specified in combination with resourceAttributes"))
	}
	if res == nil && nonRes == nil {
		errs = append(errs, field.Invalid(p.Child("resourceAttributes"), nonRes, "exactly one of nonResourceAttributes or resourceAttributes must be specified"))
	}
	return errs
}
