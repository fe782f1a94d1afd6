package filters

import (
	"fmt"
	"net/http"
	"runtime/debug"

	"go.uber.org/zap"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/skiff-dev/skiff/apiserver/endpoints"
)

// WithPanicRecovery answers a panicking request with a 500 Status and logs
// the stack: no input may take the server down.
func WithPanicRecovery(logger *zap.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil || v == http.ErrAbortHandler {
				if v != nil {
					panic(v) // the server's own signal to abort a response
				}
				return
			}
			logger.Error("panic serving request", zap.String("method", r.Method), zap.String("path", r.URL.Path),
				zap.Any("panic", v), zap.ByteString("stack", debug.Stack()))
			endpoints.WriteStatusError(w, apierrors.NewInternalError(fmt.Errorf("panic: %v", v)))
		}()
		next.ServeHTTP(w, r)
	})
}

// WithRequestInfo reads what the request asks for once, for every later stage.
func WithRequestInfo(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := endpoints.ParseRequestInfo(r)
		next.ServeHTTP(w, r.WithContext(endpoints.WithRequestInfo(r.Context(), info)))
	})
}
