package bench

import (
	"fmt"
	"os"
	"strings"
	"testing"

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
