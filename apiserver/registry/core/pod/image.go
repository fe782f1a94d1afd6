package pod

import "strings"

// maxImageNameLength is the reference grammar's limit on the name part.
const maxImageNameLength = 255

// maxImageTagLength is the reference grammar's limit on a tag.
const maxImageTagLength = 128

// imageTag returns image's tag, "latest" when it names neither a tag nor a
// digest, and false when image is not a valid reference (upstream then
// leaves the pull policy at IfNotPresent).
//
// A reference is name[:tag][@digest] in the grammar of distribution's
// reference package, as upstream's image name parser uses it; image_test.go
// holds that grammar's regular expression and checks this parser against
// it; a digest is also checked as go-digest checks it, as the parser does.
// The parse is unique: neither the name nor the tag may hold '@', and
// a ':' after the name's last '/' can only start the tag.
func imageTag(image string) (string, bool) {
	if isImageID(image) {
		return "", false
	}
	rest, digest, hasDigest := strings.Cut(image, "@")
	if hasDigest && !isDigest(digest) {
		return "", false
	}
	name, tag := rest, ""
	if i := strings.LastIndexByte(rest, ':'); i > strings.LastIndexByte(rest, '/') {
		name, tag = rest[:i], rest[i+1:]
		if !isTag(tag) {
			return "", false
		}
	}
	if len(name) > maxImageNameLength || !isImageName(name) {
		return "", false
	}
	if tag == "" && !hasDigest {
		tag = "latest"
	}
	return tag, true
}

// isImageID reports whether s is a bare image ID: 64 lowercase hex digits.
func isImageID(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := range len(s) {
		if !isDigit(s[i]) && (s[i] < 'a' || s[i] > 'f') {
			return false
		}
	}
	return true
}

// isImageName reports whether s is [domain/]path(/path)*. Docker Hub
// names may omit the domain, and the repository must be lowercase either
// way: path components allow no capitals.
func isImageName(s string) bool {
	first, rest, more := strings.Cut(s, "/")
	if !isPathComponent(first) && !(more && isDomain(first)) {
		return false
	}
	if !more {
		return true
	}
	for c := range strings.SplitSeq(rest, "/") {
		if !isPathComponent(c) {
			return false
		}
	}
	return true
}

// isPathComponent reports whether s is [a-z0-9]+ joined by the separators
// ".", "_", "__" or one or more "-".
func isPathComponent(s string) bool {
	if s == "" || !isLowerAlnum(s[0]) || !isLowerAlnum(s[len(s)-1]) {
		return false
	}
	for i := 0; i < len(s); {
		if isLowerAlnum(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && !isLowerAlnum(s[j]) {
			j++
		}
		switch sep := s[i:j]; {
		case sep == ".", sep == "_", sep == "__", strings.Trim(sep, "-") == "":
		default:
			return false
		}
		i = j
	}
	return true
}

// isDomain reports whether s is a host (dot-separated labels of letters,
// digits and inner hyphens) or a bracketed IPv6 address, either followed
// by an optional ":port".
func isDomain(s string) bool {
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 2 || strings.Trim(s[1:end], hexDigits+":") != "" {
			return false
		}
		after := s[end+1:]
		port, ok := strings.CutPrefix(after, ":")
		return after == "" || ok && isPort(port)
	}
	host, port, hasPort := strings.Cut(s, ":")
	if hasPort && !isPort(port) {
		return false
	}
	for label := range strings.SplitSeq(host, ".") {
		if label == "" || !isAlnum(label[0]) || !isAlnum(label[len(label)-1]) {
			return false
		}
		for i := range len(label) {
			if !isAlnum(label[i]) && label[i] != '-' {
				return false
			}
		}
	}
	return true
}

// isPort reports whether s is one or more decimal digits.
func isPort(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }

// hexDigits are the digits of hexadecimal, either case.
const hexDigits = "0123456789abcdefABCDEF"

// isTag reports whether s is [\w][\w.-]{0,127}.
func isTag(s string) bool {
	if s == "" || len(s) > maxImageTagLength || !isWord(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isWord(s[i]) && s[i] != '.' && s[i] != '-' {
			return false
		}
	}
	return true
}

// isDigest reports whether s is a digest the reference parser accepts:
// the grammar's algorithm:hex, then checked as the go-digest package
// checks it, so only a hash it knows, as lowercase hex of that hash's
// length.
func isDigest(s string) bool {
	alg, hex, _ := strings.Cut(s, ":")
	n, known := digestHexLength[alg]
	return known && len(hex) == n && strings.Trim(hex, "0123456789abcdef") == ""
}

// digestHexLength are the digest algorithms go-digest knows and the hex
// length of each.
var digestHexLength = map[string]int{"sha256": 64, "sha384": 96, "sha512": 128}

func isDigit(c byte) bool      { return '0' <= c && c <= '9' }
func isLetter(c byte) bool     { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isAlnum(c byte) bool      { return isDigit(c) || isLetter(c) }
func isLowerAlnum(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'z' }
func isWord(c byte) bool       { return isAlnum(c) || c == '_' }
