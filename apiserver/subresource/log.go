package subresource

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"go.uber.org/zap"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/endpoints"
)

var logsResource = schema.GroupResource{Resource: "pods/log"}

// maxKubeletErrorBytes is how much of a kubelet's error answer is read.
const maxKubeletErrorBytes = 50000

// Log serves pods/log (GET): the container's log, streamed from the
// kubelet of the pod's node (GET https://<node>:<port>/containerLogs/
// <namespace>/<pod>/<container>), as text/plain. Query parameters are
// PodLogOptions'. A pod not yet on a node has no log: 204 No Content, as
// upstream answers.
type Log struct {
	logger  *zap.Logger
	pods    Getter
	nodes   Getter
	kubelet *KubeletClient
	metrics *LogMetrics
}

var _ endpoints.SubresourceHandler = (*Log)(nil)

// NewLog returns the pods/log handler. metrics may be nil.
func NewLog(logger *zap.Logger, pods, nodes Getter, kubelet *KubeletClient, metrics *LogMetrics) *Log {
	if logger == nil {
		logger = zap.NewNop()
	}
	return &Log{logger: logger.Named("pod-logs"), pods: pods, nodes: nodes, kubelet: kubelet, metrics: metrics}
}

// ServeSubresource streams the log of the pod named in the path.
func (l *Log) ServeSubresource(w http.ResponseWriter, r *http.Request, info *endpoints.RequestInfo, io endpoints.IO) {
	if info.Verb != "get" {
		io.Fail(w, r, unsupportedVerb(logsResource, info.Verb))
		return
	}
	opts, err := parseLogOptions(r.URL.Query())
	if err != nil {
		io.Fail(w, r, err)
		return
	}
	l.metrics.countUsage(opts.InsecureSkipTLSVerifyBackend)
	if errs := validateLogOptions(opts); len(errs) > 0 {
		io.Fail(w, r, apierrors.NewInvalid(schema.GroupKind{Kind: "PodLogOptions"}, info.Name, errs))
		return
	}
	loc, err := l.location(r.Context(), info.Namespace, info.Name, opts)
	if err != nil {
		io.Fail(w, r, err)
		return
	}
	if loc == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	resp, err := l.fetch(r.Context(), loc, opts.InsecureSkipTLSVerifyBackend, info.Name)
	if err != nil {
		io.Fail(w, r, err)
		return
	}
	defer resp.Body.Close()
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	if err := copyBody(w, rc, resp.Body, opts.Follow); err != nil && r.Context().Err() == nil {
		l.logger.Debug("log stream ended", zap.String("pod", info.Namespace+"/"+info.Name), zap.Error(err))
	}
}

// location is the kubelet URL of the log; nil when the pod has no node.
func (l *Log) location(ctx context.Context, namespace, name string, opts *corev1.PodLogOptions) (*url.URL, error) {
	obj, err := l.pods.Get(ctx, namespace, name)
	if err != nil {
		return nil, err
	}
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		return nil, apierrors.NewInternalError(fmt.Errorf("pod %s/%s: unexpected object %T", namespace, name, obj))
	}
	container, err := logContainer(opts.Container, pod)
	if err != nil {
		return nil, err
	}
	if pod.Spec.NodeName == "" {
		return nil, nil
	}
	obj, err = l.nodes.Get(ctx, "", pod.Spec.NodeName)
	if err != nil {
		return nil, err
	}
	node, ok := obj.(*corev1.Node)
	if !ok {
		return nil, apierrors.NewInternalError(fmt.Errorf("node %s: unexpected object %T", pod.Spec.NodeName, obj))
	}
	host, err := l.kubelet.Host(node)
	if err != nil {
		return nil, unknownError(err)
	}
	return &url.URL{
		Scheme:   "https",
		Host:     host,
		Path:     fmt.Sprintf("/containerLogs/%s/%s/%s", pod.Namespace, pod.Name, container),
		RawQuery: kubeletLogQuery(opts).Encode(),
	}, nil
}

// fetch asks the kubelet; an answer other than 2xx becomes the API error
// upstream makes of it, with the kubelet's text.
func (l *Log) fetch(ctx context.Context, loc *url.URL, skipVerify bool, name string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, loc.String(), nil)
	if err != nil {
		return nil, unknownError(err)
	}
	resp, err := l.kubelet.client(skipVerify).Do(req)
	if err != nil {
		var verr *tls.CertificateVerificationError
		if errors.As(err, &verr) {
			l.metrics.countTLSFailure()
		}
		return nil, unknownError(err)
	}
	if resp.StatusCode >= http.StatusOK && resp.StatusCode <= http.StatusPartialContent {
		return resp, nil
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxKubeletErrorBytes))
	if err != nil {
		return nil, apierrors.NewInternalError(err)
	}
	text := string(body)
	switch resp.StatusCode {
	case http.StatusInternalServerError:
		return nil, apierrors.NewInternalError(errors.New(text))
	case http.StatusBadRequest:
		return nil, apierrors.NewBadRequest(text)
	}
	return nil, apierrors.NewGenericServerResponse(resp.StatusCode, "", logsResource, name, text, 0, false)
}

// copyBody streams the kubelet's answer, flushing each chunk when the
// log is followed.
func copyBody(w io.Writer, rc *http.ResponseController, body io.Reader, follow bool) error {
	if !follow {
		_, err := io.Copy(w, body)
		return err
	}
	buf := make([]byte, 32<<10)
	for {
		n, err := body.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return werr
			}
			_ = rc.Flush()
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// kubeletLogQuery is the kubelet's query for opts, as upstream builds it.
func kubeletLogQuery(opts *corev1.PodLogOptions) url.Values {
	q := url.Values{}
	if opts.Follow {
		q.Add("follow", "true")
	}
	if opts.Previous {
		q.Add("previous", "true")
	}
	if opts.Timestamps {
		q.Add("timestamps", "true")
	}
	if opts.SinceSeconds != nil {
		q.Add("sinceSeconds", strconv.FormatInt(*opts.SinceSeconds, 10))
	}
	if opts.SinceTime != nil {
		q.Add("sinceTime", opts.SinceTime.Format(time.RFC3339))
	}
	if opts.TailLines != nil {
		q.Add("tailLines", strconv.FormatInt(*opts.TailLines, 10))
	}
	if opts.LimitBytes != nil {
		q.Add("limitBytes", strconv.FormatInt(*opts.LimitBytes, 10))
	}
	return q
}
