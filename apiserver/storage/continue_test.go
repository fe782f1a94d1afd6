package storage

import (
	"encoding/base64"
	"testing"
)

func base64JSON(t *testing.T, s string) string {
	t.Helper()
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func TestEncodeContinueIsUpstreams(t *testing.T) {
	token, err := encodeContinue("/registry/pods/ns/b\x00", "/registry/pods/", 42)
	if err != nil {
		t.Fatal(err)
	}
	want := base64JSON(t, `{"v":"meta.k8s.io/v1","rv":42,"start":"ns/b\u0000"}`)
	if token != want {
		t.Errorf("token %q, want %q", token, want)
	}
	if _, err := encodeContinue("/registry/secrets/x", "/registry/pods/", 1); err == nil {
		t.Error("encoding a key outside the prefix succeeded")
	}
}

func TestDecodeContinue(t *testing.T) {
	const prefix = "/registry/pods/"
	tok := func(s string) string { return base64JSON(t, s) }
	tests := []struct {
		name    string
		token   string
		wantKey string
		wantRV  int64
		wantErr bool
	}{
		{name: "valid", token: tok(`{"v":"meta.k8s.io/v1","rv":7,"start":"ns/b\u0000"}`), wantKey: "/registry/pods/ns/b\x00", wantRV: 7},
		{name: "inconsistent (latest)", token: tok(`{"v":"meta.k8s.io/v1","rv":-1,"start":"ns/b\u0000"}`), wantKey: "/registry/pods/ns/b\x00", wantRV: -1},
		{name: "root", token: tok(`{"v":"meta.k8s.io/v1","rv":7,"start":"/"}`), wantKey: "/registry/pods/", wantRV: 7},
		{name: "padded base64", token: base64.URLEncoding.EncodeToString([]byte(`{"v":"meta.k8s.io/v1","rv":7,"start":"a"}`)), wantErr: true},
		{name: "not json", token: tok(`{`), wantErr: true},
		{name: "other version", token: tok(`{"v":"v1","rv":7,"start":"a"}`), wantErr: true},
		{name: "zero revision", token: tok(`{"v":"meta.k8s.io/v1","rv":0,"start":"a"}`), wantErr: true},
		{name: "no start", token: tok(`{"v":"meta.k8s.io/v1","rv":7}`), wantErr: true},
		{name: "parent", token: tok(`{"v":"meta.k8s.io/v1","rv":7,"start":"../secrets/a"}`), wantErr: true},
		{name: "dot", token: tok(`{"v":"meta.k8s.io/v1","rv":7,"start":"./a"}`), wantErr: true},
		{name: "up after down", token: tok(`{"v":"meta.k8s.io/v1","rv":7,"start":"a/../.."}`), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, rev, err := decodeContinue(tt.token, prefix)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want error %v", err, tt.wantErr)
			}
			if err == nil && (key != tt.wantKey || rev != tt.wantRV) {
				t.Errorf("got %q at %d, want %q at %d", key, rev, tt.wantKey, tt.wantRV)
			}
		})
	}
}

func FuzzDecodeContinue(f *testing.F) {
	f.Add(base64.RawURLEncoding.EncodeToString([]byte(`{"v":"meta.k8s.io/v1","rv":7,"start":"ns/b"}`)))
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		key, _, err := decodeContinue(token, "/registry/pods/")
		if err == nil && len(key) < len("/registry/pods/") {
			t.Fatalf("key %q escapes the prefix", key)
		}
		if err == nil && key[:len("/registry/pods/")] != "/registry/pods/" {
			t.Fatalf("key %q escapes the prefix", key)
		}
	})
}
