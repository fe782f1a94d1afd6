// Command kubectl is upstream's kubectl v1.31, built from the Go module proxy
// for skiff's tests: the real client, never shipped.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubectl/pkg/cmd"
)

func main() { os.Exit(cli.Run(cmd.NewDefaultKubectlCommand())) }
