// Package kubeconfig checks that skiff's client reads the kubeconfig files
// the real kubectl writes.
package kubeconfig

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/internal/client"
	"github.com/skiff-dev/skiff/internal/fakeapi"
	"github.com/skiff-dev/skiff/internal/pki"
	"github.com/skiff-dev/skiff/test/upstream"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func write(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestClientReadsWhatKubectlWrites(t *testing.T) {
	kubectl, err := upstream.Kubectl()
	if err != nil {
		t.Fatal(err)
	}
	ca, err := pki.NewCA("skiff-ca", 0)
	if err != nil {
		t.Fatal(err)
	}
	serving, err := ca.Issue(pki.Request{CommonName: "kube-apiserver", IPs: []net.IP{net.ParseIP("127.0.0.1")}, Server: true})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := ca.Issue(pki.Request{CommonName: "kubernetes-admin", Organizations: []string{"system:masters"}})
	if err != nil {
		t.Fatal(err)
	}
	servingTLS, err := serving.TLS()
	if err != nil {
		t.Fatal(err)
	}
	srv := fakeapi.New(t, fakeapi.WithTLS(&servingTLS, ca.Pool()), fakeapi.WithTokens(map[string]string{"s3cret": "token-user"}))

	dir := t.TempDir()
	write(t, dir, "ca.crt", ca.CertPEM)
	write(t, dir, "admin.crt", admin.CertPEM)
	write(t, dir, "admin.key", admin.KeyPEM)
	write(t, dir, "token", []byte("s3cret\n"))
	kubeconfig := filepath.Join(dir, "config")
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(kubectl, append([]string{"--kubeconfig=" + kubeconfig}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("kubectl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	// The commands an operator (or kubeadm's docs) uses to write a kubeconfig.
	run("config", "set-cluster", "embedded", "--server="+srv.URL(), "--certificate-authority="+filepath.Join(dir, "ca.crt"), "--embed-certs=true")
	run("config", "set-cluster", "by-path", "--server="+srv.URL(), "--certificate-authority="+filepath.Join(dir, "ca.crt"))
	run("config", "set-credentials", "admin-embedded", "--client-certificate="+filepath.Join(dir, "admin.crt"), "--client-key="+filepath.Join(dir, "admin.key"), "--embed-certs=true")
	run("config", "set-credentials", "admin-by-path", "--client-certificate="+filepath.Join(dir, "admin.crt"), "--client-key="+filepath.Join(dir, "admin.key"))
	run("config", "set-credentials", "token", "--token=s3cret")
	run("config", "set", "users.token-file.tokenFile", filepath.Join(dir, "token"))
	run("config", "set-context", "embedded", "--cluster=embedded", "--user=admin-embedded", "--namespace=kube-system")
	run("config", "set-context", "by-path", "--cluster=by-path", "--user=admin-by-path")
	run("config", "set-context", "token", "--cluster=embedded", "--user=token")
	run("config", "set-context", "token-file", "--cluster=by-path", "--user=token-file")
	run("config", "use-context", "embedded")

	kc, err := client.LoadKubeconfig(kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ context, user, namespace string }{
		{"", "kubernetes-admin", "kube-system"}, // current-context
		{"by-path", "kubernetes-admin", "default"},
		{"token", "token-user", "default"},
		{"token-file", "token-user", "default"},
	}
	for _, tt := range tests {
		t.Run("context="+tt.context, func(t *testing.T) {
			cfg, ns, err := kc.ClientConfig(client.Overrides{Context: tt.context})
			if err != nil {
				t.Fatal(err)
			}
			if ns != tt.namespace {
				t.Errorf("namespace %q, want %q", ns, tt.namespace)
			}
			c, err := client.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			srv.ResetRequests()
			if _, err := client.For[corev1.ConfigMap](c, client.ConfigMaps).Namespace(ns).List(context.Background(), metav1.ListOptions{}); err != nil {
				t.Fatalf("list through the kubeconfig: %v", err)
			}
			if reqs := srv.Requests(); len(reqs) != 1 || reqs[0].User != tt.user {
				t.Errorf("requests %+v, want one as %q", reqs, tt.user)
			}
		})
	}

	// KUBECONFIG with several files, as kubectl merges them.
	other := filepath.Join(dir, "other")
	cmd := exec.Command(kubectl, "--kubeconfig="+other, "config", "set-context", "elsewhere", "--cluster=missing", "--user=missing")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	t.Setenv("KUBECONFIG", other+string(os.PathListSeparator)+kubeconfig)
	merged, err := client.LoadKubeconfig("")
	if err != nil {
		t.Fatal(err)
	}
	if merged.CurrentContext != "embedded" {
		t.Errorf("merged current-context %q, want the only one set", merged.CurrentContext)
	}
	if _, _, err := merged.ClientConfig(client.Overrides{}); err != nil {
		t.Errorf("merged kubeconfig: %v", err)
	}
}
