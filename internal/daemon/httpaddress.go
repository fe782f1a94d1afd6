package daemon

import (
	"fmt"
	"net"
	"net/http"
	"strconv"

	"go.uber.org/zap"
)

// HTTPAddress is an "ip:port" to serve plain HTTP on, for the endpoints
// upstream serves without TLS: kube-proxy's --healthz-bind-address
// (0.0.0.0:10256) and --metrics-bind-address (127.0.0.1:10249), the
// kubelet's healthz (--healthz-bind-address and --healthz-port, 10248; see
// JoinHTTPAddress). The empty address turns the endpoint off.
//
// It is a string, so it works as a config-file field, and a pflag.Value:
//
//	fs.Var(&cfg.MetricsBindAddress, "metrics-bind-address", "…")
type HTTPAddress string

// JoinHTTPAddress joins an IP and a port, for binaries that take them as two
// flags. An empty ip means every interface.
func JoinHTTPAddress(ip string, port int) HTTPAddress {
	return HTTPAddress(net.JoinHostPort(ip, strconv.Itoa(port)))
}

// Enabled reports whether an address is set.
func (a HTTPAddress) Enabled() bool { return a != "" }

// Validate reports an address that is not empty, [ip]:port or :port with a
// port from 0 to 65535.
func (a HTTPAddress) Validate() error {
	if a == "" {
		return nil
	}
	host, port, err := net.SplitHostPort(string(a))
	if err != nil {
		return fmt.Errorf("invalid address %q: want ip:port: %w", string(a), err)
	}
	if host != "" && net.ParseIP(host) == nil {
		return fmt.Errorf("invalid address %q: %q is not an IP address", string(a), host)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return fmt.Errorf("invalid address %q: port must be a number from 0 to 65535", string(a))
	}
	return nil
}

// String returns the address.
func (a *HTTPAddress) String() string { return string(*a) }

// Set validates and sets the address (pflag.Value).
func (a *HTTPAddress) Set(s string) error {
	if err := HTTPAddress(s).Validate(); err != nil {
		return err
	}
	*a = HTTPAddress(s)
	return nil
}

// Type names the flag's value in help (pflag.Value).
func (a *HTTPAddress) Type() string { return "ip:port" }

// NewServer returns a plain-HTTP Server on a serving handler.
func (a HTTPAddress) NewServer(logger *zap.Logger, name string, handler http.Handler) (*Server, error) {
	if err := a.Validate(); err != nil {
		return nil, fmt.Errorf("server %s: %w", name, err)
	}
	if !a.Enabled() {
		return nil, fmt.Errorf("server %s: no address to serve on", name)
	}
	return NewServer(logger, name, string(a), handler, nil), nil
}
