// Command kube-controller-manager is skiff's kube-controller-manager.
package main

import (
	"os"

	"github.com/skiff-dev/skiff/controller-manager/app"
	"github.com/skiff-dev/skiff/internal/daemon"
)

func main() {
	os.Exit(daemon.Main(app.NewCommand()))
}
