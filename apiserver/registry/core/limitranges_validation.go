package core

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry/validname"
)

var standardLimitTypes = sets.New(corev1.LimitTypePod, corev1.LimitTypeContainer, corev1.LimitTypePersistentVolumeClaim)

// validateLimitRange checks each limit: a known type used once, valid
// resource names, and min <= defaultRequest <= default <= max.
func validateLimitRange(lr *corev1.LimitRange) field.ErrorList {
	var errs field.ErrorList
	types := map[corev1.LimitType]bool{}
	fldPath := field.NewPath("spec", "limits")
	for i := range lr.Spec.Limits {
		p := fldPath.Index(i)
		limit := &lr.Spec.Limits[i]
		errs = append(errs, validateLimitTypeName(limit.Type, p.Child("type"))...)
		if types[limit.Type] {
			errs = append(errs, field.Duplicate(p.Child("type"), limit.Type))
		}
		types[limit.Type] = true
		errs = append(errs, validateLimitRangeItem(limit, p)...)
	}
	return errs
}

func validateLimitTypeName(t corev1.LimitType, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range validname.IsQualifiedName(string(t)) {
		errs = append(errs, field.Invalid(fldPath, t, msg))
	}
	if len(errs) != 0 {
		return errs
	}
	if !hasSlash(corev1.ResourceName(t)) && !standardLimitTypes.Has(t) {
		errs = append(errs, field.Invalid(fldPath, t, "must be a standard limit type or fully qualified"))
	}
	return errs
}

// validateLimitResourceName: pods and containers take container resource
// names; other types (PVCs) any resource name.
func validateLimitResourceName(t corev1.LimitType, name corev1.ResourceName, fldPath *field.Path) field.ErrorList {
	if t == corev1.LimitTypePod || t == corev1.LimitTypeContainer {
		return validateContainerResourceName(name, fldPath)
	}
	return validateResourceName(name, fldPath)
}

// limitQuantities are one limit's quantities of one resource.
type limitQuantities struct {
	min, max, def, defRequest, ratio *resource.Quantity
}

func validateLimitRangeItem(limit *corev1.LimitRangeItem, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	byName := map[corev1.ResourceName]*limitQuantities{}
	collect := func(list corev1.ResourceList, child string, set func(*limitQuantities, *resource.Quantity)) {
		for k, q := range list {
			errs = append(errs, validateLimitResourceName(limit.Type, k, p.Child(child).Key(string(k)))...)
			if byName[k] == nil {
				byName[k] = &limitQuantities{}
			}
			q := q
			set(byName[k], &q)
		}
	}
	collect(limit.Max, "max", func(l *limitQuantities, q *resource.Quantity) { l.max = q })
	collect(limit.Min, "min", func(l *limitQuantities, q *resource.Quantity) { l.min = q })
	if limit.Type == corev1.LimitTypePod {
		if len(limit.Default) > 0 {
			errs = append(errs, field.Forbidden(p.Child("default"), "may not be specified when `type` is 'Pod'"))
		}
		if len(limit.DefaultRequest) > 0 {
			errs = append(errs, field.Forbidden(p.Child("defaultRequest"), "may not be specified when `type` is 'Pod'"))
		}
	} else {
		collect(limit.Default, "default", func(l *limitQuantities, q *resource.Quantity) { l.def = q })
		collect(limit.DefaultRequest, "defaultRequest", func(l *limitQuantities, q *resource.Quantity) { l.defRequest = q })
	}
	if limit.Type == corev1.LimitTypePersistentVolumeClaim {
		_, hasMin := limit.Min[corev1.ResourceStorage]
		_, hasMax := limit.Max[corev1.ResourceStorage]
		if !hasMin && !hasMax {
			errs = append(errs, field.Required(p.Child("limits"), "either minimum or maximum storage value is required, but neither was provided"))
		}
	}
	collect(limit.MaxLimitRequestRatio, "maxLimitRequestRatio", func(l *limitQuantities, q *resource.Quantity) { l.ratio = q })
	for k, l := range byName {
		errs = append(errs, l.validate(k, p)...)
	}
	return errs
}

// validate compares one resource's quantities, with upstream's messages.
func (l *limitQuantities) validate(k corev1.ResourceName, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	key := string(k)
	if l.min != nil && l.max != nil && l.min.Cmp(*l.max) > 0 {
		errs = append(errs, field.Invalid(p.Child("min").Key(key), *l.min, fmt.Sprintf("min value %s is greater than max value %s", l.min, l.max)))
	}
	if l.defRequest != nil && l.min != nil && l.min.Cmp(*l.defRequest) > 0 {
		errs = append(errs, field.Invalid(p.Child("defaultRequest").Key(key), *l.defRequest, fmt.Sprintf("min value %s is greater than default request value %s", l.min, l.defRequest)))
	}
	if l.defRequest != nil && l.max != nil && l.defRequest.Cmp(*l.max) > 0 {
		errs = append(errs, field.Invalid(p.Child("defaultRequest").Key(key), *l.defRequest, fmt.Sprintf("default request value %s is greater than max value %s", l.defRequest, l.max)))
	}
	if l.defRequest != nil && l.def != nil && l.defRequest.Cmp(*l.def) > 0 {
		errs = append(errs, field.Invalid(p.Child("defaultRequest").Key(key), *l.defRequest, fmt.Sprintf("default request value %s is greater than default limit value %s", l.defRequest, l.def)))
	}
	if l.def != nil && l.min != nil && l.min.Cmp(*l.def) > 0 {
		errs = append(errs, field.Invalid(p.Child("default").Key(key), *l.min, fmt.Sprintf("min value %s is greater than default value %s", l.min, l.def)))
	}
	if l.def != nil && l.max != nil && l.def.Cmp(*l.max) > 0 {
		errs = append(errs, field.Invalid(p.Child("default").Key(key), *l.max, fmt.Sprintf("default value %s is greater than max value %s", l.def, l.max)))
	}
	if l.ratio != nil {
		errs = append(errs, l.validateRatio(key, p)...)
	}
	// Resources that may not be overcommitted (huge pages, extended
	// resources) need equal default limits and requests.
	if !isOvercommitAllowed(k) && l.def != nil && l.defRequest != nil && l.def.Cmp(*l.defRequest) != 0 {
		errs = append(errs, field.Invalid(p.Child("defaultRequest").Key(key), *l.defRequest, fmt.Sprintf("default value %s must equal to defaultRequest value %s in %s", l.def, l.defRequest, key)))
	}
	return errs
}

func (l *limitQuantities) validateRatio(key string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	path := p.Child("maxLimitRequestRatio").Key(key)
	if l.ratio.Cmp(*resource.NewQuantity(1, resource.DecimalSI)) < 0 {
		errs = append(errs, field.Invalid(path, *l.ratio, fmt.Sprintf("ratio %s is less than 1", l.ratio)))
	}
	if l.min == nil || l.max == nil {
		return errs
	}
	ratio := float64(l.ratio.Value())
	minV, maxV := l.min.Value(), l.max.Value()
	if l.ratio.Value() < resource.MaxMilliValue && minV < resource.MaxMilliValue && maxV < resource.MaxMilliValue {
		ratio = float64(l.ratio.MilliValue()) / 1000
		minV, maxV = l.min.MilliValue(), l.max.MilliValue()
	}
	limit := float64(maxV) / float64(minV)
	if ratio > limit {
		errs = append(errs, field.Invalid(path, *l.ratio, fmt.Sprintf("ratio %s is greater than max/min = %f", l.ratio, limit)))
	}
	return errs
}
