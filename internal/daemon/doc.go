// Package daemon is the one way every skiff binary starts: flags and an
// optional config file, structured logging, a Prometheus registry, health
// endpoints, systemd readiness and a bounded shutdown on SIGTERM.
package daemon
