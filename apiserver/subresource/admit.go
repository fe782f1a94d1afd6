package subresource

import (
	"net/http"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
	"github.com/skiff-dev/skiff/apiserver/endpoints"
)

// The handlers have their writes admitted where upstream's create and
// update handlers run the admission chain: a create (pods/binding,
// pods/eviction, serviceaccounts/token) once its body is decoded and its
// namespace matched, before the handler's own checks and reads, so a
// plugin's refusal (NodeRestriction's) is the answer before anything the
// handler would tell; an update of a Scale inside the guarded update, on
// the new Scale and the current one, before the Scale is validated and
// written. Dry runs are admitted too.

// admitCreate admits the create of obj, of kind, with opts.
func admitCreate(r *http.Request, info *endpoints.RequestInfo, io endpoints.IO, kind schema.GroupVersionKind, obj runtime.Object, opts *metav1.CreateOptions) error {
	return io.Admit(r, info, admission.Attributes{
		Operation: admission.Create, Kind: kind, Object: obj, DryRun: len(opts.DryRun) > 0, Options: opts,
	})
}

// updateOptions are the UpdateOptions admission is given for a patch, as
// upstream converts them.
func updateOptions(p *metav1.PatchOptions) *metav1.UpdateOptions {
	return &metav1.UpdateOptions{DryRun: p.DryRun, FieldManager: p.FieldManager, FieldValidation: p.FieldValidation}
}
