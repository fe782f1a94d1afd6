// Package app wires kube-proxy together: its options, its parts and how they run.
package app

import "github.com/spf13/cobra"

// NewCommand returns the kube-proxy command.
func NewCommand() *cobra.Command {
	return &cobra.Command{
		Use:          "kube-proxy",
		Short:        "skiff's kube-proxy (its work is not built yet)",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			<-cmd.Context().Done()
			return nil
		},
	}
}
