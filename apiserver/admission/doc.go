// Package admission is kube-apiserver's admission chain: the plugins that
// may change (mutating admission) and then accept or refuse (validating
// admission) every write, in upstream's order, chosen by
// --enable-admission-plugins and --disable-admission-plugins.
//
// The plugins live in subpackages, one each, named for the plugin
// (namespacelifecycle, serviceaccount, …). Each takes the getters it needs
// as small interfaces it declares; the apiserver backs them with the
// registry's stores and watch caches.
//
// The chain runs in two places of a request: Admit after the body is
// decoded and defaulted, Validate (through ValidateFunc, the registry's
// WriteOptions.Validate hook) after the kind's own validation, right before
// the object is written.
package admission
