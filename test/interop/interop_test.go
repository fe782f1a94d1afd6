package interop

import "testing"

// TestUpstreamDaemonsOnSkiff runs upstream's kube-scheduler and
// kube-controller-manager together on one skiff apiserver, as a cluster
// would, and checks each does its work.
func TestUpstreamDaemonsOnSkiff(t *testing.T) {
	c := startCluster(t)
	c.startScheduler()
	c.startControllerManager()
	t.Run("scheduler", func(t *testing.T) { testScheduler(t, c.with(t)) })
	t.Run("deployments", func(t *testing.T) { testDeployments(t, c.with(t)) })
	t.Run("jobs", func(t *testing.T) { testJobs(t, c.with(t)) })
	t.Run("endpointslices", func(t *testing.T) { testEndpointSlices(t, c.with(t)) })
	t.Run("namespace deletion", func(t *testing.T) { testNamespaceDeletion(t, c.with(t)) })
	t.Run("resource quota", func(t *testing.T) { testResourceQuota(t, c.with(t)) })
	t.Run("statefulsets, daemonsets, budgets", func(t *testing.T) { testStatefulSetsDaemonSetsAndBudgets(t, c.with(t)) })
}

// with is c reporting to t.
func (c *cluster) with(t *testing.T) *cluster {
	cc := *c
	cc.t = t
	return &cc
}
