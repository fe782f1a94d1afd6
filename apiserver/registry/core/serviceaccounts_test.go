package core

import (
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

func TestServiceAccountSecretsTrimmed(t *testing.T) {
	sa := &corev1.ServiceAccount{ObjectMeta: meta("default"), Secrets: []corev1.ObjectReference{{Name: "tok", Namespace: "ns", Kind: "Secret", UID: "u"}}}
	serviceAccountStrategy{}.PrepareForCreate(ctx, sa)
	if sa.Secrets[0] != (corev1.ObjectReference{Name: "tok"}) {
		t.Errorf("secrets = %+v", sa.Secrets)
	}
	r := serviceAccountsResource(clock)
	checkRows(t, r.Table, []storage.Object{sa}, false, []string{"Name", "Secrets", "Age"}, []any{"default", int64(1), "5m"})
	if r.ShortNames[0] != "sa" {
		t.Errorf("short names %v", r.ShortNames)
	}
}
