package authentication

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestWithAuthentication(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewMetrics(reg); err == nil {
		t.Error("metrics registered twice")
	}
	tokens := NewStaticTokens(map[string]*User{
		"t1": {Name: "jane@example.com", Groups: []string{"devs"}},
		"t2": {Name: "admin"},
	})
	var seen *User
	var seenHeader string
	h := WithAuthentication(nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen, _ = UserFrom(r.Context())
		seenHeader = r.Header.Get("Authorization")
	}), New(Config{TokenFile: tokens, Anonymous: true}), nil, nil, m)

	do := func(header string) *httptest.ResponseRecorder {
		seen = nil
		r := httptest.NewRequest(http.MethodGet, "/api/v1/pods", nil)
		if header != "" {
			r.Header.Set("Authorization", header)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}

	if w := do("Bearer t1"); w.Code != 200 || seen == nil || seen.Name != "jane@example.com" || seenHeader != "" {
		t.Errorf("token: %d %+v header %q", w.Code, seen, seenHeader)
	}
	do("Bearer t2")
	if w := do(""); w.Code != 200 || seen == nil || seen.Name != Anonymous {
		t.Errorf("anonymous: %d %+v", w.Code, seen)
	}
	w := do("Bearer wrong")
	if w.Code != 401 || seen != nil {
		t.Fatalf("bad token: %d %+v", w.Code, seen)
	}
	body, _ := io.ReadAll(w.Body)
	var status metav1.Status
	if err := json.Unmarshal(body, &status); err != nil {
		t.Fatal(err)
	}
	if status.Kind != "Status" || status.APIVersion != "v1" || status.Reason != metav1.StatusReasonUnauthorized ||
		status.Message != "Unauthorized" || status.Code != 401 || status.Status != metav1.StatusFailure ||
		w.Header().Get("Content-Type") != "application/json" {
		t.Errorf("401 body %s", body)
	}

	if got := testutil.ToFloat64(m.attempts.WithLabelValues("success")); got != 3 {
		t.Errorf("successes %v", got)
	}
	if got := testutil.ToFloat64(m.attempts.WithLabelValues("error")); got != 1 {
		t.Errorf("errors %v", got)
	}
	if got := testutil.ToFloat64(m.userRequests.WithLabelValues("email_id")); got != 1 {
		t.Errorf("email_id %v", got)
	}
	if got := testutil.ToFloat64(m.userRequests.WithLabelValues("admin")); got != 1 {
		t.Errorf("admin %v", got)
	}
	if n, err := testutil.GatherAndCount(reg, "authentication_duration_seconds"); err != nil || n != 2 {
		t.Errorf("duration series %d %v", n, err)
	}
	if !strings.Contains(Unauthorized().Error(), "Unauthorized") {
		t.Error(Unauthorized())
	}
}

func TestNewChain(t *testing.T) {
	priv := NewStaticTokens(map[string]*User{"loopback": LoopbackUser("uid-1")})
	file := NewStaticTokens(map[string]*User{"t": {Name: "bob"}})
	tests := []struct {
		name       string
		cfg        Config
		header     string
		wantUser   string
		wantGroups string
		wantErr    bool
	}{
		{name: "loopback", cfg: Config{PrivilegedTokens: priv, TokenFile: file}, header: "Bearer loopback", wantUser: APIServerUser, wantGroups: "system:authenticated,system:masters"},
		{name: "file token past loopback", cfg: Config{PrivilegedTokens: priv, TokenFile: file}, header: "Bearer t", wantUser: "bob", wantGroups: "system:authenticated"},
		{name: "bad token", cfg: Config{PrivilegedTokens: priv, TokenFile: file, Anonymous: true}, header: "Bearer x", wantErr: true},
		{name: "nothing configured, anonymous", cfg: Config{Anonymous: true}, wantUser: Anonymous, wantGroups: AllUnauthenticated},
		{name: "nothing configured", cfg: Config{}},
		{name: "basic auth is not recognised", cfg: Config{TokenFile: file, Anonymous: true}, header: "Basic Ym9iOnB3", wantUser: Anonymous, wantGroups: AllUnauthenticated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			u, ok, err := New(tt.cfg).AuthenticateRequest(r)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err %v", err)
			}
			if tt.wantUser == "" {
				if ok {
					t.Fatalf("authenticated %+v", u)
				}
				return
			}
			if !ok || u.Name != tt.wantUser || strings.Join(u.Groups, ",") != tt.wantGroups {
				t.Fatalf("got %+v %v", u, ok)
			}
		})
	}
}
