package bench

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
)

const (
	// watchers is how many clients watch the bench namespace's pods.
	watchers = 50
	// updates is how many timed patches the watched pod gets.
	updates = 200
	// watchedPod is the pod the fan-out scenario patches.
	watchedPod = "watched"
	// seqLabel carries the patch's sequence number to the watchers.
	seqLabel = "seq"
	// deliveryTimeout bounds the wait for every watcher to see a patch.
	deliveryTimeout = time.Minute
)

// fanout is the result of one watch fan-out run.
type fanout struct {
	delivery latencies // one per watcher per update: update response → event received
	fromSend latencies // the same deliveries timed from sending the update
	patch    latencies // one per update: the patch's own latency
	early    int       // deliveries that arrived before the patch's response (counted as 0)
}

// receipt is one watcher's receipt of an update.
type receipt struct {
	seq int
	at  time.Time
}

// watchFanout creates the watched pod, opens n watches of the namespace's
// pods from its resourceVersion (each on its own client), patches the pod's
// seq label once untimed (seq 0) and waits until every watcher has seen it,
// so every watch is live, then patches it updates times in a row from one
// client. Each delivery's latency runs from the moment that patch's response
// arrived (or, for fromSend, from the moment it was sent) to the moment a
// watcher received the MODIFIED event carrying its seq.
func watchFanout(ctx context.Context, s *apiserver, n, updates int) (fanout, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	writer, err := newClient(s)
	if err != nil {
		return fanout{}, err
	}
	pod, err := writer.CoreV1().Pods(namespace).Create(ctx, benchPod(watchedPod), metav1.CreateOptions{})
	if err != nil {
		return fanout{}, fmt.Errorf("create pod %s/%s: %w", namespace, watchedPod, err)
	}
	ws := make([]*watcher, n)
	live := &sync.WaitGroup{} // done when a watcher has seen seq 0
	done := &sync.WaitGroup{} // done when a watcher has stopped
	defer func() { cancel(); done.Wait() }()
	for i := range ws {
		c, err := newClient(s)
		if err != nil {
			return fanout{}, err
		}
		ws[i] = &watcher{id: i, last: updates}
		live.Add(1)
		done.Add(1)
		go ws[i].run(ctx, c, pod.ResourceVersion, live, done)
	}
	// fail stops the watchers before reading their errors.
	fail := func(err error) (fanout, error) {
		cancel()
		done.Wait()
		if werr := watchErrors(ws); werr != nil {
			err = fmt.Errorf("%w; the watchers: %w", err, werr)
		}
		return fanout{}, err
	}

	if _, err := patchSeq(ctx, writer, 0); err != nil {
		return fail(err)
	}
	if err := waitGroup(ctx, live, deliveryTimeout); err != nil {
		return fail(fmt.Errorf("watchers seeing the first patch: %w", err))
	}
	var res fanout
	sent := make([]time.Time, updates+1)
	responded := make([]time.Time, updates+1)
	for seq := 1; seq <= updates; seq++ {
		sent[seq] = time.Now()
		if _, err := patchSeq(ctx, writer, seq); err != nil {
			return fail(err)
		}
		responded[seq] = time.Now()
		res.patch = append(res.patch, responded[seq].Sub(sent[seq]))
	}
	if err := waitGroup(ctx, done, deliveryTimeout); err != nil {
		return fail(fmt.Errorf("watchers seeing all %d patches: %w", updates, err))
	}
	if err := watchErrors(ws); err != nil {
		return fanout{}, err
	}
	for _, w := range ws {
		for _, r := range w.receipts {
			d := r.at.Sub(responded[r.seq])
			if d < 0 {
				res.early++
				d = 0
			}
			res.delivery = append(res.delivery, d)
			res.fromSend = append(res.fromSend, r.at.Sub(sent[r.seq]))
		}
	}
	return res, nil
}

// patchSeq sets the watched pod's seq label with a JSON merge patch.
func patchSeq(ctx context.Context, c kubernetes.Interface, seq int) (*corev1.Pod, error) {
	patch := fmt.Sprintf(`{"metadata":{"labels":{%q:%q}}}`, seqLabel, strconv.Itoa(seq))
	pod, err := c.CoreV1().Pods(namespace).Patch(ctx, watchedPod, types.MergePatchType, []byte(patch), metav1.PatchOptions{})
	if err != nil {
		return nil, fmt.Errorf("patch pod %s/%s seq %d: %w", namespace, watchedPod, seq, err)
	}
	return pod, nil
}

// waitGroup waits for wg, at most timeout.
func waitGroup(ctx context.Context, wg *sync.WaitGroup, timeout time.Duration) error {
	ch := make(chan struct{})
	go func() { wg.Wait(); close(ch) }()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-ch:
		return nil
	case <-timer.C:
		return fmt.Errorf("timed out after %s", timeout)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// watcher is one watch client; it stops after the update with seq last.
type watcher struct {
	id       int
	last     int
	receipts []receipt // seq ≥ 1, in arrival order
	err      error
}

func (w *watcher) run(ctx context.Context, c kubernetes.Interface, rv string, live, done *sync.WaitGroup) {
	defer done.Done()
	sawZero := false
	defer func() {
		if !sawZero {
			live.Done()
		}
	}()
	wi, err := c.CoreV1().Pods(namespace).Watch(ctx, metav1.ListOptions{ResourceVersion: rv})
	if err != nil {
		w.err = fmt.Errorf("watcher %d: watch pods in %s: %w", w.id, namespace, err)
		return
	}
	defer wi.Stop()
	next := 0
	for ev := range wi.ResultChan() {
		at := time.Now()
		if ev.Type == watch.Error {
			w.err = fmt.Errorf("watcher %d: error event %v", w.id, ev.Object)
			return
		}
		pod, ok := ev.Object.(*corev1.Pod)
		if !ok || ev.Type != watch.Modified || pod.Name != watchedPod {
			continue
		}
		seq, err := strconv.Atoi(pod.Labels[seqLabel])
		if err != nil || seq != next {
			w.err = fmt.Errorf("watcher %d: got seq %q, want %d", w.id, pod.Labels[seqLabel], next)
			return
		}
		next++
		if seq == 0 {
			sawZero = true
			live.Done()
			continue
		}
		w.receipts = append(w.receipts, receipt{seq: seq, at: at})
		if seq == w.last {
			return
		}
	}
	if ctx.Err() == nil {
		w.err = fmt.Errorf("watcher %d: watch closed after seq %d", w.id, next-1)
	}
}

// watchErrors joins the watchers' errors; call it only once they have
// stopped.
func watchErrors(ws []*watcher) error {
	var errs []error
	for _, w := range ws {
		if w.err != nil {
			errs = append(errs, w.err)
		}
	}
	return errors.Join(errs...)
}
