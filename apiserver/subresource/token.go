package subresource

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"go.uber.org/zap"
	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/endpoints"
	"github.com/skiff-dev/skiff/apiserver/scheme"
)

var (
	tokenRequestGVK = authenticationv1.SchemeGroupVersion.WithKind("TokenRequest")
	tokensResource  = schema.GroupResource{Resource: "serviceaccounts/token"}
)

// DefaultTokenExpirationSeconds is a TokenRequest's lifetime when it asks
// for none (upstream's default).
const DefaultTokenExpirationSeconds = 60 * 60

// maxTokenExpirationSeconds is the longest lifetime a TokenRequest may ask.
const maxTokenExpirationSeconds = 1 << 32

// TokenOptions configure serviceaccounts/token.
type TokenOptions struct {
	// Issuer signs the tokens (--service-account-signing-key-file, the
	// first --service-account-issuer).
	Issuer *authentication.Issuer
	// APIAudiences are the audiences of a request that names none
	// (--api-audiences, else the issuers).
	APIAudiences []string
	// MaxExpirationSeconds caps the lifetime asked for
	// (--service-account-max-token-expiration); 0: no cap.
	MaxExpirationSeconds int64
	// ExtendExpiration extends the kubelet's pod-bound tokens to a year
	// (--service-account-extend-token-expiration, upstream's default true).
	ExtendExpiration bool
	// ServiceAccounts, Pods, Secrets and Nodes read the objects a token
	// names.
	ServiceAccounts, Pods, Secrets, Nodes Getter
}

// Token serves serviceaccounts/token (POST an authentication.k8s.io/v1
// TokenRequest): a signed token for the service account, for the asked
// audiences and lifetime, optionally bound to a Pod, Secret or Node that
// must exist (with the UID given). status.token and
// status.expirationTimestamp answer it.
type Token struct {
	logger *zap.Logger
	opts   optionsCodec
	cfg    TokenOptions
	now    func() time.Time
}

var _ endpoints.SubresourceHandler = (*Token)(nil)

// NewToken returns the serviceaccounts/token handler.
func NewToken(logger *zap.Logger, codecs *scheme.Codecs, cfg TokenOptions) *Token {
	if logger == nil {
		logger = zap.NewNop()
	}
	return &Token{logger: logger.Named("token"), opts: newOptionsCodec(codecs), cfg: cfg, now: time.Now}
}

// ServeSubresource issues a token for the service account in the path.
func (t *Token) ServeSubresource(w http.ResponseWriter, r *http.Request, info *endpoints.RequestInfo, io endpoints.IO) {
	if info.Verb != "create" {
		io.Fail(w, r, unsupportedVerb(tokensResource, info.Verb))
		return
	}
	opts, err := t.opts.create(r)
	if err != nil {
		io.Fail(w, r, err)
		return
	}
	req := &authenticationv1.TokenRequest{}
	if err := io.Decode(w, r, tokenRequestGVK, req); err != nil {
		io.Fail(w, r, err)
		return
	}
	if req.Spec.ExpirationSeconds == nil {
		d := int64(DefaultTokenExpirationSeconds)
		req.Spec.ExpirationSeconds = &d
	}
	if err := admitCreate(r, info, io, tokenRequestGVK, req, opts); err != nil {
		io.Fail(w, r, err)
		return
	}
	out, warning, err := t.issue(r.Context(), info.Namespace, info.Name, req)
	if err != nil {
		io.Fail(w, r, err)
		return
	}
	if warning != "" {
		warn(w, warning)
	}
	io.Respond(w, r, http.StatusCreated, out)
}

// issue is upstream's TokenREST.Create; warning is for the Warning header.
func (t *Token) issue(ctx context.Context, namespace, name string, req *authenticationv1.TokenRequest) (*authenticationv1.TokenRequest, string, error) {
	gk := tokenRequestGVK.GroupKind()
	wipeSystemMeta(req)
	if req.Name != "" && req.Name != name {
		return nil, "", apierrors.NewInvalid(gk, name, field.ErrorList{field.Invalid(field.NewPath("metadata", "name"), req.Name, "must match the service account name if specified")})
	}
	if req.Namespace != "" && req.Namespace != namespace {
		return nil, "", apierrors.NewInvalid(gk, name, field.ErrorList{field.Invalid(field.NewPath("metadata", "namespace"), req.Namespace, "must match the service account namespace if specified")})
	}
	obj, err := t.cfg.ServiceAccounts.Get(ctx, namespace, name)
	if err != nil {
		return nil, "", err
	}
	sa, ok := obj.(*corev1.ServiceAccount)
	if !ok {
		return nil, "", apierrors.NewInternalError(fmt.Errorf("serviceaccount %s/%s: unexpected object %T", namespace, name, obj))
	}
	if len(req.Spec.Audiences) == 0 {
		req.Spec.Audiences = append([]string(nil), t.cfg.APIAudiences...)
	}
	req.Name, req.Namespace = sa.Name, sa.Namespace
	now := t.now()
	req.CreationTimestamp = metav1.NewTime(now.Truncate(time.Second))
	req.Status = authenticationv1.TokenRequestStatus{}
	if errs := validateTokenRequest(req); len(errs) > 0 {
		return nil, "", apierrors.NewInvalid(gk, "", errs)
	}

	claims := authentication.TokenClaims{ServiceAccount: sa, Audiences: req.Spec.Audiences}
	if err := t.bind(ctx, namespace, name, req.Spec.BoundObjectRef, &claims); err != nil {
		return nil, "", err
	}
	var warning string
	requested := *req.Spec.ExpirationSeconds
	if limit := t.cfg.MaxExpirationSeconds; limit > 0 && requested > limit {
		warning = fmt.Sprintf("requested expiration of %d seconds shortened to %d seconds", requested, limit)
		requested = limit
		req.Spec.ExpirationSeconds = &requested
	}
	claims.ExpirationSeconds, claims.WarnAfterSeconds = authentication.TokenExpiration(requested,
		t.cfg.ExtendExpiration, claims.Pod != nil, req.Spec.Audiences, t.cfg.APIAudiences)
	token, _, err := t.cfg.Issuer.Issue(claims)
	if err != nil {
		return nil, "", unknownError(fmt.Errorf("failed to generate token: %w", err))
	}
	out := req.DeepCopy()
	out.Status = authenticationv1.TokenRequestStatus{
		Token: token,
		// The lifetime asked for, not an extension (as upstream).
		ExpirationTimestamp: metav1.NewTime(now.Add(time.Duration(requested) * time.Second).Truncate(time.Second)),
	}
	t.logger.Debug("token issued", zap.String("serviceAccount", namespace+"/"+name), zap.Strings("audiences", req.Spec.Audiences))
	return out, warning, nil
}

// bind fills the claims of the object the token is bound to, which must
// exist with the UID the reference gives.
func (t *Token) bind(ctx context.Context, namespace, saName string, ref *authenticationv1.BoundObjectReference, claims *authentication.TokenClaims) error {
	if ref == nil {
		return nil
	}
	gvk := schema.FromAPIVersionAndKind(ref.APIVersion, ref.Kind)
	var uid types.UID
	switch {
	case gvk.Group == "" && gvk.Kind == "Pod":
		pod, err := get[corev1.Pod](ctx, t.cfg.Pods, namespace, ref.Name)
		if err != nil {
			return err
		}
		if pod.Spec.ServiceAccountName != saName {
			return apierrors.NewBadRequest(fmt.Sprintf("cannot bind token for serviceaccount %q to pod running with different serviceaccount name.", saName))
		}
		uid, claims.Pod = pod.UID, pod
		if pod.Spec.NodeName != "" {
			// the node is named in the token when it can be read
			if node, err := get[corev1.Node](ctx, t.cfg.Nodes, "", pod.Spec.NodeName); err == nil {
				claims.Node = node
			}
		}
	case gvk.Group == "" && gvk.Kind == "Node":
		node, err := get[corev1.Node](ctx, t.cfg.Nodes, "", ref.Name)
		if err != nil {
			return err
		}
		uid, claims.Node = node.UID, node
	case gvk.Group == "" && gvk.Kind == "Secret":
		secret, err := get[corev1.Secret](ctx, t.cfg.Secrets, namespace, ref.Name)
		if err != nil {
			return err
		}
		uid, claims.Secret = secret.UID, secret
	default:
		return apierrors.NewBadRequest(fmt.Sprintf("cannot bind token for serviceaccount %q to object of type %s", saName, gvk.String()))
	}
	if ref.UID != "" && uid != ref.UID {
		return apierrors.NewConflict(schema.GroupResource{Group: gvk.Group, Resource: gvk.Kind}, ref.Name,
			fmt.Errorf("the UID in the bound object reference (%s) does not match the UID in record. The object might have been deleted and then recreated", ref.UID))
	}
	return nil
}

// get reads one object of type T.
func get[T any](ctx context.Context, g Getter, namespace, name string) (*T, error) {
	if g == nil {
		return nil, apierrors.NewInternalError(fmt.Errorf("no store to read %s/%s", namespace, name))
	}
	obj, err := g.Get(ctx, namespace, name)
	if err != nil {
		return nil, err
	}
	t, ok := any(obj).(*T)
	if !ok {
		return nil, apierrors.NewInternalError(fmt.Errorf("%s/%s: unexpected object %T", namespace, name, obj))
	}
	return t, nil
}

// validateTokenRequest is upstream's ValidateTokenRequest.
func validateTokenRequest(req *authenticationv1.TokenRequest) field.ErrorList {
	var errs field.ErrorList
	p := field.NewPath("spec", "expirationSeconds")
	if req.Spec.ExpirationSeconds == nil { // defaulted, unless admission cleared it
		return append(errs, field.Required(p, ""))
	}
	switch exp := *req.Spec.ExpirationSeconds; {
	case exp < authentication.MinTokenExpirationSeconds:
		errs = append(errs, field.Invalid(p, exp, "may not specify a duration less than 10 minutes"))
	case exp > maxTokenExpirationSeconds:
		errs = append(errs, field.Invalid(p, exp, "may not specify a duration larger than 2^32 seconds"))
	}
	return errs
}
