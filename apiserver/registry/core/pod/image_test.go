package pod

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// The reference grammar as distribution's reference package writes it: the
// oracle imageTag is checked against.
var (
	refAlphaNumeric  = `[a-z0-9]+`
	refSeparator     = `(?:[._]|__|[-]+)`
	refPathComponent = refAlphaNumeric + `(?:` + refSeparator + refAlphaNumeric + `)*`
	refDomainLabel   = `(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])`
	refDomain        = `(?:` + refDomainLabel + `(?:\.` + refDomainLabel + `)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?`
	refName          = `(?:` + refDomain + `/)?` + refPathComponent + `(?:/` + refPathComponent + `)*`
	refTag           = `[\w][\w.-]{0,127}`
	refDigest        = `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}`

	refReference  = regexp.MustCompile(`^(` + refName + `)(?::(` + refTag + `))?(?:@(` + refDigest + `))?$`)
	refIdentifier = regexp.MustCompile(`^[a-f0-9]{64}$`)
	// What go-digest then accepts of a digest the grammar matched.
	refValidDigest = regexp.MustCompile(`^(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$`)
)

// imageTagByGrammar is imageTag by the regular expressions.
func imageTagByGrammar(image string) (string, bool) {
	if refIdentifier.MatchString(image) {
		return "", false
	}
	m := refReference.FindStringSubmatch(image)
	if m == nil || len(m[1]) > maxImageNameLength || m[3] != "" && !refValidDigest.MatchString(m[3]) {
		return "", false
	}
	tag, digest := m[2], m[3]
	if tag == "" && digest == "" {
		tag = "latest"
	}
	return tag, true
}

func TestImageTagExamples(t *testing.T) {
	hex64 := strings.Repeat("0123456789abcdef", 4)
	for _, c := range []struct {
		image string
		tag   string
		ok    bool
	}{
		{"nginx", "latest", true},
		{"nginx:1.25", "1.25", true},
		{"library/nginx:latest", "latest", true},
		{"localhost:5000/app", "latest", true},
		{"localhost:5000/app:v1", "v1", true},
		{"[::1]:5000/app:v1", "v1", true},
		{"[::1]/app", "latest", true},
		{"Registry.Example.com/team/app_x__y--z.w:V_1-rc.2", "V_1-rc.2", true},
		{"nginx@sha256:" + hex64, "", true},
		{"nginx:1.25@sha256:" + hex64, "1.25", true},
		{hex64, "", false},                                    // an image ID, not a reference
		{"Nginx", "", false},                                  // repositories are lowercase
		{"team/Nginx", "", false},                             //
		{"nginx:", "", false},                                 // empty tag
		{"nginx:-x", "", false},                               // a tag starts with a word character
		{"nginx@sha256:abc", "", false},                       // digest too short
		{"nginx@sha256:" + hex64[:32], "", false},             // not sha256's length
		{"nginx@md5:" + hex64, "", false},                     // a hash go-digest does not know
		{"nginx@sha256:" + strings.ToUpper(hex64), "", false}, // uppercase hex
		{"nginx@sha512:" + hex64 + hex64, "", true},
		{"a..b", "", false},      // not a separator
		{"a___b", "", false},     //
		{"-a", "", false},        //
		{"host:/app", "", false}, // empty port
		{"[]/app", "", false},    //
		{"a/b@x@y", "", false},   //
		{"nginx:" + strings.Repeat("t", 129), "", false},
		{strings.Repeat("a", 256), "", false},
	} {
		tag, ok := imageTag(c.image)
		if tag != c.tag || ok != c.ok {
			t.Errorf("imageTag(%q) = %q, %v; want %q, %v", c.image, tag, ok, c.tag, c.ok)
		}
	}
}

// TestImageTagMatchesGrammar compares imageTag with the regular expressions
// on random strings made of the grammar's pieces.
func TestImageTagMatchesGrammar(t *testing.T) {
	pieces := []string{
		"a", "b", "z", "0", "9", "A", "Q", "f", "_", "__", "___", ".", "..", "-", "--", "/", "//", ":", "@", "[", "]",
		"::1", "localhost", "5000", "example.com", "sha256", "sha256+b64u.v", "0123456789abcdef0123456789abcdef",
		strings.Repeat("0123456789abcdef", 4), "é", "sha256:" + strings.Repeat("0123456789abcdef", 4),
	}
	r := rand.New(rand.NewPCG(1, 2))
	var valid, tagged, digested int
	const n = 100_000
	for range n {
		// name[:tag][@digest] shaped, each part of random pieces.
		var b strings.Builder
		part := func(n int) {
			for range 1 + r.IntN(n) {
				b.WriteString(pieces[r.IntN(len(pieces))])
			}
		}
		part(6)
		if r.IntN(2) == 0 {
			b.WriteByte(':')
			part(2)
		}
		if r.IntN(3) == 0 {
			b.WriteByte('@')
			part(3)
		}
		image := b.String()
		tag, ok := imageTag(image)
		wantTag, wantOK := imageTagByGrammar(image)
		if tag != wantTag || ok != wantOK {
			t.Fatalf("imageTag(%q) = %q, %v; the grammar says %q, %v", image, tag, ok, wantTag, wantOK)
		}
		if ok {
			valid++
			if tag != "latest" && tag != "" {
				tagged++
			}
			if strings.Contains(image, "@") {
				digested++
			}
		}
	}
	t.Logf("%d of %d random images valid, %d tagged, %d with a digest", valid, n, tagged, digested)
	// The strings must exercise both answers, tags and digests.
	if valid < n/20 || valid > n-n/20 || tagged < n/100 || digested < n/5000 {
		t.Fatalf("%d of %d random images valid, %d tagged, %d with a digest: the generator no longer exercises the grammar", valid, n, tagged, digested)
	}
}

func BenchmarkImageTag(b *testing.B) {
	for range b.N {
		imageTag("registry.example.com:5000/team/app:v1.2.3")
	}
}
