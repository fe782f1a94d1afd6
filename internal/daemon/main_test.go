package daemon

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"testing"

	"github.com/spf13/cobra"
)

func TestMainExitCode(t *testing.T) {
	tests := []struct {
		name string
		run  func(*cobra.Command) error
		want int
	}{
		{name: "success", run: func(*cobra.Command) error { return nil }, want: 0},
		{name: "failure", run: func(*cobra.Command) error { return errors.New("boom") }, want: 1},
		{name: "cancelled", run: func(*cobra.Command) error { return fmt.Errorf("stopping: %w", context.Canceled) }, want: 0},
		{name: "SIGTERM ends the context", run: func(cmd *cobra.Command) error {
			// Main's handler is installed before RunE runs, so this does not kill the test.
			if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
				return err
			}
			<-cmd.Context().Done()
			return nil
		}, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := &cobra.Command{
				Use:           "test",
				SilenceUsage:  true,
				SilenceErrors: true,
				RunE:          func(cmd *cobra.Command, _ []string) error { return tt.run(cmd) },
			}
			cmd.SetArgs([]string{})
			if got := Main(cmd); got != tt.want {
				t.Errorf("Main() = %d, want %d", got, tt.want)
			}
		})
	}
}
