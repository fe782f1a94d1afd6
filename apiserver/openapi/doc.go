// Package openapi builds kube-apiserver's OpenAPI documents from the Go
// types of the served resources, by reflection: the Swagger 2.0 document at
// /openapi/v2 (JSON, or protobuf as kubectl asks for it) and one OpenAPI
// 3.0 document per group version under /openapi/v3, listed with content
// hashes at /openapi/v3.
//
// Definitions are named as upstream names them
// ("io.k8s.api.core.v1.Pod"), carry the descriptions of the types'
// SwaggerDoc methods, the patch strategy and merge key of their struct
// tags, and x-kubernetes-group-version-kind on the served kinds. Every
// operation of every served resource is generated with upstream's query
// parameters, so that kubectl finds fieldValidation on PATCH and sends
// fieldValidation=Strict, builds strategic merge patches from the v3
// document, and explains fields.
//
// The documents are built once, by New, and served with ETags.
package openapi
