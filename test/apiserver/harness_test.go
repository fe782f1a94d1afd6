package apiserver

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/apiserver/storage/etcdtest"
	"github.com/skiff-dev/skiff/test/process"
	"github.com/skiff-dev/skiff/test/upstream"
)

// adminToken authenticates as "admin" in system:masters; viewerToken as
// "viewer", who holds no role.
const (
	adminToken  = "admin-token-for-tests"
	viewerToken = "viewer-token-for-tests"
)

func writeRSAKey(t *testing.T, path string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der := x509.MarshalPKCS1PrivateKey(key)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// cluster is a real etcd and a kube-apiserver process, and the real kubectl
// pointed at them.
type cluster struct {
	t          *testing.T
	apiserver  *process.Proc
	url        string
	kubeconfig string
	kubectlBin string
}

func startCluster(t *testing.T, extraArgs ...string) *cluster {
	t.Helper()
	return startAPIServer(t, etcdtest.Start(t), extraArgs...)
}

// startAPIServer starts one kube-apiserver on the given etcd.
func startAPIServer(t *testing.T, endpoints []string, extraArgs ...string) *cluster {
	t.Helper()
	kubectl, err := upstream.Kubectl()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens.csv")
	if err := os.WriteFile(tokens, []byte(adminToken+`,admin,uid-admin,"system:masters"`+"\n"+viewerToken+",viewer,uid-viewer\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	saKey := filepath.Join(dir, "sa.key")
	writeRSAKey(t, saKey)
	args := append([]string{
		"--etcd-servers=" + strings.Join(endpoints, ","),
		"--secure-port=0", "--bind-address=127.0.0.1", "--cert-dir=" + t.TempDir(),
		"--token-auth-file=" + tokens, "--authorization-mode=RBAC",
		"--service-account-key-file=" + saKey, "--service-account-signing-key-file=" + saKey,
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
	}, extraArgs...)
	p := process.Start(t, "kube-apiserver", args...)
	c := &cluster{t: t, apiserver: p, url: "https://" + p.Address("secure-serving"), kubectlBin: kubectl}
	deadline := time.Now().Add(30 * time.Second)
	for { // another process: poll its readiness
		if readyz(c.url) == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("kube-apiserver not ready within 30s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.kubeconfig = filepath.Join(t.TempDir(), "kubeconfig")
	kc := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: skiff
  cluster: {server: %q, insecure-skip-tls-verify: true}
contexts:
- name: skiff
  context: {cluster: skiff, user: admin}
current-context: skiff
users:
- name: admin
  user: {token: %s}
`, c.url, adminToken)
	if err := os.WriteFile(c.kubeconfig, []byte(kc), 0o600); err != nil {
		t.Fatal(err)
	}
	return c
}

// kubectl runs kubectl with stdin (may be "") and returns its output.
func (c *cluster) kubectl(stdin string, args ...string) (stdout, stderr string, err error) {
	return c.kubectlEnv(nil, stdin, args...)
}

// kubectlEnv is kubectl with extra environment variables.
func (c *cluster) kubectlEnv(env []string, stdin string, args ...string) (stdout, stderr string, err error) {
	cmd := exec.Command(c.kubectlBin, args...)
	cmd.Env = append(append(os.Environ(), "KUBECONFIG="+c.kubeconfig, "HOME="+c.t.TempDir()), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	return out.String(), errb.String(), err
}

// ok runs kubectl and fails the test if it fails.
func (c *cluster) ok(stdin string, args ...string) string {
	c.t.Helper()
	out, errOut, err := c.kubectl(stdin, args...)
	if err != nil {
		c.t.Fatalf("kubectl %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// eventually runs kubectl until it succeeds (what it waits for happens in
// the server, asynchronously: polling is the only way to see it), failing
// the test after 10 seconds.
func (c *cluster) eventually(what string, args ...string) {
	c.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, errOut, err := c.kubectl("", args...)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("%s: kubectl %s still fails: %v\n%s", what, strings.Join(args, " "), err, errOut)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// fails runs kubectl, which must fail with stderr containing want.
func (c *cluster) fails(want, stdin string, args ...string) {
	c.t.Helper()
	out, errOut, err := c.kubectl(stdin, args...)
	if err == nil {
		c.t.Fatalf("kubectl %s succeeded, want an error containing %q\nstdout: %s", strings.Join(args, " "), want, out)
	}
	if !strings.Contains(errOut, want) {
		c.t.Errorf("kubectl %s: stderr %q, want it to contain %q", strings.Join(args, " "), errOut, want)
	}
}

// readyz asks the server's /readyz as the admin (anonymous requests may be
// off) and returns the status code (0 when it cannot connect).
func readyz(url string) int {
	req, err := http.NewRequest(http.MethodGet, url+"/readyz", nil)
	if err != nil {
		return 0
	}
	req.Header.Set("Authorization", "Bearer "+adminToken)
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // the test server's self-signed certificate
	}}
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}
