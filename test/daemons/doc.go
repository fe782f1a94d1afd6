// Package daemons tests skiff's six binaries as an operator runs them: built
// from source, started as processes, probed over HTTP(S) and stopped with
// SIGTERM.
package daemons
