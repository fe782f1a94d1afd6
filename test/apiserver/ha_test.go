package apiserver

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/skiff-dev/skiff/apiserver/storage/etcdtest"
)

// Two apiservers on one etcd agree on everything, and never hand out one
// Service IP twice.
func TestTwoAPIServersOnOneEtcd(t *testing.T) {
	endpoints := etcdtest.Start(t)
	a, b := startAPIServer(t, endpoints), startAPIServer(t, endpoints)

	a.ok("", "create", "configmap", "from-a", "--from-literal=k=v")
	if out := b.ok("", "get", "cm", "from-a", "-o", "jsonpath={.data.k}"); out != "v" {
		t.Errorf("b reads a's write: %q", out)
	}
	b.ok("", "label", "cm", "from-a", "seen-by=b")
	if out := a.ok("", "get", "cm", "from-a", "-o", "jsonpath={.metadata.labels.seen-by}"); out != "b" {
		t.Errorf("a reads b's update: %q", out)
	}

	const perServer = 10
	var wg sync.WaitGroup
	for i, c := range []*cluster{a, b} {
		for j := 0; j < perServer; j++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.ok("", "create", "service", "clusterip", fmt.Sprintf("svc-%d-%d", i, j), "--tcp=80:8080")
			}()
		}
	}
	wg.Wait()
	out := a.ok("", "get", "svc", "-o", "jsonpath={range .items[*]}{.spec.clusterIP}{\"\\n\"}{end}")
	seen := map[string]bool{}
	for _, ip := range strings.Fields(out) {
		if seen[ip] {
			t.Errorf("cluster IP %s handed out twice:\n%s", ip, out)
		}
		seen[ip] = true
	}
	if len(seen) != 2*perServer+1 { // and the kubernetes Service
		t.Errorf("%d distinct cluster IPs, want %d:\n%s", len(seen), 2*perServer+1, out)
	}
	// Deleting frees the address for reuse.
	ip := b.ok("", "get", "svc", "svc-0-0", "-o", "jsonpath={.spec.clusterIP}")
	a.ok("", "delete", "svc", "svc-0-0")
	b.ok("", "create", "service", "clusterip", "reuse", "--tcp=80:80", "--clusterip="+ip)
}
