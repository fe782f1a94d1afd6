package interop

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/skiff-dev/skiff/apiserver/storage/etcdtest"
	"github.com/skiff-dev/skiff/test/process"
	"github.com/skiff-dev/skiff/test/upstream"
)

// Tokens of the identities the tests use, from the apiserver's token file.
const (
	adminToken     = "interop-admin-token"
	schedulerToken = "interop-scheduler-token"
	kcmToken       = "interop-kcm-token"
)

// waitTimeout bounds every wait for an upstream daemon to act; nothing
// waits for it unless something is broken.
const waitTimeout = 60 * time.Second

// cluster is etcd, skiff's kube-apiserver and upstream's control-plane
// daemons on it.
type cluster struct {
	t      *testing.T
	dir    string
	url    string
	saKey  string
	caFile string
	admin  kubernetes.Interface
}

// startCluster starts etcd and skiff's kube-apiserver with RBAC, a token
// file naming the scheduler's and the controller manager's users, and the
// service-account keys the controller manager needs.
func startCluster(t *testing.T) *cluster {
	t.Helper()
	c := &cluster{t: t, dir: t.TempDir()}
	tokens := filepath.Join(c.dir, "tokens.csv")
	writeFile(t, tokens, adminToken+`,admin,uid-admin,"system:masters"`+"\n"+
		schedulerToken+",system:kube-scheduler,uid-scheduler\n"+
		kcmToken+",system:kube-controller-manager,uid-kcm\n")
	c.saKey = filepath.Join(c.dir, "sa.key")
	writeFile(t, c.saKey, string(rsaKeyPEM(t)))
	c.caFile = filepath.Join(c.dir, "ca.crt")
	writeFile(t, c.caFile, string(selfSignedCA(t)))
	p := process.Start(t, "kube-apiserver",
		"--etcd-servers="+strings.Join(etcdtest.Start(t), ","),
		"--secure-port=0", "--bind-address=127.0.0.1", "--cert-dir="+filepath.Join(c.dir, "certs"),
		"--token-auth-file="+tokens, "--authorization-mode=RBAC",
		"--service-account-key-file="+c.saKey, "--service-account-signing-key-file="+c.saKey,
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
	)
	c.url = "https://" + p.Address("secure-serving")
	// The test's own client speaks protobuf both ways, as upstream's
	// daemons do (kubectl, in test/apiserver, speaks JSON).
	cfg := c.restConfig(adminToken)
	cfg.ContentType = "application/vnd.kubernetes.protobuf"
	cfg.AcceptContentTypes = "application/vnd.kubernetes.protobuf,application/json"
	admin, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.admin = admin
	c.eventually("the apiserver is ready", func() (bool, string) {
		body, err := admin.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(context.Background())
		return err == nil, fmt.Sprintf("%s %v", body, err)
	})
	return c
}

func (c *cluster) restConfig(token string) *rest.Config {
	return &rest.Config{Host: c.url, BearerToken: token, TLSClientConfig: rest.TLSClientConfig{Insecure: true}}
}

// kubeconfig writes a kubeconfig for token and returns its path.
func (c *cluster) kubeconfig(name, token string) string {
	path := filepath.Join(c.dir, name+".kubeconfig")
	writeFile(c.t, path, fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: skiff
  cluster: {server: %q, insecure-skip-tls-verify: true}
contexts:
- name: skiff
  context: {cluster: skiff, user: %s}
current-context: skiff
users:
- name: %s
  user: {token: %s}
`, c.url, name, name, token))
	return path
}

// daemon is one of upstream's daemons, its output kept for failures.
type daemon struct {
	name string
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{}
}

func (d *daemon) Write(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.out.Write(p)
}

// tail is the end of the daemon's output.
func (d *daemon) tail() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.out.String()
	if len(s) > 6000 {
		s = s[len(s)-6000:]
	}
	return s
}

// startUpstream starts upstream's daemon name with args (see
// startDaemon).
func (c *cluster) startUpstream(name string, args ...string) *daemon {
	c.t.Helper()
	return startDaemon(c.t, name, args...)
}

// startDaemon starts upstream's daemon name with args, stopped when the
// test ends; its output is logged if the test failed.
func startDaemon(t *testing.T, name string, args ...string) *daemon {
	t.Helper()
	bin, err := upstream.Daemon(name)
	if err != nil {
		t.Fatal(err)
	}
	d := &daemon{name: name, done: make(chan struct{})}
	d.cmd = exec.Command(bin, args...)
	d.cmd.Stdout, d.cmd.Stderr = d, d
	if err := d.cmd.Start(); err != nil {
		t.Fatalf("start upstream %s: %v", name, err)
	}
	go func() { _ = d.cmd.Wait(); close(d.done) }()
	t.Cleanup(func() {
		_ = d.cmd.Process.Signal(os.Interrupt)
		select {
		case <-d.done:
		case <-time.After(30 * time.Second):
			_ = d.cmd.Process.Kill()
			<-d.done
		}
		if t.Failed() {
			t.Logf("upstream %s output ends:\n%s", name, d.tail())
		}
	})
	return d
}

// eventually polls cond (the daemons are other processes: polling is the
// only way to see them act) until it holds or waitTimeout passes.
func (c *cluster) eventually(what string, cond func() (bool, string)) {
	c.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		ok, last := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("%s: not within %s (last: %s)", what, waitTimeout, last)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

func rsaKeyPEM(t *testing.T) []byte {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
}

// selfSignedCA is a CA certificate for --root-ca-file, which the
// controller manager publishes in every namespace.
func selfSignedCA(t *testing.T) []byte {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "interop-ca"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
