// Command cloud-controller-manager is skiff's cloud-controller-manager.
package main

import (
	"os"

	"github.com/skiff-dev/skiff/cloud-controller-manager/app"
	"github.com/skiff-dev/skiff/internal/daemon"
)

func main() {
	os.Exit(daemon.Main(app.NewCommand()))
}
