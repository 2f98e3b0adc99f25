//go:build !windows

package prompt

import (
	"context"
	"os/exec"
)

// tokenCommand returns the process that runs a token command through
// /bin/sh, as git runs its helpers.
func tokenCommand(ctx context.Context, command string) *exec.Cmd {
	return exec.CommandContext(ctx, "/bin/sh", "-c", command)
}
