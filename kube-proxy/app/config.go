package app

import (
	"github.com/spf13/pflag"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/internal/daemon"
)

// Config is the part of upstream's KubeProxyConfiguration this build reads,
// with its field names.
type Config struct {
	APIVersion         string                  `json:"apiVersion,omitempty"`
	Kind               string                  `json:"kind,omitempty"`
	ClientConnection   daemon.ClientConnection `json:"clientConnection"`
	MetricsBindAddress daemon.HTTPAddress      `json:"metricsBindAddress"`
	HealthzBindAddress daemon.HTTPAddress      `json:"healthzBindAddress"`
	HostnameOverride   string                  `json:"hostnameOverride"`
}

// NewConfig returns upstream's defaults.
func NewConfig() *Config {
	return &Config{
		ClientConnection:   daemon.NewClientConnection(5, 10),
		MetricsBindAddress: "127.0.0.1:10249",
		HealthzBindAddress: "0.0.0.0:10256",
	}
}

// AddFlags registers upstream's flags for these fields.
func (c *Config) AddFlags(fs *pflag.FlagSet) {
	c.ClientConnection.AddFlags(fs)
	fs.Var(&c.MetricsBindAddress, "metrics-bind-address",
		"The IP address and port for the metrics server to serve on; empty disables it.")
	fs.Var(&c.HealthzBindAddress, "healthz-bind-address",
		"The IP address and port for the health check server to serve on; empty disables it.")
	fs.StringVar(&c.HostnameOverride, "hostname-override", c.HostnameOverride,
		"If non-empty, use this string as the node's name instead of the host name.")
}

// Validate names every bad field by its path in the file.
func (c *Config) Validate() error {
	var errs field.ErrorList
	if c.Kind != "" && c.Kind != "KubeProxyConfiguration" {
		errs = append(errs, field.NotSupported(field.NewPath("kind"), c.Kind, []string{"KubeProxyConfiguration"}))
	}
	for _, a := range []struct {
		name string
		addr daemon.HTTPAddress
	}{{"metricsBindAddress", c.MetricsBindAddress}, {"healthzBindAddress", c.HealthzBindAddress}} {
		if a.addr.Enabled() {
			if err := a.addr.Validate(); err != nil {
				errs = append(errs, field.Invalid(field.NewPath(a.name), string(a.addr), err.Error()))
			}
		}
	}
	return errs.ToAggregate()
}
