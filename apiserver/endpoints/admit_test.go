package endpoints_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/endpoints"
	"github.com/skiff-dev/skiff/apiserver/scheme"
)

// recorder is an admission plugin that records what each phase saw,
// labels the object in the mutating phase and refuses when told.
type recorder struct {
	admission.Handler
	calls        []string
	seen         []admission.Attributes
	deny, denyIn string // denyIn: "admit" or "validate"
}

func (p *recorder) phase(name string, a *admission.Attributes) error {
	p.calls = append(p.calls, name)
	p.seen = append(p.seen, *a)
	if p.denyIn == name {
		return admission.NewForbidden(a, errors.New(p.deny))
	}
	return nil
}

func (p *recorder) Admit(_ context.Context, a *admission.Attributes) error {
	if m, ok := admission.Accessor(a.Object); ok {
		m.SetLabels(map[string]string{"admitted": "yes"})
	}
	return p.phase("admit", a)
}

func (p *recorder) Validate(_ context.Context, a *admission.Attributes) error {
	return p.phase("validate", a)
}

// evictor is a subresource handler admitting an Eviction it builds,
// answering 201 with the (possibly mutated) object when admitted.
type evictor struct{ obj *policyv1.Eviction }

func (e *evictor) ServeSubresource(w http.ResponseWriter, r *http.Request, info *endpoints.RequestInfo, io endpoints.IO) {
	opts := &metav1.CreateOptions{DryRun: r.URL.Query()["dryRun"]}
	e.obj = &policyv1.Eviction{ObjectMeta: metav1.ObjectMeta{Name: "from-body"}}
	err := io.Admit(r, info, admission.Attributes{
		Operation: admission.Create, Kind: policyv1.SchemeGroupVersion.WithKind("Eviction"),
		Object: e.obj, DryRun: len(opts.DryRun) > 0, Options: opts,
		// Admit names the request's resource, namespace and name
		// whatever the handler says.
		Resource: schema.GroupVersionResource{Resource: "ignored"}, Namespace: "ignored", Name: "ignored",
	})
	if err != nil {
		io.Fail(w, r, err)
		return
	}
	io.Respond(w, r, http.StatusCreated, e.obj)
}

func TestIOAdmit(t *testing.T) {
	pods := schema.GroupVersionResource{Version: "v1", Resource: "pods"}
	user := &authentication.User{Name: "system:node:n1", Groups: []string{authentication.NodesGroup}}
	serve := func(chain *admission.Chain, path string, withUser bool) (*evictor, *httptest.ResponseRecorder) {
		ev := &evictor{}
		opts := []endpoints.Option{endpoints.WithSubresource(pods, "eviction", ev)}
		if chain != nil {
			opts = append(opts, endpoints.WithAdmission(chain))
		}
		h := endpoints.NewHandler(nil, scheme.NewCodecs(scheme.New()), nil, opts...)
		r := httptest.NewRequest(http.MethodPost, path, nil)
		ctx := endpoints.WithRequestInfo(r.Context(), endpoints.ParseRequestInfo(r))
		if withUser {
			ctx = authentication.WithUser(ctx, user)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r.WithContext(ctx))
		return ev, w
	}
	const path = "/api/v1/namespaces/ns/pods/p/eviction"
	chainOf := func(p admission.Plugin) *admission.Chain {
		return admission.NewChain([]admission.NamedPlugin{{Name: "Recorder", Plugin: p}})
	}

	t.Run("both phases with the request's attributes", func(t *testing.T) {
		p := &recorder{Handler: admission.NewHandler(admission.Create)}
		ev, w := serve(chainOf(p), path+"?dryRun=All", true)
		if w.Code != http.StatusCreated {
			t.Fatalf("answer %d %s", w.Code, w.Body)
		}
		if strings.Join(p.calls, ",") != "admit,validate" {
			t.Fatalf("phases %v, want admit then validate", p.calls)
		}
		for i, a := range p.seen {
			if a.Operation != admission.Create || a.Kind != policyv1.SchemeGroupVersion.WithKind("Eviction") ||
				a.Resource != pods || a.Subresource != "eviction" || a.Namespace != "ns" || a.Name != "p" ||
				a.User != user || !a.DryRun || a.Object != ev.obj || a.OldObject != nil {
				t.Errorf("%s saw %+v", p.calls[i], a)
			}
			if o, ok := a.Options.(*metav1.CreateOptions); !ok || len(o.DryRun) != 1 {
				t.Errorf("%s saw options %#v", p.calls[i], a.Options)
			}
		}
		// The validating phase sees the mutated object, and so does the
		// handler.
		if got := p.seen[1].Object.(*policyv1.Eviction).Labels["admitted"]; got != "yes" || ev.obj.Labels["admitted"] != "yes" {
			t.Errorf("mutation not kept: %v %v", got, ev.obj.Labels)
		}
	})

	for _, phase := range []string{"admit", "validate"} {
		t.Run("refused in "+phase, func(t *testing.T) {
			p := &recorder{Handler: admission.NewHandler(admission.Create), deny: "not on my watch", denyIn: phase}
			_, w := serve(chainOf(p), path, true)
			var st metav1.Status
			if err := json.Unmarshal(w.Body.Bytes(), &st); err != nil {
				t.Fatalf("not a Status: %s", w.Body)
			}
			if w.Code != http.StatusForbidden || st.Kind != "Status" || st.Status != metav1.StatusFailure || st.Reason != metav1.StatusReasonForbidden ||
				st.Code != http.StatusForbidden || st.Message != `pods "p" is forbidden: not on my watch` ||
				st.Details == nil || st.Details.Name != "p" || st.Details.Kind != "pods" {
				t.Errorf("answer %d %s", w.Code, w.Body)
			}
			if phase == "admit" && len(p.calls) != 1 {
				t.Errorf("validation ran after a refusal: %v", p.calls)
			}
		})
	}

	t.Run("no user, no dry run", func(t *testing.T) {
		p := &recorder{Handler: admission.NewHandler(admission.Create)}
		if _, w := serve(chainOf(p), path, false); w.Code != http.StatusCreated || len(p.seen) != 2 || p.seen[0].User != nil || p.seen[0].DryRun {
			t.Errorf("answer %d, saw %+v", w.Code, p.seen)
		}
	})

	t.Run("plugins not handling the operation are not asked", func(t *testing.T) {
		p := &recorder{Handler: admission.NewHandler(admission.Update), deny: "no", denyIn: "admit"}
		if _, w := serve(chainOf(p), path, true); w.Code != http.StatusCreated || len(p.calls) != 0 {
			t.Errorf("answer %d, calls %v", w.Code, p.calls)
		}
	})

	t.Run("without a chain everything is admitted", func(t *testing.T) {
		if _, w := serve(nil, path, true); w.Code != http.StatusCreated {
			t.Errorf("answer %d %s", w.Code, w.Body)
		}
	})
}
