package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

// seen is one request a test server received.
type seen struct {
	Method, Path, Query, ContentType, UserAgent, Body string
}

// recorder answers every request with reply and remembers it.
type recorder struct {
	mu    sync.Mutex
	reqs  []seen
	reply func(w http.ResponseWriter, r *http.Request, n int)
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, seen{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Content-Type"), r.Header.Get("User-Agent"), string(body)})
	n := len(rec.reqs)
	rec.mu.Unlock()
	rec.reply(w, r, n)
}

func (rec *recorder) requests() []seen {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]seen(nil), rec.reqs...)
}

func newRecorder(t *testing.T, reply func(w http.ResponseWriter, r *http.Request, n int)) (*recorder, *Client, *Config) {
	t.Helper()
	rec := &recorder{reply: reply}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	cfg := &Config{Host: srv.URL, QPS: -1, UserAgent: "kube-test/v1 (linux/amd64) skiff/abc"}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rec, c, cfg
}

func jsonReply(code int, body string) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	}
}

const podJSON = `{"kind":"Pod","apiVersion":"v1","metadata":{"name":"p","namespace":"ns","resourceVersion":"7"}}`

func TestVerbsSendWhatTheAPIExpects(t *testing.T) {
	ctx := context.Background()
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "ns", ResourceVersion: "6"}}
	grace := int64(0)
	bg := metav1.DeletePropagationBackground
	tests := []struct {
		name string
		call func(*Client) error
		want seen
	}{
		{"get", func(c *Client) error {
			_, err := For[corev1.Pod](c, Pods).Namespace("ns").Get(ctx, "p", metav1.GetOptions{ResourceVersion: "0"})
			return err
		}, seen{Method: "GET", Path: "/api/v1/namespaces/ns/pods/p", Query: "resourceVersion=0"}},
		{"list all namespaces with selectors and paging", func(c *Client) error {
			_, err := For[corev1.Pod](c, Pods).List(ctx, metav1.ListOptions{LabelSelector: "app in (a,b)", FieldSelector: "spec.nodeName=n1", Limit: 500, Continue: "tok"})
			return err
		}, seen{Method: "GET", Path: "/api/v1/pods", Query: "continue=tok&fieldSelector=spec.nodeName%3Dn1&labelSelector=app+in+%28a%2Cb%29&limit=500"}},
		{"create", func(c *Client) error {
			_, err := For[corev1.Pod](c, Pods).Namespace("ns").Create(ctx, pod, metav1.CreateOptions{DryRun: []string{"All"}, FieldManager: "m"})
			return err
		}, seen{Method: "POST", Path: "/api/v1/namespaces/ns/pods", Query: "dryRun=All&fieldManager=m", ContentType: "application/json"}},
		{"update", func(c *Client) error {
			_, err := For[corev1.Pod](c, Pods).Namespace("ns").Update(ctx, pod, metav1.UpdateOptions{FieldValidation: "Strict"})
			return err
		}, seen{Method: "PUT", Path: "/api/v1/namespaces/ns/pods/p", Query: "fieldValidation=Strict", ContentType: "application/json"}},
		{"update status", func(c *Client) error {
			_, err := For[corev1.Pod](c, Pods).Namespace("ns").UpdateStatus(ctx, pod, metav1.UpdateOptions{})
			return err
		}, seen{Method: "PUT", Path: "/api/v1/namespaces/ns/pods/p/status", ContentType: "application/json"}},
		{"json patch", func(c *Client) error {
			_, err := For[corev1.Pod](c, Pods).Namespace("ns").Patch(ctx, "p", types.JSONPatchType, []byte(`[]`), metav1.PatchOptions{})
			return err
		}, seen{Method: "PATCH", Path: "/api/v1/namespaces/ns/pods/p", ContentType: "application/json-patch+json", Body: "[]"}},
		{"merge patch", func(c *Client) error {
			_, err := For[corev1.Pod](c, Pods).Namespace("ns").Patch(ctx, "p", types.MergePatchType, []byte(`{}`), metav1.PatchOptions{})
			return err
		}, seen{Method: "PATCH", Path: "/api/v1/namespaces/ns/pods/p", ContentType: "application/merge-patch+json", Body: "{}"}},
		{"strategic merge patch of status", func(c *Client) error {
			_, err := For[corev1.Pod](c, Pods).Namespace("ns").Patch(ctx, "p", types.StrategicMergePatchType, []byte(`{}`), metav1.PatchOptions{}, "status")
			return err
		}, seen{Method: "PATCH", Path: "/api/v1/namespaces/ns/pods/p/status", ContentType: "application/strategic-merge-patch+json", Body: "{}"}},
		{"delete with options", func(c *Client) error {
			return For[corev1.Pod](c, Pods).Namespace("ns").Delete(ctx, "p", metav1.DeleteOptions{GracePeriodSeconds: &grace, PropagationPolicy: &bg, Preconditions: &metav1.Preconditions{ResourceVersion: ptr("6")}})
		}, seen{Method: "DELETE", Path: "/api/v1/namespaces/ns/pods/p", ContentType: "application/json", Body: `{"gracePeriodSeconds":0,"preconditions":{"resourceVersion":"6"},"propagationPolicy":"Background"}`}},
		{"delete collection", func(c *Client) error {
			return For[corev1.Pod](c, Pods).Namespace("ns").DeleteCollection(ctx, metav1.DeleteOptions{}, metav1.ListOptions{LabelSelector: "a=b"})
		}, seen{Method: "DELETE", Path: "/api/v1/namespaces/ns/pods", Query: "labelSelector=a%3Db", ContentType: "application/json", Body: `{}`}},
		{"cluster-scoped group resource", func(c *Client) error {
			_, err := For[unstructured.Unstructured](c, schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterroles"}).Get(ctx, "view", metav1.GetOptions{})
			return err
		}, seen{Method: "GET", Path: "/apis/rbac.authorization.k8s.io/v1/clusterroles/view"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, c, _ := newRecorder(t, jsonReply(200, podJSON))
			if err := tt.call(c); err != nil {
				t.Fatal(err)
			}
			got := rec.requests()
			if len(got) != 1 {
				t.Fatalf("%d requests, want 1", len(got))
			}
			want := tt.want
			want.UserAgent = "kube-test/v1 (linux/amd64) skiff/abc"
			if want.Body == "" && (want.Method == "POST" || want.Method == "PUT") {
				want.Body = got[0].Body // checked below
				if !strings.Contains(got[0].Body, `"name":"p"`) {
					t.Errorf("body %s does not carry the object", got[0].Body)
				}
			}
			if got[0] != want {
				t.Errorf("request\n got %+v\nwant %+v", got[0], want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestPathPrefixAndDecoding(t *testing.T) {
	rec := &recorder{reply: jsonReply(200, podJSON)}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	c, err := New(&Config{Host: srv.URL + "/prefix/", QPS: -1})
	if err != nil {
		t.Fatal(err)
	}
	pod, err := For[corev1.Pod](c, Pods).Namespace("ns").Get(context.Background(), "p", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if pod.Name != "p" || pod.ResourceVersion != "7" {
		t.Errorf("decoded %+v", pod.ObjectMeta)
	}
	if p := rec.requests()[0].Path; p != "/prefix/api/v1/namespaces/ns/pods/p" {
		t.Errorf("path %s", p)
	}
}

func TestErrorsAreStatusErrors(t *testing.T) {
	tests := []struct {
		name  string
		code  int
		body  string
		check func(error) bool
	}{
		{"not found", 404, `{"kind":"Status","apiVersion":"v1","status":"Failure","message":"pods \"p\" not found","reason":"NotFound","details":{"name":"p","kind":"pods"},"code":404}`, apierrors.IsNotFound},
		{"conflict", 409, `{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Conflict","code":409}`, apierrors.IsConflict},
		{"already exists", 409, `{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"AlreadyExists","code":409}`, apierrors.IsAlreadyExists},
		{"gone", 410, `{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Expired","code":410}`, apierrors.IsResourceExpired},
		{"forbidden", 403, `{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403}`, apierrors.IsForbidden},
		{"invalid", 422, `{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Invalid","code":422}`, apierrors.IsInvalid},
		{"not a status body", 404, `404 page not found`, apierrors.IsNotFound},
		{"bare gone", 410, ``, apierrors.IsGone},
		{"unauthorized", 401, `Unauthorized`, apierrors.IsUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c, _ := newRecorder(t, jsonReply(tt.code, tt.body))
			_, err := For[corev1.Pod](c, Pods).Namespace("ns").Get(context.Background(), "p", metav1.GetOptions{})
			if !tt.check(err) {
				t.Fatalf("error %v (%T) does not pass the check", err, err)
			}
			var se *apierrors.StatusError
			if !errors.As(err, &se) || se.Status().Code != int32(tt.code) {
				t.Errorf("want a StatusError with code %d, got %#v", tt.code, err)
			}
		})
	}
}

func TestRetriesHonourRetryAfter(t *testing.T) {
	rec, c, _ := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n <= 2 {
			w.Header().Set("Retry-After", "3")
			jsonReply(429, `{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"TooManyRequests","code":429}`)(w, r, n)
			return
		}
		jsonReply(201, podJSON)(w, r, n)
	})
	var slept []time.Duration
	c.sleep = func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }
	reg := prometheus.NewRegistry()
	c.metrics = NewMetrics(reg)

	_, err := For[corev1.Pod](c, Pods).Namespace("ns").Create(context.Background(), &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p"}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rec.requests()); n != 3 {
		t.Errorf("%d requests, want 3 (two 429s, then success)", n)
	}
	if fmt.Sprint(slept) != "[3s 3s]" {
		t.Errorf("waited %v, want the server's Retry-After twice", slept)
	}
	host := strings.TrimPrefix(c.base.String(), "http://")
	if got := testutil.ToFloat64(c.metrics.requests.WithLabelValues("429", "POST", host)); got != 2 {
		t.Errorf("rest_client_requests_total{code=429} = %v, want 2", got)
	}
	if got := testutil.ToFloat64(c.metrics.requests.WithLabelValues("201", "POST", host)); got != 1 {
		t.Errorf("rest_client_requests_total{code=201} = %v, want 1", got)
	}
	if got := testutil.ToFloat64(c.metrics.retries.WithLabelValues("429", "POST", host)); got != 2 {
		t.Errorf("rest_client_request_retries_total = %v, want 2", got)
	}
	if n := testutil.CollectAndCount(c.metrics.latency, "rest_client_request_duration_seconds"); n != 1 {
		t.Errorf("%d duration series, want 1 (verb=POST)", n)
	}
}

func TestRetriesGiveUpAfterMax(t *testing.T) {
	rec, c, _ := newRecorder(t, jsonReply(429, `{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"TooManyRequests","code":429}`))
	c.maxRetries = 3
	c.sleep = func(context.Context, time.Duration) error { return nil }
	_, err := For[corev1.Pod](c, Pods).Namespace("ns").Get(context.Background(), "p", metav1.GetOptions{})
	if !apierrors.IsTooManyRequests(err) {
		t.Fatalf("error %v, want TooManyRequests", err)
	}
	if n := len(rec.requests()); n != 4 {
		t.Errorf("%d requests, want 1 + 3 retries", n)
	}
}

// A listener that resets the first connections it accepts, then serves.
func TestConnectionErrorsRetryOnlyIdempotentVerbs(t *testing.T) {
	for _, tt := range []struct {
		method string
		want   int // requests that reach the handler
	}{{"GET", 1}, {"POST", 0}} {
		t.Run(tt.method, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			rec := &recorder{reply: jsonReply(200, podJSON)}
			srv := &http.Server{Handler: rec}
			resets := &resetFirst{Listener: ln, n: 2}
			go func() { _ = srv.Serve(resets) }()
			defer srv.Close()
			c, err := New(&Config{Host: "http://" + ln.Addr().String(), QPS: -1})
			if err != nil {
				t.Fatal(err)
			}
			c.sleep = func(context.Context, time.Duration) error { return nil }
			pods := For[corev1.Pod](c, Pods).Namespace("ns")
			if tt.method == "GET" {
				_, err = pods.Get(context.Background(), "p", metav1.GetOptions{})
			} else {
				_, err = pods.Create(context.Background(), &corev1.Pod{}, metav1.CreateOptions{})
			}
			if got := len(rec.requests()); got != tt.want {
				t.Errorf("%d requests reached the server, want %d (err %v)", got, tt.want, err)
			}
			if tt.want == 0 && err == nil {
				t.Error("a POST on a reset connection must fail, not be retried")
			}
		})
	}
}

type resetFirst struct {
	net.Listener
	mu sync.Mutex
	n  int
}

func (l *resetFirst) Accept() (net.Conn, error) {
	for {
		conn, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		l.mu.Lock()
		reset := l.n > 0
		l.n--
		l.mu.Unlock()
		if !reset {
			return conn, nil
		}
		// Read the request, then reset: the client cannot know whether it ran.
		buf := make([]byte, 4096)
		_, _ = conn.Read(buf)
		_ = conn.(*net.TCPConn).SetLinger(0)
		conn.Close()
	}
}

func TestRateLimiterHoldsRequestsBack(t *testing.T) {
	rec := &recorder{reply: jsonReply(200, podJSON)}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	c, err := New(&Config{Host: srv.URL, QPS: 0.001, Burst: 1})
	if err != nil {
		t.Fatal(err)
	}
	pods := For[corev1.Pod](c, Pods).Namespace("ns")
	if _, err := pods.Get(context.Background(), "p", metav1.GetOptions{}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := pods.Get(ctx, "p", metav1.GetOptions{}); err == nil || !strings.Contains(err.Error(), "rate limiter") {
		t.Fatalf("second request within the burst: %v, want the rate limiter to hold it", err)
	}
	if n := len(rec.requests()); n != 1 {
		t.Errorf("%d requests reached the server, want 1", n)
	}
}

func TestDefaultsAndValidation(t *testing.T) {
	c, err := New(&Config{Host: "https://h:6443"})
	if err != nil {
		t.Fatal(err)
	}
	if c.limiter.Limit() != DefaultQPS || c.limiter.Burst() != DefaultBurst || c.maxRetries != DefaultMaxRetries {
		t.Errorf("defaults: qps %v burst %d retries %d", c.limiter.Limit(), c.limiter.Burst(), c.maxRetries)
	}
	for _, bad := range []*Config{{}, {Host: "h:6443"}, {Host: "ftp://h"}, {Host: "https://h", CertData: []byte("x")}} {
		if _, err := New(bad); err == nil {
			t.Errorf("New(%+v) must fail", bad)
		}
	}
}

func TestTokenFileIsReread(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "token", "one")
	now := time.Unix(0, 0)
	f := newTokenFile(p)
	f.now = func() time.Time { return now }
	if tok, _ := f.Token(); tok != "one" {
		t.Fatalf("token %q", tok)
	}
	writeFile(t, dir, "token", "two")
	if tok, _ := f.Token(); tok != "one" {
		t.Errorf("re-read too early: %q", tok)
	}
	now = now.Add(tokenRefresh)
	if tok, _ := f.Token(); tok != "two" {
		t.Errorf("after the refresh period: %q, want the new token", tok)
	}
	writeFile(t, dir, "token", "")
	now = now.Add(tokenRefresh)
	if tok, err := f.Token(); tok != "two" || err != nil {
		t.Errorf("an empty file keeps the last good token: %q %v", tok, err)
	}
}
