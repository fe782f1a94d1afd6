package app

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/pflag"
	authenticationv1 "k8s.io/api/authentication/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/authorization"
	"github.com/skiff-dev/skiff/apiserver/discovery"
	"github.com/skiff-dev/skiff/apiserver/endpoints"
	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/review"
	"github.com/skiff-dev/skiff/apiserver/subresource"
)

// KubeletClientOptions are the --kubelet-* flags: how pods/log reaches
// kubelets.
type KubeletClientOptions struct {
	CertificateAuthority  string
	ClientCertificate     string
	ClientKey             string
	PreferredAddressTypes []string
	Timeout               time.Duration
}

// NewKubeletClientOptions returns upstream's defaults.
func NewKubeletClientOptions() KubeletClientOptions {
	types := make([]string, len(subresource.DefaultKubeletAddressTypes))
	for i, t := range subresource.DefaultKubeletAddressTypes {
		types[i] = string(t)
	}
	return KubeletClientOptions{PreferredAddressTypes: types, Timeout: 5 * time.Second}
}

// AddFlags registers the flags on fs.
func (k *KubeletClientOptions) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&k.CertificateAuthority, "kubelet-certificate-authority", k.CertificateAuthority, "Path to a cert file for the certificate authority.")
	fs.StringVar(&k.ClientCertificate, "kubelet-client-certificate", k.ClientCertificate, "Path to a client cert file for TLS.")
	fs.StringVar(&k.ClientKey, "kubelet-client-key", k.ClientKey, "Path to a client key file for TLS.")
	fs.StringSliceVar(&k.PreferredAddressTypes, "kubelet-preferred-address-types", k.PreferredAddressTypes, "List of the preferred NodeAddressTypes to use for kubelet connections.")
	fs.DurationVar(&k.Timeout, "kubelet-timeout", k.Timeout, "Timeout for kubelet operations.")
}

// Validate reports bad --kubelet-* flags.
func (k *KubeletClientOptions) Validate() error {
	var errs []error
	known := []string{string(corev1.NodeHostName), string(corev1.NodeInternalIP), string(corev1.NodeExternalIP), string(corev1.NodeInternalDNS), string(corev1.NodeExternalDNS)}
	for _, t := range k.PreferredAddressTypes {
		if !slices.Contains(known, t) {
			errs = append(errs, fmt.Errorf("--kubelet-preferred-address-types: %q is not a valid address type (valid: %v)", t, known))
		}
	}
	if (k.ClientCertificate == "") != (k.ClientKey == "") {
		errs = append(errs, errors.New("--kubelet-client-certificate and --kubelet-client-key must be given together"))
	}
	return errors.Join(errs...)
}

// config loads the files the flags name.
func (k *KubeletClientOptions) config() (subresource.KubeletConfig, error) {
	cfg := subresource.KubeletConfig{Timeout: k.Timeout}
	for _, t := range k.PreferredAddressTypes {
		cfg.AddressTypes = append(cfg.AddressTypes, corev1.NodeAddressType(t))
	}
	if k.CertificateAuthority != "" {
		pem, err := os.ReadFile(k.CertificateAuthority)
		if err != nil {
			return cfg, fmt.Errorf("--kubelet-certificate-authority: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return cfg, fmt.Errorf("--kubelet-certificate-authority %s: no certificate found", k.CertificateAuthority)
		}
		cfg.RootCAs = pool
	}
	if k.ClientCertificate != "" {
		cert, err := tls.LoadX509KeyPair(k.ClientCertificate, k.ClientKey)
		if err != nil {
			return cfg, fmt.Errorf("--kubelet-client-certificate/--kubelet-client-key: %w", err)
		}
		cfg.ClientCertificate = &cert
	}
	return cfg, nil
}

// tokensEnabled says whether serviceaccounts/token is served: upstream
// serves it when it can sign (a signing key and an issuer).
func tokensEnabled(o *Options) bool {
	return o.ServiceAccountSigningKeyFile != "" && len(o.ServiceAccountIssuers) > 0
}

// tokenOptions are serviceaccounts/token's configuration from the flags,
// without the stores.
func tokenOptions(o *Options, issuer *authentication.Issuer, apiAudiences []string) subresource.TokenOptions {
	return subresource.TokenOptions{
		Issuer: issuer, APIAudiences: apiAudiences,
		MaxExpirationSeconds: int64(o.ServiceAccountMaxTokenExpiration / time.Second),
		ExtendExpiration:     o.ServiceAccountExtendTokenExpiration,
	}
}

// extensions returns the handler options serving what the registry's
// stores do not: pods/binding (and the legacy bindings resource),
// pods/eviction, pods/log, the scale subresources, serviceaccounts/token
// and the review resources. authn and apiAudiences are
// newAuthenticator's, authz newAuthorizer's. It gives the pods store's
// resource the binding write rules, so call it before serving.
func (s *server) extensions(o *Options, kubelet *KubeletClientOptions, authn authentication.Authenticator, apiAudiences []string, authz authorization.Authorizer, reg prometheus.Registerer) ([]endpoints.Option, error) {
	stores := map[schema.GroupVersionResource]*registry.Store{}
	for _, st := range s.stores {
		stores[st.Resource().GVR] = st
	}
	need := func(gvr schema.GroupVersionResource) (*registry.Store, error) {
		st, ok := stores[gvr]
		if !ok {
			return nil, fmt.Errorf("extensions: no store for %s", gvr)
		}
		return st, nil
	}
	core := func(resource string) schema.GroupVersionResource {
		return corev1.SchemeGroupVersion.WithResource(resource)
	}
	podsGVR := core("pods")
	pods, err := need(podsGVR)
	if err != nil {
		return nil, err
	}
	nodes, err := need(core("nodes"))
	if err != nil {
		return nil, err
	}
	pdbs, err := need(policyv1.SchemeGroupVersion.WithResource("poddisruptionbudgets"))
	if err != nil {
		return nil, err
	}
	res := pods.Resource()
	if res.Subresources == nil {
		res.Subresources = map[string]registry.UpdateStrategy{}
	}
	res.Subresources[subresource.BindingSubresource] = subresource.BindingStrategy{}

	binding := subresource.NewBinding(s.logger, s.codecs, pods)
	opts := []endpoints.Option{
		endpoints.WithSubresource(podsGVR, "binding", binding),
		endpoints.WithCreator(core("bindings"), corev1.SchemeGroupVersion.WithKind("Binding"), binding),
		endpoints.WithSubresource(podsGVR, "eviction", subresource.NewEviction(s.logger, s.codecs, pods, pdbs)),
	}

	kcfg, err := kubelet.config()
	if err != nil {
		return nil, err
	}
	logMetrics, err := subresource.NewLogMetrics(reg)
	if err != nil {
		return nil, err
	}
	opts = append(opts, endpoints.WithSubresource(podsGVR, "log",
		subresource.NewLog(s.logger, pods, nodes, subresource.NewKubeletClient(kcfg), logMetrics)))

	for _, kind := range subresource.Scalables() {
		st, err := need(kind.GVR)
		if err != nil {
			return nil, err
		}
		opts = append(opts, endpoints.WithSubresource(kind.GVR, "scale", subresource.NewScale(s.logger, s.codecs, st, kind)))
	}

	if tokensEnabled(o) {
		key, err := authentication.LoadPrivateKey(o.ServiceAccountSigningKeyFile)
		if err != nil {
			return nil, fmt.Errorf("--service-account-signing-key-file: %w", err)
		}
		issuer, err := authentication.NewIssuer(o.ServiceAccountIssuers[0], key)
		if err != nil {
			return nil, err
		}
		for _, w := range o.Warnings() {
			s.logger.Warn(w)
		}
		cfg := tokenOptions(o, issuer, apiAudiences)
		if cfg.ServiceAccounts, err = need(core("serviceaccounts")); err != nil {
			return nil, err
		}
		if cfg.Secrets, err = need(core("secrets")); err != nil {
			return nil, err
		}
		cfg.Pods, cfg.Nodes = pods, nodes
		opts = append(opts, endpoints.WithSubresource(core("serviceaccounts"), "token", subresource.NewToken(s.logger, s.codecs, cfg)))
	} else if o.ServiceAccountSigningKeyFile != "" {
		return nil, errors.New("--service-account-signing-key-file requires --service-account-issuer")
	}

	if authz == nil {
		return nil, errors.New("extensions: no authorizer")
	}
	rules, _ := authz.(authorization.RuleResolver) // nil: rules reviews answer incomplete
	for _, e := range review.Endpoints(review.Config{Authenticator: authn, APIAudiences: apiAudiences, Authorizer: authz, Rules: rules}) {
		opts = append(opts, endpoints.WithCreator(e.GVR, e.GroupVersionKind(), e.Creator))
	}
	return opts, nil
}

// extensionDiscovery adds to rs (discoveryResources' answer) the
// subresources and resources extensions serves, as upstream lists them:
// pods/binding, pods/eviction (policy/v1 Eviction), pods/log, <kind>/scale
// (autoscaling/v1 Scale), serviceaccounts/token (authentication.k8s.io/v1
// TokenRequest) when tokens are issued, the bindings resource and the
// reviews (create only). A subresource of the same name already in rs is
// replaced.
func extensionDiscovery(o *Options, rs []discovery.Resource) []discovery.Resource {
	scale := discovery.Subresource{
		Name: "scale", Group: autoscalingv1.GroupName, Version: "v1", Kind: "Scale",
		Verbs: []string{"get", "patch", "update"}, GoType: reflect.TypeOf(autoscalingv1.Scale{}),
	}
	subs := map[schema.GroupVersionResource][]discovery.Subresource{
		corev1.SchemeGroupVersion.WithResource("pods"): {
			{Name: "binding", Kind: "Binding", Verbs: []string{"create"}, GoType: reflect.TypeOf(corev1.Binding{})},
			{Name: "eviction", Group: policyv1.GroupName, Version: "v1", Kind: "Eviction", Verbs: []string{"create"}, GoType: reflect.TypeOf(policyv1.Eviction{})},
			{Name: "log", Kind: "Pod", Verbs: []string{"get"}},
		},
	}
	for _, k := range subresource.Scalables() {
		subs[k.GVR] = append(subs[k.GVR], scale)
	}
	if tokensEnabled(o) {
		gvr := corev1.SchemeGroupVersion.WithResource("serviceaccounts")
		subs[gvr] = append(subs[gvr], discovery.Subresource{
			Name: "token", Group: authenticationv1.GroupName, Version: "v1", Kind: "TokenRequest",
			Verbs: []string{"create"}, GoType: reflect.TypeOf(authenticationv1.TokenRequest{}),
		})
	}
	out := make([]discovery.Resource, 0, len(rs)+7)
	for _, r := range rs {
		gvr := schema.GroupVersionResource{Group: r.Group, Version: r.Version, Resource: r.Resource}
		if add := subs[gvr]; len(add) > 0 {
			r.Subresources = slices.DeleteFunc(slices.Clone(r.Subresources), func(s discovery.Subresource) bool {
				return slices.ContainsFunc(add, func(a discovery.Subresource) bool { return a.Name == s.Name })
			})
			r.Subresources = append(r.Subresources, add...)
		}
		out = append(out, r)
	}
	create := []string{"create"}
	out = append(out, discovery.Resource{
		Version: "v1", Resource: "bindings", Kind: "Binding", SingularName: "binding", Namespaced: true,
		Verbs: create, GoType: reflect.TypeOf(corev1.Binding{}),
	})
	for _, e := range review.Endpoints(review.Config{}) {
		out = append(out, discovery.Resource{
			Group: e.GVR.Group, Version: e.GVR.Version, Resource: e.GVR.Resource, Kind: e.Kind,
			SingularName: e.SingularName, Namespaced: e.Namespaced, Verbs: create, GoType: e.GoType,
		})
	}
	return out
}
