package etcdtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestStartServesAndStops(t *testing.T) {
	var endpoints []string
	t.Run("running", func(t *testing.T) {
		endpoints = Start(t)
		c := Client(t, endpoints)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := c.Put(ctx, "/k", "v"); err != nil {
			t.Fatalf("put: %v", err)
		}
		resp, err := c.Get(ctx, "/k")
		if err != nil || len(resp.Kvs) != 1 || string(resp.Kvs[0].Value) != "v" {
			t.Fatalf("get = %v, %v; want v", resp, err)
		}
	})
	// The subtest's cleanup stopped etcd: its client port no longer answers.
	addr := strings.TrimPrefix(endpoints[0], "http://")
	if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		conn.Close()
		t.Fatalf("etcd at %s still accepts connections after cleanup", addr)
	}
}

func TestLeasesOfOneSecond(t *testing.T) {
	c := Client(t, Start(t))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	lease, err := c.Grant(ctx, 1)
	if err != nil {
		t.Fatalf("grant: %v", err)
	}
	if lease.TTL != 1 {
		t.Fatalf("lease TTL = %d, want 1 (short raft ticks)", lease.TTL)
	}
}

func TestPortClashIsReported(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	taken := l.Addr().(*net.TCPAddr).Port
	peer, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	p, err := launch(Binary, filepath.Join(t.TempDir(), "m"), taken, peer)
	if err == nil {
		p.stop()
		t.Fatal("launch on a taken port succeeded")
	}
	if !errors.Is(err, errPortClash) {
		t.Fatalf("launch on a taken port: %v, want errPortClash", err)
	}
}

// fatalTB records Fatalf and ends the goroutine, as testing.T does.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestMissingBinaryFails(t *testing.T) {
	f := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		start(f, filepath.Join(t.TempDir(), "no-etcd"))
	}()
	<-done
	if !strings.Contains(f.msg, "hack/install-deps.sh") {
		t.Fatalf("failure message %q does not point to hack/install-deps.sh", f.msg)
	}
}

func TestTailBufferKeepsTheEnd(t *testing.T) {
	b := &tailBuffer{max: 4}
	for _, s := range []string{"ab", "cd", "ef"} {
		_, _ = b.Write([]byte(s))
	}
	if got := b.String(); got != "cdef" {
		t.Fatalf("tail = %q, want cdef", got)
	}
}

func TestPIDOfAStartedEtcd(t *testing.T) {
	endpoints := Start(t)
	other := Start(t)
	pid, ok := PID(endpoints[0])
	otherPID, _ := PID(other[0])
	if !ok || pid <= 0 || pid == otherPID {
		t.Fatalf("PID(%s) = %d, %v; the other etcd's is %d", endpoints[0], pid, ok, otherPID)
	}
	if _, ok := PID("http://127.0.0.1:1"); ok {
		t.Error("a process id for an endpoint no etcd of Start serves")
	}
}
