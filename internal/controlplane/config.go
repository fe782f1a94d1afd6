package controlplane

import (
	"github.com/spf13/pflag"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/internal/daemon"
	"github.com/skiff-dev/skiff/internal/daemon/leaderelection"
)

// Config is the part of a control-plane component's configuration file
// every such component has, with upstream's section names.
type Config struct {
	APIVersion       string                  `json:"apiVersion,omitempty"`
	Kind             string                  `json:"kind,omitempty"`
	ClientConnection daemon.ClientConnection `json:"clientConnection"`
	LeaderElection   leaderelection.Options  `json:"leaderElection"`

	kind string // the only Kind accepted, when set
}

// AddFlags registers the connection and leader-election flags.
func (c *Config) AddFlags(fs *pflag.FlagSet) {
	c.ClientConnection.AddFlags(fs)
	c.LeaderElection.AddFlags(fs)
}

// Validate names every bad field by its path in the file.
func (c *Config) Validate() error {
	var errs field.ErrorList
	if c.Kind != "" && c.kind != "" && c.Kind != c.kind {
		errs = append(errs, field.NotSupported(field.NewPath("kind"), c.Kind, []string{c.kind}))
	}
	if c.ClientConnection.QPS < 0 && c.ClientConnection.QPS != -1 {
		errs = append(errs, field.Invalid(field.NewPath("clientConnection", "qps"), c.ClientConnection.QPS, "must be positive, or -1 for no limit"))
	}
	if c.ClientConnection.Burst < 0 {
		errs = append(errs, field.Invalid(field.NewPath("clientConnection", "burst"), c.ClientConnection.Burst, "must not be negative"))
	}
	errs = append(errs, c.LeaderElection.Validate(field.NewPath("leaderElection"))...)
	return errs.ToAggregate()
}
