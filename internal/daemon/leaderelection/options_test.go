package leaderelection

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/spf13/pflag"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

func TestOptionsFlags(t *testing.T) {
	o := NewOptions(true, "kube-scheduler")
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	o.AddFlags(fs)
	defaults := map[string]string{
		"leader-elect":                    "true",
		"leader-elect-lease-duration":     "15s",
		"leader-elect-renew-deadline":     "10s",
		"leader-elect-retry-period":       "2s",
		"leader-elect-resource-lock":      "leases",
		"leader-elect-resource-name":      "kube-scheduler",
		"leader-elect-resource-namespace": "kube-system",
	}
	for name, want := range defaults {
		f := fs.Lookup(name)
		if f == nil {
			t.Errorf("--%s not registered", name)
			continue
		}
		if f.DefValue != want {
			t.Errorf("--%s default %q, want %q", name, f.DefValue, want)
		}
	}
	if err := fs.Parse([]string{"--leader-elect=false", "--leader-elect-lease-duration=30s", "--leader-elect-resource-namespace=ha"}); err != nil {
		t.Fatal(err)
	}
	cfg := o.Config()
	if o.LeaderElect || cfg.LeaseDuration != 30*time.Second || cfg.Namespace != "ha" || cfg.Name != "kube-scheduler" || !cfg.ReleaseOnCancel {
		t.Errorf("options %+v gave config %+v", o, cfg)
	}
}

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Options)
		want   []string // one substring per expected error
	}{
		{name: "defaults", mutate: func(*Options) {}},
		{name: "disabled: not checked", mutate: func(o *Options) { o.LeaderElect = false; o.LeaseDuration.Duration = -1 }},
		{name: "negative lease", mutate: func(o *Options) { o.LeaseDuration.Duration = -time.Second },
			want: []string{`leaderElection.leaseDuration: Invalid value: "-1s": must be greater than zero`}},
		{name: "zero retry", mutate: func(o *Options) { o.RetryPeriod.Duration = 0 },
			want: []string{`leaderElection.retryPeriod: Invalid value: "0s": must be greater than zero`}},
		{name: "renew deadline not below lease", mutate: func(o *Options) { o.RenewDeadline.Duration = 15 * time.Second },
			want: []string{`leaderElection.renewDeadline: Invalid value: "15s": must be less than leaseDuration (15s)`}},
		{name: "retry not below renew", mutate: func(o *Options) { o.RetryPeriod.Duration = 10 * time.Second },
			want: []string{`leaderElection.retryPeriod: Invalid value: "10s": must be less than renewDeadline (10s)`}},
		{name: "endpoints lock", mutate: func(o *Options) { o.ResourceLock = "endpointsleases" },
			want: []string{`leaderElection.resourceLock: Unsupported value: "endpointsleases": supported values: "leases"`}},
		{name: "no name or namespace", mutate: func(o *Options) { o.ResourceName, o.ResourceNamespace = "", "" },
			want: []string{"leaderElection.resourceName: Required value", "leaderElection.resourceNamespace: Required value"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := NewOptions(true, "kube-scheduler")
			tt.mutate(&o)
			errs := o.Validate(field.NewPath("leaderElection"))
			if len(errs) != len(tt.want) {
				t.Fatalf("Validate() = %v, want %d errors", errs, len(tt.want))
			}
			for i, want := range tt.want {
				if !strings.Contains(errs[i].Error(), want) {
					t.Errorf("error %q lacks %q", errs[i], want)
				}
			}
		})
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	good := testConfig("a", nil)
	tests := map[string]func(*Config){
		"no name":             func(c *Config) { c.Name = "" },
		"renew above lease":   func(c *Config) { c.RenewDeadline = 2 * c.LeaseDuration },
		"retry above renew":   func(c *Config) { c.RetryPeriod = c.RenewDeadline },
		"zero lease duration": func(c *Config) { c.LeaseDuration = 0 },
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			cfg := good
			mutate(&cfg)
			if _, err := New(nil, newFakeLeases(), cfg); err == nil {
				t.Error("New accepted it")
			}
		})
	}
	e, err := New(nil, newFakeLeases(), Config{Namespace: "kube-system", Name: "x", LeaseDuration: 15 * time.Second, RenewDeadline: 10 * time.Second, RetryPeriod: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	if !strings.HasPrefix(e.Identity(), host+"_") {
		t.Errorf("generated identity %q lacks the host name", e.Identity())
	}
}

func TestNewIdentity(t *testing.T) {
	a, err := NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewIdentity()
	uuid := regexp.MustCompile(`_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	if !uuid.MatchString(a) {
		t.Errorf("identity %q does not end in _<uuid v4>", a)
	}
	if a == b {
		t.Error("two identities are equal")
	}
}

func TestMasterStatusSharedRegistry(t *testing.T) {
	reg := prometheus.NewRegistry()
	cfg := testConfig("a", nil)
	cfg.Registerer = reg
	if _, err := New(nil, newFakeLeases(), cfg); err != nil {
		t.Fatal(err)
	}
	cfg.Name = "kube-controller-manager"
	if _, err := New(nil, newFakeLeases(), cfg); err != nil {
		t.Fatal(err)
	}
	want := `
# HELP leader_election_master_status Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. 'name' is the string used to identify the lease.
# TYPE leader_election_master_status gauge
leader_election_master_status{name="kube-controller-manager"} 0
leader_election_master_status{name="kube-scheduler"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "leader_election_master_status"); err != nil {
		t.Error(err)
	}
}
