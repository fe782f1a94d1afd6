package bench

import (
	"context"
	"time"
)

// cpuTimes reads the CPU time of each of pids.
func cpuTimes(pids []int) ([]time.Duration, error) {
	times := make([]time.Duration, len(pids))
	for i, pid := range pids {
		d, err := readCPU(pid)
		if err != nil {
			return nil, err
		}
		times[i] = d
	}
	return times, nil
}

// settle waits until process pid is idle: it used under 5% of one core over
// the last half second (an apiserver finishing its start-up work, such as
// upstream's post-start hooks and controllers, would otherwise share the
// measured time), or until timeout passes. It reports whether pid went
// idle.
func settle(ctx context.Context, pid int, timeout time.Duration) (bool, error) {
	const window = 500 * time.Millisecond
	deadline := time.Now().Add(timeout)
	prev, err := readCPU(pid)
	if err != nil {
		return false, err
	}
	for time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(window):
		}
		now, err := readCPU(pid)
		if err != nil {
			return false, err
		}
		if now-prev < window/20 {
			return true, nil
		}
		prev = now
	}
	return false, nil
}
