// Command kube-scheduler is skiff's kube-scheduler.
package main

import (
	"os"

	"github.com/skiff-dev/skiff/scheduler/app"
	"github.com/skiff-dev/skiff/internal/daemon"
)

func main() {
	os.Exit(daemon.Main(app.NewCommand()))
}
