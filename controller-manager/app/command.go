// Package app wires kube-controller-manager together: its options, its parts and how they run.
package app

import "github.com/spf13/cobra"

// NewCommand returns the kube-controller-manager command.
func NewCommand() *cobra.Command {
	return &cobra.Command{
		Use:          "kube-controller-manager",
		Short:        "skiff's kube-controller-manager (its work is not built yet)",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			<-cmd.Context().Done()
			return nil
		},
	}
}
