package storage

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	corev1 "k8s.io/api/core/v1"
)

func TestMetricsOfRequests(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	e.mustCreate(t, ctx, "ns", "a", nil)
	if _, err := e.cms.Get(ctx, e.cms.Key("ns", "a")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cms.List(ctx, e.cms.Prefix(""), ListOptions{}); err != nil {
		t.Fatal(err)
	}
	want := `
# HELP etcd_requests_total Etcd request counts for each operation and object type.
# TYPE etcd_requests_total counter
etcd_requests_total{operation="create",type="configmaps"} 1
etcd_requests_total{operation="get",type="configmaps"} 1
etcd_requests_total{operation="list",type="configmaps"} 1
# HELP apiserver_storage_list_returned_objects_total Number of objects returned for a LIST request from storage
# TYPE apiserver_storage_list_returned_objects_total counter
apiserver_storage_list_returned_objects_total{resource="configmaps"} 1
`
	if err := testutil.GatherAndCompare(e.reg, strings.NewReader(want),
		"etcd_requests_total", "apiserver_storage_list_returned_objects_total"); err != nil {
		t.Error(err)
	}
	if n := testutil.CollectAndCount(e.reg, "etcd_request_duration_seconds"); n != 3 {
		t.Errorf("etcd_request_duration_seconds has %d series, want 3", n)
	}
}

func TestMetricsOfFailures(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	if _, err := e.client.Put(ctx, e.cms.Key("ns", "bad"), "garbage"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cms.Get(ctx, e.cms.Key("ns", "bad")); err == nil {
		t.Fatal("get of garbage succeeded")
	}
	if n := testutil.ToFloat64(e.store.metrics.decodeErrors.WithLabelValues("configmaps")); n != 1 {
		t.Errorf("apiserver_storage_decode_errors_total = %v, want 1", n)
	}
	if n := testutil.ToFloat64(e.store.metrics.requestErrors.WithLabelValues("get", "configmaps")); n != 0 {
		t.Errorf("etcd_request_errors_total = %v for a request etcd answered", n)
	}
}

func TestTwoStoresShareARegistry(t *testing.T) {
	reg := prometheus.NewRegistry()
	a := New(nil, nil, "/registry", reg)
	b := New(nil, nil, "/registry", reg)
	if a.metrics.requests != b.metrics.requests {
		t.Error("the second store registered its own etcd_requests_total")
	}
	r := a.Resource("pods", nil, func() Object { return &corev1.Pod{} })
	a.metrics.request("get", r.name, time.Now(), nil)
	if n := testutil.ToFloat64(b.metrics.requests.WithLabelValues("get", "pods")); n != 1 {
		t.Errorf("shared counter = %v, want 1", n)
	}
}
