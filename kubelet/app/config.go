package app

import (
	"net"

	"github.com/spf13/pflag"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/internal/daemon"
)

// Config is the part of upstream's KubeletConfiguration this build reads,
// with its field names.
type Config struct {
	APIVersion         string  `json:"apiVersion,omitempty"`
	Kind               string  `json:"kind,omitempty"`
	Address            string  `json:"address"`
	Port               int32   `json:"port"`
	HealthzBindAddress string  `json:"healthzBindAddress"`
	HealthzPort        int32   `json:"healthzPort"`
	TLSCertFile        string  `json:"tlsCertFile"`
	TLSPrivateKeyFile  string  `json:"tlsPrivateKeyFile"`
	KubeAPIQPS         float32 `json:"kubeAPIQPS"`
	KubeAPIBurst       int32   `json:"kubeAPIBurst"`

	// Flags only, as upstream.
	Kubeconfig string `json:"-"`
	CertDir    string `json:"-"`
}

// NewConfig returns upstream's defaults.
func NewConfig() *Config {
	return &Config{
		Address:            "0.0.0.0",
		Port:               10250,
		HealthzBindAddress: "127.0.0.1",
		HealthzPort:        10248,
		KubeAPIQPS:         50,
		KubeAPIBurst:       100,
		CertDir:            "/var/lib/kubelet/pki",
	}
}

// AddFlags registers upstream's flags for these fields.
func (c *Config) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&c.Address, "address", c.Address, "The IP address for the Kubelet to serve on (0.0.0.0 or :: for all interfaces).")
	fs.Int32Var(&c.Port, "port", c.Port, "The port for the Kubelet to serve on.")
	fs.StringVar(&c.HealthzBindAddress, "healthz-bind-address", c.HealthzBindAddress, "The IP address for the healthz server to serve on.")
	fs.Int32Var(&c.HealthzPort, "healthz-port", c.HealthzPort, "The port of the localhost healthz endpoint (0 disables it).")
	fs.StringVar(&c.TLSCertFile, "tls-cert-file", c.TLSCertFile, "File containing the x509 certificate for HTTPS. Without it, a self-signed pair is generated in --cert-dir.")
	fs.StringVar(&c.TLSPrivateKeyFile, "tls-private-key-file", c.TLSPrivateKeyFile, "File containing the x509 private key matching --tls-cert-file.")
	fs.Float32Var(&c.KubeAPIQPS, "kube-api-qps", c.KubeAPIQPS, "QPS to use while talking with the API server.")
	fs.Int32Var(&c.KubeAPIBurst, "kube-api-burst", c.KubeAPIBurst, "Burst to use while talking with the API server.")
	fs.StringVar(&c.Kubeconfig, "kubeconfig", c.Kubeconfig, "Path to a kubeconfig file saying how to reach the API server. Empty runs the kubelet standalone.")
	fs.StringVar(&c.CertDir, "cert-dir", c.CertDir, "The directory where the TLS certificates are kept. Ignored when --tls-cert-file and --tls-private-key-file are set.")
}

// Validate names every bad field by its path in the file.
func (c *Config) Validate() error {
	var errs field.ErrorList
	if c.Kind != "" && c.Kind != "KubeletConfiguration" {
		errs = append(errs, field.NotSupported(field.NewPath("kind"), c.Kind, []string{"KubeletConfiguration"}))
	}
	if net.ParseIP(c.Address) == nil {
		errs = append(errs, field.Invalid(field.NewPath("address"), c.Address, "must be an IP address"))
	}
	if c.Port < 1 || c.Port > 65535 {
		errs = append(errs, field.Invalid(field.NewPath("port"), c.Port, "must be between 1 and 65535, inclusive"))
	}
	if c.HealthzPort < 0 || c.HealthzPort > 65535 {
		errs = append(errs, field.Invalid(field.NewPath("healthzPort"), c.HealthzPort, "must be between 0 and 65535, inclusive"))
	}
	if c.HealthzPort > 0 && net.ParseIP(c.HealthzBindAddress) == nil {
		errs = append(errs, field.Invalid(field.NewPath("healthzBindAddress"), c.HealthzBindAddress, "must be an IP address"))
	}
	if (c.TLSCertFile == "") != (c.TLSPrivateKeyFile == "") {
		errs = append(errs, field.Required(field.NewPath("tlsPrivateKeyFile"), "tlsCertFile and tlsPrivateKeyFile go together"))
	}
	return errs.ToAggregate()
}

// secureServing is the HTTPS endpoint on --address:--port.
func (c *Config) secureServing() *daemon.SecureServingOptions {
	o := daemon.NewSecureServingOptions(int(c.Port), c.CertDir, "kubelet")
	o.BindAddress = net.ParseIP(c.Address)
	o.CertFile, o.KeyFile = c.TLSCertFile, c.TLSPrivateKeyFile
	return o
}
