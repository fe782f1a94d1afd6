package bench

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/apiserver/storage/etcdtest"
)

func TestEtcdServingFindsTheScenariosEtcd(t *testing.T) {
	endpoints := etcdtest.Start(t)
	etcdtest.Start(t) // another, which must not be taken for the first
	pid, err := etcdServing(endpoints[0])
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), endpoints[0]) {
		t.Errorf("process %d runs %q, not the etcd at %s", pid, b, endpoints[0])
	}
	if _, err := etcdServing("http://127.0.0.1:1"); err == nil {
		t.Error("found an etcd at a port none listens on")
	}
}

func TestSettleSeesAnIdleProcess(t *testing.T) {
	ctx := context.Background()
	// This process does nothing but wait meanwhile.
	idle, err := settle(ctx, os.Getpid(), time.Minute)
	if err != nil || !idle {
		t.Errorf("settle of an idle process: %v, %v", idle, err)
	}
	if _, err := settle(ctx, 1<<30, time.Second); err == nil {
		t.Error("settled a process that does not exist")
	}
}
