// Package podresources computes what a whole pod requests and is limited
// to, as upstream's resource helpers do: the sum over its containers and
// restartable (sidecar) init containers, at least what any init container
// needs while it runs beside the sidecars started before it, plus the pod
// overhead when asked.
package podresources

import corev1 "k8s.io/api/core/v1"

// Requests is pod's effective request of every resource; overhead adds
// spec.overhead.
func Requests(pod *corev1.Pod, overhead bool) corev1.ResourceList {
	reqs := aggregate(pod, func(c *corev1.Container) corev1.ResourceList { return c.Resources.Requests })
	if overhead && pod.Spec.Overhead != nil {
		add(reqs, pod.Spec.Overhead)
	}
	return reqs
}

// Limits is pod's effective limit of every resource; overhead adds
// spec.overhead to the resources that have a limit.
func Limits(pod *corev1.Pod, overhead bool) corev1.ResourceList {
	limits := aggregate(pod, func(c *corev1.Container) corev1.ResourceList { return c.Resources.Limits })
	if overhead && pod.Spec.Overhead != nil {
		for name, q := range pod.Spec.Overhead {
			if v, ok := limits[name]; ok {
				v.Add(q)
				limits[name] = v
			}
		}
	}
	return limits
}

func aggregate(pod *corev1.Pod, of func(*corev1.Container) corev1.ResourceList) corev1.ResourceList {
	total := corev1.ResourceList{}
	for i := range pod.Spec.Containers {
		add(total, of(&pod.Spec.Containers[i]))
	}
	sidecars := corev1.ResourceList{}
	initMax := corev1.ResourceList{}
	for i := range pod.Spec.InitContainers {
		c := &pod.Spec.InitContainers[i]
		var need corev1.ResourceList
		if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
			// A sidecar runs for the pod's whole life.
			add(total, of(c))
			add(sidecars, of(c))
			need = sidecars
		} else {
			need = corev1.ResourceList{}
			add(need, of(c))
			add(need, sidecars)
		}
		maximum(initMax, need)
	}
	maximum(total, initMax)
	return total
}

// add adds extra to list.
func add(list, extra corev1.ResourceList) {
	for name, q := range extra {
		if v, ok := list[name]; ok {
			v.Add(q)
			list[name] = v
		} else {
			list[name] = q.DeepCopy()
		}
	}
}

// maximum raises every resource of list to at least other's.
func maximum(list, other corev1.ResourceList) {
	for name, q := range other {
		if v, ok := list[name]; !ok || q.Cmp(v) > 0 {
			list[name] = q.DeepCopy()
		}
	}
}
