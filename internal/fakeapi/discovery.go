package fakeapi

import (
	"net/http"
	goruntime "runtime"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/version"
)

// The version /version reports: the upstream release whose API the server
// speaks.
const (
	versionMajor = "1"
	versionMinor = "31"
	gitVersion   = "v1.31.3"
)

func (s *Server) serveVersion(c *call) {
	writeJSON(c.w, http.StatusOK, version.Info{
		Major:        versionMajor,
		Minor:        versionMinor,
		GitVersion:   gitVersion,
		GitTreeState: "clean",
		GoVersion:    goruntime.Version(),
		Compiler:     goruntime.Compiler,
		Platform:     goruntime.GOOS + "/" + goruntime.GOARCH,
	})
}

// serveAPIVersions answers /api.
func (s *Server) serveAPIVersions(c *call) {
	writeJSON(c.w, http.StatusOK, &metav1.APIVersions{
		TypeMeta: metav1.TypeMeta{Kind: "APIVersions"},
		Versions: []string{"v1"},
		ServerAddressByClientCIDRs: []metav1.ServerAddressByClientCIDR{
			{ClientCIDR: "0.0.0.0/0", ServerAddress: c.r.Host},
		},
	})
}

// groups returns the named API groups with their versions, as served.
func (s *Server) groups() []metav1.APIGroup {
	var out []metav1.APIGroup
	for _, r := range s.reg.list() {
		g := r.gvr.Group
		if g == "" {
			continue
		}
		gv := metav1.GroupVersionForDiscovery{GroupVersion: r.gvr.GroupVersion().String(), Version: r.gvr.Version}
		if n := len(out); n == 0 || out[n-1].Name != g {
			out = append(out, metav1.APIGroup{
				TypeMeta:         metav1.TypeMeta{Kind: "APIGroup", APIVersion: "v1"},
				Name:             g,
				PreferredVersion: gv,
			})
		}
		last := &out[len(out)-1]
		if n := len(last.Versions); n == 0 || last.Versions[n-1] != gv {
			last.Versions = append(last.Versions, gv)
		}
	}
	return out
}

// serveGroupList answers /apis.
func (s *Server) serveGroupList(c *call) {
	groups := s.groups()
	for i := range groups {
		groups[i].TypeMeta = metav1.TypeMeta{}
	}
	writeJSON(c.w, http.StatusOK, &metav1.APIGroupList{
		TypeMeta: metav1.TypeMeta{Kind: "APIGroupList", APIVersion: "v1"},
		Groups:   groups,
	})
}

// serveGroup answers /apis/{group}.
func (s *Server) serveGroup(c *call, name string) {
	for _, g := range s.groups() {
		if g.Name == name {
			writeJSON(c.w, http.StatusOK, &g)
			return
		}
	}
	writeError(c.w, pathNotFound())
}

// serveResourceList answers /api/v1 and /apis/{group}/{version}.
func (s *Server) serveResourceList(c *call, gv schema.GroupVersion) {
	var resources []metav1.APIResource
	for _, r := range s.reg.list() {
		if r.gvr.GroupVersion() != gv {
			continue
		}
		resources = append(resources, metav1.APIResource{
			Name:         r.gvr.Resource,
			SingularName: strings.ToLower(r.kind),
			Namespaced:   r.namespaced,
			Kind:         r.kind,
			Verbs:        metav1.Verbs{"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"},
		})
		if r.status {
			resources = append(resources, metav1.APIResource{
				Name:       r.gvr.Resource + "/status",
				Namespaced: r.namespaced,
				Kind:       r.kind,
				Verbs:      metav1.Verbs{"get", "patch", "update"},
			})
		}
	}
	if resources == nil {
		writeError(c.w, pathNotFound())
		return
	}
	writeJSON(c.w, http.StatusOK, &metav1.APIResourceList{
		TypeMeta:     metav1.TypeMeta{Kind: "APIResourceList", APIVersion: "v1"},
		GroupVersion: gv.String(),
		APIResources: resources,
	})
}
