package client

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/yaml"
)

// Kubeconfig is the content of one or more kubeconfig files, merged as
// kubectl merges them. Field names are the file format's.
type Kubeconfig struct {
	Clusters       []NamedCluster   `json:"clusters,omitempty"`
	Users          []NamedUser      `json:"users,omitempty"`
	Contexts       []NamedContext   `json:"contexts,omitempty"`
	CurrentContext string           `json:"current-context,omitempty"`
	Preferences    map[string]any   `json:"preferences,omitempty"`
	Extensions     []NamedExtension `json:"extensions,omitempty"`
	APIVersion     string           `json:"apiVersion,omitempty"`
	Kind           string           `json:"kind,omitempty"`
}

// NamedCluster is a cluster entry.
type NamedCluster struct {
	Name    string  `json:"name"`
	Cluster Cluster `json:"cluster"`
}

// Cluster says where a server is and how to trust it.
type Cluster struct {
	Server                   string           `json:"server"`
	TLSServerName            string           `json:"tls-server-name,omitempty"`
	InsecureSkipTLSVerify    bool             `json:"insecure-skip-tls-verify,omitempty"`
	CertificateAuthority     string           `json:"certificate-authority,omitempty"`
	CertificateAuthorityData []byte           `json:"certificate-authority-data,omitempty"`
	ProxyURL                 string           `json:"proxy-url,omitempty"`
	DisableCompression       bool             `json:"disable-compression,omitempty"`
	Extensions               []NamedExtension `json:"extensions,omitempty"`
}

// NamedUser is a user (credentials) entry.
type NamedUser struct {
	Name string   `json:"name"`
	User AuthInfo `json:"user"`
}

// AuthInfo holds one user's credentials.
type AuthInfo struct {
	ClientCertificate     string           `json:"client-certificate,omitempty"`
	ClientCertificateData []byte           `json:"client-certificate-data,omitempty"`
	ClientKey             string           `json:"client-key,omitempty"`
	ClientKeyData         []byte           `json:"client-key-data,omitempty"`
	Token                 string           `json:"token,omitempty"`
	TokenFile             string           `json:"tokenFile,omitempty"`
	Username              string           `json:"username,omitempty"`
	Password              string           `json:"password,omitempty"`
	Exec                  map[string]any   `json:"exec,omitempty"`
	AuthProvider          map[string]any   `json:"auth-provider,omitempty"`
	Impersonate           string           `json:"as,omitempty"`
	Extensions            []NamedExtension `json:"extensions,omitempty"`
}

// NamedContext is a context entry.
type NamedContext struct {
	Name    string  `json:"name"`
	Context Context `json:"context"`
}

// Context ties a cluster to a user and a default namespace.
type Context struct {
	Cluster    string           `json:"cluster"`
	User       string           `json:"user"`
	Namespace  string           `json:"namespace,omitempty"`
	Extensions []NamedExtension `json:"extensions,omitempty"`
}

// NamedExtension is carried but not interpreted.
type NamedExtension struct {
	Name      string         `json:"name"`
	Extension map[string]any `json:"extension"`
}

// RecommendedKubeconfigPath is where kubectl looks when nothing says otherwise.
func RecommendedKubeconfigPath() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".kube", "config")
}

// LoadKubeconfigFile reads one file. Relative paths in it are made absolute
// against the file's folder, as kubectl does.
func LoadKubeconfigFile(path string) (*Kubeconfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read kubeconfig: %w", err)
	}
	var kc Kubeconfig
	if err := yaml.Unmarshal(data, &kc); err != nil {
		return nil, fmt.Errorf("kubeconfig %s: %w", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("kubeconfig %s: %w", path, err)
	}
	kc.resolvePaths(filepath.Dir(abs))
	return &kc, nil
}

func (kc *Kubeconfig) resolvePaths(dir string) {
	resolve := func(p *string) {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
	for i := range kc.Clusters {
		resolve(&kc.Clusters[i].Cluster.CertificateAuthority)
	}
	for i := range kc.Users {
		u := &kc.Users[i].User
		resolve(&u.ClientCertificate)
		resolve(&u.ClientKey)
		resolve(&u.TokenFile)
	}
}

// LoadKubeconfig loads kubeconfig files by kubectl's rules: an explicit path
// (which must exist) wins; otherwise every file in $KUBECONFIG (separated by
// the OS's list separator; missing ones are skipped), merged so that the
// first file to name a cluster, user or context — or to set current-context —
// wins; otherwise ~/.kube/config if it exists. No file at all is an error.
func LoadKubeconfig(explicitPath string) (*Kubeconfig, error) {
	if explicitPath != "" {
		return LoadKubeconfigFile(explicitPath)
	}
	var paths []string
	if env := os.Getenv("KUBECONFIG"); env != "" {
		paths = filepath.SplitList(env)
	} else if p := RecommendedKubeconfigPath(); p != "" {
		paths = []string{p}
	}
	merged := &Kubeconfig{}
	found := false
	seen := map[string]bool{}
	for _, p := range paths {
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		kc, err := LoadKubeconfigFile(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		found = true
		merged.merge(kc)
	}
	if !found {
		return nil, fmt.Errorf("no kubeconfig found (looked in %s): %w", strings.Join(paths, ", "), os.ErrNotExist)
	}
	return merged, nil
}

// merge adds other's entries that kc does not have yet: the first wins.
func (kc *Kubeconfig) merge(other *Kubeconfig) {
	if kc.CurrentContext == "" {
		kc.CurrentContext = other.CurrentContext
	}
	for _, c := range other.Clusters {
		if _, ok := kc.cluster(c.Name); !ok {
			kc.Clusters = append(kc.Clusters, c)
		}
	}
	for _, u := range other.Users {
		if _, ok := kc.user(u.Name); !ok {
			kc.Users = append(kc.Users, u)
		}
	}
	for _, c := range other.Contexts {
		if _, ok := kc.context(c.Name); !ok {
			kc.Contexts = append(kc.Contexts, c)
		}
	}
}

func (kc *Kubeconfig) cluster(name string) (Cluster, bool) {
	for _, c := range kc.Clusters {
		if c.Name == name {
			return c.Cluster, true
		}
	}
	return Cluster{}, false
}

func (kc *Kubeconfig) user(name string) (AuthInfo, bool) {
	for _, u := range kc.Users {
		if u.Name == name {
			return u.User, true
		}
	}
	return AuthInfo{}, false
}

func (kc *Kubeconfig) context(name string) (Context, bool) {
	for _, c := range kc.Contexts {
		if c.Name == name {
			return c.Context, true
		}
	}
	return Context{}, false
}
