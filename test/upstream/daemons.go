package upstream

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// DaemonsVersion is the Kubernetes release whose daemons Daemon builds.
const DaemonsVersion = "v1.31.3"

// stagingModules are the modules k8s.io/kubernetes replaces with its own
// staging copies; a module that builds its commands must pin each.
var stagingModules = []string{
	"api", "apiextensions-apiserver", "apimachinery", "apiserver", "cli-runtime", "client-go",
	"cloud-provider", "cluster-bootstrap", "code-generator", "component-base", "component-helpers",
	"controller-manager", "cri-api", "cri-client", "csi-translation-lib", "dynamic-resource-allocation",
	"endpointslice", "kms", "kube-aggregator", "kube-controller-manager", "kube-proxy", "kube-scheduler",
	"kubectl", "kubelet", "metrics", "mount-utils", "pod-security-admission", "sample-apiserver",
}

var (
	daemonsOnce sync.Once
	daemonsDir  string
	daemonsErr  error
)

// Daemons are the upstream commands Daemon builds, all at once.
var Daemons = []string{"kube-apiserver", "kube-scheduler", "kube-controller-manager"}

// Daemon returns the path of upstream's command name (one of Daemons),
// built from the Go module proxy into the user's cache directory the first
// time (a few minutes) and reused afterwards. Test-only: these are
// counterparts for interoperability tests, never part of skiff.
func Daemon(name string) (string, error) {
	daemonsOnce.Do(func() { daemonsDir, daemonsErr = buildDaemons() })
	if daemonsErr != nil {
		return "", daemonsErr
	}
	path := filepath.Join(daemonsDir, name)
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("upstream %s: %w", name, err)
	}
	return path, nil
}

func buildDaemons() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	root := filepath.Join(cache, "skiff", "upstream-"+DaemonsVersion)
	bin := filepath.Join(root, "bin")
	if haveAll(bin) {
		return bin, nil
	}
	src := filepath.Join(root, "src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(src, "go.mod"), []byte(goMod()), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(src, "tools.go"), []byte(toolsGo()), 0o644); err != nil {
		return "", err
	}
	if err := run(src, "go", "mod", "tidy"); err != nil {
		return "", err
	}
	args := []string{"build", "-o", bin + "/"}
	for _, d := range Daemons {
		args = append(args, "k8s.io/kubernetes/cmd/"+d)
	}
	if err := run(src, "go", args...); err != nil {
		return "", err
	}
	return bin, nil
}

func haveAll(bin string) bool {
	for _, d := range Daemons {
		if _, err := os.Stat(filepath.Join(bin, d)); err != nil {
			return false
		}
	}
	return true
}

// goMod is a module requiring k8s.io/kubernetes at DaemonsVersion with its
// staging modules pinned to the matching v0 release.
func goMod() string {
	v0 := "v0" + strings.TrimPrefix(DaemonsVersion, "v1")
	var b strings.Builder
	b.WriteString("module skiff.test/upstreambuild\n\ngo 1.23\n\nrequire k8s.io/kubernetes " + DaemonsVersion + "\n\n")
	for _, m := range stagingModules {
		fmt.Fprintf(&b, "replace k8s.io/%s => k8s.io/%s %s\n", m, m, v0)
	}
	return b.String()
}

func toolsGo() string {
	var b strings.Builder
	b.WriteString("//go:build tools\n\npackage tools\n\nimport (\n")
	for _, d := range Daemons {
		fmt.Fprintf(&b, "\t_ \"k8s.io/kubernetes/cmd/%s\"\n", d)
	}
	b.WriteString(")\n")
	return b.String()
}

// run runs a go command in dir outside skiff's workspace.
func run(dir, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %s in %s: %v\n%s", name, strings.Join(args, " "), dir, err, out)
	}
	return nil
}
