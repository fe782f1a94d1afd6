// Package test holds skiff's cluster-level tests: whole daemons driven by the
// real kubectl and client-go. The tests live in the subpackages.
package test
