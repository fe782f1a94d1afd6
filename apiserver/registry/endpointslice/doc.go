// Package endpointslice holds the rules of discovery.k8s.io/v1
// EndpointSlices (the package is not named discovery, which is the
// apiserver's API discovery): upstream's defaults, validation, generation
// and kubectl table.
package endpointslice
