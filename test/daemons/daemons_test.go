package daemons

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/apiserver/storage/etcdtest"
	"github.com/skiff-dev/skiff/internal/fakeapi"
	"github.com/skiff-dev/skiff/test/process"
)

// kubeconfigFor writes a kubeconfig that points at srv.
func kubeconfigFor(t *testing.T, srv *fakeapi.Server) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kubeconfig")
	content := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: test
  cluster: {server: %q}
contexts:
- name: test
  context: {cluster: test, user: test}
current-context: test
users:
- name: test
  user: {}
`, srv.URL())
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Every binary starts, answers /livez, /readyz and /metrics on its
// endpoints and stops on SIGTERM with exit code 0.
func TestEachBinaryServesHealthAndMetricsAndStops(t *testing.T) {
	srv := fakeapi.New(t)
	kubeconfig := kubeconfigFor(t, srv)
	elected := []string{"--secure-port=0", "--kubeconfig=" + kubeconfig, "--leader-elect=false"}
	tests := []struct {
		bin  string
		args func(t *testing.T) []string
		// server name → scheme; every server must answer /livez and
		// /readyz (or /healthz), and metrics must be on the first.
		servers []string
		scheme  string
	}{
		{"kube-apiserver", func(t *testing.T) []string {
			return []string{"--secure-port=0", "--bind-address=127.0.0.1", "--cert-dir=" + t.TempDir(),
				"--etcd-servers=" + strings.Join(etcdtest.Start(t), ",")}
		}, []string{"secure-serving"}, "https"},
		{"kube-scheduler", func(*testing.T) []string { return elected }, []string{"secure-serving"}, "https"},
		{"kube-controller-manager", func(*testing.T) []string { return elected }, []string{"secure-serving"}, "https"},
		{"cloud-controller-manager", func(*testing.T) []string { return elected }, []string{"secure-serving"}, "https"},
		{"kubelet", func(t *testing.T) []string {
			return []string{"--address=127.0.0.1", fmt.Sprintf("--port=%d", process.FreePort(t)), fmt.Sprintf("--healthz-port=%d", process.FreePort(t)),
				"--cert-dir=" + t.TempDir(), "--kubeconfig=" + kubeconfig}
		}, []string{"secure-serving", "healthz"}, "https"},
		{"kube-proxy", func(*testing.T) []string {
			return []string{"--kubeconfig=" + kubeconfig, "--metrics-bind-address=127.0.0.1:0", "--healthz-bind-address=127.0.0.1:0"}
		}, []string{"metrics", "healthz"}, "http"},
	}
	for _, tt := range tests {
		t.Run(tt.bin, func(t *testing.T) {
			p := process.Start(t, tt.bin, tt.args(t)...)
			for i, server := range tt.servers {
				scheme := tt.scheme
				if server == "healthz" {
					scheme = "http"
				}
				base := scheme + "://" + p.Address(server)
				if server != "healthz" {
					// Ready once its parts are (the apiserver fills its
					// watch caches first): wait, as a load balancer would.
					eventually(t, 30*time.Second, tt.bin+" ready", func() bool {
						code, _ := process.Get(t, base+"/readyz")
						return code == 200
					})
				}
				for _, path := range []string{"/livez", "/readyz", "/healthz"} {
					if server == "healthz" && path == "/readyz" {
						continue // the healthz ports serve liveness only, as upstream
					}
					if code, body := process.Get(t, base+path); code != 200 || body != "ok" {
						t.Errorf("%s %s: %d %q, want 200 ok", server, path, code, body)
					}
				}
				if i == 0 {
					code, body := process.Get(t, base+"/metrics")
					if code != 200 {
						t.Fatalf("/metrics: %d", code)
					}
					for _, want := range []string{"go_goroutines", "process_resident_memory_bytes"} {
						if !strings.Contains(body, want) {
							t.Errorf("/metrics lacks %s", want)
						}
					}
					if code, body := process.Get(t, base+"/readyz?verbose"); code != 200 || !strings.Contains(body, "[+]shutdown ok") {
						t.Errorf("/readyz?verbose: %d %q", code, body)
					}
				}
			}
			if err := p.Stop(); err != nil {
				t.Errorf("exit after SIGTERM: %v, want code 0", err)
			}
		})
	}
}

// A bad configuration stops the daemon at once with an error that names
// the field.
func TestBadConfigurationNamesTheField(t *testing.T) {
	srv := fakeapi.New(t)
	kubeconfig := kubeconfigFor(t, srv)
	tests := []struct {
		name, file, want string
	}{
		{"unknown field", "leaderElection:\n  leaseDurationn: 10s\n", "leaseDurationn"},
		{"invalid value", "leaderElection:\n  leaderElect: true\n  renewDeadline: 20s\n", "leaderElection.renewDeadline"},
		{"wrong type", "clientConnection:\n  qps: lots\n", "clientConnection.qps"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(path, []byte(tt.file), 0o600); err != nil {
				t.Fatal(err)
			}
			p := process.Start(t, "kube-scheduler", "--config="+path, "--kubeconfig="+kubeconfig, "--secure-port=0")
			if err := p.Wait(); err == nil {
				t.Fatal("the daemon started with a bad configuration")
			}
			if log := p.Log(); !strings.Contains(log, tt.want) {
				t.Errorf("error output %q does not name %q", log, tt.want)
			}
		})
	}
}
