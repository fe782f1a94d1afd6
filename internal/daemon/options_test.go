package daemon

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func TestOptionsFlags(t *testing.T) {
	tests := []struct {
		name      string
		serving   bool
		wantFlags []string
		noFlags   []string
	}{
		{name: "with secure serving", serving: true,
			wantFlags: []string{"log-format", "v", "config", "bind-address", "secure-port", "cert-dir", "tls-cert-file", "tls-private-key-file", "tls-min-version"}},
		{name: "without (kube-proxy)", wantFlags: []string{"log-format", "v", "config"}, noFlags: []string{"secure-port"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var serving *SecureServingOptions
			if tt.serving {
				serving = NewSecureServingOptions(10259, "", "kube-scheduler")
			}
			o := NewOptions("kube-scheduler", serving)
			fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
			o.AddFlags(fs)
			for _, name := range tt.wantFlags {
				if fs.Lookup(name) == nil {
					t.Errorf("flag --%s not registered", name)
				}
			}
			for _, name := range tt.noFlags {
				if fs.Lookup(name) != nil {
					t.Errorf("flag --%s registered", name)
				}
			}
			if err := o.Validate(); err != nil {
				t.Errorf("defaults do not validate: %v", err)
			}
		})
	}
}

func TestOptionsValidateReportsEveryFlag(t *testing.T) {
	o := NewOptions("kube-scheduler", NewSecureServingOptions(10259, "", "kube-scheduler"))
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	o.AddFlags(fs)
	if err := fs.Parse([]string{"--log-format=xml", "--secure-port=-1"}); err != nil {
		t.Fatal(err)
	}
	err := o.Validate()
	for _, want := range []string{"--log-format", "--secure-port"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want it to name %s", err, want)
		}
	}
}

func TestOptionsLoadConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	os.WriteFile(path, []byte("leaderElection: {leaseDuration: 20s}\nparallelism: 4\n"), 0o600)
	t.Setenv("KUBE_SCHEDULER_PARALLELISM", "6")

	cfg := defaultTestConfig()
	o := NewOptions("kube-scheduler", nil)
	fs := testConfigFlags(cfg)
	o.AddFlags(fs)
	if err := fs.Parse([]string{"--config=" + path, "--leader-elect=false"}); err != nil {
		t.Fatal(err)
	}
	if err := o.LoadConfig(cfg, fs); err != nil {
		t.Fatal(err)
	}
	if cfg.LeaderElection.LeaseDuration.Duration != 20*time.Second || cfg.Parallelism != 6 || cfg.LeaderElection.LeaderElect {
		t.Errorf("got %+v", cfg)
	}
}

func TestEnvPrefix(t *testing.T) {
	for component, want := range map[string]string{
		"kube-scheduler":           "KUBE_SCHEDULER_",
		"cloud-controller-manager": "CLOUD_CONTROLLER_MANAGER_",
		"kubelet":                  "KUBELET_",
	} {
		if got := EnvPrefix(component); got != want {
			t.Errorf("EnvPrefix(%q) = %q, want %q", component, got, want)
		}
	}
}

func TestNewMux(t *testing.T) {
	mux := NewMux(NewHealth(nil), NewRegistry())
	for path, want := range map[string]string{
		"/metrics":         "go_goroutines",
		"/livez":           "ok",
		"/readyz":          "ok",
		"/healthz":         "ok",
		"/readyz/ping":     "ok",
		"/healthz?verbose": "healthz check passed",
	} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		body, _ := io.ReadAll(rec.Body)
		if rec.Code != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("%s: %d %.60q, want 200 with %q", path, rec.Code, body, want)
		}
	}
}
