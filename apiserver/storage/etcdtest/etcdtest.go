// Package etcdtest starts a real, throw-away etcd (Debian's /usr/bin/etcd,
// 3.4) for integration tests: one member on loopback, random ports, its data
// in t.TempDir(), stopped when the test ends.
//
//	endpoints := etcdtest.Start(t)
//	client := etcdtest.Client(t, endpoints)
package etcdtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"

	"github.com/skiff-dev/skiff/apiserver/storage/etcdcodec"
)

// Binary is the etcd that Start runs, installed by hack/install-deps.sh
// from Debian's etcd-server package.
const Binary = "/usr/bin/etcd"

const (
	readyTimeout = 30 * time.Second
	stopTimeout  = 10 * time.Second
	attempts     = 5
)

// errPortClash: another process took one of the ports between picking it
// and etcd binding it.
var errPortClash = errors.New("port already in use")

// Start runs a fresh single-member etcd and returns its client endpoints once
// it answers. The test fails (never skips) when etcd is missing or does not
// come up.
func Start(t testing.TB) []string {
	t.Helper()
	return start(t, Binary)
}

func start(t testing.TB, binary string) []string {
	t.Helper()
	if _, err := os.Stat(binary); err != nil {
		t.Fatalf("etcdtest: %s is missing (%v): run hack/install-deps.sh to install Debian's etcd-server", binary, err)
		return nil
	}
	base := t.TempDir()
	var lastErr error
	for i := 0; i < attempts; i++ {
		p, err := launchOnFreePorts(binary, filepath.Join(base, fmt.Sprintf("member-%d", i)))
		if err == nil {
			pids.Store(p.clientURL, p.cmd.Process.Pid)
			t.Cleanup(func() {
				p.stop()
				pids.Delete(p.clientURL)
			})
			return []string{p.clientURL}
		}
		lastErr = err
		if !errors.Is(err, errPortClash) {
			break
		}
	}
	t.Fatalf("etcdtest: start etcd: %v", lastErr)
	return nil
}

// pids are the process ids of the etcds Start runs, by client endpoint.
var pids sync.Map // string → int

// PID returns the process id of the etcd Start runs at endpoint, for
// measurements of the process itself; false for any other endpoint.
func PID(endpoint string) (int, bool) {
	pid, ok := pids.Load(endpoint)
	if !ok {
		return 0, false
	}
	return pid.(int), true
}

// Client returns a client of endpoints, closed when the test ends.
func Client(t testing.TB, endpoints []string) *clientv3.Client {
	t.Helper()
	c, err := clientv3.New(clientv3.Config{
		Endpoints:   endpoints,
		DialTimeout: 5 * time.Second,
		Logger:      zap.NewNop(),
		DialOptions: etcdcodec.DialOptions(), // as the apiserver's
	})
	if err != nil {
		t.Fatalf("etcdtest: client of %v: %v", endpoints, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// process is one running etcd.
type process struct {
	cmd       *exec.Cmd
	clientURL string
	exited    chan struct{} // closed once cmd.Wait returns
	stderr    *tailBuffer
}

func launchOnFreePorts(binary, dir string) (*process, error) {
	clientPort, err := freePort()
	if err != nil {
		return nil, err
	}
	peerPort, err := freePort()
	if err != nil {
		return nil, err
	}
	return launch(binary, dir, clientPort, peerPort)
}

// launch starts etcd in dir and waits until it is healthy.
func launch(binary, dir string, clientPort, peerPort int) (*process, error) {
	clientURL := fmt.Sprintf("http://127.0.0.1:%d", clientPort)
	peerURL := fmt.Sprintf("http://127.0.0.1:%d", peerPort)
	cmd := exec.Command(binary, args(dir, clientURL, peerURL)...)
	cmd.Env = environ()
	p := &process{cmd: cmd, clientURL: clientURL, exited: make(chan struct{}), stderr: &tailBuffer{max: 16 << 10}}
	cmd.Stdout = p.stderr
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("run %s: %w", binary, err)
	}
	go func() {
		_ = cmd.Wait()
		close(p.exited)
	}()
	if err := p.waitReady(); err != nil {
		p.stop()
		if strings.Contains(p.stderr.String(), "address already in use") {
			return nil, fmt.Errorf("%w: %v", errPortClash, err)
		}
		return nil, fmt.Errorf("%w; etcd's output:\n%s", err, p.stderr.String())
	}
	return p, nil
}

// args keeps etcd quiet and quick: errors only, short raft ticks (a single
// member has no peer to wait for, and leases as short as 1s work), small
// backend quota.
func args(dir, clientURL, peerURL string) []string {
	return []string{
		"--name=default",
		"--data-dir=" + dir,
		"--listen-client-urls=" + clientURL,
		"--advertise-client-urls=" + clientURL,
		"--listen-peer-urls=" + peerURL,
		"--initial-advertise-peer-urls=" + peerURL,
		"--initial-cluster=default=" + peerURL,
		"--initial-cluster-state=new",
		"--initial-cluster-token=etcdtest",
		"--logger=zap",
		"--log-outputs=stderr",
		"--log-level=error",
		"--heartbeat-interval=10",
		"--election-timeout=100",
		"--snapshot-count=100000",
		"--quota-backend-bytes=" + fmt.Sprint(int64(1)<<30),
	}
}

// environ is the test's environment without ETCD_* variables, which etcd
// would read as flags.
func environ() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ETCD_") {
			env = append(env, kv)
		}
	}
	return env
}

// waitReady polls /health until etcd has a leader and serves reads; it
// gives up as soon as etcd exits.
func (p *process) waitReady() error {
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	go func() {
		select {
		case <-p.exited:
			cancel()
		case <-ctx.Done():
		}
	}()
	client := &http.Client{Timeout: time.Second}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if healthy(ctx, client, p.clientURL) {
			return nil
		}
		select {
		case <-p.exited:
			return fmt.Errorf("etcd at %s exited before it was ready", p.clientURL)
		default:
		}
		select {
		case <-ctx.Done():
			select {
			case <-p.exited:
				return fmt.Errorf("etcd at %s exited before it was ready", p.clientURL)
			default:
			}
			return fmt.Errorf("etcd at %s not healthy after %s", p.clientURL, readyTimeout)
		case <-tick.C:
		}
	}
}

func healthy(ctx context.Context, client *http.Client, url string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/health", nil)
	if err != nil {
		return false
	}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	_, _ = body.ReadFrom(io.LimitReader(resp.Body, 4096))
	return resp.StatusCode == http.StatusOK && strings.Contains(body.String(), `"health":"true"`)
}

// stop sends SIGTERM, then kills etcd if it has not exited in time.
func (p *process) stop() {
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	timer := time.NewTimer(stopTimeout)
	defer timer.Stop()
	select {
	case <-p.exited:
	case <-timer.C:
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pick a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
