// Package daemon is the one way every skiff binary starts: flags and an
// optional config file, structured logging, a Prometheus registry, health
// endpoints, systemd readiness and a bounded shutdown on SIGTERM.
//
// Each piece stands alone; a binary's app package composes them:
//
//   - LoggingOptions: --log-format and -v, building a *zap.Logger (V(n) levels);
//   - LoadConfig: --config YAML into the component's typed config, with
//     environment overrides and command-line flags winning, then Validate;
//   - NewRegistry and MetricsHandler: /metrics with process and Go collectors;
//   - Health: named checks behind /livez, /readyz and /healthz;
//   - SecureServingOptions, HTTPAddress and Server: HTTPS with a generated
//     certificate when none is given, plain HTTP for upstream's plain ports;
//   - Notifier: sd_notify READY=1, STOPPING=1 and the watchdog;
//   - Runner: the long-running parts in one errgroup, stopped together
//     within a grace period;
//   - Options: logging + --config + secure serving, for short apps;
//   - Main: runs the cobra command under SIGTERM/SIGINT and exits.
//
// Leader election lives in the leaderelection subpackage. See README.md and
// the leaderelection package's example for a whole binary.
package daemon
