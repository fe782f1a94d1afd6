package watchcache

import (
	"slices"
	"testing"
)

func storeKeys(es []*entry) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, e.key)
	}
	return out
}

func TestStore(t *testing.T) {
	s := newStore([]*entry{{key: "b/x"}, {key: "a/y"}, {key: "b/x", rv: 2}, {key: "ab/z"}})
	if got := storeKeys(s.items); !slices.Equal(got, []string{"a/y", "ab/z", "b/x"}) {
		t.Fatalf("newStore keys %v", got)
	}
	if e := s.get("b/x"); e == nil || e.rv != 2 {
		t.Errorf("a repeated key keeps its last entry, got %+v", e)
	}
	s.put(&entry{key: "a/a"})
	s.put(&entry{key: "c/c"})
	s.put(&entry{key: "ab/z", rv: 7})
	s.delete("b/x")
	s.delete("missing")
	if got := storeKeys(s.items); !slices.Equal(got, []string{"a/a", "a/y", "ab/z", "c/c"}) {
		t.Fatalf("keys %v after puts and deletes", got)
	}
	if e := s.get("ab/z"); e == nil || e.rv != 7 {
		t.Errorf("put replaces, got %+v", e)
	}
	tests := []struct {
		prefix string
		want   []string
	}{
		{"", []string{"a/a", "a/y", "ab/z", "c/c"}},
		{"a/", []string{"a/a", "a/y"}},
		{"a", []string{"a/a", "a/y", "ab/z"}},
		{"ab/", []string{"ab/z"}},
		{"b/", []string{}},
		{"c/", []string{"c/c"}},
		{"d/", []string{}},
	}
	for _, tt := range tests {
		if got := storeKeys(s.span(tt.prefix)); !slices.Equal(got, tt.want) {
			t.Errorf("span(%q) = %v, want %v", tt.prefix, got, tt.want)
		}
	}
}
