package review

import (
	"context"
	"fmt"
	"slices"
	"time"

	authenticationv1 "k8s.io/api/authentication/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/skiff-dev/skiff/apiserver/authentication"
)

// SelfSubjectReview answers authentication.k8s.io/v1 SelfSubjectReview
// (kubectl auth whoami): the requesting user's name, uid, groups and
// extra.
type SelfSubjectReview struct{}

// New returns an empty SelfSubjectReview.
func (SelfSubjectReview) New() runtime.Object { return &authenticationv1.SelfSubjectReview{} }

// Create describes the user of ctx.
func (SelfSubjectReview) Create(ctx context.Context, namespace string, obj runtime.Object, _ bool) (runtime.Object, error) {
	if _, ok := obj.(*authenticationv1.SelfSubjectReview); !ok {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("not a SelfSubjectReview: %T", obj))
	}
	if namespace != "" {
		return nil, notServed()
	}
	u, ok := authentication.UserFrom(ctx)
	if !ok {
		return nil, apierrors.NewBadRequest("no user present on request")
	}
	out := &authenticationv1.SelfSubjectReview{
		TypeMeta:   metav1.TypeMeta{APIVersion: authenticationv1.SchemeGroupVersion.String(), Kind: "SelfSubjectReview"},
		ObjectMeta: metav1.ObjectMeta{CreationTimestamp: metav1.NewTime(time.Now().Truncate(time.Second))},
		Status: authenticationv1.SelfSubjectReviewStatus{UserInfo: authenticationv1.UserInfo{
			Username: u.Name, UID: u.UID, Groups: slices.Clone(u.Groups),
			Extra: make(map[string]authenticationv1.ExtraValue, len(u.Extra)),
		}},
	}
	for k, v := range u.Extra {
		out.Status.UserInfo.Extra[k] = slices.Clone(v)
	}
	return out, nil
}
