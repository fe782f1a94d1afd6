package bench

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// memory is a process's resident set now (VmRSS) and at its peak (VmHWM),
// in KiB, as /proc/<pid>/status reports them.
type memory struct {
	rssKiB, hwmKiB int64
}

// readMemory reads /proc/<pid>/status.
func readMemory(pid int) (memory, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memory{}, fmt.Errorf("memory of process %d: %w", pid, err)
	}
	defer f.Close()
	m, err := parseStatus(f)
	if err != nil {
		return memory{}, fmt.Errorf("memory of process %d: %w", pid, err)
	}
	return m, nil
}

// parseStatus reads the VmRSS and VmHWM lines ("VmRSS:\t  123456 kB").
func parseStatus(r io.Reader) (memory, error) {
	var m memory
	var haveRSS, haveHWM bool
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		fields := strings.Fields(value)
		if len(fields) != 2 || fields[1] != "kB" {
			return memory{}, fmt.Errorf("unexpected %s line %q", key, sc.Text())
		}
		n, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return memory{}, fmt.Errorf("%s: %w", key, err)
		}
		if key == "VmRSS" {
			m.rssKiB, haveRSS = n, true
		} else {
			m.hwmKiB, haveHWM = n, true
		}
	}
	if err := sc.Err(); err != nil {
		return memory{}, err
	}
	if !haveRSS || !haveHWM {
		return memory{}, fmt.Errorf("no VmRSS or VmHWM line (a kernel thread or a zombie?)")
	}
	return m, nil
}

// mib converts KiB to MiB, the unit of the *-MB figures.
func mib(kib int64) float64 { return float64(kib) / 1024 }
