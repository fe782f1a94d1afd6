package controlplane

import (
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/internal/daemon"
	"github.com/skiff-dev/skiff/internal/daemon/leaderelection"
)

func TestConfigValidate(t *testing.T) {
	valid := func() *Config {
		return &Config{
			ClientConnection: daemon.NewClientConnection(50, 100),
			LeaderElection:   leaderelection.NewOptions(true, "kube-scheduler"),
			kind:             "KubeSchedulerConfiguration",
		}
	}
	tests := []struct {
		name   string
		change func(*Config)
		want   string // "" for valid
	}{
		{"defaults", func(*Config) {}, ""},
		{"its own kind", func(c *Config) { c.Kind = "KubeSchedulerConfiguration" }, ""},
		{"another kind", func(c *Config) { c.Kind = "KubeletConfiguration" }, `kind: Unsupported value: "KubeletConfiguration"`},
		{"negative qps", func(c *Config) { c.ClientConnection.QPS = -2 }, "clientConnection.qps"},
		{"unlimited qps", func(c *Config) { c.ClientConnection.QPS = -1 }, ""},
		{"negative burst", func(c *Config) { c.ClientConnection.Burst = -1 }, "clientConnection.burst"},
		{"renew past lease", func(c *Config) { c.LeaderElection.RenewDeadline.Duration = time.Minute }, "leaderElection.renewDeadline"},
		{"election off skips its checks", func(c *Config) {
			c.LeaderElection.LeaderElect = false
			c.LeaderElection.RenewDeadline.Duration = time.Minute
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid()
			tt.change(c)
			err := c.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestCommandHasUpstreamFlags(t *testing.T) {
	cmd := NewCommand(Spec{Name: "kube-scheduler", SecurePort: 10259, QPS: 50, Burst: 100})
	for flag, def := range map[string]string{
		"secure-port": "10259", "kube-api-qps": "50", "kube-api-burst": "100", "leader-elect": "true",
		"leader-elect-lease-duration": "15s", "leader-elect-renew-deadline": "10s", "leader-elect-retry-period": "2s",
		"leader-elect-resource-name": "kube-scheduler", "leader-elect-resource-namespace": "kube-system",
		"kubeconfig": "", "master": "", "config": "", "log-format": "json",
	} {
		f := cmd.Flags().Lookup(flag)
		if f == nil {
			t.Errorf("--%s missing", flag)
			continue
		}
		if f.DefValue != def {
			t.Errorf("--%s defaults to %q, want %q", flag, f.DefValue, def)
		}
	}
}
