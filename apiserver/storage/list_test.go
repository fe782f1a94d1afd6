package storage

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
)

func TestList(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	e.mustCreate(t, ctx, "b", "y", nil)
	e.mustCreate(t, ctx, "a", "x", nil)
	atTwo := e.revision(t, ctx)
	e.mustCreate(t, ctx, "a", "z", nil)
	if _, err := e.cms.Delete(ctx, e.cms.Key("b", "y"), nil); err != nil {
		t.Fatal(err)
	}
	latest := e.revision(t, ctx)

	tests := []struct {
		name    string
		prefix  string
		opts    ListOptions
		want    []string
		wantRV  int64
		wantErr error
	}{
		{name: "all, latest", prefix: e.cms.Prefix(""), want: []string{"a/x", "a/z"}, wantRV: latest},
		{name: "one namespace", prefix: e.cms.Prefix("a"), want: []string{"a/x", "a/z"}, wantRV: latest},
		{name: "namespace prefix without slash", prefix: "/registry/configmaps/a", want: []string{"a/x", "a/z"}, wantRV: latest},
		{name: "empty namespace", prefix: e.cms.Prefix("none"), want: []string{}, wantRV: latest},
		{name: "at a revision", prefix: e.cms.Prefix(""), opts: ListOptions{ResourceVersion: atTwo}, want: []string{"a/x", "b/y"}, wantRV: atTwo},
		{name: "future revision", prefix: e.cms.Prefix(""), opts: ListOptions{ResourceVersion: latest + 100}, wantErr: ErrTooLargeResourceVersion},
		{name: "label selector", prefix: e.cms.Prefix(""), opts: ListOptions{Predicate: Predicate{
			Label: labels.Everything(), Field: fields.OneTermEqualSelector("metadata.name", "z"), GetAttrs: nameAttrs,
		}}, want: []string{"a/z"}, wantRV: latest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := e.cms.List(ctx, tt.prefix, tt.opts)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := names(res.Items); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("items %v, want %v", got, tt.want)
			}
			if res.ResourceVersion != tt.wantRV || res.Continue != "" || res.RemainingItemCount != nil {
				t.Errorf("rv %d continue %q remaining %v, want rv %d and no more", res.ResourceVersion, res.Continue, res.RemainingItemCount, tt.wantRV)
			}
			for _, it := range res.Items {
				if rv(it) == "" || rv(it) == "0" {
					t.Errorf("%s has no resourceVersion", it.GetName())
				}
			}
		})
	}
	t.Run("outside the resource", func(t *testing.T) {
		if _, err := e.cms.List(ctx, "/registry/secrets/", ListOptions{}); err == nil {
			t.Error("list of another resource's prefix succeeded")
		}
	})
	t.Run("compacted revision", func(t *testing.T) {
		e.compact(t, ctx)
		if _, err := e.cms.List(ctx, e.cms.Prefix(""), ListOptions{ResourceVersion: atTwo}); !errors.Is(err, ErrExpired) {
			t.Errorf("list at a compacted revision: %v, want ErrExpired", err)
		}
	})
}

// nameAttrs selects by metadata.name and the labels.
func nameAttrs(obj Object) (labels.Set, fields.Set, error) {
	return obj.GetLabels(), fields.Set{"metadata.name": obj.GetName(), "metadata.namespace": obj.GetNamespace()}, nil
}

func TestListPagesStayAtOneRevision(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	var want []string
	for i := 0; i < 10; i++ {
		name := fmt.Sprintf("cm-%02d", i)
		e.mustCreate(t, ctx, "ns", name, nil)
		want = append(want, "ns/"+name)
	}
	var got []string
	var firstRV int64
	opts := ListOptions{Limit: 3}
	wantRemaining := []int64{7, 4, 1}
	for page := 0; ; page++ {
		res, err := e.cms.List(ctx, e.cms.Prefix("ns"), opts)
		if err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		got = append(got, names(res.Items)...)
		if page == 0 {
			firstRV = res.ResourceVersion
		} else if res.ResourceVersion != firstRV {
			t.Errorf("page %d at revision %d, want the first page's %d", page, res.ResourceVersion, firstRV)
		}
		for _, it := range res.Items {
			if rv(it) == "" || mustAtoi(t, rv(it)) > firstRV {
				t.Errorf("page %d: %s at %s, after the list's revision %d", page, it.GetName(), rv(it), firstRV)
			}
		}
		if res.Continue == "" {
			if res.RemainingItemCount != nil || page != 3 {
				t.Errorf("last page %d, remaining %v", page, res.RemainingItemCount)
			}
			break
		}
		if res.RemainingItemCount == nil || *res.RemainingItemCount != wantRemaining[page] {
			t.Errorf("page %d remaining %v, want %d", page, res.RemainingItemCount, wantRemaining[page])
		}
		// Writes between pages do not show in the list.
		e.mustCreate(t, ctx, "ns", fmt.Sprintf("cm-%02d-new", page), nil)
		if _, err := e.cms.Delete(ctx, e.cms.Key("ns", fmt.Sprintf("cm-%02d", 9-page)), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := e.cms.GuaranteedUpdate(ctx, e.cms.Key("ns", "cm-05"), false, setData("page", fmt.Sprint(page))); err != nil {
			t.Fatal(err)
		}
		opts = ListOptions{Limit: 3, Continue: res.Continue}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("pages gave %v, want %v", got, want)
	}
}

func mustAtoi(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatalf("resourceVersion %q: %v", s, err)
	}
	return n
}

func TestListWithPredicateFetchesInChunks(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	var want []string
	for i := 0; i < 40; i++ {
		cm := configMap("ns", fmt.Sprintf("cm-%02d", i), nil)
		if i%4 == 0 {
			cm.Labels = map[string]string{"pick": "yes"}
			want = append(want, "ns/"+cm.Name)
		}
		if _, err := e.cms.Create(ctx, e.cms.Key("ns", cm.Name), cm, 0); err != nil {
			t.Fatal(err)
		}
	}
	pred := Predicate{Label: labels.SelectorFromSet(labels.Set{"pick": "yes"}), GetAttrs: nameAttrs}

	res, err := e.cms.List(ctx, e.cms.Prefix(""), ListOptions{Limit: 3, Predicate: pred})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(res.Items); !reflect.DeepEqual(got, want[:3]) {
		t.Fatalf("first page %v, want %v", got, want[:3])
	}
	if res.Continue == "" || res.RemainingItemCount != nil {
		t.Errorf("continue %q remaining %v: want a token and no count with a predicate", res.Continue, res.RemainingItemCount)
	}
	if fetched := testutil.ToFloat64(e.store.metrics.listFetched.WithLabelValues("configmaps")); fetched >= 40 {
		t.Errorf("first page fetched %v objects: the whole prefix, not chunks", fetched)
	}

	got := names(res.Items)
	for res.Continue != "" {
		if res, err = e.cms.List(ctx, e.cms.Prefix(""), ListOptions{Limit: 3, Predicate: pred, Continue: res.Continue}); err != nil {
			t.Fatal(err)
		}
		got = append(got, names(res.Items)...)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("all pages %v, want %v", got, want)
	}
}

func TestListInvalidContinue(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	for i := 0; i < 3; i++ {
		e.mustCreate(t, ctx, "ns", fmt.Sprintf("cm-%d", i), nil)
	}
	first, err := e.cms.List(ctx, e.cms.Prefix(""), ListOptions{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	token := func(v string, rev int64, start string) string {
		return base64JSON(t, fmt.Sprintf(`{"v":%q,"rv":%d,"start":%q}`, v, rev, start))
	}
	tests := []struct {
		name string
		opts ListOptions
	}{
		{"not base64", ListOptions{Continue: "%%%"}},
		{"not json", ListOptions{Continue: base64JSON(t, "nope")}},
		{"unknown version", ListOptions{Continue: token("v2", 5, "ns/a")}},
		{"zero revision", ListOptions{Continue: token(continueVersion, 0, "ns/a")}},
		{"empty start", ListOptions{Continue: token(continueVersion, 5, "")}},
		{"escapes the prefix", ListOptions{Continue: token(continueVersion, 5, "../secrets/x")}},
		{"with a resourceVersion", ListOptions{Continue: first.Continue, ResourceVersion: first.ResourceVersion}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.cms.List(ctx, e.cms.Prefix(""), tt.opts)
			if !errors.Is(err, ErrInvalidContinue) {
				t.Errorf("error %v, want ErrInvalidContinue", err)
			}
		})
	}
}

func TestListContinueAfterCompaction(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	for i := 0; i < 5; i++ {
		e.mustCreate(t, ctx, "ns", fmt.Sprintf("cm-%d", i), nil)
	}
	first, err := e.cms.List(ctx, e.cms.Prefix(""), ListOptions{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	e.mustCreate(t, ctx, "ns", "cm-9", nil)
	e.compact(t, ctx)

	_, err = e.cms.List(ctx, e.cms.Prefix(""), ListOptions{Limit: 2, Continue: first.Continue})
	if !errors.Is(err, ErrExpired) {
		t.Fatalf("continue after compaction: %v, want ErrExpired", err)
	}
	var expired *ContinueExpiredError
	if !errors.As(err, &expired) || expired.Continue == "" {
		t.Fatalf("error %v carries no token to go on with", err)
	}
	// The offered token goes on at the latest revision, from where the page
	// would have started.
	var got []string
	res := &ListResult{Continue: expired.Continue}
	for res.Continue != "" {
		if res, err = e.cms.List(ctx, e.cms.Prefix(""), ListOptions{Limit: 2, Continue: res.Continue}); err != nil {
			t.Fatal(err)
		}
		got = append(got, names(res.Items)...)
	}
	if want := []string{"ns/cm-2", "ns/cm-3", "ns/cm-4", "ns/cm-9"}; !reflect.DeepEqual(got, want) {
		t.Errorf("inconsistent continuation gave %v, want %v", got, want)
	}
}

func TestCount(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	for i, ns := range []string{"a", "b", "b"} {
		e.mustCreate(t, ctx, ns, fmt.Sprintf("cm-%d", i), nil)
	}
	// A pod does not count as a ConfigMap.
	if _, err := e.pods.Create(ctx, e.pods.Key("a", "p"), podObj("a", "p"), 0); err != nil {
		t.Fatal(err)
	}
	n, err := e.cms.Count(ctx)
	if err != nil || n != 3 {
		t.Errorf("count = %d, %v; want 3", n, err)
	}
}
