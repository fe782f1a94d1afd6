// Package validname checks the names the API is full of (object names,
// label keys and values, namespaces, container names) by hand, as
// apimachinery's validation package does with regular expressions.
//
// Each Is* function is a drop-in for apimachinery's function of the same
// name: a valid name is recognised without a regular expression, and
// anything else is handed to apimachinery's function, so that the messages
// are upstream's word for word. Their verdicts agree on every input
// (TestAgreesWithApimachinery); a valid name costs tens of nanoseconds
// instead of about half a microsecond, which on a pod's path (its name, its
// labels, its containers' names, the tolerations admission adds) came to
// about 2% of a create.
package validname

import (
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// qualifiedNameMax is the longest name part of a qualified name
// (apimachinery does not export it).
const qualifiedNameMax = 63

// IsDNS1123Subdomain is validation.IsDNS1123Subdomain.
func IsDNS1123Subdomain(s string) []string {
	if DNSSubdomain(s) {
		return nil
	}
	return validation.IsDNS1123Subdomain(s)
}

// IsDNS1123Label is validation.IsDNS1123Label.
func IsDNS1123Label(s string) []string {
	if DNSLabel(s) {
		return nil
	}
	return validation.IsDNS1123Label(s)
}

// IsQualifiedName is validation.IsQualifiedName.
func IsQualifiedName(s string) []string {
	if QualifiedName(s, false) {
		return nil
	}
	return validation.IsQualifiedName(s)
}

// IsValidLabelValue is validation.IsValidLabelValue.
func IsValidLabelValue(s string) []string {
	if LabelValue(s) {
		return nil
	}
	return validation.IsValidLabelValue(s)
}

// DNSSubdomain reports whether s is an RFC 1123 subdomain: lowercase labels
// joined by dots, at most 253 characters. Such a name is also a valid path
// segment.
func DNSSubdomain(s string) bool {
	if len(s) == 0 || len(s) > validation.DNS1123SubdomainMaxLength {
		return false
	}
	for len(s) > 0 {
		label := s
		if i := strings.IndexByte(s, '.'); i >= 0 {
			label, s = s[:i], s[i+1:]
			if s == "" {
				return false // a trailing dot
			}
		} else {
			s = ""
		}
		if !labelOf(label, lowerAlnum, lowerAlnumDash) {
			return false
		}
	}
	return true
}

// DNSLabel reports whether s is an RFC 1123 label, at most 63 characters.
func DNSLabel(s string) bool {
	return len(s) <= validation.DNS1123LabelMaxLength && labelOf(s, lowerAlnum, lowerAlnumDash)
}

// QualifiedName reports whether s is an optional DNS subdomain and "/",
// then a name of at most 63 characters. fold lowers the case first, as
// annotation keys are checked.
func QualifiedName(s string, fold bool) bool {
	name := s
	if i := strings.IndexByte(s, '/'); i >= 0 {
		prefix := s[:i]
		name = s[i+1:]
		if fold {
			prefix = strings.ToLower(prefix)
		}
		if !DNSSubdomain(prefix) || strings.IndexByte(name, '/') >= 0 {
			return false
		}
	}
	return len(name) <= qualifiedNameMax && labelOf(name, alnum, nameChar)
}

// LabelValue reports whether s is empty or a qualified name's name part.
func LabelValue(s string) bool {
	return s == "" || (len(s) <= validation.LabelValueMaxLength && labelOf(s, alnum, nameChar))
}

// labelOf: not empty, first and last characters satisfy end, the others
// inner.
func labelOf(s string, end, inner func(byte) bool) bool {
	n := len(s)
	if n == 0 || !end(s[0]) || !end(s[n-1]) {
		return false
	}
	for i := 1; i < n-1; i++ {
		if !inner(s[i]) {
			return false
		}
	}
	return true
}

func lowerAlnum(c byte) bool     { return ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') }
func lowerAlnumDash(c byte) bool { return lowerAlnum(c) || c == '-' }
func alnum(c byte) bool          { return lowerAlnum(c) || ('A' <= c && c <= 'Z') }
func nameChar(c byte) bool       { return alnum(c) || c == '-' || c == '_' || c == '.' }
