package client

import (
	"errors"
	"fmt"
	"os"
)

// Overrides select and amend what a kubeconfig says, as kubectl's
// --context, --cluster, --user and --server flags do.
type Overrides struct {
	Context string
	Cluster string
	User    string
	Server  string
}

// ClientConfig resolves the context (the override, else current-context)
// into a Config, reading any certificate and key files it names. It also
// returns the context's namespace ("default" when unset).
func (kc *Kubeconfig) ClientConfig(o Overrides) (*Config, string, error) {
	ctxName := o.Context
	if ctxName == "" {
		ctxName = kc.CurrentContext
	}
	var ctx Context
	if ctxName != "" {
		c, ok := kc.context(ctxName)
		if !ok {
			return nil, "", fmt.Errorf("context %q does not exist in the kubeconfig", ctxName)
		}
		ctx = c
	}
	if o.Cluster != "" {
		ctx.Cluster = o.Cluster
	}
	if o.User != "" {
		ctx.User = o.User
	}
	if ctxName == "" && ctx.Cluster == "" && o.Server == "" {
		return nil, "", errors.New("the kubeconfig sets no current-context and none was chosen")
	}

	cfg := &Config{}
	cluster, ok := kc.cluster(ctx.Cluster)
	if !ok && ctx.Cluster != "" {
		return nil, "", fmt.Errorf("cluster %q does not exist in the kubeconfig", ctx.Cluster)
	}
	if err := applyCluster(cfg, cluster); err != nil {
		return nil, "", fmt.Errorf("cluster %q: %w", ctx.Cluster, err)
	}
	if o.Server != "" {
		cfg.Host = o.Server
	}
	if ctx.User != "" {
		user, ok := kc.user(ctx.User)
		if !ok {
			return nil, "", fmt.Errorf("user %q does not exist in the kubeconfig", ctx.User)
		}
		if err := applyUser(cfg, user); err != nil {
			return nil, "", fmt.Errorf("user %q: %w", ctx.User, err)
		}
	}
	ns := ctx.Namespace
	if ns == "" {
		ns = "default"
	}
	return cfg, ns, nil
}

func applyCluster(cfg *Config, c Cluster) error {
	cfg.Host = c.Server
	cfg.ServerName = c.TLSServerName
	cfg.Insecure = c.InsecureSkipTLSVerify
	cfg.ProxyURL = c.ProxyURL
	ca, err := dataOrFile(c.CertificateAuthorityData, c.CertificateAuthority)
	if err != nil {
		return fmt.Errorf("certificate-authority: %w", err)
	}
	cfg.CAData = ca
	return nil
}

func applyUser(cfg *Config, u AuthInfo) error {
	switch {
	case u.Exec != nil:
		return errors.New("exec credential plugins are not supported by skiff")
	case u.AuthProvider != nil:
		return errors.New("auth-provider plugins are not supported by skiff")
	case u.Impersonate != "":
		return errors.New("impersonation (as) is not supported by skiff")
	}
	cert, err := dataOrFile(u.ClientCertificateData, u.ClientCertificate)
	if err != nil {
		return fmt.Errorf("client-certificate: %w", err)
	}
	key, err := dataOrFile(u.ClientKeyData, u.ClientKey)
	if err != nil {
		return fmt.Errorf("client-key: %w", err)
	}
	cfg.CertData, cfg.KeyData = cert, key
	cfg.BearerToken = u.Token
	cfg.BearerTokenFile = u.TokenFile
	cfg.Username, cfg.Password = u.Username, u.Password
	return nil
}

// dataOrFile returns inline data when present (it wins, as in kubectl),
// else the named file's content.
func dataOrFile(data []byte, path string) ([]byte, error) {
	if len(data) > 0 {
		return data, nil
	}
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// ConfigFromFlags builds a Config the way a daemon's --master and
// --kubeconfig flags ask: with neither, the in-cluster configuration, and
// failing that kubectl's default loading; with a kubeconfig, its current
// context; a master address overrides the server.
func ConfigFromFlags(master, kubeconfigPath string) (*Config, error) {
	if master == "" && kubeconfigPath == "" {
		cfg, err := InClusterConfig()
		if err == nil {
			return cfg, nil
		}
		if !errors.Is(err, ErrNotInCluster) {
			return nil, err
		}
	}
	kc, err := LoadKubeconfig(kubeconfigPath)
	if err != nil {
		if master != "" && kubeconfigPath == "" && errors.Is(err, os.ErrNotExist) {
			return &Config{Host: master}, nil
		}
		return nil, err
	}
	cfg, _, err := kc.ClientConfig(Overrides{Server: master})
	return cfg, err
}
