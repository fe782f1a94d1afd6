// Package upstream builds upstream Kubernetes' programs for skiff's tests:
// the real kubectl v1.31 as a client. Test-only; never shipped.
package upstream

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
)

// KubectlVersion is the kubectl the tests use; its modules are pinned in
// test/go.mod.
const KubectlVersion = "v1.31.3"

var (
	buildOnce sync.Once
	kubectl   string
	buildErr  error
)

// Kubectl builds kubectl (once per test process) and returns its path.
func Kubectl() (string, error) {
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "skiff-kubectl-")
		if err != nil {
			buildErr = err
			return
		}
		out := filepath.Join(dir, "kubectl")
		ldflags := "-X k8s.io/component-base/version.gitVersion=" + KubectlVersion +
			" -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=31"
		cmd := exec.Command("go", "build", "-ldflags", ldflags, "-o", out, "github.com/skiff-dev/skiff/test/tools/kubectl")
		if msg, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("build kubectl: %v\n%s", err, msg)
			return
		}
		kubectl = out
	})
	return kubectl, buildErr
}
