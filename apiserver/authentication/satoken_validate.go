package authentication

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"
	"go.uber.org/zap"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// LegacyTokenInvalidatedLabel marks a legacy token Secret whose token no
// longer authenticates (set by the legacy token cleaner).
const LegacyTokenInvalidatedLabel = "kubernetes.io/legacy-token-invalid-since"

var errInvalidated = errors.New("service account token has been invalidated")

// validateBound checks a bound token's lifetime and that the objects it
// names still exist with the UIDs it names, as upstream's validator does.
func (s *ServiceAccountTokens) validateBound(ctx context.Context, public *jwt.Claims, private *privateClaims) (*User, error) {
	now := s.opts.Now()
	switch err := public.Validate(jwt.Expected{Time: now}); {
	case err == nil:
	case errors.Is(err, jwt.ErrExpired):
		return nil, errors.New("service account token has expired")
	case errors.Is(err, jwt.ErrNotValidYet):
		return nil, errors.New("service account token is not valid yet")
	case errors.Is(err, jwt.ErrIssuedInTheFuture):
		return nil, errors.New("service account token is issued in the future")
	default:
		return nil, fmt.Errorf("service account token claims could not be validated: %w", err)
	}
	k := private.Kubernetes
	if k == nil || k.Namespace == "" || k.ServiceAccount.Name == "" {
		return nil, errors.New("service account token claims are missing")
	}
	// things deleted before now-leeway are gone
	deletedBefore := now.Add(-jwt.DefaultLeeway)
	gone := func(ts *metav1.Time) bool { return ts != nil && ts.Time.Before(deletedBefore) }
	ns, saName := k.Namespace, k.ServiceAccount.Name

	if s.opts.Getters.ServiceAccounts == nil {
		return nil, errors.New("service account token cannot be validated: no service account getter")
	}
	sa, err := s.opts.Getters.ServiceAccounts.GetServiceAccount(ctx, ns, saName)
	if err == nil && sa == nil {
		err = fmt.Errorf("service account %s/%s not found", ns, saName)
	}
	if err != nil {
		s.logger.Debug("service account of token not found", zap.String("serviceAccount", ns+"/"+saName), zap.Error(err))
		return nil, err
	}
	if string(sa.UID) != k.ServiceAccount.UID {
		return nil, fmt.Errorf("service account UID (%s) does not match claim (%s)", sa.UID, k.ServiceAccount.UID)
	}
	if gone(sa.DeletionTimestamp) {
		return nil, fmt.Errorf("service account %s/%s has been deleted", ns, saName)
	}

	if k.Secret != nil {
		if s.opts.Getters.Secrets == nil {
			return nil, errInvalidated
		}
		secret, err := s.opts.Getters.Secrets.GetSecret(ctx, ns, k.Secret.Name)
		if err != nil || secret == nil {
			return nil, errInvalidated
		}
		if string(secret.UID) != k.Secret.UID {
			return nil, fmt.Errorf("secret UID (%s) does not match service account secret ref claim (%s)", secret.UID, k.Secret.UID)
		}
		if gone(secret.DeletionTimestamp) {
			return nil, errInvalidated
		}
	}

	u := &User{Name: ServiceAccountUsername(ns, saName), UID: k.ServiceAccount.UID, Groups: ServiceAccountGroups(ns)}
	extra := map[string][]string{}
	if k.Pod != nil {
		if s.opts.Getters.Pods == nil {
			return nil, errInvalidated
		}
		pod, err := s.opts.Getters.Pods.GetPod(ctx, ns, k.Pod.Name)
		if err != nil || pod == nil {
			return nil, errInvalidated
		}
		if string(pod.UID) != k.Pod.UID {
			return nil, fmt.Errorf("pod UID (%s) does not match service account pod ref claim (%s)", pod.UID, k.Pod.UID)
		}
		if gone(pod.DeletionTimestamp) {
			return nil, errInvalidated
		}
		extra[ExtraPodName] = []string{k.Pod.Name}
		extra[ExtraPodUID] = []string{k.Pod.UID}
	}
	if k.Node != nil {
		if k.Pod == nil {
			// bound to the node itself: it must still exist
			if s.opts.Getters.Nodes == nil {
				return nil, errInvalidated
			}
			node, err := s.opts.Getters.Nodes.GetNode(ctx, k.Node.Name)
			if err != nil || node == nil {
				return nil, errInvalidated
			}
			if string(node.UID) != k.Node.UID {
				return nil, fmt.Errorf("node UID (%s) does not match service account node ref claim (%s)", node.UID, k.Node.UID)
			}
			if gone(node.DeletionTimestamp) {
				return nil, errInvalidated
			}
		}
		extra[ExtraNodeName] = []string{k.Node.Name}
		if k.Node.UID != "" {
			extra[ExtraNodeUID] = []string{k.Node.UID}
		}
	}
	if public.ID != "" {
		extra[ExtraCredentialID] = []string{"JTI=" + public.ID}
	}
	if len(extra) > 0 {
		u.Extra = extra
	}
	if k.WarnAfter != nil && now.After(k.WarnAfter.Time()) {
		s.opts.Metrics.inc(staleTokens)
		s.logger.Debug("stale service account token used", zap.String("user", u.Name),
			zap.Duration("staleFor", now.Sub(k.WarnAfter.Time()).Round(time.Second)))
	} else {
		s.opts.Metrics.inc(validTokens)
	}
	return u, nil
}

// validateLegacy checks a Secret token: its claims, and with Lookup that the
// secret still holds exactly this token and the service account still
// exists with the UID the token names.
func (s *ServiceAccountTokens) validateLegacy(ctx context.Context, token string, public *jwt.Claims, p *privateClaims) (*User, error) {
	switch {
	case public.Subject == "":
		return nil, errors.New("sub claim is missing")
	case p.LegacyNamespace == "":
		return nil, errors.New("namespace claim is missing")
	case p.LegacySecretName == "":
		return nil, errors.New("secretName claim is missing")
	case p.LegacyServiceName == "":
		return nil, errors.New("serviceAccountName claim is missing")
	case p.LegacyServiceUID == "":
		return nil, errors.New("serviceAccountUID claim is missing")
	}
	ns, name := p.LegacyNamespace, p.LegacyServiceName
	subNS, subName, err := SplitServiceAccountUsername(public.Subject)
	if err != nil || subNS != ns || subName != name {
		return nil, errors.New("sub claim is invalid")
	}
	if s.opts.Lookup {
		if s.opts.Getters.Secrets == nil || s.opts.Getters.ServiceAccounts == nil {
			return nil, errors.New("token has been invalidated")
		}
		secret, err := s.opts.Getters.Secrets.GetSecret(ctx, ns, p.LegacySecretName)
		if err != nil || secret == nil || secret.DeletionTimestamp != nil {
			return nil, errors.New("token has been invalidated")
		}
		if !bytes.Equal(secret.Data[corev1.ServiceAccountTokenKey], []byte(token)) {
			return nil, errors.New("token does not match server's copy")
		}
		if secret.Labels[LegacyTokenInvalidatedLabel] != "" {
			return nil, errors.New("token has been invalidated")
		}
		sa, err := s.opts.Getters.ServiceAccounts.GetServiceAccount(ctx, ns, name)
		if err == nil && sa == nil {
			err = fmt.Errorf("service account %s/%s not found", ns, name)
		}
		if err != nil {
			return nil, err
		}
		if sa.DeletionTimestamp != nil {
			return nil, fmt.Errorf("ServiceAccount %s/%s has been deleted", ns, name)
		}
		if string(sa.UID) != p.LegacyServiceUID {
			return nil, fmt.Errorf("ServiceAccount UID (%s) does not match claim (%s)", sa.UID, p.LegacyServiceUID)
		}
	}
	return &User{Name: ServiceAccountUsername(ns, name), UID: p.LegacyServiceUID, Groups: ServiceAccountGroups(ns)}, nil
}
