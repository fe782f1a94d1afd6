package authentication

import (
	"encoding/json"
	"net/http"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Unauthorized is the error a request that fails authentication is
// answered with: 401, Status {reason Unauthorized, message "Unauthorized"},
// as upstream (the reason for the failure is logged, never told).
func Unauthorized() *apierrors.StatusError {
	return apierrors.NewUnauthorized("Unauthorized")
}

// WriteUnauthorized answers 401 with the Status of Unauthorized in JSON, for
// an HTTP layer without content negotiation at hand (kubectl and client-go
// read JSON Status whatever they asked for).
func WriteUnauthorized(w http.ResponseWriter) {
	status := Unauthorized().ErrStatus
	status.TypeMeta = metav1.TypeMeta{Kind: "Status", APIVersion: "v1"}
	body, _ := json.Marshal(status) // a Status always marshals
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = w.Write(append(body, '\n'))
}
