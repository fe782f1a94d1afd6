// Package app wires cloud-controller-manager together: its options, its parts and how they run.
package app

import "github.com/spf13/cobra"

// NewCommand returns the cloud-controller-manager command.
func NewCommand() *cobra.Command {
	return &cobra.Command{
		Use:          "cloud-controller-manager",
		Short:        "skiff's cloud-controller-manager (its work is not built yet)",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			<-cmd.Context().Done()
			return nil
		},
	}
}
