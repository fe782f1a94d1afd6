package authentication

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
)

type step struct {
	user *User
	ok   bool
	err  error
}

// recorder is an Authenticator that answers fixed results and counts calls.
type recorder struct {
	step
	calls int
}

func (r *recorder) AuthenticateRequest(*http.Request) (*User, bool, error) {
	r.calls++
	return r.user, r.ok, r.err
}

func TestUnionOrder(t *testing.T) {
	errA, errB := errors.New("a failed"), errors.New("b failed")
	tests := []struct {
		name     string
		steps    []step
		wantUser string
		wantErr  string
		calls    []int
	}{
		{name: "first ok wins", steps: []step{{&User{Name: "one"}, true, nil}, {&User{Name: "two"}, true, nil}}, wantUser: "one", calls: []int{1, 0}},
		{name: "skips not recognised", steps: []step{{}, {&User{Name: "two"}, true, nil}}, wantUser: "two", calls: []int{1, 1}},
		{name: "error does not stop the next", steps: []step{{nil, false, errA}, {&User{Name: "two"}, true, nil}}, wantUser: "two", calls: []int{1, 1}},
		{name: "errors aggregated", steps: []step{{nil, false, errA}, {}, {nil, false, errB}}, wantErr: "[a failed, b failed]", calls: []int{1, 1, 1}},
		{name: "one error", steps: []step{{nil, false, errA}, {}}, wantErr: "a failed", calls: []int{1, 1}},
		{name: "same errors once", steps: []step{{nil, false, errA}, {nil, false, errA}}, wantErr: "a failed", calls: []int{1, 1}},
		{name: "nothing recognised", steps: []step{{}, {}}, calls: []int{1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var recs []*recorder
			var auths []Authenticator
			for _, s := range tt.steps {
				r := &recorder{step: s}
				recs = append(recs, r)
				auths = append(auths, r)
			}
			u, ok, err := Union(auths...).AuthenticateRequest(httptest.NewRequest("GET", "/", nil))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr || ok {
					t.Fatalf("got %v %v, want error %q", ok, err, tt.wantErr)
				}
				if !errors.Is(err, errA) {
					t.Error("aggregate hides its errors from errors.Is")
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if tt.wantUser != "" && (!ok || u.Name != tt.wantUser) {
				t.Fatalf("got %+v %v", u, ok)
			}
			if tt.wantUser == "" && ok {
				t.Fatalf("authenticated %+v", u)
			}
			for i, r := range recs {
				if r.calls != tt.calls[i] {
					t.Errorf("authenticator %d called %d times, want %d", i, r.calls, tt.calls[i])
				}
			}
		})
	}
}

func TestAuthenticatedGroupAndAnonymous(t *testing.T) {
	tests := []struct {
		name       string
		step       step
		anonymous  bool
		wantUser   string
		wantGroups []string
		wantErr    bool
	}{
		{name: "adds group", step: step{&User{Name: "bob", Groups: []string{"devs"}}, true, nil}, wantUser: "bob", wantGroups: []string{"devs", AllAuthenticated}},
		{name: "not twice", step: step{&User{Name: "bob", Groups: []string{AllAuthenticated}}, true, nil}, wantUser: "bob", wantGroups: []string{AllAuthenticated}},
		{name: "not to unauthenticated", step: step{&User{Name: "x", Groups: []string{AllUnauthenticated}}, true, nil}, wantUser: "x", wantGroups: []string{AllUnauthenticated}},
		{name: "nothing presented, anonymous off", step: step{}},
		{name: "nothing presented, anonymous on", step: step{}, anonymous: true, wantUser: Anonymous, wantGroups: []string{AllUnauthenticated}},
		{name: "bad credential, anonymous on", step: step{nil, false, errors.New("bad")}, anonymous: true, wantErr: true},
		{name: "good credential, anonymous on", step: step{&User{Name: "bob"}, true, nil}, anonymous: true, wantUser: "bob", wantGroups: []string{AllAuthenticated}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := tt.step.user
			var origGroups []string
			if orig != nil {
				origGroups = append([]string(nil), orig.Groups...)
			}
			a := WithAuthenticatedGroup(&recorder{step: tt.step})
			if tt.anonymous {
				a = WithAnonymous(a)
			}
			u, ok, err := a.AuthenticateRequest(httptest.NewRequest("GET", "/", nil))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err %v", err)
			}
			if tt.wantUser == "" {
				if ok {
					t.Fatalf("authenticated %+v", u)
				}
				return
			}
			if !ok || u.Name != tt.wantUser || !reflect.DeepEqual(u.Groups, tt.wantGroups) {
				t.Fatalf("got %+v %v, want %s %v", u, ok, tt.wantUser, tt.wantGroups)
			}
			if orig != nil && !reflect.DeepEqual(orig.Groups, origGroups) {
				t.Error("the plugin's user was changed in place")
			}
		})
	}
}
