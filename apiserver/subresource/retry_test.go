package subresource

import (
	"context"
	"errors"
	"testing"
)

func TestBackoff(t *testing.T) {
	errRetry, errFinal := errors.New("again"), errors.New("final")
	retryable := func(err error) bool { return errors.Is(err, errRetry) }
	for _, tt := range []struct {
		name    string
		results []error
		want    error
		calls   int
	}{
		{"first try", []error{nil}, nil, 1},
		{"after retries", []error{errRetry, errRetry, nil}, nil, 3},
		{"not retryable", []error{errFinal, nil}, errFinal, 1},
		{"steps run out", []error{errRetry, errRetry, errRetry, nil}, errRetry, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			err := backoff{steps: 3}.do(context.Background(), retryable, func() error {
				calls++
				return tt.results[calls-1]
			})
			if !errors.Is(err, tt.want) || calls != tt.calls {
				t.Errorf("err %v after %d calls, want %v after %d", err, calls, tt.want, tt.calls)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := 0
	if err := (backoff{steps: 5, interval: 1 << 40}).do(ctx, retryable, func() error { calls++; return errRetry }); !errors.Is(err, errRetry) || calls != 1 {
		t.Errorf("a cancelled context stops the retries: %v after %d", err, calls)
	}
}
