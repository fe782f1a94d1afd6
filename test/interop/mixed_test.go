package interop

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/utils/ptr"

	"github.com/skiff-dev/skiff/apiserver/storage/etcdtest"
	"github.com/skiff-dev/skiff/test/process"
)

// TestMixedAPIServersOnOneEtcd: skiff's and upstream's kube-apiserver on
// one etcd, as in a cluster midway through replacing one with the other,
// serve the same objects: what one writes the other reads, watches and
// deletes, and Service cluster IPs are never handed out twice.
func TestMixedAPIServersOnOneEtcd(t *testing.T) {
	dir := t.TempDir()
	endpoints := strings.Join(etcdtest.Start(t), ",")
	tokens := filepath.Join(dir, "tokens.csv")
	writeFile(t, tokens, adminToken+`,admin,uid-admin,"system:masters"`+"\n")
	saKey := filepath.Join(dir, "sa.key")
	writeFile(t, saKey, string(rsaKeyPEM(t)))
	common := []string{
		"--etcd-servers=" + endpoints, "--bind-address=127.0.0.1",
		"--token-auth-file=" + tokens, "--authorization-mode=RBAC",
		"--service-account-key-file=" + saKey, "--service-account-signing-key-file=" + saKey,
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-cluster-ip-range=10.0.0.0/24",
	}
	ours := process.Start(t, "kube-apiserver", append([]string{"--secure-port=0", "--cert-dir=" + filepath.Join(dir, "skiff-certs")}, common...)...)
	skiff := clientFor(t, "https://"+ours.Address("secure-serving"))
	theirs := clientFor(t, startUpstreamAPIServer(t, dir, common))

	ctx := context.Background()
	for name, c := range map[string]kubernetes.Interface{"skiff": skiff, "upstream": theirs} {
		waitReady(t, name, c)
	}
	ns := "mixed"
	if _, err := skiff.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	// Written by skiff, read by upstream.
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "settings", Labels: map[string]string{"a": "b"}}, Data: map[string]string{"k": "v"}}
	if _, err := skiff.CoreV1().ConfigMaps(ns).Create(ctx, cm, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	labels := map[string]string{"app": "web"}
	d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "web"}, Spec: appsv1.DeploymentSpec{
		Replicas: ptr.To(int32(3)), Selector: &metav1.LabelSelector{MatchLabels: labels}, Template: template("web")}}
	if _, err := skiff.AppsV1().Deployments(ns).Create(ctx, d, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	got, err := theirs.CoreV1().ConfigMaps(ns).Get(ctx, "settings", metav1.GetOptions{})
	if err != nil || got.Data["k"] != "v" || got.Labels["a"] != "b" {
		t.Fatalf("upstream reads skiff's ConfigMap: %+v, %v", got, err)
	}
	dep, err := theirs.AppsV1().Deployments(ns).Get(ctx, "web", metav1.GetOptions{})
	if err != nil || *dep.Spec.Replicas != 3 || dep.Spec.Template.Spec.Containers[0].Image != "registry.local/web:1" ||
		dep.Spec.Strategy.Type != appsv1.RollingUpdateDeploymentStrategyType || len(dep.ManagedFields) == 0 {
		t.Fatalf("upstream reads skiff's Deployment: %+v, %v", dep, err)
	}

	// Updated by upstream on skiff's object, read back by skiff.
	got.Data["k"] = "w"
	if _, err := theirs.CoreV1().ConfigMaps(ns).Update(ctx, got, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	back, err := skiff.CoreV1().ConfigMaps(ns).Get(ctx, "settings", metav1.GetOptions{})
	if err != nil || back.Data["k"] != "w" {
		t.Fatalf("skiff reads upstream's update: %+v, %v", back, err)
	}

	// Watched through skiff, written through upstream.
	w, err := skiff.CoreV1().ConfigMaps(ns).Watch(ctx, metav1.ListOptions{ResourceVersion: back.ResourceVersion})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	if _, err := theirs.CoreV1().ConfigMaps(ns).Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "theirs"}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-w.ResultChan():
		if cm, ok := ev.Object.(*corev1.ConfigMap); ev.Type != watch.Added || !ok || cm.Name != "theirs" {
			t.Errorf("skiff's watch: %s %#v", ev.Type, ev.Object)
		}
	case <-time.After(waitTimeout):
		t.Fatal("skiff's watch did not see upstream's create")
	}

	// Cluster IPs from either server are distinct.
	ips := map[string]string{}
	for i := range 6 {
		c, server := skiff, "skiff"
		if i%2 == 1 {
			c, server = theirs, "upstream"
		}
		svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("svc-%d", i)},
			Spec: corev1.ServiceSpec{Ports: []corev1.ServicePort{{Port: 80}}}}
		out, err := c.CoreV1().Services(ns).Create(ctx, svc, metav1.CreateOptions{})
		if err != nil {
			t.Fatalf("%s creates a Service: %v", server, err)
		}
		if prev, dup := ips[out.Spec.ClusterIP]; dup {
			t.Errorf("cluster IP %s handed out twice: %s and %s", out.Spec.ClusterIP, prev, out.Name)
		}
		ips[out.Spec.ClusterIP] = out.Name
	}

	// Deleted by skiff, gone for upstream.
	if err := skiff.CoreV1().ConfigMaps(ns).Delete(ctx, "theirs", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := theirs.CoreV1().ConfigMaps(ns).Get(ctx, "theirs", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("upstream still reads a ConfigMap skiff deleted: %v", err)
	}
}

// startUpstreamAPIServer runs upstream's kube-apiserver with args and
// returns its URL.
func startUpstreamAPIServer(t *testing.T, dir string, args []string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0") // upstream refuses --secure-port=0
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	startDaemon(t, "kube-apiserver", append([]string{"--secure-port=" + strconv.Itoa(port), "--cert-dir=" + filepath.Join(dir, "upstream-certs")}, args...)...)
	return "https://127.0.0.1:" + strconv.Itoa(port)
}

func clientFor(t *testing.T, url string) kubernetes.Interface {
	t.Helper()
	c, err := kubernetes.NewForConfig(&rest.Config{Host: url, BearerToken: adminToken, TLSClientConfig: rest.TLSClientConfig{Insecure: true}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// waitReady polls /readyz (another process) until it answers ok.
func waitReady(t *testing.T, name string, c kubernetes.Interface) {
	t.Helper()
	deadline := time.Now().Add(2 * waitTimeout)
	for {
		body, err := c.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(context.Background())
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s kube-apiserver not ready: %s %v", name, body, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
