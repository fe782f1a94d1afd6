package subresource

import (
	"fmt"
	"net/url"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// parseLogOptions reads PodLogOptions from the query as upstream's
// conversion does: parameters present are read, booleans being true
// unless "false" or "0", integers and sinceTime (RFC 3339) having to
// parse.
func parseLogOptions(q url.Values) (*corev1.PodLogOptions, error) {
	opts := &corev1.PodLogOptions{}
	if v := q["container"]; len(v) > 0 {
		opts.Container = v[0]
	}
	for _, b := range []struct {
		key string
		out *bool
	}{
		{"follow", &opts.Follow}, {"previous", &opts.Previous}, {"timestamps", &opts.Timestamps},
		{"insecureSkipTLSVerifyBackend", &opts.InsecureSkipTLSVerifyBackend},
	} {
		v, ok := q[b.key]
		if !ok || len(v) == 0 {
			continue
		}
		if err := runtime.Convert_Slice_string_To_bool(&v, b.out, nil); err != nil {
			return nil, badParameter(b.key, err)
		}
	}
	for _, n := range []struct {
		key string
		out **int64
	}{{"sinceSeconds", &opts.SinceSeconds}, {"tailLines", &opts.TailLines}, {"limitBytes", &opts.LimitBytes}} {
		v, ok := q[n.key]
		if !ok || len(v) == 0 {
			continue
		}
		if err := runtime.Convert_Slice_string_To_Pointer_int64(&v, n.out, nil); err != nil {
			return nil, badParameter(n.key, err)
		}
	}
	if v := q["sinceTime"]; len(v) > 0 {
		if err := metav1.Convert_Slice_string_To_Pointer_v1_Time(&v, &opts.SinceTime, nil); err != nil {
			return nil, badParameter("sinceTime", err)
		}
	}
	return opts, nil
}

func badParameter(key string, err error) error {
	return apierrors.NewBadRequest(fmt.Sprintf("invalid query parameter %s: %v", key, err))
}

// validateLogOptions is upstream's ValidatePodLogOptions.
func validateLogOptions(opts *corev1.PodLogOptions) field.ErrorList {
	var errs field.ErrorList
	if opts.TailLines != nil && *opts.TailLines < 0 {
		errs = append(errs, field.Invalid(field.NewPath("tailLines"), *opts.TailLines, "must be greater than or equal to 0"))
	}
	if opts.LimitBytes != nil && *opts.LimitBytes < 1 {
		errs = append(errs, field.Invalid(field.NewPath("limitBytes"), *opts.LimitBytes, "must be greater than 0"))
	}
	switch {
	case opts.SinceSeconds != nil && opts.SinceTime != nil:
		errs = append(errs, field.Forbidden(field.NewPath(""), "at most one of `sinceTime` or `sinceSeconds` may be specified"))
	case opts.SinceSeconds != nil && *opts.SinceSeconds < 1:
		errs = append(errs, field.Invalid(field.NewPath("sinceSeconds"), *opts.SinceSeconds, "must be greater than 0"))
	}
	return errs
}

// logContainer is the container whose log is asked for: the one named,
// which must be the pod's, or the pod's only one.
func logContainer(name string, pod *corev1.Pod) (string, error) {
	if name != "" {
		if !hasContainer(pod, name) {
			return "", apierrors.NewBadRequest(fmt.Sprintf("container %s is not valid for pod %s", name, pod.Name))
		}
		return name, nil
	}
	switch len(pod.Spec.Containers) {
	case 1:
		return pod.Spec.Containers[0].Name, nil
	case 0:
		return "", apierrors.NewBadRequest(fmt.Sprintf("a container name must be specified for pod %s", pod.Name))
	}
	return "", apierrors.NewBadRequest(fmt.Sprintf("a container name must be specified for pod %s, choose one of: %s", pod.Name, containerNames(pod)))
}

// containerNames lists init, regular and ephemeral containers, in
// upstream's visiting order.
func containerNames(pod *corev1.Pod) []string {
	var names []string
	for _, c := range pod.Spec.InitContainers {
		names = append(names, c.Name)
	}
	for _, c := range pod.Spec.Containers {
		names = append(names, c.Name)
	}
	for _, c := range pod.Spec.EphemeralContainers {
		names = append(names, c.Name)
	}
	return names
}

func hasContainer(pod *corev1.Pod, name string) bool {
	for _, n := range containerNames(pod) {
		if n == name {
			return true
		}
	}
	return false
}
