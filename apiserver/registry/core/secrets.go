package core

import (
	"context"
	"encoding/json"
	"reflect"
	"time"

	corev1 "k8s.io/api/core/v1"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func secretsResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:              gvr("secrets"),
		Kind:             "Secret",
		SingularName:     "secret",
		Namespaced:       true,
		StoragePrefix:    "secrets",
		New:              func() storage.Object { return &corev1.Secret{} },
		NewList:          func() runtime.Object { return &corev1.SecretList{} },
		Strategy:         secretStrategy{},
		GetAttrs:         secretAttrs,
		SelectableFields: []string{"type"},
		Table:            registry.Rows(secretColumns, now, secretRow),
	}
}

// secretStrategy: the type defaults to Opaque and never changes; each type
// requires its keys; stringData is merged into data on every write (as
// upstream's conversion does) and never stored.
type secretStrategy struct{}

// Default sets the type and folds stringData into data.
func (secretStrategy) Default(obj storage.Object) {
	s, ok := obj.(*corev1.Secret)
	if !ok {
		return
	}
	if s.Type == "" {
		s.Type = corev1.SecretTypeOpaque
	}
	mergeStringData(s)
}

// mergeStringData writes stringData over data and clears it.
func mergeStringData(s *corev1.Secret) {
	if len(s.StringData) > 0 {
		if s.Data == nil {
			s.Data = make(map[string][]byte, len(s.StringData))
		}
		for k, v := range s.StringData {
			s.Data[k] = []byte(v)
		}
	}
	s.StringData = nil
}

// PrepareForCreate folds stringData in, should the body not have been
// defaulted.
func (secretStrategy) PrepareForCreate(_ context.Context, obj storage.Object) {
	if s, ok := obj.(*corev1.Secret); ok {
		mergeStringData(s)
	}
}

// PrepareForUpdate folds stringData in.
func (secretStrategy) PrepareForUpdate(_ context.Context, obj, _ storage.Object) {
	if s, ok := obj.(*corev1.Secret); ok {
		mergeStringData(s)
	}
}

// Validate checks keys, size and the type's required keys.
func (secretStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	s, ok := obj.(*corev1.Secret)
	if !ok {
		return wrongType(obj)
	}
	return validateSecret(s)
}

func validateSecret(s *corev1.Secret) field.ErrorList {
	var errs field.ErrorList
	dataPath := field.NewPath("data")
	total := 0
	for key, value := range s.Data {
		for _, msg := range validation.IsConfigMapKey(key) {
			errs = append(errs, field.Invalid(dataPath.Key(key), key, msg))
		}
		total += len(value)
	}
	if total > maxDataSize {
		errs = append(errs, field.TooLong(dataPath, "", maxDataSize))
	}
	return append(errs, validateSecretType(s, dataPath)...)
}

// validateSecretType checks the keys each type requires.
func validateSecretType(s *corev1.Secret, dataPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch s.Type {
	case corev1.SecretTypeServiceAccountToken:
		// The token and uid may be added later by the controller.
		if s.Annotations[corev1.ServiceAccountNameKey] == "" {
			errs = append(errs, field.Required(field.NewPath("metadata", "annotations").Key(corev1.ServiceAccountNameKey), ""))
		}
	case corev1.SecretTypeDockercfg:
		errs = append(errs, validateJSONKey(s.Data, corev1.DockerConfigKey, dataPath)...)
	case corev1.SecretTypeDockerConfigJson:
		errs = append(errs, validateJSONKey(s.Data, corev1.DockerConfigJsonKey, dataPath)...)
	case corev1.SecretTypeBasicAuth:
		_, user := s.Data[corev1.BasicAuthUsernameKey]
		_, pass := s.Data[corev1.BasicAuthPasswordKey]
		if !user && !pass {
			errs = append(errs,
				field.Required(dataPath.Key(corev1.BasicAuthUsernameKey), ""),
				field.Required(dataPath.Key(corev1.BasicAuthPasswordKey), ""))
		}
	case corev1.SecretTypeSSHAuth:
		if len(s.Data[corev1.SSHAuthPrivateKey]) == 0 {
			errs = append(errs, field.Required(dataPath.Key(corev1.SSHAuthPrivateKey), ""))
		}
	case corev1.SecretTypeTLS:
		if _, ok := s.Data[corev1.TLSCertKey]; !ok {
			errs = append(errs, field.Required(dataPath.Key(corev1.TLSCertKey), ""))
		}
		if _, ok := s.Data[corev1.TLSPrivateKeyKey]; !ok {
			errs = append(errs, field.Required(dataPath.Key(corev1.TLSPrivateKeyKey), ""))
		}
	}
	// Opaque, bootstrap tokens and other types require nothing.
	return errs
}

// validateJSONKey requires key, holding a JSON object.
func validateJSONKey(data map[string][]byte, key string, dataPath *field.Path) field.ErrorList {
	raw, ok := data[key]
	if !ok {
		return field.ErrorList{field.Required(dataPath.Key(key), "")}
	}
	if err := json.Unmarshal(raw, &map[string]any{}); err != nil {
		return field.ErrorList{field.Invalid(dataPath.Key(key), "<secret contents redacted>", err.Error())}
	}
	return nil
}

// ValidateUpdate keeps the type, and an immutable secret's data.
func (secretStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	s, ok1 := obj.(*corev1.Secret)
	oldS, ok2 := old.(*corev1.Secret)
	if !ok1 || !ok2 {
		return wrongType(obj, old)
	}
	errs := apimachineryvalidation.ValidateImmutableField(s.Type, oldS.Type, field.NewPath("type"))
	if isTrue(oldS.Immutable) {
		if !isTrue(s.Immutable) {
			errs = append(errs, field.Forbidden(field.NewPath("immutable"), immutableMessage))
		}
		if !reflect.DeepEqual(s.Data, oldS.Data) {
			errs = append(errs, field.Forbidden(field.NewPath("data"), immutableMessage))
		}
	}
	return append(errs, validateSecret(s)...)
}

func secretAttrs(obj storage.Object) (labels.Set, fields.Set, error) {
	s, ok := obj.(*corev1.Secret)
	if !ok {
		return nil, nil, unexpectedType(obj)
	}
	f := registry.MetaFields(obj)
	f["type"] = string(s.Type)
	return labels.Set(s.Labels), f, nil
}

var secretColumns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Type", Type: "string", Description: corev1.Secret{}.SwaggerDoc()["type"]},
	{Name: "Data", Type: "string", Description: corev1.Secret{}.SwaggerDoc()["data"]},
	registry.AgeColumn,
}

func secretRow(obj storage.Object, now time.Time) ([]any, error) {
	s, ok := obj.(*corev1.Secret)
	if !ok {
		return nil, unexpectedType(obj)
	}
	return []any{s.Name, string(s.Type), int64(len(s.Data)), age(obj, now)}, nil
}
