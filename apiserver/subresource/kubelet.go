package subresource

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// DefaultKubeletPort is the kubelet's port when its node does not report
// one (--kubelet-port).
const DefaultKubeletPort = 10250

// DefaultKubeletAddressTypes is upstream's --kubelet-preferred-address-types.
var DefaultKubeletAddressTypes = []corev1.NodeAddressType{
	corev1.NodeHostName, corev1.NodeInternalDNS, corev1.NodeInternalIP, corev1.NodeExternalDNS, corev1.NodeExternalIP,
}

// KubeletConfig says how the apiserver reaches kubelets (the --kubelet-*
// flags).
type KubeletConfig struct {
	// AddressTypes are the node address types tried in order
	// (--kubelet-preferred-address-types); empty: DefaultKubeletAddressTypes.
	AddressTypes []corev1.NodeAddressType
	// Port is used when a node reports no kubelet port; 0: DefaultKubeletPort.
	Port int
	// RootCAs verify kubelets' serving certificates
	// (--kubelet-certificate-authority); nil: they are not verified.
	RootCAs *x509.CertPool
	// ClientCertificate, when set, is presented to kubelets
	// (--kubelet-client-certificate, --kubelet-client-key).
	ClientCertificate *tls.Certificate
	// Timeout bounds dialling and the TLS handshake (--kubelet-timeout);
	// 0: 5s.
	Timeout time.Duration
}

// KubeletClient finds a node's kubelet and talks HTTPS to it.
type KubeletClient struct {
	addressTypes []corev1.NodeAddressType
	port         int
	verified     bool
	secure       *http.Client // verifies the kubelet when RootCAs are set
	insecure     *http.Client // never verifies (insecureSkipTLSVerifyBackend)
}

// NewKubeletClient returns a client configured by cfg.
func NewKubeletClient(cfg KubeletConfig) *KubeletClient {
	if len(cfg.AddressTypes) == 0 {
		cfg.AddressTypes = DefaultKubeletAddressTypes
	}
	if cfg.Port <= 0 {
		cfg.Port = DefaultKubeletPort
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	client := func(verify bool) *http.Client {
		tc := &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: cfg.RootCAs, InsecureSkipVerify: !verify} //nolint:gosec // upstream's default without --kubelet-certificate-authority
		if cfg.ClientCertificate != nil {
			tc.Certificates = []tls.Certificate{*cfg.ClientCertificate}
		}
		return &http.Client{
			Transport: &http.Transport{
				Proxy:               http.ProxyFromEnvironment,
				DialContext:         (&net.Dialer{Timeout: cfg.Timeout, KeepAlive: 30 * time.Second}).DialContext,
				TLSClientConfig:     tc,
				TLSHandshakeTimeout: cfg.Timeout,
				MaxIdleConnsPerHost: 25,
				IdleConnTimeout:     90 * time.Second,
			},
			// Never follow a kubelet's redirect (upstream's PreventRedirects).
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	verified := cfg.RootCAs != nil
	return &KubeletClient{
		addressTypes: cfg.AddressTypes, port: cfg.Port, verified: verified,
		secure: client(verified), insecure: client(false),
	}
}

// Verified says whether kubelets' certificates are checked.
func (k *KubeletClient) Verified() bool { return k.verified }

// Host is the host:port of node's kubelet: its first address of the
// preferred types, and the port it reports (or the default).
func (k *KubeletClient) Host(node *corev1.Node) (string, error) {
	for _, t := range k.addressTypes {
		for _, a := range node.Status.Addresses {
			if a.Type == t {
				port := int(node.Status.DaemonEndpoints.KubeletEndpoint.Port)
				if port <= 0 {
					port = k.port
				}
				return net.JoinHostPort(a.Address, strconv.Itoa(port)), nil
			}
		}
	}
	return "", fmt.Errorf("no preferred addresses found; known addresses: %v", node.Status.Addresses)
}

// client is the HTTP client to use; skipVerify asks for the one that does
// not check certificates.
func (k *KubeletClient) client(skipVerify bool) *http.Client {
	if skipVerify {
		return k.insecure
	}
	return k.secure
}
