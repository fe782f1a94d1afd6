package app

import (
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

// parse returns the options args set, with --etcd-servers given.
func parse(t testing.TB, args ...string) *Options {
	t.Helper()
	o := NewOptions()
	fs := pflag.NewFlagSet("kube-apiserver", pflag.ContinueOnError)
	o.AddFlags(fs)
	if err := fs.Parse(append([]string{"--etcd-servers=http://127.0.0.1:2379"}, args...)); err != nil {
		t.Fatalf("parse %v: %v", args, err)
	}
	return o
}

func TestTokenExpirationFlags(t *testing.T) {
	const rangeErr = "the service-account-max-token-expiration must be between 1 hour and 2^32 seconds"
	tests := []struct {
		name     string
		args     []string
		max      time.Duration
		extend   bool
		err      string
		warnings []string
	}{
		{name: "defaults: no cap, extended", extend: true},
		{name: "a cap", args: []string{"--service-account-max-token-expiration=48h"}, max: 48 * time.Hour, extend: true,
			warnings: []string{"service-account-extend-token-expiration is true, enabling tokens valid up to 31536000 seconds, which is longer than service-account-max-token-expiration set to 48h0m0s seconds"}},
		{name: "the shortest cap", args: []string{"--service-account-max-token-expiration=1h"}, max: time.Hour, extend: true,
			warnings: []string{
				"service-account-extend-token-expiration is true, in order to correctly trigger safe transition logic, service-account-max-token-expiration must be set longer than 3607 seconds (currently 1h0m0s)",
				"service-account-extend-token-expiration is true, enabling tokens valid up to 31536000 seconds, which is longer than service-account-max-token-expiration set to 1h0m0s seconds",
			}},
		{name: "the longest cap", args: []string{"--service-account-max-token-expiration=4294967296s"}, max: 1 << 32 * time.Second, extend: true},
		{name: "a cap without extension", args: []string{"--service-account-max-token-expiration=2h", "--service-account-extend-token-expiration=false"},
			max: 2 * time.Hour},
		{name: "extension off", args: []string{"--service-account-extend-token-expiration=false"}},
		{name: "too short a cap", args: []string{"--service-account-max-token-expiration=59m59s"}, max: time.Hour - time.Second, extend: true, err: rangeErr},
		{name: "too long a cap", args: []string{"--service-account-max-token-expiration=4294967297s"}, max: (1<<32 + 1) * time.Second, extend: true, err: rangeErr},
		{name: "a negative cap", args: []string{"--service-account-max-token-expiration=-1h"}, max: -time.Hour, extend: true, err: rangeErr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := parse(t, tt.args...)
			if o.ServiceAccountMaxTokenExpiration != tt.max || o.ServiceAccountExtendTokenExpiration != tt.extend {
				t.Errorf("parsed max %v extend %v, want %v %v", o.ServiceAccountMaxTokenExpiration, o.ServiceAccountExtendTokenExpiration, tt.max, tt.extend)
			}
			err := o.Validate()
			switch {
			case tt.err == "" && err != nil:
				t.Errorf("Validate: %v", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Errorf("Validate: %v, want %q", err, tt.err)
			}
			if got := o.Warnings(); strings.Join(got, "\n") != strings.Join(tt.warnings, "\n") {
				t.Errorf("warnings %q, want %q", got, tt.warnings)
			}
			cfg := tokenOptions(o, nil, []string{"api"})
			if cfg.MaxExpirationSeconds != int64(tt.max/time.Second) || cfg.ExtendExpiration != tt.extend || len(cfg.APIAudiences) != 1 {
				t.Errorf("token options %+v", cfg)
			}
		})
	}
}
