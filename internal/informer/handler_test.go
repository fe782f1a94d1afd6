package informer

import (
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func TestFilteringHandler(t *testing.T) {
	web := pod("a", "p", "", map[string]string{"app": "web"})
	web2 := pod("a", "p", "n1", map[string]string{"app": "web"})
	db := pod("a", "p", "", map[string]string{"app": "db"})
	tests := []struct {
		name string
		call func(h Handler)
		want []string
	}{
		{name: "add passes", call: func(h Handler) { h.OnAdd(web, true) }, want: []string{"add a/p@ initial"}},
		{name: "add filtered", call: func(h Handler) { h.OnAdd(db, false) }},
		{name: "update within", call: func(h Handler) { h.OnUpdate(web, web2) }, want: []string{"update a/p@->"}},
		{name: "update into", call: func(h Handler) { h.OnUpdate(db, web) }, want: []string{"add a/p@"}},
		{name: "update out of", call: func(h Handler) { h.OnUpdate(web, db) }, want: []string{"delete a/p@"}},
		{name: "update outside", call: func(h Handler) { h.OnUpdate(db, db) }},
		{name: "delete passes", call: func(h Handler) { h.OnDelete(web) }, want: []string{"delete a/p@"}},
		{name: "tombstone passes", call: func(h Handler) { h.OnDelete(DeletedFinalStateUnknown{Key: "a/p", Obj: web}) }, want: []string{"tombstone a/p@"}},
		{name: "tombstone filtered", call: func(h Handler) { h.OnDelete(DeletedFinalStateUnknown{Key: "a/p", Obj: db}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder()
			tt.call(FilteringHandler{
				Filter:  func(obj Object) bool { return obj.GetLabels()["app"] == "web" },
				Handler: rec,
			})
			var got []string
			for _, n := range rec.all() {
				got = append(got, n.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestHandlerFuncs(t *testing.T) {
	var got []string
	h := HandlerFuncs{
		AddFunc:    func(obj Object, initial bool) { got = append(got, "add") },
		DeleteFunc: func(obj any) { got = append(got, "delete") },
	}
	cm := &corev1.ConfigMap{}
	h.OnAdd(cm, false)
	h.OnUpdate(cm, cm) // nil UpdateFunc: ignored
	h.OnDelete(cm)
	if !slices.Equal(got, []string{"add", "delete"}) {
		t.Errorf("got %v", got)
	}
}
