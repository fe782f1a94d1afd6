// Package storageclass holds the rules of storage.k8s.io/v1
// StorageClasses (named so as not to clash with the apiserver's etcd
// storage package): upstream's defaults, validation, immutable fields and
// kubectl table with the "(default)" marker.
package storageclass
