package app

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/skiff-dev/skiff/apiserver/authentication"
)

// Options are kube-apiserver's own flags, with upstream's names and
// defaults; secure serving, logging and --config are the daemon's.
type Options struct {
	// etcd
	EtcdServers            []string
	EtcdPrefix             string
	EtcdCAFile             string
	EtcdCertFile           string
	EtcdKeyFile            string
	EtcdCompactionInterval time.Duration

	// authentication
	ClientCAFile                 string
	TokenAuthFile                string
	AnonymousAuth                bool
	ServiceAccountKeyFiles       []string
	ServiceAccountSigningKeyFile string
	ServiceAccountIssuers        []string
	APIAudiences                 []string
	// TokenRequest lifetimes: the longest a token is issued for (0: no
	// cap), and whether the kubelet's projected tokens are extended to a
	// year.
	ServiceAccountMaxTokenExpiration    time.Duration
	ServiceAccountExtendTokenExpiration bool

	// authorization and admission
	AuthorizationModes      []string
	EnableAdmissionPlugins  []string
	DisableAdmissionPlugins []string

	// services
	ServiceClusterIPRange string
	ServiceNodePortRange  string

	// limits
	MaxRequestsInflight         int
	MaxMutatingRequestsInflight int
	MinRequestTimeout           int
	RequestTimeout              time.Duration
	EventTTL                    time.Duration
	ShutdownDelayDuration       time.Duration
	AdvertiseAddress            net.IP

	// the apiserver's client to kubelets (pods/log)
	Kubelet KubeletClientOptions
}

// NewOptions returns upstream's defaults.
func NewOptions() *Options {
	return &Options{
		EtcdPrefix:                          "/registry",
		EtcdCompactionInterval:              5 * time.Minute,
		AnonymousAuth:                       true,
		ServiceAccountExtendTokenExpiration: true,
		AuthorizationModes:                  []string{"AlwaysAllow"},
		ServiceClusterIPRange:               "10.0.0.0/24",
		ServiceNodePortRange:                "30000-32767",
		MaxRequestsInflight:                 400,
		MaxMutatingRequestsInflight:         200,
		MinRequestTimeout:                   1800,
		RequestTimeout:                      60 * time.Second,
		EventTTL:                            time.Hour,
		Kubelet:                             NewKubeletClientOptions(),
	}
}

// AddFlags registers the flags on fs.
func (o *Options) AddFlags(fs *pflag.FlagSet) {
	fs.StringSliceVar(&o.EtcdServers, "etcd-servers", o.EtcdServers, "List of etcd servers to connect with (scheme://ip:port), comma separated.")
	fs.StringVar(&o.EtcdPrefix, "etcd-prefix", o.EtcdPrefix, "The prefix to prepend to all resource paths in etcd.")
	fs.StringVar(&o.EtcdCAFile, "etcd-cafile", o.EtcdCAFile, "SSL Certificate Authority file used to secure etcd communication.")
	fs.StringVar(&o.EtcdCertFile, "etcd-certfile", o.EtcdCertFile, "SSL certification file used to secure etcd communication.")
	fs.StringVar(&o.EtcdKeyFile, "etcd-keyfile", o.EtcdKeyFile, "SSL key file used to secure etcd communication.")
	fs.DurationVar(&o.EtcdCompactionInterval, "etcd-compaction-interval", o.EtcdCompactionInterval, "The interval of compaction requests. If 0, the compaction request from apiserver is disabled.")

	fs.StringVar(&o.ClientCAFile, "client-ca-file", o.ClientCAFile, "If set, any request presenting a client certificate signed by one of the authorities in the client-ca-file is authenticated with an identity corresponding to the CommonName of the client certificate.")
	fs.StringVar(&o.TokenAuthFile, "token-auth-file", o.TokenAuthFile, "If set, the file that will be used to secure the secure port of the API server via token authentication.")
	fs.BoolVar(&o.AnonymousAuth, "anonymous-auth", o.AnonymousAuth, "Enables anonymous requests to the secure port of the API server. Requests that are not rejected by another authentication method are treated as anonymous requests.")
	fs.StringSliceVar(&o.ServiceAccountKeyFiles, "service-account-key-file", o.ServiceAccountKeyFiles, "File containing PEM-encoded x509 RSA or ECDSA private or public keys, used to verify ServiceAccount tokens.")
	fs.StringVar(&o.ServiceAccountSigningKeyFile, "service-account-signing-key-file", o.ServiceAccountSigningKeyFile, "Path to the file that contains the current private key of the service account token issuer.")
	fs.StringSliceVar(&o.ServiceAccountIssuers, "service-account-issuer", o.ServiceAccountIssuers, "Identifier of the service account token issuer. The first is used to issue tokens; all are accepted.")
	fs.StringSliceVar(&o.APIAudiences, "api-audiences", o.APIAudiences, "Identifiers of the API. Defaults to the first --service-account-issuer.")
	fs.DurationVar(&o.ServiceAccountMaxTokenExpiration, "service-account-max-token-expiration", o.ServiceAccountMaxTokenExpiration, "The maximum validity duration of a token created by the service account token issuer. If an otherwise valid TokenRequest with a validity duration larger than this value is requested, a token will be issued with a validity duration of this value.")
	fs.BoolVar(&o.ServiceAccountExtendTokenExpiration, "service-account-extend-token-expiration", o.ServiceAccountExtendTokenExpiration, "Turns on projected service account expiration extension during token generation, which helps safe transition from legacy token to bound service account token feature. If this flag is enabled, admission injected tokens would be extended up to 1 year to prevent unexpected failure during transition, ignoring value of service-account-max-token-expiration.")

	fs.StringSliceVar(&o.AuthorizationModes, "authorization-mode", o.AuthorizationModes, "Ordered list of plug-ins to do authorization on secure port: AlwaysAllow, AlwaysDeny, RBAC.")
	fs.StringSliceVar(&o.EnableAdmissionPlugins, "enable-admission-plugins", o.EnableAdmissionPlugins, "Admission plugins that should be enabled in addition to default enabled ones.")
	fs.StringSliceVar(&o.DisableAdmissionPlugins, "disable-admission-plugins", o.DisableAdmissionPlugins, "Admission plugins that should be disabled although they are in the default enabled plugins list.")

	fs.StringVar(&o.ServiceClusterIPRange, "service-cluster-ip-range", o.ServiceClusterIPRange, "A CIDR notation IP range from which to assign service cluster IPs.")
	fs.StringVar(&o.ServiceNodePortRange, "service-node-port-range", o.ServiceNodePortRange, "A port range to reserve for services with NodePort visibility. Example: '30000-32767'. Inclusive at both ends of the range.")

	fs.IntVar(&o.MaxRequestsInflight, "max-requests-inflight", o.MaxRequestsInflight, "The maximum number of non-mutating requests in flight at a given time. When the server exceeds this, it rejects requests. Zero for no limit.")
	fs.IntVar(&o.MaxMutatingRequestsInflight, "max-mutating-requests-inflight", o.MaxMutatingRequestsInflight, "The maximum number of mutating requests in flight at a given time. When the server exceeds this, it rejects requests. Zero for no limit.")
	fs.IntVar(&o.MinRequestTimeout, "min-request-timeout", o.MinRequestTimeout, "The minimum number of seconds a handler must keep a request open before timing it out. Currently only honored by the watch request handler, which picks a randomized value above this number as the connection timeout.")
	fs.DurationVar(&o.RequestTimeout, "request-timeout", o.RequestTimeout, "The duration a handler must keep a request open before timing it out. This is the default request timeout for requests but may be overridden by flags such as --min-request-timeout for specific types of requests.")
	fs.DurationVar(&o.EventTTL, "event-ttl", o.EventTTL, "Amount of time to retain events.")
	fs.DurationVar(&o.ShutdownDelayDuration, "shutdown-delay-duration", o.ShutdownDelayDuration, "Time to delay the termination. During that time the server keeps serving requests normally; /readyz returns failure.")
	fs.IPVar(&o.AdvertiseAddress, "advertise-address", o.AdvertiseAddress, "The IP address on which to advertise the apiserver to members of the cluster.")
	o.Kubelet.AddFlags(fs)
}

// Validate reports every bad flag, naming it.
func (o *Options) Validate() error {
	var errs []error
	if len(o.EtcdServers) == 0 {
		errs = append(errs, errors.New("--etcd-servers must be specified"))
	}
	if _, _, err := net.ParseCIDR(o.ServiceClusterIPRange); err != nil {
		errs = append(errs, fmt.Errorf("--service-cluster-ip-range %q: %w", o.ServiceClusterIPRange, err))
	}
	if _, _, err := ParsePortRange(o.ServiceNodePortRange); err != nil {
		errs = append(errs, fmt.Errorf("--service-node-port-range: %w", err))
	}
	for _, m := range o.AuthorizationModes {
		switch m {
		case "AlwaysAllow", "AlwaysDeny", "RBAC":
		default:
			errs = append(errs, fmt.Errorf("--authorization-mode: unsupported mode %q (supported: AlwaysAllow, AlwaysDeny, RBAC)", m))
		}
	}
	if o.MaxRequestsInflight < 0 || o.MaxMutatingRequestsInflight < 0 {
		errs = append(errs, errors.New("--max-requests-inflight and --max-mutating-requests-inflight must not be negative"))
	}
	if o.EtcdPrefix == "" || !strings.HasPrefix(o.EtcdPrefix, "/") {
		errs = append(errs, fmt.Errorf("--etcd-prefix %q must start with /", o.EtcdPrefix))
	}
	if d := o.ServiceAccountMaxTokenExpiration; d != 0 && (d < minMaxTokenExpiration || d > maxMaxTokenExpiration) {
		errs = append(errs, errors.New("the service-account-max-token-expiration must be between 1 hour and 2^32 seconds"))
	}
	errs = append(errs, o.Kubelet.Validate())
	return errors.Join(errs...)
}

// The bounds of --service-account-max-token-expiration when set (upstream's).
const (
	minMaxTokenExpiration = time.Hour
	maxMaxTokenExpiration = time.Duration(1<<32) * time.Second
)

// Warnings are the valid flag combinations upstream starts with but warns
// about, worded as upstream.
func (o *Options) Warnings() []string {
	d := o.ServiceAccountMaxTokenExpiration
	if d < minMaxTokenExpiration || d > maxMaxTokenExpiration || !o.ServiceAccountExtendTokenExpiration {
		return nil
	}
	var out []string
	if d < authentication.WarnOnlyBoundTokenExpirationSeconds*time.Second {
		out = append(out, fmt.Sprintf("service-account-extend-token-expiration is true, in order to correctly trigger safe transition logic, service-account-max-token-expiration must be set longer than %d seconds (currently %s)", authentication.WarnOnlyBoundTokenExpirationSeconds, d))
	}
	if d < authentication.ExpirationExtensionSeconds*time.Second {
		out = append(out, fmt.Sprintf("service-account-extend-token-expiration is true, enabling tokens valid up to %d seconds, which is longer than service-account-max-token-expiration set to %s seconds", authentication.ExpirationExtensionSeconds, d))
	}
	return out
}

// ParsePortRange reads "30000-32767" (or a single port).
func ParsePortRange(s string) (base, size int, err error) {
	lo, hi, found := strings.Cut(strings.TrimSpace(s), "-")
	if !found {
		hi = lo
	}
	l, err1 := strconv.Atoi(lo)
	h, err2 := strconv.Atoi(hi)
	if err1 != nil || err2 != nil || l < 1 || h > 65535 || l > h {
		return 0, 0, fmt.Errorf("unable to parse port range %q", s)
	}
	return l, h - l + 1, nil
}
