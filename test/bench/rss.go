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
// and the part of the resident set now that maps files (RssFile: mostly
// the binary's own code and data), in KiB, as /proc/<pid>/status reports
// them.
type memory struct {
	rssKiB, hwmKiB, fileKiB int64
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

// parseStatus reads the VmRSS, VmHWM and RssFile lines ("VmRSS:\t  123456
// kB").
func parseStatus(r io.Reader) (memory, error) {
	var m memory
	fields := map[string]*int64{"VmRSS": &m.rssKiB, "VmHWM": &m.hwmKiB, "RssFile": &m.fileKiB}
	seen := 0
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		field := fields[key]
		if !ok || field == nil {
			continue
		}
		words := strings.Fields(value)
		if len(words) != 2 || words[1] != "kB" {
			return memory{}, fmt.Errorf("unexpected %s line %q", key, sc.Text())
		}
		n, err := strconv.ParseInt(words[0], 10, 64)
		if err != nil {
			return memory{}, fmt.Errorf("%s: %w", key, err)
		}
		*field = n
		seen++
	}
	if err := sc.Err(); err != nil {
		return memory{}, err
	}
	if seen != len(fields) {
		return memory{}, fmt.Errorf("no VmRSS, VmHWM or RssFile line (a kernel thread or a zombie?)")
	}
	return m, nil
}

// mib converts KiB to MiB, the unit of the *-MB figures.
func mib(kib int64) float64 { return float64(kib) / 1024 }
