package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/scheme"
	"github.com/skiff-dev/skiff/apiserver/storage/etcdtest"
	"github.com/skiff-dev/skiff/internal/daemon"
)

const benchToken = "bench-admin-token"

// BenchmarkCreatePod sends pod creates, as a protobuf client does, through
// the whole handler chain of a server on a real etcd, 16 at a time as
// test/bench's clients, but without TLS or HTTP/2: what skiff's own code and etcd's client cost a
// create. B/op, allocs/op and cpu-us/op (the process's CPU time) count
// everything the process did meanwhile, the watch caches' share and the
// benchmark's requests and recorders (about 2.5 KB) included. Steadier than test/bench's figures, which
// share the machine with etcd and the clients.
func BenchmarkCreatePod(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h := benchServer(ctx, b)
	if err := post(h, "/api/v1/namespaces", `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"bench"}}`, "application/json"); err != nil {
		b.Fatal(err)
	}
	s := scheme.NewCodecs(scheme.New())
	bodies := make([][]byte, b.N)
	for i := range bodies {
		pod := &corev1.Pod{
			TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("pod-%07d", i), Labels: map[string]string{"app": "bench"}},
			Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "main", Image: "busybox"}}},
		}
		var buf bytes.Buffer
		if err := s.Protobuf.Encode(pod, &buf); err != nil {
			b.Fatal(err)
		}
		bodies[i] = buf.Bytes()
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := processCPU(b)
	var next atomic.Int64
	b.SetParallelism(8) // 16 senders on two cores, as test/bench's clients
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := post(h, "/api/v1/namespaces/bench/pods", string(bodies[next.Add(1)-1]), "application/vnd.kubernetes.protobuf"); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64((processCPU(b)-cpu0).Microseconds())/float64(b.N), "cpu-us/op")
}

// processCPU is the CPU time, user and system, this process has used.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// post sends body and expects 201 Created.
func post(h http.Handler, path, body, media string) error {
	req, err := http.NewRequest(http.MethodPost, "https://127.0.0.1:6443"+path, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+benchToken)
	req.Header.Set("Content-Type", media)
	req.Header.Set("Accept", media)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated {
		return fmt.Errorf("POST %s: %d %s", path, rec.Code, rec.Body)
	}
	return nil
}

// benchServer builds a server on a fresh etcd as the benchmark of test/bench
// starts one (token authentication of an admin in system:masters, RBAC, no
// ServiceAccount admission), runs its watch caches and bootstrap, and
// returns its handler once the caches are ready.
func benchServer(ctx context.Context, b *testing.B) http.Handler {
	dir := b.TempDir()
	tokens, key := filepath.Join(dir, "tokens.csv"), filepath.Join(dir, "sa.key")
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	for path, data := range map[string][]byte{
		tokens: []byte(benchToken + `,admin,uid-admin,"system:masters"` + "\n"),
		key:    pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey)}),
	} {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	endpoints := etcdtest.Start(b)
	o := parse(b, "--etcd-servers="+endpoints[0], "--token-auth-file="+tokens,
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file="+key, "--service-account-signing-key-file="+key,
		"--authorization-mode=RBAC", "--disable-admission-plugins=ServiceAccount")
	logger := zap.NewNop()
	health := daemon.NewHealth(logger)
	d := &daemon.Daemon{Logger: logger, Registry: prometheus.NewRegistry(), Health: health,
		Mux: http.NewServeMux(), Runner: daemon.NewRunner(logger, health)}
	s, err := newServer(ctx, d, o)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range s.caches {
		go func() { _ = c.Run(ctx) }()
	}
	wait, cancelWait := context.WithTimeout(ctx, time.Minute)
	defer cancelWait()
	for _, c := range s.caches {
		if err := c.WaitReady(wait); err != nil {
			b.Fatalf("watch caches not ready: %v", err)
		}
	}
	if err := s.bootstrap(ctx, s.objects); err != nil {
		b.Fatal(err)
	}
	return s.handler
}
