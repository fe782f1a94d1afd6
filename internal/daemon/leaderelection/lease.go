package leaderelection

import (
	"context"
	"fmt"
	"math"
	"time"

	"go.uber.org/zap"
	coordinationv1 "k8s.io/api/coordination/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// heldError says the lease is validly held by another candidate.
type heldError struct{ holder string }

func (e *heldError) Error() string { return fmt.Sprintf("lease held by %q", e.holder) }

func holderOf(spec coordinationv1.LeaseSpec) string {
	if spec.HolderIdentity == nil {
		return ""
	}
	return *spec.HolderIdentity
}

// tryAcquireOrRenew reads the lease and writes it with this candidate as
// holder when it may: the lease is absent, already ours, released (no
// holder), or its holder has not been seen to renew for the lease's
// duration, measured by this process's clock from when it saw the last
// change. The write is guarded by the lease's resourceVersion, so of two
// candidates racing on the same version only one succeeds.
func (e *Elector) tryAcquireOrRenew(ctx context.Context) error {
	now := e.clock.Now()
	lease, err := e.leases.Get(ctx, e.cfg.Namespace, e.cfg.Name)
	if apierrors.IsNotFound(err) {
		lease = &coordinationv1.Lease{
			ObjectMeta: metav1.ObjectMeta{Namespace: e.cfg.Namespace, Name: e.cfg.Name},
			Spec:       e.spec(now, now, 0),
		}
		created, err := e.leases.Create(ctx, lease)
		if err != nil {
			return fmt.Errorf("create lease %s: %w", e.key(), err)
		}
		e.observe(created.Spec, now, true)
		return nil
	}
	if err != nil {
		return fmt.Errorf("get lease %s: %w", e.key(), err)
	}
	e.observe(lease.Spec, now, false)

	holder := holderOf(lease.Spec)
	if holder != "" && holder != e.cfg.Identity && e.observedValidAt(now) {
		return &heldError{holder: holder}
	}
	update := lease.DeepCopy()
	transitions := int32(0)
	if lease.Spec.LeaseTransitions != nil {
		transitions = *lease.Spec.LeaseTransitions
	}
	acquired := now
	if holder == e.cfg.Identity && lease.Spec.AcquireTime != nil {
		acquired = lease.Spec.AcquireTime.Time
	} else if holder != e.cfg.Identity {
		transitions++
	}
	update.Spec = e.spec(acquired, now, transitions)
	update.Spec.Strategy = lease.Spec.Strategy
	update.Spec.PreferredHolder = lease.Spec.PreferredHolder
	updated, err := e.leases.Update(ctx, update)
	if err != nil {
		return fmt.Errorf("update lease %s: %w", e.key(), err)
	}
	e.observe(updated.Spec, now, true)
	return nil
}

// spec is the lease's spec with this candidate holding it.
func (e *Elector) spec(acquired, renewed time.Time, transitions int32) coordinationv1.LeaseSpec {
	id := e.cfg.Identity
	seconds := int32(math.Ceil(e.cfg.LeaseDuration.Seconds()))
	return coordinationv1.LeaseSpec{
		HolderIdentity:       &id,
		LeaseDurationSeconds: &seconds,
		AcquireTime:          &metav1.MicroTime{Time: acquired},
		RenewTime:            &metav1.MicroTime{Time: renewed},
		LeaseTransitions:     &transitions,
	}
}

// observe records spec as seen at now. The observation time moves only when
// the spec changed; ours says whether this candidate wrote it.
func (e *Elector) observe(spec coordinationv1.LeaseSpec, now time.Time, ours bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if ours {
		e.lastRenew = now
	}
	if e.observedTime.IsZero() || !equality.Semantic.DeepEqual(e.observed, spec) {
		if before, after := holderOf(e.observed), holderOf(spec); before != after || e.observedTime.IsZero() {
			e.logger.Info("observed the lease holder", zap.String("holder", after))
		}
		e.observed = *spec.DeepCopy()
		e.observedTime = now
	}
}

// observedValidAt reports whether the observed holder's lease still runs at
// now: it was seen to change less than its leaseDurationSeconds ago.
func (e *Elector) observedValidAt(now time.Time) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	d := e.cfg.LeaseDuration
	if s := e.observed.LeaseDurationSeconds; s != nil && *s > 0 {
		d = time.Duration(*s) * time.Second
	}
	return e.observedTime.Add(d).After(now)
}

// release hands the lease back: no holder and a one-second duration, so a
// standby takes it at its next attempt. Only a lease this candidate still
// holds is released.
func (e *Elector) release(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.RenewDeadline)
	defer cancel()
	lease, err := e.leases.Get(ctx, e.cfg.Namespace, e.cfg.Name)
	if err != nil {
		e.logger.Warn("could not release the leader lease", zap.Error(fmt.Errorf("get lease %s: %w", e.key(), err)))
		return
	}
	if holderOf(lease.Spec) != e.cfg.Identity {
		return
	}
	now := e.clock.Now()
	update := lease.DeepCopy()
	none, one := "", int32(1)
	update.Spec.HolderIdentity = &none
	update.Spec.LeaseDurationSeconds = &one
	update.Spec.AcquireTime = &metav1.MicroTime{Time: now}
	update.Spec.RenewTime = &metav1.MicroTime{Time: now}
	updated, err := e.leases.Update(ctx, update)
	if err != nil {
		e.logger.Warn("could not release the leader lease", zap.Error(fmt.Errorf("update lease %s: %w", e.key(), err)))
		return
	}
	e.observe(updated.Spec, now, false)
	e.logger.Info("released the leader lease")
}
