// Package version says which build of skiff is running. The Makefile sets
// the values with -ldflags "-X github.com/skiff-dev/skiff/internal/version.gitVersion=…".
package version

import (
	"fmt"
	"runtime"
)

var (
	gitVersion = "v0.0.0-dev"
	gitCommit  = "unknown"
)

// Info is the build's identity, shaped like upstream's /version answer.
type Info struct {
	GitVersion string `json:"gitVersion"`
	GitCommit  string `json:"gitCommit"`
	GoVersion  string `json:"goVersion"`
	Compiler   string `json:"compiler"`
	Platform   string `json:"platform"`
}

// Get returns this build's Info.
func Get() Info {
	return Info{
		GitVersion: gitVersion,
		GitCommit:  gitCommit,
		GoVersion:  runtime.Version(),
		Compiler:   runtime.Compiler,
		Platform:   runtime.GOOS + "/" + runtime.GOARCH,
	}
}

// UserAgent is the User-Agent a component sends, in upstream's shape:
// "kube-scheduler/v1.2.3 (linux/amd64) skiff/abcdef0".
func UserAgent(component string) string {
	i := Get()
	commit := i.GitCommit
	if len(commit) > 7 {
		commit = commit[:7]
	}
	return fmt.Sprintf("%s/%s (%s) skiff/%s", component, i.GitVersion, i.Platform, commit)
}
