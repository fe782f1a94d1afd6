// Package podrefs lists the Secrets and ConfigMaps a pod refers to (image
// pull secrets, environment, volumes), as upstream's VisitPodSecretNames
// and VisitPodConfigmapNames over all containers.
package podrefs

import corev1 "k8s.io/api/core/v1"

// Secrets are the names of the Secrets pod refers to, in order of
// appearance, empty names left out.
func Secrets(pod *corev1.Pod) []string {
	var names []string
	add := func(n string) {
		if n != "" {
			names = append(names, n)
		}
	}
	for _, r := range pod.Spec.ImagePullSecrets {
		add(r.Name)
	}
	visitContainers(&pod.Spec, func(env []corev1.EnvVar, envFrom []corev1.EnvFromSource) {
		for _, e := range envFrom {
			if e.SecretRef != nil {
				add(e.SecretRef.Name)
			}
		}
		for _, e := range env {
			if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
				add(e.ValueFrom.SecretKeyRef.Name)
			}
		}
	})
	for i := range pod.Spec.Volumes {
		volumeSecrets(&pod.Spec.Volumes[i].VolumeSource, add)
	}
	return names
}

func volumeSecrets(s *corev1.VolumeSource, add func(string)) {
	ref := func(r *corev1.LocalObjectReference) {
		if r != nil {
			add(r.Name)
		}
	}
	switch {
	case s.AzureFile != nil:
		add(s.AzureFile.SecretName)
	case s.CephFS != nil:
		ref(s.CephFS.SecretRef)
	case s.Cinder != nil:
		ref(s.Cinder.SecretRef)
	case s.FlexVolume != nil:
		ref(s.FlexVolume.SecretRef)
	case s.Projected != nil:
		for _, p := range s.Projected.Sources {
			if p.Secret != nil {
				add(p.Secret.Name)
			}
		}
	case s.RBD != nil:
		ref(s.RBD.SecretRef)
	case s.Secret != nil:
		add(s.Secret.SecretName)
	case s.ScaleIO != nil:
		ref(s.ScaleIO.SecretRef)
	case s.ISCSI != nil:
		ref(s.ISCSI.SecretRef)
	case s.StorageOS != nil:
		if s.StorageOS.SecretRef != nil {
			add(s.StorageOS.SecretRef.Name)
		}
	case s.CSI != nil:
		ref(s.CSI.NodePublishSecretRef)
	}
}

// ConfigMaps are the names of the ConfigMaps pod refers to, in order of
// appearance, empty names left out.
func ConfigMaps(pod *corev1.Pod) []string {
	var names []string
	add := func(n string) {
		if n != "" {
			names = append(names, n)
		}
	}
	visitContainers(&pod.Spec, func(env []corev1.EnvVar, envFrom []corev1.EnvFromSource) {
		for _, e := range envFrom {
			if e.ConfigMapRef != nil {
				add(e.ConfigMapRef.Name)
			}
		}
		for _, e := range env {
			if e.ValueFrom != nil && e.ValueFrom.ConfigMapKeyRef != nil {
				add(e.ValueFrom.ConfigMapKeyRef.Name)
			}
		}
	})
	for _, v := range pod.Spec.Volumes {
		switch {
		case v.Projected != nil:
			for _, p := range v.Projected.Sources {
				if p.ConfigMap != nil {
					add(p.ConfigMap.Name)
				}
			}
		case v.ConfigMap != nil:
			add(v.ConfigMap.Name)
		}
	}
	return names
}

// visitContainers calls fn with the environment of every container: init,
// regular and ephemeral.
func visitContainers(spec *corev1.PodSpec, fn func([]corev1.EnvVar, []corev1.EnvFromSource)) {
	for _, c := range spec.InitContainers {
		fn(c.Env, c.EnvFrom)
	}
	for _, c := range spec.Containers {
		fn(c.Env, c.EnvFrom)
	}
	for _, c := range spec.EphemeralContainers {
		fn(c.Env, c.EnvFrom)
	}
}
