package watchcache

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"k8s.io/apimachinery/pkg/watch"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// Many watchers start at random moments from revision 0 or from the
// revision of a list while several writers change pods. Every watcher from
// a revision must see exactly the source's history after it, in order; every
// watcher from 0 must end with the source's final state.
func TestConcurrentWatchersAndWriters(t *testing.T) {
	const writers, writes, watchers = 4, 40, 24
	h := start(t, Config{}, "seed")

	type result struct {
		from   int64
		events []WatchEvent
	}
	results := make(chan result, watchers)
	var wg, started sync.WaitGroup
	for i := range watchers {
		wg.Add(1)
		started.Add(1)
		go func() {
			defer wg.Done()
			var from int64
			if i%2 == 1 {
				_, from, _ = h.cache.List(context.Background(), 0, "", storage.Predicate{})
			}
			w, err := h.cache.Watch(context.Background(), from, "", storage.Predicate{}, WatchOptions{AllowBookmarks: true})
			started.Done()
			if err != nil {
				t.Errorf("Watch from %d: %v", from, err)
				return
			}
			defer w.Stop()
			var evs []WatchEvent
			for ev := range w.ResultChan() {
				evs = append(evs, ev)
				if ev.Type != watch.Bookmark && ev.Object.GetName() == "zz-end" {
					break
				}
			}
			results <- result{from, evs}
		}()
	}
	var ww sync.WaitGroup
	for i := range writers {
		ww.Add(1)
		go func() {
			defer ww.Done()
			r := rand.New(rand.NewPCG(uint64(i), 1))
			for j := range writes {
				name := fmt.Sprintf("w%d-%d", i, r.IntN(5))
				if j%7 == 6 {
					h.src.mu.Lock()
					_, exists := h.src.objs["ns1/"+name]
					h.src.mu.Unlock()
					if exists {
						h.src.del("ns1", name)
						continue
					}
				}
				h.src.put(pod("ns1", name, "", fmt.Sprintf("j=%d", j)))
			}
		}()
	}
	ww.Wait()
	started.Wait()
	// The last change, and the last key: a watcher from 0 that started
	// after the writes sees it last among its initial events.
	end := h.src.put(pod("ns1", "zz-end", ""))
	wg.Wait()
	close(results)

	final := map[string]string{}
	for _, ev := range h.src.eventsAfter(0) {
		if ev.Type == watch.Deleted {
			delete(final, ev.Object.GetName())
			continue
		}
		final[ev.Object.GetName()] = ev.Object.GetResourceVersion()
	}
	for r := range results {
		state := map[string]string{}
		var changes []int64
		for _, ev := range r.events {
			if ev.Type == watch.Bookmark {
				continue
			}
			if ev.Type == watch.Deleted {
				delete(state, ev.Object.GetName())
			} else {
				state[ev.Object.GetName()] = ev.Object.GetResourceVersion()
			}
			changes = append(changes, ev.ResourceVersion)
		}
		if r.from > 0 {
			var want []int64
			for _, ev := range h.src.eventsAfter(r.from) {
				if ev.ResourceVersion <= end {
					want = append(want, ev.ResourceVersion)
				}
			}
			if !slices.Equal(changes, want) {
				t.Errorf("watch from %d got revisions %v, want %v", r.from, changes, want)
			}
			continue
		}
		if fmt.Sprint(state) != fmt.Sprint(final) {
			t.Errorf("watch from 0 ends with %v, want %v", state, final)
		}
	}
}
