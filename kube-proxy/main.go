// Command kube-proxy is skiff's kube-proxy.
package main

import (
	"os"

	"github.com/skiff-dev/skiff/internal/daemon"
	"github.com/skiff-dev/skiff/kube-proxy/app"
)

func main() {
	os.Exit(daemon.Main(app.NewCommand()))
}
