package bench

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// etcdServing returns the process id of the etcd child of this process
// that listens for clients on endpoint (etcdtest passes it as
// --listen-client-urls).
func etcdServing(endpoint string) (int, error) {
	want := []byte("--listen-client-urls=" + endpoint + "\x00")
	cmdlines, err := filepath.Glob("/proc/[0-9]*/cmdline")
	if err != nil {
		return 0, err
	}
	for _, path := range cmdlines {
		b, err := os.ReadFile(path)
		if err != nil || !bytes.Contains(b, want) {
			continue // gone since the glob, or another process
		}
		return strconv.Atoi(filepath.Base(filepath.Dir(path)))
	}
	return 0, fmt.Errorf("no process serves etcd at %s", endpoint)
}

// cpuTimes reads the CPU time of each of pids.
func cpuTimes(pids []int) ([]time.Duration, error) {
	times := make([]time.Duration, len(pids))
	for i, pid := range pids {
		d, err := readCPU(pid)
		if err != nil {
			return nil, err
		}
		times[i] = d
	}
	return times, nil
}
