package bench

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseStatus(t *testing.T) {
	tests := []struct {
		name    string
		status  string
		want    memory
		wantErr bool
	}{
		{
			name:   "all three lines",
			status: "Name:\tkube-apiserver\nVmPeak:\t 2000000 kB\nVmHWM:\t  300000 kB\nVmRSS:\t  262144 kB\nRssAnon:\t  200000 kB\nRssFile:\t   62144 kB\nThreads:\t12\n",
			want:   memory{rssKiB: 262144, hwmKiB: 300000, fileKiB: 62144},
		},
		{name: "kernel thread has neither", status: "Name:\tkthreadd\nState:\tS (sleeping)\n", wantErr: true},
		{name: "missing HWM", status: "VmRSS:\t 10 kB\nRssFile:\t 1 kB\n", wantErr: true},
		{name: "missing RssFile", status: "VmHWM:\t 10 kB\nVmRSS:\t 10 kB\n", wantErr: true},
		{name: "bad number", status: "VmHWM:\t 1 kB\nVmRSS:\t x kB\nRssFile:\t 1 kB\n", wantErr: true},
		{name: "unexpected unit", status: "VmHWM:\t 1 kB\nVmRSS:\t 10 MB\nRssFile:\t 1 kB\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseStatus(strings.NewReader(tt.status))
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseStatus() error = %v, wantErr %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("parseStatus() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestReadMemoryOfThisProcess(t *testing.T) {
	m, err := readMemory(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if m.rssKiB <= 0 || m.hwmKiB < m.rssKiB {
		t.Errorf("readMemory(self) = %+v, want 0 < rss ≤ hwm", m)
	}
	if got := mib(m.rssKiB); got*1024 != float64(m.rssKiB) {
		t.Errorf("mib(%d) = %v", m.rssKiB, got)
	}
}

func TestParseStat(t *testing.T) {
	// Fields 14 and 15 (utime 250, stime 50 ticks) after a name with a
	// space and a parenthesis.
	stat := "4242 (kube api) s) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 12 0 100 1000000 500 18446744073709551615"
	got, err := parseStat(stat)
	if err != nil {
		t.Fatal(err)
	}
	if want := 3 * time.Second; got != want {
		t.Errorf("cpu time %v, want %v", got, want)
	}
	for _, bad := range []string{"", "1 (x) S 1 2", "1 (x) S 1 2 3 4 5 6 7 8 9 10 u s"} {
		if _, err := parseStat(bad); err == nil {
			t.Errorf("parseStat(%q) succeeded", bad)
		}
	}
}
