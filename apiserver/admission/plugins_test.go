package admission

import (
	"context"
	"errors"
	"slices"
	"testing"
)

type nopPlugin struct{ Handler }

func (nopPlugin) Admit(context.Context, *Attributes) error { return nil }

func allFactories() map[string]Factory {
	f := map[string]Factory{}
	for _, name := range RecommendedOrder() {
		f[name] = func() (Plugin, error) { return nopPlugin{NewHandler(Create)}, nil }
	}
	return f
}

func TestOrderAndDefaults(t *testing.T) {
	wantOrder := []string{"NamespaceLifecycle", "LimitRanger", "ServiceAccount", "NodeRestriction", "TaintNodesByCondition",
		"Priority", "DefaultTolerationSeconds", "DefaultStorageClass", "ResourceQuota"}
	if got := RecommendedOrder(); !slices.Equal(got, wantOrder) {
		t.Errorf("RecommendedOrder = %v, want %v", got, wantOrder)
	}
	wantDefault := []string{"NamespaceLifecycle", "LimitRanger", "ServiceAccount", "TaintNodesByCondition",
		"Priority", "DefaultTolerationSeconds", "DefaultStorageClass", "ResourceQuota"}
	if got := DefaultEnabled(); !slices.Equal(got, wantDefault) {
		t.Errorf("DefaultEnabled = %v, want %v", got, wantDefault)
	}
}

func TestPlugins(t *testing.T) {
	tests := []struct {
		name            string
		enable, disable []string
		factories       map[string]Factory
		want            []string
		wantErr         []string
	}{{
		name: "defaults",
		want: DefaultEnabled(),
	}, {
		name:   "enabling keeps upstream's order whatever the flag's",
		enable: []string{"NodeRestriction", "NamespaceLifecycle"},
		want: []string{"NamespaceLifecycle", "LimitRanger", "ServiceAccount", "NodeRestriction", "TaintNodesByCondition",
			"Priority", "DefaultTolerationSeconds", "DefaultStorageClass", "ResourceQuota"},
	}, {
		name:    "disabling",
		disable: []string{"ResourceQuota", "LimitRanger", "PodSecurity"},
		want:    []string{"NamespaceLifecycle", "ServiceAccount", "TaintNodesByCondition", "Priority", "DefaultTolerationSeconds", "DefaultStorageClass"},
	}, {
		name:    "unknown names",
		enable:  []string{"NodeRestriction", "Bogus"},
		disable: []string{"AlsoBogus"},
		wantErr: []string{`enable-admission-plugins plugin "Bogus" is unknown`, `disable-admission-plugins plugin "AlsoBogus" is unknown`},
	}, {
		name:    "an upstream plugin skiff does not build",
		enable:  []string{"PodSecurity"},
		wantErr: []string{`enable-admission-plugins plugin "PodSecurity" is not built by skiff`},
	}, {
		name:    "in both lists",
		enable:  []string{"Priority", "NodeRestriction"},
		disable: []string{"NodeRestriction", "Priority"},
		wantErr: []string{`[NodeRestriction Priority] in enable-admission-plugins and disable-admission-plugins overlapped`},
	}, {
		name:      "a missing factory",
		factories: map[string]Factory{NamespaceLifecycle: allFactories()[NamespaceLifecycle]},
		disable:   []string{"LimitRanger", "ServiceAccount", "TaintNodesByCondition", "Priority", "DefaultTolerationSeconds", "DefaultStorageClass"},
		wantErr:   []string{`admission plugin "ResourceQuota" is enabled but has no factory`},
	}, {
		name: "a failing factory",
		factories: func() map[string]Factory {
			f := allFactories()
			f[Priority] = func() (Plugin, error) { return nil, errors.New("no lister") }
			return f
		}(),
		wantErr: []string{`admission plugin "Priority": no lister`},
	}, {
		name: "a stray factory",
		factories: func() map[string]Factory {
			f := allFactories()
			f["PodSecurity"] = f[Priority]
			return f
		}(),
		wantErr: []string{`admission plugin factory "PodSecurity" names no plugin skiff builds`},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			factories := tt.factories
			if factories == nil {
				factories = allFactories()
			}
			got, err := Plugins(tt.enable, tt.disable, factories)
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("Plugins = %v, want errors %q", got, tt.wantErr)
				}
				for _, w := range tt.wantErr {
					if !containsLine(err.Error(), w) {
						t.Errorf("error %q lacks %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Plugins: %v", err)
			}
			var names []string
			for _, p := range got {
				names = append(names, p.Name)
				if p.Plugin == nil {
					t.Errorf("%s has no plugin", p.Name)
				}
			}
			if !slices.Equal(names, tt.want) {
				t.Errorf("plugins = %v, want %v", names, tt.want)
			}
		})
	}
}

func containsLine(s, line string) bool {
	for _, l := range splitLines(s) {
		if l == line {
			return true
		}
	}
	return false
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
