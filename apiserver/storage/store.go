package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// checkTimeout bounds a readiness check whose context has no deadline.
const checkTimeout = 2 * time.Second

// Store is kube-apiserver's etcd v3 storage: one per etcd cluster, shared
// by every resource (see Resource).
type Store struct {
	logger  *zap.Logger
	client  *clientv3.Client
	kv      pb.KVClient // client's connection, for transactions built by hand (txn.go)
	prefix  string      // "/registry", without a trailing slash
	metrics *metrics
	leases  *leaseManager

	// after and onCompact let tests drive the compactor.
	after     func(time.Duration) <-chan time.Time
	onCompact func(compactStep)
}

// New returns a store keeping keys under pathPrefix (--etcd-prefix,
// "/registry" by default) of c's etcd. Metrics are registered on reg when it
// is not nil.
func New(logger *zap.Logger, c *clientv3.Client, pathPrefix string, reg prometheus.Registerer) *Store {
	if logger == nil {
		logger = zap.NewNop()
	}
	m, errs := newMetrics(reg)
	for _, err := range errs {
		logger.Error("storage metric not registered", zap.Error(err))
	}
	var kv pb.KVClient
	if c != nil { // a store that only runs its compactor's timing, in tests
		kv = pb.NewKVClient(c.ActiveConnection())
	}
	return &Store{
		logger:    logger,
		client:    c,
		kv:        kv,
		prefix:    cleanPrefix(pathPrefix),
		metrics:   m,
		leases:    newLeaseManager(c, m.leaseObjects),
		after:     time.After,
		onCompact: func(compactStep) {},
	}
}

// cleanPrefix turns "registry", "/registry/" and "/registry" into
// "/registry", and "" or "/" into "".
func cleanPrefix(p string) string {
	p = strings.Trim(p, "/")
	if p == "" {
		return ""
	}
	return "/" + p
}

// Resource returns the storage of one resource, keyed under
// <pathPrefix>/<resourcePrefix>/ ("pods", "services/specs", "minions").
// codec encodes what is kept; newFunc returns an empty object of the kind
// (&corev1.Pod{}).
func (s *Store) Resource(resourcePrefix string, codec Codec, newFunc func() Object) *Resource {
	name := strings.Trim(resourcePrefix, "/")
	return &Resource{
		store:   s,
		prefix:  s.prefix + "/" + name + "/",
		name:    name,
		codec:   codec,
		newFunc: newFunc,
	}
}

// CurrentRevision returns etcd's latest revision (a consistent read).
func (s *Store) CurrentRevision(ctx context.Context) (int64, error) {
	key := s.prefix + "/"
	resp, err := s.client.Get(ctx, key, clientv3.WithCountOnly())
	if err != nil {
		return 0, wrapEtcdError(key, err)
	}
	return resp.Header.Revision, nil
}

// Check says whether etcd answers a read (readiness). Without a deadline in
// ctx it waits at most 2s.
func (s *Store) Check(ctx context.Context) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, checkTimeout)
		defer cancel()
	}
	key := s.prefix + "/health"
	if _, err := s.client.Get(ctx, key, clientv3.WithCountOnly()); err != nil {
		return fmt.Errorf("etcd check: %w", wrapEtcdError(key, err))
	}
	return nil
}

// Resource is the storage of one resource's objects. Its methods take full
// keys, from Key and Prefix.
type Resource struct {
	store   *Store
	prefix  string // "/registry/pods/"
	name    string // "pods": the metrics' label
	codec   Codec
	newFunc func() Object
	written handoff // objects written, for the watch
	// fieldSets shares the managedFields bytes of the objects decoded: one
	// table per resource, so that its decodes (lists, watch events) share
	// no lock with other resources'.
	fieldSets fieldSets
}

// Key returns the key of an object: "/registry/pods/ns/name", or
// "/registry/nodes/name" when namespace is "" (cluster-scoped).
func (r *Resource) Key(namespace, name string) string {
	if namespace == "" {
		return r.prefix + name
	}
	return r.prefix + namespace + "/" + name
}

// Prefix returns the prefix of a namespace's objects ("/registry/pods/ns/"),
// or of all objects when namespace is "" ("/registry/pods/").
func (r *Resource) Prefix(namespace string) string {
	if namespace == "" {
		return r.prefix
	}
	return r.prefix + namespace + "/"
}

// checkKey refuses keys outside the resource: a programming error, never
// something a client can cause.
func (r *Resource) checkKey(key string) error {
	if len(key) <= len(r.prefix) || !strings.HasPrefix(key, r.prefix) {
		return fmt.Errorf("key %q: not an object of %q", key, r.prefix)
	}
	return nil
}

// listPrefix returns prefix with a trailing slash, checked to be within the
// resource.
func (r *Resource) listPrefix(prefix string) (string, error) {
	if !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	if !strings.HasPrefix(prefix, r.prefix) {
		return "", fmt.Errorf("key %q: not a prefix of %q", prefix, r.prefix)
	}
	return prefix, nil
}
