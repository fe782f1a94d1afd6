// Command kubelet is skiff's kubelet.
package main

import (
	"os"

	"github.com/skiff-dev/skiff/internal/daemon"
	"github.com/skiff-dev/skiff/kubelet/app"
)

func main() {
	os.Exit(daemon.Main(app.NewCommand()))
}
