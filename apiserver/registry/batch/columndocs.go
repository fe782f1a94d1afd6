package batch

// Column descriptions of this package's tables: upstream's printers take
// them from the field documentation of the beta API types, quoted here so
// that the server does not link those packages (their code and
// registrations cost resident memory) for a few strings.
const (
	// batchv1beta1.CronJobSpec.schedule
	docCronJobSpecSchedule = "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."
	// batchv1beta1.CronJobSpec.suspend
	docCronJobSpecSuspend = "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false."
	// batchv1beta1.CronJobSpec.timeZone
	docCronJobSpecTimeZone = "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones"
	// batchv1beta1.CronJobStatus.active
	docCronJobStatusActive = "A list of pointers to currently running jobs."
	// batchv1beta1.CronJobStatus.lastScheduleTime
	docCronJobStatusLastScheduleTime = "Information when was the last time the job was successfully scheduled."
)
