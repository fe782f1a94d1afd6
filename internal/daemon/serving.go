package daemon

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"go.uber.org/zap"
)

// tlsVersions are the --tls-min-version values skiff accepts: upstream's
// names, from TLS 1.2 up.
var tlsVersions = map[string]uint16{
	"VersionTLS12": tls.VersionTLS12,
	"VersionTLS13": tls.VersionTLS13,
}

// SecureServingOptions are upstream's flags for the HTTPS endpoint every
// control-plane binary and the kubelet serve.
type SecureServingOptions struct {
	BindAddress   net.IP   // --bind-address, default 0.0.0.0 (all interfaces)
	BindPort      int      // --secure-port; 0 picks a free port
	CertDirectory string   // --cert-dir; "" keeps a generated certificate in memory
	PairName      string   // file names in CertDirectory: <PairName>.crt and .key
	CertFile      string   // --tls-cert-file
	KeyFile       string   // --tls-private-key-file
	MinTLSVersion string   // --tls-min-version, default VersionTLS12
	CipherSuites  []string // --tls-cipher-suites; empty means Go's defaults
}

// NewSecureServingOptions returns the defaults for a component: its secure
// port (10259 kube-scheduler, 10257 kube-controller-manager, 10258
// cloud-controller-manager, 10250 kubelet, 6443 kube-apiserver), its cert
// directory and the base name of the generated pair's files.
func NewSecureServingOptions(port int, certDir, pairName string) *SecureServingOptions {
	return &SecureServingOptions{
		BindAddress:   net.IPv4zero,
		BindPort:      port,
		CertDirectory: certDir,
		PairName:      pairName,
		MinTLSVersion: "VersionTLS12",
	}
}

// AddFlags registers the secure-serving flags on fs.
func (o *SecureServingOptions) AddFlags(fs *pflag.FlagSet) {
	fs.IPVar(&o.BindAddress, "bind-address", o.BindAddress,
		"The IP address to listen on for --secure-port. 0.0.0.0 or :: listens on every interface.")
	fs.IntVar(&o.BindPort, "secure-port", o.BindPort, "The port to serve HTTPS on.")
	fs.StringVar(&o.CertDirectory, "cert-dir", o.CertDirectory,
		"The directory holding the serving certificate. Ignored when --tls-cert-file and --tls-private-key-file are set; "+
			"otherwise a self-signed certificate is generated there (or kept in memory when empty) and reused.")
	fs.StringVar(&o.CertFile, "tls-cert-file", o.CertFile,
		"File with the x509 serving certificate, followed by any intermediate certificates.")
	fs.StringVar(&o.KeyFile, "tls-private-key-file", o.KeyFile, "File with the private key matching --tls-cert-file.")
	fs.StringVar(&o.MinTLSVersion, "tls-min-version", o.MinTLSVersion,
		"Minimum TLS version supported: VersionTLS12 or VersionTLS13.")
	fs.StringSliceVar(&o.CipherSuites, "tls-cipher-suites", o.CipherSuites,
		"Comma-separated cipher suites for TLS 1.2 (IANA names, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256); empty uses Go's defaults.")
}

// Validate reports bad values, naming the flag.
func (o *SecureServingOptions) Validate() error {
	if o.BindPort < 0 || o.BindPort > 65535 {
		return fmt.Errorf("--secure-port: invalid value %d: must be between 0 and 65535", o.BindPort)
	}
	if (o.CertFile == "") != (o.KeyFile == "") {
		return fmt.Errorf("--tls-cert-file and --tls-private-key-file must be set together")
	}
	if _, err := tlsVersion(o.MinTLSVersion); err != nil {
		return err
	}
	if _, err := cipherSuites(o.CipherSuites); err != nil {
		return err
	}
	return nil
}

// Address is the host:port to listen on.
func (o *SecureServingOptions) Address() string {
	host := ""
	if o.BindAddress != nil && !o.BindAddress.IsUnspecified() {
		host = o.BindAddress.String()
	}
	return net.JoinHostPort(host, strconv.Itoa(o.BindPort))
}

// TLSConfig returns the server's TLS config: the given certificate files, or
// the self-signed pair in --cert-dir (generated on first use for the host's
// name, localhost, the loopback addresses and --bind-address).
func (o *SecureServingOptions) TLSConfig() (*tls.Config, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	var cert tls.Certificate
	var err error
	if o.CertFile != "" {
		cert, err = tls.LoadX509KeyPair(o.CertFile, o.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("load serving certificate %s: %w", o.CertFile, err)
		}
	} else {
		cert, err = loadOrGenerateCert(o.CertDirectory, o.PairName, hostCertNames(o.BindAddress), time.Now())
		if err != nil {
			return nil, err
		}
	}
	minVersion, _ := tlsVersion(o.MinTLSVersion)
	suites, _ := cipherSuites(o.CipherSuites)
	return &tls.Config{
		MinVersion:   minVersion,
		CipherSuites: suites,
		Certificates: []tls.Certificate{cert},
	}, nil
}

// NewServer returns an HTTPS Server on o's address serving handler.
func (o *SecureServingOptions) NewServer(logger *zap.Logger, name string, handler http.Handler) (*Server, error) {
	cfg, err := o.TLSConfig()
	if err != nil {
		return nil, err
	}
	return NewServer(logger, name, o.Address(), handler, cfg), nil
}

func tlsVersion(name string) (uint16, error) {
	if name == "" {
		return tls.VersionTLS12, nil
	}
	if v, ok := tlsVersions[name]; ok {
		return v, nil
	}
	return 0, fmt.Errorf("--tls-min-version: unsupported value %q: must be VersionTLS12 or VersionTLS13", name)
}

func cipherSuites(names []string) ([]uint16, error) {
	var ids []uint16
	for _, name := range names {
		i := slices.IndexFunc(tls.CipherSuites(), func(s *tls.CipherSuite) bool { return s.Name == name })
		if i < 0 {
			var known []string
			for _, s := range tls.CipherSuites() {
				known = append(known, s.Name)
			}
			return nil, fmt.Errorf("--tls-cipher-suites: unsupported or insecure cipher suite %q; supported: %s",
				name, strings.Join(known, ", "))
		}
		ids = append(ids, tls.CipherSuites()[i].ID)
	}
	return ids, nil
}
