package app

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"

	"github.com/skiff-dev/skiff/apiserver/storage/etcdcodec"
)

// newEtcdClient connects to --etcd-servers, with TLS when the etcd flags
// name certificates.
func newEtcdClient(logger *zap.Logger, o *Options) (*clientv3.Client, error) {
	cfg := clientv3.Config{
		Endpoints:            o.EtcdServers,
		DialTimeout:          20 * time.Second,
		DialKeepAliveTime:    30 * time.Second,
		DialKeepAliveTimeout: 10 * time.Second,
		Logger:               logger.Named("etcd-client").WithOptions(zap.IncreaseLevel(zap.WarnLevel)),
		MaxCallSendMsgSize:   64 << 20,
		MaxCallRecvMsgSize:   0,
		DialOptions:          etcdcodec.DialOptions(),
	}
	if o.EtcdCAFile != "" || o.EtcdCertFile != "" {
		tlsCfg, err := etcdTLS(o)
		if err != nil {
			return nil, err
		}
		cfg.TLS = tlsCfg
	}
	c, err := clientv3.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("etcd client for %v: %w", o.EtcdServers, err)
	}
	return c, nil
}

func etcdTLS(o *Options) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if o.EtcdCAFile != "" {
		pem, err := os.ReadFile(o.EtcdCAFile)
		if err != nil {
			return nil, fmt.Errorf("--etcd-cafile: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, errors.New("--etcd-cafile: no certificate found")
		}
		cfg.RootCAs = pool
	}
	if o.EtcdCertFile != "" || o.EtcdKeyFile != "" {
		cert, err := tls.LoadX509KeyPair(o.EtcdCertFile, o.EtcdKeyFile)
		if err != nil {
			return nil, fmt.Errorf("--etcd-certfile/--etcd-keyfile: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}
