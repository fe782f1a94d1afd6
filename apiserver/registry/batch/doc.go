// Package batch holds the rules of the batch/v1 resources kube-apiserver
// serves: jobs and cronjobs, with upstream's defaults, selector
// generation, validation (cron schedules and time zones included), status
// subresources and kubectl tables.
package batch
