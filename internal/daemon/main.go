package daemon

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// Main runs cmd under a context that ends on SIGTERM or SIGINT and returns the
// process exit code: 0 on success, 1 on error. A second signal exits at once.
func Main(cmd *cobra.Command) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // restore default handling: a second signal kills the process
	}()
	cmd.SilenceErrors = true // printed once, below
	if err := cmd.ExecuteContext(ctx); err != nil {
		if !errors.Is(err, context.Canceled) {
			fmt.Fprintf(os.Stderr, "%s: %v\n", cmd.Name(), err)
			return 1
		}
	}
	return 0
}
