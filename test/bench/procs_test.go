package bench

import (
	"context"
	"os"
	"testing"
	"time"
)

func TestSettleSeesAnIdleProcess(t *testing.T) {
	ctx := context.Background()
	// This process does nothing but wait meanwhile.
	idle, err := settle(ctx, os.Getpid(), time.Minute)
	if err != nil || !idle {
		t.Errorf("settle of an idle process: %v, %v", idle, err)
	}
	if _, err := settle(ctx, 1<<30, time.Second); err == nil {
		t.Error("settled a process that does not exist")
	}
}
