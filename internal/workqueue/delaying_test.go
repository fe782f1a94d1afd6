package workqueue

import (
	"testing"
	"time"
)

// delayStep is one operation in a scripted delaying-queue test, run against
// a fake clock.
type delayStep struct {
	op    string // after, step, armed, get (then done), len
	item  string
	d     time.Duration
	n     int
	items []string // for get: the items expected, in order
}

func after(item string, d time.Duration) delayStep { return delayStep{op: "after", item: item, d: d} }
func advance(d time.Duration) delayStep            { return delayStep{op: "step", d: d} }
func gets(items ...string) delayStep               { return delayStep{op: "get", items: items} }
func waiting(n int) delayStep                      { return delayStep{op: "len", n: n} }

// armed waits until the queue has a timer at t0+d.
func armed(d time.Duration) delayStep { return delayStep{op: "armed", d: d} }

func TestDelayingQueueAddAfter(t *testing.T) {
	tests := []struct {
		name  string
		steps []delayStep
	}{
		{"no delay adds at once", []delayStep{
			after("a", 0), after("b", -time.Second), waiting(2), gets("a", "b"),
		}},
		{"waits for its time", []delayStep{
			after("a", time.Second), advance(999 * time.Millisecond), waiting(0),
			advance(time.Millisecond), gets("a"),
		}},
		{"released in deadline order", []delayStep{
			after("a", 3*time.Second), after("b", time.Second), after("c", 2*time.Second),
			advance(3 * time.Second), gets("b", "c", "a"), waiting(0),
		}},
		{"released as each deadline passes", []delayStep{
			after("a", time.Second), after("b", 2*time.Second),
			advance(time.Second), gets("a"), waiting(0),
			advance(time.Second), gets("b"),
		}},
		{"equal deadlines keep the order they were set", []delayStep{
			after("c", time.Second), after("a", time.Second), after("b", time.Second),
			advance(time.Second), gets("c", "a", "b"),
		}},
		{"an earlier time moves the item earlier", []delayStep{
			after("a", 5*time.Second), after("b", 2*time.Second), after("a", time.Second),
			advance(time.Second), gets("a"), waiting(0),
			advance(time.Second), gets("b"),
		}},
		{"a later time does not delay the item", []delayStep{
			after("a", time.Second), after("a", 5*time.Second),
			advance(time.Second), gets("a"),
		}},
		{"an item waits in the heap once", []delayStep{
			// If a were kept twice (at 1s and 2s), the 2s copy would come
			// out before b (3s).
			after("a", time.Second), after("a", 2*time.Second),
			advance(time.Second), gets("a"),
			after("b", 2*time.Second), advance(2 * time.Second), gets("b"), waiting(0),
		}},
		{"released item already queued is not duplicated", []delayStep{
			after("a", time.Second), after("b", time.Second), after("a", 0),
			advance(time.Second),
			// Once the loop has armed a timer for z, it has released a and b.
			after("z", 10*time.Second), armed(11 * time.Second),
			waiting(2), gets("a", "b"), waiting(0),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := NewFakeClock(t0)
			q := NewDelaying[string](WithClock(clock))
			t.Cleanup(q.ShutDown)
			for i, s := range tt.steps {
				switch s.op {
				case "after":
					q.AddAfter(s.item, s.d)
				case "step":
					clock.Step(s.d)
				case "armed":
					if err := clock.WaitForTimer(testContext(t), t0.Add(s.d)); err != nil {
						t.Fatalf("step %d: %v", i, err)
					}
				case "get":
					for _, want := range s.items {
						if got := mustGet(t, q.Queue); got != want {
							t.Fatalf("step %d: Get() = %q, want %q", i, got, want)
						}
						q.Done(want)
					}
				case "len":
					if got := q.Len(); got != s.n {
						t.Fatalf("step %d: Len() = %d, want %d", i, got, s.n)
					}
				}
			}
		})
	}
}

func TestDelayingQueueShutDown(t *testing.T) {
	for _, drain := range []bool{false, true} {
		name := "ShutDown"
		if drain {
			name = "ShutDownWithDrain"
		}
		t.Run(name, func(t *testing.T) {
			ctx := testContext(t)
			clock := NewFakeClock(t0)
			q := NewDelaying[string](WithClock(clock))
			q.AddAfter("a", time.Second)
			if err := clock.WaitForTimer(ctx, t0.Add(time.Second)); err != nil {
				t.Fatal(err)
			}
			if drain {
				q.ShutDownWithDrain()
			} else {
				q.ShutDown()
			}
			// The waiting loop ends and stops its timer.
			if err := clock.WaitForTimers(ctx, 0); err != nil {
				t.Fatal(err)
			}
			q.AddAfter("b", time.Second)
			q.AddAfter("c", 0)
			clock.Step(time.Second)
			if r := receive(t, getAsync(q.Queue), "Get"); !r.shutdown {
				t.Fatalf("Get() = %q after shutdown, want shutdown", r.item)
			}
		})
	}
}
