package resourcequota

import (
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// Resource list arithmetic, as upstream's quota helpers.

// add is a + b.
func add(a, b corev1.ResourceList) corev1.ResourceList {
	out := corev1.ResourceList{}
	for k, v := range a {
		q := v.DeepCopy()
		if o, ok := b[k]; ok {
			q.Add(o)
		}
		out[k] = q
	}
	for k, v := range b {
		if _, ok := out[k]; !ok {
			out[k] = v.DeepCopy()
		}
	}
	return out
}

// subtractNonNegative is a - b, never below zero, with every key of a and b.
func subtractNonNegative(a, b corev1.ResourceList) corev1.ResourceList {
	zero := resource.MustParse("0")
	out := corev1.ResourceList{}
	for k, v := range a {
		q := v.DeepCopy()
		if o, ok := b[k]; ok {
			q.Sub(o)
		}
		if q.Cmp(zero) > 0 {
			out[k] = q
		} else {
			out[k] = zero.DeepCopy()
		}
	}
	for k := range b {
		if _, ok := out[k]; !ok {
			out[k] = zero.DeepCopy()
		}
	}
	return out
}

// mask keeps the keys of l that are in names.
func mask(l corev1.ResourceList, names []corev1.ResourceName) corev1.ResourceList {
	set := toSet(names)
	out := corev1.ResourceList{}
	for k, v := range l {
		if set[k] {
			out[k] = v.DeepCopy()
		}
	}
	return out
}

// lessThanOrEqual says whether every key of b that a has is no greater in
// a, and names those that are.
func lessThanOrEqual(a, b corev1.ResourceList) (bool, []corev1.ResourceName) {
	var exceeded []corev1.ResourceName
	for k, limit := range b {
		if v, ok := a[k]; ok && v.Cmp(limit) > 0 {
			exceeded = append(exceeded, k)
		}
	}
	return len(exceeded) == 0, exceeded
}

// removeZeros drops the zero quantities.
func removeZeros(l corev1.ResourceList) corev1.ResourceList {
	out := corev1.ResourceList{}
	for k, v := range l {
		if !v.IsZero() {
			out[k] = v
		}
	}
	return out
}

// negative names the quantities below zero.
func negative(l corev1.ResourceList) []corev1.ResourceName {
	var out []corev1.ResourceName
	for k, v := range l {
		if v.Sign() == -1 {
			out = append(out, k)
		}
	}
	return out
}

// equal says whether a and b hold the same quantities.
func equal(a, b corev1.ResourceList) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		o, ok := b[k]
		if !ok || v.Cmp(o) != 0 {
			return false
		}
	}
	return true
}

func names(l corev1.ResourceList) []corev1.ResourceName {
	out := make([]corev1.ResourceName, 0, len(l))
	for k := range l {
		out = append(out, k)
	}
	return out
}

func toSet(names []corev1.ResourceName) map[corev1.ResourceName]bool {
	set := make(map[corev1.ResourceName]bool, len(names))
	for _, n := range names {
		set[n] = true
	}
	return set
}

// intersection are the names of a that are in b.
func intersection(a, b []corev1.ResourceName) []corev1.ResourceName {
	set := toSet(b)
	var out []corev1.ResourceName
	for _, n := range a {
		if set[n] {
			out = append(out, n)
		}
	}
	return out
}

// prettyPrint formats l as upstream's errors do: "a=1,b=2", sorted.
func prettyPrint(l corev1.ResourceList) string {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, string(k))
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		v := l[corev1.ResourceName(k)]
		parts[i] = k + "=" + v.String()
	}
	return strings.Join(parts, ",")
}

// prettyPrintNames formats names sorted and comma-separated.
func prettyPrintNames(names []corev1.ResourceName) string {
	s := make([]string, len(names))
	for i, n := range names {
		s[i] = string(n)
	}
	sort.Strings(s)
	return strings.Join(s, ",")
}
