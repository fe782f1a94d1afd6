package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

const (
	// namespace holds every pod the benchmarks make.
	namespace = "bench"
	// concurrentClients is how many clients create pods at once.
	concurrentClients = 16
	// podCount is how many pods the create scenario makes and the list
	// scenario lists.
	podCount = 3000
)

// noProxy is the transport's proxy function. Any non-nil function also keeps
// client-go from sharing one cached transport between clients, so each
// client has its own connection, as separate processes would.
func noProxy(*http.Request) (*url.URL, error) { return nil, nil }

// codec is the media type clients send and accept.
type codec string

const (
	// jsonCodec is what kubectl speaks.
	jsonCodec codec = "application/json"
	// protobufCodec is what the daemons speak (client-go's choice for
	// built-in kinds when asked for protobuf, as kube-controller-manager,
	// kube-scheduler, kubelet and kube-proxy ask).
	protobufCodec codec = "application/vnd.kubernetes.protobuf"
)

// contents are the media types the create benchmark measures, in order,
// by the name of their sub-benchmark.
var contents = []struct {
	name  string
	codec codec
}{{"json", jsonCodec}, {"protobuf", protobufCodec}}

// newClient is a client-go clientset of s on its own connection: JSON in
// both directions, no client-side rate limit (QPS < 0), admin's token.
func newClient(s *apiserver) (kubernetes.Interface, error) {
	return newClientOf(s, jsonCodec)
}

// newClientOf is newClient speaking media type c both ways.
func newClientOf(s *apiserver, c codec) (kubernetes.Interface, error) {
	cs, err := kubernetes.NewForConfig(&rest.Config{
		Host:            s.url,
		BearerToken:     adminToken,
		TLSClientConfig: rest.TLSClientConfig{Insecure: true},
		ContentConfig:   rest.ContentConfig{ContentType: string(c), AcceptContentTypes: string(c)},
		QPS:             -1,
		UserAgent:       "skiff-bench",
		Proxy:           noProxy,
	})
	if err != nil {
		return nil, fmt.Errorf("client of %s apiserver: %w", s.kind, err)
	}
	return cs, nil
}

// newClients makes n clients of s speaking media type m and warms each
// connection (TLS handshake, authentication) by reading the bench
// namespace, which must exist.
func newClients(ctx context.Context, s *apiserver, n int, m codec) ([]kubernetes.Interface, error) {
	clients := make([]kubernetes.Interface, n)
	for i := range clients {
		c, err := newClientOf(s, m)
		if err != nil {
			return nil, err
		}
		if _, err := c.CoreV1().Namespaces().Get(ctx, namespace, metav1.GetOptions{}); err != nil {
			return nil, fmt.Errorf("warm client %d: get namespace %s: %w", i, namespace, err)
		}
		clients[i] = c
	}
	return clients, nil
}

// createNamespace creates the bench namespace.
func createNamespace(ctx context.Context, s *apiserver) error {
	c, err := newClient(s)
	if err != nil {
		return err
	}
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: namespace}}
	if _, err := c.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil {
		return fmt.Errorf("create namespace %s: %w", namespace, err)
	}
	return nil
}

// podName is the name of the k-th pod a create scenario makes.
func podName(k int) string { return fmt.Sprintf("pod-%05d", k) }

// benchPod is a small valid pod: one busybox container.
func benchPod(name string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"app": "bench"}},
		Spec: corev1.PodSpec{
			Containers: []corev1.Container{{Name: "main", Image: "busybox"}},
		},
	}
}

// createPods creates n pods named pod-00000… in the bench namespace with
// client-go clients; see runAgents.
func createPods(ctx context.Context, clients []kubernetes.Interface, n int) (latencies, time.Duration, error) {
	return runAgents(ctx, len(clients), n, func(ctx context.Context, agent, k int) error {
		_, err := clients[agent].CoreV1().Pods(namespace).Create(ctx, benchPod(podName(k)), metav1.CreateOptions{})
		return err
	})
}

// runAgents creates n pods, the k-th by create(ctx, agent, k), with agents
// goroutines each taking the next pod as soon as its previous create
// returns. It returns every create's latency and the wall time from the
// first create to the last response; the first error stops every agent.
func runAgents(ctx context.Context, agents, n int, create func(ctx context.Context, agent, k int) error) (latencies, time.Duration, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		perAgent = make([]latencies, agents)
		errOnce  sync.Once
		firstErr error
	)
	start := time.Now()
	for i := range agents {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1)) - 1
				if k >= n || ctx.Err() != nil {
					return
				}
				t0 := time.Now()
				if err := create(ctx, i, k); err != nil {
					errOnce.Do(func() { firstErr = fmt.Errorf("create pod %s/%s: %w", namespace, podName(k), err); cancel() })
					return
				}
				perAgent[i] = append(perAgent[i], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	wall := time.Since(start)
	if firstErr != nil {
		return nil, 0, firstErr
	}
	all := make(latencies, 0, n)
	for _, l := range perAgent {
		all = append(all, l...)
	}
	return all, wall, nil
}
