package review

import (
	"context"
	"fmt"

	authorizationv1 "k8s.io/api/authorization/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/authorization"
)

var ssarKind = authorizationv1.SchemeGroupVersion.WithKind("SelfSubjectAccessReview")

// SelfSubjectAccessReview answers authorization.k8s.io/v1
// SelfSubjectAccessReview (kubectl auth can-i): may the requesting user do
// what spec asks?
type SelfSubjectAccessReview struct{ authz authorization.Authorizer }

// NewSelfSubjectAccessReview returns the SelfSubjectAccessReview creator
// over the apiserver's authorizer.
func NewSelfSubjectAccessReview(authz authorization.Authorizer) *SelfSubjectAccessReview {
	return &SelfSubjectAccessReview{authz: authz}
}

// New returns an empty SelfSubjectAccessReview.
func (*SelfSubjectAccessReview) New() runtime.Object {
	return &authorizationv1.SelfSubjectAccessReview{}
}

// Create decides the review for the user of ctx.
func (s *SelfSubjectAccessReview) Create(ctx context.Context, namespace string, obj runtime.Object, _ bool) (runtime.Object, error) {
	sar, ok := obj.(*authorizationv1.SelfSubjectAccessReview)
	if !ok {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("not a SelfSubjectAccessReview: %T", obj))
	}
	if namespace != "" {
		return nil, notServed()
	}
	if err := prepareMeta(&sar.ObjectMeta, ""); err != nil {
		return nil, err
	}
	errs := validateAttributes(sar.Spec.ResourceAttributes, sar.Spec.NonResourceAttributes, field.NewPath("spec"))
	if !metaEmpty(sar.ObjectMeta, false) {
		errs = append(errs, field.Invalid(field.NewPath("metadata"), sar.ObjectMeta, "must be empty"))
	}
	if len(errs) > 0 {
		return nil, apierrors.NewInvalid(groupKind(ssarKind), "", errs)
	}
	user, ok := authentication.UserFrom(ctx)
	if !ok {
		return nil, apierrors.NewBadRequest("no user present on request")
	}
	attrs := authorization.ReviewAttributes(user, sar.Spec.ResourceAttributes, sar.Spec.NonResourceAttributes)
	sar.Status = authorization.ReviewAccess(ctx, s.authz, attrs)
	return sar, nil
}
