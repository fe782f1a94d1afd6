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
		{"metrics off", func(c *Config) { c.MetricsBindAddress = "" }, ""},
		{"bad metrics address", func(c *Config) { c.MetricsBindAddress = "10249" }, "metricsBindAddress"},
		{"bad healthz address", func(c *Config) { c.HealthzBindAddress = "nowhere:x" }, "healthzBindAddress"},
		{"wrong kind", func(c *Config) { c.Kind = "KubeletConfiguration" }, "kind: Unsupported value"},
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
		"metrics-bind-address": "127.0.0.1:10249", "healthz-bind-address": "0.0.0.0:10256",
		"kube-api-qps": "5", "kube-api-burst": "10",
	} {
		if f := cmd.Flags().Lookup(flag); f == nil || f.DefValue != def {
			t.Errorf("--%s: %+v, want default %q", flag, f, def)
		}
	}
}
