package bench

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/apiserver/storage/etcdtest"
	"github.com/skiff-dev/skiff/test/process"
	upstreambuild "github.com/skiff-dev/skiff/test/upstream"
)

// upstreamDaemon builds (once) and returns upstream's command name.
var upstreamDaemon = upstreambuild.Daemon

// kind names whose kube-apiserver runs.
type kind string

const (
	skiff    kind = "skiff"
	upstream kind = "upstream"
)

// kinds are the servers every benchmark compares, in order.
var kinds = []kind{skiff, upstream}

const (

	// adminToken authenticates as "admin" in system:masters on both servers.
	adminToken = "bench-admin-token"

	readyTimeout = 2 * time.Minute
	stopTimeout  = 30 * time.Second
)

// apiserver is one kube-apiserver process on its own fresh etcd.
type apiserver struct {
	kind kind
	url  string // https://127.0.0.1:port
	etcd string // the client URL of its etcd
	cmd  *exec.Cmd
	log  string // the file holding its stdout and stderr

	exited   chan struct{}
	stopOnce sync.Once
}

// binary returns the kube-apiserver of k: skiff's built from source,
// upstream's v1.31.3 built from the Go module proxy by test/upstream (the
// first time: a few minutes; cached in ~/.cache/skiff afterwards).
func binary(tb testing.TB, k kind) string {
	tb.Helper()
	if k == upstream {
		bin, err := upstreamDaemon("kube-apiserver")
		if err != nil {
			tb.Fatalf("build upstream's kube-apiserver: %v", err)
		}
		return bin
	}
	dir, err := process.Binaries()
	if err != nil {
		tb.Fatalf("build skiff's binaries: %v", err)
	}
	return filepath.Join(dir, "kube-apiserver")
}

// startAPIServer starts a fresh etcd and the kube-apiserver of k on it with
// the flags both implement, and waits until /readyz answers 200. The server
// is stopped when tb ends, or earlier by stop.
func startAPIServer(tb testing.TB, k kind) *apiserver {
	tb.Helper()
	bin := binary(tb, k)
	endpoints := etcdtest.Start(tb)
	dir := tb.TempDir()
	tokens := filepath.Join(dir, "tokens.csv")
	writeFile(tb, tokens, []byte(adminToken+`,admin,uid-admin,"system:masters"`+"\n"))
	saKey := filepath.Join(dir, "sa.key")
	writeFile(tb, saKey, rsaKeyPEM(tb))
	port, err := freePort()
	if err != nil {
		tb.Fatal(err)
	}
	args := []string{
		"--etcd-servers=" + strings.Join(endpoints, ","),
		"--bind-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(port),
		"--cert-dir=" + filepath.Join(dir, "certs"),
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + saKey,
		"--service-account-signing-key-file=" + saKey,
		"--token-auth-file=" + tokens,
		"--authorization-mode=RBAC",
		"--disable-admission-plugins=ServiceAccount",
	}
	if profiling(k) {
		args = append(args, "--profiling")
	}
	s := &apiserver{kind: k, url: "https://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), etcd: endpoints[0],
		log: filepath.Join(dir, "apiserver.log"), exited: make(chan struct{})}
	logFile, err := os.Create(s.log)
	if err != nil {
		tb.Fatal(err)
	}
	s.cmd = exec.Command(bin, args...)
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	if err := s.cmd.Start(); err != nil {
		logFile.Close()
		tb.Fatalf("start %s: %v", bin, err)
	}
	go func() {
		_ = s.cmd.Wait()
		logFile.Close()
		close(s.exited)
	}()
	tb.Cleanup(s.stop)
	if err := s.waitReady(); err != nil {
		tb.Fatalf("%s kube-apiserver: %v\nits log ends:\n%s", k, err, s.logTail())
	}
	return s
}

// pid is the apiserver's process id.
func (s *apiserver) pid() int { return s.cmd.Process.Pid }

// stop sends SIGTERM and kills the server if it has not exited in time.
func (s *apiserver) stop() {
	s.stopOnce.Do(func() {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(stopTimeout):
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
	})
}

// waitReady polls /readyz (another process: polling is the only way) until
// it answers 200, the server exits, or readyTimeout passes.
func (s *apiserver) waitReady() error {
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	client := &http.Client{
		Timeout:   5 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}, //nolint:gosec // self-signed serving certificate
	}
	defer client.CloseIdleConnections()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	last := "no answer"
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/readyz", nil)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = resp.Status
		} else {
			last = err.Error()
		}
		select {
		case <-s.exited:
			return fmt.Errorf("exited before it was ready: %v", s.cmd.ProcessState)
		case <-ctx.Done():
			return fmt.Errorf("/readyz not 200 within %s (last: %s)", readyTimeout, last)
		case <-tick.C:
		}
	}
}

// logTail is the last 4 KiB of the server's output.
func (s *apiserver) logTail() string {
	b, err := os.ReadFile(s.log)
	if err != nil {
		return err.Error()
	}
	if len(b) > 4096 {
		b = b[len(b)-4096:]
	}
	return string(b)
}

// rsaKeyPEM is a fresh 2048-bit RSA key for the service-account flags.
func rsaKeyPEM(tb testing.TB) []byte {
	tb.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		tb.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
}

func writeFile(tb testing.TB, path string, data []byte) {
	tb.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		tb.Fatal(err)
	}
}

// freePort returns a loopback port that was free a moment ago (upstream
// refuses --secure-port=0).
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pick a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
