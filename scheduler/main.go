// Command kube-scheduler is skiff's kube-scheduler.
package main

import (
	"os"

	"github.com/skiff-dev/skiff/internal/daemon"
	"github.com/skiff-dev/skiff/scheduler/app"
)

func main() {
	os.Exit(daemon.Main(app.NewCommand()))
}
