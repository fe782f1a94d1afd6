package admission

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// recorder is a plugin that records its calls in a shared log.
type recorder struct {
	Handler
	name string
	log  *[]string
	err  error
}

type mutating struct{ recorder }

func (m *mutating) Admit(_ context.Context, a *Attributes) error {
	*m.log = append(*m.log, "admit:"+m.name)
	if pod, ok := a.Object.(*corev1.Pod); ok {
		pod.Labels = map[string]string{"by": m.name}
	}
	return m.err
}

type validating struct{ recorder }

func (v *validating) Validate(_ context.Context, a *Attributes) error {
	name := "<nil>"
	if a.Object != nil {
		name = a.Object.(*corev1.Pod).Name
	}
	*v.log = append(*v.log, "validate:"+v.name+":"+a.Name+":"+name)
	return v.err
}

type both struct {
	mutating
}

func (b *both) Validate(_ context.Context, _ *Attributes) error {
	*b.log = append(*b.log, "validate:"+b.name)
	return b.err
}

var podsGVR = schema.GroupVersionResource{Version: "v1", Resource: "pods"}

func TestChainOrder(t *testing.T) {
	var log []string
	rec := func(name string, ops ...Operation) recorder {
		return recorder{Handler: NewHandler(ops...), name: name, log: &log}
	}
	chain := NewChain([]NamedPlugin{
		{Name: "m1", Plugin: &mutating{rec("m1", Create, Update)}},
		{Name: "v1", Plugin: &validating{rec("v1", Create)}},
		{Name: "b", Plugin: &both{mutating{rec("b", Create)}}},
		{Name: "deletes", Plugin: &mutating{rec("deletes", Delete)}},
		{Name: "m2", Plugin: &mutating{rec("m2", Create)}},
	})
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p"}}
	a := &Attributes{Operation: Create, Resource: podsGVR, Namespace: "ns", Name: "p", Object: pod}
	ctx := context.Background()
	if err := chain.Admit(ctx, a); err != nil {
		t.Fatalf("Admit: %v", err)
	}
	if err := chain.Validate(ctx, a); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	want := []string{"admit:m1", "admit:b", "admit:m2", "validate:v1:p:p", "validate:b"}
	if !slices.Equal(log, want) {
		t.Errorf("calls = %v, want %v", log, want)
	}
	if pod.Labels["by"] != "m2" {
		t.Errorf("the last mutation should win: %v", pod.Labels)
	}
	if got := chain.Names(); !slices.Equal(got, []string{"m1", "v1", "b", "deletes", "m2"}) {
		t.Errorf("Names = %v", got)
	}
	if !chain.Handles(Delete) || chain.Handles(Connect) {
		t.Error("Handles should say whether any plugin handles the operation")
	}
}

func TestChainStopsAtFirstError(t *testing.T) {
	var log []string
	deny := errors.New("denied")
	chain := NewChain([]NamedPlugin{
		{Name: "a", Plugin: &mutating{recorder{Handler: NewHandler(Create), name: "a", log: &log}}},
		{Name: "b", Plugin: &mutating{recorder{Handler: NewHandler(Create), name: "b", log: &log, err: deny}}},
		{Name: "c", Plugin: &mutating{recorder{Handler: NewHandler(Create), name: "c", log: &log}}},
	})
	err := chain.Admit(context.Background(), &Attributes{Operation: Create, Resource: podsGVR})
	if !errors.Is(err, deny) {
		t.Fatalf("Admit = %v, want the plugin's error", err)
	}
	if !slices.Equal(log, []string{"admit:a", "admit:b"}) {
		t.Errorf("calls = %v", log)
	}
	var nilChain *Chain
	if err := nilChain.Admit(context.Background(), &Attributes{Operation: Create}); err != nil {
		t.Errorf("a nil chain admits: %v", err)
	}
}

func TestValidateFunc(t *testing.T) {
	var log []string
	chain := NewChain([]NamedPlugin{
		{Name: "v", Plugin: &validating{recorder{Handler: NewHandler(Create, Update, Delete), name: "v", log: &log}}},
	})
	ctx := context.Background()
	// A name generated after mutating admission is the attributes' name.
	create := chain.ValidateFunc(Attributes{Operation: Create, Resource: podsGVR, Namespace: "ns"})
	if err := create(ctx, &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web-x7k2p"}}, nil); err != nil {
		t.Fatalf("create: %v", err)
	}
	// On delete the object is nil and the stored one is the old object.
	var seen *Attributes
	chain = NewChain([]NamedPlugin{{Name: "capture", Plugin: &capture{Handler: NewHandler(Delete), seen: &seen}}})
	del := chain.ValidateFunc(Attributes{Operation: Delete, Resource: podsGVR, Namespace: "ns", Name: "p"})
	old := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p"}}
	if err := del(ctx, nil, old); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if seen == nil || seen.Object != nil || seen.OldObject != old || seen.Name != "p" {
		t.Fatalf("delete attributes = %+v", seen)
	}
	if !slices.Equal(log, []string{"validate:v:web-x7k2p:web-x7k2p"}) {
		t.Errorf("calls = %v", log)
	}
	// An update creating the object is validated as a create.
	chain = NewChain([]NamedPlugin{{Name: "capture", Plugin: &capture{Handler: NewHandler(Create, Update), seen: &seen}}})
	put := chain.ValidateFunc(Attributes{Operation: Update, Resource: podsGVR, Namespace: "ns", Name: "p",
		Options: &metav1.UpdateOptions{FieldManager: "kubectl", DryRun: []string{"All"}}})
	if err := put(ctx, old, nil); err != nil {
		t.Fatalf("create on update: %v", err)
	}
	wantOpts := &metav1.CreateOptions{TypeMeta: metav1.TypeMeta{Kind: "CreateOptions", APIVersion: "meta.k8s.io/v1"}, FieldManager: "kubectl", DryRun: []string{"All"}}
	if seen.Operation != Create || seen.OldObject != nil || !reflect.DeepEqual(seen.Options, wantOpts) {
		t.Errorf("create on update attributes = %+v", seen)
	}
	if err := put(ctx, old, old); err != nil || seen.Operation != Update {
		t.Errorf("update: %v, operation %s", err, seen.Operation)
	}
}

type capture struct {
	Handler
	seen **Attributes
}

func (c *capture) Validate(_ context.Context, a *Attributes) error {
	cp := *a
	*c.seen = &cp
	return nil
}

func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatalf("NewMetrics: %v", err)
	}
	var log []string
	chain := NewChain([]NamedPlugin{
		{Name: "NamespaceLifecycle", Plugin: &mutating{recorder{Handler: NewHandler(Create), name: "l", log: &log}}},
		{Name: "ResourceQuota", Plugin: &validating{recorder{Handler: NewHandler(Create), name: "q", log: &log, err: errors.New("no")}}},
	}, WithMetrics(m))
	tick := time.Unix(0, 0)
	chain.now = func() time.Time { tick = tick.Add(10 * time.Millisecond); return tick }
	a := &Attributes{Operation: Create, Resource: podsGVR, Object: &corev1.Pod{}}
	_ = chain.Admit(context.Background(), a)
	_ = chain.Validate(context.Background(), a)
	// Deletes are handled by no plugin: nothing is observed.
	_ = chain.Validate(context.Background(), &Attributes{Operation: Delete, Resource: podsGVR})

	want := `
# HELP apiserver_admission_controller_admission_duration_seconds Admission controller latency histogram in seconds, identified by name and broken out for each operation and API resource and type (validate or admit).
# TYPE apiserver_admission_controller_admission_duration_seconds histogram
apiserver_admission_controller_admission_duration_seconds_bucket{name="NamespaceLifecycle",operation="CREATE",rejected="false",type="admit",le="0.005"} 0
apiserver_admission_controller_admission_duration_seconds_bucket{name="NamespaceLifecycle",operation="CREATE",rejected="false",type="admit",le="0.025"} 1
apiserver_admission_controller_admission_duration_seconds_bucket{name="NamespaceLifecycle",operation="CREATE",rejected="false",type="admit",le="0.1"} 1
apiserver_admission_controller_admission_duration_seconds_bucket{name="NamespaceLifecycle",operation="CREATE",rejected="false",type="admit",le="0.5"} 1
apiserver_admission_controller_admission_duration_seconds_bucket{name="NamespaceLifecycle",operation="CREATE",rejected="false",type="admit",le="1"} 1
apiserver_admission_controller_admission_duration_seconds_bucket{name="NamespaceLifecycle",operation="CREATE",rejected="false",type="admit",le="2.5"} 1
apiserver_admission_controller_admission_duration_seconds_bucket{name="NamespaceLifecycle",operation="CREATE",rejected="false",type="admit",le="+Inf"} 1
apiserver_admission_controller_admission_duration_seconds_sum{name="NamespaceLifecycle",operation="CREATE",rejected="false",type="admit"} 0.01
apiserver_admission_controller_admission_duration_seconds_count{name="NamespaceLifecycle",operation="CREATE",rejected="false",type="admit"} 1
apiserver_admission_controller_admission_duration_seconds_bucket{name="ResourceQuota",operation="CREATE",rejected="true",type="validate",le="0.005"} 0
apiserver_admission_controller_admission_duration_seconds_bucket{name="ResourceQuota",operation="CREATE",rejected="true",type="validate",le="0.025"} 1
apiserver_admission_controller_admission_duration_seconds_bucket{name="ResourceQuota",operation="CREATE",rejected="true",type="validate",le="0.1"} 1
apiserver_admission_controller_admission_duration_seconds_bucket{name="ResourceQuota",operation="CREATE",rejected="true",type="validate",le="0.5"} 1
apiserver_admission_controller_admission_duration_seconds_bucket{name="ResourceQuota",operation="CREATE",rejected="true",type="validate",le="1"} 1
apiserver_admission_controller_admission_duration_seconds_bucket{name="ResourceQuota",operation="CREATE",rejected="true",type="validate",le="2.5"} 1
apiserver_admission_controller_admission_duration_seconds_bucket{name="ResourceQuota",operation="CREATE",rejected="true",type="validate",le="+Inf"} 1
apiserver_admission_controller_admission_duration_seconds_sum{name="ResourceQuota",operation="CREATE",rejected="true",type="validate"} 0.01
apiserver_admission_controller_admission_duration_seconds_count{name="ResourceQuota",operation="CREATE",rejected="true",type="validate"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "apiserver_admission_controller_admission_duration_seconds"); err != nil {
		t.Error(err)
	}
	// Each step spans its plugin's 10ms and the step's own tick: 30ms.
	if n := testutil.CollectAndCount(m.step); n != 2 {
		t.Errorf("%d step series, want 2 (admit and validate)", n)
	}
	wantSum := `
# HELP apiserver_admission_step_admission_duration_seconds_summary Admission sub-step latency summary in seconds, broken out for each operation and API resource and step type (validate or admit).
# TYPE apiserver_admission_step_admission_duration_seconds_summary summary
apiserver_admission_step_admission_duration_seconds_summary_sum{operation="CREATE",rejected="false",type="admit"} 0.03
apiserver_admission_step_admission_duration_seconds_summary_count{operation="CREATE",rejected="false",type="admit"} 1
apiserver_admission_step_admission_duration_seconds_summary_sum{operation="CREATE",rejected="true",type="validate"} 0.03
apiserver_admission_step_admission_duration_seconds_summary_count{operation="CREATE",rejected="true",type="validate"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(wantSum), "apiserver_admission_step_admission_duration_seconds_summary"); err != nil {
		t.Error(err)
	}
	if _, err := NewMetrics(reg); err == nil {
		t.Error("registering twice should fail")
	}
}
