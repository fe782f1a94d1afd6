package client

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// whoAmI is a TLS API server that answers GET /api/v1/namespaces/default
// with a namespace whose name says who the caller authenticated as.
func whoAmI(t *testing.T, ca *testCA, prefix string) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != prefix+"/api/v1/namespaces/default" {
			http.Error(w, "unexpected path "+r.URL.Path, http.StatusNotFound)
			return
		}
		who := "anonymous"
		switch {
		case r.TLS != nil && len(r.TLS.PeerCertificates) > 0:
			who = "cert-" + r.TLS.PeerCertificates[0].Subject.CommonName
		case strings.HasPrefix(r.Header.Get("Authorization"), "Bearer "):
			who = "token-" + strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		case r.Header.Get("Authorization") != "":
			u, p, _ := r.BasicAuth()
			who = "basic-" + u + "-" + p
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"default","labels":{"who":"` + who + `"}}}`))
	}))
	srv.TLS = ca.serverTLS(t, ca)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func whoFrom(t *testing.T, cfg *Config) string {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ns, err := For[corev1.Namespace](c, Namespaces).Get(context.Background(), "default", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	return ns.Labels["who"]
}

func TestKubeconfigAsKubectlWritesIt(t *testing.T) {
	ca := newTestCA(t)
	srv := whoAmI(t, ca, "")
	prefixed := whoAmI(t, ca, "/k8s")
	certPEM, keyPEM := ca.issue(t, "admin", []string{"system:masters"}, false)

	dir := t.TempDir()
	writeFile(t, dir, "pki/ca.crt", string(ca.PEM))
	writeFile(t, dir, "pki/admin.crt", string(certPEM))
	writeFile(t, dir, "pki/admin.key", string(keyPEM))
	writeFile(t, dir, "token", "from-file\n")

	// The layout kubectl config set-cluster / set-credentials / set-context
	// produce, with every way of naming credentials.
	kubeconfig := `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ` + b64(ca.PEM) + `
    server: ` + srv.URL + `
  name: data
- cluster:
    certificate-authority: pki/ca.crt
    server: ` + srv.URL + `
  name: files
- cluster:
    insecure-skip-tls-verify: true
    server: ` + srv.URL + `
  name: insecure
- cluster:
    certificate-authority: pki/ca.crt
    server: ` + prefixed.URL + `/k8s
  name: prefixed
contexts:
- context:
    cluster: data
    namespace: kube-system
    user: cert-data
  name: cert-data
- context:
    cluster: files
    user: cert-files
  name: cert-files
- context:
    cluster: insecure
    user: token
  name: token
- context:
    cluster: files
    user: token-file
  name: token-file
- context:
    cluster: prefixed
    user: basic
  name: prefixed
current-context: cert-data
kind: Config
preferences: {}
users:
- name: cert-data
  user:
    client-certificate-data: ` + b64(certPEM) + `
    client-key-data: ` + b64(keyPEM) + `
- name: cert-files
  user:
    client-certificate: pki/admin.crt
    client-key: pki/admin.key
- name: token
  user:
    token: s3cret
- name: token-file
  user:
    token: stale
    tokenFile: token
- name: basic
  user:
    username: alice
    password: pw
`
	path := writeFile(t, dir, "config", kubeconfig)
	kc, err := LoadKubeconfig(path)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		context, want, wantNS string
	}{
		{"", "cert-admin", "kube-system"}, // current-context
		{"cert-files", "cert-admin", "default"},
		{"token", "token-s3cret", "default"},
		{"token-file", "token-from-file", "default"}, // the file wins over token
		{"prefixed", "basic-alice-pw", "default"},
	}
	for _, tt := range tests {
		t.Run("context="+tt.context, func(t *testing.T) {
			cfg, ns, err := kc.ClientConfig(Overrides{Context: tt.context})
			if err != nil {
				t.Fatal(err)
			}
			if ns != tt.wantNS {
				t.Errorf("namespace %q, want %q", ns, tt.wantNS)
			}
			if got := whoFrom(t, cfg); got != tt.want {
				t.Errorf("authenticated as %q, want %q", got, tt.want)
			}
		})
	}
}

func TestKubeconfigEnvMergesFirstWins(t *testing.T) {
	ca := newTestCA(t)
	srv := whoAmI(t, ca, "")
	dir := t.TempDir()
	first := writeFile(t, dir, "a/config", `apiVersion: v1
kind: Config
current-context: ctx
contexts:
- name: ctx
  context: {cluster: c, user: u}
users:
- name: u
  user: {token: first}
`)
	second := writeFile(t, dir, "b/config", `apiVersion: v1
kind: Config
current-context: other
clusters:
- name: c
  cluster:
    server: `+srv.URL+`
    certificate-authority: ca.crt
users:
- name: u
  user: {token: second}
`)
	writeFile(t, dir, "b/ca.crt", string(ca.PEM)) // relative to the file that names it
	t.Setenv("KUBECONFIG", strings.Join([]string{first, filepath.Join(dir, "missing"), second}, string(os.PathListSeparator)))

	kc, err := LoadKubeconfig("")
	if err != nil {
		t.Fatal(err)
	}
	if kc.CurrentContext != "ctx" {
		t.Errorf("current-context %q, want the first file's", kc.CurrentContext)
	}
	cfg, _, err := kc.ClientConfig(Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	if got := whoFrom(t, cfg); got != "token-first" {
		t.Errorf("authenticated as %q, want the first file's user", got)
	}
}

func TestKubeconfigErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, content, context, want string
	}{
		{"unknown context", "current-context: nope\n", "", `context "nope" does not exist`},
		{"unknown cluster", "current-context: x\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\n", "", `cluster "c" does not exist`},
		{"no current context", "clusters: []\n", "", "no current-context"},
		{"exec plugin", "current-context: x\nclusters:\n- name: c\n  cluster: {server: https://h}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user:\n    exec: {command: aws}\n", "", "exec credential plugins are not supported"},
		{"missing cert file", "current-context: x\nclusters:\n- name: c\n  cluster: {server: https://h, certificate-authority: nope.crt}\ncontexts:\n- name: x\n  context: {cluster: c}\n", "", "certificate-authority"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kc, err := LoadKubeconfigFile(writeFile(t, dir, strings.ReplaceAll(tt.name, " ", "-"), tt.content))
			if err == nil {
				_, _, err = kc.ClientConfig(Overrides{Context: tt.context})
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	if _, err := LoadKubeconfig(filepath.Join(dir, "absent")); err == nil {
		t.Error("an explicit kubeconfig path that does not exist must be an error")
	}
	if _, err := New(&Config{Host: "https://h", Insecure: true, CAData: []byte("x")}); err == nil {
		t.Error("a CA with insecure-skip-tls-verify must be refused")
	}
}

func TestInClusterConfig(t *testing.T) {
	ca := newTestCA(t)
	srv := whoAmI(t, ca, "")
	dir := t.TempDir()
	writeFile(t, dir, "ca.crt", string(ca.PEM))
	writeFile(t, dir, "token", "pod-token")
	host := strings.TrimPrefix(srv.URL, "https://")
	env := map[string]string{
		"KUBERNETES_SERVICE_HOST": host[:strings.LastIndex(host, ":")],
		"KUBERNETES_SERVICE_PORT": host[strings.LastIndex(host, ":")+1:],
	}
	cfg, err := inClusterConfig(func(k string) string { return env[k] }, dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := whoFrom(t, cfg); got != "token-pod-token" {
		t.Errorf("authenticated as %q", got)
	}
	if _, err := inClusterConfig(func(string) string { return "" }, dir); err != ErrNotInCluster {
		t.Errorf("outside a pod: %v, want ErrNotInCluster", err)
	}
}
