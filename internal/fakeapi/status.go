package fakeapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Messages upstream uses word for word.
const (
	optimisticLockMsg  = "the object has been modified; please apply your changes to the latest version and try again"
	continueExpiredMsg = "The provided continue parameter is too old to display a consistent list result. " +
		"You can start a new list without the continue parameter, or use the continue token in this response " +
		"to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent " +
		"list - objects that were created, modified, or deleted between the time the first chunk was returned " +
		"and now may show up in the list."
	listExpiredMsg = "The resourceVersion for the provided list is too old."
)

// writeRaw writes an already encoded JSON body.
func writeRaw(w http.ResponseWriter, code int, raw []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write(raw)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		writeError(w, apierrors.NewInternalError(err))
		return
	}
	writeRaw(w, code, raw)
}

// writeError answers with err as a metav1.Status; an error that is not an
// API status becomes a 500 InternalError.
func writeError(w http.ResponseWriter, err error) {
	st := toStatus(err)
	if st.Details != nil && st.Details.RetryAfterSeconds > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(st.Details.RetryAfterSeconds)))
	}
	writeJSON(w, int(st.Code), st)
}

func toStatus(err error) *metav1.Status {
	var apiStatus apierrors.APIStatus
	if !errors.As(err, &apiStatus) {
		apiStatus = apierrors.NewInternalError(err)
	}
	st := apiStatus.Status()
	st.Kind = "Status"
	st.APIVersion = "v1"
	return &st
}

// conflict is the 409 an update or patch with a stale resourceVersion gets.
func conflict(gr schema.GroupResource, name string) error {
	return apierrors.NewConflict(gr, name, errors.New(optimisticLockMsg))
}

// pathNotFound is the 404 for a path no resource is served at.
func pathNotFound() error {
	return apierrors.NewGenericServerResponse(http.StatusNotFound, "", schema.GroupResource{}, "", "", 0, false)
}

// statusForCode builds the Status a FailNext fault answers with.
func statusForCode(code, retryAfterSeconds int) error {
	err := apierrors.NewGenericServerResponse(code, "", schema.GroupResource{}, "", "", retryAfterSeconds, false)
	st := &err.ErrStatus
	switch code {
	case http.StatusTooManyRequests:
		st.Message = "Too many requests, please try again later."
	case http.StatusInternalServerError:
		st.Message = "Internal error occurred: injected by fakeapi"
	default:
		if st.Reason == metav1.StatusReasonUnknown {
			st.Message = fmt.Sprintf("injected failure with status code %d", code)
		}
	}
	st.Details = nil
	if retryAfterSeconds > 0 {
		st.Details = &metav1.StatusDetails{RetryAfterSeconds: int32(retryAfterSeconds)}
	}
	return err
}
