package app

import (
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"defaults", func(*Config) {}, ""},
		{"bad address", func(c *Config) { c.Address = "localhost" }, "address: Invalid value"},
		{"port zero", func(c *Config) { c.Port = 0 }, "port: Invalid value"},
		{"healthz off", func(c *Config) { c.HealthzPort = 0; c.HealthzBindAddress = "" }, ""},
		{"healthz address", func(c *Config) { c.HealthzBindAddress = "nope" }, "healthzBindAddress"},
		{"cert without key", func(c *Config) { c.TLSCertFile = "/x.crt" }, "tlsPrivateKeyFile"},
		{"wrong kind", func(c *Config) { c.Kind = "KubeProxyConfiguration" }, "kind: Unsupported value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewConfig()
			tt.change(c)
			err := c.Validate()
			if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Validate() = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestUpstreamDefaults(t *testing.T) {
	cmd := NewCommand()
	for flag, def := range map[string]string{
		"port": "10250", "address": "0.0.0.0", "healthz-port": "10248", "healthz-bind-address": "127.0.0.1",
		"kube-api-qps": "50", "kube-api-burst": "100", "cert-dir": "/var/lib/kubelet/pki",
	} {
		if f := cmd.Flags().Lookup(flag); f == nil || f.DefValue != def {
			t.Errorf("--%s: %+v, want default %q", flag, f, def)
		}
	}
	s := NewConfig().secureServing()
	if s.BindPort != 10250 || s.PairName != "kubelet" || s.BindAddress.String() != "0.0.0.0" {
		t.Errorf("secure serving %+v", s)
	}
}
