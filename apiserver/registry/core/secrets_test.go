package core

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/registrytest"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func TestSecretDefaults(t *testing.T) {
	s := &corev1.Secret{
		Data:       map[string][]byte{"a": []byte("old"), "b": []byte("kept")},
		StringData: map[string]string{"a": "new", "c": "added"},
	}
	secretStrategy{}.Default(s)
	if s.Type != corev1.SecretTypeOpaque {
		t.Errorf("type = %q", s.Type)
	}
	if s.StringData != nil {
		t.Errorf("stringData kept: %v", s.StringData)
	}
	want := map[string]string{"a": "new", "b": "kept", "c": "added"}
	if len(s.Data) != len(want) {
		t.Fatalf("data = %v", s.Data)
	}
	for k, v := range want {
		if string(s.Data[k]) != v {
			t.Errorf("data[%s] = %q, want %q", k, s.Data[k], v)
		}
	}

	// Without Default (a body the handler did not default), create still merges.
	s2 := &corev1.Secret{StringData: map[string]string{"x": "y"}}
	secretStrategy{}.PrepareForCreate(ctx, s2)
	if string(s2.Data["x"]) != "y" || s2.StringData != nil {
		t.Errorf("create merge: %+v", s2)
	}
}

func TestSecretValidate(t *testing.T) {
	tests := []struct {
		name string
		s    corev1.Secret
		want []string
	}{
		{"opaque", corev1.Secret{Type: corev1.SecretTypeOpaque, Data: map[string][]byte{"k": nil}}, nil},
		{"bad key", corev1.Secret{Type: corev1.SecretTypeOpaque, Data: map[string][]byte{"a b": nil}},
			[]string{`data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`}},
		{"too large", corev1.Secret{Data: map[string][]byte{"k": []byte(strings.Repeat("x", 1<<20+1))}},
			[]string{"data: Too long: must have at most 1048576 bytes"}},
		{"service account token needs the annotation", corev1.Secret{Type: corev1.SecretTypeServiceAccountToken},
			[]string{"metadata.annotations[kubernetes.io/service-account.name]: Required value"}},
		{"service account token", corev1.Secret{Type: corev1.SecretTypeServiceAccountToken,
			ObjectMeta: metav1.ObjectMeta{Annotations: map[string]string{"kubernetes.io/service-account.name": "default"}}}, nil},
		{"dockercfg missing", corev1.Secret{Type: corev1.SecretTypeDockercfg}, []string{"data[.dockercfg]: Required value"}},
		{"dockerconfigjson bad json", corev1.Secret{Type: corev1.SecretTypeDockerConfigJson, Data: map[string][]byte{".dockerconfigjson": []byte("{")}},
			[]string{`data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": unexpected end of JSON input`}},
		{"dockerconfigjson", corev1.Secret{Type: corev1.SecretTypeDockerConfigJson, Data: map[string][]byte{".dockerconfigjson": []byte(`{"auths":{}}`)}}, nil},
		{"basic auth needs one", corev1.Secret{Type: corev1.SecretTypeBasicAuth},
			[]string{"data[username]: Required value", "data[password]: Required value"}},
		{"basic auth password only", corev1.Secret{Type: corev1.SecretTypeBasicAuth, Data: map[string][]byte{"password": nil}}, nil},
		{"ssh auth empty key", corev1.Secret{Type: corev1.SecretTypeSSHAuth, Data: map[string][]byte{"ssh-privatekey": {}}},
			[]string{"data[ssh-privatekey]: Required value"}},
		{"tls", corev1.Secret{Type: corev1.SecretTypeTLS, Data: map[string][]byte{"tls.crt": nil}},
			[]string{"data[tls.key]: Required value"}},
		{"bootstrap token", corev1.Secret{Type: corev1.SecretTypeBootstrapToken}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErrs(t, secretStrategy{}.Validate(ctx, &tt.s), tt.want...)
		})
	}
}

func TestSecretUpdate(t *testing.T) {
	old := &corev1.Secret{Type: corev1.SecretTypeOpaque, Data: map[string][]byte{"a": []byte("1")}}
	s := old.DeepCopy()
	s.Type = corev1.SecretTypeBootstrapToken
	checkErrs(t, secretStrategy{}.ValidateUpdate(ctx, s, old),
		`type: Invalid value: "bootstrap.kubernetes.io/token": field is immutable`)

	old.Immutable = ptr(true)
	s = old.DeepCopy()
	s.Data["a"] = []byte("2")
	s.Immutable = nil
	checkErrs(t, secretStrategy{}.ValidateUpdate(ctx, s, old),
		"immutable: Forbidden: field is immutable when `immutable` is set",
		"data: Forbidden: field is immutable when `immutable` is set")
}

func TestSecretStore(t *testing.T) {
	r := secretsResource(clock)
	st := registry.NewStore(r, registrytest.NewBackend(), nil)
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "s"}, StringData: map[string]string{"k": "v"}}
	r.Strategy.Default(s)
	out, err := st.Create(ctx, "ns", s, registry.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := out.(*corev1.Secret)
	if string(got.Data["k"]) != "v" || got.StringData != nil || got.Type != corev1.SecretTypeOpaque {
		t.Errorf("stored %+v", got)
	}
	// An update writing stringData again merges it over the data.
	upd := got.DeepCopy()
	upd.StringData = map[string]string{"k": "w"}
	out, _, err = st.Update(ctx, "ns", "s", "", put(upd), registry.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if string(out.(*corev1.Secret).Data["k"]) != "w" {
		t.Errorf("updated %+v", out)
	}
	_, f, _ := secretAttrs(got)
	if f["type"] != "Opaque" {
		t.Errorf("attrs %v", f)
	}
	got.CreationTimestamp = metav1.NewTime(created)
	checkRows(t, r.Table, []storage.Object{got}, false, []string{"Name", "Type", "Data", "Age"}, []any{"s", "Opaque", int64(1), "5m"})
}
