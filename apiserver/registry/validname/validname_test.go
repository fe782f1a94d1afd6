package validname

import (
	"math/rand/v2"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation"
)

// randomString draws strings near the rules' edges: mostly from characters
// the rules treat differently, at lengths around every limit, with
// slashes and dots placed anywhere.
func randomString(rng *rand.Rand) string {
	const chars = "aZ09-_./%é \x00"
	n := []int{0, 1, 2, 3, 62, 63, 64, 65, 252, 253, 254}[rng.IntN(11)]
	if rng.IntN(2) == 0 {
		n = rng.IntN(10)
	}
	var b strings.Builder
	for range n {
		if rng.IntN(3) == 0 {
			b.WriteByte(chars[rng.IntN(len(chars))])
		} else {
			b.WriteByte("abz09-."[rng.IntN(7)])
		}
	}
	return b.String()
}

func TestAgreesWithApimachinery(t *testing.T) {
	checks := []struct {
		name       string
		ours, full func(string) []string
	}{
		{"IsDNS1123Subdomain", IsDNS1123Subdomain, validation.IsDNS1123Subdomain},
		{"IsDNS1123Label", IsDNS1123Label, validation.IsDNS1123Label},
		{"IsQualifiedName", IsQualifiedName, validation.IsQualifiedName},
		{"IsValidLabelValue", IsValidLabelValue, validation.IsValidLabelValue},
	}
	rng := rand.New(rand.NewPCG(3, 4))
	valid := make([]int, len(checks))
	for i := 0; i < 100000; i++ {
		s := randomString(rng)
		if rng.IntN(4) == 0 {
			s = randomString(rng) + "/" + randomString(rng)
		}
		for j, c := range checks {
			ours, full := c.ours(s), c.full(s)
			if strings.Join(ours, "\n") != strings.Join(full, "\n") {
				t.Fatalf("%s(%q) = %q, apimachinery's %q", c.name, s, ours, full)
			}
			if len(full) == 0 {
				valid[j]++
			}
		}
	}
	for j, c := range checks {
		if valid[j] < 3000 || valid[j] > 97000 {
			t.Errorf("%s: %d of 100000 random strings valid; the comparison needs both verdicts often", c.name, valid[j])
		}
	}
	// The annotation keys' rule: the prefix's case is folded first.
	for _, s := range []string{"Example.COM/Key_1", "EXAMPLE.com/a", "a.b/C", "A/b"} {
		if !QualifiedName(s, true) || len(validation.IsQualifiedName(strings.ToLower(s))) > 0 {
			t.Errorf("QualifiedName(%q, fold) disagrees with apimachinery's lowered check", s)
		}
	}
}

func BenchmarkIsQualifiedName(b *testing.B) {
	for _, c := range []struct {
		name string
		f    func(string) []string
	}{{"validname", IsQualifiedName}, {"apimachinery", validation.IsQualifiedName}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if errs := c.f("node.kubernetes.io/not-ready"); errs != nil {
					b.Fatal(errs)
				}
			}
		})
	}
}
