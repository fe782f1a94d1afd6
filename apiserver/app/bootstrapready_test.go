package app

import (
	"context"
	"strings"
	"testing"
)

func TestBootstrapReadinessWaitsForTheBootstrap(t *testing.T) {
	b := newBootstrapReadiness(nil)
	if err := b.check(context.Background()); err == nil || !strings.Contains(err.Error(), "not reconciled yet") {
		t.Errorf("before the bootstrap: %v", err)
	}
	b.done.Store(true)
	if err := b.check(context.Background()); err != nil {
		t.Errorf("after the bootstrap: %v", err)
	}
	if !b.synced.Load() {
		t.Error("readiness not latched")
	}
}
