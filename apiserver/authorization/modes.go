package authorization

import (
	"errors"
	"fmt"

	"github.com/skiff-dev/skiff/apiserver/authentication"
)

// The --authorization-mode values upstream knows.
const (
	ModeAlwaysAllow = "AlwaysAllow"
	ModeAlwaysDeny  = "AlwaysDeny"
	ModeABAC        = "ABAC"
	ModeWebhook     = "Webhook"
	ModeRBAC        = "RBAC"
	ModeNode        = "Node"
)

var knownModes = map[string]bool{
	ModeAlwaysAllow: true, ModeAlwaysDeny: true, ModeABAC: true,
	ModeWebhook: true, ModeRBAC: true, ModeNode: true,
}

// ValidateModes checks --authorization-mode as upstream does: at least one,
// each known, none twice.
func ValidateModes(modes []string) error {
	var errs []error
	if len(modes) == 0 {
		errs = append(errs, errors.New("at least one authorization-mode must be passed"))
	}
	seen := map[string]bool{}
	dup := false
	for _, m := range modes {
		if !knownModes[m] {
			errs = append(errs, fmt.Errorf("authorization-mode %q is not a valid mode", m))
		}
		dup = dup || seen[m]
		seen[m] = true
	}
	if dup {
		errs = append(errs, fmt.Errorf("authorization-mode %q has mode specified more than once", modes))
	}
	return JoinErrors(errs)
}

// Chain builds the authorizer kube-apiserver runs for --authorization-mode:
// members of system:masters are allowed first, then each mode is asked in
// order. AlwaysAllow and AlwaysDeny are built in; the others come from
// impl (impl[ModeRBAC] = the rbac package's authorizer). The returned
// Union is also the RuleResolver of SelfSubjectRulesReview (the
// system:masters short-circuit lists no rules, as upstream).
func Chain(modes []string, impl map[string]Authorizer) (Union, error) {
	if err := ValidateModes(modes); err != nil {
		return nil, err
	}
	u := Union{PrivilegedGroups{authentication.SystemPrivilegedGroup}}
	for _, m := range modes {
		if z, ok := impl[m]; ok && z != nil {
			u = append(u, z)
			continue
		}
		switch m {
		case ModeAlwaysAllow:
			u = append(u, AlwaysAllow{})
		case ModeAlwaysDeny:
			u = append(u, AlwaysDeny{})
		default:
			return nil, fmt.Errorf("authorization-mode %q is not available in this build", m)
		}
	}
	return u, nil
}
