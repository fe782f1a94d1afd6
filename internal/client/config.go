package client

import (
	"errors"
	"fmt"
	"net/url"
	"time"
)

// Config says how to reach and authenticate to an API server. Build one by
// hand, from kubeconfig files (LoadKubeconfig, ConfigFromFlags) or from a
// pod's service account (InClusterConfig).
type Config struct {
	// Host is the server's URL, e.g. "https://10.0.0.1:6443". A path in it
	// ("https://lb.example/k8s") prefixes every request.
	Host string

	// TLS: server verification and client certificate.
	CAData     []byte // PEM bundle to verify the server; empty means system roots
	CertData   []byte // PEM client certificate
	KeyData    []byte // PEM client key
	ServerName string // name to verify the server's certificate against
	Insecure   bool   // skip server verification (never with CAData)

	// Credentials. BearerTokenFile, when set, is re-read periodically and its
	// last good content wins over BearerToken, as with kubectl.
	BearerToken     string
	BearerTokenFile string
	Username        string
	Password        string

	// ProxyURL, when set, is the HTTP proxy for every request.
	ProxyURL string

	// QPS and Burst limit this client's request rate. Zero takes the
	// defaults (5 and 10, upstream's); a negative QPS disables the limit.
	QPS   float32
	Burst int

	// UserAgent names the component ("kube-scheduler/v… (linux/amd64) …").
	UserAgent string

	// Timeout bounds every non-watch request; zero means no bound.
	Timeout time.Duration

	// MaxRetries bounds retries after 429s and connection errors; zero
	// takes the default (10, upstream's).
	MaxRetries int

	// Metrics records the rest_client_* series; nil records nothing.
	Metrics *Metrics
}

// Defaults, as upstream's client.
const (
	DefaultQPS        = 5
	DefaultBurst      = 10
	DefaultMaxRetries = 10
)

// validate checks what New cannot work without.
func (c *Config) validate() (*url.URL, error) {
	if c.Host == "" {
		return nil, errors.New("no server address: set the cluster's server in the kubeconfig or --master")
	}
	u, err := url.Parse(c.Host)
	if err != nil {
		return nil, fmt.Errorf("server address %q: %w", c.Host, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("server address %q: scheme must be http or https", c.Host)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("server address %q: no host", c.Host)
	}
	if c.Insecure && len(c.CAData) > 0 {
		return nil, errors.New("specifying a root certificates file with the insecure flag is not allowed")
	}
	if (len(c.CertData) == 0) != (len(c.KeyData) == 0) {
		return nil, errors.New("a client certificate needs its key, and a key its certificate")
	}
	return u, nil
}
