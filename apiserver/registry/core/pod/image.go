package pod

import (
	"regexp"
	"strings"
)

// The container image reference grammar (distribution's reference
// package, as upstream's image name parser uses it).
var (
	alphaNumeric  = `[a-z0-9]+`
	separator     = `(?:[._]|__|[-]+)`
	pathComponent = alphaNumeric + `(?:` + separator + alphaNumeric + `)*`
	domainLabel   = `(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])`
	domain        = `(?:` + domainLabel + `(?:\.` + domainLabel + `)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?`
	imageName     = `(?:` + domain + `/)?` + pathComponent + `(?:/` + pathComponent + `)*`
	imageTagPat   = `[\w][\w.-]{0,127}`
	imageDigest   = `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}`

	referenceRegexp  = regexp.MustCompile(`^(` + imageName + `)(?::(` + imageTagPat + `))?(?:@(` + imageDigest + `))?$`)
	identifierRegexp = regexp.MustCompile(`^[a-f0-9]{64}$`)
)

// maxImageNameLength is the reference grammar's limit on the name part.
const maxImageNameLength = 255

// imageTag returns image's tag, "latest" when it names neither a tag nor a
// digest, and false when image is not a valid reference (upstream then
// leaves the pull policy at IfNotPresent).
func imageTag(image string) (string, bool) {
	if identifierRegexp.MatchString(image) {
		return "", false
	}
	// Docker Hub names may omit the domain; the repository must be
	// lowercase either way.
	remainder := image
	if i := strings.IndexByte(image, '/'); i >= 0 {
		first := image[:i]
		if strings.ContainsAny(first, ".:") || first == "localhost" || strings.ToLower(first) != first {
			remainder = image[i+1:]
		}
	}
	repo := remainder
	if i := strings.IndexByte(remainder, ':'); i >= 0 {
		repo = remainder[:i]
	}
	if strings.ToLower(repo) != repo {
		return "", false
	}
	m := referenceRegexp.FindStringSubmatch(image)
	if m == nil || len(m[1]) > maxImageNameLength {
		return "", false
	}
	tag, digest := m[2], m[3]
	if tag == "" && digest == "" {
		tag = "latest"
	}
	return tag, true
}
