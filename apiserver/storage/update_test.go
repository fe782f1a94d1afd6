package storage

import (
	"errors"
	"strconv"
	"sync"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// setData returns a tryUpdate that sets data[k] = v.
func setData(k, v string) func(Object) (Object, error) {
	return func(cur Object) (Object, error) {
		cm := cur.(*corev1.ConfigMap)
		if cm.Data == nil {
			cm.Data = map[string]string{}
		}
		cm.Data[k] = v
		return cm, nil
	}
}

func TestGuaranteedUpdate(t *testing.T) {
	errUpdate := errors.New("refused")
	tests := []struct {
		name           string
		exists         bool
		ignoreNotFound bool
		tryUpdate      func(Object) (Object, error)
		wantErr        error // errors.Is
		wantSame       bool  // the error is tryUpdate's, unchanged
		wantAnyErr     bool
		wantWrite      bool
	}{
		{name: "update", exists: true, tryUpdate: setData("k", "new"), wantWrite: true},
		{name: "missing", tryUpdate: setData("k", "new"), wantErr: ErrNotFound},
		{name: "missing, created", ignoreNotFound: true, wantWrite: true, tryUpdate: func(cur Object) (Object, error) {
			if cur != nil {
				return nil, errors.New("tryUpdate got an object for a missing key")
			}
			return configMap("ns", "a", map[string]string{"k": "new"}), nil
		}},
		{name: "tryUpdate fails", exists: true, wantErr: errUpdate, wantSame: true, tryUpdate: func(Object) (Object, error) {
			return nil, errUpdate
		}},
		{name: "no-op", exists: true, tryUpdate: func(cur Object) (Object, error) { return cur, nil }},
		{name: "stale resourceVersion", exists: true, wantErr: ErrConflict, tryUpdate: func(cur Object) (Object, error) {
			cm := cur.(*corev1.ConfigMap)
			cm.ResourceVersion = "1"
			cm.Data["k"] = "new"
			return cm, nil
		}},
		{name: "resourceVersion on a missing key", ignoreNotFound: true, wantErr: ErrConflict, tryUpdate: func(Object) (Object, error) {
			cm := configMap("ns", "a", nil)
			cm.ResourceVersion = "7"
			return cm, nil
		}},
		{name: "no object", exists: true, wantAnyErr: true, tryUpdate: func(Object) (Object, error) { return nil, nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			ctx := testContext(t)
			key := e.cms.Key("ns", "a")
			if tt.exists {
				e.mustCreate(t, ctx, "ns", "a", map[string]string{"k": "old"})
			}
			before := e.revision(t, ctx)
			out, err := e.cms.GuaranteedUpdate(ctx, key, tt.ignoreNotFound, tt.tryUpdate)
			after := e.revision(t, ctx)
			wantErr := tt.wantErr != nil || tt.wantAnyErr
			switch {
			case tt.wantSame && err != tt.wantErr:
				t.Fatalf("error %v, want tryUpdate's error unchanged", err)
			case wantErr && err == nil:
				t.Fatal("succeeded, want an error")
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			case !wantErr && err != nil:
				t.Fatalf("error %v", err)
			}
			if wrote := after != before; wrote != tt.wantWrite {
				t.Errorf("revision %d -> %d: wrote = %v, want %v", before, after, wrote, tt.wantWrite)
			}
			if err != nil {
				return
			}
			if rv(out) != rvOf(after) {
				t.Errorf("returned resourceVersion %s, want %d", rv(out), after)
			}
			got, err := e.cms.Get(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			if want := out.(*corev1.ConfigMap).Data["k"]; got.(*corev1.ConfigMap).Data["k"] != want || rv(got) != rv(out) {
				t.Errorf("stored %v at %s, want k=%s at %s", got.(*corev1.ConfigMap).Data, rv(got), want, rv(out))
			}
		})
	}
}

func TestGuaranteedUpdateConcurrentLosesNothing(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	e.mustCreate(t, ctx, "ns", "counter", nil)
	key := e.cms.Key("ns", "counter")
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				_, err := e.cms.GuaranteedUpdate(ctx, key, false, func(cur Object) (Object, error) {
					ann := cur.GetAnnotations()
					if ann == nil {
						ann = map[string]string{}
					}
					n, _ := strconv.Atoi(ann["count"])
					ann["count"] = strconv.Itoa(n + 1)
					cur.SetAnnotations(ann)
					return cur, nil
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("update: %v", err)
	}
	got, err := e.cms.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if c := got.GetAnnotations()["count"]; c != strconv.Itoa(workers*each) {
		t.Errorf("count = %s, want %d", c, workers*each)
	}
}

func TestGuaranteedUpdateRetriesAfterConcurrentWrite(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	e.mustCreate(t, ctx, "ns", "a", map[string]string{"k": "0"})
	key := e.cms.Key("ns", "a")
	var seen []string
	out, err := e.cms.GuaranteedUpdate(ctx, key, false, func(cur Object) (Object, error) {
		cm := cur.(*corev1.ConfigMap)
		seen = append(seen, cm.Data["k"])
		if len(seen) == 1 {
			if _, err := e.cms.GuaranteedUpdate(ctx, key, false, setData("k", "other")); err != nil {
				return nil, err
			}
		}
		cm.Data["mine"] = "yes"
		return cm, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[1] != "other" {
		t.Errorf("tryUpdate saw %v, want a second call with the other writer's state", seen)
	}
	if d := out.(*corev1.ConfigMap).Data; d["k"] != "other" || d["mine"] != "yes" {
		t.Errorf("result %v, want both writes", d)
	}
}

func TestGuaranteedUpdateKeepsLease(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	key := e.cms.Key("ns", "a")
	if _, err := e.cms.Create(ctx, key, configMap("ns", "a", nil), 3600); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cms.GuaranteedUpdate(ctx, key, false, setData("k", "v")); err != nil {
		t.Fatal(err)
	}
	raw, err := e.client.Get(ctx, key)
	if err != nil || len(raw.Kvs) != 1 {
		t.Fatalf("raw get: %v", err)
	}
	if raw.Kvs[0].Lease == 0 {
		t.Error("the update dropped the object's lease")
	}
}

func TestGuaranteedUpdateFromStaleHint(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	stale := e.mustCreate(t, ctx, "ns", "a", map[string]string{"k": "0"})
	key := e.cms.Key("ns", "a")
	if _, err := e.cms.GuaranteedUpdate(ctx, key, false, setData("k", "1")); err != nil {
		t.Fatal(err)
	}

	t.Run("write", func(t *testing.T) {
		var seen []string
		out, err := e.cms.guaranteedUpdate(ctx, key, false, stale, func(cur Object) (Object, error) {
			seen = append(seen, cur.(*corev1.ConfigMap).Data["k"])
			return setData("hinted", "yes")(cur)
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(seen) != 2 || seen[1] != "1" {
			t.Errorf("tryUpdate saw %v, want the hint then the stored state", seen)
		}
		if d := out.(*corev1.ConfigMap).Data; d["k"] != "1" || d["hinted"] != "yes" {
			t.Errorf("result %v lost the stored state", d)
		}
	})
	t.Run("no-op against a stale hint is re-read", func(t *testing.T) {
		before := e.revision(t, ctx)
		// Setting k=0 is a no-op for the hint, but not for what is stored.
		out, err := e.cms.guaranteedUpdate(ctx, key, false, stale, setData("k", "0"))
		if err != nil {
			t.Fatal(err)
		}
		if out.(*corev1.ConfigMap).Data["k"] != "0" || e.revision(t, ctx) == before {
			t.Errorf("result %v at unchanged revision: the stale hint's no-op was trusted", out)
		}
	})
	t.Run("error against a stale hint is re-read", func(t *testing.T) {
		calls := 0
		_, err := e.cms.guaranteedUpdate(ctx, key, false, stale, func(cur Object) (Object, error) {
			calls++
			if cur.(*corev1.ConfigMap).Data["k"] == "0" && calls == 1 {
				return nil, ErrConflict
			}
			return setData("checked", "yes")(cur)
		})
		if err != nil || calls != 2 {
			t.Errorf("err %v after %d calls, want success on the re-read", err, calls)
		}
	})
}
