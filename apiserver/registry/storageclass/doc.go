// Package storageclass holds the rules of the storage.k8s.io/v1 kinds
// (named so as not to clash with the apiserver's etcd storage package):
// StorageClasses, CSIDrivers, CSINodes, CSIStorageCapacities and
// VolumeAttachments, with upstream's defaults, validation, immutable
// fields, status split and kubectl tables.
package storageclass
