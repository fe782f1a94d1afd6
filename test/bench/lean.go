package bench

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
)

// leanClient creates pods with bodies encoded before timing and reads
// each answer's bytes without decoding them: a load generator that leaves
// the machine's cores to the server and etcd. Like a client-go client it
// has its own HTTP/2 connection, sends the admin token and asks for the
// same media type it sends.
type leanClient struct {
	http  *http.Client
	url   string // the pods collection of the bench namespace
	media codec
	proto string // the protocol of the last answer
}

// newLeanClients makes n lean clients of s speaking media type m, each on
// its own connection, warmed (TLS handshake, authentication) by one GET of
// the bench namespace.
func newLeanClients(ctx context.Context, s *apiserver, n int, m codec) ([]*leanClient, error) {
	clients := make([]*leanClient, n)
	for i := range clients {
		t := &http.Transport{
			TLSClientConfig:   &tls.Config{InsecureSkipVerify: true},
			ForceAttemptHTTP2: true,
			Proxy:             noProxy,
		}
		c := &leanClient{http: &http.Client{Transport: t}, url: s.url + "/api/v1/namespaces/" + namespace + "/pods", media: m}
		if _, err := c.do(ctx, http.MethodGet, s.url+"/api/v1/namespaces/"+namespace, nil, http.StatusOK); err != nil {
			return nil, fmt.Errorf("warm lean client %d: %w", i, err)
		}
		if c.proto != "HTTP/2.0" {
			return nil, fmt.Errorf("lean client %d speaks %s, want HTTP/2.0", i, c.proto)
		}
		clients[i] = c
	}
	return clients, nil
}

// do sends one request (one at a time per client) and reads the whole answer, which must have status
// want; it returns the answer's length.
func (c *leanClient) do(ctx context.Context, method, url string, body []byte, want int) (int64, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+adminToken)
	req.Header.Set("Accept", string(c.media))
	req.Header.Set("User-Agent", "skiff-bench-lean")
	if body != nil {
		req.Header.Set("Content-Type", string(c.media))
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return n, fmt.Errorf("%s %s: read answer: %w", method, url, err)
	}
	c.proto = resp.Proto
	if resp.StatusCode != want {
		return n, fmt.Errorf("%s %s: status %d, want %d", method, url, resp.StatusCode, want)
	}
	if n == 0 {
		return n, fmt.Errorf("%s %s: empty answer", method, url)
	}
	return n, nil
}

// encodePods encodes n bench pods, named as createPods names them, in
// media type m, as client-go would send them.
func encodePods(n int, m codec) ([][]byte, error) {
	info, ok := runtime.SerializerInfoForMediaType(scheme.Codecs.SupportedMediaTypes(), string(m))
	if !ok {
		return nil, fmt.Errorf("no serializer for %s", m)
	}
	enc := scheme.Codecs.EncoderForVersion(info.Serializer, corev1.SchemeGroupVersion)
	bodies := make([][]byte, n)
	for k := range bodies {
		b, err := runtime.Encode(enc, benchPod(podName(k)))
		if err != nil {
			return nil, fmt.Errorf("encode pod %d: %w", k, err)
		}
		bodies[k] = b
	}
	return bodies, nil
}

// createPodsLean is createPods with lean clients sending the pre-encoded
// bodies; every answer must be 201 Created.
func createPodsLean(ctx context.Context, clients []*leanClient, bodies [][]byte) (latencies, time.Duration, error) {
	return runAgents(ctx, len(clients), len(bodies), func(ctx context.Context, agent, k int) error {
		c := clients[agent]
		_, err := c.do(ctx, http.MethodPost, c.url, bodies[k], http.StatusCreated)
		return err
	})
}

// checkPodCount makes sure the bench namespace holds exactly want pods.
func checkPodCount(ctx context.Context, c kubernetes.Interface, want int) error {
	list, err := c.CoreV1().Pods(namespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("list pods in %s: %w", namespace, err)
	}
	if len(list.Items) != want {
		return fmt.Errorf("%s holds %d pods, want %d", namespace, len(list.Items), want)
	}
	return nil
}
