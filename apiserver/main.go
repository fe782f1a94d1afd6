// Command kube-apiserver is skiff's kube-apiserver.
package main

import (
	"os"

	"github.com/skiff-dev/skiff/apiserver/app"
	"github.com/skiff-dev/skiff/internal/daemon"
)

func main() {
	os.Exit(daemon.Main(app.NewCommand()))
}
