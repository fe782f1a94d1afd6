package registry

import (
	"errors"
	"fmt"
	"strconv"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/storage"
	"github.com/skiff-dev/skiff/apiserver/watchcache"
)

// conflictMessage is upstream's wording for a lost optimistic-concurrency race.
const conflictMessage = "the object has been modified; please apply your changes to the latest version and try again"

// apiError translates a storage error about name into the API's.
func (s *Store) apiError(err error, name string) error {
	if err == nil {
		return nil
	}
	var status apierrors.APIStatus
	if errors.As(err, &status) {
		return err
	}
	gr := s.res.GroupResource()
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return apierrors.NewNotFound(gr, name)
	case errors.Is(err, storage.ErrAlreadyExists):
		return apierrors.NewAlreadyExists(gr, name)
	case errors.Is(err, storage.ErrConflict):
		return apierrors.NewConflict(gr, name, errors.New(conflictMessage))
	case errors.Is(err, storage.ErrExpired):
		var expired *watchcache.ExpiredError
		if errors.As(err, &expired) {
			return apierrors.NewResourceExpired(expired.Error())
		}
		return apierrors.NewResourceExpired(err.Error())
	case errors.Is(err, storage.ErrInvalidContinue):
		return apierrors.NewBadRequest(err.Error())
	case errors.Is(err, storage.ErrTooLargeResourceVersion):
		return tooLargeResourceVersion(err)
	case errors.Is(err, watchcache.ErrNotReady):
		return apierrors.NewTooManyRequests("storage is (re)initializing", 1)
	case errors.Is(err, storage.ErrUnavailable):
		return apierrors.NewServiceUnavailable(err.Error())
	default:
		return apierrors.NewInternalError(fmt.Errorf("%s %q: %w", gr, name, err))
	}
}

// tooLargeResourceVersion is upstream's 504 for a revision not reached in
// time, with its ResourceVersionTooLarge cause.
func tooLargeResourceVersion(err error) error {
	msg := err.Error()
	var tl *watchcache.TooLargeResourceVersionError
	if errors.As(err, &tl) {
		msg = tl.Error()
	}
	se := apierrors.NewTimeoutError(msg, 1)
	se.ErrStatus.Details.Causes = []metav1.StatusCause{{Type: metav1.CauseTypeResourceVersionTooLarge, Message: "Too large resource version"}}
	return se
}

// parseResourceVersion reads a resourceVersion parameter ("" is 0).
func parseResourceVersion(rv string) (int64, error) {
	if rv == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(rv, 10, 64)
	if err != nil || n < 0 {
		return 0, apierrors.NewBadRequest(fmt.Sprintf("invalid resource version %q", rv))
	}
	return n, nil
}
