package daemon

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/pflag"

	"github.com/skiff-dev/skiff/internal/client"
	"github.com/skiff-dev/skiff/internal/version"
)

// ClientConnection is how a component reaches the API server: upstream's
// clientConnection config section and its flags.
type ClientConnection struct {
	Kubeconfig string  `json:"kubeconfig"`
	QPS        float32 `json:"qps"`
	Burst      int32   `json:"burst"`
	// Master overrides the kubeconfig's server (--master); flag only.
	Master string `json:"-"`
}

// NewClientConnection returns a component's defaults: upstream's QPS and
// burst for it (kube-scheduler 50/100, controller-managers 20/30, …).
func NewClientConnection(qps float32, burst int32) ClientConnection {
	return ClientConnection{QPS: qps, Burst: burst}
}

// AddFlags registers --kubeconfig, --master, --kube-api-qps and
// --kube-api-burst on fs.
func (o *ClientConnection) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.Kubeconfig, "kubeconfig", o.Kubeconfig,
		"Path to a kubeconfig file with the API server's address and credentials. Without it (and without --master) "+
			"the in-cluster configuration is used, then KUBECONFIG and ~/.kube/config.")
	fs.StringVar(&o.Master, "master", o.Master, "The address of the API server (overrides any value in kubeconfig).")
	fs.Float32Var(&o.QPS, "kube-api-qps", o.QPS, "QPS to use while talking with the API server.")
	fs.Int32Var(&o.Burst, "kube-api-burst", o.Burst, "Burst to use while talking with the API server.")
}

// Client builds the component's API client, counting its requests on reg.
func (o ClientConnection) Client(component string, reg prometheus.Registerer) (*client.Client, error) {
	cfg, err := client.ConfigFromFlags(o.Master, o.Kubeconfig)
	if err != nil {
		return nil, fmt.Errorf("API server connection: %w", err)
	}
	cfg.QPS, cfg.Burst = o.QPS, int(o.Burst)
	cfg.UserAgent = version.UserAgent(component)
	cfg.Metrics = client.NewMetrics(reg)
	return client.New(cfg)
}
