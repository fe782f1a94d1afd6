package subresource

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.uber.org/zap/zaptest"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/endpoints"
)

// fakeKubelet serves /containerLogs: container "c" answers two lines,
// "waiting" a 400, and a followed log one line then another once
// released.
type fakeKubelet struct {
	*httptest.Server
	mu      sync.Mutex
	asked   []string // path?query of each request
	release chan struct{}
}

func newFakeKubelet(t *testing.T) *fakeKubelet {
	k := &fakeKubelet{release: make(chan struct{})}
	k.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k.mu.Lock()
		k.asked = append(k.asked, r.URL.Path+"?"+r.URL.RawQuery)
		k.mu.Unlock()
		switch {
		case strings.HasSuffix(r.URL.Path, "/waiting"):
			http.Error(w, `container "waiting" in pod "multi" is waiting to start: ContainerCreating`, http.StatusBadRequest)
		case r.URL.Query().Get("follow") == "true":
			fmt.Fprintln(w, "first")
			w.(http.Flusher).Flush()
			select {
			case <-k.release:
				fmt.Fprintln(w, "second")
			case <-r.Context().Done():
			}
		default:
			fmt.Fprint(w, "line 1\nline 2\n")
		}
	}))
	t.Cleanup(k.Close)
	return k
}

func (k *fakeKubelet) last() string {
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.asked) == 0 {
		return ""
	}
	return k.asked[len(k.asked)-1]
}

func (k *fakeKubelet) port(t *testing.T) int32 {
	_, p, err := net.SplitHostPort(k.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		t.Fatal(err)
	}
	return int32(n)
}

// otherCA is a self-signed CA that signed nothing the kubelet presents.
func otherCA(t *testing.T) *x509.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "other-ca"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func TestLog(t *testing.T) {
	e := newEnv(t)
	kubelet := newFakeKubelet(t)
	e.create("nodes", "", &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: "n1"},
		Status: corev1.NodeStatus{
			Addresses:       []corev1.NodeAddress{{Type: corev1.NodeHostName, Address: "kubelet.invalid"}, {Type: corev1.NodeInternalIP, Address: "127.0.0.1"}},
			DaemonEndpoints: corev1.NodeDaemonEndpoints{KubeletEndpoint: corev1.DaemonEndpoint{Port: kubelet.port(t)}},
		},
	})
	e.create("nodes", "", &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: "external"},
		Status:     corev1.NodeStatus{Addresses: []corev1.NodeAddress{{Type: corev1.NodeExternalIP, Address: "192.0.2.1"}}},
	})
	e.createPod("ns", "p", onNode)
	e.createPod("ns", "multi", func(p *corev1.Pod) {
		p.Spec.NodeName = "n1"
		p.Spec.InitContainers = []corev1.Container{{Name: "i", Image: "busybox"}}
		p.Spec.Containers = []corev1.Container{{Name: "a", Image: "busybox"}, {Name: "waiting", Image: "busybox"}}
	})
	e.createPod("ns", "unbound", nil)
	e.createPod("ns", "lost", func(p *corev1.Pod) { p.Spec.NodeName = "missing" })
	e.createPod("ns", "far", func(p *corev1.Pod) { p.Spec.NodeName = "external" })

	reg := prometheus.NewRegistry()
	metrics, err := NewLogMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	cfg := KubeletConfig{AddressTypes: []corev1.NodeAddressType{corev1.NodeInternalIP, corev1.NodeHostName}}
	handler := NewLog(zaptest.NewLogger(t), e.store("pods"), e.store("nodes"), NewKubeletClient(cfg), metrics)
	srv := e.serve(endpoints.WithSubresource(podsGVR, "log", handler))
	get := func(query string) response {
		return do(t, srv, http.MethodGet, "/api/v1/namespaces/ns/pods/"+query, "", nil)
	}

	resp := get("p/log?tailLines=5&timestamps=true&sinceSeconds=10&limitBytes=100&previous=1")
	if resp.code != http.StatusOK || string(resp.body) != "line 1\nline 2\n" || resp.header.Get("Content-Type") != "text/plain" {
		t.Fatalf("log: %d %q %v", resp.code, resp.body, resp.header)
	}
	if got, want := kubelet.last(), "/containerLogs/ns/p/c?limitBytes=100&previous=true&sinceSeconds=10&tailLines=5&timestamps=true"; got != want {
		t.Errorf("kubelet asked %q, want %q", got, want)
	}
	if n := testutil.ToFloat64(metrics.usage.WithLabelValues("enforce_tls")); n != 1 {
		t.Errorf("enforce_tls usage %v", n)
	}

	for _, tt := range []struct {
		name, query string
		code        int
		want        string
	}{
		{"several containers", "multi/log", http.StatusBadRequest, "a container name must be specified for pod multi, choose one of: [i a waiting]"},
		{"unknown container", "p/log?container=x", http.StatusBadRequest, "container x is not valid for pod p"},
		{"kubelet refuses", "multi/log?container=waiting", http.StatusBadRequest, `container "waiting" in pod "multi" is waiting to start: ContainerCreating`},
		{"negative tail", "p/log?tailLines=-1", http.StatusUnprocessableEntity, `PodLogOptions "p" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0`},
		{"zero limit", "p/log?limitBytes=0", http.StatusUnprocessableEntity, "limitBytes: Invalid value: 0: must be greater than 0"},
		{"since twice", "p/log?sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z", http.StatusUnprocessableEntity, "at most one of `sinceTime` or `sinceSeconds` may be specified"},
		{"not a number", "p/log?tailLines=many", http.StatusBadRequest, "tailLines"},
		{"bad time", "p/log?sinceTime=yesterday", http.StatusBadRequest, "sinceTime"},
		{"missing pod", "nope/log", http.StatusNotFound, `pods "nope" not found`},
		{"missing node", "lost/log", http.StatusNotFound, `nodes "missing" not found`},
		{"no usable address", "far/log", http.StatusInternalServerError, "no preferred addresses found; known addresses: [{ExternalIP 192.0.2.1}]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp := get(tt.query)
			if st := resp.status(t); resp.code != tt.code || !strings.Contains(st.Message, tt.want) {
				t.Errorf("got %d %q, want %d with %q", resp.code, st.Message, tt.code, tt.want)
			}
		})
	}
	if resp := get("unbound/log"); resp.code != http.StatusNoContent || len(resp.body) != 0 {
		t.Errorf("a pod with no node: %d %q, want 204", resp.code, resp.body)
	}
	if resp := do(t, srv, http.MethodPost, "/api/v1/namespaces/ns/pods/p/log", "", nil); resp.code != http.StatusMethodNotAllowed {
		t.Errorf("POST log: %d", resp.code)
	}

	t.Run("follow streams as the kubelet writes", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/v1/namespaces/ns/pods/p/log?follow=true", nil)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		rd := bufio.NewReader(resp.Body)
		line, err := rd.ReadString('\n')
		if err != nil || line != "first\n" {
			t.Fatalf("first line %q %v (not flushed?)", line, err)
		}
		close(kubelet.release)
		rest, err := io.ReadAll(rd)
		if err != nil || string(rest) != "second\n" {
			t.Errorf("rest %q %v", rest, err)
		}
	})

	t.Run("kubelet certificate verified", func(t *testing.T) {
		trusted := x509.NewCertPool()
		trusted.AddCert(kubelet.Certificate())
		ok := NewLog(nil, e.store("pods"), e.store("nodes"), NewKubeletClient(KubeletConfig{AddressTypes: cfg.AddressTypes, RootCAs: trusted}), metrics)
		if resp := do(t, e.serve(endpoints.WithSubresource(podsGVR, "log", ok)), http.MethodGet, "/api/v1/namespaces/ns/pods/p/log", "", nil); resp.code != http.StatusOK {
			t.Errorf("trusted kubelet: %d %s", resp.code, resp.body)
		}
		untrusted := x509.NewCertPool()
		untrusted.AddCert(otherCA(t)) // httptest's servers all share one certificate
		bad := NewLog(nil, e.store("pods"), e.store("nodes"), NewKubeletClient(KubeletConfig{AddressTypes: cfg.AddressTypes, RootCAs: untrusted}), metrics)
		badSrv := e.serve(endpoints.WithSubresource(podsGVR, "log", bad))
		resp := do(t, badSrv, http.MethodGet, "/api/v1/namespaces/ns/pods/p/log", "", nil)
		if st := resp.status(t); resp.code != http.StatusInternalServerError || !strings.Contains(st.Message, "certificate") {
			t.Errorf("untrusted kubelet: %d %s", resp.code, resp.body)
		}
		if n := testutil.ToFloat64(metrics.tlsFailure); n != 1 {
			t.Errorf("TLS failures counted %v, want 1", n)
		}
		// insecureSkipTLSVerifyBackend skips the check.
		if resp := do(t, badSrv, http.MethodGet, "/api/v1/namespaces/ns/pods/p/log?insecureSkipTLSVerifyBackend=true", "", nil); resp.code != http.StatusOK {
			t.Errorf("skip TLS verify: %d %s", resp.code, resp.body)
		}
		if n := testutil.ToFloat64(metrics.usage.WithLabelValues("skip_tls_allowed")); n != 1 {
			t.Errorf("skip_tls_allowed usage %v", n)
		}
	})
}
