package bench

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// profileDirEnv names a directory: when set, skiff's apiserver runs with
// --profiling; the timed part of a scenario that calls startProfile
// writes a CPU profile of the server there (<scenario>-skiff-<pid>.pprof,
// one per run; `go tool pprof` merges several) and a profile of what it
// allocated meanwhile (<scenario>-skiff-<pid>.allocs.pprof), and
// heapProfile a heap
// profile (<scenario>-skiff-<pid>.heap.pprof, and .heap.pprof.txt with the
// runtime's memory statistics).
// Upstream's server is never profiled: the figures stay comparable.
const profileDirEnv = "BENCH_PROFILE_DIR"

// profileSeconds is how long a profile runs: shorter than the timed part
// of every scenario that takes one.
const profileSeconds = 1

// profiling reports whether s should run with --profiling.
func profiling(k kind) bool { return k == skiff && os.Getenv(profileDirEnv) != "" }

// startProfile starts fetching a CPU profile of s in the background when
// profiling is on, and returns a function that waits for it and writes it.
func startProfile(ctx context.Context, tb testing.TB, s *apiserver, scenario string) (wait func()) {
	dir := os.Getenv(profileDirEnv)
	if !profiling(s.kind) {
		return func() {}
	}
	base := filepath.Join(dir, fmt.Sprintf("%s-%s-%d", scenario, s.kind, s.cmd.Process.Pid))
	profiles := map[string]string{ // file: what the server profiles
		base + ".pprof":        "profile",
		base + ".allocs.pprof": "allocs",
	}
	done := make(chan error, len(profiles))
	for out, name := range profiles {
		path := fmt.Sprintf("/debug/pprof/%s?seconds=%d", name, profileSeconds)
		go func() { done <- fetchProfile(ctx, s, path, out) }()
	}
	return func() {
		for range profiles {
			if err := <-done; err != nil {
				tb.Logf("profile of %s: %v", s.kind, err)
			}
		}
		tb.Logf("profiles of %s: %s.*", s.kind, base)
	}
}

// heapProfile writes a heap profile of s, when profiling is on, as
// <scenario>-skiff-<pid>.heap.pprof.
func heapProfile(ctx context.Context, tb testing.TB, s *apiserver, scenario string) {
	if !profiling(s.kind) {
		return
	}
	out := filepath.Join(os.Getenv(profileDirEnv), fmt.Sprintf("%s-%s-%d.heap.pprof", scenario, s.kind, s.cmd.Process.Pid))
	if err := fetchProfile(ctx, s, "/debug/pprof/heap", out); err != nil {
		tb.Logf("heap profile of %s: %v", s.kind, err)
		return
	}
	// The text form ends with the runtime's memory statistics.
	if err := fetchProfile(ctx, s, "/debug/pprof/heap?debug=1", out+".txt"); err != nil {
		tb.Logf("heap statistics of %s: %v", s.kind, err)
	}
	tb.Logf("heap profile of %s: %s", s.kind, out)
}

func fetchProfile(ctx context.Context, s *apiserver, path, out string) error {
	url := s.url + path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+adminToken)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}} //nolint:gosec // self-signed serving certificate
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
