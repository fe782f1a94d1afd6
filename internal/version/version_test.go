package version

import (
	"regexp"
	"testing"
)

func TestUserAgentHasUpstreamShape(t *testing.T) {
	defer func(v, c string) { gitVersion, gitCommit = v, c }(gitVersion, gitCommit)
	gitVersion, gitCommit = "v1.2.3", "0123456789abcdef"
	got := UserAgent("kube-scheduler")
	if !regexp.MustCompile(`^kube-scheduler/v1\.2\.3 \([a-z0-9]+/[a-z0-9]+\) skiff/0123456$`).MatchString(got) {
		t.Errorf("UserAgent = %q", got)
	}
	if i := Get(); i.GitVersion != "v1.2.3" || i.GoVersion == "" || i.Platform == "" {
		t.Errorf("Get = %+v", i)
	}
}
