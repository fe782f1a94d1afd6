package storage

import (
	"context"
	"errors"
	"fmt"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// wrapEtcdError names key in err and turns etcd's errors into the
// package's sentinels: compacted revisions are ErrExpired, future ones
// ErrTooLargeResourceVersion, and an etcd that cannot answer (no leader,
// timeouts, no connection) ErrUnavailable. The original error stays in the
// chain.
func wrapEtcdError(key string, err error) error {
	switch {
	case errors.Is(err, rpctypes.ErrCompacted):
		return fmt.Errorf("key %q: %w: %w", key, ErrExpired, err)
	case errors.Is(err, rpctypes.ErrFutureRev):
		return fmt.Errorf("key %q: %w: %w", key, ErrTooLargeResourceVersion, err)
	case unavailable(err):
		return fmt.Errorf("key %q: %w: %w", key, ErrUnavailable, err)
	}
	return fmt.Errorf("key %q: %w", key, err)
}

// unavailable says whether err means etcd could not answer in time.
func unavailable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	for _, e := range []error{
		rpctypes.ErrNoLeader, rpctypes.ErrLeaderChanged, rpctypes.ErrNotCapable,
		rpctypes.ErrStopped, rpctypes.ErrTimeout, rpctypes.ErrTimeoutDueToLeaderFail,
		rpctypes.ErrTimeoutDueToConnectionLost, rpctypes.ErrUnhealthy, rpctypes.ErrTooManyRequests,
	} {
		if errors.Is(err, e) {
			return true
		}
	}
	var etcdErr rpctypes.EtcdError
	if errors.As(err, &etcdErr) {
		return retryableCode(etcdErr.Code())
	}
	if s, ok := status.FromError(err); ok {
		return retryableCode(s.Code())
	}
	return false
}

func retryableCode(c codes.Code) bool {
	return c == codes.Unavailable || c == codes.DeadlineExceeded
}
