// Package storage keeps API objects in etcd v3: one key per object
// (/registry/<resource>/<namespace>/<name>), every write one transaction
// guarded by the key's mod revision, resourceVersions from etcd's revisions,
// paginated lists with continue tokens, and watches from a revision.
//
// The types in this file are the contract between storage, the watch cache
// and the registry; errors are sentinels (errors.go) that only the HTTP layer
// turns into API status codes.
package storage
