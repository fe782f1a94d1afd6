package endpoints

import (
	"net/http"

	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
	"github.com/skiff-dev/skiff/apiserver/authentication"
)

// Admit runs admission on a write a SubresourceHandler is about to make,
// as the resource API runs it on its own writes: the mutating plugins
// (which may change a.Object), then the validating ones, the first error
// ending both.
//
// a gives the operation, the kind written (the subresource's own, e.g.
// policy/v1 Eviction), the objects, dryRun and the options; Admit sets
// the rest as upstream does for a subresource: the parent resource and the
// subresource, namespace and name of info (pods, eviction, the pod's
// namespace and name) and the request's user. Dry runs are admitted too.
// The error, a plugin's denial (403 Forbidden, `pods "x" is forbidden:
// …`) or failure, is the request's answer: pass it to Fail. Without an
// admission chain Admit admits everything.
func (io IO) Admit(r *http.Request, info *RequestInfo, a admission.Attributes) error {
	chain := io.h.admission
	if chain == nil {
		return nil
	}
	a.Resource = schema.GroupVersionResource{Group: info.APIGroup, Version: info.APIVersion, Resource: info.Resource}
	a.Subresource, a.Namespace, a.Name = info.Subresource, info.Namespace, info.Name
	a.User, _ = authentication.UserFrom(r.Context())
	if err := chain.Admit(r.Context(), &a); err != nil {
		return err
	}
	return chain.Validate(r.Context(), &a)
}
