// Package app wires kube-scheduler together: its options, its parts and how they run.
package app

import "github.com/spf13/cobra"

// NewCommand returns the kube-scheduler command.
func NewCommand() *cobra.Command {
	return &cobra.Command{
		Use:          "kube-scheduler",
		Short:        "skiff's kube-scheduler (its work is not built yet)",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			<-cmd.Context().Done()
			return nil
		},
	}
}
