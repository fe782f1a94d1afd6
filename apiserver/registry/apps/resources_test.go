package apps

import (
	"reflect"
	"strings"
	"testing"
)

func TestResources(t *testing.T) {
	type want struct {
		kind, prefix string
		short        []string
		all, status  bool
		selectable   []string
	}
	wants := map[string]want{
		"deployments":         {"Deployment", "deployments", []string{"deploy"}, true, true, nil},
		"replicasets":         {"ReplicaSet", "replicasets", []string{"rs"}, true, true, []string{"status.replicas"}},
		"statefulsets":        {"StatefulSet", "statefulsets", []string{"sts"}, true, true, nil},
		"daemonsets":          {"DaemonSet", "daemonsets", []string{"ds"}, true, true, nil},
		"controllerrevisions": {"ControllerRevision", "controllerrevisions", nil, false, false, nil},
	}
	res := Resources()
	if len(res) != len(wants) {
		t.Fatalf("%d resources", len(res))
	}
	for _, r := range res {
		w, ok := wants[r.GVR.Resource]
		if !ok {
			t.Fatalf("unexpected resource %s", r.GVR.Resource)
		}
		if r.GVR.Group != "apps" || r.GVR.Version != "v1" || r.Kind != w.kind || r.SingularName != strings.ToLower(w.kind) ||
			!r.Namespaced || r.StoragePrefix != w.prefix || !reflect.DeepEqual(r.ShortNames, w.short) ||
			(len(r.Categories) == 1) != w.all || (r.Status != nil) != w.status || !reflect.DeepEqual(r.SelectableFields, w.selectable) ||
			r.AllowCreateOnUpdate || r.ReturnDeletedObject || r.Table == nil {
			t.Errorf("%s: %+v", r.GVR.Resource, r)
		}
		if got := reflect.TypeOf(r.New()).Elem().Name(); got != w.kind {
			t.Errorf("%s: New gives %s", r.GVR.Resource, got)
		}
		if got := reflect.TypeOf(r.NewList()).Elem().Name(); got != w.kind+"List" {
			t.Errorf("%s: NewList gives %s", r.GVR.Resource, got)
		}
	}
}
