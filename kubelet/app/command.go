// Package app wires kubelet together: its options, its parts and how they run.
package app

import "github.com/spf13/cobra"

// NewCommand returns the kubelet command.
func NewCommand() *cobra.Command {
	return &cobra.Command{
		Use:          "kubelet",
		Short:        "skiff's kubelet (its work is not built yet)",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			<-cmd.Context().Done()
			return nil
		},
	}
}
