package leaderelection

import (
	"time"

	"github.com/spf13/pflag"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// ResourceLockLeases is the only --leader-elect-resource-lock skiff
// supports; upstream dropped the others (endpoints, configmaps) too.
const ResourceLockLeases = "leases"

// Upstream's defaults.
const (
	DefaultLeaseDuration     = 15 * time.Second
	DefaultRenewDeadline     = 10 * time.Second
	DefaultRetryPeriod       = 2 * time.Second
	DefaultResourceNamespace = "kube-system"
)

// Options are upstream's --leader-elect* flags. The json tags are upstream's
// LeaderElectionConfiguration, so a component's config embeds Options as its
// leaderElection section:
//
//	LeaderElection leaderelection.Options `json:"leaderElection"`
type Options struct {
	LeaderElect       bool            `json:"leaderElect"`
	LeaseDuration     metav1.Duration `json:"leaseDuration"`
	RenewDeadline     metav1.Duration `json:"renewDeadline"`
	RetryPeriod       metav1.Duration `json:"retryPeriod"`
	ResourceLock      string          `json:"resourceLock"`
	ResourceName      string          `json:"resourceName"`
	ResourceNamespace string          `json:"resourceNamespace"`
}

// NewOptions returns upstream's defaults for a component: whether it elects
// by default and its lease's name ("kube-scheduler", …).
func NewOptions(leaderElect bool, resourceName string) Options {
	return Options{
		LeaderElect:       leaderElect,
		LeaseDuration:     metav1.Duration{Duration: DefaultLeaseDuration},
		RenewDeadline:     metav1.Duration{Duration: DefaultRenewDeadline},
		RetryPeriod:       metav1.Duration{Duration: DefaultRetryPeriod},
		ResourceLock:      ResourceLockLeases,
		ResourceName:      resourceName,
		ResourceNamespace: DefaultResourceNamespace,
	}
}

// AddFlags registers the --leader-elect* flags on fs, bound to o.
func (o *Options) AddFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&o.LeaderElect, "leader-elect", o.LeaderElect,
		"Start a leader election client and gain leadership before doing the work. Enable this when running replicated components for high availability.")
	fs.DurationVar(&o.LeaseDuration.Duration, "leader-elect-lease-duration", o.LeaseDuration.Duration,
		"How long a standby waits, after it last saw the leader renew, before it may take the lease.")
	fs.DurationVar(&o.RenewDeadline.Duration, "leader-elect-renew-deadline", o.RenewDeadline.Duration,
		"How long the leader keeps retrying a failed renewal before it stops leading. Must be less than the lease duration.")
	fs.DurationVar(&o.RetryPeriod.Duration, "leader-elect-retry-period", o.RetryPeriod.Duration,
		"How often candidates try to acquire, and the leader renews, the lease.")
	fs.StringVar(&o.ResourceLock, "leader-elect-resource-lock", o.ResourceLock,
		`The kind of object used for locking during leader election. Only "leases" is supported.`)
	fs.StringVar(&o.ResourceName, "leader-elect-resource-name", o.ResourceName,
		"The name of the Lease object used for locking during leader election.")
	fs.StringVar(&o.ResourceNamespace, "leader-elect-resource-namespace", o.ResourceNamespace,
		"The namespace of the Lease object used for locking during leader election.")
}

// Validate checks o when leader election is on, naming fields under path
// (the component's "leaderElection"):
//
//	leaderElection.renewDeadline: Invalid value: "20s": must be less than leaseDuration (15s)
func (o *Options) Validate(path *field.Path) field.ErrorList {
	if !o.LeaderElect {
		return nil
	}
	var errs field.ErrorList
	positive := func(name string, d metav1.Duration) bool {
		if d.Duration <= 0 {
			errs = append(errs, field.Invalid(path.Child(name), d.Duration.String(), "must be greater than zero"))
			return false
		}
		return true
	}
	lease := positive("leaseDuration", o.LeaseDuration)
	renew := positive("renewDeadline", o.RenewDeadline)
	retry := positive("retryPeriod", o.RetryPeriod)
	if lease && renew && o.RenewDeadline.Duration >= o.LeaseDuration.Duration {
		errs = append(errs, field.Invalid(path.Child("renewDeadline"), o.RenewDeadline.Duration.String(),
			"must be less than leaseDuration ("+o.LeaseDuration.Duration.String()+")"))
	}
	if renew && retry && o.RetryPeriod.Duration >= o.RenewDeadline.Duration {
		errs = append(errs, field.Invalid(path.Child("retryPeriod"), o.RetryPeriod.Duration.String(),
			"must be less than renewDeadline ("+o.RenewDeadline.Duration.String()+")"))
	}
	if o.ResourceLock != ResourceLockLeases {
		errs = append(errs, field.NotSupported(path.Child("resourceLock"), o.ResourceLock, []string{ResourceLockLeases}))
	}
	if o.ResourceName == "" {
		errs = append(errs, field.Required(path.Child("resourceName"), "the lease needs a name"))
	}
	if o.ResourceNamespace == "" {
		errs = append(errs, field.Required(path.Child("resourceNamespace"), "the lease needs a namespace"))
	}
	return errs
}

// Config returns the elector configuration o describes, releasing the lease
// on a clean stop. The caller may set Identity, Clock and Registerer.
func (o *Options) Config() Config {
	return Config{
		Namespace:       o.ResourceNamespace,
		Name:            o.ResourceName,
		LeaseDuration:   o.LeaseDuration.Duration,
		RenewDeadline:   o.RenewDeadline.Duration,
		RetryPeriod:     o.RetryPeriod.Duration,
		ReleaseOnCancel: true,
	}
}
