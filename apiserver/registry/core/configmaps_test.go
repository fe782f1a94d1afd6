package core

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

func TestConfigMapValidate(t *testing.T) {
	tests := []struct {
		name   string
		data   map[string]string
		binary map[string][]byte
		want   []string
	}{
		{"valid", map[string]string{"a.conf": "x", "B_c-1": "y"}, map[string][]byte{"bin": {1}}, nil},
		{"bad key", map[string]string{"a/b": "x"}, nil,
			[]string{`data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`}},
		{"bad binary key", nil, map[string][]byte{"..": {}},
			[]string{`binaryData[..]: Invalid value: "..": must not be '..'`}},
		{"key in both", map[string]string{"k": "x"}, map[string][]byte{"k": {1}},
			[]string{`data[k]: Invalid value: "k": duplicate of key present in binaryData`}},
		{"too large", map[string]string{"a": strings.Repeat("x", 1<<20)}, map[string][]byte{"b": {1}},
			[]string{`[]: Too long: must have at most 1048576 bytes`}},
		{"exactly 1 MiB", map[string]string{"a": strings.Repeat("x", 1<<20)}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cm := &corev1.ConfigMap{Data: tt.data, BinaryData: tt.binary}
			checkErrs(t, configMapStrategy{}.Validate(ctx, cm), tt.want...)
		})
	}
}

func TestConfigMapImmutable(t *testing.T) {
	old := &corev1.ConfigMap{Data: map[string]string{"a": "1"}, BinaryData: map[string][]byte{"b": {1}}, Immutable: ptr(true)}
	tests := []struct {
		name   string
		change func(cm *corev1.ConfigMap)
		want   []string
	}{
		{"labels may change", func(cm *corev1.ConfigMap) { cm.Labels = map[string]string{"x": "y"} }, nil},
		{"data", func(cm *corev1.ConfigMap) { cm.Data["a"] = "2" }, []string{"data: Forbidden: field is immutable when `immutable` is set"}},
		{"binaryData", func(cm *corev1.ConfigMap) { cm.BinaryData = nil }, []string{"binaryData: Forbidden: field is immutable when `immutable` is set"}},
		{"immutable", func(cm *corev1.ConfigMap) { cm.Immutable = ptr(false) }, []string{"immutable: Forbidden: field is immutable when `immutable` is set"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cm := old.DeepCopy()
			tt.change(cm)
			checkErrs(t, configMapStrategy{}.ValidateUpdate(ctx, cm, old), tt.want...)
		})
	}
	// A mutable configmap may become immutable along with a data change.
	mutable := &corev1.ConfigMap{Data: map[string]string{"a": "1"}}
	next := &corev1.ConfigMap{Data: map[string]string{"a": "2"}, Immutable: ptr(true)}
	checkErrs(t, configMapStrategy{}.ValidateUpdate(ctx, next, mutable))
}

func TestConfigMapTable(t *testing.T) {
	cm := &corev1.ConfigMap{ObjectMeta: meta("cfg"), Data: map[string]string{"a": "1"}, BinaryData: map[string][]byte{"b": {1}}}
	r := configMapsResource(clock)
	checkRows(t, r.Table, []storage.Object{cm}, true, []string{"Name", "Data", "Age"}, []any{"cfg", int64(2), "5m"})
	if r.ShortNames[0] != "cm" || r.StoragePrefix != "configmaps" || !r.Namespaced {
		t.Errorf("resource = %+v", r)
	}
}
