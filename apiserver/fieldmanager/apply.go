package fieldmanager

import (
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"
)

// Apply applies an apply patch (application/apply-patch+yaml: a YAML or
// JSON object) from manager to current, nil when the object does not
// exist yet (apply creates it). It returns the merged object with its
// managedFields, not defaulted: default it as any decoded object.
//
// Errors are upstream's: 400 "error decoding YAML: …" for a body that is
// not an object; 400 "invalid object type: …" when apiVersion and kind
// are not the endpoint's; 400 "metadata.managedFields must be nil"; 409
// Conflict with one cause per field another manager owns ("Apply failed
// with 1 conflict: conflict with \"kubectl-client-side-apply\" using v1:
// .data.color") unless force takes them over; and, as upstream, an
// internal error for a patch the schema rejects ("failed to create typed
// patch object (ns/name; /v1, Kind=ConfigMap): .data: expected map, got
// …").
func (k *KindManager) Apply(current runtime.Object, patch []byte, manager string, force bool) (runtime.Object, error) {
	if k == nil {
		return nil, apierrors.NewInternalError(fmt.Errorf("server-side apply: no field manager for this kind"))
	}
	applied := &unstructured.Unstructured{Object: map[string]any{}}
	if err := yaml.Unmarshal(patch, &applied.Object); err != nil {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("error decoding YAML: %v", err))
	}
	if applied.Object == nil {
		// "null" or an empty body: an object without apiVersion and kind.
		applied.Object = map[string]any{}
	}
	live := current
	if live == nil {
		var err error
		if live, err = k.creater.New(k.gvk); err != nil {
			return nil, apierrors.NewInternalError(fmt.Errorf("failed to create new object: %w", err))
		}
	}
	return k.fields.Apply(live, applied, manager, force)
}

// StrictApplyPatchError reports fields an apply patch sets twice, which
// fieldValidation=Strict rejects (400 "error strict decoding YAML: "+err)
// and fieldValidation=Warn turns into a warning (err's text), as upstream
// checks after a successful apply.
func StrictApplyPatchError(patch []byte) error {
	return yaml.UnmarshalStrict(patch, &map[string]any{})
}
