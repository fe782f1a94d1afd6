package authorization

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	authorizationv1 "k8s.io/api/authorization/v1"
)

type fixed struct {
	d      Decision
	reason string
	err    error
	calls  *int
}

func (f fixed) Authorize(context.Context, Attributes) (Decision, string, error) {
	if f.calls != nil {
		*f.calls++
	}
	return f.d, f.reason, f.err
}

func TestUnion(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name       string
		members    []fixed
		want       Decision
		wantReason string
		wantErr    string
		wantCalls  []int
	}{
		{name: "first allow wins", members: []fixed{{d: NoOpinion}, {d: Allow, reason: "ok"}, {d: Deny}}, want: Allow, wantReason: "ok", wantCalls: []int{1, 1, 0}},
		{name: "deny stops", members: []fixed{{d: Deny, reason: "no"}, {d: Allow}}, want: Deny, wantReason: "no", wantCalls: []int{1, 0}},
		{name: "no opinion reasons joined", members: []fixed{{d: NoOpinion, reason: "a"}, {d: NoOpinion}, {d: NoOpinion, reason: "b"}}, want: NoOpinion, wantReason: "a\nb", wantCalls: []int{1, 1, 1}},
		{name: "errors joined", members: []fixed{{d: NoOpinion, err: boom}, {d: NoOpinion, err: errors.New("bang")}}, want: NoOpinion, wantErr: "[boom, bang]", wantCalls: []int{1, 1}},
		{name: "error with allow", members: []fixed{{d: Allow, err: boom}}, want: Allow, wantErr: "boom", wantCalls: []int{1}},
		{name: "empty", want: NoOpinion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := make([]int, len(tt.members))
			var u Union
			for i, m := range tt.members {
				m.calls = &calls[i]
				u = append(u, m)
			}
			d, reason, err := u.Authorize(context.Background(), Attributes{})
			if d != tt.want || reason != tt.wantReason {
				t.Errorf("got %v %q, want %v %q", d, reason, tt.want, tt.wantReason)
			}
			if (err == nil) != (tt.wantErr == "") || (err != nil && err.Error() != tt.wantErr) {
				t.Errorf("err %v, want %q", err, tt.wantErr)
			}
			for i := range calls {
				if calls[i] != tt.wantCalls[i] {
					t.Errorf("member %d called %d times", i, calls[i])
				}
			}
		})
	}
}

func TestChain(t *testing.T) {
	masters := &authentication.User{Name: "root", Groups: []string{"system:masters"}}
	bob := &authentication.User{Name: "bob", Groups: []string{"system:authenticated"}}
	deny := AuthorizerFunc(func(context.Context, Attributes) (Decision, string, error) { return Deny, "webhook says no", nil })
	rbacNone := AuthorizerFunc(func(context.Context, Attributes) (Decision, string, error) { return NoOpinion, "", nil })

	tests := []struct {
		name    string
		modes   []string
		user    *authentication.User
		want    Decision
		wantErr string
	}{
		{name: "masters short-circuit", modes: []string{ModeWebhook}, user: masters, want: Allow},
		{name: "webhook denies", modes: []string{ModeWebhook, ModeAlwaysAllow}, user: bob, want: Deny},
		{name: "always allow", modes: []string{ModeRBAC, ModeAlwaysAllow}, user: bob, want: Allow},
		{name: "always deny then allow", modes: []string{ModeAlwaysDeny, ModeAlwaysAllow}, user: bob, want: Allow},
		{name: "rbac no opinion", modes: []string{ModeRBAC}, user: bob, want: NoOpinion},
		{name: "none", modes: nil, wantErr: "at least one authorization-mode must be passed"},
		{name: "unknown", modes: []string{"RBAC", "Magic"}, wantErr: `authorization-mode "Magic" is not a valid mode`},
		{name: "twice", modes: []string{"RBAC", "RBAC"}, wantErr: `authorization-mode ["RBAC" "RBAC"] has mode specified more than once`},
		{name: "not built", modes: []string{ModeNode}, wantErr: `authorization-mode "Node" is not available`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := Chain(tt.modes, map[string]Authorizer{ModeWebhook: deny, ModeRBAC: rbacNone})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			d, _, _ := u.Authorize(context.Background(), Attributes{User: tt.user, Verb: "get", ResourceRequest: true, Resource: "pods"})
			if d != tt.want {
				t.Errorf("got %v, want %v", d, tt.want)
			}
		})
	}
}

func TestAlwaysAndRules(t *testing.T) {
	if d, reason, _ := (AlwaysDeny{}).Authorize(context.Background(), Attributes{}); d != NoOpinion || reason != "Everything is forbidden." {
		t.Errorf("AlwaysDeny: %v %q", d, reason)
	}
	if d, _, _ := (PrivilegedGroups{"system:masters"}).Authorize(context.Background(), Attributes{}); d != NoOpinion {
		t.Errorf("nil user: %v", d)
	}
	u, _ := Chain([]string{ModeAlwaysAllow, ModeAlwaysDeny}, nil)
	res, nonRes, incomplete, err := u.RulesFor(context.Background(), &authentication.User{Name: "x"}, "default")
	wantRes := []authorizationv1.ResourceRule{{Verbs: []string{"*"}, APIGroups: []string{"*"}, Resources: []string{"*"}}}
	wantNon := []authorizationv1.NonResourceRule{{Verbs: []string{"*"}, NonResourceURLs: []string{"*"}}}
	if !reflect.DeepEqual(res, wantRes) || !reflect.DeepEqual(nonRes, wantNon) || incomplete || err != nil {
		t.Errorf("RulesFor: %v %v %v %v", res, nonRes, incomplete, err)
	}
	for d, s := range map[Decision]string{Allow: "Allow", Deny: "Deny", NoOpinion: "NoOpinion", 7: "Unknown"} {
		if d.String() != s {
			t.Errorf("%d prints %q", d, d.String())
		}
	}
}
