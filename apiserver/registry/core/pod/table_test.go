package pod

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

func TestTableStatus(t *testing.T) {
	now := time.Date(2024, 8, 1, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) metav1.Time { return metav1.NewTime(now.Add(-d)) }
	running := corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}
	waiting := func(reason string) corev1.ContainerState {
		return corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason}}
	}
	terminated := func(code int32, reason string) corev1.ContainerState {
		return corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: code, Reason: reason}}
	}
	tests := []struct {
		name           string
		mutate         func(p *corev1.Pod)
		ready, status  string
		restarts       string
		wantConditions bool
	}{
		{"pending", func(p *corev1.Pod) { p.Status.Phase = corev1.PodPending }, "0/1", "Pending", "0", false},
		{"creating", func(p *corev1.Pod) {
			p.Status.Phase = corev1.PodPending
			p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "app", State: waiting("ContainerCreating")}}
		}, "0/1", "ContainerCreating", "0", false},
		{"running ready", func(p *corev1.Pod) {
			p.Status.Phase = corev1.PodRunning
			p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "app", Ready: true, State: running}}
		}, "1/1", "Running", "0", false},
		{"crash loop with restarts", func(p *corev1.Pod) {
			p.Status.Phase = corev1.PodRunning
			p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "app", RestartCount: 5, State: waiting("CrashLoopBackOff"),
				LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 1, FinishedAt: ago(5 * time.Minute)}}}}
		}, "0/1", "CrashLoopBackOff", "5 (5m ago)", false},
		{"image pull", func(p *corev1.Pod) {
			p.Status.Phase = corev1.PodPending
			p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "app", State: waiting("ErrImagePull")}}
		}, "0/1", "ErrImagePull", "0", false},
		{"completed", func(p *corev1.Pod) {
			p.Status.Phase = corev1.PodSucceeded
			p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "app", State: terminated(0, "Completed")}}
		}, "0/1", "Completed", "0", true},
		{"error exit code", func(p *corev1.Pod) {
			p.Status.Phase = corev1.PodFailed
			p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "app", State: terminated(2, "")}}
		}, "0/1", "ExitCode:2", "0", true},
		{"init progress", func(p *corev1.Pod) {
			p.Spec.InitContainers = []corev1.Container{{Name: "a"}, {Name: "b"}}
			p.Status.Phase = corev1.PodPending
			p.Status.InitContainerStatuses = []corev1.ContainerStatus{
				{Name: "a", State: terminated(0, "Completed")},
				{Name: "b", State: running},
			}
		}, "0/1", "Init:1/2", "0", false},
		{"init crash", func(p *corev1.Pod) {
			p.Spec.InitContainers = []corev1.Container{{Name: "a"}}
			p.Status.Phase = corev1.PodPending
			p.Status.InitContainerStatuses = []corev1.ContainerStatus{{Name: "a", RestartCount: 2, State: waiting("CrashLoopBackOff")}}
		}, "0/1", "Init:CrashLoopBackOff", "2", false},
		{"init error", func(p *corev1.Pod) {
			p.Spec.InitContainers = []corev1.Container{{Name: "a"}}
			p.Status.Phase = corev1.PodPending
			p.Status.InitContainerStatuses = []corev1.ContainerStatus{{Name: "a", State: terminated(3, "")}}
		}, "0/1", "Init:ExitCode:3", "0", false},
		{"sidecar counted", func(p *corev1.Pod) {
			always := corev1.ContainerRestartPolicyAlways
			p.Spec.InitContainers = []corev1.Container{{Name: "proxy", RestartPolicy: &always}}
			p.Status.Phase = corev1.PodRunning
			p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodInitialized, Status: corev1.ConditionTrue}}
			p.Status.InitContainerStatuses = []corev1.ContainerStatus{{Name: "proxy", Ready: true, Started: ptr(true), State: running}}
			p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "app", Ready: true, State: running}}
		}, "2/2", "Running", "0", false},
		{"terminating", func(p *corev1.Pod) {
			p.Status.Phase = corev1.PodRunning
			p.DeletionTimestamp = &metav1.Time{Time: now}
			p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "app", Ready: true, State: running}}
		}, "1/1", "Terminating", "0", false},
		{"terminated pods keep their phase", func(p *corev1.Pod) {
			p.Status.Phase = corev1.PodSucceeded
			p.DeletionTimestamp = &metav1.Time{Time: now}
		}, "0/1", "Succeeded", "0", true},
		{"node lost", func(p *corev1.Pod) {
			p.Status.Phase = corev1.PodRunning
			p.Status.Reason = "NodeLost"
		}, "0/1", "NodeLost", "0", false},
		{"node lost and deleted", func(p *corev1.Pod) {
			p.Status.Phase = corev1.PodRunning
			p.Status.Reason = "NodeLost"
			p.DeletionTimestamp = &metav1.Time{Time: now}
		}, "0/1", "Unknown", "0", false},
		{"gated", func(p *corev1.Pod) {
			p.Status.Phase = corev1.PodPending
			p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: "SchedulingGated"}}
		}, "0/1", "SchedulingGated", "0", false},
		{"completed but still running", func(p *corev1.Pod) {
			p.Spec.Containers = append(p.Spec.Containers, corev1.Container{Name: "b"})
			p.Status.Phase = corev1.PodRunning
			p.Status.ContainerStatuses = []corev1.ContainerStatus{
				{Name: "app", State: terminated(0, "Completed")},
				{Name: "b", Ready: true, State: running},
			}
		}, "1/2", "NotReady", "0", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web", CreationTimestamp: ago(3 * time.Hour)},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app"}}}}
			tt.mutate(pod)
			table, err := tableAt([]storage.Object{pod}, false, now)
			if err != nil {
				t.Fatal(err)
			}
			row := table.Rows[0]
			want := []any{"web", tt.ready, tt.status, tt.restarts, "3h"}
			for i := range want {
				if row.Cells[i] != want[i] {
					t.Errorf("cells %v, want %v", row.Cells, want)
					break
				}
			}
			if (len(row.Conditions) > 0) != tt.wantConditions {
				t.Errorf("conditions %v", row.Conditions)
			}
		})
	}
}

func TestTableWide(t *testing.T) {
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app"}}, NodeName: "n1",
			ReadinessGates: []corev1.PodReadinessGate{{ConditionType: "a"}, {ConditionType: "b"}}},
		Status: corev1.PodStatus{PodIPs: []corev1.PodIP{{IP: "10.0.0.1"}}, Conditions: []corev1.PodCondition{{Type: "a", Status: corev1.ConditionTrue}}}}
	table, err := Table([]storage.Object{pod, &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "bare"}}}, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(table.ColumnDefinitions) != 9 || table.ColumnDefinitions[5].Priority != 1 || table.ColumnDefinitions[7].Name != "Nominated Node" {
		t.Errorf("columns %+v", table.ColumnDefinitions)
	}
	got := table.Rows[0].Cells[5:]
	want := []any{"10.0.0.1", "n1", "<none>", "1/2"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("wide cells %v, want %v", got, want)
		}
	}
	bare := table.Rows[1].Cells
	if bare[4] != "<unknown>" || bare[5] != "<none>" || bare[8] != "<none>" {
		t.Errorf("bare pod cells %v", bare)
	}
}
