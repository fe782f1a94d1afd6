package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// skipRecorder is a testing.TB that records Skipf instead of skipping.
type skipRecorder struct {
	testing.TB
	skipped string
}

func (r *skipRecorder) Helper() {}

func (r *skipRecorder) Skipf(format string, args ...any) { r.skipped = fmt.Sprintf(format, args...) }

func TestSkipWithout(t *testing.T) {
	present := filepath.Join(t.TempDir(), "kube-apiserver")
	if err := os.WriteFile(present, nil, 0o700); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "kube-apiserver")

	r := &skipRecorder{TB: t}
	skipWithout(r, present)
	if r.skipped != "" {
		t.Errorf("skipped with the binary present: %q", r.skipped)
	}
	skipWithout(r, missing)
	for _, want := range []string{"no upstream comparison", missing, upstreamBuildScript} {
		if !strings.Contains(r.skipped, want) {
			t.Errorf("skip message %q does not name %q", r.skipped, want)
		}
	}
}
