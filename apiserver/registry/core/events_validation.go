package core

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry/validname"
)

// Length limits of events.k8s.io fields, as upstream.
const (
	reportingInstanceLengthLimit = 128
	actionLengthLimit            = 128
	reasonLengthLimit            = 128
	noteLengthLimit              = 1024
)

// validateEvent is upstream's validation of events written through
// core/v1: old-style events (no eventTime) must name their object's
// namespace; new-style ones need the reporting fields and an action.
func validateEvent(e *corev1.Event) field.ErrorList {
	var errs field.ErrorList
	nsPath := field.NewPath("involvedObject", "namespace")
	const mismatch = "does not match event.namespace"
	if e.EventTime.IsZero() {
		switch {
		case e.InvolvedObject.Namespace == "":
			// Cluster-scoped objects' events live in "" or, for old
			// clients, "default".
			if e.Namespace != metav1.NamespaceNone && e.Namespace != metav1.NamespaceDefault {
				errs = append(errs, field.Invalid(nsPath, e.InvolvedObject.Namespace, mismatch))
			}
		case e.Namespace != e.InvolvedObject.Namespace:
			errs = append(errs, field.Invalid(nsPath, e.InvolvedObject.Namespace, mismatch))
		}
	} else {
		if e.InvolvedObject.Namespace == "" && e.Namespace != metav1.NamespaceDefault && e.Namespace != metav1.NamespaceSystem {
			errs = append(errs, field.Invalid(nsPath, e.InvolvedObject.Namespace, mismatch))
		}
		errs = append(errs, validateReportingFields(e)...)
	}
	for _, msg := range validname.IsDNS1123Subdomain(e.Namespace) {
		errs = append(errs, field.Invalid(field.NewPath("namespace"), e.Namespace, msg))
	}
	return errs
}

func validateReportingFields(e *corev1.Event) field.ErrorList {
	var errs field.ErrorList
	rc := field.NewPath("reportingController")
	if e.ReportingController == "" {
		errs = append(errs, field.Required(rc, ""))
	}
	for _, msg := range validname.IsQualifiedName(e.ReportingController) {
		errs = append(errs, field.Invalid(rc, e.ReportingController, msg))
	}
	errs = append(errs, requiredAndLimited("reportingInstance", e.ReportingInstance, reportingInstanceLengthLimit)...)
	errs = append(errs, requiredAndLimited("action", e.Action, actionLengthLimit)...)
	errs = append(errs, requiredAndLimited("reason", e.Reason, reasonLengthLimit)...)
	if len(e.Message) > noteLengthLimit {
		errs = append(errs, tooManyCharacters("message", noteLengthLimit))
	}
	return errs
}

func requiredAndLimited(name, value string, limit int) field.ErrorList {
	var errs field.ErrorList
	if value == "" {
		errs = append(errs, field.Required(field.NewPath(name), ""))
	}
	if len(value) > limit {
		errs = append(errs, tooManyCharacters(name, limit))
	}
	return errs
}

func tooManyCharacters(name string, limit int) *field.Error {
	return field.Invalid(field.NewPath(name), "", fmt.Sprintf("can have at most %v characters", limit))
}
