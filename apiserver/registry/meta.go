package registry

import (
	"context"
	"time"

	"k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/api/validation/path"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/apimachinery/pkg/util/uuid"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// generatedNameLength is the random suffix generateName gets, as upstream.
const generatedNameLength = 5

// fillCreateMeta sets what the server owns on a new object.
func (s *Store) fillCreateMeta(obj storage.Object) {
	if obj.GetName() == "" && obj.GetGenerateName() != "" {
		obj.SetName(obj.GetGenerateName() + rand.String(generatedNameLength))
	}
	if !s.res.Namespaced {
		obj.SetNamespace("")
	}
	obj.SetUID(uuid.NewUUID())
	obj.SetCreationTimestamp(metav1.NewTime(s.now().Truncate(1e9)))
	obj.SetDeletionTimestamp(nil)
	obj.SetDeletionGracePeriodSeconds(nil)
	obj.SetSelfLink("")
	obj.SetResourceVersion("")
}

// validateMeta checks metadata as upstream does for every kind: the name
// (a DNS subdomain unless the kind says otherwise), the namespace,
// generateName, labels, annotations, owner references and finalizers.
func (s *Store) validateMeta(obj storage.Object) field.ErrorList {
	if s.plainMeta(obj) {
		return nil
	}
	return validation.ValidateObjectMetaAccessor(obj, s.res.Namespaced, s.nameValidator(), field.NewPath("metadata"))
}

func (s *Store) validateMetaUpdate(obj, old storage.Object) field.ErrorList {
	errs := validation.ValidateObjectMetaAccessorUpdate(obj, old, field.NewPath("metadata"))
	return append(errs, s.validateMeta(obj)...)
}

// nameRule is a strategy's own rule for names, instead of a DNS subdomain.
type nameRule interface {
	ValidateName(name string, prefix bool) []string
}

// nameValidator is the kind's name rule; path-segment safety is always
// required (no "/", "%", "." or "..").
func (s *Store) nameValidator() validation.ValidateNameFunc {
	if v, ok := s.res.Strategy.(nameRule); ok {
		return v.ValidateName
	}
	return func(name string, prefix bool) []string {
		errs := path.IsValidPathSegmentName(name)
		if len(errs) > 0 {
			return errs
		}
		return validation.NameIsDNSSubdomain(name, prefix)
	}
}

// checkNamespace makes obj's namespace the request's, refusing a body that
// names another.
func (s *Store) checkNamespace(ctx context.Context, namespace string, obj storage.Object) error {
	if !s.res.Namespaced {
		return nil
	}
	switch ns := obj.GetNamespace(); {
	case ns == "":
		obj.SetNamespace(namespace)
	case ns != namespace:
		return badRequest("the namespace of the provided object does not match the namespace sent on the request")
	}
	return nil
}

func secondsDuration(s int64) time.Duration { return time.Duration(s) * time.Second }
