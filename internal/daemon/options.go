package daemon

import (
	"errors"
	"net/http"
	"net/http/pprof"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/pflag"
	"go.uber.org/zap"
)

// Options bundles the flags most binaries share: logging, --config and, for
// binaries with a secure port, secure serving. Each piece also works alone.
type Options struct {
	// Component names the logger and the environment prefix:
	// "kube-scheduler" reads KUBE_SCHEDULER_* variables.
	Component string
	Logging   *LoggingOptions
	// ConfigFile is --config: the optional YAML config file.
	ConfigFile string
	// SecureServing is nil for a binary without a secure port (kube-proxy).
	SecureServing *SecureServingOptions
	// Profiling serves /debug/pprof (--profiling, upstream's default true).
	Profiling bool
}

// NewOptions returns the defaults for component; serving may be nil.
func NewOptions(component string, serving *SecureServingOptions) *Options {
	return &Options{Component: component, Logging: NewLoggingOptions(), SecureServing: serving, Profiling: true}
}

// AddFlags registers every bundled flag on fs.
func (o *Options) AddFlags(fs *pflag.FlagSet) {
	o.Logging.AddFlags(fs)
	fs.StringVar(&o.ConfigFile, "config", o.ConfigFile,
		"The path to the configuration file. Flags set on the command line override its values.")
	if o.SecureServing != nil {
		o.SecureServing.AddFlags(fs)
	}
	fs.BoolVar(&o.Profiling, "profiling", o.Profiling, "Enable profiling via web interface host:port/debug/pprof/")
}

// Validate reports every bad flag value.
func (o *Options) Validate() error {
	errs := []error{o.Logging.Validate()}
	if o.SecureServing != nil {
		errs = append(errs, o.SecureServing.Validate())
	}
	return errors.Join(errs...)
}

// Logger builds the component's logger on stderr.
func (o *Options) Logger() (*zap.Logger, error) {
	return o.Logging.Build(o.Component)
}

// LoadConfig fills into from --config, the component's environment
// variables and the flags of fs set on the command line; see LoadConfig.
func (o *Options) LoadConfig(into any, fs *pflag.FlagSet) error {
	return LoadConfig(o.ConfigFile, EnvPrefix(o.Component), into, fs)
}

// EnvPrefix is the environment prefix of a component: "kube-scheduler" gives
// "KUBE_SCHEDULER_".
func EnvPrefix(component string) string {
	return strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(component)) + "_"
}

// NewMux returns a mux serving /metrics from reg and /livez, /readyz and
// /healthz (with their /<endpoint>/<check> subpaths) from health. A binary
// adds its own handlers to it.
func NewMux(health *Health, reg *prometheus.Registry) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/metrics", MetricsHandler(reg))
	health.Install(mux)
	return mux
}

// InstallProfiling serves Go's profiles under /debug/pprof/, as upstream's
// --profiling does.
func InstallProfiling(mux *http.ServeMux) {
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
}
