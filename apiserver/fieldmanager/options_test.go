package fieldmanager

import (
	"net/http"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
)

func TestManagerName(t *testing.T) {
	tests := []struct {
		name, fieldManager, userAgent, want string
	}{
		{"fieldManager wins", "kubectl-client-side-apply", "kubectl/v1.31.3 (linux/amd64) kubernetes/c83cbee", "kubectl-client-side-apply"},
		{"kubectl", "", "kubectl/v1.31.3 (linux/amd64) kubernetes/c83cbee", "kubectl"},
		{"controller", "", "kube-controller-manager/v1.31.3 (linux/amd64) kubernetes/c83cbee/system:serviceaccount:kube-system:deployment-controller", "kube-controller-manager"},
		{"no slash", "", "curl", "curl"},
		{"no user agent", "", "", ""},
		{"unprintable characters dropped", "", "my\x00tool\n/1.0", "mytool"},
		{"cut at 128 bytes", "", strings.Repeat("a", 130) + "/1", strings.Repeat("a", 128)},
		{"no rune split at the cut", "", strings.Repeat("a", 127) + "é/1", strings.Repeat("a", 127)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ManagerName(tt.fieldManager, tt.userAgent); got != tt.want {
				t.Errorf("ManagerName(%q, %q) = %q, want %q", tt.fieldManager, tt.userAgent, got, tt.want)
			}
		})
	}
}

func TestValidateOptions(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string // "" for no error
	}{
		{"apply without fieldManager", ValidatePatchOptions(&metav1.PatchOptions{}, types.ApplyPatchType),
			`PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch`},
		{"apply with fieldManager and force", ValidatePatchOptions(&metav1.PatchOptions{FieldManager: "kubectl", Force: ptr.To(true)}, types.ApplyPatchType), ""},
		{"force on a merge patch", ValidatePatchOptions(&metav1.PatchOptions{Force: ptr.To(true)}, types.MergePatchType),
			`PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch`},
		{"merge patch without fieldManager", ValidatePatchOptions(&metav1.PatchOptions{}, types.MergePatchType), ""},
		{"fieldManager too long", ValidateCreateOptions(&metav1.CreateOptions{FieldManager: strings.Repeat("m", 129)}),
			`CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: must have at most 128 bytes`},
		{"unprintable fieldManager", ValidateUpdateOptions(&metav1.UpdateOptions{FieldManager: "a\tb"}),
			`UpdateOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "a\tb": invalid character U+0009 (at position 1)`},
		{"bad dryRun", ValidateUpdateOptions(&metav1.UpdateOptions{DryRun: []string{"Some"}}),
			`UpdateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Some"}: supported values: "All"`},
		{"good create", ValidateCreateOptions(&metav1.CreateOptions{FieldManager: "kubectl-create", DryRun: []string{"All"}}), ""},
		{"delete with a bad dryRun", ValidateDeleteOptions(&metav1.DeleteOptions{DryRun: []string{"Some"}}),
			`DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Some"}: supported values: "All"`},
		{"delete with an unknown propagationPolicy", ValidateDeleteOptions(&metav1.DeleteOptions{PropagationPolicy: ptr.To(metav1.DeletionPropagation("Sideways"))}),
			`DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"`},
		{"delete with orphanDependents and a policy", ValidateDeleteOptions(&metav1.DeleteOptions{OrphanDependents: ptr.To(true), PropagationPolicy: ptr.To(metav1.DeletePropagationOrphan)}),
			`DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Orphan": orphanDependents and deletionPropagation cannot be both set`},
		{"good delete", ValidateDeleteOptions(&metav1.DeleteOptions{DryRun: []string{"All"}, PropagationPolicy: ptr.To(metav1.DeletePropagationForeground)}), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want == "" {
				if tt.err != nil {
					t.Fatalf("error %v", tt.err)
				}
				return
			}
			status, ok := tt.err.(apierrors.APIStatus)
			if !ok {
				t.Fatalf("error %v (%T) is not an API status", tt.err, tt.err)
			}
			if s := status.Status(); s.Code != http.StatusUnprocessableEntity || s.Reason != metav1.StatusReasonInvalid || s.Message != tt.want {
				t.Errorf("status = %d %s %q, want 422 Invalid %q", s.Code, s.Reason, s.Message, tt.want)
			}
		})
	}
}
