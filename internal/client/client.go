package client

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/time/rate"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Client sends requests to one API server. It is safe for concurrent use;
// share one per component.
type Client struct {
	base       *url.URL
	http       *http.Client
	limiter    *rate.Limiter // nil: unlimited
	userAgent  string
	timeout    time.Duration
	maxRetries int
	metrics    *Metrics
	sleep      func(ctx context.Context, d time.Duration) error
}

// New returns a Client for cfg.
func New(cfg *Config) (*Client, error) {
	base, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	rt, err := newTransport(cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{
		base:       base,
		http:       &http.Client{Transport: rt},
		userAgent:  cfg.UserAgent,
		timeout:    cfg.Timeout,
		maxRetries: cfg.MaxRetries,
		metrics:    cfg.Metrics,
		sleep:      sleepCtx,
	}
	if c.maxRetries == 0 {
		c.maxRetries = DefaultMaxRetries
	}
	if cfg.QPS >= 0 {
		qps, burst := cfg.QPS, cfg.Burst
		if qps == 0 {
			qps = DefaultQPS
		}
		if burst <= 0 {
			burst = DefaultBurst
		}
		c.limiter = rate.NewLimiter(rate.Limit(qps), burst)
	}
	return c, nil
}

// request is one API call before it is sent.
type request struct {
	method      string
	path        string // API path, e.g. /api/v1/namespaces/x/pods
	query       url.Values
	body        []byte
	contentType string
	// for errors built from codes:
	gr   schema.GroupResource
	name string
}

func (c *Client) url(r *request) string {
	u := *c.base
	u.Path = strings.TrimSuffix(c.base.Path, "/") + r.path
	u.RawPath = ""
	u.RawQuery = r.query.Encode()
	return u.String()
}

// do sends r, retrying as retry.go allows, and returns a response with a
// 2xx code; any other code becomes a *apierrors.StatusError.
func (c *Client) do(ctx context.Context, r *request) (*http.Response, error) {
	host := c.base.Host
	for attempt := 0; ; attempt++ {
		if err := c.wait(ctx, r.method, host); err != nil {
			return nil, err
		}
		req, err := http.NewRequestWithContext(ctx, r.method, c.url(r), bytes.NewReader(r.body))
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", r.method, r.path, err)
		}
		req.Header.Set("Accept", "application/json")
		if r.contentType != "" {
			req.Header.Set("Content-Type", r.contentType)
		}
		if c.userAgent != "" {
			req.Header.Set("User-Agent", c.userAgent)
		}
		start := time.Now()
		resp, err := c.http.Do(req)
		code := 0
		if resp != nil {
			code = resp.StatusCode
		}
		c.metrics.observe(r.method, host, code, time.Since(start))

		wait, retry := c.retryAfter(attempt, r.method, resp, err)
		if retry && ctx.Err() == nil {
			if resp != nil {
				_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
				resp.Body.Close()
			}
			c.metrics.retry(r.method, host, code)
			if err := c.sleep(ctx, wait); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", r.method, r.path, err)
		}
		if code < 200 || code > 299 {
			defer resp.Body.Close()
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			return nil, errorFromResponse(verbOf(r.method), r.gr, r.name, code, resp.Header, body)
		}
		return resp, nil
	}
}

// exchange sends r and reads the whole answer.
func (c *Client) exchange(ctx context.Context, r *request) ([]byte, error) {
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	resp, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: read answer: %w", r.method, r.path, err)
	}
	return body, nil
}

func (c *Client) wait(ctx context.Context, method, host string) error {
	if c.limiter == nil {
		return nil
	}
	start := time.Now()
	if err := c.limiter.Wait(ctx); err != nil {
		return fmt.Errorf("client rate limiter: %w", err)
	}
	c.metrics.waited(method, host, time.Since(start))
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// verbOf names an HTTP method as the API's verbs do, for error messages.
func verbOf(method string) string {
	switch method {
	case http.MethodPost:
		return "create"
	case http.MethodPut:
		return "update"
	case http.MethodPatch:
		return "patch"
	case http.MethodDelete:
		return "delete"
	default:
		return "get"
	}
}
