package client

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
)

// ServiceAccountDir is where the kubelet mounts a pod's service-account
// token, CA bundle and namespace.
const ServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount"

// ErrNotInCluster says the process does not run in a pod.
var ErrNotInCluster = errors.New("not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set")

// InClusterConfig is the Config of a process running in a pod: the server
// from KUBERNETES_SERVICE_HOST/PORT, the CA and a re-read token from the
// service-account mount.
func InClusterConfig() (*Config, error) {
	return inClusterConfig(os.Getenv, ServiceAccountDir)
}

func inClusterConfig(getenv func(string) string, dir string) (*Config, error) {
	host, port := getenv("KUBERNETES_SERVICE_HOST"), getenv("KUBERNETES_SERVICE_PORT")
	if host == "" || port == "" {
		return nil, ErrNotInCluster
	}
	tokenFile := filepath.Join(dir, "token")
	if _, err := os.Stat(tokenFile); err != nil {
		return nil, fmt.Errorf("in-cluster service-account token: %w", err)
	}
	ca, err := os.ReadFile(filepath.Join(dir, "ca.crt"))
	if err != nil {
		return nil, fmt.Errorf("in-cluster CA: %w", err)
	}
	return &Config{
		Host:            "https://" + net.JoinHostPort(host, port),
		CAData:          ca,
		BearerTokenFile: tokenFile,
	}, nil
}
