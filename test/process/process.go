// Package process runs skiff's binaries for tests: built once from
// source, started as processes whose JSON logs are read, probed and stopped.
package process

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
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
)

// binaries maps each binary to its module folder.
var binaries = map[string]string{
	"kube-apiserver":           "apiserver",
	"kube-scheduler":           "scheduler",
	"kube-controller-manager":  "controller-manager",
	"cloud-controller-manager": "cloud-controller-manager",
	"kubelet":                  "kubelet",
	"kube-proxy":               "kube-proxy",
}

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// raceEnv names an environment variable: when it is "1" the binaries are
// built with the race detector (and cgo, which it needs), so that the
// end-to-end suites check the daemons for data races too.
const raceEnv = "SKIFF_E2E_RACE"

// Binaries builds the six binaries (once per test process) and returns
// the folder holding them.
func Binaries() (string, error) {
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "skiff-bin-")
		if err != nil {
			buildErr = err
			return
		}
		args := []string{"build", "-o", dir + "/"}
		// Static binaries, as `make build` makes them: nothing needs cgo,
		// and without libc mapped a daemon is a megabyte smaller.
		env := "CGO_ENABLED=0"
		if os.Getenv(raceEnv) == "1" {
			args, env = append(args, "-race"), "CGO_ENABLED=1"
		}
		for _, mod := range binaries {
			args = append(args, "github.com/skiff-dev/skiff/"+mod)
		}
		build := exec.Command("go", args...)
		build.Env = append(os.Environ(), env)
		if out, err := build.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("building the binaries: %v\n%s", err, out)
			return
		}
		// go build names each binary after its module folder.
		for bin, mod := range binaries {
			if err := os.Rename(filepath.Join(dir, mod), filepath.Join(dir, bin)); err != nil {
				buildErr = err
				return
			}
		}
		binDir = dir
	})
	return binDir, buildErr
}

// Proc is a running daemon whose JSON log the test reads.
type Proc struct {
	t    *testing.T
	name string
	cmd  *exec.Cmd

	mu      sync.Mutex
	log     bytes.Buffer
	serving map[string]string // server name → address
	changed chan struct{}     // poked on every log line
	exited  chan struct{}
	err     error
}

// Start runs bin with args; it is killed at the test's end if still running.
func Start(t *testing.T, bin string, args ...string) *Proc {
	t.Helper()
	dir, err := Binaries()
	if err != nil {
		t.Fatal(err)
	}
	p := &Proc{t: t, name: bin, serving: map[string]string{}, changed: make(chan struct{}, 1), exited: make(chan struct{})}
	p.cmd = exec.Command(filepath.Join(dir, bin), args...)
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go p.read(stderr)
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
		if log := p.Log(); strings.Contains(log, raceReport) {
			t.Errorf("%s reported a data race (built with %s=1):\n%s", bin, raceEnv, log)
		} else if t.Failed() {
			t.Logf("%s log:\n%s", bin, log)
		}
	})
	return p
}

// raceReport starts every report of the race detector.
const raceReport = "WARNING: DATA RACE"

func (p *Proc) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var entry struct {
			Msg     string `json:"msg"`
			Server  string `json:"server"`
			Address string `json:"address"`
		}
		p.mu.Lock()
		p.log.Write(line)
		p.log.WriteByte('\n')
		if json.Unmarshal(line, &entry) == nil && entry.Msg == "serving" {
			p.serving[entry.Server] = entry.Address
		}
		p.mu.Unlock()
		p.poke()
	}
	p.err = p.cmd.Wait()
	close(p.exited)
	p.poke()
}

func (p *Proc) poke() {
	select {
	case p.changed <- struct{}{}:
	default:
	}
}

// Log is what the daemon has logged so far.
func (p *Proc) Log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// Address waits for the daemon to log that server is serving, and returns
// a loopback host:port for it.
func (p *Proc) Address(server string) string {
	p.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		p.mu.Lock()
		addr, ok := p.serving[server]
		p.mu.Unlock()
		if ok {
			_, port, _ := net.SplitHostPort(addr)
			return net.JoinHostPort("127.0.0.1", port)
		}
		select {
		case <-p.changed:
		case <-p.exited:
			p.t.Fatalf("%s exited before serving %s: %v", p.name, server, p.err)
		case <-deadline:
			p.t.Fatalf("%s never served %s", p.name, server)
		}
	}
}

// Stop sends SIGTERM and returns the exit error (nil for exit code 0); the
// daemon must stop within its bounded grace period.
func (p *Proc) Stop() error {
	p.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		p.t.Fatal(err)
	}
	select {
	case <-p.exited:
		return p.err
	case <-time.After(40 * time.Second):
		p.t.Fatalf("%s did not stop within 40s of SIGTERM", p.name)
		return nil
	}
}

// Wait returns the exit error once the daemon exits by itself.
func (p *Proc) Wait() error {
	select {
	case <-p.exited:
		return p.err
	case <-time.After(20 * time.Second):
		p.t.Fatalf("%s did not exit", p.name)
		return nil
	}
}

var insecure = &http.Client{
	Timeout:   5 * time.Second,
	Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}, //nolint:gosec // self-signed serving certificates
}

// Get fetches url and returns the status code and body.
func Get(t *testing.T, url string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := insecure.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// FreePort returns a loopback port nothing listens on right now, for the
// flags whose upstream validation refuses port 0.
func FreePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// MetricValue reads one series' value from a /metrics body.
func MetricValue(body, series string) (string, bool) {
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, series+" ") {
			return strings.TrimPrefix(line, series+" "), true
		}
	}
	return "", false
}

// Signal sends sig to the daemon.
func (p *Proc) Signal(sig os.Signal) error { return p.cmd.Process.Signal(sig) }
