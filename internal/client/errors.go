package client

import (
	"encoding/json"
	"net/http"
	"strconv"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// errorFromResponse turns a non-2xx answer into a *apierrors.StatusError:
// the server's own Status when it sent one, else one built from the code,
// as upstream's client does.
func errorFromResponse(verb string, gr schema.GroupResource, name string, code int, header http.Header, body []byte) error {
	var status metav1.Status
	if err := json.Unmarshal(body, &status); err == nil && status.Kind == "Status" && status.Status != metav1.StatusSuccess {
		if status.Code == 0 {
			status.Code = int32(code)
		}
		return &apierrors.StatusError{ErrStatus: status}
	}
	retryAfter, _ := strconv.Atoi(header.Get("Retry-After"))
	return apierrors.NewGenericServerResponse(code, verb, gr, name, string(body), retryAfter, true)
}
