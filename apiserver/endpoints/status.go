package endpoints

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// StatusFor is the metav1.Status an error is answered with: the API's own
// for API errors, an InternalError otherwise.
func StatusFor(err error) *metav1.Status {
	var apiStatus apierrors.APIStatus
	var status metav1.Status
	if errors.As(err, &apiStatus) {
		status = apiStatus.Status()
	} else {
		status = apierrors.NewInternalError(err).Status()
	}
	status.TypeMeta = metav1.TypeMeta{Kind: "Status", APIVersion: "v1"}
	if status.Status == "" {
		status.Status = metav1.StatusFailure
	}
	if status.Code == 0 {
		status.Code = http.StatusInternalServerError
	}
	return &status
}

// WriteError answers err as a Status, with Retry-After when the status asks
// for one.
func (h *Handler) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	status := StatusFor(err)
	if d := status.Details; d != nil && d.RetryAfterSeconds > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(d.RetryAfterSeconds)))
	}
	h.writeObject(w, r, int(status.Code), status)
}

// WriteStatusError is WriteError for code paths without a Handler (the
// authentication and in-flight filters).
func WriteStatusError(w http.ResponseWriter, err error) {
	status := StatusFor(err)
	if d := status.Details; d != nil && d.RetryAfterSeconds > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(d.RetryAfterSeconds)))
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(int(status.Code))
	b, mErr := json.Marshal(status)
	if mErr != nil {
		fmt.Fprintf(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","code":%d}`, status.Code)
		return
	}
	_, _ = w.Write(b)
}
